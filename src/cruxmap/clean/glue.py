"""Find sentences glued together without a space (``record.While``, ``Russia.”This``).

Scraped pages often lose the space (or the paragraph break) between two sentences. The
clean stage inserts one space at each glue point found here. A glue point is terminal
punctuation (``.?!``, optionally followed by closing quotes or a bracket) directly followed
by an upper-case letter or an opening quote. It is *not* a glue point when the dot belongs
to an abbreviation (``U.S.``, ``Feb.``, ``Dr.``), to initials (``J.R.R.``), to a URL, an
e-mail address or a domain name; decimals (``3.5``) and ``U.S./Western`` never match
because no upper-case letter follows the dot.
"""

from __future__ import annotations

import re

#: lower-cased words that take an abbreviation dot and are often followed by a capital
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sr jr st mt ft rev hon gen lt col maj capt cmdr adm sgt cpl pvt gov sen rep
    pres supt insp det amb atty esq messrs mme mlle
    jan feb mar apr jun jul aug sep sept oct nov dec tues thur thurs
    inc corp ltd llc plc bros assn dept univ inst natl intl govt admin
    vol vols pp fig figs approx ca vs etc cf ibid
    ave blvd rd hwy ste apt
    ala ariz ark calif colo conn del fla ga ind kan ky md mich minn mont neb nev okla tenn tex va vt wis wyo
    """.split()
)
#: left out on purpose although they abbreviate: ordinary words that end sentences ("no", "ill", "art",
#: "mass", "miss", "wash", "sun")


_GLUE = re.compile(r"(?P<punct>[.?!])(?P<close>[\"'”’)\]]*)(?=[\"“‘]?[A-Z])")
_URL_LIKE = re.compile(r"://|^www\.|@|\.(?:com|org|net|gov|edu|io|co|us|uk|ru|ua|de|fr|info|html?|php|aspx?)\b", re.I)
_INITIAL_OR_SUFFIX_NEXT = re.compile(r"[A-Z]\.|[A-Z]{1,2}(?=[,;:)\]]|$)")


def _token_around(text: str, pos: int) -> str:
    """The whitespace-delimited token containing ``pos``."""
    start = pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _word_start(text: str, end: int, longest: int = 64) -> int:
    r"""Start of the run of letters that ends at ``end`` (``end`` itself when there is none).

    A walk back over at most ``longest`` letters: the abbreviation check needs only short words,
    and a regex anchored at ``end`` (``[^\W\d_]+$`` searched from the text's start) is quadratic in
    the length of a long run of letters (``docs/performance.md``)."""
    start = end
    while start > 0 and end - start < longest and text[start - 1].isalpha():
        start -= 1
    return start


def _is_abbreviation_dot(text: str, dot: int) -> bool:
    """True when the dot at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    start = _word_start(text, dot)
    if start == dot:
        return False  # a digit, a bracket or a quote before the dot: a sentence end
    word = text[start:dot]
    if len(word) == 1:
        return True  # initials and dotted abbreviations: J.R.R., U.S., p.m.
    before = start - 1
    if before >= 0 and text[before] == ".":
        return True  # the tail of a dotted abbreviation such as Ph.D.
    return word.lower() in ABBREVIATIONS


def glue_points(text: str) -> list[int]:
    """Offsets in ``text`` where a space should be inserted between two glued sentences."""
    points: list[int] = []
    for match in _GLUE.finditer(text):
        punct_at = match.start("punct")
        if punct_at == 0 or text[punct_at - 1].isspace():
            continue  # a lone mark such as " .NET" or a leading dot
        if match.group("punct") == "." and _is_abbreviation_dot(text, punct_at):
            continue
        if _URL_LIKE.search(_token_around(text, punct_at)):
            continue
        if _INITIAL_OR_SUFFIX_NEXT.match(text, match.end()):
            continue  # "Ph.D", "MEXCHEM.MX": the dot sits inside one token
        points.append(match.end())
    return points
