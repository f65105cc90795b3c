"""Every key-point label, crux and suggested hypothesis of a real map reads on its own.

A map is read label by label: a label that is a fragment ("Start with the plants we have."), a
question, boilerplate or a sentence leaning on the one before it ("Either way, …") says nothing to
the reader who meets it in a list. This scans the maps of the example corpus, the seeds (with the
NATO question and without any question, where cruxmap suggests the hypotheses) and one dev debate.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from cruxmap import api
from cruxmap.map.keypoints import label_worthy
from cruxmap.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DEBATE = SHARED / "debates" / "illegal-immigration"
NEWS = SHARED / "data" / "news_article_bias" / "articles_subset.jsonl"


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("labels")
    settings = Settings(db=str(tmp / "db.sqlite"))
    out = {"example corpus": api.analyze([ROOT / "examples" / "corpus"], question=ROOT / "examples" / "question.yaml",
                                         settings=settings)}
    if SEEDS.is_dir():
        out["seeds"] = api.analyze([SEEDS], question=ROOT / "examples" / "nato" / "question.yaml", settings=settings)
        out["seeds, no question"] = api.analyze([SEEDS], settings=settings)
    if DEBATE.is_dir() and NEWS.is_file():
        from cruxmap.bench.source_stance import build_articles

        with tempfile.TemporaryDirectory() as built:
            corpus = build_articles(DEBATE, SHARED / "data", Path(built) / "illegal-immigration")
            out["illegal-immigration"] = api.analyze([corpus], question=DEBATE / "question.yaml", settings=settings)
    return out


def test_the_shared_corpora_are_there_or_the_scan_says_what_it_skipped(maps):
    if len(maps) < 4:
        pytest.skip(f"scanned only {sorted(maps)}: ../shared (seeds, debates, data) not found beside the checkout")


@pytest.mark.models
def test_no_key_point_label_crux_or_suggested_hypothesis_is_a_fragment(maps):
    bad = []
    for name, debate_map in maps.items():
        labels = [("key point", kp.label) for kp in debate_map.key_points]
        labels += [("crux", c.statement) for c in debate_map.cruxes if c.kind == "key_point"]
        labels += [("suggested hypothesis", h.statement) for h in debate_map.hypotheses if h.suggested]
        bad += [f"{name}: {kind}: {text!r}" for kind, text in labels if not label_worthy(text)]
    assert not bad, "\n".join(bad)
    assert all(m.key_points for m in maps.values())  # the scan read labels, it did not pass on empty maps
    if "seeds, no question" in maps:
        assert any(h.suggested for h in maps["seeds, no question"].hypotheses)


@pytest.mark.models
def test_a_key_points_prevalence_counts_its_sources(maps):
    for debate_map in maps.values():
        claims = {c.id: c for c in debate_map.claims}
        for kp in debate_map.key_points:
            assert sorted(set(kp.source_ids)) == sorted(kp.source_ids)
            assert set(kp.source_ids) == {claims[c].source_id for c in kp.claim_ids}


@pytest.mark.models
def test_a_noun_phrase_with_a_full_stop_is_no_label_and_an_imperative_is():
    from cruxmap.map.clauses import clauses

    texts = ["A sharp cut in the city's morning traffic.", "Repeal the tax on medical devices at once.",
             "The council has doubled the fare twice since the spring.", "More money for the roads and fewer buses for everyone."]
    assert clauses(texts) == [False, True, True, False]


@pytest.mark.models
def test_every_label_of_the_scanned_maps_is_a_clause(maps):
    from cruxmap.map.clauses import clauses

    labels = [(name, kp.label) for name, debate_map in maps.items() for kp in debate_map.key_points]
    labels += [(name, h.statement) for name, m in maps.items() for h in m.hypotheses if h.suggested]
    verdicts = clauses([text for _, text in labels])
    assert labels and not [f"{name}: {text!r}" for (name, text), ok in zip(labels, verdicts) if not ok]


def test_a_clause_is_read_from_tags_finite_verbs_and_imperatives():
    from cruxmap.map.clauses import is_clause

    assert is_clause(["DT", "NNS", "VBP", "NN", "."])  # the rivers flood …
    assert is_clause(["VB", "DT", "NN", "."])  # Repeal the tax.
    assert is_clause(["RBR", "JJ", ",", "VB", "IN", "DT", "NN", "."])  # More important, look at the bill.
    assert not is_clause(["DT", "NN", "IN", "JJ", "NNS", "."])  # A reduction in harmful emissions.
    assert not is_clause(["TO", "VB", "DT", "NN", "."])  # To fix the roads.
