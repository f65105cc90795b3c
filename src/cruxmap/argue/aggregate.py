"""Source-level stance: one label per source and hypothesis, from its claim-level stances.

The rule (documented here because users read the result as the source's position):

1. Every claim whose stance toward the hypothesis is ``support`` or ``oppose`` contributes a
   weight ``claimness × stance.score × position``. ``claimness`` is how far the claim's score lies
   above the claim detector's threshold ``t``, on a 0-1 scale: ``(claim.score - t) / (1 - t)``,
   so a sentence that barely passed as a claim barely counts (``t = 0``: the score itself).
   ``position`` is ``THESIS_WEIGHT`` for a
   claim in the first or last paragraph (where op-eds state their thesis and conclusion),
   else 1. When the text has fewer than three paragraphs, the first and last
   ``EDGE_SENTENCES`` sentences count as thesis / conclusion instead. Neutral claims and
   claim stances with confidence below ``MIN_CONFIDENCE`` contribute nothing.
2. ``S`` and ``O`` are the summed support and oppose weights; ``total = S + O``.
3. ``total < MIN_MASS`` → ``none`` (the source never really addresses the hypothesis),
   score 0, no claims.
4. The smaller side holds at least ``MIXED_SHARE`` of ``total`` *and* at least ``MIN_MASS``
   on its own → ``mixed`` (the source argues both sides); score = balance
   ``1 - |S - O| / total``; claims of both sides.
5. Otherwise the larger side's label, score = ``(|S - O| / total) × min(1, total / FULL_MASS)``
   (one-sided and well-evidenced scores near 1; a single weak claim scores low); claims of
   that side.

``claim_ids`` are ordered by weight, strongest first.

Why ``addressed``: the offline stance models judge each (claim, hypothesis) pair alone, and
within one debate nearly every claim is on the topic of every hypothesis, so they call almost
every claim related to every hypothesis. A source then "takes a position" on hypotheses it
never discusses, and two or three stray claims make most positions ``mixed``. In Heuer's
matrix a piece of evidence is rated against every hypothesis, and the claim-level rows keep
that; but what a *source argues for or against* is read from the claims written about each
hypothesis, which the offline backend approximates by the hypothesis each claim is closest to
in meaning. On ``cruxmap bench quality --task source-stance`` (dev) accuracy went from 0.175
to 0.45 on the example corpus and from 0.36 to 0.56 on the seeds.

Why ``claimness``: when the detector was tuned for recall (threshold 0.60 → 0.375) it found many
more claims, and a weak claim near the threshold counted almost as much as a thesis (0.4 against
0.9). Measuring from the threshold restores the intended weighting of the thesis-like claims:
with the recall-tuned detector the table went from 17/40 to 19/40 on the example corpus and from
12/25 to 16/25 on the seeds (anchoring at 0.3 or 0.45 instead gave 17/40 and 15/25 or 14/25;
the detector's own threshold is the one anchor that is not a free parameter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..model import Claim, Hypothesis, Sentence, Source, Stance

THESIS_WEIGHT = 1.5
EDGE_SENTENCES = 2
MIN_CONFIDENCE = 0.4
MIN_MASS = 0.3
MIXED_SHARE = 0.3
FULL_MASS = 1.5


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text`` (blocks separated by line breaks)."""
    bounds = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            bounds.append((start, end))
        start = end + 1
    return bounds


def edge_claim_ids(source: Source, sentences: Sequence[Sentence], claims: Sequence[Claim]) -> set[str]:
    """Ids of the claims in the opening or closing part of the source (thesis and conclusion)."""
    paragraphs = paragraph_bounds(source.text)
    if len(paragraphs) >= 3:
        first_end, last_start = paragraphs[0][1], paragraphs[-1][0]
        return {
            c.id for c in claims
            if c.start < first_end or c.end > last_start
        }
    ordered = sorted(sentences, key=lambda s: s.start)
    edge_sentences = {s.id for s in ordered[:EDGE_SENTENCES] + ordered[-EDGE_SENTENCES:]}
    return {c.id for c in claims if c.sentence_id in edge_sentences}


def claimness(score: float, threshold: float) -> float:
    """How far a claim's score lies above the detector's threshold, from 0 (at it) to 1."""
    if threshold >= 1.0:
        return 1.0
    return max(0.0, (score - threshold) / (1.0 - threshold))


def nearest_hypotheses(claim_vectors: np.ndarray, hypothesis_vectors: np.ndarray) -> list[list[int]]:
    """Per claim, the indices of the hypotheses it is closest to by cosine (ties kept: all of them)."""
    if not len(claim_vectors) or not len(hypothesis_vectors):
        return [[] for _ in range(len(claim_vectors))]
    claims = claim_vectors / np.maximum(np.linalg.norm(claim_vectors, axis=1, keepdims=True), 1e-12)
    hyps = hypothesis_vectors / np.maximum(np.linalg.norm(hypothesis_vectors, axis=1, keepdims=True), 1e-12)
    cos = claims @ hyps.T
    best = cos.max(1, keepdims=True)
    return [list(np.flatnonzero(row)) for row in cos >= best - 1e-6]


def aggregate_source_stances(
    source: Source,
    sentences: Sequence[Sentence],
    claims: Sequence[Claim],
    claim_stances: Iterable[Stance],
    hypotheses: Sequence[Hypothesis],
    addressed: Mapping[str, set[str]] | None = None,
    claim_threshold: float = 0.0,
) -> list[Stance]:
    """One source-level ``Stance`` per hypothesis, in hypothesis order (rule in the module docstring).
    ``addressed``: claim id → ids of the hypotheses it counts towards (None: all of them);
    ``claim_threshold``: the claim detector's threshold, from which ``claimness`` is measured."""
    by_claim = {c.id: c for c in claims}
    edges = edge_claim_ids(source, sentences, claims)
    weights: dict[str, dict[str, list[tuple[float, str]]]] = {
        h.id: {"support": [], "oppose": []} for h in hypotheses
    }
    for stance in claim_stances:
        if stance.target != "claim" or stance.hypothesis_id not in weights:
            continue
        claim = by_claim.get(stance.target_id)
        if claim is None or stance.label not in ("support", "oppose") or stance.score < MIN_CONFIDENCE:
            continue
        if addressed is not None and stance.hypothesis_id not in addressed.get(claim.id, ()):
            continue
        position = THESIS_WEIGHT if claim.id in edges else 1.0
        weight = claimness(claim.score, claim_threshold) * stance.score * position
        weights[stance.hypothesis_id][stance.label].append((weight, claim.id))
    return [_decide(source.id, h.id, weights[h.id]["support"], weights[h.id]["oppose"]) for h in hypotheses]


def _decide(source_id: str, hypothesis_id: str, support: list[tuple[float, str]],
            oppose: list[tuple[float, str]]) -> Stance:
    s_mass = sum(w for w, _ in support)
    o_mass = sum(w for w, _ in oppose)
    total = s_mass + o_mass

    def ids(*sides: list[tuple[float, str]]) -> list[str]:
        return [cid for _, cid in sorted((x for side in sides for x in side), key=lambda x: (-x[0], x[1]))]

    if total < MIN_MASS:
        return Stance(target="source", target_id=source_id, hypothesis_id=hypothesis_id, label="none", score=0.0)
    minor = min(s_mass, o_mass)
    margin = abs(s_mass - o_mass) / total
    if minor >= MIN_MASS and minor / total >= MIXED_SHARE:
        return Stance(target="source", target_id=source_id, hypothesis_id=hypothesis_id, label="mixed",
                      score=round(1.0 - margin, 4), claim_ids=ids(support, oppose))
    label, side = ("support", support) if s_mass >= o_mass else ("oppose", oppose)
    score = margin * min(1.0, total / FULL_MASS)
    return Stance(target="source", target_id=source_id, hypothesis_id=hypothesis_id, label=label,
                  score=round(score, 4), claim_ids=ids(side))
