"""Deterministic clustering of sentence embeddings into groups that say the same thing.

Up to ``EXACT_LIMIT`` items: average-linkage agglomerative clustering on cosine distance
(scipy), cut at a distance threshold chosen automatically: among the candidate cuts that are
*stable* (clustering 90 % of the items gives nearly the same groups, adjusted Rand ≥
``STABILITY_MIN``), those within ``SILHOUETTE_TOLERANCE`` of the best silhouette compete, and
the one closest to ``PRIOR_THRESHOLD`` wins. On sentence embeddings the silhouette curve is
nearly flat (PERSPECTRUM dev: 0.28–0.30 over cuts 0.25–0.55), so silhouette alone picks a cut
that merges too much; the prior (0.3, tuned on PERSPECTRUM dev perspective clusters) is moved
only when another cut is clearly better. Fewer than ``MIN_AUTO`` items: the prior is used. Average linkage needs the O(n²) condensed
distance matrix (20,000 items → 1.6 GB), so above ``EXACT_LIMIT`` items we cluster a
deterministic sample exactly and assign every other item to its nearest cluster centroid
(blocked matrix products: O(n·k)); items far from every centroid are clustered again the
same way. Cost then grows linearly in n for a fixed sample size.

Same input → same labels: items are processed in the order given (callers sort them), the
sample is drawn with a fixed seed, and cluster labels are renumbered by first appearance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

EXACT_LIMIT = 5000
SAMPLE_SIZE = 4000
#: cosine-distance cuts tried when the threshold is chosen automatically
THRESHOLD_GRID = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
STABILITY_MIN = 0.8
PRIOR_THRESHOLD = 0.3
SILHOUETTE_TOLERANCE = 0.02
MIN_AUTO = 40
SILHOUETTE_SAMPLE = 2000
SEED = 13


class RowSource(Protocol):
    """Rows computed when they are read (``keypoints.CentredRows``): a length, and rows by index or slice."""

    def __len__(self) -> int: ...

    def __getitem__(self, rows) -> np.ndarray: ...


@dataclass
class Clustering:
    labels: np.ndarray  # int cluster label per item, numbered by first appearance
    threshold: float
    method: str  # "exact" or "sample+assign"
    silhouette: float | None = None
    stability: float | None = None
    tried: list[dict] = field(default_factory=list)

    @property
    def n_clusters(self) -> int:
        return int(self.labels.max()) + 1 if len(self.labels) else 0


def renumber(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0, 1, 2… in order of first appearance (so labels do not depend on scipy's ids)."""
    mapping: dict[int, int] = {}
    out = np.empty(len(labels), dtype=np.int64)
    for i, lab in enumerate(labels):
        out[i] = mapping.setdefault(int(lab), len(mapping))
    return out


def _linkage(vectors: np.ndarray):
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist

    dist = pdist(vectors.astype(np.float64), metric="cosine")
    np.clip(dist, 0.0, 2.0, out=dist)
    return linkage(dist, method="average")


def _cut(tree, threshold: float) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster

    return renumber(fcluster(tree, t=threshold, criterion="distance"))


def _silhouette(vectors: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import silhouette_score

    if len(labels) > SILHOUETTE_SAMPLE:  # a fixed-seed sample keeps the cost bounded
        keep = np.sort(np.random.default_rng(SEED).choice(len(labels), size=SILHOUETTE_SAMPLE, replace=False))
        vectors, labels = vectors[keep], labels[keep]
    k = len(set(labels.tolist()))
    if k < 2 or k >= len(labels):
        return -1.0
    return float(silhouette_score(vectors, labels, metric="cosine"))


def _stability(vectors: np.ndarray, labels: np.ndarray, threshold: float, keep: np.ndarray, tree_sub) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(labels[keep], _cut(tree_sub, threshold)))


def cluster_exact(vectors: np.ndarray, threshold: float | None = None, grid=THRESHOLD_GRID) -> Clustering:
    """Average-linkage clustering on cosine distance; ``threshold=None`` chooses the cut."""
    n = len(vectors)
    if n == 0:
        return Clustering(np.zeros(0, dtype=np.int64), threshold or 0.0, "exact")
    if n == 1:
        return Clustering(np.zeros(1, dtype=np.int64), threshold or 0.0, "exact")
    tree = _linkage(vectors)
    if threshold is None and n < MIN_AUTO:
        threshold = PRIOR_THRESHOLD
    if threshold is not None:
        return Clustering(_cut(tree, threshold), threshold, "exact")
    rng = np.random.default_rng(SEED)
    keep = np.sort(rng.choice(n, size=max(2, round(n * 0.9)), replace=False))
    tree_sub = _linkage(vectors[keep]) if len(keep) >= 2 else None
    tried = []
    for t in grid:
        labels = _cut(tree, t)
        tried.append({"threshold": t, "clusters": int(labels.max()) + 1, "silhouette": _silhouette(vectors, labels),
                      "stability": _stability(vectors, labels, t, keep, tree_sub) if tree_sub is not None else 1.0})
    stable = [row for row in tried if row["stability"] >= STABILITY_MIN] or tried
    top = max(row["silhouette"] for row in stable)
    close = [row for row in stable if row["silhouette"] >= top - SILHOUETTE_TOLERANCE]
    best = min(close, key=lambda row: (abs(row["threshold"] - PRIOR_THRESHOLD), row["threshold"]))
    labels = _cut(tree, best["threshold"])
    return Clustering(labels, best["threshold"], "exact", best["silhouette"], best["stability"], tried)


def _nearest(vectors: np.ndarray | RowSource, centroids: np.ndarray, rows: np.ndarray | None = None,
             block: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Index of and cosine similarity to the nearest centroid for each of ``rows`` of ``vectors`` (default:
    all), in blocks to bound memory: the rows are gathered a block at a time, never copied whole."""
    n = len(vectors) if rows is None else len(rows)
    best = np.empty(n, dtype=np.int64)
    sims = np.empty(n, dtype=np.float32)
    for start in range(0, n, block):
        part = vectors[start:start + block] if rows is None else vectors[rows[start:start + block]]
        s = part @ centroids.T
        best[start:start + block] = s.argmax(1)
        sims[start:start + block] = s.max(1)
    return best, sims


def _normalise(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def cluster_large(vectors: np.ndarray | RowSource, threshold: float | None = None, sample_size: int = SAMPLE_SIZE,
                  max_rounds: int = 4, grid: tuple[float, ...] = THRESHOLD_GRID) -> Clustering:
    """Sample + exact clustering + nearest-centroid assignment, repeated on the items left over."""
    n = len(vectors)
    labels = np.full(n, -1, dtype=np.int64)
    rng = np.random.default_rng(SEED)
    chosen = threshold
    first: Clustering | None = None
    next_label = 0
    remaining = np.arange(n)
    for round_no in range(max_rounds):
        if len(remaining) == 0:
            break
        if len(remaining) <= sample_size or round_no == max_rounds - 1 and len(remaining) <= EXACT_LIMIT:
            sub = cluster_exact(vectors[remaining], chosen, grid)
            labels[remaining] = sub.labels + next_label
            first = first or sub
            remaining = remaining[:0]
            break
        sample = np.sort(rng.choice(remaining, size=sample_size, replace=False))
        sub = cluster_exact(vectors[sample], chosen, grid)
        first = first or sub
        chosen = sub.threshold
        k = sub.n_clusters
        sampled = vectors[sample]  # gathered once, not once per cluster (3,500 copies of the sample)
        centroids = _normalise(np.stack([sampled[sub.labels == c].mean(0) for c in range(k)]))
        del sampled
        nearest, sims = _nearest(vectors, centroids, remaining)
        # an item joins a cluster when it is as close to the centroid as the cut allows
        fits = sims >= 1.0 - chosen
        labels[remaining[fits]] = nearest[fits] + next_label
        labels[sample] = sub.labels + next_label
        next_label += k
        remaining = remaining[(~fits) & ~np.isin(remaining, sample)]
    if len(remaining):  # whatever is left after the last round stays on its own
        labels[remaining] = np.arange(len(remaining)) + next_label
    return Clustering(renumber(labels), float(chosen if chosen is not None else 0.0), "sample+assign",
                      first.silhouette if first else None, first.stability if first else None,
                      first.tried if first else [])


def cluster_vectors(vectors: np.ndarray | RowSource, threshold: float | None = None,
                    grid: tuple[float, ...] = THRESHOLD_GRID) -> Clustering:
    """Cluster L2-normalised rows; exact up to ``EXACT_LIMIT`` items, sample + assign above. With no
    ``threshold`` the cut is chosen among ``grid``.

    ``vectors`` may be rows computed when read (a ``RowSource``): above ``EXACT_LIMIT`` only the sample
    and one block of rows at a time are then computed, so no corpus-sized copy is made (the centred
    claim vectors, 218 MB at 142,000 claims); at or below it the rows are gathered once."""
    if not isinstance(vectors, np.ndarray):
        if len(vectors) > EXACT_LIMIT:
            return cluster_large(vectors, threshold, grid=grid)
        vectors = vectors[np.arange(len(vectors))]
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) <= EXACT_LIMIT:
        return cluster_exact(vectors, threshold, grid)
    return cluster_large(vectors, threshold, grid=grid)
