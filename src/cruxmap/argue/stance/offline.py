"""Offline stance backend ``stance.offline.v1``: a small MLP head on frozen MiniLM pair features.

Runs on 2 CPU cores with no model hub: the embedder is all-MiniLM-L6-v2 from its PyPI package
and the head (``resources/stance/stance_head.npz``, plain numpy arrays, no pickle) was trained by
``scripts/train_stance.py``; ``training_record.json`` next to it says on which data, with which
settings and dev scores. The head has four classes — support, oppose, discuss (related but
taking no position) and unrelated — and the backend reports discuss+unrelated as ``neutral``.
Two heads share the file: one for long texts (news bodies vs a headline or hypothesis, trained on
FNC-1), one general head for sentences and short passages (all the training data); mixing
both kinds of data in a single head cost ~5 points of FNC-1 macro-F1 on dev.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...errors import CruxmapError
from ...registry import name_of, takes_options, version_of
from ...settings import CrossStanceOptions, OfflineStanceOptions
from ...weights import file_sha256, weight_name
from ..examples import TEMPERATURE as EXAMPLE_TEMPERATURE
from ..features import SCALAR_COUNT, SENTENCE_COUNT_SCALAR, feature_count, pair_features
from .base import StanceClassifier, StanceResult

HEAD_CLASSES = ("support", "oppose", "discuss", "unrelated")
RESOURCE_DIR = Path(__file__).resolve().parents[2] / "resources" / "stance"
CROSS_FILE = "cross_encoder.npz"  # the cross-encoder of stance.offline.v2 (scripts/train_cross_encoder.py)
WEIGHTS_FILE = "stance_head.npz"


class StanceModelMissing(CruxmapError):
    code = "model-missing"


def fnc_label(head_class: str) -> str:
    """Head class → FNC-1 label (agree / disagree / discuss / unrelated)."""
    return {"support": "agree", "oppose": "disagree"}.get(head_class, head_class)


def _mlp_probabilities(params: dict[str, np.ndarray], features: np.ndarray, prefix: str = "") -> np.ndarray:
    """Standardise, (Linear+ReLU)*, Linear, softmax for the head whose arrays start with ``prefix``."""
    x, scale = features - params[f"{prefix}mean"], params[f"{prefix}scale"]
    if np.result_type(x, scale) == x.dtype:  # in place: the same values, without a third matrix of this size
        x /= scale
    else:
        x = x / scale
    layers = sorted(int(k[len(prefix) + 1:]) for k in params if k.startswith(f"{prefix}w"))
    for i in layers:
        x = x @ params[f"{prefix}w{i}"] + params[f"{prefix}b{i}"]
        if i != layers[-1]:
            x = np.maximum(x, 0.0)
    x = x - x.max(1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(1, keepdims=True)


def sentence_counts(features: np.ndarray) -> np.ndarray:
    """Sentences in each pair's text, read back from the features (``log1p(count)`` column)."""
    return np.rint(np.expm1(features[:, features.shape[1] - SCALAR_COUNT + SENTENCE_COUNT_SCALAR]))


def head_probabilities(params: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
    """(n, 4) probabilities. A routed head file holds a ``doc_`` head for long texts (news bodies,
    at least ``route_min_sentences`` sentences) and a ``gen_`` head for everything else."""
    if "route_min_sentences" not in params:
        return _mlp_probabilities(params, features)
    probs = _mlp_probabilities(params, features, "gen_")
    long_text = sentence_counts(features) >= float(params["route_min_sentences"])
    if long_text.any():
        probs[long_text] = _mlp_probabilities(params, features[long_text], "doc_")
    return probs


def load_head(path: Path | None = None) -> dict[str, np.ndarray]:
    path = path or RESOURCE_DIR / WEIGHTS_FILE
    if not path.is_file():
        raise StanceModelMissing("stance head weights not found", path=str(path),
                                 fix="reinstall cruxmap or run: python scripts/train_stance.py final")
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


class OfflineStanceClassifier(StanceClassifier):
    """(text, hypothesis) → support / oppose / neutral from MiniLM features and the trained head."""

    example_temperature = EXAMPLE_TEMPERATURE
    addressed_by_nearest = True

    def __init__(self, store=None, embedder=None, weights: str | Path | None = None):
        super().__init__(store=store)
        if embedder is None:
            from ..minilm import MiniLMEmbedder

            embedder = MiniLMEmbedder(store=store)
        self.embedder = embedder
        weights_path = Path(weights) if weights else RESOURCE_DIR / WEIGHTS_FILE
        self.params = load_head(weights_path)
        self.weights_sha256 = file_sha256(weights_path)
        self.weights_path = weights_path
        expected = feature_count(embedder.dim)
        got = next(v.shape[0] for k, v in self.params.items() if k.endswith("mean"))
        if got != expected:
            raise StanceModelMissing(f"stance head expects {got} features, "
                                     f"the embedder gives {expected}", fix="retrain with scripts/train_stance.py")

    def weight_files(self) -> dict[str, str]:
        return {weight_name(self.weights_path): self.weights_sha256}

    def cache_namespace(self) -> str:
        # cached results belong to one head file: a retrained head must not reuse them
        return version_of(self, self.weights_sha256[:12])

    def head_probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Four-class probabilities (support, oppose, discuss, unrelated) per pair."""
        return head_probabilities(self.params, pair_features(pairs, self.embedder))

    def classify_fnc(self, pairs: list[tuple[str, str]]) -> list[str]:
        """FNC-1's four labels (agree / disagree / discuss / unrelated) for (body, headline) pairs."""
        probs = self.head_probabilities(list(pairs))
        return [fnc_label(HEAD_CLASSES[i]) for i in probs.argmax(1)]

    def classify_batch(self, pairs: list[tuple[str, str]]) -> list[StanceResult]:
        probs = self.head_probabilities(pairs)
        results = []
        for support, oppose, discuss, unrelated in probs.tolist():
            three = (support, oppose, discuss + unrelated)
            best = int(np.argmax(three))
            results.append(StanceResult(("support", "oppose", "neutral")[best], float(three[best]), three))
        return results

    def manifest(self) -> dict:
        """What a run records about this backend: weight hashes and the training record."""
        record_path = RESOURCE_DIR / "training_record.json"
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
        return {"backend": name_of(self),
                "weights_sha256": self.weights_sha256,
                "embedder_sha256": getattr(self.embedder, "weights_sha256", None),
                "trained": record.get("date")}


@takes_options(OfflineStanceOptions)
def create_offline_stance(store=None, **options) -> OfflineStanceClassifier:
    return OfflineStanceClassifier(store=store, **options)


#: a pair goes to the cross-encoder only if the frozen head gives it at least this support+oppose
#: mass. Below it neutral outweighs support and oppose together, so the label is neutral
#: whichever way the pair leans: skipping those pairs changes no label and saves most of the
#: cross-encoder's cost on a large corpus, where most claims do not bear on a given hypothesis.
CROSS_GATE = 0.5
#: weight of the head's own support/oppose log-odds next to the cross-encoder's (chosen on dev)
HEAD_DIRECTION_WEIGHT = 0.25


def combine(head: np.ndarray, cross: np.ndarray, head_weight: float = HEAD_DIRECTION_WEIGHT) -> np.ndarray:
    """(n, 4) probabilities: relatedness and the discuss/unrelated split from the head, the
    direction (support vs oppose) from the cross-encoder's log-odds plus ``head_weight`` times the head's."""
    log_odds = (np.log(cross[:, 0] + 1e-6) - np.log(cross[:, 1] + 1e-6)
                + head_weight * (np.log(head[:, 0] + 1e-6) - np.log(head[:, 1] + 1e-6)))
    support_share = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -50.0, 50.0)))
    related = head[:, 0] + head[:, 1]
    return np.stack([related * support_share, related * (1.0 - support_share), head[:, 2], head[:, 3]], 1)


class CrossStanceClassifier(OfflineStanceClassifier):
    """``stance.offline.v2``: the v1 head, joined on short texts by a fine-tuned MiniLM cross-encoder.

    The frozen head tells well whether a text bears on a hypothesis (it reads them as two
    separate sentence vectors) and poorly which way it leans. The cross-encoder
    (``argue/cross_encoder.py``) reads them together. For texts shorter than the head's routing
    threshold (sentences, claims,
    comments) that the head finds related (``CROSS_GATE``), the direction comes mostly from the
    cross-encoder (``combine``); news bodies keep the document head alone.

    The head weight was chosen on the dev splits; v1 against v2 there: ``docs/performance.md``.
    """

    def __init__(self, store=None, embedder=None, weights: str | Path | None = None,
                 cross_weights: str | Path | None = None, threads: int | None = None):
        super().__init__(store=store, embedder=embedder, weights=weights)
        from ..cross_encoder import shared_cross_encoder

        path = Path(cross_weights) if cross_weights else RESOURCE_DIR / CROSS_FILE
        self.cross = shared_cross_encoder(path, HEAD_CLASSES, threads=threads or _torch_threads(),
                                          train_script="scripts/train_cross_encoder.py")
        self.cross_sha256 = file_sha256(path)
        self.cross_path = path

    def weight_files(self) -> dict[str, str]:
        return {**super().weight_files(), weight_name(self.cross_path): self.cross_sha256}

    def cache_namespace(self) -> str:
        return version_of(self, self.weights_sha256[:12], self.cross_sha256[:12])

    def head_probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        features = pair_features(pairs, self.embedder)
        probs = head_probabilities(self.params, features)
        short = np.ones(len(pairs), dtype=bool)
        if "route_min_sentences" in self.params:
            short = sentence_counts(features) < float(self.params["route_min_sentences"])
        del features  # the cross-encoder's activations need the room (9,000 pairs of a chunk: 98 MB)
        chosen = np.flatnonzero(short & (probs[:, 0] + probs[:, 1] >= CROSS_GATE))
        if len(chosen):
            probs[chosen] = combine(probs[chosen], self.cross.probabilities([pairs[i] for i in chosen]))
        return probs

    def manifest(self) -> dict:
        return {**super().manifest(), "cross_encoder_sha256": self.cross_sha256}


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


@takes_options(CrossStanceOptions)
def create_cross_stance(store=None, **options) -> CrossStanceClassifier:
    return CrossStanceClassifier(store=store, **options)
