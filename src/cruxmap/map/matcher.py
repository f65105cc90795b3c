"""Argument ↔ key-point matching: how well one claim expresses a key point.

Frozen sentence embeddings alone (cosine) rank argument/key-point pairs fairly well; a small
head trained on ArgKP-2021 *train* pairs (``scripts/train_keypoints.py``) does better. Its
features are the classic pair features of a bi-encoder — cosine, ``u*v``, ``|u−v|`` — plus a
few lexical-overlap numbers that embeddings blur (shared content words). The head is a
one-hidden-layer MLP whose weights live in ``resources/keypoints/head.npz``; the forward pass is
plain numpy, so matching needs neither torch nor scikit-learn. Without the weight file the
matcher falls back to cosine similarity and says so in ``kind``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

RESOURCE_DIR = Path(__file__).resolve().parents[1] / "resources" / "keypoints"
HEAD_FILE = RESOURCE_DIR / "head.npz"

_WORD = re.compile(r"[a-z0-9]+")
#: function words that carry no topic (short list, English)
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its this that these
    those there their they them he she his her we our you your i me my not no nor so than too very can could should
    would will shall may might must do does did doing have has had having which who whom what when where why how all
    any both each few more most other some such only own same just also into over under about against between through
    during before after above below up down out off again further then once here because while until""".split()
)
#: words whose presence in one text but not the other flips a statement
NEGATIONS = frozenset({"not", "no", "never", "nor", "cannot", "without", "none", "nothing", "neither"})

LEXICAL_NAMES = ("jaccard", "b_covered", "a_covered", "len_ratio", "negation_mismatch")


def content_tokens(text: str) -> set[str]:
    """Lower-cased content words, crudely stemmed to their first 6 letters (schools/school)."""
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1}


def has_negation(text: str) -> bool:
    words = set(_WORD.findall(text.lower().replace("n't", " not")))
    return bool(words & NEGATIONS)


def lexical_features(a: str, b: str) -> np.ndarray:
    """Overlap numbers for one pair: Jaccard, share of b's words in a, share of a's words in b,
    length ratio, and whether exactly one side is negated."""
    ta, tb = content_tokens(a), content_tokens(b)
    shared = len(ta & tb)
    union = len(ta | tb) or 1
    la, lb = len(a.split()) or 1, len(b.split()) or 1
    return np.array(
        [
            shared / union,
            shared / (len(tb) or 1),
            shared / (len(ta) or 1),
            min(la, lb) / max(la, lb),
            float(has_negation(a) != has_negation(b)),
        ],
        dtype=np.float32,
    )


def pair_features(u: np.ndarray, v: np.ndarray, a_texts: list[str], b_texts: list[str]) -> np.ndarray:
    """Feature rows for pairs (a_i, b_i): [cos, u*v, |u−v|, lexical…]; u, v are L2-normalised rows."""
    u = np.asarray(u, dtype=np.float32)
    v = np.asarray(v, dtype=np.float32)
    cos = np.sum(u * v, axis=1, keepdims=True)
    lex = np.stack([lexical_features(a, b) for a, b in zip(a_texts, b_texts)]) if len(a_texts) else np.zeros(
        (0, len(LEXICAL_NAMES)), dtype=np.float32
    )
    return np.hstack([cos, u * v, np.abs(u - v), lex]).astype(np.float32)


class KeyPointMatcher:
    """Scores (claim, key point) pairs in [0, 1]; ``kind`` is ``head`` or ``cosine`` (fallback)."""

    def __init__(self, head_file: Path | None = HEAD_FILE):
        self.kind = "cosine"
        self.record: dict = {}
        if head_file is not None and Path(head_file).is_file():
            with np.load(head_file) as data:
                self.mean = data["mean"]
                self.scale = data["scale"]
                self.w1, self.b1 = data["w1"], data["b1"]
                self.w2, self.b2 = data["w2"], data["b2"]
            record = Path(head_file).with_name("training_record.json")
            if record.is_file():
                self.record = json.loads(record.read_text(encoding="utf-8"))
            self.kind = "head"

    def score_features(self, features: np.ndarray) -> np.ndarray:
        """Match probability for prepared feature rows (cosine rescaled to [0, 1] without a head)."""
        if self.kind == "cosine":
            return (features[:, 0] + 1.0) / 2.0
        x = (features - self.mean) / self.scale
        hidden = np.maximum(x @ self.w1 + self.b1, 0.0)
        logits = hidden @ self.w2 + self.b2
        return (1.0 / (1.0 + np.exp(-logits.ravel()))).astype(np.float32)

    def score_pairs(self, u: np.ndarray, v: np.ndarray, a_texts: list[str], b_texts: list[str]) -> np.ndarray:
        return self.score_features(pair_features(u, v, a_texts, b_texts))

    def score_matrix(self, a_vecs: np.ndarray, a_texts: list[str], b_vecs: np.ndarray, b_texts: list[str]) -> np.ndarray:
        """All-pairs scores, shape (len(a), len(b))."""
        if not len(a_texts) or not len(b_texts):
            return np.zeros((len(a_texts), len(b_texts)), dtype=np.float32)
        ia, ib = np.meshgrid(np.arange(len(a_texts)), np.arange(len(b_texts)), indexing="ij")
        ia, ib = ia.ravel(), ib.ravel()
        scores = self.score_pairs(a_vecs[ia], b_vecs[ib], [a_texts[i] for i in ia], [b_texts[j] for j in ib])
        return scores.reshape(len(a_texts), len(b_texts))


@lru_cache(maxsize=1)
def default_matcher() -> KeyPointMatcher:
    return KeyPointMatcher()
