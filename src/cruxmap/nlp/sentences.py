"""Sentence spans over the cleaned text, repaired where statistical splitters go wrong on news.

spaCy proposes sentence starts; ``repair_boundaries`` then (1) always breaks at a line break
(paragraphs never share a sentence), (2) moves a boundary that falls just before a closing
quote mark to after it, so ``"We will win.”`` stays whole, and (3) drops a boundary before a
lowercase word or stray punctuation (``” he said.``, ``Sens|. Jeff``) or after text that does
not end like a sentence (``says USIP’s | Angela Stent``). Every sentence's text
equals ``text[start:end]`` and carries no surrounding whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from ..model import Sentence

CLOSING_QUOTES = "”’»\"'›"
_LINE_BREAK = re.compile(r"\n\s*")
#: characters that cannot start a sentence: the split before them is a splitter error
_CONTINUATION_START = re.compile(r"[a-z.,;:)\]}!?%]")
#: a sentence ends with terminal punctuation, possibly followed by closing quotes or brackets
_TERMINAL_END = re.compile(r"[.!?…:;][\"”’'»)\]]*$|[\"”»]$")


def repair_boundaries(text: str, starts: Iterable[int]) -> list[tuple[int, int]]:
    """Stripped ``(start, end)`` spans of the sentences of ``text`` given proposed start offsets."""
    proposed = sorted({s for s in starts if 0 < s < len(text)})
    cuts: set[int] = set()
    for start in proposed:
        start = _skip_closing_quotes(text, start)
        if start >= len(text):
            continue
        following = text[start:].lstrip()
        if not following:
            continue
        first = start + len(text[start:]) - len(following)
        between = text[start:first]
        if "\n" not in between and _CONTINUATION_START.match(following):
            continue
        if "\n" not in between and not _TERMINAL_END.search(text[:first].rstrip()[-3:]):
            continue
        cuts.add(first)
    for match in _LINE_BREAK.finditer(text):
        cuts.add(match.end())
    spans: list[tuple[int, int]] = []
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    for lo, hi in pairwise(bounds):
        span = _strip(text, lo, hi)
        if span:
            spans.append(span)
    return spans


def _skip_closing_quotes(text: str, start: int) -> int:
    """Move a boundary sitting before closing quote marks (``win.|”``) to after them."""
    pos = start
    while pos < len(text) and text[pos] in CLOSING_QUOTES and pos > 0 and not text[pos - 1].isspace():
        pos += 1
    return pos


def _strip(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return (lo, hi) if hi > lo else None


def make_sentences(source_id: str, text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    """``Sentence`` objects with ids ``{source_id}:s{n}`` for the given spans."""
    return [
        Sentence(id=f"{source_id}:s{n}", source_id=source_id, start=lo, end=hi, text=text[lo:hi])
        for n, (lo, hi) in enumerate(spans)
    ]


def sentences_from_spacy(source_id: str, text: str, spacy_doc: Any) -> list[Sentence]:
    """Sentences of ``text`` from a spaCy ``Doc`` of the same text, boundaries repaired."""
    starts = [sent.start_char for sent in spacy_doc.sents]
    return make_sentences(source_id, text, repair_boundaries(text, starts))
