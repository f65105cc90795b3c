"""Contradictions: pairs of claims from different sources that cannot both hold, precision first.

Two kinds, each with its own evidence:

* **evaluative** — opposite positions on the same item. Two sources that take opposite sides of
  a hypothesis or proposition in the source table (support vs oppose; ``mixed`` takes no side)
  each have the claims that decided their cell (``Stance.claim_ids``). The pair shown is the
  closest (cosine) of those claims, one per side; its score is the geometric mean of the two
  cells' strengths × (1 + cosine) / 2. Each source is paired at most once per item (its closest
  opponent), syndicated copies count as one source, and the contradiction names the item
  (``hypothesis_id``). Claim-level stances alone never make a pair: the offline backend cannot
  tell which way a sentence leans (``docs/positions.md``), and when it could, a pair against the
  source table would say the two articles disagree where their positions say they do not.
* **factual** — the same statement with a fact changed: one side negated and the other not
  (cosine ≥ ``NEGATION_SIMILAR``), different numbers (cosine ≥ ``SIMILAR``), or dated events that
  describe the same happening with different dates, each with ≥ ``MIN_OVERLAP`` of the content
  words shared. Where the pair reader is installed (``ContradictionReader``: the stance
  cross-encoder, trained with SNLI and SICK contradictions as its ``oppose`` class), it must also
  read the two texts as incompatible (mean of both orders ≥ ``FACTUAL_MIN``), which removes
  pairs such as "the treaty was signed in May" vs "the treaty was never signed by the Senate
  in May" that share words and differ in what they are about. Score = cosine (× 0.9 for
  numbers and dates, which paraphrases vary more) × the reader's probability.

Measured on the labelled pairs of ``resources/contradictions/labels.json`` and on SICK/SNLI
(``cruxmap bench quality --task map``). Above 5,000 claims only pairs inside a cluster are
compared for factual pairs. The top ``limit`` pairs by score are kept, each naming two claim ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from ..model import Claim, Contradiction, Event, Source, Stance
from ..nlp.date_values import date_span
from .keypoints import independent_sources
from .matcher import content_tokens, has_negation

SIMILAR = 0.75  # cosine above which two claims are "about the same thing"
NEGATION_SIMILAR = 0.8
MIN_OVERLAP = 0.5  # Jaccard of content words required for a factual mismatch
FACTUAL_MIN = 0.5  # the pair reader's probability that the two texts cannot both hold
MAX_GROUP = 200  # clusters larger than this compare each claim with its 20 nearest members only
DECIDING_CLAIMS = 3  # of each source cell, the strongest deciding claims considered for the pair
READER_WORDS = 48  # words of each text the pair reader sees (both texts share its 128 tokens)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)")


class ContradictionReader:
    """Reads two texts together and gives the probability that they cannot both hold: the
    ``oppose`` class of the stance cross-encoder (``resources/stance/cross_encoder.npz``), averaged
    over both orders. Loaded on first use; SICK test 0.98 precision on the pairs the factual rules
    keep (``cruxmap bench quality --task map``)."""

    kind = "stance-cross-encoder"

    def __init__(self, weights: str | Path | None = None, threads: int = 1):
        from ..argue.stance.offline import CROSS_FILE, RESOURCE_DIR

        self.path = Path(weights) if weights else RESOURCE_DIR / CROSS_FILE
        self.threads = threads
        self._model = None

    @property
    def available(self) -> bool:
        return self.path.is_file()

    def _load(self):
        if self._model is None:
            from ..argue.cross_encoder import shared_cross_encoder
            from ..argue.stance.offline import HEAD_CLASSES

            # the stance reader's own copy when it is loaded (the same file): one model in memory, not two
            self._model = shared_cross_encoder(self.path, HEAD_CLASSES, threads=self.threads,
                                               train_script="scripts/train_cross_encoder.py")
            self._oppose = list(HEAD_CLASSES).index("oppose")
        return self._model

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        model = self._load()
        cut = [(_head(a), _head(b)) for a, b in pairs]
        # the map steps read on top of the whole corpus's claim vectors: freed pages go back after each batch
        forward = model.probabilities(cut, release=True)[:, self._oppose]
        backward = model.probabilities([(b, a) for a, b in cut], release=True)[:, self._oppose]
        return (forward + backward) / 2


def default_reader() -> ContradictionReader | None:
    reader = ContradictionReader()
    return reader if reader.available else None


def _head(text: str) -> str:
    words = text.split()
    return text if len(words) <= READER_WORDS else " ".join(words[:READER_WORDS])


def numbers_in(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


def _jaccard(a: str, b: str) -> float:
    ta, tb = content_tokens(a), content_tokens(b)
    return len(ta & tb) / (len(ta | tb) or 1)


def dates_conflict(a: str | None, b: str | None) -> bool:
    """Two event dates conflict when nothing lies in both: 2004-03 and 2004-03-29 agree, so do 1941 and the range
    1939/1945, and 1991 and the bound "1991 or later" (``[1991..]``); 2004 and 2005, or 1985 and ``[1991..]``, do
    not. A value that cannot be read conflicts with nothing."""
    span_a, span_b = date_span(a), date_span(b)
    if span_a is None or span_b is None:
        return False

    def end(span: tuple[float, float]) -> float:  # a day is a point: it holds its own instant
        return span[1] if span[1] > span[0] else span[0] + 1e-9

    return not (span_a[0] < end(span_b) and span_b[0] < end(span_a))


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


#: similarities of a large cluster computed at once (rows × members: 16 MB), in blocks of at least ``MIN_ROWS``
#: rows (a matrix product of one row takes another kernel, whose sums differ in the last bit)
SIM_CELLS = 1 << 22
MIN_ROWS = 64
#: up to this many claims every pair of near neighbours is compared, across clusters too
EXACT_NEIGHBOURS = 5000


def candidate_pairs(claims: list[Claim], vectors: np.ndarray, labels: np.ndarray) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for claims of different sources in the same cluster or with cosine ≥ SIMILAR, sorted."""
    return sorted(iter_candidate_pairs(claims, vectors, labels))


def iter_candidate_pairs(claims: list[Claim], vectors: np.ndarray,
                         labels: np.ndarray) -> Iterator[tuple[int, int, float]]:
    """``candidate_pairs`` one pair at a time, each once, in no set order, so that nothing grows with the number
    of pairs (20 per claim of a large cluster: millions on the whole news corpus, of which the rules keep a few)."""
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    seen: set[tuple[int, int]] | None = set() if len(claims) <= EXACT_NEIGHBOURS else None
    for members in groups.values():
        if len(members) < 2:
            continue
        for i, j, sim in _group_pairs(claims, vectors, members):
            if seen is not None:
                seen.add((i, j))
            yield i, j, sim
    # near neighbours that the cut put in different clusters (all pairs up to EXACT_NEIGHBOURS claims; above
    # that only pairs inside a cluster are compared, which keeps the cost linear)
    if seen is not None:
        sims = vectors @ vectors.T
        ii, jj = np.nonzero(np.triu(sims >= SIMILAR, k=1))
        for i, j in zip(ii.tolist(), jj.tolist()):
            if claims[i].source_id != claims[j].source_id and (i, j) not in seen:
                yield i, j, float(sims[i, j])


def _group_pairs(claims: list[Claim], vectors: np.ndarray, members: list[int]) -> Iterator[tuple[int, int, float]]:
    """The pairs of one cluster's members from different sources: all of them up to ``MAX_GROUP`` members, else
    each member with its 20 nearest, the similarities of a block of members to the whole cluster at a time."""
    sub = vectors[members]
    parts = 1 if len(members) <= MAX_GROUP else -(-len(members) // max(MIN_ROWS, SIM_CELLS // len(members)))
    bounds = np.linspace(0, len(members), parts + 1).astype(int)  # even blocks: never a lone last row
    for first, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        sims = sub[first:stop] @ sub.T
        for offset, row in enumerate(sims):
            a = first + offset
            partners = range(a + 1, len(members)) if len(members) <= MAX_GROUP else \
                [b for b in np.argsort(-row)[:21] if b > a]
            for b in partners:
                i, j = members[a], members[int(b)]
                if claims[i].source_id != claims[j].source_id:
                    yield min(i, j), max(i, j), float(row[b])


def text_mismatch(a: str, b: str, sim: float) -> float:
    """The negation and number rules on two texts of cosine ``sim``: the pair's score before the
    reader (0 when neither rule flags it)."""
    if _jaccard(a, b) < MIN_OVERLAP:
        return 0.0
    score = sim if sim >= NEGATION_SIMILAR and has_negation(a) != has_negation(b) else 0.0
    na, nb = numbers_in(a), numbers_in(b)
    if sim >= SIMILAR and na and nb and not (na & nb):
        score = max(score, 0.9 * sim)
    return score


def factual_candidates(claims: list[Claim], vectors: np.ndarray, labels: np.ndarray,
                       events: list[Event]) -> list[tuple[int, int, float]]:
    """(i, j, score before the reader) for pairs the negation, number and date rules flag."""
    claim_events = events_by_claim(events, claims)
    found: dict[tuple[int, int], float] = {}
    for i, j, sim in iter_candidate_pairs(claims, vectors, labels):
        a, b = claims[i], claims[j]
        score = text_mismatch(a.text, b.text, sim)
        for ea in claim_events.get(a.id, []):
            for eb in claim_events.get(b.id, []):
                if dates_conflict(ea.date, eb.date) and _jaccard(ea.description or a.text,
                                                                 eb.description or b.text) >= MIN_OVERLAP:
                    score = max(score, 0.9 * sim)
        if score > 0:
            found[(i, j)] = score
    return [(i, j, s) for (i, j), s in sorted(found.items())]


def position_pairs(claims: list[Claim], vectors: np.ndarray, stances: list[Stance], hypothesis_ids: list[str],
                   sources: Sequence[Source] = ()) -> list[Contradiction]:
    """One pair per (source, item, opposite-side source): the closest deciding claims of two sources
    that take opposite sides of the item in the source table, each source with its closest opponent."""
    row = {c.id: i for i, c in enumerate(claims)}
    group = independent_sources(list(sources))
    cells: dict[str, dict[str, list[Stance]]] = {h: {"support": [], "oppose": []} for h in hypothesis_ids}
    for s in stances:
        if (s.target == "source" and s.hypothesis_id in cells and s.label in ("support", "oppose")
                and any(c in row for c in s.claim_ids)):
            cells[s.hypothesis_id][s.label].append(s)
    out: list[Contradiction] = []
    for hid in hypothesis_ids:
        options = []
        for sa in cells[hid]["support"]:
            for so in cells[hid]["oppose"]:
                if group.get(sa.target_id, sa.target_id) == group.get(so.target_id, so.target_id):
                    continue
                ids_a = [c for c in sa.claim_ids if c in row][:DECIDING_CLAIMS]
                ids_b = [c for c in so.claim_ids if c in row][:DECIDING_CLAIMS]
                sims = vectors[[row[c] for c in ids_a]] @ vectors[[row[c] for c in ids_b]].T
                ia, ib = np.unravel_index(int(np.argmax(sims)), sims.shape)
                strength = float(np.sqrt(max(sa.score, 0.0) * max(so.score, 0.0)))
                score = strength * (1.0 + float(sims[ia, ib])) / 2.0
                options.append((score, sa.target_id, so.target_id, ids_a[ia], ids_b[ib]))
        options.sort(key=lambda o: (-o[0], o[1], o[2]))
        paired: set[str] = set()
        for score, src_a, src_b, ca, cb in options:
            if src_a in paired and src_b in paired:
                continue
            paired.update((src_a, src_b))
            a, b = (ca, cb) if ca < cb else (cb, ca)
            out.append(Contradiction(a=a, b=b, score=round(score, 4), kind="evaluative", hypothesis_id=hid))
    return out


def find_contradictions(claims: list[Claim], vectors: np.ndarray, labels: np.ndarray, stances: list[Stance],
                        hypothesis_ids: list[str], events: list[Event], limit: int = 50, *,
                        sources: Sequence[Source] = (),
                        reader: ContradictionReader | None = None) -> list[Contradiction]:
    """Evaluative and factual contradictions between claims of different sources, best first."""
    vectors = np.asarray(vectors, dtype=np.float32)
    found: dict[tuple[str, str], Contradiction] = {}

    def keep(c: Contradiction) -> None:
        key = (c.a, c.b)
        if key not in found or found[key].score < c.score:
            found[key] = c

    for c in position_pairs(claims, vectors, stances, hypothesis_ids, sources):
        keep(c)
    factual = factual_candidates(claims, vectors, labels, events)
    if reader is not None and factual:
        probs = reader.probabilities([(claims[i].text, claims[j].text) for i, j, _ in factual])
        factual = [(i, j, s * float(p)) for (i, j, s), p in zip(factual, probs) if p >= FACTUAL_MIN]
    for i, j, score in factual:
        a, b = sorted((claims[i].id, claims[j].id))
        keep(Contradiction(a=a, b=b, score=round(float(score), 4), kind="factual"))
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.kind, c.a, c.b))
    return ranked[:limit]
