"""The raw text as a list of non-blank lines with raw offsets, which the removal rules mark.

Removal rules work on lines because real page junk (captions, promos, link lists, share
bars) arrives as whole lines or paragraphs. A line keeps its raw ``start``/``end`` (with
surrounding whitespace trimmed) so that a removal is recorded with exact raw offsets, and
``gap_before`` says whether a blank line separated it from the previous line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .align import is_blank

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
TERMINAL = ".?!"
CLOSERS = "\"'”’)]»"


@dataclass
class Line:
    start: int
    end: int
    text: str
    gap_before: bool = False
    removed: str | None = None
    _words: int | None = field(default=None, repr=False, compare=False)

    @property
    def kept(self) -> bool:
        return self.removed is None

    def word_count(self) -> int:
        if self._words is None:
            self._words = len(WORD.findall(self.text))
        return self._words

    def trim_end(self, new_end: int) -> None:
        """Cut the line at raw offset ``new_end`` (and drop whitespace before it)."""
        cut = new_end - self.start
        text = self.text[:cut].rstrip()
        while text and is_blank(text[-1]):
            text = text[:-1]
        self.text = text
        self.end = self.start + len(text)
        self._words = None


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with terminal punctuation, possibly followed by closing quotes."""
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL + "…"


def split_lines(raw: str, excluded: Iterable[tuple[int, int]] = ()) -> list[Line]:
    """Split ``raw`` into non-blank lines, skipping the ``excluded`` raw spans.

    An excluded span (front matter, a title line that ingest already took) counts as a
    paragraph break, like a blank line.
    """
    kept: list[tuple[int, int]] = []
    pos = 0
    for start, end in sorted(excluded):
        if start > pos:
            kept.append((pos, start))
        pos = max(pos, end)
    if pos < len(raw):
        kept.append((pos, len(raw)))

    lines: list[Line] = []
    gap = False
    for a, b in kept:
        line_start = a
        while line_start <= b:
            newline = raw.find("\n", line_start, b)
            line_end = b if newline < 0 else newline
            s, e = line_start, line_end
            while s < e and is_blank(raw[s]):
                s += 1
            while e > s and is_blank(raw[e - 1]):
                e -= 1
            if s < e:
                lines.append(Line(start=s, end=e, text=raw[s:e], gap_before=gap or not lines))
                gap = False
            elif newline >= 0:
                gap = True
            if newline < 0:
                break
            line_start = newline + 1
        gap = True
    return lines
