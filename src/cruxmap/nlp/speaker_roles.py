"""Role phrases around a name: whether an appositive describes a person (``the chief economist at
Norbank``), whether a phrase names a document, whether capitalised words look like a name, and a role
with its ``who was`` lead-in removed."""

from __future__ import annotations

import re

from .speaker_words import (
    CLAUSE_STOPS,
    COLLECTIVE_HEADS,
    CUE_WORDS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    ROLE_NOUNS,
)


def looks_like_role(phrase: str, capitalised: bool = True) -> bool:
    """An appositive that describes a person (``the chief economist at Norbank``, ``who was NATO
    chief``, ``Russia’s envoy``), not a clause or an adverbial (``in the depths of the war``)."""
    words = phrase.split()
    if not 0 < len(words) <= 18:
        return False
    first = words[0].lower()
    if first == "who":
        return bool(_COPULA_ROLE.match(phrase))
    if first in CUE_WORDS or not re.search(r"[A-Za-z]{3}", phrase):
        return False
    return (
        first in ("the", "a", "an", "former", "then", "now", "also")
        or first.rstrip("’'s") in ROLE_NOUNS
        or (words[0].endswith(("’s", "'s")) and words[0][:1].isupper())
        or (capitalised and words[0][:1].isupper() and first not in CLAUSE_STOPS and first not in DETERMINERS)
    )



def is_document(phrase: str) -> bool:
    """``the agreement``, ``European Joint Statement``: a phrase whose head is a document noun."""
    words = phrase.split()
    return bool(words) and words[-1].lower().strip(".,") in DOCUMENT_NOUNS


def lower_determiner(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    return f"{first.lower()} {rest}" if rest and first.lower() in DETERMINERS else phrase


_COPULA_ROLE = re.compile(
    r"(?:who|which)\s+(?:is|was|has been|had been|served as|serves as|is now|was then)\s+"
    r"(?:the|a|an|[A-Z]|former|then)"
)


_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december i we it he she they others some many most "
    "few both all none critics someone somebody anyone everyone nobody".split()
)


def looks_like_name(tokens: list[str]) -> bool:
    """``Fallon``, ``Jane Q. Public``: capitalised words, not a date, pronoun or shouted headline."""
    return (
        1 <= len(tokens) <= 4
        and all(t[:1].isupper() for t in tokens)
        and not any(t.isupper() and len(t) > 3 for t in tokens)
        and not any(t.endswith(("’s", "'s", "’", ",")) for t in tokens)
        and tokens[0].lower() not in DETERMINERS
        and not {t.lower() for t in tokens} & _NOT_NAMES
    )


def clean_role(phrase: str) -> str:
    """``who was NATO Secretary General at the time`` → ``NATO Secretary General at the time``."""
    phrase = " ".join(phrase.split())
    return re.sub(
        r"^(?:who|which)\s+(?:is|was|has been|had been|served as|serves as|is now|was then)\s+", "", phrase
    )


#: endings of nouns for a person by what they do (``a biologist``, ``the organiser``, ``council spokesmen``)
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "man", "men", "person", "ee")
#: words after a phrase's head that start its modifier (``a source on the panel``, ``people briefed on …``)
_MODIFIER_START = re.compile(r"(?:of|on|at|in|for|with|from|to|by|close|familiar|[a-z]{3,}ed)$")
#: words that open a verb's object: after ``-ed`` they make it a finite verb, not a participle modifier
_OBJECT_OPENERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "this", "that", "these", "those"})


def ends_in_speaker_noun(tokens: list[str]) -> bool:
    """The head of a phrase after ``said`` is someone who can speak: a person, role, group, organisation
    or document noun, or a name (``said a biologist in the film``, ``said the Tax Foundation``), not the
    subject of a clause (``said the event brought back memories``)."""
    cut = next((k for k, t in enumerate(tokens) if k > 1 and _MODIFIER_START.match(t)), len(tokens))
    if cut + 1 < len(tokens) and tokens[cut].endswith("ed") and tokens[cut + 1].lower() in _OBJECT_OPENERS:
        return False  # ``said the inspector constituted a risk``: a verb with its object, so a clause
    head = tokens[cut - 1].strip(",.;:") if cut else ""
    if head[:1].isupper():
        return True
    word = head.lower().removesuffix("’s").removesuffix("'s")
    nouns = ROLE_NOUNS | PLURAL_SOURCES | COLLECTIVE_HEADS | ORGANISATION_NOUNS | DOCUMENT_NOUNS
    singular = word.removesuffix("s")
    return word in nouns or singular in nouns or singular.endswith(_AGENT_ENDINGS)
