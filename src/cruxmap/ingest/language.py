"""A cheap "is this English?" check, because cruxmap's models only read English.

Two signals, both on a sample of the text: the share of letters in Latin script (Cyrillic,
Arabic, CJK … text fails at once) and the share of word tokens that are common English
function words. English prose scores about 0.35–0.5 on the second; French, German, Spanish,
Italian, Dutch or Polish text scores below 0.1 even with English loanwords, and an English
article full of foreign names and places stays well above the threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

#: function words that are frequent in English and rare as words of other Latin-script languages
#: (not "a", "an", "in", "is", "on", "or", "so", "do", "he", "her", "over", "also": words of other languages)
ENGLISH_FUNCTION_WORDS = frozenset(
    "the and of to that for with was were are be been has have had this these those from by "
    "but not which would will their they them there what when who whom how its it's it she his "
    "him we our you your at as if than then because about after before could should can "
    "said says does did been being more most other some such only into very just".split()
)

SAMPLE_CHARS = 3_000  # ≈500 words: plenty for the two signals, and cheap
MIN_WORDS = 30  # below this the signal is noise; short texts pass
MIN_LETTERS = 20
MIN_LATIN_SHARE = 0.6
MIN_FUNCTION_WORD_SHARE = 0.08  # English news ≥ 0.12 (AllSides, PolNeAR); other languages ≤ 0.03

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")  # on lower-cased text; accented words split into harmless pieces
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_FIX = "cruxmap's models read English only: translate the article to English or leave it out"


@dataclass(frozen=True)
class EnglishScore:
    letters: int  #: letters of any script in the sample
    latin_share: float  #: share of those letters in Latin script
    words: int  #: Latin-script word tokens in the sample
    function_word_share: float  #: share of those tokens that are common English function words


def english_score(text: str) -> EnglishScore:
    """Score a sample of ``text`` on the two signals.

    Written for speed (a 6,000-article export is checked in well under a second): ASCII
    letters are counted in C with ``bytes.translate``, only the non-ASCII characters one by one.
    """
    sample = text[:SAMPLE_CHARS]
    ascii_letters = len(sample.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    other_letters = [ch for ch in _NON_ASCII.findall(sample) if ch.isalpha()]
    letters = ascii_letters + len(other_letters)
    latin = ascii_letters + sum(1 for ch in other_letters if ch < "\u0250")  # up to Latin Extended-B
    words = _WORD.findall(sample.lower().replace("\u2019", "'"))
    hits = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS)
    return EnglishScore(
        letters, latin / letters if letters else 0.0, len(words), hits / len(words) if words else 0.0
    )


def check_english(text: str, path: str) -> None:
    """Raise ``InputError`` ``not-english`` when ``text`` is clearly not English (``no-text``: no letters)."""
    score = english_score(text)
    if not score.letters:
        raise InputError(
            "the text holds no letters", path=path, code="no-text", fix="give a file with the article's words"
        )
    if score.letters >= MIN_LETTERS and score.latin_share < MIN_LATIN_SHARE:
        raise InputError(
            f"not English: only {score.latin_share:.0%} of the letters are Latin script",
            path=path,
            code="not-english",
            fix=_FIX,
        )
    if score.words >= MIN_WORDS and score.function_word_share < MIN_FUNCTION_WORD_SHARE:
        raise InputError(
            f"not English: only {score.function_word_share:.0%} of the words are common English "
            "function words (English news has 20–40%)",
            path=path,
            code="not-english",
            fix=_FIX,
        )
