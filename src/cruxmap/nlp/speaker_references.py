"""Who a mention refers to: a pronoun (``he`` → the most recent person named), a description (``the Illinois
lawmaker`` → the one person the text described that way), a bare surname the tagger missed (``Holt`` → the
text's Maren Holt) and a role phrase that is a document (``the agreement``).

``ReferenceReader`` holds these lookups over one text's entities; ``speakers.SpeakerFinder``, which finds the
mention next to a reporting cue, is one.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from ..model import Entity
from .described_speakers import described_person, features, is_description_head
from .entities import TITLES
from .person_roles import RoleReader
from .speaker_mentions import Speaker
from .speaker_roles import is_document, lower_determiner
from .speaker_words import ORGANISATION_NOUNS, PLURAL_SOURCES, PRONOUNS, ROLE_NOUNS

#: a party and state code after a name (``Ana Ruiz (D-Ill.)``, ``Ruiz, R-Texas,``)
_PARTY_CODE = re.compile(r"\s*[,(]\s*(?P<party>[DRI])\s*[-–]\s*(?P<state>[A-Z][A-Za-z.]*(?:\s?[A-Z][A-Za-z.]*)?)\s*[,)]")
#: ``Sen. Ana Ruiz of Ohio``
_OF_PLACE = re.compile(r"\s+of\s+(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")
#: the role a place or party word modifies (``Illinois lawmaker``, ``New York senator``, ``Texas Republican``)
_ROLE_AFTER_PLACE = re.compile(r"(?:\s+[a-z]+){0,2}?\s+(?P<head>[a-z]+|Republican|Democrat|Independent)\b")


#: a name of two capitalised words (an initial between allowed), a comma, a role in apposition and a comma
_NAME_WITH_ROLE = re.compile(r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z’'-]+),\s+(?P<role>[^,;:“”\"]{3,80}?),")
#: a sentence whose subject is a person described, not named (``Even a sales clerk at the corner store … recalled``):
#: an indefinite determiner, up to three modifiers, the head, any modifier after it, then a verb in the past tense
_DESCRIBED_SUBJECT = re.compile(r"(?:(?:Even|But|And|Also|Still|Yet|Then)\s+)?(?P<np>(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+"
                                r"(?:[\w-]+\s+){0,3}?(?P<head>[a-z]+))\b(?:\s+(?:at|of|for|from|with|in|on)\s+"
                                r"[^.;:!?“”\"]{1,80}?)?\s+(?:[a-z]+ly\s+)?(?:[a-z]{3,}ed|said|told|wrote)\b")
#: a sentence whose subject is a definite description (``The chief executive has …``, ``But for now, the mayor
#: said …``): an opening phrase set off by a comma allowed, ``the``, up to two modifiers, the head, then a verb
_DEFINITE_SUBJECT = re.compile(r"(?:(?:But|And|Yet|Still|Now|Then|So)\s+)?(?:[A-Za-z][^,.;:!?“”\"\n]{0,25},\s+)?"
                               r"(?P<np>[Tt]he\s+(?:[\w-]+\s+){0,2}?[A-Za-z][\w-]*)(?![’'])\s+(?:[a-z]+ly\s+)?"
                               r"(?:has|had|have|is|was|will|would|could|can|did|does|said|says|told|wrote|"
                               r"[a-z]{3,}ed)\b")
#: the opening of a sentence before its subject: nothing, or a short phrase set off by a comma (``On Monday,``)
_OPENING_PHRASE = re.compile(r"(?:[A-Z][^,.;:!?“”\"\n]{0,25},\s+)?")
#: a plural noun opening a sentence (``Lawmakers in both parties …``, ``The harbour pilots …``)
_OPENING_GROUP = re.compile(r"(?:The\s+(?:[a-z-]+\s+)?)?(?P<noun>[A-Za-z][a-z]{2,}s)\b(?![’'])")
#: a capitalised name, then an appositive headed by a noun (``The Gazette, a Varga-based paper,``)
_NAME_WITH_BODY = re.compile(r"(?P<name>(?:The\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4}),\s+(?:a|an|the)\s+"
                             r"(?:[\w-]+\s+){0,3}?(?P<head>[a-z]+),")
#: a subject pronoun and its verb (an adverb between allowed)
_SUBJECT_PRONOUN = re.compile(r"([Hh]e|[Ss]he)\s+(?:[a-z]+ly\s+)?[a-z]{2,}")
#: a paragraph of one sentence that says who a person is (a writer's line at the start or the end of a text)
_WRITER_LINE = re.compile(r"\W{0,3}(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){1,3})\s+is\s+(?:a|an|the)?\s*[a-z][^.!?\n]{2,150}"
                          r"[.]\s*")
#: a verb of asking right before the person asked (``asks Ana Ruiz``)
_ASKING = re.compile(r"\b(?:asks|asked)\s+")
#: a verb of replying right after a pronoun (``she replies``)
_REPLYING = re.compile(r"\s+(?:replies|replied|answers|answered|responds|responded)\b")
#: an organisation's possessive and a person's first and last name, tagged as one organisation (``Harbour TV’s Ana
#: Ruiz``): the outlet's person
_OUTLETS_PERSON = re.compile(r"[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)?[’']s\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+"
                             r"[A-Z][a-z’'-]+)")
#: a determiner right before a name: the name modifies a noun (``the Kern administration``), no person is meant
_MODIFIER_NAME = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)
#: words that say a person is a man or a woman: an honorific right before the name (``Mrs. Ruiz``), or a gendered
#: noun right before it (``actress Ana Ruiz``, ``his wife Ana Ruiz``) or heading an appositive after it (``Ana Ruiz,
#: the port's spokeswoman,``)
_HONORIFICS = {"m": frozenset({"mr", "sir", "lord"}), "f": frozenset({"mrs", "ms", "miss", "madam", "dame"})}
_GENDERED_NOUNS = {
    "m": frozenset("king prince father husband son brother uncle nephew grandfather widower boyfriend spokesman "
                   "congressman chairman councilman businessman assemblyman alderman actor".split()),
    "f": frozenset("lady queen princess mother wife daughter sister aunt niece grandmother widow girlfriend "
                   "spokeswoman congresswoman chairwoman councilwoman businesswoman assemblywoman alderwoman "
                   "actress".split()),
}
#: the pronouns that say whom they mean is a man or a woman
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
#: a pronoun that can only mean the name right before it: the subject of the clause its verb of saying reports
#: (``Ana Ruiz said she``, ``Ivo Kern told reporters he``), or a reflexive object of its verb (``found himself``)
_OWN_PRONOUN_AFTER = re.compile(r"\s+(?:(?:said|says|added|told\s+(?:reporters|him|her|them|us|me))\s+(?:that\s+)?"
                                r"(?P<pronoun>he|she)\b|(?:[a-z]+ly\s+)?[a-z]{3,}(?:ed|s)?\s+(?P<reflexive>himself|"
                                r"herself)\b)")
_OWN_PRONOUNS = {"m": frozenset({"he", "himself"}), "f": frozenset({"she", "herself"})}
#: the word right before a name (``Mrs.``, ``wife``)
_WORD_BEFORE = re.compile(r"\b([A-Za-z]+)\.?[ \t]+$")
#: the first words of an appositive right after a name (``, the port's spokeswoman``)
_APPOSITIVE_AFTER = re.compile(r",\s+(?:(?:the|a|an|his|her|their|its)\s+)?(?:[\w’'-]+\s+){0,2}?([a-z]+)\s*[,;.]")
#: a body described, not named: ``the company``, ``the federal agency`` (not ``the company’s`` nor ``the board of``)
_DESCRIBED_BODY = re.compile(r"\b[Tt]he\s+(?:[a-z-]+\s+)?(?P<noun>[a-z]+)\b(?![’'-])(?!\s+of\b)")
#: a plural noun phrase (``three journalists``, ``Western diplomats``, ``defectors``)
_PLURAL_GROUP = re.compile(r"(?<![\w’'-])(?:(?:[Tt]he|[Ss]ome|[Mm]any|[Ss]everal|[Tt]hese|[Tt]hose|[Tt]wo|[Tt]hree|[Ff]our|"
                           r"[Ff]ive|\d+)\s+)?(?:[A-Za-z-]+\s+)?(?P<noun>[a-z]{3,}s)\b(?![’'-])")
#: a preposition right before a phrase
_AFTER_PREPOSITION = re.compile(r"\b(?:to|before|for|with|by|from|at|in|on|among|against|about)\s+$", re.IGNORECASE)
#: a verb of saying right after a subject (``defectors said``)
_REPORTING = re.compile(r"\s+(?:have\s+|had\s+)?(?:said|say|told|tell|warned|warn|claimed|claim|argued|argue|added|"
                        r"insisted|insist|reported|wrote|believe|believed)\b")
#: a lower-case word right after a name (``administration`` in ``the Kern administration``)
_NOUN_AFTER_NAME = re.compile(r"[ \t]+[a-z]{3,}\b")


class ReferenceReader(RoleReader):
    """The persons, organisations and documents one text's mentions refer to (built by ``SpeakerFinder``)."""

    starts: list[int]
    by_start: dict[int, Entity]
    sentence_starts: list[int]
    people: set[str]
    _attached_cache: dict[int, set[str]]
    _listed_cache: dict[int, bool]
    _genders: dict[str, str] | None

    def known_name(self, tokens: list[str]) -> str:
        """A name the tagger missed, as the text's person it stands for: ``Holt`` is ``Maren Holt`` when she is the
        only person of the text with that surname."""
        name = " ".join(tokens)
        if len(tokens) == 1:
            matches = [p for p in self.people if p.split()[-1] == name and p != name]
            if len(matches) == 1:
                return matches[0]
        return name

    def role_phrase(self, phrase: str, start: int, end: int) -> Speaker:
        """A role phrase (``the former aide``) resolved to a named person when the text allows it;
        a document (``the agreement``) is its own speaker."""
        tokens = phrase.split()
        if is_document(phrase):
            return Speaker(lower_determiner(phrase), "document", start, end)
        if (
            tokens
            and tokens[0].lower() in ("the", "this")
            and len(tokens) <= 8
            and is_description_head(tokens[-1])
        ):
            person = self.described(tokens, start)
            if person:
                return Speaker(person, phrase, start, end)
        return Speaker(None, phrase, start, end)

    def described(self, tokens: list[str], before: int) -> str | None:
        """The one person named before ``before`` whom the description ``tokens`` (``the Illinois lawmaker``)
        fits by the words the text attached to them (:mod:`.described_speakers`); None when none or several do."""
        people: dict[str, set[str]] = {}
        for ent in self.entities:
            if ent.start >= before:
                break
            if ent.label == "PERSON" and ent.canonical and not self._inside_quote(ent):
                people.setdefault(ent.canonical, set()).update(self._attached(ent))
        return described_person(tokens, people)

    def _attached(self, ent: Entity) -> set[str]:
        """What the text attached to a person at this mention: title words before the name, an appositive, a
        party and state code (``(D-Ill.)``, ``, R-Texas,``) or ``of Ohio`` after it."""
        if ent.start not in self._attached_cache:
            descriptions = [d for d in (self.role_before(ent, 0), self.role_after(ent)) if d]
            after = self.text[ent.end : ent.end + 40]
            code = _PARTY_CODE.match(after)
            place = _OF_PLACE.match(after)
            if place:
                descriptions.append(place.group("place"))
            codes = [(code.group("party"), code.group("state"))] if code else []
            self._attached_cache[ent.start] = features(descriptions, codes)
        return self._attached_cache[ent.start]

    def gender(self, name: str | None) -> str | None:
        """``m`` or ``f`` where the text says so at some mention of the person (an honorific or a gendered noun right
        before the name or in an appositive after it), None where it says neither or both."""
        if name is None:
            return None
        if self._genders is None:
            said: dict[str, set[str]] = {}
            for ent in self.entities:
                if ent.label != "PERSON" or not ent.canonical:
                    continue
                before = _WORD_BEFORE.search(self.text, max(0, ent.start - 20), ent.start)
                after = _APPOSITIVE_AFTER.match(self.text, ent.end)
                word = before.group(1).lower() if before else ""
                head = after.group(1) if after else ""
                own = _OWN_PRONOUN_AFTER.match(self.text, ent.end)  # ``Ana Ruiz said she``, ``Ivo Kern found himself``
                pronoun = (own.group("pronoun") or own.group("reflexive")).lower() if own else ""
                said.setdefault(ent.canonical, set()).update(
                    g for g in ("m", "f") if word in _HONORIFICS[g] | _GENDERED_NOUNS[g] or head in _GENDERED_NOUNS[g]
                    or pronoun in _OWN_PRONOUNS[g])
            self._genders = {n: next(iter(g)) for n, g in said.items() if len(g) == 1}
        return self._genders.get(name)

    def _modifies_noun(self, ent: Entity) -> bool:
        """A name between a determiner and a common noun only modifies the noun (``the Kern administration``, ``a
        Kern aide``): the person is not the one a pronoun after it means."""
        return bool(_MODIFIER_NAME.search(self.text, max(0, ent.start - 5), ent.start)
                    and _NOUN_AFTER_NAME.match(self.text, ent.end))

    def _no_person(self, ent: Entity) -> bool:
        """A mention tagged as a person that cannot be one: digits in its name, no capital letter (``op-ed``), or a
        place in a list."""
        return ent.label == "PERSON" and (any(c.isdigit() for c in ent.text) or ent.text.islower()
                                          or self._listed(ent))

    def _listed(self, ent: Entity) -> bool:
        """A name that ends or opens a run of capitalised words with hardly a lower-case word (a form's list of
        countries): the tagger's guess there is no person a pronoun could mean."""
        if ent.start in self._listed_cache:
            return self._listed_cache[ent.start]
        listed = False
        for side in (self.text[max(0, ent.start - 80) : ent.start], self.text[ent.end : ent.end + 80]):
            if "\n" in side or re.search(r"[.!?]\s", side):
                continue  # (a headline in capitals ends before the sentence that names the person)
            words = re.findall(r"[A-Za-z][\w’'-]*", side)
            lower = [w for w in words if w.islower() and w not in ("and", "of", "the")]
            listed = listed or len(words) >= 8 and len(lower) * 10 <= len(words)
        self._listed_cache[ent.start] = listed
        return listed

    def _place_described(self, place: Entity, start: int) -> Speaker | None:
        """``the Illinois lawmaker``, ``The Texas Republican``: a place or party word that only modifies the role
        after it; the description is the speaker, resolved to a person when it fits exactly one."""
        if place.label not in ("GPE", "NORP", "LOC"):
            return None
        head = _ROLE_AFTER_PLACE.match(self.text, place.end)
        if head is None or not (head.group("head") in ROLE_NOUNS | TITLES or head.group("head")[:1].isupper()):
            return None
        return self.role_phrase(self.text[start : head.end()], start, head.end())

    def resolve_pronoun(self, start: int, end: int) -> Speaker:
        """he/she → the most recent person named before (first person of the nearest sentence that names one)."""
        word = self.text[start:end].lower()
        if PRONOUNS.get(word) == "PERSON" or word in ("him", "her"):
            person = self.recent(start, {"PERSON"}, gender=_PRONOUN_GENDER.get(word))
            asked = self._asked_person(start, end, _PRONOUN_GENDER.get(word))
            if asked is not None:  # ``Kern asks Ruiz, “…?” “Of course,” she replies``: the one asked replies
                return Speaker(asked, self.first_role(asked), start, end)
            untagged = self._untagged_subject(person.end if person is not None else 0, start)
            if untagged is not None:
                return Speaker(untagged, None, start, end)
            described = self._described_subject(person.end if person is not None else 0, start,
                                                _PRONOUN_GENDER.get(word))
            if described is not None:  # ``A clerk at the store … recalled the rush. “…,” she said``
                return Speaker(None, described, start, end)
            titled = self._described_named_subject(person, start, _PRONOUN_GENDER.get(word))
            if titled is not None:  # ``The chief executive has stood firm on Kern. “…,” he said``: not Kern
                return Speaker(titled, self.first_role(titled), start, end)
            subject = self._pronoun_subject_before(person, word) if person is not None else None
            if subject is not None:  # ``He pledged his support to Kern. “…,” he said``: the subject goes on, not Kern
                return Speaker(self.resolve_pronoun(*subject).name, None, start, end)
            name = person.canonical if person is not None else None
            owned = _OUTLETS_PERSON.fullmatch(name or "") if person is not None and person.label == "ORG" else None
            if owned is not None:  # ``Harbour TV’s Ana Ruiz`` tagged as one organisation: the person
                name = owned.group("name")
            return Speaker(name, self.first_role(name), start, end)
        if word == "it":
            org = self.recent(start, {"ORG", "LAW"}, not_people=True)  # (a person the tagger once took for an
            # organisation is no ``it``)
            body = self._described_body(org.end if org is not None else 0, start)
            if body is not None:  # ``The company “…,” it wrote``: the body described after the last one named,
                named = self._named_body(body.split()[-1], start)  # itself named before (``the Ferry Company``)
                if named is not None:
                    return Speaker(named.canonical, None, start, end)
                return Speaker(None, body, start, end)
            role = "document" if org is not None and is_document(org.text) else None
            return Speaker(org.canonical if org else None, role, start, end)
        if word == "i":  # (only outside quotations: the writer's own ``I say, “…”`` in an opinion piece)
            writer = self.writer
            return Speaker(writer, None, start, end)
        if word in ("they", "them"):
            group = self._recent_group(start)
            if group is None:  # ``The Gazette, a local paper, is ripping … . They described …``
                return self._subject_body(start, end) or Speaker(None, None, start, end)
            return Speaker(None, group, start, end)
        return Speaker(None, None, start, end)

    def _described_body(self, after: int, before: int) -> str | None:
        """The last organisation described, not named, in the pronoun's sentence or the one before it (``the
        company``, ``the agency``) and after ``after``: what ``it`` means when no named one is nearer."""
        k = bisect.bisect_right(self.sentence_starts, before) - 1
        lo = max(after, self.sentence_starts[k - 1] if k >= 1 else 0)
        found = None
        for body in _DESCRIBED_BODY.finditer(self.text, lo, before):
            if body.group("noun") in ORGANISATION_NOUNS and not self._inside_excluded(body.start()):
                found = body
        return found.group(0)[:1].lower() + found.group(0)[1:] if found is not None else None

    def _recent_group(self, before: int) -> str | None:
        """``they`` → the last plural group of speakers in the pronoun's sentence or the one before it, outside
        quotations: a plural role or source (``three journalists``, ``officials``) or a plural noun reporting
        (``defectors said``)."""
        k = bisect.bisect_right(self.sentence_starts, before) - 1
        lo = self.sentence_starts[k - 1] if k >= 1 else 0
        found = None
        for group in _PLURAL_GROUP.finditer(self.text, lo, before):
            noun = group.group("noun")
            if self._inside_excluded(group.start()) or _AFTER_PREPOSITION.search(self.text, max(0, group.start() - 12),
                                                                                  group.start()):
                continue  # (``a letter to Senate leaders``: the object of a preposition is no subject ``they`` means)
            if noun in PLURAL_SOURCES or noun[:-1] in ROLE_NOUNS or _REPORTING.match(self.text, group.end()):
                found = group
        return found.group(0) if found is not None else None

    def _pronoun_subject_before(self, person: Entity, word: str) -> tuple[int, int] | None:
        """The span of a pronoun of the same gender that is the subject of the sentence naming ``person`` after it
        (``He pledged his support to Kern``): the subject continues, and a later pronoun means whom it means."""
        gender = _PRONOUN_GENDER.get(word)
        if gender is None:
            return None
        k = bisect.bisect_right(self.sentence_starts, person.start) - 1
        lo = self.sentence_starts[k] if k >= 0 else 0
        while lo < person.start and self.text[lo].isspace():
            lo += 1
        opening = _OPENING_PHRASE.match(self.text, lo, person.start)
        at = opening.end() if opening else lo
        pronoun = _SUBJECT_PRONOUN.match(self.text, at, person.start)
        if pronoun is None or _PRONOUN_GENDER.get(pronoun.group(1).lower()) != gender or self._inside_excluded(at):
            return None
        return pronoun.start(1), pronoun.end(1)

    @cached_property
    def writer(self) -> str | None:
        """The person who writes the text, where it says so in a paragraph of one sentence at its start or among its
        last three (``Ana Ruiz is a professor of law at Varga University.``, ``• Ana Ruiz is the Gazette's editor.``):
        the ``I`` of the text's own sentences. Read once per text."""
        paragraphs = [m for m in re.finditer(r"[^\n]+", self.text) if m.group(0).strip()]
        for paragraph in paragraphs[:1] + paragraphs[-3:]:
            line = _WRITER_LINE.fullmatch(paragraph.group(0))
            if line is None:
                continue
            ent = self.by_start.get(paragraph.start() + line.start("name"))
            if ent is not None and ent.label == "PERSON" and ent.end == paragraph.start() + line.end("name"):
                return ent.canonical
        return None

    def _asked_person(self, start: int, end: int, gender: str | None) -> str | None:
        """The person a question was put to (``asks Ana Ruiz, “…?”``) when the pronoun replies to it right after
        (``“…,” she replies``), no other person named between."""
        if not _REPLYING.match(self.text, end):
            return None
        lo = max(0, start - 300)
        asked = None
        for verb in _ASKING.finditer(self.text, lo, start):
            asked = self.by_start.get(verb.end())
        if asked is None or asked.canonical not in self.people or "?" not in self.text[asked.end : start]:
            return None
        i, j = bisect.bisect_right(self.starts, asked.start), bisect.bisect_left(self.starts, start)
        if any(e.label == "PERSON" and not self._inside_excluded(e.start) for e in self.entities[i:j]):
            return None
        return asked.canonical if self.gender(asked.canonical) in (None, gender) else None

    def _described_named_subject(self, person: Entity | None, before: int, gender: str | None) -> str | None:
        """The person a definite description means (``the chief executive`` after ``Port CEO Ana Ruiz``), when it is
        the subject of a sentence from the one that names ``person`` (the most recent person named) up to the
        pronoun's own: the subject outranks a person named after it in its sentence (``the CEO has stood by his
        view of Kern``) or one named before it."""
        k = bisect.bisect_right(self.sentence_starts, before) - 1
        first = bisect.bisect_right(self.sentence_starts, person.start) - 1 if person is not None else k - 2
        found = None
        for start in self.sentence_starts[max(0, first, k - 3) : k + 1]:
            while start < before and self.text[start].isspace():
                start += 1
            subject = _DEFINITE_SUBJECT.match(self.text, start, before)
            if subject is None or self._inside_excluded(subject.start("np")):
                continue
            name = self.described(subject.group("np").split(), subject.start("np"))
            if name is not None and self.gender(name) in (None, gender):
                found = name
        return found

    def _subject_body(self, start: int, end: int) -> Speaker | None:
        """``they`` with no plural group of speakers before it: the subject that opens the pronoun's sentence or,
        when that is no group, the sentence before (after a phrase set off by a comma): a plural role noun
        (``Lawmakers in both parties spoke out … that they say``) or a plural party or people (``On Monday,
        Democrats on the panel sent …``), or, opening the sentence before, an organisation (``The Gazette, a local
        paper, is ripping …``)."""
        k = bisect.bisect_right(self.sentence_starts, start) - 1
        for lo in reversed(self.sentence_starts[max(0, k - 1) : k + 1]):
            while lo < start and self.text[lo].isspace():
                lo += 1
            opening = _OPENING_PHRASE.match(self.text, lo, start)
            at = opening.end() if opening else lo
            if at >= start:
                continue
            word = _OPENING_GROUP.match(self.text, at, start)
            if word is not None and (word.group("noun").lower() in PLURAL_SOURCES
                                     or word.group("noun").lower()[:-1] in ROLE_NOUNS):
                return Speaker(None, word.group("noun"), start, end)
            if word is not None and lo >= self.sentence_starts[k]:
                return None  # (a plural subject of the pronoun's own sentence, of no known kind: no body before it)
            ent = self.by_start.get(at) or self.by_start.get(at + 4 if self.text.startswith(("The ", "the "), at)
                                                             else -1)
            if ent is None:  # ``The Gazette, a local paper, is …``: a name the tagger missed, set off by a body noun
                named = _NAME_WITH_BODY.match(self.text, at, start)
                if named is not None and named.group("head") in ORGANISATION_NOUNS and lo < self.sentence_starts[k]:
                    return Speaker(named.group("name"), None, start, end)
                continue
            if ent.end > start or re.match(r"[’']", self.text[ent.end : ent.end + 1]):
                continue
            if not re.match(r"\s*,|\s+(?:[a-z]+ly\s+)?[a-z]", self.text[ent.end : ent.end + 20]):
                continue  # (a subject is followed by its appositive or its verb)
            if ent.label == "ORG" and lo < self.sentence_starts[k] and ent.canonical not in self.people and not \
                    is_document(ent.text):  # (an organisation only from the sentence before: in its own, ``it``)
                return Speaker(ent.canonical, None, start, end)
            if ent.label == "NORP" and ent.text.endswith("s"):
                return Speaker(None, ent.text, start, end)
        return None

    def _named_body(self, head: str, before: int) -> Entity | None:
        """The last organisation named before ``before`` whose name ends in ``head`` (``the company`` after ``the
        Ferry Company``)."""
        i = bisect.bisect_left(self.starts, before)
        return next((e for e in reversed(self.entities[:i]) if e.label == "ORG" and e.text.split()[-1].lower() == head),
                    None)

    def _inside_excluded(self, at: int) -> bool:
        i = bisect.bisect_right(self.excluded, (at, float("inf"))) - 1
        return i >= 0 and self.excluded[i][0] <= at < self.excluded[i][1]

    def _untagged_subject(self, after: int, before: int) -> str | None:
        """``Ana Ruiz, chief engineer at the port, told …``: a name the tagger missed, opening one of the three
        sentences before ``before`` (after ``after``, the last person it did tag) and set off by a role in
        apposition, is a person; the nearest such sentence names her."""
        k = bisect.bisect_left(self.sentence_starts, before)
        for start in reversed(self.sentence_starts[max(0, k - 3) : k]):
            if start < after:
                return None
            named = _NAME_WITH_ROLE.match(self.text, start)
            i = bisect.bisect_left(self.starts, start)
            if named is None or i < len(self.starts) and self.starts[i] < named.end("name"):
                continue  # (a name the tagger read is the tagger's)
            if any(w.lower() in ROLE_NOUNS for w in re.findall(r"[A-Za-z]+", named.group("role"))):
                return named.group("name")
        return None

    def _described_subject(self, after: int, before: int, gender: str | None) -> str | None:
        """``Even a clerk at the corner store in 1975 recalled the rush.``: a person described, not named, as the
        subject of the pronoun's sentence or the one before it (after ``after``, the last person named) is the one
        the pronoun means; a head of the other gender (``spokesman`` for ``she``) is not."""
        k = bisect.bisect_right(self.sentence_starts, before) - 1
        for start in reversed(self.sentence_starts[max(0, k - 1) : k + 1]):
            if start < after:
                return None
            while start < before and self.text[start].isspace():
                start += 1
            described = _DESCRIBED_SUBJECT.match(self.text, start, before)
            if described is None or self._inside_excluded(described.start()):
                continue
            head = described.group("head")
            other = {"m": "f", "f": "m"}.get(gender or "")
            if head in ROLE_NOUNS and not (other and head in _GENDERED_NOUNS[other]):
                return described.group("np")[:1].lower() + described.group("np")[1:]
        return None

    def recent_person(self, before: int) -> str | None:
        ent = self.recent(before, {"PERSON"})
        return ent.canonical if ent is not None else None

    def recent(self, before: int, labels: set[str], not_people: bool = False, gender: str | None = None
               ) -> Entity | None:
        """Most recent mention (outside quotations) with a label in ``labels``, preferring the first
        such mention of its sentence (usually the subject) that is not a possessor (``director Ivo Kern’s film``);
        with ``not_people``, none whose name is a person's; with ``gender`` (``he``: m, ``she``: f), none the text
        says is of the other (:meth:`gender`). A person's name is a person's where the tagger read it
        as an organisation or a group (``Weiner`` tagged ORG in one sentence and PERSON in another); a place stays
        a place, and a name after a determiner modifies a noun (``the Kern administration``)."""
        i = bisect.bisect_left(self.starts, before)
        persons = "PERSON" in labels
        for back in (40, 200):  # (further back only when the nearer mentions hold none: a form's list between)
            candidates = [
                e for e in self.entities[max(0, i - back) : i]
                if (e.label in labels or persons and e.label in ("ORG", "NORP") and e.canonical in self.people
                    and not _MODIFIER_NAME.search(self.text, max(0, e.start - 5), e.start)
                    or persons and e.label == "ORG" and _OUTLETS_PERSON.fullmatch(e.text)) and not self._inside_quote(e)
                and not (not_people and e.canonical in self.people)
                and not (e.label == "PERSON" and self._modifies_noun(e))
            ]
            if gender is not None:
                candidates = [e for e in candidates if self.gender(e.canonical) in (None, gender)]
            while candidates and self._no_person(candidates[-1]):
                candidates.pop()  # (read from the nearest back: only the mentions that could be chosen)
            if candidates or i <= back:
                break
        if not candidates:
            return None
        last = candidates[-1]
        k = bisect.bisect_right(self.sentence_starts, last.start) - 1
        sentence_start = (
            self.sentence_starts[k]
            if k >= 0
            else max(self.text.rfind(". ", 0, last.start), self.text.rfind("\n", 0, last.start))
        )
        same_sentence = [e for e in candidates if e.start >= sentence_start and not self._no_person(e)]
        named = [e for e in same_sentence if not re.match(r"[’']s\b", self.text[e.end : e.end + 3])]
        return (named or same_sentence or [last])[0]
