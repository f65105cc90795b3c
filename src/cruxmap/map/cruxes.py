"""Cruxes: the few points that most divide the sources.

Candidates are each hypothesis (sides from the source-level stances) and each key point ×
hypothesis (sides from the stance of each source's claims in that key point, and only for sources
whose own position on that hypothesis is that side, so a crux never contradicts the source table).
A candidate divides when both sides have sources; its score is

    balance × reach × confidence,  balance = 2·min(S, O)/(S + O),  reach = (S + O)/n_sources,

with confidence the mean stance score behind the sides. The best ``MAX_CRUXES`` (at most one
key-point crux per key point, and none that repeats a better crux's sides and hypothesis) are
kept, each with the side's best evidence (the claims with the strongest stance) and the most
diagnostic ACH rows for that hypothesis — the evidence that would move the crux. For a
key-point crux those rows are the ones about that key point: rows of its own claims first,
then rows whose text is close to the key point (cosine to its centroid ≥ ``TOPICAL_MIN``,
ranked by closeness × (1 + diagnosticity)); only when none is close do the hypothesis' most
diagnostic rows stand in. Without vectors every crux of a hypothesis shares its rows.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..model import AchMatrix, Claim, Crux, CruxKind, Hypothesis, KeyPoint, Stance
from .ach import leaning_scores
from .keypoints import source_positions

MAX_CRUXES = 7
EVIDENCE_PER_SIDE = 3
DIAGNOSTIC_LIMIT = 3
TOPICAL_MIN = 0.35


def _split_score(sides: dict[str, dict[str, float]], n_sources: int) -> float:
    """balance × reach × confidence for {'support': {source: strength}, 'oppose': {...}}."""
    s, o = len(sides["support"]), len(sides["oppose"])
    if not s or not o or not n_sources:
        return 0.0
    strengths = [*sides["support"].values(), *sides["oppose"].values()]
    return (2 * min(s, o) / (s + o)) * ((s + o) / n_sources) * (sum(strengths) / len(strengths))


def _best_claims(source_ids: list[str], claims: list[Claim], hid: str, sign: int,
                 leaning: dict[tuple[str, str], float], limit: int = EVIDENCE_PER_SIDE) -> list[str]:
    """The claims of these sources that lean hardest the side's way on ``hid`` (``leaning``: ``ach.leaning_scores``)."""
    wanted = set(source_ids)
    scored = [(sign * leaning.get((c.id, hid), 0.0), c.id) for c in claims if c.source_id in wanted]
    scored = [(v, cid) for v, cid in scored if v > 0]
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [cid for _, cid in scored[:limit]]


def diagnostic_rows(ach: AchMatrix, hid: str, limit: int = DIAGNOSTIC_LIMIT) -> list[str]:
    """ACH rows that rate ``hid`` non-neutrally, sensitive rows first, then by diagnosticity."""
    sensitive = set(ach.sensitivity)
    rows = [r for r in ach.rows if any(c.hypothesis_id == hid and c.rating not in ("N", "NA") for c in r.cells)]
    rows.sort(key=lambda r: (r.evidence_id not in sensitive, -r.diagnosticity, r.evidence_id))
    return [r.evidence_id for r in rows[:limit]]


def key_point_rows(ach: AchMatrix, hid: str, kp: KeyPoint, row_vectors: dict[str, np.ndarray],
                   centroid: np.ndarray | None, limit: int = DIAGNOSTIC_LIMIT) -> list[str]:
    """ACH rows rating ``hid`` non-neutrally that are about key point ``kp`` (module docstring); may be empty."""
    members = set(kp.claim_ids)
    ranked = []
    for row in ach.rows:
        if not any(c.hypothesis_id == hid and c.rating not in ("N", "NA") for c in row.cells):
            continue
        vector = row_vectors.get(row.evidence_id)
        closeness = (float(vector @ centroid) / max(float(np.linalg.norm(vector)), 1e-9)
                     if vector is not None and centroid is not None else 0.0)
        if row.evidence_id in members or closeness >= TOPICAL_MIN:
            ranked.append((row.evidence_id not in members, -closeness * (1.0 + row.diagnosticity), row.evidence_id))
    ranked.sort()
    return [evidence_id for *_, evidence_id in ranked[:limit]]


def _crux_id(*parts: str) -> str:
    return "crux-" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:10]


def hypothesis_sides(stances: list[Stance], hid: str) -> dict[str, dict[str, float]]:
    sides: dict[str, dict[str, float]] = {"support": {}, "oppose": {}}
    for s in stances:
        if s.target == "source" and s.hypothesis_id == hid and s.label in sides:
            sides[s.label][s.target_id] = float(s.score)
    return sides


def key_point_sides(kp: KeyPoint, claims_by_id: dict[str, Claim], hid: str,
                    leaning: dict[tuple[str, str], float],
                    table: dict[tuple[str, str], str] | None = None) -> dict[str, dict[str, float]]:
    """Sources on each side of a key point with respect to ``hid``, from the lean of their claims in it.
    With ``table`` (source id, hypothesis id → the source's own position), a source stands on a side only
    where its position on ``hid`` is that side: a crux never puts a source where the source table does not."""
    lean: dict[str, float] = {}
    for cid in kp.claim_ids:
        claim = claims_by_id.get(cid)
        if claim is not None:
            lean[claim.source_id] = lean.get(claim.source_id, 0.0) + leaning.get((cid, hid), 0.0)
    sides: dict[str, dict[str, float]] = {"support": {}, "oppose": {}}
    for source, value in lean.items():
        side = "support" if value > 0 else "oppose"
        if value and (table is None or table.get((source, hid)) == side):
            sides[side][source] = min(1.0, abs(value))
    return sides


def find_cruxes(hypotheses: list[Hypothesis], key_points: list[KeyPoint], claims: list[Claim],
                stances: list[Stance], ach: AchMatrix, n_sources: int, limit: int = MAX_CRUXES,
                row_vectors: dict[str, np.ndarray] | None = None,
                key_point_vectors: dict[str, np.ndarray] | None = None) -> list[Crux]:
    """The 0–``limit`` most divisive points, best first (fewer when the sources do not split).

    ``row_vectors`` (ACH evidence id → vector, any length) and ``key_point_vectors`` (key point id →
    unit centroid) let a key-point crux name the diagnostic rows about that key point.
    """
    row_vectors = row_vectors or {}
    key_point_vectors = key_point_vectors or {}
    leaning = leaning_scores(stances)
    table = source_positions(stances)
    claims_by_id = {c.id: c for c in claims}
    candidates: list[tuple[float, Crux]] = []
    diagnostic = {h.id: diagnostic_rows(ach, h.id) for h in hypotheses}

    def add(statement: str, kind: CruxKind, hid: str, kp: KeyPoint | None, sides: dict[str, dict[str, float]],
            evidence_pool: list[Claim]) -> None:
        score = _split_score(sides, n_sources)
        if score <= 0:
            return
        side_sources = {label: sorted(members) for label, members in sides.items()}
        evidence = {label: _best_claims(side_sources[label], evidence_pool, hid, 1 if label == "support" else -1, leaning)
                    for label in side_sources}
        candidates.append((score, Crux(
            id=_crux_id(kind, hid, kp.id if kp else ""), statement=statement, sides=side_sources, evidence=evidence,
            diagnostic_evidence=diagnostic[hid], kind=kind, hypothesis_id=hid,
            key_point_id=kp.id if kp else None, score=round(score, 4))))

    for h in hypotheses:
        add(h.statement, "hypothesis", h.id, None, hypothesis_sides(stances, h.id), claims)
        for kp in key_points:
            pool = [claims_by_id[c] for c in kp.claim_ids if c in claims_by_id]
            add(kp.label, "key_point", h.id, kp, key_point_sides(kp, claims_by_id, h.id, leaning, table), pool)

    candidates.sort(key=lambda t: (-round(t[0], 9), t[1].kind != "hypothesis", t[1].id))
    chosen: list[Crux] = []
    seen_kp: set[str] = set()
    seen_split: set[tuple] = set()
    for _score, crux in candidates:
        split_key = (crux.hypothesis_id, tuple(crux.sides["support"]), tuple(crux.sides["oppose"]))
        if crux.key_point_id in seen_kp or (crux.kind == "key_point" and split_key in seen_split):
            continue
        chosen.append(crux)
        seen_split.add(split_key)
        if crux.key_point_id:
            seen_kp.add(crux.key_point_id)
        if len(chosen) >= limit:
            break
    by_id = {kp.id: kp for kp in key_points}
    for crux in chosen:  # the rows about a key point, for the chosen cruxes only (each reads every ACH row)
        about = by_id.get(crux.key_point_id) if crux.key_point_id else None
        if about is not None and crux.hypothesis_id is not None:
            rows = key_point_rows(ach, crux.hypothesis_id, about, row_vectors, key_point_vectors.get(about.id))
            crux.diagnostic_evidence = rows or diagnostic[crux.hypothesis_id]
    return chosen
