"""Offset bookkeeping between the raw text and the cleaned text.

The clean stage builds ``Source.text`` only by copying runs of raw characters and inserting
whitespace (a space for a line break or between glued sentences, ``"\\n\\n"`` between
paragraphs). ``TextBuilder`` records every copied run as a ``Segment`` so that any cleaned
offset maps back to its raw offset; ``alignment_problems`` checks that promise.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from ..model import Removal, Segment

#: characters treated as whitespace besides ``str.isspace`` (zero-width spaces, BOM)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: whitespace that is not already a single ASCII space: runs of two or more, tabs, newlines,
#: no-break and zero-width spaces
ODD_WHITESPACE = re.compile(rf"[\s{INVISIBLE}]{{2,}}|[^\S ]|[{INVISIBLE}]")


def is_blank(char: str) -> bool:
    return char.isspace() or char in INVISIBLE


class TextBuilder:
    """Accumulates the cleaned text from raw slices and inserted whitespace."""

    def __init__(self, raw: str):
        self.raw = raw
        self._parts: list[str] = []
        self._length = 0
        self._segments: list[list[int]] = []  # [clean_start, raw_start, length]

    def __len__(self) -> int:
        return self._length

    def copy(self, raw_start: int, raw_end: int) -> None:
        """Append ``raw[raw_start:raw_end]`` verbatim and record where it came from."""
        if raw_end <= raw_start:
            return
        last = self._segments[-1] if self._segments else None
        if last and last[0] + last[2] == self._length and last[1] + last[2] == raw_start:
            last[2] += raw_end - raw_start
        else:
            self._segments.append([self._length, raw_start, raw_end - raw_start])
        self._parts.append(self.raw[raw_start:raw_end])
        self._length += raw_end - raw_start

    def copy_collapsing_whitespace(self, raw_start: int, raw_end: int) -> None:
        """Append a raw run, turning each inner whitespace run into one space.

        A run that already is a single ASCII space is copied (and stays aligned); any other
        run (several spaces, a tab, a no-break space, a newline) becomes an inserted space.
        """
        pos = raw_start
        for match in ODD_WHITESPACE.finditer(self.raw, raw_start, raw_end):
            self.copy(pos, match.start())
            self.insert(" ")
            pos = match.end()
        self.copy(pos, raw_end)

    def insert(self, text: str) -> None:
        """Append characters that have no raw counterpart (only whitespace is allowed)."""
        if text.strip(" \n"):
            raise ValueError(f"the clean stage may only insert whitespace, not {text!r}")
        self._parts.append(text)
        self._length += len(text)

    def text(self) -> str:
        return "".join(self._parts)

    def segments(self) -> list[Segment]:
        return [Segment(clean_start=c, raw_start=r, length=n) for c, r, n in self._segments]


def clean_to_raw(alignment: Sequence[Segment], clean_offset: int) -> int | None:
    """Raw offset of the cleaned character at ``clean_offset``; None for an inserted character."""
    starts = [seg.clean_start for seg in alignment]
    index = bisect.bisect_right(starts, clean_offset) - 1
    if index < 0:
        return None
    seg = alignment[index]
    if clean_offset < seg.clean_start + seg.length:
        return seg.raw_start + clean_offset - seg.clean_start
    return None


def alignment_problems(raw: str, text: str, alignment: Sequence[Segment], removed: Iterable[Removal] = ()) -> list[str]:
    """Everything that breaks the clean stage's promise, as readable lines (empty when sound).

    * each segment copies its characters verbatim: ``text[c:c+n] == raw[r:r+n]``;
    * segments are ordered and do not overlap, in the cleaned and in the raw text;
    * every non-whitespace character of the cleaned text is covered by a segment;
    * every removal's ``text`` equals ``raw[start:end]`` and has a reason;
    * every non-whitespace raw character is either copied or inside a removal (nothing is
      dropped silently).
    """
    problems: list[str] = []
    covered_clean = bytearray(len(text))
    covered_raw = bytearray(len(raw))
    prev_clean_end = prev_raw_end = 0
    for seg in alignment:
        c, r, n = seg.clean_start, seg.raw_start, seg.length
        if text[c : c + n] != raw[r : r + n]:
            problems.append(f"segment {seg} copies {raw[r:r + n]!r} but cleaned text has {text[c:c + n]!r}")
        if c < prev_clean_end or r < prev_raw_end:
            problems.append(f"segment {seg} overlaps or is out of order")
        prev_clean_end, prev_raw_end = c + n, r + n
        covered_clean[c : c + n] = b"\1" * len(covered_clean[c : c + n])
        covered_raw[r : r + n] = b"\1" * len(covered_raw[r : r + n])
    for i, char in enumerate(text):
        if not covered_clean[i] and not is_blank(char):
            problems.append(f"cleaned char {char!r} at {i} has no raw counterpart")
            break
    for removal in removed:
        if not removal.reason:
            problems.append(f"removal at {removal.start} has no reason")
        if raw[removal.start : removal.end] != removal.text:
            problems.append(f"removal at {removal.start}-{removal.end} does not match the raw text")
        covered_raw[removal.start : removal.end] = b"\1" * len(covered_raw[removal.start : removal.end])
    for i, char in enumerate(raw):
        if not covered_raw[i] and not is_blank(char):
            problems.append(f"raw char {char!r} at {i} was dropped without a removal record: {raw[max(0, i - 30):i + 30]!r}")
            break
    return problems
