"""Candidate hypotheses when the user gave no question file: the most contested claims.

A claim is a good candidate when sources disagree about it. For every claim we look at
similar claims (cosine ≥ ``NEIGHBOUR_SIM`` of the sentence embeddings) in *other* sources and
ask the stance backend whether each neighbour supports or opposes it:

* contested (ranked first) — neighbours from at least one other source oppose it: score
  ``min(#supporting sources, #opposing sources) + mean similarity`` (the claim's own source
  counts as supporting);
* echoed (ranked after every contested claim) — no opposition, but near-paraphrases
  (cosine ≥ ``PARAPHRASE_SIM``) in other sources: score = number of those sources + mean
  similarity.

Only claims that can stand alone as a statement are candidates (``map.keypoints.label_worthy``:
six words or more, not leaning on the sentence before, not a question, not site boilerplate, and
a clause with a finite verb, ``map.clauses``), so "It is not a Republican idea." is never offered
as a hypothesis. Within a tier the score is
multiplied by the claim score, long sentences are penalised (a hypothesis should be one short
statement), and near-duplicates of an already chosen candidate are skipped.
Ties break by claim id, so the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..map.clauses import clauses
from ..map.keypoints import label_worthy
from ..model import Claim, Document, Hypothesis
from ..nlp.parse import DEFAULT_MODEL

NEIGHBOUR_SIM = 0.5
PARAPHRASE_SIM = 0.65
DUPLICATE_SIM = 0.7
MAX_NEIGHBOURS = 8
LONG_WORDS = 40
#: candidates tagged at once while walking down the ranking (``map.clauses``)
CLAUSE_BATCH = 64


def suggest_hypotheses(docs: Sequence[Document], embedder, stance, k: int = 5,
                       spacy_model: str = DEFAULT_MODEL) -> list[Hypothesis]:
    """Up to ``k`` suggested hypotheses (ids S1..Sk, ``suggested=True``), most contested first."""
    claims = [c for d in docs for c in d.claims]
    if k <= 0 or len({c.source_id for c in claims}) < 2:
        return []
    vectors = np.asarray(embedder.embed([c.text for c in claims]), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-9)
    sims = vectors @ vectors.T
    sources = np.array([c.source_id for c in claims])
    neighbours = _neighbours(sims, sources)
    pairs = [(claims[j].text, claims[i].text) for i, js in enumerate(neighbours) for j in js]
    verdicts = iter(stance.classify(pairs) if pairs else [])
    scored: list[tuple[int, float, str, int]] = []
    for i, js in enumerate(neighbours):
        labels = [(j, next(verdicts).label) for j in js]
        tier, score = _contest_score(claims[i], claims, sims[i], labels)
        if score > 0 and label_worthy(claims[i].text):
            scored.append((-tier, -score, claims[i].id, i))
    ranked = [i for *_, i in sorted(scored)]
    chosen: list[int] = []
    for start in range(0, len(ranked), CLAUSE_BATCH):  # tag only as far down the ranking as k needs
        batch = ranked[start:start + CLAUSE_BATCH]
        for i, is_clause in zip(batch, clauses([claims[i].text for i in batch], spacy_model)):
            if is_clause and all(sims[i, j] < DUPLICATE_SIM for j in chosen):
                chosen.append(i)
            if len(chosen) == k:
                break
        if len(chosen) == k:
            break
    return [Hypothesis(id=f"S{n}", statement=" ".join(claims[i].text.split()), kind="hypothesis", suggested=True)
            for n, i in enumerate(chosen, start=1)]


def _neighbours(sims: np.ndarray, sources: np.ndarray) -> list[list[int]]:
    """For each claim, the most similar claims of other sources above ``NEIGHBOUR_SIM`` (bounded)."""
    out = []
    for i in range(len(sims)):
        candidates = [j for j in np.argsort(-sims[i], kind="stable")
                      if sources[j] != sources[i] and sims[i, j] >= NEIGHBOUR_SIM]
        out.append([int(j) for j in candidates[:MAX_NEIGHBOURS]])
    return out


def _contest_score(claim: Claim, claims: Sequence[Claim], sim_row: np.ndarray,
                   labels: list[tuple[int, str]]) -> tuple[int, float]:
    """(tier, score): tier 2 contested, 1 echoed, 0 neither (score 0)."""
    if not labels:
        return 0, 0.0
    supporting = {claim.source_id} | {claims[j].source_id for j, lab in labels if lab == "support"}
    opposing = {claims[j].source_id for j, lab in labels if lab == "oppose"}
    mean_sim = float(np.mean([sim_row[j] for j, _ in labels]))
    if opposing:
        tier, score = 2, min(len(supporting), len(opposing)) + mean_sim
    else:
        echoes = {claims[j].source_id for j, _ in labels if sim_row[j] >= PARAPHRASE_SIM}
        if not echoes:
            return 0, 0.0
        tier, score = 1, len(echoes) + mean_sim
    words = len(claim.text.split())
    length_penalty = 1.0 if words <= LONG_WORDS else LONG_WORDS / words
    return tier, score * claim.score * length_penalty
