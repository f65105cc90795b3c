"""Source-level stance: one label per source and item, from its claim-level stances.

Users read the result as *the source's own position*, so the rule errs towards ``none``: a cell
takes a side only when the source's own claims lean one way consistently. The rule:

1. **The author's voice only.** A claim does not count when it is reported speech (at least half
   of it inside a quotation, or it holds the speaker of a quotation: "X said that …"), when it
   attributes a view to a group ("critics say …", "supporters argue …"), or when it sets up a
   rebuttal (the next sentence opens with "But", "However", "Yet", "In fact", …). Such sentences
   show what the article reports or rejects, not what it holds (``reported_claim_ids``).
2. Every other claim whose stance toward the item is ``support`` or ``oppose`` (claim-stance
   confidence at least ``MIN_CONFIDENCE``) gives a signed weight
   ``± claimness × stance.score × position``: ``claimness`` is how far the claim's score lies above
   the claim detector's threshold ``t`` on a 0-1 scale, ``(score - t) / (1 - t)``; ``position`` is
   ``THESIS_WEIGHT`` for a claim in the first or last paragraph (the thesis and the conclusion of
   an op-ed; the first and last ``EDGE_SENTENCES`` sentences when there are fewer than three
   paragraphs), else 1.
3. **Evidence, not volume.** The lean is ``z = Σw / √Σw²``, a weighted sign test: it grows with
   the number of claims that agree and shrinks when they disagree, so a long article whose claims
   point every way stays near 0 however many there are. ``|z| < MIN_LEAN`` → ``none``.
4. ``mixed`` only when the source argues both ways in earnest: each side alone reaches
   ``MIN_LEAN`` while the net lean does not.
5. Otherwise the sign of ``z`` decides support or oppose.
6. **Competing hypotheses.** When the question's hypotheses are exclusive (the default; a question
   file says ``exclusive: false`` otherwise), a source supports at most one of them: if several
   come out ``support``, the strongest keeps it and the others become ``none``.

``score`` is the strength of the lean, ``erf(|z| / √2)`` — the probability that a fair coin would
lean less far — not a calibrated probability that the cell is right. ``claim_ids`` are the claims
that decided the cell, strongest first (both sides for ``mixed``); ``evidence`` holds the spans of
the first ``EVIDENCE_PASSAGES`` of them, which the report and the web UI show with the cell.

Why this rule (``cruxmap bench quality --task source-stance``, dev): the offline stance models
read *which way* a sentence leans at little better than chance on real opinion writing (on the
decisive sentence of each sided cell of the three debates in ``../shared/debates/`` the
cross-encoder's direction is right in 0.50-0.56 of the cells, the frozen head's in 0.55-0.62), and
their confidence does not rank their mistakes. Summing their labels over a long article therefore
produced positions on almost every cell, a quarter of them the wrong way round. The sign test
keeps a cell only where many of the author's own claims agree. ``MIN_LEAN`` was chosen on the three
debates left out one at a time (held-out choices 3.0, 2.5 and 2.0; 2.5 is their median), with the
example corpus and the reference articles choosing nothing.

Why ``addressed``: the offline stance models judge each (claim, hypothesis) pair alone, and within
one debate nearly every claim is on the topic of every hypothesis; a source's position on an item
is read from the claims closest to that item in meaning (``nearest_hypotheses``). The claim-level
rows keep every pair, as Heuer's matrix needs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..model import Claim, Hypothesis, Passage, Quote, Sentence, Source, Stance

THESIS_WEIGHT = 1.5
EDGE_SENTENCES = 2
MIN_CONFIDENCE = 0.4
MIN_LEAN = 2.5
EVIDENCE_PASSAGES = 3
#: the aggregation rule's version, part of the stance stage's version (stored stances of another rule are not re-used)
RULE_VERSION = "lean-z2"

#: a sentence that opens like this answers the sentence before it (which the article sets up to reject)
REBUTTAL_OPENING = re.compile(
    r"^\W*(but|however|yet|still|in fact|actually|in reality|not so|wrong|nonsense|that is (?:not|wrong)"
    r"|that's (?:not|wrong)|the truth is|the reality is)\b", re.I)
#: a view attributed to a group the author does not speak for
GROUP_VIEW = re.compile(
    r"\b(critics|opponents|supporters|proponents|advocates|skeptics|sceptics|detractors|defenders|some|many|others"
    r"|they)\s+(?:\w+\s+)?(say|says|said|argue|argued|claim|claimed|contend|contended|insist|insisted|believe"
    r"|maintain|warn|warned|suggest|suggested|allege|alleged)\b", re.I)


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


def reported_claim_ids(sentences: Sequence[Sentence], claims: Sequence[Claim], quotes: Sequence[Quote]) -> set[str]:
    """Claims that are not the author's own voice: reported speech, a group's view, a rebuttal's set-up."""
    following = {}
    ordered = sorted(sentences, key=lambda s: s.start)
    for a, b in itertools.pairwise(ordered):
        following[a.id] = b
    reported = set()
    for c in claims:
        quoted = sum(max(0, min(q.end, c.end) - max(q.start, c.start)) for q in quotes)
        names_speaker = any(q.speaker_start is not None and c.start <= q.speaker_start < c.end for q in quotes)
        nxt = following.get(c.sentence_id)
        if (quoted * 2 >= c.end - c.start or names_speaker or GROUP_VIEW.search(c.text)
                or (nxt is not None and REBUTTAL_OPENING.match(nxt.text))):
            reported.add(c.id)
    return reported


def claimness(score: float, threshold: float) -> float:
    """How far a claim's score lies above the detector's threshold, from 0 (at it) to 1."""
    if threshold >= 1.0:
        return 1.0
    return max(0.0, (score - threshold) / (1.0 - threshold))


def lean(weights: Sequence[float]) -> float:
    """The weighted sign test ``Σw / √Σw²`` (0 without weights)."""
    square = sum(w * w for w in weights)
    return sum(weights) / math.sqrt(square) if square > 0 else 0.0


def strength(z: float) -> float:
    """``erf(|z| / √2)``: how unlikely a lean this far is from claims that point at random."""
    return math.erf(abs(z) / math.sqrt(2.0))


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
    quotes: Sequence[Quote] = (),
    exclusive: bool = True,
) -> list[Stance]:
    """One source-level ``Stance`` per item, in item order (rule in the module docstring).
    ``addressed``: claim id → ids of the items it counts towards (None: all of them);
    ``claim_threshold``: the claim detector's threshold, from which ``claimness`` is measured;
    ``quotes``: the source's quotations (reported speech does not count);
    ``exclusive``: whether the hypotheses exclude each other."""
    by_claim = {c.id: c for c in claims}
    edges = edge_claim_ids(source, sentences, claims)
    reported = reported_claim_ids(sentences, claims, quotes)
    weights: dict[str, list[tuple[float, str]]] = {h.id: [] for h in hypotheses}
    for stance in claim_stances:
        if stance.target != "claim" or stance.hypothesis_id not in weights:
            continue
        claim = by_claim.get(stance.target_id)
        if (claim is None or claim.id in reported or stance.label not in ("support", "oppose")
                or stance.score < MIN_CONFIDENCE):
            continue
        if addressed is not None and stance.hypothesis_id not in addressed.get(claim.id, ()):
            continue
        position = THESIS_WEIGHT if claim.id in edges else 1.0
        weight = claimness(claim.score, claim_threshold) * stance.score * position
        if weight > 0:
            weights[stance.hypothesis_id].append((weight if stance.label == "support" else -weight, claim.id))
    decided = {h.id: _decide(source.id, h.id, weights[h.id]) for h in hypotheses}
    if exclusive:
        _one_supported(decided, [h.id for h in hypotheses if h.kind == "hypothesis"], weights)
    return [_with_evidence(decided[h.id], by_claim) for h in hypotheses]


def _with_evidence(stance: Stance, by_claim: Mapping[str, Claim]) -> Stance:
    spans = [Passage(start=by_claim[c].start, end=by_claim[c].end) for c in stance.claim_ids[:EVIDENCE_PASSAGES]]
    return stance.model_copy(update={"evidence": spans}) if spans else stance


def _decide(source_id: str, hypothesis_id: str, weights: list[tuple[float, str]]) -> Stance:
    def ids(pairs: Iterable[tuple[float, str]]) -> list[str]:
        return [cid for _, cid in sorted(pairs, key=lambda x: (-abs(x[0]), x[1]))]

    support = [(w, c) for w, c in weights if w > 0]
    oppose = [(w, c) for w, c in weights if w < 0]
    z = lean([w for w, _ in weights])
    none = Stance(target="source", target_id=source_id, hypothesis_id=hypothesis_id, label="none", score=0.0)
    if abs(z) < MIN_LEAN:
        if lean([w for w, _ in support]) >= MIN_LEAN and -lean([w for w, _ in oppose]) >= MIN_LEAN:
            return none.model_copy(update={"label": "mixed", "score": round(1.0 - strength(z), 4),
                                           "claim_ids": ids(weights)})
        return none
    label, side = ("support", support) if z > 0 else ("oppose", oppose)
    return none.model_copy(update={"label": label, "score": round(strength(z), 4), "claim_ids": ids(side)})


def _one_supported(decided: dict[str, Stance], rivals: list[str], weights: dict[str, list[tuple[float, str]]]) -> None:
    """Among exclusive hypotheses, only the one with the strongest lean keeps ``support``."""
    supported = [h for h in rivals if decided[h].label == "support"]
    if len(supported) < 2:
        return
    keep = max(supported, key=lambda h: (lean([w for w, _ in weights[h]]), h))
    for h in supported:
        if h != keep:
            decided[h] = decided[h].model_copy(update={"label": "none", "score": 0.0, "claim_ids": []})
