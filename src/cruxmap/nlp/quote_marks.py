"""Quote marks, the quoted pieces they enclose, and the sentence layout a quotation is read in.

Quote marks of any style (“…”, "…", ‘…’, «…», „…“, ''…'') are paired inside one paragraph. A paragraph
that ends inside a quotation continues it only when the next paragraph opens with a quote mark (the
English convention); otherwise the quotation is bounded to its paragraph, so one unbalanced mark never
swallows the rest of the article. A quoted piece after a title word, or in title case, names a work.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model import Document
from .speaker_mentions import Cue, Speaker

#: opening mark → the marks that may close it
PAIRS = {"“": '”"', "«": "»", "„": "“”", "‹": "›", "‘": "’", '"': '"”', "''": "''", "”": "”"}
DOUBLE_OPENERS = ("“", "«", "„", '"', "''", "”")
#: words before a quotation that make it the title of a work, not speech
TITLE_WORDS = frozenset(
    "article essay book titled entitled headlined headline op-ed oped column film movie "
    "song album show series paper piece poem novel documentary podcast program "
    "programme episode slogan chapter author co-author coauthor authored".split()
)
#: a quoted phrase after these words is a name, not anyone's words (``what is known at the ministry as the “T” desk``,
#: ``a memo addressed to “all staff”``: the addressee)
NAMED_AS = re.compile(r"\b(?:known(?:\s+\w+){0,3}?\s+as|nicknamed|addressed\s+to)\s+(?:(?:the|a|an)\s+)?$",
                      re.IGNORECASE)
TITLE_CASE_MAX_WORDS = 12
#: a title word right before the mark, with at most a determiner between (``the film “…”``, ``his book, “…”``,
#: ``author of “…”``); a verb in between ends it: in ``the program is a “…”`` the words are not a title
_TITLE_WORD_BEFORE = re.compile(
    r"(?:^|[\s-])(?:" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True)) + r")[,:]?"
    r"(?:\s+(?:the|a|an|of|his|her|their|its|new|latest|called|named)[,:]?){0,2}\s*$",
    re.IGNORECASE,
)


@dataclass
class QuotedPiece:
    """The words inside one pair of quote marks (or up to the paragraph end if unclosed)."""

    open_at: int
    start: int
    end: int
    close_end: int
    closed: bool
    chain: int
    speaker: Speaker | None = None
    cue: Cue | None = None
    extra: dict = field(default_factory=dict)



def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


#: the characters that may open a quotation
_MARKS = frozenset("“«„‹‘'\"”")


def _opening_mark(text: str, i: int, lo: int) -> str | None:
    """The opening quote mark starting at ``i``, if the character there opens a quotation."""
    c = text[i]
    if c not in _MARKS:
        return None
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if c in "“«„‹":
        return c
    if c == "‘" and not before.isalnum():
        return c
    if c == "'" and after == "'" and not before.isalnum():
        return "''"
    if c in '"”' and (before.isspace() or before in "([{—–-/:" or i == lo) and (not after.isspace() or i == lo):
        return c  # (a paragraph may open with a mark followed by a space: ``” … he delivered …”``)
    if c == '"' and before in ".!?" and after.isupper():
        return c  # ``… are needed."It’s a long way …``: a sentence glued to the quotation after it
    return None


def _closes(text: str, i: int, opener: str, open_at: int) -> int:
    """Length of the closing mark for ``opener`` at ``i`` (0 if none closes it there)."""
    c = text[i]
    if opener == "''":
        return 2 if text.startswith("''", i) else 0
    if (opener in '"“' and text.startswith("''", i) and not text[i + 2 : i + 3].isalnum() and not text[i - 1].isspace()
            and "''" not in text[open_at:i]):
        return 2  # ``"We have determined …,'' Holder said`` (unless they close a ``''…''`` nested in it)
    if opener == "“" == c and text[i + 1 : i + 2] in ("", "\n") and text[i - 1 : i] in ".!?’ ":
        return 1  # ``… is 51 percent.“`` ending the paragraph: a closing mark typed the wrong way round
    if c not in PAIRS[opener]:
        return 0
    after = text[i + 1] if i + 1 < len(text) else " "
    if opener == "‘" and (after.isalnum() or text[i - 1].isspace()):
        return 0  # an apostrophe (Russia’s), not a closing mark
    return 1


def find_quoted_pieces(text: str) -> list[QuotedPiece]:
    """Every quoted piece of ``text``, chained across paragraphs where a quotation continues."""
    pieces: list[QuotedPiece] = []
    chain = 0
    carry = False  # the previous paragraph ended inside a quotation
    for lo, hi in paragraphs(text):
        first = _opening_mark(text, lo, lo)
        if not (carry and first in DOUBLE_OPENERS):
            chain += 1
        carry = False
        i = lo
        opener: str | None = None
        open_at = 0
        while i < hi:
            if opener is None:
                mark = _opening_mark(text, i, lo)
                if mark:
                    opener, open_at = mark, i
                    i += len(mark)
                    continue
            else:
                width = _closes(text, i, opener, open_at)
                if width:
                    pieces.append(_piece(text, open_at, len(opener), i, i + width, True, chain))
                    opener = None
                    i += width
                    chain += 1
                    continue
                if opener in "“«„" and text[i] in "“«„" and opener != "„" and i > open_at + 1:
                    opener, open_at = text[i], i  # the earlier mark was never closed: start again here
                elif opener == '"' and text[i] == "“" and _nested_close(text, i, hi) > 0:
                    i = _nested_close(text, i, hi)  # ``"In its view, the leak is an “urgent hazard” for us."``
            i += 1
        if opener is not None:
            pieces.append(_piece(text, open_at, len(opener), hi, hi, False, chain))
            carry = opener in DOUBLE_OPENERS
    return [p for p in pieces if p.end > p.start]


def _nested_close(text: str, i: int, hi: int) -> int:
    """Where a curly quotation opening at ``i`` inside a straight-quoted one closes, when the straight one also
    closes later in the paragraph (``"… an “urgent hazard” for us."``); else -1. A straight quotation left open
    (a block quoted over paragraphs) keeps the curly ones inside it as quotations of their own."""
    close = text.find("”", i, hi)
    return close if close > 0 and text.find('"', close, hi) > 0 else -1


def _piece(
    text: str, open_at: int, width: int, close_at: int, close_end: int, closed: bool, chain: int
) -> QuotedPiece:
    start, end = open_at + width, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return QuotedPiece(open_at, start, end, close_end, closed, chain)



class SentenceIndex:
    """Sentence and paragraph lookup for one document."""

    def __init__(self, doc: Document):
        self.text = doc.source.text
        spans = [(s.start, s.end) for s in doc.sentences] or paragraphs(self.text)
        self.sentences = sorted(spans)
        self.starts = [s for s, _ in self.sentences]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def sentence(self, pos: int) -> tuple[int, int]:
        return self.sentences[self.sentence_index(pos)]


def word_count(text: str) -> int:
    """Whitespace-separated words in ``text``."""
    return len(text.split())


def is_title(text: str, piece: QuotedPiece) -> bool:
    """The piece names a work: a title word before it (``the book “…”``) or short title-case words."""
    lead = text[max(0, piece.open_at - 40) : piece.open_at]
    lead = re.split(r"[.!?\n]", lead)[-1]  # only words of the same sentence
    title_word = _TITLE_WORD_BEFORE.search(lead)
    if NAMED_AS.search(lead) or (title_word and not title_word.group(0).rstrip().endswith(":")):
        return True  # (after ``told the news program:`` a sentence is speech; only title case makes it a title)
    words = text[piece.start : piece.end].split()
    ending = text[piece.start : piece.end].rstrip()[-1:]
    subtitled = ":" in text[piece.start : piece.end]  # ``Ballot Battles: The History of …``
    if (
        len(words) > TITLE_CASE_MAX_WORDS
        or ending in ",;"
        or (ending == "." and len(words) > 6 and not subtitled)
    ):
        return False
    long_words = [w for w in words if len(w) > 3]
    opening = words[0][:1]  # (a title may open with a number: ``60 Minutes``)
    return bool(long_words) and all(w[:1].isupper() for w in long_words) and (opening.isupper() or opening.isdigit())

