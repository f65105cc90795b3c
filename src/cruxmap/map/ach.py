"""Heuer's Analysis of Competing Hypotheses, filled in from the claim stances.

Rows are the evidence items that bear on at least one hypothesis: claims with a support or
oppose stance, and the quotes and dated events that sit inside such a claim (matched by
character offsets; they take that claim's stance). The claims that bear on none are no row;
``left_out`` counts them. Each cell rates how consistent the item is with the hypothesis — CC /
C / N / I / II — from the claim's signed stance score (support +, oppose −; |score| ≥ ``STRONG``
gives the double rating), N where the claim is about the hypothesis and takes neither side, and
NA (not applicable) where it does not bear on that hypothesis at all. A row's diagnosticity is
the spread of its cell scores (Heuer: evidence consistent with every hypothesis does not help
choose).

Each row has two weights an analyst sets (``overrides.py``), after Heuer and the ACH software
that followed him: credibility (can the item be believed?) and relevance (how much does it
matter?), each high / medium / low (``WEIGHT``: 2, 1, ½), medium by default. Rows cut from the
same claim share its weight, so one sentence with a quote and a date does not count three times.

Only the competing hypotheses (kind ``hypothesis``) are ranked and enter diagnosticity;
propositions get cells but are not rival explanations. Hypotheses are ranked by weighted
inconsistency — Σ over rows of (I = 1, II = 2) × credibility × relevance × share — least
inconsistent first: with every weight medium it is the count of inconsistent items, II counting
twice, so the report shows it as a whole number. Equal inconsistency is one rank. Only hypotheses
that some row rates (CC, C, I or II) are ranked, and only when there are two: an answer nothing was
read on has no inconsistency because it was not read, which is no reason to rank it first.
``sensitivity`` lists the few rows whose removal or reversal would change that order. User
overrides are applied after scoring.

With ``positions_only`` (the run's stance backend cannot tell which way a sentence leans: the
offline one, see ``argue/aggregate.py``), a claim's cell keeps its rating only where the claim's
source takes that side on that hypothesis in the source table; the rest are N. The matrix then
says no more than the positions do, and with no evidence left there is no ranking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from ..model import (
    AchCell,
    AchMatrix,
    AchRating,
    AchRow,
    Claim,
    Event,
    EvidenceKind,
    Hypothesis,
    Quote,
    Stance,
)
from .keypoints import claim_stance_index, signed_score, source_positions
from .overrides import RATING_SCORE, Override

STRONG = 0.75
WEIGHT = {"high": 2.0, "medium": 1.0, "low": 0.5}
INCONSISTENCY = {"I": 1.0, "II": 2.0}
CONSISTENCY = {"C": 1.0, "CC": 2.0}
FLIP: dict[AchRating, AchRating] = {"CC": "II", "C": "I", "N": "N", "I": "C", "II": "CC", "NA": "NA"}
RATED = ("CC", "C", "I", "II")  # the ratings that say which way an item leans
SENSITIVITY_LIMIT = 5


def rating_for(score: float) -> AchRating:
    if score >= STRONG:
        return "CC"
    if score > 0:
        return "C"
    if score <= -STRONG:
        return "II"
    if score < 0:
        return "I"
    return "N"


def diagnosticity(cells: list[AchCell], competing: set[str] | None = None) -> float:
    """Spread of the cell scores over the competing hypotheses, in [0, 1]; with one hypothesis,
    the strength of the rating."""
    scores = [c.score for c in cells if (competing is None or c.hypothesis_id in competing) and c.rating != "NA"]
    if not scores:
        return 0.0
    if len(scores) == 1:
        return round(min(1.0, abs(scores[0])), 4)
    return round((max(scores) - min(scores)) / 2.0, 4)


def containing_claim(item: Quote | Event, claims_by_source: dict[str, list[Claim]]) -> Claim | None:
    """The claim whose span overlaps the item most (None when it sits in no claim)."""
    best, best_overlap = None, 0
    for claim in claims_by_source.get(item.source_id, []):
        overlap = min(claim.end, item.end) - max(claim.start, item.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


def row_shares(rows: Sequence[AchRow], claims: list[Claim], quotes: list[Quote],
               events: list[Event]) -> dict[str, float]:
    """Each row's part of its claim's weight, by evidence id: a claim row and the quote and event rows
    inside it (``containing_claim``) share one weight; any other row has all of its own. The ranking and the
    report's page (which re-ranks when an analyst changes a weight) both take it from here."""
    by_source: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: (c.source_id, c.start, c.id)):
        by_source.setdefault(claim.source_id, []).append(claim)
    inside: dict[str, Quote | Event] = {q.id: q for q in quotes}
    inside.update({e.id: e for e in events})
    row_ids = {r.evidence_id for r in rows}
    group: dict[str, str] = {}
    for r in rows:
        thing = inside.get(r.evidence_id) if r.evidence_kind != "claim" else None
        holder = containing_claim(thing, by_source) if thing is not None else None
        group[r.evidence_id] = holder.id if holder is not None and holder.id in row_ids else r.evidence_id
    sizes = Counter(group.values())
    return {eid: 1.0 / sizes[g] for eid, g in group.items()}


def _position(item: Quote | Event) -> tuple[str, int, str]:
    return item.source_id, item.start, item.id


def evidence_text(item: Quote | Event, kind: EvidenceKind) -> str:
    """A row's words: a quote's own (``kind`` quote), an event's date and what happened (``kind`` event). The
    kind is given, not read from the item's class: a run's corpus steps read slim rows (``rows.py``)."""
    if kind == "quote":
        return cast(Quote, item).text
    event = cast(Event, item)
    return f"{event.date or event.date_text}: {event.description}".strip()


@dataclass
class _Row:
    row: AchRow
    weight: float


def _ratings(claim: Claim, hypotheses: list[Hypothesis], index: dict[tuple[str, str], Stance],
             positions: dict[tuple[str, str], str] | None = None) -> list[tuple[str, AchRating, float]]:
    """The claim's (hypothesis id, rating, score) per hypothesis, as plain tuples: most claims bear on no
    hypothesis, and only the rows of those that do become ``AchCell`` objects (``evidence_rows``)."""
    out: list[tuple[str, AchRating, float]] = []
    for h in hypotheses:
        stance = index.get((claim.id, h.id))
        score = round(signed_score(stance), 4)
        if positions is not None and positions.get((claim.source_id, h.id)) != ("support" if score > 0 else "oppose"):
            score = 0.0
        bears = stance is not None and stance.label not in ("none",) and (score != 0 or positions is None)
        out.append((h.id, rating_for(score) if bears else "NA", score))
    return out


def _stance_index(stances: list[Stance], positions_only: bool) -> dict[tuple[str, str], Stance]:
    """(claim id, hypothesis id) → the claim's stance row (``claim_stance_index``). With ``positions_only`` a
    stance that leans neither way rates nothing (``_ratings`` reads it as N/A, as a missing one), so only the
    support and oppose rows are indexed (on news, about a tenth of the claim stances)."""
    if not positions_only:
        return claim_stance_index(stances)
    return {(s.target_id, s.hypothesis_id): s for s in stances
            if s.target == "claim" and s.label in ("support", "oppose")}


def leaning_scores(stances: list[Stance]) -> dict[tuple[str, str], float]:
    """(claim id, hypothesis id) → the claim stance's signed score (``signed_score``), for the stances that lean
    (support, oppose) only: a missing key reads as 0, as a neutral stance does. The camps and the cruxes read
    no more than this, so they need not index every claim stance."""
    return {(s.target_id, s.hypothesis_id): signed_score(s) for s in stances
            if s.target == "claim" and s.label in ("support", "oppose")}


def competing_ids(hypotheses: list[Hypothesis]) -> set[str]:
    """The hypotheses ACH weighs against each other: those of kind 'hypothesis' when there are at
    least two. Propositions are stand-alone claims, not rival explanations: they get cells but
    neither enter a row's diagnosticity nor the ranking (unless the question has nothing else)."""
    rivals = {h.id for h in hypotheses if h.kind == "hypothesis"}
    return rivals if len(rivals) >= 2 else {h.id for h in hypotheses}


def evidence_rows(claims: list[Claim], quotes: list[Quote], events: list[Event], stances: list[Stance],
                  hypotheses: list[Hypothesis], positions_only: bool = False) -> tuple[list[_Row], int]:
    """Claims that bear on a hypothesis, then the quotes and events inside them; and how many
    claims bear on none."""
    competing = competing_ids(hypotheses)
    index = _stance_index(stances, positions_only)
    positions = source_positions(stances) if positions_only else None
    claims = sorted(claims, key=lambda c: (c.source_id, c.start, c.id))
    by_source: dict[str, list[Claim]] = {}
    for claim in claims:
        by_source.setdefault(claim.source_id, []).append(claim)
    bearing: dict[str, list[AchCell]] = {}
    for claim in claims:  # cells only for the claims that bear: most claims of a large corpus bear on none
        ratings = _ratings(claim, hypotheses, index, positions)
        if any(rating in RATED for _, rating, _ in ratings):
            bearing[claim.id] = [AchCell(hypothesis_id=h, rating=rating, score=score) for h, rating, score in ratings]
    items: dict[str, list[tuple[str, EvidenceKind, str, str]]] = {cid: [] for cid in bearing}
    inside: list[tuple[Quote | Event, EvidenceKind]] = [*((q, "quote") for q in sorted(quotes, key=_position)),
                                                        *((e, "event") for e in sorted(events, key=_position))]
    for thing, kind in inside:
        holder = containing_claim(thing, by_source)
        if holder is not None and holder.id in bearing:
            items[holder.id].append((thing.id, kind, thing.source_id, evidence_text(thing, kind)))
    rows = []
    for claim in claims:
        if claim.id not in bearing:
            continue
        group: list[tuple[str, EvidenceKind, str, str]] = [(claim.id, "claim", claim.source_id, claim.text),
                                                           *items[claim.id]]
        for evidence_id, kind, source_id, text in group:
            cells = [c.model_copy() for c in bearing[claim.id]]
            rows.append(_Row(AchRow(evidence_id=evidence_id, evidence_kind=kind, source_id=source_id, text=text,
                                    cells=cells, diagnosticity=diagnosticity(cells, competing)), 1.0 / len(group)))
    return rows, len(claims) - len(bearing)


def _contribution(item: _Row, flip: bool = False) -> dict[str, tuple[float, float]]:
    """What one row adds to each hypothesis: (weighted inconsistency, weighted consistency)."""
    w = item.weight * WEIGHT[item.row.credibility] * WEIGHT[item.row.relevance]
    out = {}
    for cell in item.row.cells:
        rating = FLIP[cell.rating] if flip else cell.rating
        out[cell.hypothesis_id] = (w * INCONSISTENCY.get(rating, 0.0), w * CONSISTENCY.get(rating, 0.0))
    return out


def _totals(rows: list[_Row], hypothesis_ids: list[str]) -> dict[str, tuple[float, float]]:
    """hypothesis id → (weighted inconsistency, weighted consistency), summed over the rows."""
    out = {h: [0.0, 0.0] for h in hypothesis_ids}
    for item in rows:
        for h, (inc, con) in _contribution(item).items():
            if h not in out:
                continue
            out[h][0] += inc
            out[h][1] += con
    return {h: (round(v[0], 6), round(v[1], 6)) for h, v in out.items()}


def _without(totals: dict[str, tuple[float, float]], item: _Row, flip: bool) -> dict[str, tuple[float, float]]:
    """Totals with one row removed (``flip=False``) or with its ratings reversed (``flip=True``)."""
    out = {h: list(v) for h, v in totals.items()}
    for h, (inc, con) in _contribution(item).items():
        if h not in out:
            continue
        out[h][0] -= inc
        out[h][1] -= con
    if flip:
        for h, (inc, con) in _contribution(item, flip=True).items():
            if h not in out:
                continue
            out[h][0] += inc
            out[h][1] += con
    return {h: (round(v[0], 6), round(v[1], 6)) for h, v in out.items()}


def _order(totals: dict[str, tuple[float, float]], hypothesis_ids: list[str]) -> list[str]:
    """Least inconsistent first; ties broken by more consistency, then the given order."""
    position = {h: i for i, h in enumerate(hypothesis_ids)}
    return sorted(hypothesis_ids, key=lambda h: (totals[h][0], -totals[h][1], position[h]))


def assessed_ids(rows: Iterable[AchRow], hypothesis_ids: Iterable[str]) -> list[str]:
    """The hypotheses on which at least one row is rated (CC, C, I or II), in the given order. A hypothesis
    whose every cell is N/A was not read, not found consistent: it has no place in a ranking."""
    rated = {c.hypothesis_id for row in rows for c in row.cells if c.rating in RATED}
    return [h for h in hypothesis_ids if h in rated]


def rank_hypotheses(rows: list[_Row], hypotheses: list[Hypothesis]) -> tuple[list[dict], list[str]]:
    """The ranking of the competing hypotheses that the evidence was read on, and the sensitivity list (rows
    whose removal or reversal reorders it). Fewer than two such hypotheses rank nothing; hypotheses as
    inconsistent as each other share a rank (the order among them follows consistency, then the question's)."""
    competing = competing_ids(hypotheses)
    ids = assessed_ids((item.row for item in rows), [h.id for h in hypotheses if h.id in competing])
    if len(ids) < 2:
        return [], []  # no evidence tells two hypotheses apart: nothing to rank
    totals = _totals(rows, ids)
    order = _order(totals, ids)
    ranking = [{"hypothesis_id": h, "rank": float(1 + sum(totals[o][0] < totals[h][0] for o in ids)),
                "inconsistency": totals[h][0], "consistency": totals[h][1]} for h in order]
    sensitive = []
    for item in rows:
        if not any(c.rating in RATED for c in item.row.cells):
            continue
        removed = _order(_without(totals, item, flip=False), ids)
        flipped = _order(_without(totals, item, flip=True), ids)
        if removed != order or flipped != order:
            top_changed = removed[0] != order[0] or flipped[0] != order[0]
            sensitive.append((removed == order, not top_changed, -item.weight * item.row.diagnosticity,
                              item.row.evidence_id))
    sensitive.sort()
    return ranking, [s[-1] for s in sensitive[:SENSITIVITY_LIMIT]]


def apply_overrides(rows: list[_Row], overrides: list[Override], hypotheses: list[Hypothesis],
                    known_items: dict[str, tuple[EvidenceKind, str, str]]) -> list[Override]:
    """Set overridden cells in place; return the overrides that match no evidence or hypothesis.

    ``known_items`` maps every claim/quote/event id of the map to (kind, source id, text), so an
    override may also bring in evidence that automatic scoring left out.
    """
    hyp_ids = {h.id for h in hypotheses}
    by_id = {item.row.evidence_id: item for item in rows}
    stale = []
    for override in overrides:
        if (override.hypothesis_id is not None and override.hypothesis_id not in hyp_ids) or (
                override.evidence_id not in by_id and override.evidence_id not in known_items):
            stale.append(override)
            continue
        item = by_id.get(override.evidence_id)
        if item is None:
            kind, source_id, text = known_items[override.evidence_id]
            cells = [AchCell(hypothesis_id=h.id, rating="NA", score=0.0) for h in hypotheses]
            item = _Row(AchRow(evidence_id=override.evidence_id, evidence_kind=kind, source_id=source_id, text=text,
                               cells=cells, diagnosticity=0.0), 1.0)
            rows.append(item)
            by_id[override.evidence_id] = item
        if override.credibility or override.relevance:
            item.row.credibility = override.credibility or item.row.credibility
            item.row.relevance = override.relevance or item.row.relevance
            item.row.weight_note = override.note
        if override.rating is None:
            continue
        for cell in item.row.cells:
            if cell.hypothesis_id == override.hypothesis_id:
                cell.rating = override.rating
                cell.score = RATING_SCORE[override.rating]
                cell.overridden = True
                cell.note = override.note
        item.row.diagnosticity = diagnosticity(item.row.cells, competing_ids(hypotheses))
    return stale


def build_ach(claims: list[Claim], quotes: list[Quote], events: list[Event], stances: list[Stance],
              hypotheses: list[Hypothesis], overrides: list[Override] | None = None,
              positions_only: bool = False) -> tuple[AchMatrix, list[Override]]:
    """The filled ACH matrix and the overrides that no longer match anything."""
    if not hypotheses:
        return AchMatrix(), list(overrides or [])
    rows, left_out = evidence_rows(claims, quotes, events, stances, hypotheses, positions_only)
    known: dict[str, tuple[EvidenceKind, str, str]] = {c.id: ("claim", c.source_id, c.text) for c in claims}
    known.update({q.id: ("quote", q.source_id, q.text) for q in quotes})
    known.update({e.id: ("event", e.source_id, evidence_text(e, "event")) for e in events})
    stale = apply_overrides(rows, overrides or [], hypotheses, known)
    shares = row_shares([item.row for item in rows], claims, quotes, events)
    for item in rows:  # a row an override brought in shares its claim's weight as the others do
        item.weight = shares[item.row.evidence_id]
    ranking, sensitivity = rank_hypotheses(rows, hypotheses)
    return AchMatrix(rows=[item.row for item in rows], ranking=ranking, sensitivity=sensitivity,
                     left_out=left_out), stale
