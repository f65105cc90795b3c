"""Argument ↔ key-point matching: how well each claim of a group expresses each key point.

Frozen MiniLM cosine alone ranks (argument, key point) pairs fairly well (ArgKP-2021 dev mAP
strict 0.72). Most of what it gets wrong is *relative*: a cosine of 0.5 is a strong match in one
topic and a weak one in another. So the matcher scores a whole group (the claims and key points
of one debate side) at once and feeds a small head *contextual* features of each pair — its
cosine, its margin over the claim's next-best key point, z-scores within the claim's row and the
key point's column, its rank, the cosine to the key point expanded with its five nearest claims,
both sides' similarity to the topic — plus lexical overlap (shared content words, negation
mismatch). The head (logistic regression or a one-hidden-layer MLP, chosen on dev by
``scripts/train_keypoints.py`` from ArgKP-2021 *train*) lives in ``resources/keypoints/head.npz``;
its forward pass is plain numpy. Without the file the matcher falls back to cosine (``kind``).
(Pair features u·v and |u−v| of the embeddings were tried first and overfit the 24 training
topics: dev mAP strict 0.66.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..settings import ArgKPOptions

RESOURCE_DIR = Path(__file__).resolve().parents[1] / "resources" / "keypoints"
HEAD_FILE = RESOURCE_DIR / "head.npz"
#: feature rows the matching head scores at once (bounds its working memory)
SCORE_BLOCK = 65_536
#: claims whose feature rows ``score_group`` builds and scores at once (4,096 claims × 40 key points × 18
#: features is 12 MB; a whole corpus at once would be tens of times more)
FEATURE_BLOCK = 4096
CROSS_FILE = "cross_encoder.npz"  # argument ↔ key-point cross-encoder (scripts/train_keypoint_cross.py)
CROSS_CLASSES = ("match", "other")
EXPANSION = 5  # nearest claims added to a key point's vector for the "expanded" cosine

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

CONTEXT_NAMES = ("cosine", "margin", "row_z", "col_z", "is_best", "log_rank", "claim_topic", "kp_topic",
                 "log_claim_words", "log_key_points", "expanded_cosine", "expanded_row_z", "expanded_margin")
LEXICAL_NAMES = ("jaccard", "kp_covered", "claim_covered", "len_ratio", "negation_mismatch")
FEATURE_NAMES = CONTEXT_NAMES + LEXICAL_NAMES


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
    return np.array([shared / union, shared / (len(tb) or 1), shared / (len(ta) or 1), min(la, lb) / max(la, lb),
                     float(has_negation(a) != has_negation(b))], dtype=np.float32)


def lexical_matrix(claim_texts: list[str], kp_texts: list[str]) -> np.ndarray:
    """``lexical_features`` for every (claim, key point) pair at once, shape (n, m, 5).

    Sparse word-incidence products instead of a Python loop over pairs, so attaching 20,000
    claims to 40 key points stays cheap.
    """
    from scipy.sparse import csr_matrix

    token_sets = [content_tokens(t) for t in [*claim_texts, *kp_texts]]
    vocab = {w: i for i, w in enumerate(sorted(set().union(*token_sets)))}
    rows = [r for r, toks in enumerate(token_sets) for _ in toks]
    cols = [vocab[w] for toks in token_sets for w in toks]
    incidence = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                           shape=(len(token_sets), max(len(vocab), 1)))
    n = len(claim_texts)
    shared = (incidence[:n] @ incidence[n:].T).toarray()
    sizes = np.array([len(t) for t in token_sets], dtype=np.float32)
    a_size, b_size = sizes[:n, None], sizes[None, n:]
    words = np.array([len(t.split()) or 1 for t in [*claim_texts, *kp_texts]], dtype=np.float32)
    a_words, b_words = words[:n, None], words[None, n:]
    negated = np.array([has_negation(t) for t in [*claim_texts, *kp_texts]])
    return np.stack([
        shared / np.maximum(a_size + b_size - shared, 1.0),
        shared / np.maximum(b_size, 1.0),
        shared / np.maximum(a_size, 1.0),
        np.minimum(a_words, b_words) / np.maximum(a_words, b_words),
        (negated[:n, None] != negated[None, n:]).astype(np.float32),
    ], axis=-1).astype(np.float32)


def _margin(sims: np.ndarray) -> np.ndarray:
    """Each cell minus the best *other* cell of its row."""
    if sims.shape[1] == 1:
        return np.zeros_like(sims)
    ordered = np.sort(sims, 1)
    best, second = ordered[:, -1:], ordered[:, -2:-1]
    return sims - np.where(sims >= best, second, best)


def _zscore(sims: np.ndarray, axis: int) -> np.ndarray:
    return (sims - sims.mean(axis, keepdims=True)) / (sims.std(axis, keepdims=True) + 1e-6)


@dataclass
class GroupContext:
    """What the feature rows of one group need from the whole group: every pair's cosine and
    expanded cosine, the key points' column statistics and both sides' similarity to the topic."""

    sims: np.ndarray  # (n, m) claim · key point
    esims: np.ndarray  # (n, m) claim · key point expanded with its nearest claims
    col_mean: np.ndarray  # (1, m)
    col_std: np.ndarray  # (1, m)
    claim_topic: np.ndarray  # (n,)
    kp_topic: np.ndarray  # (m,)


def group_context(claim_vecs: np.ndarray, kp_vecs: np.ndarray, topic_vec: np.ndarray | None = None,
                  claim_rows: np.ndarray | None = None) -> GroupContext:
    """``GroupContext`` of the claims ``claim_vecs[claim_rows]`` (all rows when None) and the key
    points; the rows are read in place, so a caller holding all vectors need not copy them."""
    rows = np.arange(len(claim_vecs)) if claim_rows is None else np.asarray(claim_rows)
    vecs = np.asarray(claim_vecs, dtype=np.float32)
    k = np.asarray(kp_vecs, dtype=np.float32)
    n = len(rows)
    sims = np.empty((n, len(k)), dtype=np.float32)
    claim_sum = np.zeros(k.shape[1], dtype=np.float64)
    for start in range(0, n, FEATURE_BLOCK):
        a = vecs[rows[start:start + FEATURE_BLOCK]]
        sims[start:start + FEATURE_BLOCK] = a @ k.T
        claim_sum += a.sum(0, dtype=np.float64)
    if topic_vec is None:  # the claims' centroid (summed block by block when the rows are a subset)
        topic_vec = vecs.mean(0) if claim_rows is None else (claim_sum / max(n, 1)).astype(np.float32)
    topic = topic_vec / (np.linalg.norm(topic_vec) or 1.0)
    nearest = np.argsort(-sims, 0, kind="stable")[: min(EXPANSION, n)]  # per key point its closest claims
    expanded = k + vecs[rows[nearest]].mean(0)
    expanded /= np.maximum(np.linalg.norm(expanded, axis=1, keepdims=True), 1e-12)
    esims = np.empty_like(sims)
    claim_topic = np.empty(n, dtype=np.float32)
    for start in range(0, n, FEATURE_BLOCK):
        a = vecs[rows[start:start + FEATURE_BLOCK]]
        esims[start:start + FEATURE_BLOCK] = a @ expanded.T
        claim_topic[start:start + FEATURE_BLOCK] = a @ topic
    return GroupContext(sims, esims, sims.mean(0, keepdims=True), sims.std(0, keepdims=True), claim_topic,
                        k @ topic)


def group_feature_rows(context: GroupContext, claim_texts: list[str], kp_texts: list[str], start: int = 0,
                       stop: int | None = None) -> np.ndarray:
    """Feature rows of the pairs of claims ``start:stop`` with every key point, claim-major:
    shape ((stop - start)·m, F). Every feature is read from the claim's own row or from the
    group context, so building the rows block by block gives the same rows as all at once."""
    stop = len(claim_texts) if stop is None else stop
    m = len(kp_texts)
    sims, esims = context.sims[start:stop], context.esims[start:stop]
    n = len(sims)
    rank = np.argsort(np.argsort(-sims, 1, kind="stable"), 1, kind="stable")
    words = np.log1p([len(t.split()) for t in claim_texts[start:stop]])
    columns = [
        sims, _margin(sims), _zscore(sims, 1), (sims - context.col_mean) / (context.col_std + 1e-6),
        (rank == 0), np.log1p(rank),
        np.repeat(context.claim_topic[start:stop, None], m, 1), np.repeat(context.kp_topic[None, :], n, 0),
        np.repeat(words[:, None], m, 1), np.full((n, m), np.log(m)), esims, _zscore(esims, 1), _margin(esims),
    ]
    out = np.empty((n, m, len(FEATURE_NAMES)), dtype=np.float32)  # filled column by column: no float64 copy
    for i, column in enumerate(columns):
        out[:, :, i] = column
    out[:, :, len(columns):] = lexical_matrix(claim_texts[start:stop], kp_texts).reshape(n, m, len(LEXICAL_NAMES))
    return out.reshape(n * m, len(FEATURE_NAMES))


def group_features(claim_vecs: np.ndarray, claim_texts: list[str], kp_vecs: np.ndarray, kp_texts: list[str],
                   topic_vec: np.ndarray | None = None) -> np.ndarray:
    """Feature rows for every (claim, key point) pair of one group, claim-major: shape (n·m, F).

    ``topic_vec`` is the embedded question (ArgKP: the topic); without it the centroid of the
    claims stands in.
    """
    n, m = len(claim_texts), len(kp_texts)
    if not n or not m:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    return group_feature_rows(group_context(claim_vecs, kp_vecs, topic_vec), claim_texts, kp_texts)


def blend_scores(head: np.ndarray, cross: np.ndarray, weight: float) -> np.ndarray:
    """Match probability from the head's and the cross-encoder's, mixed in log-odds space
    (``weight`` 0: the head alone, 1: the cross-encoder alone)."""
    def logit(p):
        p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
        return np.log(p) - np.log1p(-p)

    mixed = (1.0 - weight) * logit(head) + weight * logit(cross)
    return (1.0 / (1.0 + np.exp(-mixed))).astype(np.float32)


def _load_cross(path: str):
    import torch

    from ..argue.cross_encoder import CrossEncoder

    return CrossEncoder(path, CROSS_CLASSES, threads=torch.get_num_threads(), resource_dir=RESOURCE_DIR,
                        train_script="scripts/train_keypoint_cross.py")


class KeyPointMatcher:
    """Scores (claim, key point) pairs of a group in [0, 1]; ``kind`` is ``head+cross``, ``head`` or
    ``cosine`` (fallback).

    With the cross-encoder (``resources/keypoints/cross_encoder.npz``, trained by
    ``scripts/train_keypoint_cross.py``) each claim's ``cross_top`` best key points by the head are
    read again by the cross-encoder and the two scores blended (``blend_scores``, the weight in the
    training record, chosen on ArgKP-2021 dev); the other cells keep the head's score. What the
    cross-encoder adds on ArgKP-2021: ``docs/performance.md``.
    """

    #: the options a run may set (``map.argkp`` in the settings), checked by the registry
    options_model: ClassVar[type[ArgKPOptions]] = ArgKPOptions

    def __init__(self, head_file: Path | None = HEAD_FILE, cross: bool = True, cross_top: int = 3):
        self.kind = "cosine"
        self.record: dict = {}
        self.params: dict[str, np.ndarray] = {}
        self.cross_path: Path | None = None
        self.cross_top = cross_top
        self.blend = 0.0
        self._cross = None  # the cross-encoder, loaded on first use and held until ``release``
        if head_file is not None and Path(head_file).is_file():
            with np.load(head_file) as data:
                self.params = {name: data[name] for name in data.files}
            record = Path(head_file).with_name("training_record.json")
            if record.is_file():
                self.record = json.loads(record.read_text(encoding="utf-8"))
            self.kind = "head"
            path = Path(head_file).with_name(CROSS_FILE)
            if cross and path.is_file() and "cross_encoder" in self.record:
                self.cross_path = path
                self.blend = float(self.record["cross_encoder"]["blend"])
                self.kind = "head+cross"

    @property
    def uses_head(self) -> bool:
        return self.kind != "cosine"

    def release(self) -> None:
        """Let the cross-encoder leave memory (it is loaded again on the next use). The map stage calls this once
        the key points are matched, so that the model is not held through the camps, contradictions, ACH and
        cruxes."""
        self._cross = None

    def _cross_encoder(self):
        if self._cross is None:
            self._cross = _load_cross(str(self.cross_path))
        return self._cross

    def score_features(self, features: np.ndarray) -> np.ndarray:
        """Match probability for feature rows (cosine rescaled to [0, 1] without a head), ``SCORE_BLOCK``
        rows at a time, so the hidden layer's activations stay bounded whatever the corpus size."""
        if self.kind == "cosine":
            return ((features[:, 0] + 1.0) / 2.0).astype(np.float32)
        out = np.empty(len(features), dtype=np.float32)
        for start in range(0, len(features), SCORE_BLOCK):
            out[start:start + SCORE_BLOCK] = self._head(features[start:start + SCORE_BLOCK])
        return out

    def _head(self, features: np.ndarray) -> np.ndarray:
        p = self.params
        x = (features - p["mean"]) / p["scale"]
        if "w1" in p:  # one hidden ReLU layer
            x = np.maximum(x @ p["w1"] + p["b1"], 0.0)
            logits = x @ p["w2"] + p["b2"]
        else:  # logistic regression
            logits = x @ p["w"] + p["b"]
        return (1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64).ravel()))).astype(np.float32)

    def score_group(self, claim_vecs: np.ndarray | None, claim_texts: list[str], kp_vecs: np.ndarray | None,
                    kp_texts: list[str], topic_vec: np.ndarray | None = None, refine: np.ndarray | None = None,
                    context: GroupContext | None = None) -> np.ndarray:
        """Scores of every claim against every key point, shape (len(claims), len(key points)).

        ``context``: the group's ``group_context`` when the caller has it already (then
        ``claim_vecs``, ``kp_vecs`` and ``topic_vec`` are not read).
        ``refine`` (a boolean per claim) limits the cross-encoder to the claims whose scores can
        still matter to the caller; by default every claim's best key points are read again.
        Feature rows are built and scored ``FEATURE_BLOCK`` claims at a time.
        """
        if not len(claim_texts) or not len(kp_texts):
            return np.zeros((len(claim_texts), len(kp_texts)), dtype=np.float32)
        if context is None:
            if claim_vecs is None or kp_vecs is None:
                raise ValueError("score_group needs the claim and key-point vectors, or their context")
            context = group_context(claim_vecs, kp_vecs, topic_vec)
        n, m = len(claim_texts), len(kp_texts)
        scores = np.empty((n, m), dtype=np.float32)
        for start in range(0, n, FEATURE_BLOCK):
            stop = min(n, start + FEATURE_BLOCK)
            rows = group_feature_rows(context, claim_texts, kp_texts, start, stop)
            scores[start:stop] = self.score_features(rows).reshape(stop - start, m)
        if self.cross_path is None:
            return scores
        rows = np.flatnonzero(refine) if refine is not None else np.arange(len(claim_texts))
        if not len(rows):
            return scores
        top = np.argsort(-scores[rows], 1, kind="stable")[:, : self.cross_top]
        cells = [(int(r), int(c)) for r, cols in zip(rows, top) for c in cols]
        # read on top of the whole corpus's claim vectors (the run's peak): freed pages go back after each batch
        cross = self._cross_encoder().probabilities([(claim_texts[r], kp_texts[c]) for r, c in cells], release=True)
        r_idx, c_idx = np.array(cells).T
        scores[r_idx, c_idx] = blend_scores(scores[r_idx, c_idx], cross[:, 0], self.blend)
        return scores


    def same_point(self, pairs: list[tuple[str, str]]) -> np.ndarray | None:
        """How surely each pair of claims states one point: the cross-encoder's match probability read in
        both orders and averaged (a label and a member are two claims, neither of them the key point's
        wording). None without the cross-encoder."""
        if self.cross_path is None:
            return None
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        reads = self._cross_encoder().probabilities(list(pairs) + [(b, a) for a, b in pairs], release=True)[:, 0]
        return ((reads[: len(pairs)] + reads[len(pairs):]) / 2.0).astype(np.float32)


@lru_cache(maxsize=4)
def default_matcher(name: str = "argkp", **options: Any) -> KeyPointMatcher:
    """The key-point matcher backend ``name`` (registry kind ``matcher``) with ``options`` (``map.argkp``, checked
    by the registry), built once per process and options."""
    from .. import registry

    return registry.create("matcher", name, **options)
