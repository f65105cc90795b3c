"""Stance with worked examples: statements a user writes for each side of a hypothesis.

The offline head judges a claim against the hypothesis statement alone. It tells well
whether a claim bears on the hypothesis, and poorly which way it leans when the claim
argues in other words (dev accuracy IBM 0.64, PERSPECTRUM 0.68). Analysts applying Heuer's
method list, for each hypothesis, the evidence they would expect if it were true and if it
were false. A question file may carry that list as ``support_examples`` and
``oppose_examples``: short statements, in the user's own words, of what each side says.

The direction of a claim is then shifted towards the side whose closest example it
resembles most:

    direction = log p(support) - log p(oppose) + (max cos(claim, support examples)
                                                  - max cos(claim, oppose examples)) / TEMPERATURE

The relatedness mass p(support) + p(oppose) is left as the backend gave it: the examples
decide which way a related claim leans, never whether it is related.

``cruxmap bench quality --task stance --split dev`` measures it (rows "accuracy, 2+2 examples"); the
temperature was chosen on those dev pairs. The figures, with and without examples: ``docs/performance.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .stance.base import StanceResult

#: cosine margin that counts as much as a factor of e in the head's support/oppose odds
TEMPERATURE = 0.05
#: examples per side in the bench's few-shot rows
SHOTS = 2
#: an analyst's corrected passage (``Hypothesis.taught_*``) moves a claim only by the cosine above this:
#: it pulls near-paraphrases, not every claim on the topic. Chosen on climate-change among 0, 0.5, 0.6,
#: 0.7, 0.8 by ``cruxmap bench quality --task corrections`` (0: every on-topic claim of every source
#: leaned towards the first example and the table got worse), checked on the other two debates
#: (``docs/corrections.md``).
TAUGHT_FLOOR = 0.6
_EPS = 1e-6


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.size == 0:
        return vectors.reshape(0, vectors.shape[-1] if vectors.ndim == 2 else 0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, _EPS)


def example_margins(claims: np.ndarray, support: np.ndarray, oppose: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """Per claim: max cosine to a support example minus max cosine to an oppose example, each counted
    only above ``floor``.

    All arguments are unit-length row vectors; a side without examples counts 0 (so one side
    alone still pulls claims that resemble it).
    """
    if not len(claims):
        return np.zeros(0, dtype=np.float32)
    zeros = np.zeros(len(claims), dtype=np.float32)
    near_support = np.maximum((claims @ support.T).max(1) - floor, 0.0) if len(support) else zeros
    near_oppose = np.maximum((claims @ oppose.T).max(1) - floor, 0.0) if len(oppose) else zeros
    return near_support - near_oppose


def shift(result: StanceResult, margin: float, temperature: float = TEMPERATURE) -> StanceResult:
    """``result`` with its support/oppose split moved by an example ``margin`` (module docstring)."""
    if result.probs is None:
        return result
    support, oppose, neutral = result.probs
    related = support + oppose
    direction = math.log(support + _EPS) - math.log(oppose + _EPS) + margin / temperature
    direction = max(-50.0, min(50.0, direction))
    support = related / (1.0 + math.exp(-direction))
    probs = (support, related - support, neutral)
    best = int(np.argmax(probs))
    return StanceResult(("support", "oppose", "neutral")[best], float(probs[best]), probs)


def apply_examples(results: Sequence[StanceResult], claim_vectors: np.ndarray, support_vectors: np.ndarray,
                   oppose_vectors: np.ndarray, temperature: float = TEMPERATURE,
                   floor: float = 0.0) -> list[StanceResult]:
    """Shift every result (one per claim, same order as ``claim_vectors``) by its example margin."""
    margins = example_margins(unit_rows(claim_vectors), unit_rows(support_vectors), unit_rows(oppose_vectors),
                              floor)
    return [shift(r, float(m), temperature) for r, m in zip(results, margins)]
