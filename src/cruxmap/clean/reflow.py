"""Re-flow the kept lines into paragraphs and write the cleaned text.

Two kinds of line break reach the clean stage: a hard wrap inside a paragraph (text
wrapped at a fixed width, or a paragraph cut in two by a removed link list) and a real
paragraph break (a blank line, or one newline per paragraph as many exports have). A break
is joined with a space when the text on both sides is one sentence running on; otherwise
it stays a paragraph break. Output paragraphs are separated by ``"\\n\\n"``; inside a
line, whitespace runs become one space and glued sentences get a space (``glue.py``).
"""

from __future__ import annotations

import re

from .align import TextBuilder
from .glue import glue_points
from .lines import Line, ends_sentence

PARAGRAPH_BREAK = "\n\n"
MIN_WRAP_WIDTH = 40
MAX_WRAP_WIDTH = 130

_RUNS_ON = re.compile(r"[^\W_]$|[,;–—-]$")
_STARTS_LOWER = re.compile(r"^[\"'“‘(]?[a-z]")
_LIST_ITEM = re.compile(r"^(?:[-•*·–]\s|\d{1,2}[.)]\s)")


def _continues(prev: Line, nxt: Line) -> bool:
    """The sentence at the end of ``prev`` evidently goes on in ``nxt``: ``prev`` stops on a
    word, a number or a comma and ``nxt`` starts in lower case."""
    if ends_sentence(prev.text) or _LIST_ITEM.match(nxt.text):
        return False
    return bool(_STARTS_LOWER.match(nxt.text)) and bool(_RUNS_ON.search(prev.text))


def _wrap_width(block: list[Line]) -> int | None:
    """The fixed width a block of lines was hard-wrapped at, or None if it was not wrapped.

    A wrapped block has three or more lines, its non-final lines fill most of one width
    (40-130 characters), most of them end mid-sentence, and the text runs on in lower
    case across a good share of the breaks (a list of headlines has none of that).
    """
    if len(block) < 3:
        return None
    body = [len(line.text) for line in block[:-1]]
    width = max(body)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = sum(1 for n in body if n >= 0.6 * width)
    open_ended = sum(1 for line in block[:-1] if not ends_sentence(line.text))
    lower_starts = sum(1 for line in block[1:] if _STARTS_LOWER.match(line.text))
    if full >= 0.7 * len(body) and open_ended >= 0.5 * len(body) and lower_starts >= 0.3 * len(body):
        return width
    return None


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Kept lines grouped into runs with no blank line and no removed line between them."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    broken = True
    for line in lines:
        if not line.kept:
            broken = True
            continue
        if broken or line.gap_before:
            if current:
                blocks.append(current)
            current = []
        current.append(line)
        broken = False
    if current:
        blocks.append(current)
    return blocks


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Kept lines grouped into paragraphs (see module doc)."""
    result: list[list[Line]] = []
    for block in _blocks(lines):
        width = _wrap_width(block)
        for index, line in enumerate(block):
            if not result:
                result.append([line])
                continue
            prev = result[-1][-1]
            if index == 0:
                join = _continues(prev, line)  # across a blank line or a removed block
            elif width is not None:
                join = not _LIST_ITEM.match(line.text) and not (
                    ends_sentence(prev.text) and len(prev.text) < 0.75 * width
                )
            else:
                join = _continues(prev, line)
            if join:
                result[-1].append(line)
            else:
                result.append([line])
    return result


def write_line(builder: TextBuilder, line: Line) -> None:
    """Copy one line, collapsing whitespace and putting a space between glued sentences."""
    pos = line.start
    for point in glue_points(line.text):
        builder.copy_collapsing_whitespace(pos, line.start + point)
        builder.insert(" ")
        pos = line.start + point
    builder.copy_collapsing_whitespace(pos, line.end)


def write_paragraphs(builder: TextBuilder, paras: list[list[Line]]) -> None:
    for p_index, para in enumerate(paras):
        if p_index:
            builder.insert(PARAGRAPH_BREAK)
        for l_index, line in enumerate(para):
            if l_index:
                builder.insert(" ")
            write_line(builder, line)
