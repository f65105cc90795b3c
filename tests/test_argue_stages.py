"""The argue stages end to end on hand-built documents, with small deterministic backends."""

from __future__ import annotations

import pytest
from test_claims import ARGUING, NARRATING, HashEmbedder, NegationStance, cue_head, sentences

from cruxmap import registry
from cruxmap.argue.claims import ClaimDetector
from cruxmap.argue.stages import ClaimStage, StanceStage, argue_stages, make_stance_classifier
from cruxmap.argue.stance.base import StanceResult
from cruxmap.argue.suggest import suggest_hypotheses
from cruxmap.errors import ConfigError
from cruxmap.model import Claim, Document, Hypothesis, Question, Source
from cruxmap.pipeline import Pipeline, Stage
from cruxmap.settings import Settings

HYPS = [Hypothesis(id="H1", statement="The bridge plan is a reckless plan."),
        Hypothesis(id="P1", statement="The harbour should stay open.", kind="proposition")]


class MemoryStore:
    """Just the content-hash cache part of the store interface."""

    def __init__(self):
        self.data: dict[tuple[str, str], bytes] = {}

    def get_cached(self, namespace, keys):
        return {k: self.data[(namespace, k)] for k in keys if (namespace, k) in self.data}

    def put_cached(self, namespace, items):
        self.data.update({(namespace, k): v for k, v in items.items()})


class GivenSentences(Stage):
    """Stands in for the annotate stage: the sentences are already on the documents."""

    name = "annotate"
    requires = ("text",)
    provides = ("sentences", "quotes")

    def __call__(self, doc):
        return doc


def make_doc(source_id, texts):
    sents = sentences(texts, source_id=source_id)
    text = " ".join(texts)
    return Document(source=Source(id=source_id, path=f"{source_id}.txt", sha256="0" * 64, text=text), sentences=sents)


@pytest.fixture(autouse=True)
def one_claim_is_enough(monkeypatch):
    """These tests follow claims through the stages; how much evidence a position needs is
    ``test_aggregate``'s subject, so here a single claim decides a source's position."""
    monkeypatch.setattr("cruxmap.argue.aggregate.MIN_LEAN", 0.5)


@pytest.fixture(autouse=True)
def fake_backends():
    registry.register("embedder", "hash.v1")(lambda store=None: HashEmbedder(store=store))
    registry.register("stance", "negation.v1")(lambda store=None, embedder=None: NegationStance(store=store))
    yield


def test_claim_then_stance_stage_in_a_pipeline():
    embedder = HashEmbedder()
    stages = [GivenSentences(), ClaimStage(ClaimDetector(embedder, head=cue_head())),
              StanceStage(NegationStance(), HYPS)]
    docs = [make_doc("a", ARGUING + NARRATING),
            make_doc("b", ["The bridge plan is not a reckless plan at all, we must admit.", NARRATING[0]])]
    out = Pipeline(stages, strict=True).run(docs)
    a, b = out
    assert [c.sentence_id for c in a.claims] == ["a:s0", "a:s1", "a:s2"]
    claim_level = [s for s in a.stances if s.target == "claim"]
    assert [(s.target_id, s.hypothesis_id) for s in claim_level] == [
        (c.id, h.id) for c in a.claims for h in HYPS]
    assert {s.label for s in claim_level} <= {"support", "oppose", "neutral"}
    source_level = {s.hypothesis_id: s for s in a.stances if s.target == "source"}
    assert list(source_level) == ["H1", "P1"] and source_level["H1"].label == "support"
    assert source_level["H1"].claim_ids == ["a:s0:c"] and source_level["P1"].label == "none"
    b_source = {s.hypothesis_id: s for s in b.stances if s.target == "source"}
    assert b_source["H1"].label == "oppose" and b_source["H1"].target_id == "b"
    assert a.done == ["annotate", "claims", "stance"]


def test_order_is_checked_before_any_model_runs():
    with pytest.raises(ConfigError, match="requires sentences"):
        Pipeline([ClaimStage(ClaimDetector(HashEmbedder(), head=cue_head()))])
    with pytest.raises(ConfigError, match="requires claims"):
        Pipeline([GivenSentences(), StanceStage(NegationStance(), HYPS)])

    class SentencesOnly(GivenSentences):
        provides = ("sentences",)

    with pytest.raises(ConfigError, match="requires quotes"):  # reported speech is not the author's position
        Pipeline([SentencesOnly(), ClaimStage(ClaimDetector(HashEmbedder(), head=cue_head())),
                  StanceStage(NegationStance(), HYPS)])


def test_each_sentence_is_embedded_once_per_run_with_a_store(settings):
    store = MemoryStore()
    embedder = HashEmbedder(store=store)
    stage = ClaimStage(ClaimDetector(embedder, head=cue_head()))
    docs = [make_doc("a", ARGUING), make_doc("b", ARGUING[:2] + NARRATING)]
    list(stage.pipe(docs))
    list(stage.pipe([make_doc("c", ARGUING)]))  # a second run over known sentences
    assert embedder.computed == len(set(ARGUING + NARRATING))


def test_argue_stages_choose_backends_by_name(settings):
    settings = settings.updated(**{"embedder": "hash", "stance.backend": "negation"})
    stages = argue_stages(settings, Question(hypotheses=HYPS))
    assert [s.name for s in stages] == ["claims", "stance"]
    assert stages[1].classifier.registry_name == "stance.negation.v1"
    assert stages[0].detector.embedder.registry_name == "embedder.hash.v1"
    # the pre-filter asked for by default fits only the embedder it was trained on: here every sentence is scored
    assert stages[0].registry_name == "claims.offline.v2" and ":pre" not in stages[0].version()
    plain = argue_stages(settings.updated(**{"claims.prefilter": False}), Question())[0]
    assert plain.version().startswith("claims.offline.v1:embedder.hash.v1:")
    only_claims = argue_stages(settings, Question())
    assert [s.name for s in only_claims] == ["claims"]
    with pytest.raises(ConfigError, match="unknown stance backend"):
        argue_stages(settings.updated(**{"stance.backend": "nope"}), Question(hypotheses=HYPS))


def test_claim_threshold_setting_reaches_the_detector_and_the_stage_version(settings, monkeypatch):
    settings = settings.model_copy(update={"embedder": "hash"})
    default = argue_stages(settings, Question())[0]
    assert default.detector.threshold == pytest.approx(default.detector.head.threshold)
    monkeypatch.setenv("CRUXMAP_CLAIM_THRESHOLD", "0.6")
    raised = argue_stages(Settings.load(embedder="hash"), Question())[0]
    assert raised.detector.threshold == pytest.approx(0.6) and ":t0.600:" in raised.version()
    assert raised.version() != default.version()
    # source positions weigh claims from the same threshold, and the stance stage's version says so
    _claims, stance = argue_stages(Settings.load(embedder="hash", **{"stance.backend": "negation"}), Question(hypotheses=HYPS))
    assert stance.claim_threshold == pytest.approx(0.6) and ":claims-from-t0.600:" in stance.version()
    monkeypatch.setenv("CRUXMAP_CLAIM_THRESHOLD", "1.5")
    with pytest.raises(ConfigError, match=r"^CRUXMAP_CLAIM_THRESHOLD: setting claims.threshold = '1.5': .*1"):
        Settings.load()


def test_hf_and_llm_settings_reach_their_backends(settings):
    with pytest.raises(ConfigError, match="stance.hf.model_dir"):
        make_stance_classifier(settings.updated(**{"stance.backend": "hf", "stance.hf.model_dir": None}))
    llm = make_stance_classifier(settings.updated(stance={"backend": "llm", "llm": {
        "base_url": "http://127.0.0.1:9/v1", "model": "m", "api_key_env": "X_KEY", "concurrency": 3,
        "max_requests_per_second": 2.0}}))
    assert llm.url == "http://127.0.0.1:9/v1/chat/completions" and llm.api_key_env == "X_KEY"
    assert llm.concurrency == 3 and llm.limiter.interval == pytest.approx(0.5)


def claim_doc(source_id, texts):
    doc = make_doc(source_id, texts)
    doc.claims = [Claim(id=f"{s.id}:c", source_id=source_id, sentence_id=s.id, start=s.start, end=s.end,
                        text=s.text, score=0.9) for s in doc.sentences]
    return doc


def test_suggest_prefers_contested_claims():
    docs = [
        claim_doc("a", ["The harbour tax is a fair price for clean water.", "Cats sleep a lot during the day."]),
        claim_doc("b", ["The harbour tax is not a fair price for clean water.", "Rivers flood in spring."]),
        claim_doc("c", ["The rivers flood in spring every year.", "Old trains rarely run on time."]),
    ]
    suggested = suggest_hypotheses(docs, HashEmbedder(), NegationStance(), k=2)
    assert [h.id for h in suggested] == ["S1", "S2"]
    assert all(h.suggested and h.kind == "hypothesis" for h in suggested)
    assert "harbour tax" in suggested[0].statement  # contested across a and b
    assert "rivers flood" in suggested[1].statement.lower()  # echoed by two sources, nobody opposes
    assert suggest_hypotheses(docs, HashEmbedder(), NegationStance(), k=2) == suggested  # deterministic


def test_suggest_never_offers_a_fragment_or_a_question():
    """Contested, but not statements a reader could weigh on their own: not suggested."""
    docs = [
        claim_doc("a", ["It is a fair price.", "Is the harbour tax a fair price for clean water?",
                        "The harbour tax is a fair price for clean water."]),
        claim_doc("b", ["It is not a fair price.", "The harbour tax is not a fair price for clean water."]),
    ]
    statements = [h.statement for h in suggest_hypotheses(docs, HashEmbedder(), NegationStance(), k=5)]
    assert statements and all("harbour tax" in s and not s.endswith("?") for s in statements)


def test_suggest_needs_two_sources():
    assert suggest_hypotheses([claim_doc("a", ARGUING)], HashEmbedder(), NegationStance()) == []


class EverythingRelated(NegationStance):
    """Calls every pair related, like the offline models within one debate; positions are then
    read from each claim's nearest hypothesis."""

    addressed_by_nearest = True

    def classify_batch(self, pairs):
        return [StanceResult("oppose" if "not" in text.split() else "support", 0.9) for text, _ in pairs]


def test_offline_style_backends_read_positions_from_the_nearest_hypothesis():
    hyps = [Hypothesis(id="H1", statement="The bridge plan is a reckless plan."),
            Hypothesis(id="H2", statement="The harbour should stay open for the fishing fleet.")]
    doc = make_doc("a", ["The bridge plan is a reckless plan, we must admit.",
                         "The harbour should not stay open for the fishing fleet, it is far too costly."])
    doc.claims = [Claim(id=f"a:s{i}:c", source_id="a", sentence_id=s.id, start=s.start, end=s.end, text=s.text,
                        score=0.9) for i, s in enumerate(doc.sentences)]
    stage = StanceStage(EverythingRelated(), hyps, embedder=HashEmbedder())
    assert ":addressed-by-nearest:claims-from-t" in stage.version()
    out = stage(doc)
    claim_level = {(s.target_id, s.hypothesis_id): s.label for s in out.stances if s.target == "claim"}
    assert claim_level[("a:s1:c", "H1")] == "oppose"  # claim-level rows still rate every hypothesis
    source_level = {s.hypothesis_id: s for s in out.stances if s.target == "source"}
    assert source_level["H1"].label == "support" and source_level["H1"].claim_ids == ["a:s0:c"]
    assert source_level["H2"].label == "oppose" and source_level["H2"].claim_ids == ["a:s1:c"]
    # without the flag (hf, llm) every related claim counts towards every hypothesis
    plain = StanceStage(NegationStance(), hyps, embedder=HashEmbedder())
    assert "addressed-by-nearest" not in plain.version()
    single = StanceStage(EverythingRelated(), hyps[:1], embedder=HashEmbedder())
    assert "addressed-by-nearest" not in single.version()  # one hypothesis: nothing to choose
