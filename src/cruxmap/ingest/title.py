"""Infer a plain-text article's title from its first line, only when that line clearly is one.

Many saved articles start straight with body text (a hard-wrapped first sentence, a lede
paragraph); calling those a title would drop body text. The first line counts as a title
when it is short, reads like a headline and is set apart from the body:

* followed by a blank line (or a byline): a headline without a closing full stop, or a Title-Cased
  headline (``Why Neutrality Will Not Save Ukraine.``) even with one;
* followed directly by the body: only a Title-Cased line without closing punctuation, so
  that a hard-wrapped first sentence (``... must test whether Russia``) never qualifies.

A line with more than one sentence, a byline, a date, a time stamp, a URL or a trailing
connector word (``... and``) is never a title. Anything doubtful is left as body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .byline import parse_byline
from .dates import normalise_date

MIN_TITLE_WORDS = 4  # "John Smith", "USA TODAY": two- and three-word first lines are mostly bylines
MAX_TITLE_WORDS = 25  # Title-Cased headline
MAX_SENTENCE_CASE_WORDS = 16  # longer sentence-case lines are decks or ledes
MAX_TITLE_CHARS = 200

_CONNECTORS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "from",
    "in",
    "into",
    "nor",
    "of",
    "on",
    "or",
    "than",
    "that",
    "the",
    "to",
    "with",
    "whether",
    "which",
    "who",
    "its",
    "their",
    "his",
    "her",
}
_SMALL_WORDS = _CONNECTORS | {"is", "are", "be", "was", "vs", "via", "over", "up", "out", "off", "not", "it"}
_NOISE_START = re.compile(
    r"^(by|updated|published|posted|photo|image|credit|advertisement|share|listen|watch|video|audio|"
    r"read more|"
    r"related|sign up|subscribe|click|copyright|©|filed under|editor'?s note|story highlights|media playback|"
    r"media caption|this article|skip to)\b",
    re.I,
)
#: captions, photo credits and relative time stamps that scrapers leave on the first line
_NOISE_ANYWHERE = re.compile(
    r"\bphoto\b|\bgetty images\b|/\s?(?:AP|AFP|Reuters)\b|\((?:AP|AFP|Reuters)\)|\bimage:|"
    r"\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+(?:ago|old)\b",
    re.I,
)
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Prof|No|vs|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Co|Corp|Ltd)\.$"
)
_SENTENCE_BREAK = re.compile(r"[a-z0-9\)\]][.!?][\"'”’]?\s+\S")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\.(com|org|net|gov|ua|uk)\b", re.I)
_OPENING = "\"'“‘«([¡¿"
_CLOSING = "\"'”’»)]"
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass(frozen=True)
class TitleLine:
    """The title text and its span ``[start, end)`` in the text it was found in."""

    title: str
    start: int
    end: int


def infer_title(text: str) -> TitleLine | None:
    """Return the first line of ``text`` as a title if it clearly is one, else ``None``."""
    lines = _first_lines(text, 3)
    if len(lines) < 2:
        return None  # a single line is the body itself
    (start, end, line), (_, _, following) = lines[0], lines[1]
    # a blank line or a byline sets the title apart from the body
    blank_after = (
        bool(re.search(r"\n[ \t]*\n", text[end : lines[1][0]])) or parse_byline(following) is not None
    )
    if not _is_title_like(line, blank_after):
        return None
    if not blank_after and not (following[:1].isupper() or following[:1] in _OPENING):
        return None
    if len(_WORD.findall(text[lines[1][0] : lines[1][0] + 2000])) < 5:
        return None  # nothing that reads as a body follows
    return TitleLine(line, start, end)


def _first_lines(text: str, count: int) -> list[tuple[int, int, str]]:
    """The first ``count`` non-blank lines as ``(start, end, stripped line)``."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        stripped = match.group().strip()
        if not stripped:
            continue
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        found.append((start, start + len(stripped), stripped))
        if len(found) == count:
            break
    return found


def _is_title_like(line: str, blank_after: bool) -> bool:
    words = line.split()
    if not MIN_TITLE_WORDS <= len(words) <= MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS:
        return False
    if line[0] in _OPENING[:4] and line.rstrip()[-1] in _CLOSING[:4]:
        return False  # a pull quote or epigraph
    first = line.lstrip(_OPENING)[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if _is_noise(line):
        return False
    if normalise_date(line) is not None or not _WORD.search(line):
        return False
    bare = line.rstrip(_CLOSING)
    last_word = bare.split()[-1].lower().strip(".,;:!?")
    if bare[-1] in ",;:-–—(/&" or last_word in _CONNECTORS:
        return False
    body = bare[:-1] if bare[-1] in ".!?" else bare
    if _SENTENCE_BREAK.search(_mask_abbreviations(body)):
        return False  # two sentences: a lede or a caption, not a headline
    title_case = _title_cased(line)
    ends_with_stop = bare[-1] in ".!?…" and not _ABBREVIATION.search(bare)
    if not blank_after:
        return title_case and not ends_with_stop
    if ends_with_stop:
        return title_case and len(words) <= 16
    return title_case or len(words) <= MAX_SENTENCE_CASE_WORDS


def ends_with_connector(line: str) -> bool:
    """``... and``, ``... of the``: a line cut mid-sentence."""
    return line.rstrip(_CLOSING).split()[-1].lower().strip(".,;:!?") in _CONNECTORS


def looks_like_noise(line: str) -> bool:
    """Bylines, captions, credits, time stamps, URLs and list items (see ``_is_noise``).

    An ALL CAPS line is not taken for a list of names (``SMALL REACTORS, BIG PROMISES``).
    """
    if line.isupper():
        return _is_noise_except_names(line)
    return _is_noise(line)


def _is_noise(line: str) -> bool:
    """Bylines, captions, credits, time stamps, URLs and list items."""
    return _is_noise_except_names(line) or _is_name_list(line)


def _is_noise_except_names(line: str) -> bool:
    return bool(
        _NOISE_START.match(line)
        or _NOISE_ANYWHERE.search(line)
        or _URL.search(line)
        or _TIME.search(line)
        or line.startswith(("- ", "* ", "#"))
        or line.endswith(")")
    )


def _is_name_list(line: str) -> bool:
    """``Jane Roe, and John Q. Doe``: a byline of two to four capitalised words per name."""
    names = [n.split() for n in re.split(r",|\band\b|&", line) if n.strip()]
    if len(names) < 2 or not (" and " in line or "&" in line or "," in line):
        return False
    return all(2 <= len(n) <= 4 and all(w[:1].isupper() for w in n) for n in names)


def _mask_abbreviations(text: str) -> str:
    """Hide the full stops of abbreviations (``U.S.``, ``Feb.``) from the sentence-break check."""
    text = re.sub(r"\b(?:[A-Z]\.){2,}", lambda m: m.group().replace(".", "_"), text)
    return re.sub(
        r"\b(Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Prof|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
        r"Oct|Nov|Dec|Inc|Co|Corp|Ltd)\.",
        r"\1_",
        text,
    )


def is_title_cased(line: str) -> bool:
    """``Why Kyiv Needs Guarantees``: see ``_title_cased``."""
    return _title_cased(line)


def _title_cased(line: str) -> bool:
    """Most content words after the first start with a capital (``Why Kyiv Needs Guarantees``)."""
    words = [w for w in _WORD.findall(line)[1:] if w.lower() not in _SMALL_WORDS and len(w) > 2]
    if len(words) < 2:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.75
