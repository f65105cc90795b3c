"""Speakers that are noun phrases, not names: ``several environmental groups`` opening a clause, ``a study of state
taxes for the Port Institute`` (the document, not the body in its phrase), ``advisers to Ana Ruiz`` and ``officials
familiar with the talks`` (the head with its modifier), ``the mayor`` before a cue.

``PhraseReader`` holds these readings over one text; ``speakers.SpeakerFinder`` extends it.
"""

from __future__ import annotations

import re

from ..model import Entity
from .speaker_mentions import Speaker
from .speaker_references import ReferenceReader
from .speaker_roles import looks_like_name, lower_determiner
from .speaker_words import (
    CLAUSE_STOPS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    ROLE_NOUNS,
)

WORD = re.compile(r"[\w’'.\-]+")

#: a sentence opening with a place (``Between the two camps sit economists who …``) puts its subject after the verb
_PLACE_PREPOSITIONS = frozenset("between among amid beside behind beyond across around inside outside near alongside "
                                "within above below beneath opposite".split())
#: the words that may stand before a determiner inside one noun phrase (``the head of the board``)
_PREPOSITIONS = frozenset("of for at in on with to from by about near among between".split())
_INVERSION_VERBS = frozenset("sit sits sat stand stands stood lie lies lay is are was were come comes came remain "
                             "remains remained".split())


def is_speaker_noun(token: str) -> bool:
    """A head noun that speaks: a role, a group, an organisation (``groups``, ``agencies`` too)."""
    singular = token[:-3] + "y" if token.endswith("ies") else token.removesuffix("s")
    return token in ROLE_NOUNS | PLURAL_SOURCES or token in ORGANISATION_NOUNS or singular in ORGANISATION_NOUNS


#: a document, an optional topic, then the body it was made by or for, right before that body's name
_DOCUMENT_BY = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Aa]nother|[Tt]his|[Ii]ts)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[a-z]+)"
                          r"(?:\s+(?:of|on|into|about)\s+[^,;:“”\"()]{1,60}?)?\s+(?:for|by|from)\s+(?:the\s+)?$")



#: a speaker noun (with its determiner and up to two modifiers), an optional adjective, a preposition and its object,
#: a coordinated second object allowed (``experts on the region and on shipping``)
HEAD_WITH_MODIFIER = re.compile(
    r"(?:(?:[Tt]he|[Aa]n?|[Ss]ome|[Ss]everal|[Mm]any|[Tt]wo|[Tt]hree|[Ff]our|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+"
    r"(?:[A-Z][a-z]+\s+(?=[a-z]))?)?"  # (after a determiner, a capitalised modifier: ``a Western diplomat with …``)
    r"(?:[a-z][\w-]*\s+){0,2}?(?P<noun>[A-Za-z][a-z]+)(?:\s+(?P<adjective>[a-z]+))?\s+"
    r"(?P<preposition>close\s+to|to|for|of|at|with|on|in|from|around|near)\s+(?P<object>[^,;:.!?“”\"()—–\n]{1,60}?"
    r"(?:\s+(?:and|or)\s+(?:to|for|of|at|with|on|in|from)\s+[^,;:.!?“”\"()—–\n]{1,40}?)?)")
#: what no head-and-modifier phrase crosses (the characters its object excludes), and the prepositions it needs
_PHRASE_STOP = re.compile(r"[,;:.!?“”\"()—–\n]")
_PREPOSITION = re.compile(r"\b(?:to|for|of|at|with|on|in|from|around|near)\b")
#: words that make the object of the preposition a clause, not a noun phrase (``the board of rushing to …
#: and``, ``people on that list if officials``)
_CLAUSE_IN_OBJECT = re.compile(r"\b(?:if|that|who|whom|which|when|because|as|while|whether|than|[a-z]+ing)\b"
                               r"|\b(?:and|or|but|the|a|an|to|of|for|in|on|at|with|from|by)$")


def _plain_modifier(text: str, phrase: re.Match, named: Entity | None) -> bool:
    """The preposition's object is a plain noun phrase: no clause in it, nothing left open at its end; after ``to`` a
    name or a determiner (``advisers to Ana Ruiz``, not ``the council to tone down``); and a person named at its end is
    the whole object (``Secretary of Defense Ana Ruiz`` is Ana Ruiz with her title)."""
    obj = phrase.group("object")
    if _CLAUSE_IN_OBJECT.search(obj):
        return False
    if phrase.group("preposition") == "to" and not re.match(r"(?:[A-Z0-9]|(?:the|a|an|his|her|their|its)\s)", obj):
        return False
    if named is not None and named.label == "PERSON":
        return re.fullmatch(r"(?:the\s+)?", text[phrase.start("object") : named.start]) is not None
    return True
#: words that may stand between a noun and a preposition without modifying the noun (a verb, a conjunction)
_NOT_MODIFYING = frozenset({"and", "or", "but", "who", "that", "which", "have", "has", "had", "are", "were", "was",
                            "is", "will", "would", "also", "then", "not"})


#: plain nouns for a person or people, which a relative ``who`` may hang on (``a man who said``)
PERSON_NOUNS = frozenset({"man", "woman", "men", "women", "person", "people", "boy", "girl", "friend", "neighbour",
                           "neighbor", "student", "students", "worker", "workers", "resident", "voter", "mother",
                           "father", "parent", "parents", "teenager", "veteran", "survivor", "victim", "customer"})
#: the words that take a share of a group before ``of`` (``one of the aides``, ``some of Ana Ruiz’s supporters``)
_SHARES = frozenset({"one", "some", "many", "several", "two", "three", "most", "few", "none"})
_POSSESSIVE_NAME = re.compile(r"[A-Z][\w.-]*[’']s")


def plural_role(token: str) -> bool:
    """The plural of a role noun (``attorneys``, ``prosecutors``): a group of those who hold the role."""
    return token.endswith("s") and token[:-1] in ROLE_NOUNS


class PhraseReader(ReferenceReader):
    """Noun phrases that speak, read around a cue in one text (built by ``SpeakerFinder``)."""

    by_start: dict[int, Entity]
    by_end: dict[int, Entity]

    def head_with_modifier(self, lo: int, end: int) -> Speaker | None:
        """``advisers to Ana Ruiz``, ``officials familiar with the talks``, ``experts on the region and on shipping``,
        ``the board at Port Valley School District``: a speaker noun (a role, a group, an organisation) followed by
        a preposition, after an adjective or not, heads the phrase that ends at ``end``; the head speaks, and the
        name or noun in its modifier only says whose or on what, so the whole phrase is the speaker."""
        window = max(lo, end - 160)
        # no such phrase crosses a comma, a stop, a quote mark or a bracket, and it holds a preposition
        stop = _PHRASE_STOP.search(self.text[window:end][::-1])
        window = end - stop.start() if stop else window
        if not _PREPOSITION.search(self.text, window, end):
            return None
        for word in WORD.finditer(self.text, window, end):
            phrase = HEAD_WITH_MODIFIER.fullmatch(self.text, word.start(), end)
            if phrase is None:
                continue
            noun, adjective = phrase.group("noun"), phrase.group("adjective")
            if noun[:1].isupper() and (phrase.start("noun") != word.start() or word.start() not in self.sentence_starts
                                       and not re.search(r"(?:^|[a-z0-9][.!?]\s|[:;]\s|\n)\s*$",
                                                         self.text[max(0, word.start() - 4) : word.start()])):
                continue  # a capital inside a sentence begins a name (``the Commission on …``), not a common noun
            if not _plain_modifier(self.text, phrase, self.by_end.get(end)):
                continue
            if not (is_speaker_noun(noun.lower()) or plural_role(noun.lower())):
                continue
            if adjective and (is_speaker_noun(adjective) or adjective in _NOT_MODIFYING):
                continue
            if self.by_start.get(word.start()) is not None:
                continue
            return self.role_phrase(self.text[word.start() : end], word.start(), end)
        return None

    def _lstrip(self, start: int, end: int) -> int:
        while start < end and self.text[start].isspace():
            start += 1
        return start

    def _subject_phrase(self, start: int, end: int) -> Speaker | None:
        """An unnamed subject opening a clause: ``several environmental groups``, ``a bipartisan group of about
        170 lawmakers`` (a determiner, plain words, a speaker noun, optionally ``of`` and more up to another)."""
        words = list(WORD.finditer(self.text, start, min(end, start + 120)))[:12]
        if not words or words[0].start() != start:
            return None
        tokens = [w.group(0) for w in words]
        gaps = [self.text[words[k - 1].end() : words[k].start()].strip() for k in range(1, len(words))]
        head = next((k for k, t in enumerate(tokens[:5]) if is_speaker_noun(t.lower())), None)
        # ``one of Ana Ruiz’s supporters``: a share of a group, which a possessive name may own
        partitive = len(tokens) > 2 and tokens[0].lower() in _SHARES and tokens[1] == "of"
        if head is None or any(gaps[:head]) or any(not (t.islower() or partitive and _POSSESSIVE_NAME.fullmatch(t))
                                                   for t in tokens[1 : head + 1]):
            return None
        if not (tokens[0].lower() in DETERMINERS or tokens[head].lower() in PLURAL_SOURCES):
            return None  # (``party procedures give``: no determiner, no plural source)
        if any(t.lower() in CLAUSE_STOPS for t in tokens[2 if partitive else 0 : head]):
            return None
        if head + 2 < len(tokens) and tokens[head + 1] == "of" and not any(gaps[head : head + 2]):
            later = next((k for k in range(head + 2, min(head + 6, len(tokens)))
                          if is_speaker_noun(tokens[k].lower())), None)  # ``a group of about 170 lawmakers``
            if later is not None and not any(gaps[head : later]):
                head = later
        if head + 1 >= len(tokens) or gaps[head] or not tokens[head + 1].islower() or tokens[head + 1] in (
                "of", "and", "or", "who", "that"):
            return None  # a verb follows the subject (``several groups granted``)
        return self.role_phrase(self.text[start : words[head].end()], start, words[head].end())

    def _head_before_modifier(self, lo: int, comma: int) -> Speaker | None:
        """The document or role phrase before a comma that opens a prepositional modifier of it."""
        end = self._rstrip(lo, comma)
        words = list(WORD.finditer(self.text, lo, end))
        phrase = self.noun_phrase_left(lo, end, words) if words and words[-1].end() == end else None
        return phrase if phrase is not None and (phrase.role == "document" or phrase.name is None and phrase.role) else None

    def _document_by(self, body: Entity, lo: int) -> Speaker | None:
        """``a study of state taxes for the Port Institute found``: the document the body made or ordered speaks,
        not the body named inside its phrase."""
        if body.label == "PERSON":
            return None
        made = _DOCUMENT_BY.search(self.text, lo, body.start)
        if made is None or made.group("noun") not in DOCUMENT_NOUNS:
            return None
        return Speaker(lower_determiner(self.text[made.start() : body.end]), "document", made.start(), body.end)

    def noun_phrase_left(self, lo: int, end: int, words: list[re.Match]) -> Speaker | None:
        phrase: list[re.Match] = []
        for word in reversed(words):
            token = word.group(0)
            gap = self.text[word.end() : phrase[0].start()] if phrase else ""
            if phrase and re.search(r"[,;:()“”\"—]", gap):
                break
            if token.lower() in CLAUSE_STOPS and not (phrase and token.lower() == "of") or not token.strip("-"):
                break  # (``--`` is a dash)
            if phrase and token.endswith(".") and len(token) > 4 and token[:-1].islower():
                break  # the previous sentence ended here
            phrase.insert(0, word)
            if len(phrase) > 9:
                return None
        if not phrase:
            return None
        tokens = [w.group(0) for w in phrase]
        if tokens[0].lower() in _PLACE_PREPOSITIONS:  # ``Between the two camps sit economists who …``: the subject
            verbs = [k for k, t in enumerate(tokens) if t.lower() in _INVERSION_VERBS]  # follows the verb
            if not verbs or verbs[-1] == len(tokens) - 1:
                return None
            phrase, tokens = phrase[verbs[-1] + 1 :], tokens[verbs[-1] + 1 :]
        head = tokens[-1].lower().rstrip(".")
        opening = next((k for k in range(len(tokens) - 2, 0, -1) if tokens[k].lower() in DETERMINERS
                        and tokens[k - 1].islower() and tokens[k - 1] not in _PREPOSITIONS | DETERMINERS), None)
        if opening is not None and (is_speaker_noun(head) or head in DOCUMENT_NOUNS or plural_role(head)):
            # ``Ivo Kern praised the board``: the noun phrase that speaks opens at its determiner
            phrase, tokens = phrase[opening:], tokens[opening:]
        first, last = tokens[0].lower(), tokens[-1].lower().rstrip(".")
        if last in CLAUSE_STOPS or last.endswith(("’s", "'s")):
            return None
        start = phrase[0].start()
        if looks_like_name(tokens):
            return Speaker(self.known_name(tokens), None, start, end)  # a name the entity tagger missed
        if last == "percent" and len(tokens) == 2 and re.fullmatch(r"\d[\d.,]*", tokens[0]):
            return Speaker(None, self.text[start:end], start, end)  # ``63 percent said``: a share of those polled
        if not (first in DETERMINERS or last in PLURAL_SOURCES or last in ROLE_NOUNS or last in DOCUMENT_NOUNS
                or last in ORGANISATION_NOUNS or plural_role(last)):  # (``defense attorneys wrote``)
            return None
        return self.role_phrase(self.text[start:end], start, end)

    def _rstrip(self, lo: int, end: int) -> int:
        while end > lo and self.text[end - 1].isspace():
            end -= 1
        return end
