"""Caption and repeat rules for paragraphs that are hard-wrapped over several lines.

The line rules in ``captions.py`` see one line at a time. A caption wrapped at 75 columns
has its credit on its last line, often cut in two (``(Photo: Jane Doe/The`` / ``Daily
Planet)``), and a paragraph printed twice may be wrapped differently each time. Here the
lines are looked at as re-flowed paragraphs:

* a short run of wrapped lines that ends with a photo credit in parentheses is a caption
  (each copy, when the run is printed twice in a row);
* a paragraph whose re-flowed text repeats an earlier paragraph's is a repeat (the first
  copy stays), and so is the short tail of a repeated paragraph that the line rule missed.

Body paragraphs are safe: a caption run is at most ``MAX_WRAPPED_CAPTION_WORDS`` words,
its lines break only mid-sentence (so two short one-line paragraphs never form one), it
starts with a capital and it must end on an explicit photo credit, never a bare agency
attribution or a citation.
"""

from __future__ import annotations

import re

from .captions import MIN_REPEATED_WORDS
from .lines import Line, ends_sentence
from .reflow import MAX_WRAP_WIDTH, paragraphs

MAX_WRAPPED_CAPTION_WORDS = 60

_PHOTO_AGENCY = r"Getty(?: Images)?|Shutterstock|iStock(?:photo)?|Alamy|AP Photo|Reuters/|AFP/|EPA"
#: "(Photo: Jane Doe/The Daily Planet)", "(AP Photo/Jane Doe)", "(Reuters photo: Jane Doe)", "(Photograph
#: by Jane Doe)", "(Jane Doe/Getty Images)"; not "(including a photo of the device)"
_PHOTO_CREDIT_END = re.compile(
    r"\((?:[A-Z][\w.&'’-]*\s+){0,3}(?i:photo|photograph|image|picture|illustration)s?"
    r"(?:\s*[:/,]|\s+(?i:by|credit|courtesy)\b)[^()]{0,120}\)\s*$"
    rf"|\([^()]{{0,80}}\b(?:{_PHOTO_AGENCY})[^()]{{0,40}}\)\s*$"
)
#: removal reasons a caption run may already carry on some of its lines
_CAPTION_PARTS = {None, "caption", "repeated"}


def mark_wrapped_captions(lines: list[Line]) -> None:
    """Mark each short wrapped run that ends with a photo credit in parentheses as ``caption``."""
    for block in _wrapped_blocks(lines):
        start = 0
        for end, line in enumerate(block):
            if not line.text.endswith(")"):
                continue
            run = block[start : end + 1]
            if len(run) >= 2 and _is_caption_run(run):
                for part in run:
                    part.removed = "caption"
            start = end + 1


def _wrapped_blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of lines with no blank line between them, cut wherever the text is not wrapped."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        joins = (
            current and not line.gap_before and line.removed in _CAPTION_PARTS and _is_wrap_point(current[-1])
        )
        if not joins:
            if current:
                blocks.append(current)
            current = []
        if line.removed in _CAPTION_PARTS:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _is_wrap_point(line: Line) -> bool:
    """The break after ``line`` can be a hard wrap: a line of wrapping width that stops
    mid-sentence (or on a credit's closing parenthesis, when a caption is printed twice)."""
    return len(line.text) <= MAX_WRAP_WIDTH and not ends_sentence(line.text)


def _is_caption_run(run: list[Line]) -> bool:
    if sum(line.word_count() for line in run) > MAX_WRAPPED_CAPTION_WORDS:
        return False
    first = run[0].text.lstrip("\"'“‘(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False  # starts mid-sentence: the tail of a body paragraph
    return bool(_PHOTO_CREDIT_END.search(_joined(run)))


def _joined(run: list[Line]) -> str:
    return " ".join(" ".join(line.text for line in run).split())


def _normalized(run: list[Line]) -> str:
    return _joined(run).casefold()


def mark_repeated_paragraphs(lines: list[Line]) -> None:
    """Remove re-flowed paragraphs that repeat an earlier one, and leftover tails of repeats.

    The line rule compares single lines, so a paragraph wrapped differently in its two
    copies, or the few-word last line of a repeated paragraph, survives it.
    """
    seen: set[str] = set()
    for para in paragraphs(lines):
        if sum(line.word_count() for line in para) < MIN_REPEATED_WORDS:
            continue
        key = _normalized(para)
        if key in seen:
            for line in para:
                line.removed = "repeated"
        else:
            seen.add(key)
    _mark_repeated_tails(lines)


def _mark_repeated_tails(lines: list[Line]) -> None:
    """A short kept line right after a repeated run, with no gap, that also followed the first copy.

    ``Daily Planet)`` after a twice-printed wrapped caption: too short for the line rule, but
    the copy it closes was removed, and the same words closed the first copy too.
    """
    texts = [line.text for line in lines]
    for index in range(1, len(lines)):
        line, before = lines[index], lines[index - 1]
        if not line.kept or line.gap_before or before.removed not in ("repeated", "caption"):
            continue
        if line.word_count() >= MIN_REPEATED_WORDS:
            continue
        earlier = [i for i in range(index - 1) if texts[i] == before.text and texts[i + 1] == line.text]
        if earlier:
            line.removed = before.removed
