"""Contradictions: pairs of claims from different sources that cannot both hold.

Candidates are pairs of claims from different sources that are close in meaning: in the same
fine cluster of the key-point clustering, or with cosine ≥ ``SIMILAR``. Among them:

* **evaluative** — the two claims take opposite stances (support vs oppose) toward the same
  hypothesis; score = similarity × √(stance score a × stance score b).
* **factual** — the same statement with a fact changed: one side negated and the other not
  (negation mismatch), different numbers, or dated events that describe the same happening with
  different dates; score = similarity (× 0.9 for numbers/dates, which paraphrases vary more).

Derived from the claim stances and similarities already computed: no extra model call (the
stance backend already rated every claim against every hypothesis; asking it again about
claim pairs would cost a pass over O(pairs) per run). Above 5,000 claims only pairs inside a
cluster are compared. The top ``limit`` pairs by score are kept, each naming two claim ids.
"""

from __future__ import annotations

import re

import numpy as np

from ..model import Claim, Contradiction, Event, Stance
from .keypoints import claim_stance_index
from .matcher import content_tokens, has_negation

SIMILAR = 0.75  # cosine above which two claims are "about the same thing"
NEGATION_SIMILAR = 0.8
MIN_OVERLAP = 0.5  # Jaccard of content words required for a factual mismatch
MAX_GROUP = 200  # clusters larger than this compare each claim with its 20 nearest members only
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)")


def numbers_in(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


def _jaccard(a: str, b: str) -> float:
    ta, tb = content_tokens(a), content_tokens(b)
    return len(ta & tb) / (len(ta | tb) or 1)


def dates_conflict(a: str | None, b: str | None) -> bool:
    """Two ISO dates conflict when neither is a prefix of the other (2004-03 vs 2004-03-29 agree)."""
    if not a or not b:
        return False
    return not (a.startswith(b) or b.startswith(a))


def events_by_claim(events: list[Event], claims: list[Claim]) -> dict[str, list[Event]]:
    """Events that lie inside a claim's span, keyed by claim id."""
    by_source: dict[str, list[Claim]] = {}
    for claim in claims:
        by_source.setdefault(claim.source_id, []).append(claim)
    out: dict[str, list[Event]] = {}
    for event in events:
        for claim in by_source.get(event.source_id, []):
            if claim.start <= event.start and event.end <= claim.end:
                out.setdefault(claim.id, []).append(event)
                break
    return out


def candidate_pairs(claims: list[Claim], vectors: np.ndarray, labels: np.ndarray) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for claims of different sources in the same cluster or with cosine ≥ SIMILAR."""
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    pairs: dict[tuple[int, int], float] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        sub = vectors[members]
        sims = sub @ sub.T
        for a in range(len(members)):
            row = sims[a]
            partners = range(a + 1, len(members)) if len(members) <= MAX_GROUP else \
                [b for b in np.argsort(-row)[:21] if b > a]
            for b in partners:
                i, j = members[a], members[int(b)]
                if claims[i].source_id != claims[j].source_id:
                    pairs[(min(i, j), max(i, j))] = float(row[b])
    # near neighbours that the cut put in different clusters (all pairs up to 5,000 claims; above
    # that only pairs inside a cluster are compared, which keeps the cost linear)
    if len(claims) <= 5000:
        sims = vectors @ vectors.T
        ii, jj = np.nonzero(np.triu(sims >= SIMILAR, k=1))
        for i, j in zip(ii.tolist(), jj.tolist()):
            if claims[i].source_id != claims[j].source_id:
                pairs.setdefault((i, j), float(sims[i, j]))
    return [(i, j, s) for (i, j), s in sorted(pairs.items())]


def find_contradictions(claims: list[Claim], vectors: np.ndarray, labels: np.ndarray, stances: list[Stance],
                        hypothesis_ids: list[str], events: list[Event], limit: int = 50) -> list[Contradiction]:
    """Evaluative and factual contradictions between claims of different sources, best first."""
    index = claim_stance_index(stances)
    claim_events = events_by_claim(events, claims)
    found: dict[tuple[str, str], Contradiction] = {}

    def keep(a: Claim, b: Claim, score: float, kind: str) -> None:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if key not in found or found[key].score < score:
            found[key] = Contradiction(a=key[0], b=key[1], score=round(float(score), 4), kind=kind)

    for i, j, sim in candidate_pairs(claims, vectors, labels):
        a, b = claims[i], claims[j]
        for hid in hypothesis_ids:
            sa, sb = index.get((a.id, hid)), index.get((b.id, hid))
            if sa and sb and {sa.label, sb.label} == {"support", "oppose"}:
                keep(a, b, sim * float(np.sqrt(max(sa.score, 0.0) * max(sb.score, 0.0))), "evaluative")
        overlap = _jaccard(a.text, b.text)
        if sim >= NEGATION_SIMILAR and overlap >= MIN_OVERLAP and has_negation(a.text) != has_negation(b.text):
            keep(a, b, sim, "factual")
        na, nb = numbers_in(a.text), numbers_in(b.text)
        if sim >= SIMILAR and overlap >= MIN_OVERLAP and na and nb and not (na & nb):
            keep(a, b, 0.9 * sim, "factual")
        for ea in claim_events.get(a.id, []):
            for eb in claim_events.get(b.id, []):
                if dates_conflict(ea.date, eb.date) and _jaccard(ea.description or a.text,
                                                                 eb.description or b.text) >= MIN_OVERLAP:
                    keep(a, b, 0.9 * sim, "factual")
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.kind, c.a, c.b))
    return ranked[:limit]
