"""Key points: clustering determinism, stability, prevalence by sources, the large-corpus path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from test_map_support import THEMES, HashingEmbedder, claim, claim_stance, source_stance, themed_map

from cruxmap.map.cluster import cluster_exact, cluster_large, cluster_vectors, renumber
from cruxmap.map.keypoints import build_key_points
from cruxmap.map.matcher import CROSS_FILE, KeyPointMatcher
from cruxmap.settings import Settings

COSINE = KeyPointMatcher(head_file=None)


def blobs(n_per: int, centres: int, dim: int = 32, spread: float = 0.08, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    middle = rng.normal(size=(centres, dim))
    middle /= np.linalg.norm(middle, axis=1, keepdims=True)
    gold = np.repeat(np.arange(centres), n_per)
    x = middle[gold] + spread * rng.normal(size=(len(gold), dim))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), gold


def test_clusters_paraphrases_into_one_key_point_each_with_prevalence_by_sources():
    m = themed_map(6)
    result = build_key_points(m.claims, m.stances, ["H1", "H2"], HashingEmbedder(), matcher=COSINE)
    labels = {kp.label: kp for kp in result.key_points}
    assert len(result.key_points) == 3
    democracy = next(kp for kp in result.key_points if "democracy" in kp.label)
    assert democracy.source_ids == [f"s{i}" for i in range(6)]
    assert result.key_points[0] is democracy  # most sources first
    alliance = next(kp for kp in result.key_points if "alliance" in kp.label)
    assert alliance.label in THEMES["alliance"]  # extractive label
    assert alliance.stance_split["H1"] == {"support": 3, "oppose": 0, "neutral": 0}
    assert alliance.stance_split["H2"] == {"support": 0, "oppose": 3, "neutral": 0}
    assert len(labels) == 3


def test_prevalence_counts_sources_not_sentences():
    claims = [claim(f"c{i}", "s0", THEMES["empire"][i % 3] + f" again {i}", start=50 * i) for i in range(5)]
    claims.append(claim("x", "s1", THEMES["empire"][0], start=0))
    stances = [claim_stance(c.id, "H", "support") for c in claims]
    stances += [source_stance("s0", "H", "support"), source_stance("s1", "H", "support")]
    result = build_key_points(claims, stances, ["H"], HashingEmbedder(), matcher=COSINE)
    kp = next(k for k in result.key_points if len(k.claim_ids) > 1)
    assert kp.source_ids == ["s0", "s1"]
    assert kp.stance_split["H"]["support"] == 2  # two sources, six sentences


def test_a_point_only_one_source_makes_is_no_key_point_once_enough_are_shared():
    claims = [claim("a0", "s0", THEMES["alliance"][0], start=0), claim("a1", "s1", THEMES["alliance"][1], start=0),
              claim("e0", "s2", THEMES["empire"][0], start=0), claim("e1", "s3", THEMES["empire"][1], start=0),
              claim("d0", "s4", THEMES["democracy"][0], start=0), claim("d1", "s4", THEMES["democracy"][1], start=100)]
    shared = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=2)
    assert sorted(len(k.source_ids) for k in shared.key_points) == [2, 2]
    few = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=3)
    assert sorted(len(k.source_ids) for k in few.key_points) == [1, 2, 2]  # too few shared: s4's point stays


def test_a_key_points_split_follows_the_source_table_not_the_claims_own_stances():
    """Offline claim stances read direction at chance: a point stating H2 showed its own sources opposing H2."""
    claims = [claim("a", "s0", THEMES["empire"][0], start=0), claim("b", "s1", THEMES["empire"][1], start=0),
              claim("c", "s2", THEMES["empire"][2], start=0)]
    stances = [claim_stance(c.id, "H2", "oppose", 0.9) for c in claims]  # the claims' own (wrong) direction
    stances += [source_stance("s0", "H2", "support"), source_stance("s1", "H2", "support"),
                source_stance("s2", "H2", "none")]
    result = build_key_points(claims, stances, ["H2"], HashingEmbedder(), matcher=COSINE)
    [kp] = [k for k in result.key_points if len(k.source_ids) == 3]
    assert kp.stance_split["H2"] == {"support": 2, "oppose": 0, "neutral": 1}


def test_same_input_gives_identical_key_points_in_any_input_order():
    m = themed_map(6)
    a = build_key_points(m.claims, m.stances, ["H1", "H2"], HashingEmbedder(), matcher=COSINE)
    b = build_key_points(list(reversed(m.claims)), m.stances, ["H1", "H2"], HashingEmbedder(), matcher=COSINE)
    assert [k.model_dump() for k in a.key_points] == [k.model_dump() for k in b.key_points]


def test_automatic_cut_recovers_blobs_and_is_deterministic():
    x, gold = blobs(20, 8)
    first, second = cluster_vectors(x), cluster_vectors(x)
    assert np.array_equal(first.labels, second.labels)
    assert first.threshold == second.threshold
    assert adjusted_rand_score(gold, first.labels) > 0.95
    assert first.stability is not None and first.stability >= 0.8


def test_small_input_change_gives_small_clustering_change():
    x, _gold = blobs(20, 8, seed=3)
    full = cluster_exact(x).labels
    keep = np.array([i for i in range(len(x)) if i % 17 != 0])  # drop ~6 % of the items
    reduced = cluster_exact(x[keep]).labels
    assert adjusted_rand_score(full[keep], reduced) > 0.9


def test_large_path_samples_then_assigns_and_matches_exact_clusters():
    x, gold = blobs(60, 12, seed=5)
    large = cluster_large(x, threshold=0.4, sample_size=200)
    assert large.method == "sample+assign"
    assert adjusted_rand_score(gold, large.labels) > 0.95
    again = cluster_large(x, threshold=0.4, sample_size=200)
    assert np.array_equal(large.labels, again.labels)


def test_renumber_orders_labels_by_first_appearance():
    assert renumber(np.array([7, 7, 2, 9, 2])).tolist() == [0, 0, 1, 2, 1]


def test_no_claims_gives_no_key_points():
    result = build_key_points([], [], ["H"], HashingEmbedder(), matcher=COSINE)
    assert result.key_points == []


def test_matcher_features_cover_every_pair_and_the_head_prefers_the_paraphrase():
    from cruxmap.map.matcher import FEATURE_NAMES, HEAD_FILE, group_features

    claims = [THEMES["alliance"][1], THEMES["empire"][1], "grain prices rose in the spring"]
    kps = [THEMES["alliance"][0], THEMES["empire"][0]]
    emb = HashingEmbedder()
    feats = group_features(emb.embed(claims), claims, emb.embed(kps), kps)
    assert feats.shape == (6, len(FEATURE_NAMES)) and np.isfinite(feats).all()
    for matcher in (COSINE, KeyPointMatcher(cross=False), KeyPointMatcher()):
        scores = matcher.score_group(emb.embed(claims), claims, emb.embed(kps), kps)
        assert scores.shape == (3, 2) and ((0 <= scores) & (scores <= 1)).all()
        assert scores[0].argmax() == 0 and scores[1].argmax() == 1
        assert scores[0, 0] > scores[2].max()
    assert KeyPointMatcher(cross=False).kind == ("head" if HEAD_FILE.is_file() else "cosine")
    assert KeyPointMatcher().kind == ("head+cross" if (HEAD_FILE.parent / CROSS_FILE).is_file() else
                                      KeyPointMatcher(cross=False).kind)


def test_cross_encoder_rereads_only_the_best_key_points_of_refined_claims(monkeypatch):
    from cruxmap.map import matcher as matcher_module

    claims = [THEMES["alliance"][1], THEMES["empire"][1], "grain prices rose in the spring"]
    kps = [THEMES["alliance"][0], THEMES["empire"][0], "the harvest was poor"]
    emb = HashingEmbedder()
    seen = []

    class FakeCross:
        def probabilities(self, pairs, release=False):
            seen.extend(pairs)
            return np.tile(np.array([[0.01, 0.99]], np.float32), (len(pairs), 1))

    monkeypatch.setattr(matcher_module, "_load_cross", lambda path: FakeCross())
    plain = KeyPointMatcher(cross=False)
    crossed = KeyPointMatcher(cross=False, cross_top=2)
    crossed.cross_path, crossed.blend = Path("fake.npz"), 0.5
    base = plain.score_group(emb.embed(claims), claims, emb.embed(kps), kps)
    mixed = crossed.score_group(emb.embed(claims), claims, emb.embed(kps), kps,
                                refine=np.array([True, False, False]))
    assert len(seen) == 2 and {p[0] for p in seen} == {claims[0]}  # claim 0's two best key points only
    assert np.allclose(mixed[1:], base[1:])
    changed = np.abs(mixed[0] - base[0]) > 1e-9
    assert changed.sum() == 2 and not changed[np.argsort(base[0])[0]]
    assert mixed[0].max() < base[0].max()  # the fake cross-encoder says "no match"


def test_left_over_claims_join_a_key_point_only_when_close_to_it():
    m = themed_map(6)
    m.claims += [claim("odd1", "s0", "grain prices rose sharply in the spring", start=900),
                 claim("near", "s1", "the alliance expansion provoked the neighbour into attacking again", start=900)]
    result = build_key_points(m.claims, m.stances, ["H1", "H2"], HashingEmbedder(), matcher=KeyPointMatcher(),
                              min_key_points=1)
    placed = {cid for kp in result.key_points for cid in kp.claim_ids}
    assert "odd1" not in placed  # matches nothing: stays out even though one key point ranks first
    assert "near" in placed


def test_syndicated_copies_count_once_in_prevalence_and_splits():
    from cruxmap.model import DuplicateOf

    m = themed_map(6)
    m.sources[0].duplicates = [DuplicateOf(source_id="s2", similarity=0.97)]
    m.sources[2].duplicates = [DuplicateOf(source_id="s0", similarity=0.97)]
    result = build_key_points(m.claims, m.stances, ["H1", "H2"], HashingEmbedder(), matcher=COSINE,
                              sources=m.sources)
    alliance = next(kp for kp in result.key_points if "alliance" in kp.label)
    empire = next(kp for kp in result.key_points if "empire" in kp.label)
    assert alliance.source_ids == ["s0", "s2", "s4"]  # every source is still listed
    assert alliance.stance_split["H1"]["support"] == 2  # s0 and its copy s2 count once
    assert result.key_points.index(empire) < result.key_points.index(alliance)  # 3 independent beat 2


def test_points_of_one_source_and_its_copies_only_fill_a_corpus_short_of_shared_ones():
    from test_map_support import source

    from cruxmap.model import DuplicateOf

    # s0 and its syndicated copy s1 repeat three of s0's own points word for word; s2 shares one point with s0
    own = ["the harbour levy will double ferry fares by next spring.",
           "night crossings should move to the smaller boats at once.",
           "the pier repairs were paid twice over by the port authority."]
    shared = ["the alliance expansion provoked the neighbour into attacking.",
              "alliance expansion eastward provoked the neighbour."]
    claims = [claim(f"a{i}", "s0", t, start=100 * i) for i, t in enumerate(own)]
    claims += [claim(f"b{i}", "s1", t, start=100 * i, score=0.8) for i, t in enumerate(own)]
    claims += [claim("a9", "s0", shared[0], start=900), claim("c0", "s2", shared[1], start=0)]
    sources = [source("s0"), source("s1"), source("s2")]
    sources[0].duplicates = [DuplicateOf(source_id="s1", similarity=0.98)]
    sources[1].duplicates = [DuplicateOf(source_id="s0", similarity=0.98)]
    points = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, sources=sources,
                              min_key_points=2).key_points
    # the one shared point, then one of s0's own points to reach two; not every repeated sentence of the copy
    assert len(points) == 2 and "alliance" in points[0].label
    assert set(points[1].source_ids) == {"s0", "s1"}
    assert len(build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, sources=sources,
                                min_key_points=1).key_points) == 1
    # the most argued one-source group cannot be labelled (a question): the next one fills instead
    claims.append(claim("q0", "s0", "why should commuters pay for the pier twice?", start=700, score=0.99))
    points = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, sources=sources,
                              min_key_points=2).key_points
    assert len(points) == 2 and not points[1].label.endswith("?")


def test_a_label_is_a_whole_statement_that_reads_on_its_own():
    from cruxmap.map.keypoints import label_worthy, medoid, reads_alone

    assert not reads_alone("Moreover, the plan will fail.") and not reads_alone("This is not about money.")
    assert reads_alone("The plan will fail because nobody funds it.") and reads_alone("Thistles grow fast.")
    assert not reads_alone("Other places have learned from that.") and reads_alone("Talks broke down over that tariff.")
    # an ordinal list item leans on the list before it; an ordinal that names its noun does not
    assert not reads_alone("The second is that the fare rise is smaller than it looks.")
    # a bare reply leans on the question before it; "No one …" and "Nothing …" open statements
    assert not reads_alone("No. The fare rise changes nothing for commuters.") and not reads_alone("Yes, and it will.")
    assert reads_alone("No city has ever finished a tunnel on time.") and reads_alone("Nobody rides the night ferry.")
    assert reads_alone("The first step toward a deal is a ceasefire on both sides.")
    for fragment in ("It does not guarantee it.", "Why?", "But it is not really a compromise.",
                     "Will the reactors ever be finished on time and on budget?",
                     "This story may not be republished without the permission of the agency.",
                     "Please consider making a contribution to the Daily Ledger today.",
                     "Readers can write a letter to the editor through the form on our website.",
                     "The author does not consult for any company that would benefit from this article.",
                     "Download the Ledger app on your iPhone or Android today!",
                     "Visit https://example.org and learn how the fund spends its money."):
        assert not label_worthy(fragment), fragment
    assert label_worthy("The plan will fail for lack of funds from the city.")
    assert label_worthy("The senator received a large donation from the union before the vote.")
    assert label_worthy("Young and healthy people will not sign up for coverage unless they must.")
    assert not label_worthy("Sign up now to get every episode of the show as soon as it airs.")
    members = [claim("a", "s1", "Moreover, the plan will surely fail in the end."),
               claim("b", "s2", "The plan will fail for lack of funds from the city."),
               claim("c", "s3", "Funding gaps of this size doom the whole plan.")]
    # a is the geometric centre but leans on the sentence before it: the most central of the others labels
    centre = np.array([[1.0, 0.0], [0.6, 0.8], [0.95, -0.312]], dtype=np.float32)
    centre /= np.linalg.norm(centre, axis=1, keepdims=True)
    assert medoid([0, 1, 2], centre, members) == 2
    # a group of fragments has no label, and so is no key point
    fragments = [claim("x", "s1", "Why?"), claim("y", "s2", "It does not guarantee it.")]
    assert medoid([0, 1], centre[:2], fragments) is None


def test_connectives_list_items_and_back_references_do_not_label_a_key_point():
    """Label shapes seen on the dev debates and the seeds that lean on what came before them (our own
    sentences in those shapes)."""
    from cruxmap.map.keypoints import label_worthy

    for leaning in ("As a result, the ferry subsidy would cost the county less each year.",
                    "Either way, the council keeps the final say over the harbour budget.",
                    "In other words, the tunnel is not really about traffic at all.",
                    "One is that the mayor reuses every win on the next neighbourhood.",
                    "Importantly, this is not only a plan of the opposition benches.",
                    "Which, really, is a far better way to run the bus depot.",
                    "Perhaps it would even open the door to a later deal on parking.",
                    "The costs of such a decision would be large and lasting for the town.",
                    "Given these aims, a smaller library is a poor trade for the district.",
                    "First, the plan will fail for lack of funds from the city."):
        assert not label_worthy(leaning), leaning
    for alone in ("First Amendment protections cover speech by every newspaper in the land.",
                  "Next year the law takes effect in every state of the union.",
                  "Firm, zero-carbon power such as nuclear is needed for a clean grid.",
                  "Thereafter the city grew fast and nobody could stop it."):
        assert label_worthy(alone), alone


def test_a_bare_shell_noun_a_kicker_or_a_quotation_does_not_label_a_key_point():
    """"The consequences would be …" says nothing of which consequences; "OPINION: …" and "Name: …" are a
    headline's furniture; a quotation is a speaker's words, evidence rather than the author's point."""
    from cruxmap.map.keypoints import label_worthy

    for bad in ("The consequences would be severe and lasting for every commuter in town.",
                "The move was a serious mistake by the harbour council.",
                "These changes will hurt small shops more than anyone else.",
                "The result is a city centre that nobody on a wage can afford.",
                "OPINION: Ana Ruiz says the council should scrap the toll plan.",
                "Ana Ruiz: The council should scrap the toll plan before the summer.",
                "“The toll laws are a disgrace to this city and to its people.”",
                "I have a shop near the bridge, and I never once felt unsafe.”",
                "The scariest thing about the new toll (and the parking fees)",
                "… If, however, traffic falls by only a tenth, the toll will not pay for itself."):
        assert not label_worthy(bad), bad
    for good in ("The consequences of the toll for shift workers would be severe.",
                 "The decision to close the ferry was a mistake by the council.",
                 "The problem is that wages have not kept up with rents in the city.",
                 "The effects on small shops have been modest so far, the survey found.",
                 "Critics argue the plan is “a tax on the poor” and should be dropped.",
                 "Tolls: a tool that cities should use far more often than they do.",
                 "The risk to commuters is small compared with the gains in air quality."):
        assert label_worthy(good), good


def test_the_matching_head_scores_in_blocks_with_the_same_result(monkeypatch):
    from cruxmap.map import matcher as matcher_module

    matcher = matcher_module.KeyPointMatcher(cross=False)
    if not matcher.uses_head:
        pytest.skip("the matching head is not installed")
    rows = np.random.default_rng(2).normal(size=(1000, len(matcher_module.FEATURE_NAMES))).astype(np.float32)
    whole = matcher.score_features(rows)
    monkeypatch.setattr(matcher_module, "SCORE_BLOCK", 128)
    assert np.array_equal(matcher.score_features(rows), whole)
    assert whole.shape == (1000,) and whole.min() >= 0 and whole.max() <= 1


def test_features_built_in_blocks_and_from_rows_in_place_equal_the_whole_group(monkeypatch):
    """``score_group`` builds feature rows ``FEATURE_BLOCK`` claims at a time (the whole news corpus
    at once held ~600 MB); every row must be what the whole-group computation gives."""
    from cruxmap.map import matcher as matcher_module
    from cruxmap.map.matcher import group_context, group_feature_rows, group_features

    rng = np.random.default_rng(5)
    words = "alliance empire border grain harvest not never cost treaty army sanctions".split()
    claims = [" ".join(rng.choice(words, size=int(rng.integers(3, 10)))) for _ in range(23)]
    kps = [" ".join(rng.choice(words, size=5)) for _ in range(4)]
    emb = HashingEmbedder()
    vecs, kvecs = emb.embed(claims), emb.embed(kps)
    whole = group_features(vecs, claims, kvecs, kps)
    context = group_context(vecs, kvecs)
    pieces = [group_feature_rows(context, claims, kps, start, min(start + 5, len(claims)))
              for start in range(0, len(claims), 5)]
    assert np.array_equal(np.concatenate(pieces), whole)
    matcher = KeyPointMatcher(cross=False)
    expected = matcher.score_group(vecs, claims, kvecs, kps)
    monkeypatch.setattr(matcher_module, "FEATURE_BLOCK", 4)
    assert np.array_equal(matcher.score_group(vecs, claims, kvecs, kps), expected)
    # a subset of rows read in place from the full matrix, as build_key_points does
    rows = np.arange(1, len(claims), 2)
    topic = emb.embed(["who started the war"])[0]
    in_place = group_context(vecs, kvecs, topic, claim_rows=rows)
    copied = group_context(vecs[rows], kvecs, topic)
    assert np.array_equal(in_place.sims, copied.sims) and np.array_equal(in_place.esims, copied.esims)
    subset = [claims[i] for i in rows]
    assert np.array_equal(matcher.score_group(None, subset, None, kps, context=in_place),
                          matcher.score_group(vecs[rows], subset, kvecs, kps, topic))


class TopicEmbedder:
    """Vectors given per text: every claim shares one topic direction, as a debate's claims do."""

    dim = 64

    def __init__(self, vectors: dict[str, np.ndarray]):
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts])


def one_topic_debate(n: int = 60, topic_weight: float = 0.85, seed: int = 3):
    """``n`` claims of ``n`` sources that each make a different point about one topic, and two more,
    from two other sources, that make one shared point in other words."""
    rng = np.random.default_rng(seed)
    topic = np.zeros(TopicEmbedder.dim)
    topic[0] = 1.0
    texts, vectors = [], {}

    def add(text: str, own: np.ndarray) -> None:
        own = own.copy()
        own[0] = 0.0
        own /= np.linalg.norm(own)
        v = np.sqrt(topic_weight) * topic + np.sqrt(1 - topic_weight) * own
        vectors[text] = (v / np.linalg.norm(v)).astype(np.float32)
        texts.append(text)

    for i in range(n):
        add(f"Source number {i} makes its own separate point about the topic.", rng.normal(size=TopicEmbedder.dim))
    shared = rng.normal(size=TopicEmbedder.dim)
    add("The tax would fall hardest on the poorest households.", shared + 0.05 * rng.normal(size=TopicEmbedder.dim))
    add("Poor households would pay the largest share of the tax.", shared + 0.05 * rng.normal(size=TopicEmbedder.dim))
    claims = [claim(f"c{i}", f"s{i}", text, start=0) for i, text in enumerate(texts)]
    return claims, TopicEmbedder(vectors)


def test_claims_on_one_topic_that_make_different_points_are_not_one_key_point():
    claims, embedder = one_topic_debate()
    # raw cosine between two unrelated claims is 0.85 here: cut on it, the whole topic is one group
    raw = build_key_points(claims, [], ["H"], embedder, matcher=COSINE, centre=False)
    assert max(len(kp.claim_ids) for kp in raw.key_points) > 30
    # with the debate's shared direction removed, only the two claims that say the same thing group
    result = build_key_points(claims, [], ["H"], embedder, matcher=COSINE)
    shared = [kp for kp in result.key_points if len(kp.source_ids) > 1]
    assert [sorted(kp.claim_ids) for kp in shared] == [sorted([claims[-2].id, claims[-1].id])]


def test_centring_waits_for_enough_claims_to_estimate_the_shared_direction():
    from cruxmap.map.keypoints import MIN_CENTRE, centred

    few = np.eye(4, dtype=np.float32)[:3] + 1.0
    assert centred(few) is few  # fewer than MIN_CENTRE rows: unchanged
    copies = np.tile(np.eye(8, dtype=np.float32)[:1], (MIN_CENTRE, 1))
    assert centred(copies) is copies  # every claim the same: no direction left to cluster on

    def mean_cosine(rows: np.ndarray) -> float:
        unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        sims = unit @ unit.T
        return float((sims.sum() - np.trace(sims)) / (len(rows) * (len(rows) - 1)))

    many = np.random.default_rng(0).normal(size=(MIN_CENTRE, 8)).astype(np.float32) + 5.0
    out = centred(many)
    assert mean_cosine(many) > 0.9  # one shared direction dominates every row
    assert abs(mean_cosine(out)) < 0.1 and np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_a_group_is_labelled_by_a_member_that_is_a_clause(monkeypatch):
    from cruxmap.map import keypoints

    claims = [claim("a", "s0", THEMES["alliance"][0], start=0), claim("b", "s1", THEMES["alliance"][1], start=0)]
    first = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=1).key_points
    assert len(first) == 1
    chosen = first[0].label
    # the tagger rejects the member chosen before: the other member labels the group; neither: no key point
    monkeypatch.setattr(keypoints, "clauses", lambda texts, model: [t != chosen for t in texts])
    second = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=1).key_points
    assert [kp.label for kp in second] == [next(c.text for c in claims if c.text != chosen)]
    monkeypatch.setattr(keypoints, "clauses", lambda texts, model: [False] * len(texts))
    assert build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=1).key_points == []


def test_labels_are_tagged_by_the_runs_spacy_pipeline(monkeypatch):
    from cruxmap.map import keypoints
    from cruxmap.map.build import build_map

    asked: list[str] = []
    monkeypatch.setattr(keypoints, "clauses", lambda texts, model: asked.append(model) or [True] * len(texts))
    claims = [claim("a", "s0", THEMES["alliance"][0], start=0), claim("b", "s1", THEMES["alliance"][1], start=0)]
    build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=1, spacy_model="my_pipeline")
    assert asked == ["my_pipeline"]
    # the map stage reads the setting the run's own spaCy stage reads
    build_map(themed_map(), HashingEmbedder(), settings=Settings(spacy_model="other_pipeline"), matcher=COSINE)
    assert asked[-1] == "other_pipeline"


def test_among_points_as_many_sources_make_the_more_argued_comes_first():
    # the empire point is repeated more often, but as narration (low claim scores); the alliance point is argued
    claims = [claim(f"e{i}", f"s{i % 2}", THEMES["empire"][i], start=50 * i, score=0.45) for i in range(3)]
    claims += [claim(f"a{i}", f"s{i}", THEMES["alliance"][i], start=500, score=0.9) for i in range(2)]
    order = [kp.label for kp in build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE).key_points]
    assert len(order) == 2 and "alliance" in order[0] and "empire" in order[1]


def test_a_question_neither_makes_a_point_shared_nor_joins_one():
    own = "the harbour levy will double ferry fares by next spring."
    asked = "will the harbour levy double ferry fares by next spring?"
    shared = ["the alliance expansion provoked the neighbour into attacking.",
              "alliance expansion eastward provoked the neighbour."]
    claims = [claim("a0", "s0", own, start=0), claim("q1", "s1", asked, start=0),
              claim("a1", "s0", shared[0], start=100), claim("c2", "s2", shared[1], start=0)]
    points = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=1).key_points
    # s1 only asks about the levy: the levy is s0's point alone, so the one shared point is the whole list
    assert [p.label for p in points] == [shared[0]] or [p.label for p in points] == [shared[1]]
    levy = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=COSINE, min_key_points=2).key_points[1]
    assert levy.label == own and levy.source_ids == ["s0"] and levy.claim_ids == ["a0"]


def test_cosines_of_row_pairs_gathered_in_blocks_equal_the_whole_computation():
    """``row_cosines`` gathers a block of row pairs at a time (two copies of every left-over claim's row held
    about 430 MB on the whole news corpus); every value must be what gathering all rows at once gives."""
    from cruxmap.map.keypoints import row_cosines

    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(300, 48)).astype(np.float32)
    rows, others = rng.integers(0, 300, size=257), rng.integers(0, 300, size=257)
    whole = np.einsum("ij,ij->i", vectors[rows], vectors[others])
    assert np.array_equal(row_cosines(vectors, rows, others, block=16), whole)
    assert np.array_equal(row_cosines(vectors, rows, others), whole)
    assert row_cosines(vectors, rows[:0], others[:0]).shape == (0,)


def test_the_matcher_holds_its_cross_encoder_until_released(monkeypatch):
    from cruxmap.map import matcher as matcher_module

    loads = []

    class FakeCross:
        def probabilities(self, pairs, release=False):
            return np.tile(np.array([[0.5, 0.5]], np.float32), (len(pairs), 1))

    monkeypatch.setattr(matcher_module, "_load_cross", lambda path: loads.append(path) or FakeCross())
    claims = ["the canal fees doubled overnight", "the ferry timetable changed again"]
    kps = ["canal fees rose", "ferries run less often"]
    emb = HashingEmbedder()
    matcher = KeyPointMatcher(cross=False)
    matcher.cross_path, matcher.blend = Path("fake.npz"), 0.5
    for _ in range(2):
        matcher.score_group(emb.embed(claims), claims, emb.embed(kps), kps)
    assert len(loads) == 1  # loaded once while held
    matcher.release()
    matcher.score_group(emb.embed(claims), claims, emb.embed(kps), kps)
    assert len(loads) == 2  # loaded again after the release


def test_building_key_points_releases_the_matchers_cross_encoder(monkeypatch):
    from cruxmap.map import matcher as matcher_module

    class FakeCross:
        def probabilities(self, pairs, release=False):
            return np.tile(np.array([[0.9, 0.1]], np.float32), (len(pairs), 1))

    monkeypatch.setattr(matcher_module, "_load_cross", lambda path: FakeCross())
    m = themed_map(6)
    m.claims += [claim("odd", "s0", "the ferry timetable was printed in green ink", start=900)]  # left over
    matcher = KeyPointMatcher()
    matcher.cross_path, matcher.blend = Path("fake.npz"), 0.5
    released = []
    monkeypatch.setattr(matcher, "release", lambda: released.append(True))
    build_key_points(m.claims, m.stances, ["H1", "H2"], HashingEmbedder(), matcher=matcher, min_key_points=1)
    assert released == [True]


def test_centred_rows_read_later_are_the_rows_of_the_centred_matrix_bit_for_bit():
    """After clustering, build_key_points reads the centred rows it needs from ``CentredRows`` instead of holding
    the corpus-sized centred copy; the labels and the cosine floor must see exactly the same numbers."""
    from cruxmap.map.keypoints import CentredRows, centred, medoid, row_cosines

    vectors, _ = blobs(30, 4, dim=40, seed=2)
    whole = centred(vectors)
    assert whole is not vectors
    rows = CentredRows(vectors)
    picked = [3, 17, 64, 99, 118]
    assert len(rows) == len(vectors)
    assert np.array_equal(rows[picked], whole[picked])
    assert np.array_equal(rows[np.arange(len(vectors))], whole)
    pairs, others = np.array([0, 5, 77]), np.array([9, 5, 101])
    assert np.array_equal(row_cosines(rows, pairs, others), row_cosines(whole, pairs, others))
    claims = [claim(f"c{i}", f"s{i % 3}", f"the river ferry number {i} runs late every single morning.")
              for i in range(len(vectors))]
    assert medoid(picked, rows, claims) == medoid(picked, whole, claims)


def test_the_clustering_reads_centred_rows_when_read_and_cuts_the_same_groups_bit_for_bit():
    """The clustering no longer needs the corpus-sized centred copy: fed ``CentredRows`` it gathers the sample and
    one block of rows at a time, and cuts exactly the groups it cuts on ``centred(vectors)``, on the exact path and
    on the sample + assign path."""
    from cruxmap.map.keypoints import CENTRED_GRID, CentredRows, centred

    vectors, _ = blobs(120, 6, dim=24, seed=5)
    vectors = vectors + 0.5 * np.ones_like(vectors)  # a shared direction, as every claim of one debate has
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    whole, rows = centred(vectors), CentredRows(vectors)
    exact_whole, exact_rows = cluster_vectors(whole, grid=CENTRED_GRID), cluster_vectors(rows, grid=CENTRED_GRID)
    assert np.array_equal(exact_whole.labels, exact_rows.labels) and exact_whole.threshold == exact_rows.threshold
    large_whole = cluster_large(whole, sample_size=150, grid=CENTRED_GRID)
    large_rows = cluster_large(rows, sample_size=150, grid=CENTRED_GRID)
    assert large_whole.method == "sample+assign" and large_whole.n_clusters > 1
    assert np.array_equal(large_whole.labels, large_rows.labels)


def test_centred_rows_are_used_exactly_where_centring_changes_the_vectors(monkeypatch):
    from cruxmap.map import keypoints
    from cruxmap.map.keypoints import MIN_CENTRE, CentredRows, centred, centred_rows

    few = np.eye(4, dtype=np.float32)[:3] + 1.0
    assert centred_rows(few) is few and centred(few) is few
    copies = np.tile(np.eye(8, dtype=np.float32)[:1], (MIN_CENTRE, 1))
    assert centred_rows(copies) is copies and centred(copies) is copies
    # rows in opposite pairs have the zero mean exactly; a zero row is then the mean itself, and the check
    # must find it in the last of several blocks
    half = np.random.default_rng(1).normal(size=(MIN_CENTRE, 8)).astype(np.float32)
    paired = np.concatenate([half, -half])
    monkeypatch.setattr(keypoints, "ROW_BLOCK", 16)
    assert isinstance(centred_rows(paired), CentredRows) and centred(paired) is not paired
    with_mean = np.concatenate([paired, np.zeros((1, 8), dtype=np.float32)])
    assert centred_rows(with_mean) is with_mean and centred(with_mean) is with_mean


# --------------------------------------------------------------------------- the same-point check

FARES = ["ferry fares will soar once the private operators leave the island route.",
         "ferry fares will soar when the private operators leave the island route.",
         "ferry fares will fall once rival private operators compete for the island route."]
SCHOOLS = ["the village school needs a second teacher before the autumn term.",
           "the village school needs another teacher before the autumn term starts."]


class DirectionCross:
    """A fake pair reader: two texts are one point when they share a direction word; ``forward`` is what it
    says of (claim, label) in that order and ``backward`` of (label, claim), when the directions differ."""

    def __init__(self, forward: float = 0.05, backward: float = 0.05):
        self.forward, self.backward = forward, backward
        self.seen: list[tuple[str, str]] = []

    def probabilities(self, pairs, release=False):
        self.seen.extend(pairs)
        out = []
        for a, b in pairs:
            same = any(w in a and w in b for w in ("soar", "fall", "school"))
            p = 0.95 if same else (self.forward if a in FARES[2:] else self.backward)
            out.append([p, 1 - p])
        return np.array(out, np.float32)


def _fares_matcher(monkeypatch, reader: DirectionCross, blend: float = 0.25) -> KeyPointMatcher:
    from cruxmap.map import matcher as matcher_module

    monkeypatch.setattr(matcher_module, "_load_cross", lambda path: reader)
    matcher = KeyPointMatcher()
    matcher.cross_path, matcher.blend = Path("fake.npz"), blend
    return matcher


def _fares_claims() -> list:
    return ([claim(f"f{i}", f"s{i}", text, start=0) for i, text in enumerate(FARES)]
            + [claim(f"v{i}", f"s{i}", text, start=500) for i, text in enumerate(SCHOOLS)])


def test_the_same_point_check_sends_away_a_member_that_says_the_opposite_of_its_label(monkeypatch):
    reader = DirectionCross()
    matcher = _fares_matcher(monkeypatch, reader)
    plain = build_key_points(_fares_claims(), [], ["H"], HashingEmbedder(), matcher=matcher, min_key_points=1,
                             same_point_min=None)
    fares = next(kp for kp in plain.key_points if "fare" in kp.label)
    assert fares.source_ids == ["s0", "s1", "s2"]  # one subject, cut as one group
    checked = build_key_points(_fares_claims(), [], ["H"], HashingEmbedder(), matcher=matcher, min_key_points=1,
                               same_point_min=0.5)
    fares = next(kp for kp in checked.key_points if "fare" in kp.label)
    assert "soar" in fares.label and fares.claim_ids == ["f0", "f1"] and fares.source_ids == ["s0", "s1"]
    assert (FARES[2], fares.label) in reader.seen and (fares.label, FARES[2]) in reader.seen  # both orders
    school = next(kp for kp in checked.key_points if "school" in kp.label)
    assert school.source_ids == ["s0", "s1"]  # members stating the label's point stay


def test_a_refused_member_never_rejoins_that_point_when_left_overs_are_attached(monkeypatch):
    # read as (claim, label) the fake says "match" (0.9), read as (label, claim) "no" (0.05): the mean, 0.475,
    # refuses it, while the attach step, which reads one order only, would put it back
    reader = DirectionCross(forward=0.9, backward=0.05)
    matcher = _fares_matcher(monkeypatch, reader, blend=1.0)
    checked = build_key_points(_fares_claims(), [], ["H"], HashingEmbedder(), matcher=matcher, min_key_points=1,
                               same_point_min=0.5, attach_min_cosine=0.0, attach_min=0.5)
    fares = next(kp for kp in checked.key_points if "fare" in kp.label)
    assert "f2" not in fares.claim_ids
    assert [c for c, _ in reader.seen].count(FARES[2]) >= 2  # read by the check, then again by the attach step


def test_a_point_left_with_one_source_by_the_check_is_no_longer_shared(monkeypatch):
    claims = [claim("f0", "s0", FARES[0], start=0), claim("f2", "s2", FARES[2], start=0),
              *[claim(f"v{i}", f"s{i}", text, start=500) for i, text in enumerate(SCHOOLS)]]
    matcher = _fares_matcher(monkeypatch, DirectionCross())
    plain = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=matcher, min_key_points=1,
                             same_point_min=None)
    assert any("fare" in kp.label for kp in plain.key_points)
    checked = build_key_points(claims, [], ["H"], HashingEmbedder(), matcher=matcher, min_key_points=1,
                               same_point_min=0.5)
    assert [kp.source_ids for kp in checked.key_points] == [["s0", "s1"]]  # only the school point is shared


def test_same_point_reads_each_pair_both_ways_and_averages(monkeypatch):
    from cruxmap.map import matcher as matcher_module

    class OrderedCross:
        def probabilities(self, pairs, release=False):
            return np.array([[0.8, 0.2] if a < b else [0.2, 0.8] for a, b in pairs], np.float32)

    monkeypatch.setattr(matcher_module, "_load_cross", lambda path: OrderedCross())
    matcher = KeyPointMatcher(cross=False)
    assert matcher.same_point([("a lighthouse", "b harbour")]) is None  # no pair reader: nothing read
    matcher.cross_path = Path("fake.npz")
    assert np.allclose(matcher.same_point([("a lighthouse", "b harbour"), ("b harbour", "a lighthouse")]), [0.5, 0.5])
    assert matcher.same_point([]).shape == (0,)
