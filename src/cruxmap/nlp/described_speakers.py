"""A description as a speaker: ``the Illinois lawmaker said`` is the one person named earlier in the article whom
the article described with those words.

A description fits a person when every word of it is one the article attached to that person before: a title
before the name (``Democratic Sen. Ana Ruiz``), an appositive (``Ana Ruiz, a Republican from Texas,``), a party and
state code (``Sen. Ana Ruiz (D-Ill.)``, ``Ruiz, R-Texas,``) or ``of Ohio`` after the name. States match their
abbreviations, parties their codes and adjectives, and a general role word the titles it covers (a ``lawmaker``
is a senator or a representative). Words of tenure or manner (``longtime``, ``veteran``) need no match; ``former``
does. The description is credited only when exactly one person fits: none or several leave it as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .entities import fold

#: the states, each with the abbreviations news style and the postal service give it
US_STATES: dict[str, tuple[str, ...]] = {
    "alabama": ("ala", "al"), "alaska": ("ak",), "arizona": ("ariz", "az"), "arkansas": ("ark", "ar"),
    "california": ("calif", "cal", "ca"), "colorado": ("colo", "co"), "connecticut": ("conn", "ct"),
    "delaware": ("del", "de"), "florida": ("fla", "fl"), "georgia": ("ga",), "hawaii": ("hi",), "idaho": ("id",),
    "illinois": ("ill", "il"), "indiana": ("ind", "in"), "iowa": ("ia",), "kansas": ("kan", "kans", "ks"),
    "kentucky": ("ky",), "louisiana": ("la",), "maine": ("me",), "maryland": ("md",), "massachusetts": ("mass", "ma"),
    "michigan": ("mich", "mi"), "minnesota": ("minn", "mn"), "mississippi": ("miss", "ms"), "missouri": ("mo",),
    "montana": ("mont", "mt"), "nebraska": ("neb", "nebr", "ne"), "nevada": ("nev", "nv"), "new hampshire": ("nh",),
    "new jersey": ("nj",), "new mexico": ("nm",), "new york": ("ny",), "north carolina": ("nc",),
    "north dakota": ("nd",), "ohio": ("oh",), "oklahoma": ("okla", "ok"), "oregon": ("ore", "or"),
    "pennsylvania": ("pa", "penn"), "rhode island": ("ri",), "south carolina": ("sc",), "south dakota": ("sd",),
    "tennessee": ("tenn", "tn"), "texas": ("tex", "tx"), "utah": ("ut",), "vermont": ("vt",), "virginia": ("va",),
    "washington": ("wash", "wa"), "west virginia": ("wva", "wv"), "wisconsin": ("wis", "wisc", "wi"),
    "wyoming": ("wyo", "wy"),
}
_STATE_OF = {abbreviation: state for state, abbreviations in US_STATES.items() for abbreviation in abbreviations}
_STATE_OF.update({state: state for state in US_STATES})
#: party words and codes
PARTIES = {"d": "democrat", "dem": "democrat", "democrat": "democrat", "democrats": "democrat",
           "democratic": "democrat", "r": "republican", "republican": "republican", "republicans": "republican",
           "gop": "republican", "i": "independent", "independent": "independent"}
#: title abbreviations before a name, as the role words they stand for
TITLE_WORDS = {"sen": "senator", "rep": "representative", "gov": "governor", "pres": "president",
               "sec": "secretary", "gen": "general", "lt": "lieutenant", "atty": "attorney", "ex": "former",
               "then": "former", "onetime": "former", "congresswoman": "congressman"}
#: a general role word and the titles it covers
ROLE_COVERS = {
    "lawmaker": {"senator", "representative", "congressman", "legislator", "lawmaker", "assemblyman",
                 "assemblywoman", "congressmember", "delegate"},
    "legislator": {"senator", "representative", "congressman", "legislator", "lawmaker", "assemblyman",
                   "assemblywoman"},
    "congressman": {"representative", "congressman"},
    "representative": {"representative", "congressman"},
    "politician": {"senator", "representative", "congressman", "governor", "mayor", "lawmaker", "legislator",
                   "president", "politician"},
    "leader": {"president", "premier", "chancellor", "prime", "king", "leader"},
    "judge": {"judge", "justice"},
}
#: words of tenure or manner that do not tell one person from another
NEUTRAL = frozenset("current sitting longtime veteran senior junior outspoken embattled newly elected".split())
_DETERMINERS = frozenset({"the", "this", "that"})
#: words that open the complement of a role (``chief of …``, ``director at …``)
_COMPLEMENT_START = frozenset("of at for in from with to on".split())


#: a prefix joined by a hyphen that is a word of its own (``then-Sen.``, ``D-Ill.``); other compounds stay whole
#: (``vice-president`` is no president)
_SPLIT_PREFIX = re.compile(r"\b(then|ex|former|[DRI])[-–](?=[A-Z])", re.IGNORECASE)
#: a chamber's office held by one of its members (``the Senate minority leader`` is a senator)
_CHAMBER_ROLE = {"senator": re.compile(r"\bsenate\s+(?:majority\s+|minority\s+)?(?:leader|whip|member)\b"),
                 "representative": re.compile(r"\bhouse\s+(?:majority\s+|minority\s+)?(?:speaker|leader|whip|member)\b")}


def _words(phrase: str) -> list[str]:
    """The phrase's words, folded, each keeping a final dot (``Ill.``) that marks an abbreviation."""
    phrase = re.sub(r"\b(vice)\s+(?=president)", r"\1-", _SPLIT_PREFIX.sub(r"\1 ", phrase), flags=re.IGNORECASE)
    return [w for w in (fold(t).strip(",’'()") for t in phrase.split()) if w.strip(".")]


def _with_states(words: list[str]) -> tuple[list[str], set[str]]:
    """The words (dots dropped) with state names and dotted abbreviations taken out, and the states they named
    (``new york`` is one; ``Ill.`` is Illinois, ``ill`` is a word)."""
    rest: list[str] = []
    states: set[str] = set()
    k = 0
    while k < len(words):
        pair = " ".join(w.strip(".") for w in words[k : k + 2])
        if pair in US_STATES:
            states.add(pair)
            k += 2
            continue
        word = words[k].strip(".")
        compact = words[k].replace(".", "")
        if word in US_STATES:
            states.add(word)
        elif words[k].endswith(".") and compact in _STATE_OF:
            states.add(_STATE_OF[compact])
        else:
            rest.append(word)
        k += 1
    return rest, states


def features(descriptions: Iterable[str], codes: Iterable[tuple[str, str]] = ()) -> set[str]:
    """What the article attached to one person: the words of its ``descriptions`` (titles before the name,
    appositives), with titles spelled out, states as ``state:…`` and parties as ``party:…``; ``codes`` are
    party and state codes after the name (``("D", "Ill.")``)."""
    found: set[str] = set()
    for description in descriptions:
        words, states = _with_states(_words(description))
        offices = [office for office, held in _CHAMBER_ROLE.items() if held.search(fold(description))]
        found |= {f"state:{state}" for state in states} | {f"head:{office}" for office in offices}
        words = [TITLE_WORDS.get(word, word) for word in words]
        cut = next((k for k, word in enumerate(words) if k and word in _COMPLEMENT_START), len(words))
        if cut:  # the head is the last word before a complement (``the chief of … at the agency``: chief)
            found.add(f"head:{words[cut - 1]}")
        for word in words:
            found.add(word)
            if word in PARTIES:
                found.add(f"party:{PARTIES[word]}")
    for party, state in codes:  # (a code is an abbreviation without its dot: ``D-Ill``, ``R-NY``)
        found.add("head:lawmaker")  # (a party and state code is given to members of a legislature)
        if party.lower() in PARTIES:
            found.add(f"party:{PARTIES[party.lower()]}")
        compact = fold(state).replace(".", "").replace(" ", "")
        named = " ".join(fold(state).replace(".", " ").split())
        state_name = named if named in US_STATES else _STATE_OF.get(compact)
        if state_name:
            found.add(f"state:{state_name}")
    return found


def fits(description: list[str], attached: set[str]) -> bool:
    """Every word of the ``description`` (a phrase's tokens without its determiner) is one of the ``attached``."""
    words, states = _with_states(_words(" ".join(description)))
    if any(f"state:{state}" not in attached for state in states):
        return False
    head = TITLE_WORDS.get(words[-1], words[-1]) if words else ""
    if head and head not in PARTIES and not {f"head:{title}" for title in ROLE_COVERS.get(head, {head})} & attached:
        return False  # the description's head is a title the person holds, not a word of its complement
    for word in words[:-1] if head not in PARTIES else words:  # (the head is checked above)
        word = TITLE_WORDS.get(word, word)
        if word in NEUTRAL:
            continue
        if word in PARTIES:
            if f"party:{PARTIES[word]}" not in attached:
                return False
            continue
        if not ROLE_COVERS.get(word, {word}) & attached:
            return False
    return bool(words or states)


def described_person(tokens: list[str], people: Mapping[str, set[str]]) -> str | None:
    """The one person of ``people`` (name → what the article attached to them) whom the description ``tokens``
    (``the Illinois lawmaker``) fits; None when none or several fit."""
    description = tokens[1:] if tokens and tokens[0].lower() in _DETERMINERS else tokens
    if not description:
        return None
    fitting = [name for name, attached in people.items() if fits(description, attached)]
    return fitting[0] if len(fitting) == 1 else None


def is_description_head(token: str) -> bool:
    """A head that may name one person by what they are: a common noun (``the commissioner``, ``the
    vice-president``) or a party member (``the Texas Republican``)."""
    return bool(re.fullmatch(r"[a-z]+(?:-[a-z]+)?", token)) or token in ("Republican", "Democrat", "Independent")
