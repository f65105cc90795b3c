"""A source's cleaned text cut into runs that carry the layers covering them.

The report prints each run as a ``<span>`` whose classes say which layers cover it (claim
supporting/opposing a hypothesis, quote, speaker, date). The runs concatenate to exactly
``Source.text``, so character offsets in hash links (``#src-ID@start-end``) can be resolved
in the browser by counting characters through the text nodes, whatever the markup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..model import Source
from ..nlp.date_values import date_words
from .index import MapIndex


@dataclass(frozen=True)
class Run:
    text: str
    classes: str  # space-separated layer classes, "" for plain text
    title: str  # hover text naming the layers ("" for plain text)


def _clip(start: int, end: int, length: int) -> tuple[int, int] | None:
    start, end = max(0, start), min(length, end)
    return (start, end) if start < end else None


def source_runs(source: Source, index: MapIndex) -> list[Run]:
    """Runs covering ``source.text`` in order; spans outside the text are ignored."""
    text = source.text
    n = len(text)
    layers: list[tuple[int, int, str, str]] = []  # start, end, class, title
    for claim in index.claims_by_source.get(source.id, []):
        side = index.dominant_side(claim.id)
        marks = index.stance_marks(claim.id)
        title = "claim" + ("; " + ", ".join(f"{m['label']}s {m['hyp']} ({m['score']:.2f})" for m in marks)
                           if marks else "")
        layers.append((claim.start, claim.end, f"lc lc-{side or 'none'}", title))
    for q in index.debate_map.quotes:
        if q.source_id != source.id:
            continue
        who = q.speaker or "unattributed"
        layers.append((q.start, q.end, "lq", f"quote: {who}"))
        if q.speaker_start is not None and q.speaker_end is not None:
            layers.append((q.speaker_start, q.speaker_end, "ls", f"speaker: {who}"))
    for e in index.debate_map.events:
        if e.source_id == source.id:
            layers.append((e.start, e.end, "ld", f"date: {date_words(e.date, e.date_text) or 'unresolved'}"))

    spans = []
    for start, end, cls, title in layers:
        if clipped := _clip(start, end, n):
            spans.append((*clipped, cls, title))
    cuts = sorted({0, n, *(p for s, e, _, _ in spans for p in (s, e))})
    runs: list[Run] = []
    for a, b in itertools.pairwise(cuts):
        covering = [(cls, title) for s, e, cls, title in spans if s <= a and b <= e]
        classes = " ".join(dict.fromkeys(" ".join(c for c, _ in covering).split()))
        title = " | ".join(dict.fromkeys(t for _, t in covering))
        if runs and runs[-1].classes == classes and runs[-1].title == title:
            runs[-1] = Run(runs[-1].text + text[a:b], classes, title)
        else:
            runs.append(Run(text[a:b], classes, title))
    return runs
