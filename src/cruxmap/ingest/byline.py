"""Bylines (``By Jane Roe and John Doe``) near the top of a plain-text article → the author.

Only a line that is nothing but ``By`` and capitalised names counts, so a sentence starting
with "By the time …" never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BYLINE = re.compile(r"^by\b[:\s]\s*(?P<names>.+?)\s*$", re.I)
_NAME_SEPARATORS = re.compile(r"\s*(?:,\s*and\s+|,|\band\b|&)\s*")
_PARTICLES = {"de", "da", "van", "von", "der", "den", "del", "la", "le", "bin", "al", "el", "di", "du", "ter"}
_MAX_NAME_TOKENS = 5
_MAX_TOKENS = 14
#: how many non-blank lines from the top a byline may sit at (after a title, a dateline …)
SEARCH_LINES = 3


@dataclass(frozen=True)
class Byline:
    author: str  #: names joined with ", "
    start: int
    end: int


def parse_byline(line: str) -> str | None:
    """The author names of a byline line, joined with ``", "``, or ``None``."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    return parse_names(match["names"])


def parse_names(text: str) -> str | None:
    """``Jane Roe and John Doe`` → ``"Jane Roe, John Doe"``: only capitalised names, or ``None``."""
    names = [n.strip() for n in _NAME_SEPARATORS.split(text.strip()) if n.strip()]
    tokens = sum(len(n.split()) for n in names)
    if not names or tokens > _MAX_TOKENS:
        return None
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= _MAX_NAME_TOKENS:
            return None
        if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words) or not words[0][:1].isupper():
            return None
    return ", ".join(names)


def find_byline(text: str, offset: int, skip: list[tuple[int, int, str]]) -> Byline | None:
    """The first byline among the first few non-blank lines after ``offset`` (lines in ``skip`` ignored)."""
    seen = 0
    for match in re.finditer(r"[^\n]+", text[offset:]):
        line = match.group()
        start = offset + match.start() + (len(line) - len(line.lstrip()))
        end = start + len(line.strip())
        if not line.strip() or any(s <= start < e for s, e, _ in skip):
            continue
        author = parse_byline(line)
        if author:
            return Byline(author, start, end)
        seen += 1
        if seen >= SEARCH_LINES:
            return None
    return None
