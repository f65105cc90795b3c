"""A speaker mention and a reporting cue, the cues in a stretch of text, and what kind of speaker a
mention is (person, organisation, group, document) with one canonical name per anonymous group."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from ..model import Entity
from .speaker_words import (
    COLLECTIVE_HEADS,
    CUE_PATTERN,
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    ROLE_NOUNS,
)

#: what kind of speaker a mention is (``Quote.speaker_type``)
SpeakerType = Literal["person", "organisation", "document", "group"]


@dataclass
class Speaker:
    """A speaker mention: canonical name (None if unresolved), role, and the mention's span."""

    name: str | None
    role: str | None
    start: int
    end: int


@dataclass
class Cue:
    text: str
    start: int
    end: int


def find_cues(text: str, lo: int, hi: int) -> list[Cue]:
    """Reporting cues in ``text[lo:hi]``, in order (lowercase only: ``SAYS`` in a headline is not one)."""
    return [
        Cue(m.group(0), lo + m.start(), lo + m.end())
        for m in CUE_PATTERN.finditer(text[lo:hi])
        if (m.group(0).islower() or m.group(0).lower() == "according to")
        and (m.group(0) not in _DOCUMENT_ONLY_CUES or _after_document(text, lo + m.start()))
        and (m.group(0) not in _CUES_CHECKED_AFTER or _verb_by_what_follows(text, m.group(0), lo + m.end()))
    ]


#: cue words that are verbs only by what follows them: ``think`` (not in ``a centrist think tank``, a compound
#: noun), ``ran`` / ``runs`` (only before a written thing: ``“…,” ran the headline``)
_CUES_CHECKED_AFTER = frozenset({"think", "ran", "runs"})
#: a written thing right after ``ran``
_WRITTEN_AFTER = re.compile(r"\s+(?:the|a|an|one|its|his|her|their)\s+(?:[a-z-]+\s+)?(?:headline|caption|banner|title|"
                            r"slogan|sign|subhead|tagline)s?\b")


def _verb_by_what_follows(text: str, word: str, end: int) -> bool:
    if word == "think":
        return re.match(r"[ -]tanks?\b", text[end : end + 7]) is None
    return _WRITTEN_AFTER.match(text, end) is not None



#: cues that are verbs only after a document (``the treaty states``, not ``the Baltic states``)
_DOCUMENT_ONLY_CUES = frozenset({"states", "stipulate", "shows", "showed", "show", "found", "finds", "estimates",
                                 "estimated", "indicates", "indicated", "determined", "determines"})


#: a reduced passive after the document's head noun (``a report released last year found``)
_DOCUMENT_PARTICIPLE = re.compile(
    r"\s+(?:released|published|issued|filed|obtained|drafted)(?:\s+by\s+(?:the\s+)?[\w.’'&-]+(?:\s+[\w.’'&-]+){0,3}?)?"
    r"(?:\s+(?:last|this|earlier|early|late|in|on)\s+[\w’']+)?\s*$")


#: a document noun, then where it is found (``a memo on the port’s website``)
_PLACED = re.compile(r"\b([a-z]+)\s+(?:on|in|from|at)\s+(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+\s+$")


#: the maker of a document after its head noun (``a survey by the Port Institute found``)
_DOCUMENT_BY = re.compile(r"\s+(?:by|from|of|for)\s+(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3}\s*$")


def _after_document(text: str, pos: int) -> bool:
    lead = text[max(0, pos - 80) : pos]
    made = _DOCUMENT_BY.search(lead)
    return _right_after_document(lead) or made is not None and _right_after_document(lead[: made.start() + 1])


def _right_after_document(lead: str) -> bool:
    reduced = _DOCUMENT_PARTICIPLE.search(lead)
    lead = lead[: reduced.start() + 1] if reduced else lead
    before = re.search(r"([\w’']+)\s+(?:\w+ly\s+)?$", lead)
    placed = _PLACED.search(lead)  # ``a memo on the port’s website states``
    return (before is not None and before.group(1).lower() in DOCUMENT_NOUNS | {"that", "which"}
            or placed is not None and placed.group(1) in DOCUMENT_NOUNS)


#: demonyms that name the same country as its short form, so that "American officials" and "U.S.
#: officials" are one speaker (a group speaker's canonical form)
DEMONYMS = {"american": "U.S.", "us": "U.S.", "u.s.": "U.S.", "united states": "U.S.", "british": "U.K.",
            "uk": "U.K.", "u.k.": "U.K.", "russian": "Russian", "ukrainian": "Ukrainian", "chinese": "Chinese",
            "european": "European", "eu": "EU", "e.u.": "EU", "german": "German", "french": "French"}
_GROUP = re.compile(r"^(?:the\s+|some\s+|several\s+|many\s+|two\s+|three\s+)?(?P<mods>(?:[a-z-]+\s+){0,2}?)"
                    r"(?P<adj>united states|[\w.]+)\s+(?P<head>\w+)$", re.IGNORECASE)


def _head_before_modifier(speaker: Speaker) -> SpeakerType | None:
    """The kind of an unnamed speaker phrase by its head noun before a preposition (``advisers to Ana Ruiz``: a group;
    ``the board at Port Valley School District``: an organisation; ``a spokesman for the Harbour Trust``: a person)."""
    words = (speaker.role or "").lower().replace("’", "'").split()
    cut = next((k for k, w in enumerate(words) if k and w in ("of", "on", "at", "in", "for", "with", "from", "to",
                                                              "close", "near", "around")), None)
    if not cut or words[cut] == "of" and words[-1] in PLURAL_SOURCES:
        return None  # (``a group of 90 lawmakers``: the people are the head)
    head = next((w.strip(",.") for w in reversed(words[:cut]) if w.strip(",.") in ROLE_NOUNS | PLURAL_SOURCES
                 | ORGANISATION_NOUNS or w.endswith("s") and w[:-1] in ROLE_NOUNS), None)
    if head is None:
        return None
    if head in PLURAL_SOURCES or head in COLLECTIVE_HEADS or head.endswith("s") and head[:-1] in ROLE_NOUNS:
        return "group"
    return "organisation" if head in ORGANISATION_NOUNS else "person"


#: a phrase opening with a determiner: its head noun, before a modifier (``from``, ``by``, ``of``, ``for``) or at its end
_DETERMINED_HEAD = re.compile(r"(?:the|a|an|its|his|her|their)\s+(?:[\w’'.-]+\s+){0,3}?(?P<head>[a-z]+)"
                              r"(?:\s+(?P<modifier>from|by|of|for|in|on)\s|$)")


def speaker_type(speaker: Speaker, entities: list[Entity], starts: list[int] | None = None,
                 people: set[str] | frozenset[str] = frozenset(), text: str = "") -> SpeakerType | None:
    """person / organisation / document / group for a speaker mention (None when unknown).
    ``entities`` sorted by start, with ``starts`` their starts, finds the mention's entity by bisection;
    a speaker whose name is one of ``people`` (the text's persons) is a person whatever this mention
    was tagged; ``it`` or ``which`` in ``text``, resolved to an organisation of the text, is that organisation."""
    if speaker.role == "document":
        return "document"
    if speaker.name is None and speaker.role and text[speaker.start : speaker.end].lower() in ("they", "them"):
        return "group"  # ``they`` resolved to the plural group it means
    if speaker.name and speaker.name not in people and text[speaker.start : speaker.end].lower() in ("they", "them"):
        return "organisation"  # ``they`` resolved to a named body (``The Gazette … . They described …``)
    if speaker.name is None and speaker.role and re.match(r"(?:.+\s+and\s+)?other\s", speaker.role):
        return "group"  # ``Ana Ruiz and other port leaders``, ``other port leadership``: more than one speaks
    if speaker.name and re.fullmatch(r"[A-Z]{2,4}", speaker.name):
        return "organisation"  # ``EDF warned``: an acronym, even one the tagger took for a person
    if speaker.name and speaker.name in people:
        return "person"
    headed_phrase = _DETERMINED_HEAD.match(speaker.name or speaker.role or "")
    if headed_phrase and headed_phrase.group("head") in DOCUMENT_NOUNS:
        return "document"  # ``the statement from Ana Ruiz``: the name says whose statement, the statement speaks
    if headed_phrase and headed_phrase.group("head") in ORGANISATION_NOUNS and not headed_phrase.group("modifier"):
        return "organisation"  # ``the Ruiz campaign``: a name before the noun only says whose
    if speaker.name is None and re.match(r"one\s+of\s", (speaker.role or "").lower()):
        return "person"  # ``one of the aides``: one member of a group speaks
    headed = _head_before_modifier(speaker) if speaker.name is None else None
    if headed is not None:  # ``advisers to Ana Ruiz``: the head, not the name in its modifier, is the kind
        return headed
    starts = starts if starts is not None else [e.start for e in entities]
    i = bisect.bisect_left(starts, speaker.end)
    entity = next((e for e in reversed(entities[max(0, i - 4):i]) if speaker.start < e.end), None)
    label = entity.label if entity is not None else None
    if (text[speaker.start : speaker.end].lower() in ("it", "which", "its") and speaker.name
            and any(e.canonical == speaker.name and e.label == "ORG" for e in entities)):
        return "organisation"  # ``it``: a mention of no name of its own, resolved to an organisation
    if label == "PERSON":
        return "person"
    described = set((speaker.role or "").lower().split()) if speaker.name else set()
    if described & ROLE_NOUNS and not described & ORGANISATION_NOUNS:
        return "person"  # a name the tagger took for an organisation, described as a person is
    if label == "LAW":
        return "document"
    words = (speaker.role or speaker.name or "").lower().replace("’", "'").split()
    cut = next((k for k, w in enumerate(words) if k and w in ("of", "on", "at", "in", "for", "with", "from")), None)
    if cut and words[cut] == "of" and words[-1] in PLURAL_SOURCES:
        return "group"  # ``a bipartisan group of some 90 lawmakers``: the people are the head
    words = words[:cut] if cut else words  # the head comes before its modifier (``a source on the panel``)
    head = words[-1].strip(",.") if words else ""
    if head in PLURAL_SOURCES or head in COLLECTIVE_HEADS or (head.endswith("s") and head[:-1] in ROLE_NOUNS):
        return "group"
    if head == "percent":
        return "group"  # ``63 percent said``: a share of the people polled
    if head in ROLE_NOUNS and entity is not None and entity.end < speaker.end and not speaker.name:
        return "person"  # ``the North Korean spokesman``: the country only modifies the role
    if head in ORGANISATION_NOUNS or label in ("ORG", "GPE", "NORP"):
        return "organisation"
    if head in ROLE_NOUNS or speaker.name and label is None and speaker.role and head in ROLE_NOUNS:
        return "person"
    if speaker.name and not speaker.role:
        return "person"  # a pronoun or a name the tagger missed, resolved to a person
    if words and words[0] in ("a", "an", "one") and not head.endswith("s"):
        return "person"  # ``a biologist in the film``: one unnamed person
    return None


#: words that open a group's name only with a capital at a sentence start (``Critics say`` / ``many critics``)
_COMMON_OPENERS = PLURAL_SOURCES | frozenset(
    "the some several many most few other others both all two three four senior former top local leading "
    "prominent fellow".split())


def canonical_group(name: str) -> str:
    """One name per anonymous group: ``American officials`` / ``US officials`` → ``U.S. officials``,
    ``Senior American officials`` / ``senior US officials`` → ``senior U.S. officials``, and ``Critics`` at a
    sentence start / ``critics`` inside one → ``critics``, so every consumer of the quotes sees one speaker."""
    name = _lower_opening(" ".join(name.split()))
    match = _GROUP.match(name)
    if not match or match.group("head").lower() not in PLURAL_SOURCES:
        return name
    mods = match.group("mods").lower()
    if mods and match.group("adj").lower() not in DEMONYMS:
        return name  # ``Former Fed officials``: only a country's short and long forms are the same words
    adj = DEMONYMS.get(match.group("adj").lower(), match.group("adj"))
    return f"{mods}{adj} {match.group('head').lower()}"


def _lower_opening(name: str) -> str:
    """``Critics`` → ``critics``, ``Several Fed officials`` → ``several Fed officials``; a proper name
    (``Greenpeace activists``) and a word in capitals (``US officials``) keep their capitals."""
    first, _, rest = name.partition(" ")
    if first[:1].isupper() and not first.isupper() and first.lower() in _COMMON_OPENERS:
        return first.lower() + (f" {rest}" if rest else "")
    return name

