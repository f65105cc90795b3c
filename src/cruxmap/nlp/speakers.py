"""Find who a quotation belongs to: the speaker mention next to a reporting cue, and their role.

Works on the cleaned text plus the entity layer (no parser needed): a cue is a reporting verb
or phrase (``said``, ``according to`` …); the speaker is the named entity, pronoun or noun
phrase that sits directly before the cue (``Putin said``, ``the former aide told``) or
directly after it (``said Vladimir Putin, Russia's president``). Roles come from the words
before a name (``Chinese President Xi Jinping``, ``USIP’s Angela Stent``) or an appositive after
it (``Ana Ruiz, who chaired the harbour board when the strike began,``). Pronouns and
definite role phrases are resolved against persons mentioned earlier in the text.

The word lists live in ``speaker_words``, what a mention is and its kind in ``speaker_mentions``, the
role-phrase tests in ``speaker_roles``, the roles the text gives its persons in ``person_roles``, and who a
pronoun, a description or a bare surname refers to in ``speaker_references``, the noun phrases that speak
(``advisers to Ana Ruiz``, ``a study … for the Port Institute``) in ``speaker_phrases``; this module finds the
mention next to a cue and puts them together.
"""

from __future__ import annotations

import bisect
import re

from ..model import Entity
from .entities import TITLES
from .person_roles import HONORIFIC_ONLY
from .speaker_mentions import Cue, Speaker
from .speaker_phrases import (
    HEAD_WITH_MODIFIER,
    PERSON_NOUNS,
    WORD,
    PhraseReader,
    is_speaker_noun,
    plural_role,
)
from .speaker_roles import (
    clean_role,
    ends_in_speaker_noun,
    is_document,
    looks_like_name,
    looks_like_role,
    lower_determiner,
)
from .speaker_words import (
    ADVERBS,
    CLAUSE_STOPS,
    DAYS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    PRONOUNS,
    ROLE_NOUNS,
    SPEAKER_LABELS,
    TIME_PHRASE_END,
)

#: a news agency's dateline opening a sentence (``FLINT, Mich., Oct. 4 (UPI) —``): the place is not the subject
_DATELINE = re.compile(r"[A-Z][\w./’', -]{1,60}?\s*\((?:[A-Z][\w. ]{1,30})\)\s*[-–—:]?\s*")
#: a finite verb in a comma segment: a clause (``Moscow, Putin has tried to …,``), not an appositive
_CLAUSE_VERB = re.compile(
    r"^(?!who\b|which\b).*\b(?:is|are|was|were|has|have|had|will|would|can|could|did)\b", re.IGNORECASE
)

#: a comma-delimited adverbial between a subject and its cue
_ADVERBIAL_ASIDE = re.compile(
    r",\s*(?:since|so far|in fact|however|though|too|also|again|now|then|indeed|at the time|at that time|"
    r"in particular|for example|for instance|meanwhile|in turn|in response|in return|"
    r"for (?:his|her|their|its) part|in (?:a|an|the|his|her|their|its) )[^,;:“”\"]{0,30},$"
)

#: words before a place that make it part of a description (``the minister of France``, ``Ashton, Md.``)
_PLACE_BEFORE = re.compile(r"(?:\b(?:of|in|from|at|near)|,)\s*$", re.IGNORECASE)
#: a crosshead in capitals glued to the sentence it heads (``CONGRESS HAS INVESTIGATED HIM —``)
_CROSSHEAD = re.compile(r"(?:[A-Z][A-Z’'.,-]*\s+){1,8}[A-Z][A-Z’'.,-]*\s*[—–]\s*")
#: a possessor and the group it owns (``Scott’s relatives``, ``the mayor’s aides``)
_POSSESSED_SPEAKER = re.compile(r"[’']s\s+(?:[a-z-]+\s+)?(?P<head>[a-z-]+)\b")
#: words that make the name after them part of a description (``a campaigner with the group X``)
_DESCRIBED_BY = re.compile(r"\b(?:of|with|at|from|for|in|by|group|firm|party)\s+$", re.IGNORECASE)
#: an aside set off by a pair of dashes right before a cue
_DASH_ASIDE = re.compile(r"\s(?:--|—|–)\s[^—–“”\"]{3,160}?\s(?:--|—|–)$")
#: a raising verb between a subject and its cue (``appeared to believe``, ``seems to suggest``)
_SEEMING = re.compile(r"\s(?:appear|seem)(?:s|ed)?\s+to$")
#: a reduced passive after a document's head noun (``a report released last year found``)
_DOCUMENT_PARTICIPLE = re.compile(r"\b(?P<noun>[a-z]+)\s+(?:released|published|issued|filed|obtained|seen|drafted)"
                                  r"(?:\s+by\s+(?:the\s+)?[\w.’'&-]+(?:\s+[\w.’'&-]+){0,3})?$")
#: a document from or by a body, with a participle clause on it (``The statement from the trust announcing the sale``)
_DOCUMENT_FROM = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Tt]his|[Ii]ts)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+)\s+(?:from|by)\s+"
                            r"(?:[\w.’'&-]+\s+){1,6}?(?P<verb>[a-z]+ing)\b[^,;:“”\"]{0,80}$")
#: (``the audit released by the Port Authority noted``: the document speaks, not the body that released it)
#: a pronoun subject after a comma, one short predicate, then ``and`` / ``but`` before the cue
#: a long opening clause of time, condition or concession before the subject (``When asked if …, Ana Ruiz``)
_OPENING_CLAUSE = re.compile(r"\s*(?:When|While|Though|Although|After|Before|If|Once|Since|Because|Even\s+though|Asked)"
                             r"\b[^,;:“”\"—–]{0,140}(?:,|[—–][^;:“”\"—–]{1,140}[—–])\s*")  # (or an aside in dashes)
#: a time phrase opening the sentence without a comma (``On Thursday Ana Ruiz offered …``)
_OPENING_TIME = re.compile(r"\s*(?:On|Last|This|Early|Late|Earlier|Later)\s+" + DAYS + r"(?:\s+(?:morning|afternoon|"
                           r"evening|night))?\s+(?=[A-Z])")
_LATE_PRONOUN_SUBJECT = re.compile(r",\s+(?P<who>I|[Hh]e|[Ss]he|[Ww]e)\s+[a-z]+(?:\s+[a-z]+){0,3}\s+(?:and|but)\s+$")
#: a document and where it is found, before its verb (``A memo on the port’s website states``)
_PLACED_DOCUMENT = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Tt]his)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+)\s+(?:on|in|from|at)\s+"
                              r"(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+$")
#: a past participle opening a reduced passive clause after a speaker's head noun (``blasted by``)
_PARTICIPLE = re.compile(r"[a-z]{3,}ed")
#: the auxiliary of a passive cue (``was quoted as saying``)
_PASSIVE_AUXILIARY = re.compile(r"\b(?:was|were|is|are|(?:has|have|had)\s+been)\s*$", re.IGNORECASE)
#: the head noun right after a name that only modifies it (``a Varga poll``, ``the Varga survey``)
_MODIFIED_DOCUMENT = re.compile(r"\s+([a-z]+)\b(?![’'-])(?!\s+(?:" + "|".join(sorted(ROLE_NOUNS)) + r")\b)")
#: (``a Varga poll`` is the poll; in ``Varga law professor Ana Ruiz`` the document noun describes a role)


#: a relative clause with no comma, its verb and the words up to a name that ends it (``who also met with``)
_RESTRICTIVE_RELATIVE = re.compile(r"\b(?P<who>who)\s+(?:[a-z]+\s+){1,8}(?:the\s+)?$")
#: a conjunction that may open a second clause with its own subject (``… and Ivo Kern, despite …, put out``)
_CLAUSE_JOINT = re.compile(r"(?:,\s*|\s+)(?:and|but|while|whereas)\s+(?=[A-Z])")
#: after a clause's subject: an aside set off by commas or not, then a lower-case word of its own before the cue
_OWN_VERB = re.compile(r"(?:\s*,[^,;:“”\"]{1,80},)?\s+(?!(?:on|in|at|for|with|of|to|from|by|about|after|before|during|"
                      r"and|or|but|who|whom|whose|which|that|the|a|an|last|this|next)\b)[a-z]")  # (not a modifier)
#: a finite verb right after a name (an adverb between): the name is a clause's subject
_FINITE_VERB = re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]{3,}(?:ed|s)\b(?![’'])")
#: a possessive, then the words of a title (numbers and capitals allowed, no clause) and an appositive comma
_TITLE_AFTER_POSSESSIVE = re.compile(r"[’']s\s+(?:[\w.-]+\s+){0,4}?[\w.-]+,?\s+")
#: a comma segment that modifies the phrase before it (``Another study, for the Port Institute,``)
_MODIFIER_SEGMENT = re.compile(r"(?:for|from|of|at|by|with|in)\s+\S")
class SpeakerFinder(PhraseReader):
    """Speaker mentions around cues in one document, with pronoun and role resolution."""

    def __init__(
        self,
        text: str,
        entities: list[Entity],
        excluded: list[tuple[int, int]] | None = None,
        sentences: list[tuple[int, int]] | None = None,
    ):
        self.text = text
        self.sentence_starts = sorted(s for s, _ in sentences or [])
        self.entities = sorted((e for e in entities if e.label in SPEAKER_LABELS), key=lambda e: e.start)
        self.by_end = {e.end: e for e in self.entities}
        self.by_start = {e.start: e for e in self.entities}
        self.starts = [e.start for e in self.entities]
        #: canonical names of the persons of the text (a mention the tagger took for an organisation may be one)
        self.people = {e.canonical for e in self.entities if e.label == "PERSON"}
        self.excluded = sorted(excluded or [])
        self.roles = self._collect_roles()
        self._attached_cache: dict[int, set[str]] = {}
        self._listed_cache: dict[int, bool] = {}
        self._genders = None

    # ------------------------------------------------------------------ mentions next to a cue
    def left_of(self, lo: int, cue: Cue) -> Speaker | None:
        """The speaker mention ending just before ``cue`` (``Putin said``), not before ``lo``."""
        end = self.skip_back_adverbs(lo, cue.start)
        passive = _PASSIVE_AUXILIARY.search(self.text, lo, end) if cue.text.lower().endswith("as saying") else None
        if passive:  # ``the spokesman was cited as saying``: the subject of the passive is the speaker
            end = self.skip_back_adverbs(lo, passive.start())
        if end <= lo:
            return None
        ent = self.by_end.get(end)
        inside_relative = _RESTRICTIVE_RELATIVE.search(self.text, lo, ent.start) if ent is not None else None
        if ent is not None and ent.start >= lo and inside_relative:
            # ``Ivo Kern who also met with Ana Ruiz observed``: the name ends the relative clause, whose antecedent
            # is the subject of the cue
            return self.antecedent(lo, inside_relative.start("who"), "who")
        if ent is not None and ent.start >= lo and (ent.label != "NORP" or ent.text.endswith("s")):
            return (self._person_from(ent, lo) or self._member_of(ent, lo) or self._document_by(ent, lo)
                    or self.head_with_modifier(lo, end) or self.entity_speaker(ent, lo))
        if self.text[end - 1] == ",":
            return self._before_appositive(lo, end - 1)
        dashed = _DASH_ASIDE.search(self.text, lo, end)
        if dashed:  # ``Ana Ruiz, the head of the board -- which also runs the ferry -- told me``
            end = self._rstrip(lo, dashed.start())
            named = self.by_end.get(end)
            if named is not None and named.start >= lo and named.label == "PERSON":
                return self.entity_speaker(named, lo)
            return self._before_appositive(lo, end) if end > lo else None
        if self.text[end - 2 : end] in (",”", ',"') and end - 2 > lo:
            # ``X, addressing a crowd chanting “…,” said``: the comma closing the aside sits inside the mark
            return self._before_appositive(lo, end - 2)
        words = list(WORD.finditer(self.text, lo, end))
        if not words:
            return None
        last = words[-1]
        if last.end() != end:
            return None
        if last.group(0) in ("who", "that", "which"):
            return self.antecedent(lo, last.start(), last.group(0))
        if last.group(0).lower() in PRONOUNS:
            return self.resolve_pronoun(last.start(), last.end())
        contracted = re.fullmatch(r"(he|she|they|we|it)[’'](?:s|re|ve|d)", last.group(0), re.IGNORECASE)
        if contracted:  # ``He’s claiming that …``
            return self.resolve_pronoun(last.start(), last.start() + len(contracted.group(1)))
        placed = _PLACED_DOCUMENT.search(self.text, lo, end)
        if placed and placed.group("noun") in DOCUMENT_NOUNS:  # ``A memo on the port’s website states``
            return Speaker(lower_determiner(self.text[placed.start() : placed.end("noun")]), "document", placed.start(), end)
        issued = _DOCUMENT_FROM.search(self.text, lo, end)
        if issued and issued.group("noun") in DOCUMENT_NOUNS:  # ``The statement from X announcing the sale said``
            body_end = self._rstrip(lo, issued.start("verb"))
            phrase = lower_determiner(self.text[issued.start() : body_end])
            return Speaker(phrase, "document", issued.start(), body_end)
        return self.head_with_modifier(lo, end) or self.noun_phrase_left(lo, end, words)

    def titled_name_at(self, start: int, hi: int) -> Entity | None:
        """The person named right after ``start`` behind a title or role only (``Mrs. Ruiz``, ``Senator Ana Ruiz``),
        whose name the tagger began after the title."""
        i = bisect.bisect_left(self.starts, start)
        if i >= len(self.entities) or self.entities[i].end > hi or self.entities[i].label != "PERSON":
            return None
        ent = self.entities[i]
        prefix = self.text[start : ent.start]
        return ent if 0 < len(prefix.split()) <= 3 and self._is_role_prefix(prefix) else None

    def _person_from(self, place: Entity, lo: int) -> Speaker | None:
        """``Sen. Ana Ruiz of Ohio said``: the person the place describes, not the place."""
        if place.label not in ("GPE", "LOC"):
            return None
        return self._person_linked_to(place, lo, r"\s+(?:of|from)\s+$")

    def _member_of(self, body: Entity, lo: int) -> Speaker | None:
        """``Ana Ruiz of the Harbour Trust`` before an appositive: the person the body describes."""
        if body.label == "PERSON":
            return None
        return self._person_linked_to(body, lo, r"\s+(?:of|from|at)\s+(?:the\s+)?$")

    def _person_linked_to(self, entity: Entity, lo: int, link: str) -> Speaker | None:
        """The person named right before ``entity`` and joined to it by ``link`` (a pattern ending at it)."""
        joined = re.search(link, self.text[lo : entity.start])
        person = self.by_end.get(lo + joined.start()) if joined else None
        if person is None or person.start < lo or person.label != "PERSON":
            return None
        return self.entity_speaker(person, lo)

    def antecedent(self, lo: int, relative: int, pronoun: str) -> Speaker | None:
        """The speaker a relative clause hangs on: ``Ana Ruiz, who said`` / ``a report that
        states`` / ``the Strategy of the Union that states`` (the head before ``of``). Like a
        pronoun, the mention is the relative pronoun; the name is its antecedent's."""
        found = self._antecedent(lo, relative, pronoun)
        if found is None or found.name is None:
            return found  # an unnamed antecedent (``the protesters who shout``) is its own mention
        return Speaker(found.name, found.role, relative, relative + len(pronoun))

    def _antecedent(self, lo: int, relative: int, pronoun: str) -> Speaker | None:
        end = self._rstrip(lo, relative)
        if end > lo and self.text[end - 1] == ",":
            end = self._rstrip(lo, end - 1)
            if pronoun == "who" and self.by_end.get(end) is None:
                person = self._before_appositive(lo, end)  # ``McConnell, now the majority leader, who said``
                if person is not None and person.name in self.people:
                    return person
        ent = self.by_end.get(end)
        if ent is not None and ent.start >= lo:
            head = self._head_before_of(lo, ent.start)
            if head is not None:
                return Speaker(self.text[head.start : ent.end], head.role, head.start, ent.end)
            if (pronoun == "who") == (ent.label == "PERSON"):
                return self.entity_speaker(ent, lo)
            return None
        words = list(WORD.finditer(self.text, lo, end))
        if not words or words[-1].end() != end:
            return None
        surname = self.known_name([words[-1].group(0)]) if pronoun == "who" and words[-1].group(0)[:1].isupper() else ""
        if surname in self.people:  # ``Holm, who called …``: a surname the tagger missed, of the text's one Mira Holm
            return Speaker(surname, self.first_role(surname), words[-1].start(), end)
        phrase = self.noun_phrase_left(lo, end, words)
        head_word = self.text[words[-1].start() : end].lower()
        if phrase is None or not (
            phrase.role == "document" if pronoun != "who" else head_word in ROLE_NOUNS | PLURAL_SOURCES
            or head_word in PERSON_NOUNS or plural_role(head_word) or head_word in ORGANISATION_NOUNS
        ):  # (``… condemned by Ana Ruiz and other port leaders who said``)
            return None  # ``the idea that`` / ``a game who``: only a document or a person says something
        joined = re.search(r"\s+and\s+$", self.text[lo : phrase.start]) if pronoun == "who" else None
        first = self.by_end.get(lo + joined.start()) if joined else None
        if first is not None and first.start >= lo and first.label == "PERSON" and phrase.name is None:
            # ``Ana Ruiz and other port leaders who said``: the name and the others speak together
            return Speaker(None, self.text[first.start : phrase.end], first.start, phrase.end)
        return phrase

    def _head_before_of(self, lo: int, start: int) -> Speaker | None:
        """A document named right before ``of`` (``National Security Strategy of …``)."""
        of = re.search(r"\s+of\s+(?:the\s+)?$", self.text[lo:start])
        if not of:
            return None
        ent = self.by_end.get(lo + of.start())
        if ent is not None and ent.start >= lo:
            speaker = self.entity_speaker(ent, lo)
            return speaker if speaker.role == "document" else None
        return None

    def right_of(self, cue: Cue, hi: int) -> Speaker | None:
        """The speaker mention just after ``cue`` (``said Vladimir Putin``), not beyond ``hi``."""
        pos = cue.end
        while pos < hi and self.text[pos] in " \t":
            pos += 1
        match = WORD.match(self.text, pos, hi)
        if not match:
            return None
        if match.group(0).lower() in ("he", "she", "they", "we", "i"):
            return self.resolve_pronoun(match.start(), match.end())
        objective = match.group(0).rstrip(".")
        if objective.lower() in ("him", "her", "them") and re.match(
                r"\s*(?:[,.;:!?)]|$)", self.text[match.start() + len(objective) : hi]):
            # ``according to him,``: the object pronoun, resolved as a subject one is
            return self.resolve_pronoun(match.start(), match.start() + len(objective))
        stop = re.search(r"[,.;:!?“”\"()—]", self.text[pos:hi])
        headed = HEAD_WITH_MODIFIER.fullmatch(self.text, pos, self._rstrip(pos, pos + stop.start() if stop else hi))
        if headed and (is_speaker_noun(headed.group("noun").lower()) or plural_role(headed.group("noun").lower())):
            found = self.head_with_modifier(pos, headed.end())  # ``said officials familiar with the talks``
            if found is not None and found.start == pos:
                return found
        limit = min(hi, pos + 80)
        i = bisect.bisect_left(self.starts, pos)
        while i < len(self.entities) and self.entities[i].start < limit and self.entities[i].end <= hi:
            ent = self.entities[i]
            prefix = self.text[pos : ent.start]
            if (
                re.match(r"[’']s\s", self.text[ent.end : ent.end + 3])
                and i + 1 < len(self.entities)
                and self.entities[i + 1].label == "PERSON"
            ):
                i += 1
                continue  # ``USIP’s Angela Stent``: the person, not the organisation
            titled_after = self._person_after_possessive(i, hi) if not prefix.strip() or self._is_role_prefix(
                prefix) else None
            if titled_after is not None:  # ``said the Senate’s No. 2 Democrat, Ivo Kern``: the person, not the Senate
                return self.entity_speaker(titled_after, pos)
            if not prefix.strip() or self._is_role_prefix(prefix):
                following = self.entities[i + 1] if i + 1 < len(self.entities) else None
                if (
                    ent.label != "PERSON"
                    and following is not None
                    and following.label == "PERSON"
                    and following.end <= hi
                    and self._is_role_prefix(self.text[pos : following.start])
                ):
                    i += 1
                    continue  # ``USIP’s Angela Stent``: the person, not the organisation
                described = following is not None and following.end <= hi and re.fullmatch(
                    r"(?:\s+[a-z][\w-]*){1,3}\s+", self.text[ent.end : following.start]) is not None
                if following is not None and described and ent.label in ("GPE", "NORP") and following.label in (
                        "ORG", "PERSON"):
                    i += 1
                    continue  # ``the Berlin think tank Agora``: the place only describes the organisation
                if following is not None and described and ent.label == "ORG" and following.label == "PERSON":
                    return self.entity_speaker(following, pos)  # ``Varga University law professor Ana Ruiz``
                titled = self._titled_person(i, hi) if ent.label != "PERSON" else None
                if titled is not None:
                    return titled  # ``said Democratic Kentucky Gov. Ana Ruiz``: the person, not her party or state
                described_role = self._place_described(ent, pos) if prefix.strip().lower() == "the" else None
                if described_role is not None and described_role.end <= hi:
                    return described_role  # ``said the Illinois lawmaker``
                modified = _MODIFIED_DOCUMENT.match(self.text, ent.end, hi)
                if modified and modified.group(1).lower() in DOCUMENT_NOUNS:
                    # ``according to a Varga poll``: the name only modifies the document that says it
                    return self.role_phrase(self.text[pos : modified.end()], pos, modified.end())
                return self.entity_speaker(ent, pos)
            break
        if match.group(0).lower() in ("that", "this", "these", "those", "to", "it"):
            return None
        surname = self.known_name([match.group(0)]) if match.group(0)[:1].isupper() else ""
        if surname in self.people and re.match(r"(?:\s+[a-z]|\s*[,.;]|\s*$)", self.text[match.end() : hi]):
            # ``said Holm during the briefing``: a surname the tagger missed, of the text's one Mira Holm
            return Speaker(surname, self.first_role(surname), match.start(), match.end())
        stop = re.search(r"[,.;:!?“”\"()—]", self.text[pos:hi])
        phrase_end = pos + stop.start() if stop else hi
        phrase = self.text[pos:phrase_end].strip()
        tokens = phrase.split()
        if looks_like_name(tokens):
            return Speaker(self.known_name(tokens), None, pos, pos + len(phrase))  # a name the tagger missed
        reduced = next((k for k in range(2, len(tokens) - 1) if _PARTICIPLE.fullmatch(tokens[k])
                        and tokens[k + 1] == "by"
                        and tokens[k - 1].lower() in ROLE_NOUNS | PLURAL_SOURCES | DOCUMENT_NOUNS), None)
        if reduced is not None:  # ``reads the headline blasted by …``, ``said a spokesman reached by phone``
            tokens = tokens[:reduced]
            phrase = " ".join(tokens)
        stop_at = next((k for k, t in enumerate(tokens) if t.lower() in CLAUSE_STOPS - {"of"}), None)
        if stop_at is not None:
            head = tokens[stop_at - 1].lower().rstrip(",") if stop_at else ""
            word = tokens[stop_at].lower()
            if word in ("who", "who’s", "who's", "whom", "that") and (head in ROLE_NOUNS or head in PLURAL_SOURCES):
                tokens = tokens[:stop_at]  # ``said a Senate aide who has been in touch …``: the aide
                phrase = " ".join(tokens)
            elif not (word in ("on", "at", "in", "for", "with", "from")
                      and (head in ROLE_NOUNS or head in PLURAL_SOURCES or tokens[0].lower() in DETERMINERS)):
                return None  # ``said one source on the panel`` keeps its modifier; a clause does not
        if 1 <= len(tokens) <= 8 and (
            tokens[0].lower() in DETERMINERS or tokens[-1].lower() in PLURAL_SOURCES
        ) and ends_in_speaker_noun(tokens):
            return self.role_phrase(phrase, pos, pos + len(phrase))
        return None

    def _person_after_possessive(self, i: int, hi: int) -> Entity | None:
        """The person a possessive mention's title leads to (``the Senate’s No. 2 Democrat, Ivo Kern``): the
        possessive only says whose title it is."""
        ent = self.entities[i]
        if not re.match(r"[’']s\s", self.text[ent.end : ent.end + 3]):
            return None
        for after in self.entities[i + 1 : i + 4]:
            if after.end > hi:
                return None
            if after.label == "PERSON":
                between = self.text[ent.end : after.start]
                return after if _TITLE_AFTER_POSSESSIVE.fullmatch(between) else None
        return None

    def subject_of(self, lo: int, cue: Cue, unnamed: bool = False) -> Speaker | None:
        """The clause subject for ``X met … and emphasized`` / ``X …, suggesting``: a name or pronoun
        opening the sentence (after an introductory phrase ending with a comma); with ``unnamed``, also a
        noun phrase headed by a role, group or organisation noun (``several groups …, saying``)."""
        second = self._second_clause_subject(lo, cue)
        if second is not None:
            return second
        dateline = _DATELINE.match(self.text, lo, cue.start) or _CROSSHEAD.match(self.text, lo, cue.start)
        if dateline:  # ``WASHINGTON (Reuters) -`` / ``Washington (CNN)`` / a crosshead ``CONGRESS HAS ACTED —``
            lo = dateline.end()
        clause = re.search(r"[:;]\s+(?=[A-Z])[^:;]*$", self.text[lo : cue.start])
        if clause:  # ``… the quota: On May 2, a group of councillors wrote …, calling``
            lo += clause.start() + 1
        conjunction = re.match(r"\s*(?:But|And|Yet|So)\s+(?=[A-Za-z])", self.text[lo : cue.start])
        if conjunction:  # ``But he’s not surprised, and agrees, saying``: the conjunction is no part of the subject
            lo += conjunction.end()
        when = _OPENING_TIME.match(self.text, lo, cue.start)
        if when:  # ``On Thursday Ana Ruiz, the port's engineer, offered …:``
            lo = when.end()
        intro = re.match(r"[^,]{0,60},\s*", self.text[lo : cue.start]) or _OPENING_CLAUSE.match(self.text[lo : cue.start])
        opener = self.by_start.get(self._lstrip(lo, cue.start))
        if intro and opener is not None and opener.label == "PERSON" and _FINITE_VERB.match(self.text, opener.end):
            intro = None  # ``Ana Ruiz avoided any jab at Ivo Kern, his rival, writing``: a clause, not an opening phrase
        listed = self._group_with_listed_names(lo, intro.end(), cue.start) if intro else None
        if listed is not None:
            return listed
        order = ([lo + intro.end()] if intro else []) + [lo]
        if when and self.by_start.get(self._lstrip(lo, cue.start)) is not None:
            order.reverse()  # the name right after the time phrase, before its appositive's commas
        for start in order:
            while start < cue.start and self.text[start].isspace():
                start += 1
            i = bisect.bisect_left(self.starts, start)
            if i < len(self.entities) and self.entities[i].end <= cue.start:
                ent = self.entities[i]
                if ent.start == start or (
                    ent.label == "PERSON" and self._is_role_prefix(self.text[start : ent.start])
                ) or (ent.label != "PERSON" and re.fullmatch(r"the\s+", self.text[start : ent.start], re.IGNORECASE)):
                    owned = _POSSESSED_SPEAKER.match(self.text, ent.end, cue.start)
                    named = self.by_start.get(self._lstrip(owned.end(), cue.start)) if owned else None
                    if named is not None and named.label == "PERSON":
                        return self.entity_speaker(named, start)  # ``Clinton’s campaign manager Robby Mook``
                    if owned and is_speaker_noun(owned.group("head").lower()):
                        # ``Scott’s relatives, including his wife, … said``: the possessed group speaks
                        return self.role_phrase(self.text[start : owned.end()], start, owned.end())
                    return (self._titled_person(i, cue.start) or self._place_described(ent, start)
                            or self.entity_speaker(ent, start))
            word = WORD.match(self.text, start, cue.start)
            pronoun = re.match(r"(he|she|we|I)(?:[’'](?:s|d|ve|ll|m))?$", word.group(0), re.IGNORECASE) if word else None
            clitic = word is not None and pronoun is not None and pronoun.end(1) < len(word.group(0))
            if clitic and not self.text[start : cue.start].rstrip().endswith(","):
                pronoun = None  # (``He’s been investigated for promoting “…”``: only a free participle after a comma)
            if word and pronoun and (pronoun.group(1).lower() in ("he", "she", "we") or pronoun.group(1) == "I"):
                # (``I laughed and said``: the writer; ``she’s gone further, saying``: the pronoun before its clitic)
                return self.resolve_pronoun(word.start(), word.start() + len(pronoun.group(1)))
        for start in ([lo + intro.end()] if intro and unnamed else []) + ([lo] if unnamed else []):
            phrase = self._subject_phrase(self._lstrip(start, cue.start), cue.start)
            if phrase is not None:
                return phrase
        late = _LATE_PRONOUN_SUBJECT.search(self.text, lo, cue.start)
        if late:  # ``Once, when my mother asked, I laughed and said``: the subject after the opening clauses
            return self.resolve_pronoun(late.start("who"), late.end("who"))
        return None

    def _group_with_listed_names(self, lo: int, names_at: int, end: int) -> Speaker | None:
        """``Arizona’s two senators, Ana Ruiz and Ivo Kern, took …``: a plural speaker phrase whose appositive lists
        two or more persons speaks as the group; crediting the first name alone would give one person both's words."""
        first = self.by_start.get(self._lstrip(lo + names_at, end))
        head = self.text[lo : lo + names_at].rstrip(", ").split()
        if first is None or first.label != "PERSON" or not head:
            return None
        if not (head[-1].lower() in PLURAL_SOURCES or plural_role(head[-1].lower())):
            return None
        joined = re.match(r"(?:\s*,\s*[^,;:“”\"]{2,40}?)*,?\s+and\s+", self.text[first.end : end])
        second = self.by_start.get(first.end + joined.end()) if joined else None
        if second is None or second.label != "PERSON" or self.text[second.end : second.end + 1] != ",":
            return None
        phrase_end = self._rstrip(lo, lo + len(self.text[lo : lo + names_at].rstrip(", ")))
        return self.role_phrase(self.text[lo:phrase_end], lo, phrase_end)

    def _second_clause_subject(self, lo: int, cue: Cue) -> Speaker | None:
        """``A is ramping up … and B, despite …, put out an ad declaring``: a person named after ``and`` / ``but``
        who opens a clause of their own (a verb of theirs before the cue, an aside between allowed) is the subject
        the participle hangs on, not the sentence's first subject."""
        last = None
        for joint in _CLAUSE_JOINT.finditer(self.text, lo, cue.start):
            last = joint
        named = self.by_start.get(last.end()) if last is not None else None
        if named is None or named.label != "PERSON" or named.end >= cue.start:
            return None
        if not _OWN_VERB.match(self.text, named.end, cue.start):
            return None  # (``met Ana Ruiz and Ivo Kern, saying``: a second object, no clause)
        return self.entity_speaker(named, named.start)

    def _titled_person(self, i: int, end: int) -> Speaker | None:
        """``Danish Prime Minister Ana Ruiz`` / ``Harbour Trust spokesman Ivo Kern``: a country, people or body
        before a title and a person's name only says whose title it is; the person is the subject."""
        if self.entities[i].label == "PERSON":
            return None
        j = i + 1  # (``Democratic Kentucky Gov. Ana Ruiz``: places and bodies may stand in a row before the title)
        while j < len(self.entities) and self.entities[j].label != "PERSON" and self.entities[j].end < end:
            j += 1
        if j >= len(self.entities) or self.entities[j].label != "PERSON" or self.entities[j].end > end:
            return None
        person = self.entities[j]
        words = self.text[self.entities[i].end : person.start].split()
        titled = [w.lower().rstrip(".") in TITLES | ROLE_NOUNS for w in words]
        if not any(titled) or not all(t or w[:1].isupper() for t, w in zip(titled, words)):
            return None
        return self.entity_speaker(person, self.entities[i].start)

    def skip_back_adverbs(self, lo: int, end: int) -> int:
        while True:
            while end > lo and self.text[end - 1].isspace():
                end -= 1
            paren = re.search(r"\([^()]{1,80}\)$|\[[^\[\]]{1,25}\]$", self.text[lo:end])
            if paren:  # ``Sen. Claire McCaskill (D-Mo.) said``, ``the inspector general [IG] believed``
                end = lo + paren.start()
                continue
            if self.text[end - 1 : end] in ("“", '"', "‘") and end - 1 > lo:
                end -= 1  # ``He has “acknowledged” that``: the cue word is itself quoted
                continue
            aside = _ADVERBIAL_ASIDE.search(self.text, lo, end)
            if aside:  # ``He has, since that time, said``
                end = aside.start()
                continue
            when = TIME_PHRASE_END.search(self.text[lo:end])
            if when:  # ``Sanders on Tuesday said``
                end = lo + when.start()
                continue
            seeming = _SEEMING.search(self.text, lo, end)
            if seeming:  # ``Trump appeared to believe that``: the subject before the raising verb
                end = seeming.start()
                continue
            reduced = _DOCUMENT_PARTICIPLE.search(self.text, lo, end)
            if reduced and reduced.group("noun") in DOCUMENT_NOUNS:  # ``a report released last year found``
                end = reduced.end("noun")
                continue
            match = re.search(r"(\w+)$", self.text[lo:end])
            if not match:
                return end
            word = match.group(1)
            if word.lower() in ADVERBS or (word.endswith("ly") and word.islower() and len(word) > 4):
                end = lo + match.start()
                continue
            return end

    def entity_speaker(self, ent: Entity, lo: int) -> Speaker:
        role = self.role_of(ent, lo)
        if role is None and ent.label in ("ORG", "LAW") and is_document(ent.text):
            role = "document"
        return Speaker(ent.canonical, role, ent.start, ent.end)

    def role_of(self, ent: Entity, lo: int = 0) -> str | None:
        """The role stated at this mention, else the first role the text gave the person.
        A bare honorific (``Dr.``, ``Sen.``) yields to a fuller description."""
        before = self.role_before(ent, lo)
        if before and not HONORIFIC_ONLY.fullmatch(before):
            return before
        known = self.first_role(ent.canonical) if ent.label == "PERSON" else None
        return (
            self.role_after(ent)
            or (known if known and not HONORIFIC_ONLY.fullmatch(known) else None)
            or before
        )

    def _before_appositive(self, lo: int, comma: int) -> Speaker | None:
        """``Putin, the Russian president,`` / ``Ana Ruiz, 59, of Leeds,`` → the person before the
        comma-separated appositives (a role-like appositive becomes the role)."""
        named = self.by_end.get(self._name_end(lo, comma))
        opening = self.text.rfind(",", lo, comma)
        if named is not None and named.label == "PERSON" and named.start >= max(lo, opening) and not _DESCRIBED_BY.search(
                self.text, max(lo, opening + 1), named.start):  # (``…, a campaigner with the group Renewables First,``)
            return self.entity_speaker(named, max(lo, opening + 1))  # ``That body’s head, Ana Ruiz,``
        segments: list[str] = []
        end = comma
        for _ in range(4):
            opening = self.text.rfind(",", lo, end)
            if opening < 0:  # ``Another study, for the Port Institute, concluded``: the head before its modifier
                return self._head_before_modifier(lo, end) if _MODIFIER_SEGMENT.match(segments[0] if segments else "") else None
            segments.insert(0, self.text[opening + 1 : end].strip())
            if sum(len(x.split()) for x in segments) > 30 or _CLAUSE_VERB.search(segments[0]):
                return None
            ent = self.by_end.get(self._name_end(lo, opening))
            if segments[0].lower().startswith("or "):
                ent = None  # ``the head of the Harbour Guild, or HG,``: the name before an alias only describes
            set_off = self.text.rfind(",", lo, ent.start) if ent is not None else -1
            if ent is not None and set_off >= 0 and _DESCRIBED_BY.search(self.text, set_off + 1, ent.start):
                end = opening  # ``Mia Lund, director of the program at Tidewater, a think tank,``: the name after a
                continue  # preposition only says where the one named before works
            if ent is not None and ent.start >= lo and (ent.label in ("PERSON", "ORG") or (
                    ent.label == "GPE" and not _PLACE_BEFORE.search(self.text, lo, ent.start))):
                # (a country heads its phrase: ``Even China, Pyongyang’s only ally, said``; not ``of Ashton, Md.,``)
                member = self._member_of(ent, lo)
                if member is not None:  # ``Ana Ruiz of the Harbour Trust, the activist who …, says``
                    return member
                roles = [x for x in segments if looks_like_role(x)]
                role = clean_role(roles[0]) if roles else self.first_role(ent.canonical)
                return Speaker(ent.canonical, role, ent.start, ent.end)
            end = opening
        return None

    def _name_end(self, lo: int, end: int) -> int:
        """Where a name before ``end`` ends, past a party and state in brackets (``Rep. Ana Ruiz (R-Ohio),``)."""
        end = self._rstrip(lo, end)
        party = re.search(r"\s*\([^()]{1,25}\)$", self.text[lo:end])
        return self._rstrip(lo, lo + party.start()) if party else end
