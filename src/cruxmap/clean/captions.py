"""Rules that find photo captions and credits, and paragraphs that a page repeats.

A caption is recognised by its credit (``(AP Photo/Jane Doe)``, ``| Jane Doe/AFP/Getty
Images``, ``Photo: Jane Doe/Reuters``, ``(Jane Doe/The Daily Planet)``, a bare domain such
as ``example.gov``) or by the labels that image widgets leave in scraped text (``Image
copyright``, ``toggle caption``, ``Slideshow (3 Images)``, ``FILE - In this … photo``). A
caption is removed as a whole line, because the text before the credit describes the
picture, not the story. Repeated paragraphs (image alt text plus caption, pull quotes) are
removed too; the first copy is kept unless the copies sit side by side and look like a
caption.
"""

from __future__ import annotations

import re

from .lines import Line, ends_sentence

_PHOTO_AGENCY = (
    r"(?:Getty(?: Images)?|Shutterstock|iStock(?:photo)?|Alamy|NurPhoto|Sipa(?: USA)?|ZUMA(?: Press| Wire)?|Polaris"
    r"|Redux|CNP|SOPA Images|LightRocket|WireImage|Corbis|Newscom|Abaca|Rex Features|Wikimedia Commons|Flickr)"
)
_AGENCY = (
    rf"(?:{_PHOTO_AGENCY}|AP(?: Photo)?|Associated Press|Reuters|AFP|EPA(?:-EFE)?|Bloomberg|Pool|TNS|UPI"
    r"|MediaNews Group|Anadolu(?: Agency)?|Xinhua|Kyodo|Yonhap|Handout|Staff)"
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|van|von|del|la|le|bin|al))*"

#: credits that make a whole line a caption, each with the lower-case substrings one of which
#: it needs (a cheap test that spares the regular expression on most lines)
_CREDIT_PATTERNS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    # "… | Jane Doe/AFP/Getty Images", "… | AP Photo", "| Jane Doe and John Roe/Staff"
    (("|",), re.compile(rf"\|\s*(?:{_NAME}\s*/\s*\S|{_PHOTO_AGENCY}\b|AP Photos?\b|(?:AP|Reuters|AFP)\s*$)")),
    # "… (AP Photo/Jane Doe)", "(Photo: Jane Doe, The Daily Planet)", "(Photo by Jane Doe)"
    (("(",), re.compile(
        rf"\((?:{_AGENCY}\s+)?(?:Photo|Photograph|Image|Picture|Illustration|Credit)s?\b(?:\s*(?:by|credit|courtesy))?"
        r"[^()]{0,120}\)\s*$",
        re.I,
    )),
    # "… (Jane Doe/The Daily Planet)", "(Getty Images)", "(Jane Doe via Reuters)"; not a bare "(Reuters)",
    # which attributes the text to a news agency
    (("(",), re.compile(
        rf"\((?:{_NAME}\s*/\s*[^()]{{2,80}}|[^()]{{0,60}}\b{_PHOTO_AGENCY}|[^()]{{0,60}}\bvia {_AGENCY})\)\s*$"
    )),
    # "Photo: Jane Doe/Reuters", "Photo credit: Jane Doe", "Photograph by Jane Doe"
    (("photo", "image", "picture", "illustration"), re.compile(
        r"(?:^|[\s.|])(?:Photo|Photograph|Image|Picture|Illustration)s?(?:\s+(?:credit|courtesy))?"
        rf"\s*(?::|by\b)\s*(?:{_NAME}|{_AGENCY})[^.]{{0,80}}$",
        re.I,
    )),
    # "… Credit Jane Doe/The Daily Planet", "Image credit: @janedoe" closing a caption
    (("credit",), re.compile(rf"(?:^|[.!?”\"]\s+)(?:Image |Photo )?Credit:?\s+(?:{_NAME}|@\w+)[^.]{{0,80}}$", re.I)),
    # "… Jane Doe/AFP/Getty Images", "… via Getty Images" at the very end of the line
    (("/", "via "), re.compile(rf"(?:{_NAME}\s*/\s*(?:{_NAME}\s*/\s*)*{_AGENCY}|\bvia {_AGENCY})\s*$")),
]

#: labels that image widgets leave at the start of a line
_CAPTION_PREFIX = re.compile(
    r"^(?:Image (?:copyright|caption|source)|Media (?:caption|playback)|Enlarge this image|toggle caption"
    r"|Slideshow \(\d+ Images?\)|(?:next|prev|previous) Image \d+ of \d+|Caption:|Photo(?:graph)?:|Pictured:"
    r"|FILE(?: PHOTO)?\s*[-–—:]|(?:FILE\s*[-–—]\s*)?In this (?:[^.,]{0,40}(?:,\s*\d{4},?)?\s*)?(?:file )?photo\b)",
    re.I,
)
_CAPTION_WORD_ALONE = re.compile(r"^(?:Photo|Image|Video|Gallery|Photos|Images|Credit)$", re.I)
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}")
_BEFORE_DOMAIN_CREDIT = re.compile(r"(?:[.|—–-]|\bvia)$")

MAX_CAPTION_WORDS = 120
MIN_REPEATED_WORDS = 6


def _ends_with_domain_credit(text: str) -> bool:
    """``… Jane Doe. example.gov``: a picture credited to a bare web domain."""
    head, _, last = text.rpartition(" ")
    if not _DOMAIN.fullmatch(last):
        return False
    return not head or bool(_BEFORE_DOMAIN_CREDIT.search(head.rstrip()))


def caption_reason(line: Line) -> str | None:
    """``'caption'`` when ``line`` is a photo caption or credit, else None."""
    text = line.text
    if _CAPTION_PREFIX.search(text) or _CAPTION_WORD_ALONE.match(text):
        return "caption"
    if line.word_count() > MAX_CAPTION_WORDS:
        return None
    lowered = text.lower()
    for hints, pattern in _CREDIT_PATTERNS:
        if any(hint in lowered for hint in hints) and pattern.search(text):
            return "caption"
    if not ends_sentence(text) and line.word_count() <= 30 and _ends_with_domain_credit(text):
        return "caption"
    return None


def mark_captions(lines: list[Line]) -> None:
    for line in lines:
        if line.kept:
            reason = caption_reason(line)
            if reason:
                line.removed = reason


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


_CAPTION_CUES = re.compile(
    r"\b(?:speaks|arrives|listens|waves|gestures|looks on|poses|stands|sits|walks|attends|greets|pictured|shown"
    r"|file photo|in this photo)\b|\((?:left|right|center|L|R|C)\)|\b(?:from )?(?:left|right), ",
    re.I,
)


def _caption_like(line: Line) -> bool:
    """A short paragraph worded like a picture's description (present tense, left/right)."""
    return line.word_count() <= 60 and bool(_CAPTION_CUES.search(line.text))


def mark_repeated(lines: list[Line]) -> None:
    """Remove paragraphs that occur more than once.

    Copies side by side (alt text + caption) are both removed as ``caption`` when they are
    worded like a caption; otherwise later copies are removed as ``repeated`` and the first
    one stays, so no sentence of the body is lost.
    """
    seen: dict[str, int] = {}
    previous_kept: Line | None = None
    for index, line in enumerate(lines):
        if not line.kept:
            continue
        if line.word_count() >= MIN_REPEATED_WORDS:
            key = _normalized(line.text)
            if key in seen:
                first = lines[seen[key]]
                if previous_kept is first and _caption_like(line):
                    first.removed = line.removed = "caption"
                else:
                    line.removed = "repeated"
                continue
            seen[key] = index
        previous_kept = line
