"""Camps: groups of sources that argue alike, found Polis-style.

Each source becomes a row of a source × feature matrix: for every key point, whether the
source makes it and which way its claims there lean (signed stance, averaged over hypotheses,
plus 1 for presence), and for every hypothesis the source-level signed stance score (weighted
double: it is the source's overall position). A claim's lean toward a hypothesis counts only
where the source's own position on it (the source table) has the same sign, as in the cruxes.
The rows are projected on their first two principal components and grouped by agglomerative
clustering (Ward, deterministic) with k from 2 to 5 chosen by silhouette, among the groupings
in which no camp holds two sources that take opposite positions on one item. Fewer than
``MIN_SOURCES`` sources, no source with a position, no variance, or no such grouping with a
silhouette of at least ``MIN_SILHOUETTE`` → one camp with a note that says why.

Each camp of a grouping carries its stability, after Hennig's ``clusterboot``: the grouping is
redone (same projection, same k) on ``RESAMPLES`` random 80 % subsets of the sources, and a camp's
stability is the mean over subsets of its best Jaccard overlap with a camp found there. Above 0.75
a camp is found again; below 0.5 it dissolves, and the note says so.

Only sources that take a side of some item in the source table are grouped: a camp says where
its members stand, and a source whose position could not be read stands nowhere that the map
knows (which key points it makes says what it talks about, not which side it is on). Those
sources are listed last, as one group marked ``unplaced`` with a note. With fewer than
``MIN_SOURCES`` placed sources, sources with the same positions form a camp each (tentative).
"""

from __future__ import annotations

import numpy as np

from ..model import Camp, Claim, KeyPoint, Stance
from .ach import leaning_scores
from .keypoints import signed_score, source_positions

MIN_SOURCES = 4
MAX_CAMPS = 5
MIN_SILHOUETTE = 0.25
POSITIONS_PER_CAMP = 3
RESAMPLES = 20
RESAMPLE_SHARE = 0.8
UNSTABLE = 0.5
#: MB of pairwise distances the silhouette computes at once (5,922 sources at once: 280 MB)
SILHOUETTE_WORKING_MB = 64


def source_features(source_ids: list[str], key_points: list[KeyPoint], claims: list[Claim], stances: list[Stance],
                    hypothesis_ids: list[str]) -> np.ndarray:
    """Rows = sources, columns = key points then hypotheses (see module docstring)."""
    claim_by_id = {c.id: c for c in claims}
    leaning = leaning_scores(stances)
    table = source_positions(stances)
    row_of = {s: i for i, s in enumerate(source_ids)}
    kp_part = np.zeros((len(source_ids), len(key_points)), dtype=np.float64)
    for j, kp in enumerate(key_points):
        lean: dict[str, list[float]] = {}
        for cid in kp.claim_ids:
            claim = claim_by_id.get(cid)
            if claim is None or claim.source_id not in row_of:
                continue
            values = [_agreeing(leaning.get((cid, h), 0.0), table.get((claim.source_id, h)))
                      for h in hypothesis_ids] or [0.0]
            lean.setdefault(claim.source_id, []).append(float(np.mean(values)))
        for source, values in lean.items():
            kp_part[row_of[source], j] = 1.0 + float(np.mean(values))
    hyp_part = np.zeros((len(source_ids), len(hypothesis_ids)), dtype=np.float64)
    hyp_col = {h: j for j, h in enumerate(hypothesis_ids)}
    for s in stances:
        if s.target == "source" and s.target_id in row_of and s.hypothesis_id in hyp_col:
            hyp_part[row_of[s.target_id], hyp_col[s.hypothesis_id]] = 2.0 * signed_score(s)
    return np.hstack([kp_part, hyp_part])


def _agreeing(value: float, position: str | None) -> float:
    """A claim's signed lean, kept only when the source's own position has the same sign."""
    return value if (value > 0 and position == "support") or (value < 0 and position == "oppose") else 0.0


def opposed_pairs(source_ids: list[str], stances: list[Stance]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of sources that take opposite positions on some item."""
    table = source_positions(stances)
    row_of = {s: i for i, s in enumerate(source_ids)}
    by_item: dict[str, dict[str, list[int]]] = {}
    for (source, item), label in table.items():
        if source in row_of:
            by_item.setdefault(item, {"support": [], "oppose": []})[label].append(row_of[source])
    return {(min(a, b), max(a, b)) for sides in by_item.values() for a in sides["support"] for b in sides["oppose"]}


def _one_camp(source_ids: list[str], note: str) -> list[Camp]:
    return [Camp(id="camp-1", source_ids=sorted(source_ids), positions=[], note=note)]


def distinguishing_key_points(features: np.ndarray, labels: np.ndarray, camp: int, key_points: list[KeyPoint],
                              limit: int = POSITIONS_PER_CAMP) -> list[str]:
    """Key points whose column mean in the camp most exceeds the mean outside it."""
    inside = features[labels == camp, : len(key_points)]
    outside = features[labels != camp, : len(key_points)]
    if not len(key_points) or not len(inside):
        return []
    gap = inside.mean(0) - (outside.mean(0) if len(outside) else 0.0)
    order = sorted(range(len(key_points)), key=lambda j: (-round(float(gap[j]), 9), key_points[j].id))
    return [key_points[j].id for j in order if gap[j] > 0][:limit]


def build_camps(source_ids: list[str], key_points: list[KeyPoint], claims: list[Claim], stances: list[Stance],
                hypothesis_ids: list[str]) -> list[Camp]:
    """Group the sources that take a side into 1–5 camps (one camp with a note when the data cannot
    support a grouping), then the sources that take none as one ``unplaced`` group."""
    source_ids = sorted(source_ids)
    n = len(source_ids)
    if n == 0:
        return []
    if n < MIN_SOURCES:
        return _one_camp(source_ids, f"only {n} source(s): too few to tell camps apart (need {MIN_SOURCES}+)")
    table = source_positions(stances)
    if not table:
        return _one_camp(source_ids, "no source's position could be read, so there are no camps to tell apart")
    placed = sorted({source for source, _ in table} & set(source_ids))
    unplaced = [s for s in source_ids if s not in set(placed)]
    if len(placed) < MIN_SOURCES:
        camps = _same_positions(placed, table)
    else:
        camps = _grouped(placed, key_points, claims, stances, hypothesis_ids)
    if unplaced:
        camps.append(Camp(id=f"camp-{len(camps) + 1}", source_ids=unplaced, unplaced=True,
                          note=f"{len(unplaced)} source(s) whose position on no item could be read: not placed"))
    return camps


def camp_stability(projected: np.ndarray, labels: np.ndarray, k: int, resamples: int = RESAMPLES,
                   share: float = RESAMPLE_SHARE, seed: int = 7) -> dict[int, float]:
    """Per camp label, the mean over ``resamples`` random subsets (``share`` of the rows, fixed seed) that hold
    some of the camp of its best Jaccard overlap with a group of the same Ward clustering (k groups) redone on
    the subset (0.0 for a camp no subset held)."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(labels)
    size = max(k + 1, round(n * share))
    rng = np.random.default_rng(seed)
    totals = {int(lab): 0.0 for lab in set(labels.tolist())}
    counted = dict.fromkeys(totals, 0)
    for _ in range(resamples):
        rows = np.sort(rng.choice(n, size=min(size, n), replace=False))
        again = AgglomerativeClustering(n_clusters=min(k, len(rows) - 1), linkage="ward").fit_predict(projected[rows])
        groups = [set(rows[again == g].tolist()) for g in set(again.tolist())]
        for lab in totals:
            camp = set(rows[labels[rows] == lab].tolist())
            if camp:  # a subset that misses the camp says nothing about it (clusterboot skips it too)
                totals[lab] += max(len(camp & group) / len(camp | group) for group in groups)
                counted[lab] += 1
    return {lab: round(totals[lab] / counted[lab], 3) if counted[lab] else 0.0 for lab in totals}


def _same_positions(placed: list[str], table: dict[tuple[str, str], str]) -> list[Camp]:
    """Few placed sources: those with exactly the same positions form a camp each."""
    signature: dict[tuple, list[str]] = {}
    for source in placed:
        signature.setdefault(tuple(sorted((h, label) for (s, h), label in table.items() if s == source)),
                             []).append(source)
    groups = sorted(signature.values(), key=lambda members: (-len(members), members[0]))
    return [Camp(id=f"camp-{rank}", source_ids=members, positions=[],
                 note=f"only {len(placed)} source(s) take a side: grouped by identical positions, tentative")
            for rank, members in enumerate(groups, start=1)]


def _grouped(source_ids: list[str], key_points: list[KeyPoint], claims: list[Claim], stances: list[Stance],
             hypothesis_ids: list[str]) -> list[Camp]:
    n = len(source_ids)
    features = source_features(source_ids, key_points, claims, stances, hypothesis_ids)
    opposed = opposed_pairs(source_ids, stances)
    if features.shape[1] == 0 or np.allclose(features.std(0), 0.0):
        return _one_camp(source_ids, "the sources do not differ on any key point or hypothesis: no grouping")
    from sklearn import config_context
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score

    dims = min(2, n - 1, features.shape[1])
    projected = PCA(n_components=dims, svd_solver="full").fit_transform(features - features.mean(0))
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(2, min(MAX_CAMPS, n - 1) + 1):
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(projected)
        if len(set(labels.tolist())) < 2 or any(labels[i] == labels[j] for i, j in opposed):
            continue  # a camp may not hold two sources on opposite sides of one item
        with config_context(working_memory=SILHOUETTE_WORKING_MB):  # sklearn's default: a 1 GB block
            score = float(silhouette_score(projected, labels))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, labels)
    if best is None or best[0] < MIN_SILHOUETTE:
        found = "" if best is None else f" (best silhouette {best[0]:.2f} at k={best[1]})"
        why = " that keeps opposed sources apart" if opposed else ""
        return _one_camp(source_ids, f"no clear grouping of the {n} sources{why}{found}")
    score, k, labels = best
    stability = camp_stability(projected, labels, k)
    groups = sorted({int(lab) for lab in labels},
                    key=lambda lab: (-int(np.sum(labels == lab)), source_ids[int(np.argmax(labels == lab))]))
    camps = []
    for rank, lab in enumerate(groups, start=1):
        members = [source_ids[i] for i in range(n) if labels[i] == lab]
        camps.append(Camp(id=f"camp-{rank}", source_ids=members,
                          positions=distinguishing_key_points(features, labels, lab, key_points),
                          stability=stability[lab],
                          note=f"{k} camps from {n} sources (silhouette {score:.2f})"
                          + ("; few sources, treat as tentative" if n < 8 else "")
                          + (f"; found again in resamples {stability[lab]:.2f}: unstable"
                             if stability[lab] < UNSTABLE else "")))
    return camps
