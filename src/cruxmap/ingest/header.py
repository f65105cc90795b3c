"""The block of short lines that opens many saved plain-text articles: masthead, headline, byline.

Newspaper pages saved as text often start with something like::

    THE DAILY PLANET | Opinion          <- outlet (a section suffix, or a short masthead)
    Distributed by Some Syndicate       <- syndication note
    Why the grid needs firm power       <- headline (kept as written, ALL CAPS included)
    A look at what storage can't do     <- dek / standfirst
    By Jane Roe, energy editor          <- byline (role dropped; "| June 3, 2024" gives the date)
    Published 3 June 2024               <- date line

A block is read only when it carries a line that can be nothing but header: a byline, a date
line, a syndication note or a masthead with a section suffix. The block ends at the last such
line (or at the first line that reads as body: a long line or a hard-wrapped paragraph); the
short lines before it are the outlet, the headline and the dek. Lines after it are body, so a
body that opens with a short sentence never loses it. Without any such line nothing is read
here, and the stricter first-line rule in ``title.py`` decides alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .byline import parse_byline, parse_names
from .dates import normalise_date
from .title import (
    MAX_SENTENCE_CASE_WORDS,
    MIN_TITLE_WORDS,
    ends_with_connector,
    is_title_cased,
    looks_like_noise,
)

MAX_HEADER_LINES = 8  #: non-blank lines from the top that may belong to the header
HEADER_WINDOW = 8000  #: characters from the top to look at (eight lines of at most 300, and blank lines)
MAX_SHORT_WORDS = 25  #: an outlet or headline line is at most this long
MAX_DEK_WORDS = 45  #: a dek may run longer, but only when a byline or date line follows it
MAX_MASTHEAD_WORDS = 4  #: a bare masthead (no section suffix) is a short name
MAX_DATE_WORDS = 6  #: "Monday, June 3, 2024" and no sentence around it

_SECTIONS = (
    r"opinion|analysis|comment|commentary|editorial|op-?ed|column|columnists?|perspectives?|viewpoint|ideas"
    r"|essay|features?|news|world|politics|business|economy|science|energy|climate|environment|review"
    r"|letters?|long read|explainer|briefing|guest column|guest essay|the big read"
)
_MASTHEAD_WITH_SECTION = re.compile(
    rf"^(?P<outlet>[^|—–·•:]{{2,60}}?)\s*(?:\||—|–|·|•|:|\s-)\s*(?P<section>{_SECTIONS})\.?$", re.I
)
_SYNDICATION = re.compile(
    r"^(?:(?:distributed|syndicated|supplied|provided|licensed)\s+(?:by|through|via)\b"
    r"|(?:this (?:article|column|story|piece|op-?ed) )?(?:was )?(?:first|originally) (?:appeared|published)\b"
    r"|reprinted (?:with permission )?(?:from|by)\b|republished (?:with permission )?from\b)",
    re.I,
)
_DATE_PREFIX = re.compile(
    r"^(?P<kind>first published|published|posted|last updated|updated|dated?)\b(?:\s+on)?\s*:?\s*", re.I
)
_TIME = re.compile(
    r"(?:\bat\s+)?\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?:[A-Z]{2,4}|GMT[+-]\d+))?\b\.?,?|\b\d{1,2}\s*[ap]\.?m\.?\b,?",
    re.I,
)
_BYLINE_DATE_SEPARATOR = re.compile(r"\s*(?:\||—|–|·|•|,)\s*")
_ROLE_WORDS = re.compile(
    r"\b(?:editor|writer|correspondent|reporter|columnist|contributor|analyst|fellow|professor|director"
    r"|staff|bureau|economist|journalist|producer|chief|senior|special to)\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
#: picture captions and credits that scraped pages leave above the headline or the byline
_CAPTION_HINT = re.compile(
    r"\b(?:Reuters|AP|AFP|EPA|Getty(?: Images)?)\s?/|/\s?(?:Reuters|AP|AFP|EPA)\b"
    r"|\bpictured?\b|\billustration\b|\bphoto(?:graph)?s?\b|\bimage\b|\bcaption\b|\bis seen\b|\bare seen\b",
    re.I,
)
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+(?=\d)", re.I)
_NAME_WORD = re.compile(r"^[A-Z][\w'’.-]*$|^(?:de|da|van|von|der|den|del|la|le|bin|al|el|di|du|ter)$")


@dataclass
class HeaderBlock:
    """What a header block gave: metadata values and the raw spans it consumed, with reasons."""

    values: dict[str, str] = field(default_factory=dict)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    end: int = 0  #: raw offset where the body starts


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def read_header_block(text: str, offset: int = 0, known_title: str | None = None) -> HeaderBlock | None:
    """Read the header block at ``offset`` (see module doc); ``None`` when there is none.

    ``known_title`` (from front matter): a line repeating it is the headline, however short.
    """
    lines = _header_candidates(text, offset)
    kinds = [_structural_kind(line.text) for line in lines]
    structural = [i for i, kind in enumerate(kinds) if kind is not None]
    if not structural:
        return None
    last = structural[-1]
    lines, kinds = lines[: last + 1], kinds[: last + 1]
    block = HeaderBlock(end=lines[-1].end)
    free = [i for i, kind in enumerate(kinds) if kind is None]  # outlet / headline / dek candidates
    first_fixed = structural[0]
    if kinds[first_fixed] in ("byline", "date") and any(i > first_fixed for i in free):
        # a headline below the byline or the date: not a layout we know; read nothing
        return None
    if free and len(lines[free[0]].text.split()) > MAX_SHORT_WORDS:
        return None
    roles = _roles_of_free_lines(
        [lines[i] for i in free],
        has_outlet="outlet" in kinds,
        has_byline="byline" in kinds,
        known_title=known_title,
    )
    if roles is None:
        return None
    for index, role in zip(free, roles, strict=True):
        kinds[index] = role
    for line, kind in zip(lines, kinds, strict=True):
        _apply(block, line, kind)
    return block


def _header_candidates(text: str, offset: int) -> list[_Line]:
    """The first short non-blank lines, up to the first line that reads as body."""
    raw_lines: list[tuple[int, str]] = []
    position = offset
    for raw in text[offset : offset + HEADER_WINDOW].split("\n"):
        raw_lines.append((position, raw))
        position += len(raw) + 1
    found: list[_Line] = []
    for index, (line_start, raw) in enumerate(raw_lines):
        stripped = raw.strip()
        if not stripped:
            continue
        below = raw_lines[index + 1][1].strip() if index + 1 < len(raw_lines) else ""
        if len(found) >= MAX_HEADER_LINES or _reads_as_body(stripped, below or None):
            break
        start = line_start + (len(raw) - len(raw.lstrip()))
        found.append(_Line(start, start + len(stripped), stripped))
    return found


def _reads_as_body(line: str, below: str | None) -> bool:
    """A long line, or the first line of a hard-wrapped paragraph (its sentence runs on below)."""
    if len(line.split()) > MAX_DEK_WORDS or len(line) > 300:
        return True
    return bool(below and not _SENTENCE_END.search(line) and below[:1].islower())


def _structural_kind(line: str) -> str | None:
    """``byline``, ``date``, ``syndication`` or ``outlet`` (a masthead with a section suffix)."""
    if _SYNDICATION.match(line):
        return "syndication"
    if parse_date_line(line) is not None:
        return "date"
    if parse_header_byline(line) is not None:
        return "byline"
    if _masthead_with_section(line) is not None:
        return "outlet"
    return None


def _roles_of_free_lines(
    free: list[_Line], *, has_outlet: bool, has_byline: bool, known_title: str | None = None
) -> list[str] | None:
    """Outlet, headline and dek for the lines that are not byline, date or syndication.

    The first one is a masthead when it is a short name and a headline follows it; the next
    is the headline; one more is the dek. More than that, or a line that cannot be a
    headline where one is needed, and the block is not read.
    """
    roles: list[str] = []
    rest = list(free)
    first_is_known_title = bool(rest) and known_title is not None and _same_title(rest[0].text, known_title)
    if rest and not has_outlet and len(rest) >= 2 and _is_masthead(rest[0].text) and not first_is_known_title:
        roles.append("outlet")
        rest = rest[1:]
    if rest:
        known = known_title is not None and _same_title(rest[0].text, known_title)
        if not known and not _is_headline(rest[0].text, has_byline=has_byline):
            return None
        roles.append("title")
        rest = rest[1:]
    if len(rest) > 1:
        return None
    if rest:
        if not _is_dek(rest[0].text):
            return None
        roles.append("dek")
    return roles


def _same_title(line: str, title: str) -> bool:
    def comparable(text: str) -> str:
        return " ".join(text.casefold().rstrip(".").split())

    return comparable(line) == comparable(title)


def _is_masthead(line: str) -> bool:
    """A short name without sentence punctuation: ``Grid & Gauge``, ``THE DAILY PLANET``."""
    words = line.split()
    if not 1 <= len(words) <= MAX_MASTHEAD_WORDS or line[-1] in ".!?,;:":
        return False
    names = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w.lower() not in {"the", "of", "and", "&"}]
    return bool(names) and all(w[:1].isupper() for w in names)


def _is_headline(line: str, *, has_byline: bool) -> bool:
    """Short, starts like a sentence or a quote, and does not stop on a comma or a connector.

    A sentence-case line is at most ``MAX_SENTENCE_CASE_WORDS`` long, and one that closes
    with a full stop (``Keep what we have. Build with care.``) reads as a headline only
    above a byline: after a bare date line it may as well be a short first paragraph.
    """
    words = line.split()
    if not MIN_TITLE_WORDS <= len(words) <= MAX_SHORT_WORDS or not _starts_like_text(line):
        return False
    if (
        line[-1] in ",;:-–—(/&"
        or ends_with_connector(line)
        or looks_like_noise(line)
        or _CAPTION_HINT.search(line)
    ):
        return False
    if line.isupper() or is_title_cased(line):
        return True
    if len(words) > MAX_SENTENCE_CASE_WORDS:
        return False
    return has_byline or not _SENTENCE_END.search(line)


def _is_dek(line: str) -> bool:
    if _CAPTION_HINT.search(line) or looks_like_noise(line):
        return False
    return 3 <= len(line.split()) <= MAX_DEK_WORDS and _starts_like_text(line)


def _starts_like_text(line: str) -> bool:
    first = line.lstrip("\"'“‘«(")[:1]
    return first.isupper() or first.isdigit()


def _masthead_with_section(line: str) -> str | None:
    match = _MASTHEAD_WITH_SECTION.match(line)
    if not match:
        return None
    outlet = match["outlet"].strip()
    return outlet if _is_masthead(outlet) else None


def parse_date_line(line: str) -> tuple[str, str] | None:
    """``(iso_date, kind)`` for a line that is only a date (``Published 12 February 2024``).

    ``kind`` is ``published`` or ``updated``. A date inside a sentence does not count.
    """
    prefix = _DATE_PREFIX.match(line)
    kind = "updated" if prefix and "updated" in prefix["kind"].lower() else "published"
    rest = line[prefix.end() :] if prefix else line
    rest = _WEEKDAY_PREFIX.sub("", _TIME.sub(" ", rest).strip(" ,.|-–—")).strip(" ,.|-–—")
    if not rest or len(rest.split()) > MAX_DATE_WORDS or not re.search(r"\d", rest):
        return None
    date = normalise_date(rest)
    return (date, kind) if date else None


def parse_header_byline(line: str) -> tuple[str, str | None] | None:
    """``(author, iso_date or None)`` for a byline in a header block.

    Beyond ``By Jane Roe``: a trailing role (``, contributing editor``) is dropped, and a
    trailing date (``| 5 June 2024``) is split off; a bare name without ``By`` counts only
    with such a date (``Jane Roe | 5 June 2024``), since a short line of capitalised words
    may as well be a masthead.
    """
    head, date = _split_trailing_date(line)
    head = _drop_role(head)
    author = parse_byline(head)
    if author is None and date is not None and _is_bare_name_list(head):
        author = parse_names(head)
    if author is None:
        return None
    return author, date


def _is_bare_name_list(text: str) -> bool:
    """``Jane Roe`` or ``Jane Roe and John Doe``: two to four name words per person, nothing else."""
    names = [n.split() for n in re.split(r",|\band\b|&", text) if n.strip()]
    return bool(names) and all(2 <= len(n) <= 4 and all(_NAME_WORD.match(w) for w in n) for n in names)


def _split_trailing_date(line: str) -> tuple[str, str | None]:
    """``Jane Roe | 5 June 2024`` → ``("Jane Roe", "2024-06-05")``; the line unchanged without a date."""
    for separator in _BYLINE_DATE_SEPARATOR.finditer(line):
        found = parse_date_line(line[separator.end() :])
        if found is not None:
            return line[: separator.start()].strip(), found[0]
    return line, None


def _drop_role(line: str) -> str:
    """``by Jane Roe, contributing editor`` → ``by Jane Roe``."""
    head, comma, tail = line.rpartition(",")
    if not comma or not tail.strip():
        return line
    words = tail.split()
    if _ROLE_WORDS.search(tail) or all(w.islower() for w in words):
        return head.strip()
    return line


def _apply(block: HeaderBlock, line: _Line, kind: str | None) -> None:
    values = block.values
    reason = kind or "header"
    if kind == "outlet":
        outlet = _masthead_with_section(line.text) or line.text
        values.setdefault("outlet", outlet)
    elif kind == "title":
        values.setdefault("title", line.text)
    elif kind == "byline":
        author, date = parse_header_byline(line.text) or ("", None)
        if author:
            values.setdefault("author", author)
        if date:
            values.setdefault("published", date)
    elif kind == "date":
        date, date_kind = parse_date_line(line.text) or ("", "")
        if date and date_kind == "published":
            values.setdefault("published", date)
    block.spans.append((line.start, line.end, reason))
