"""Who owns quoted words that no reporting verb introduces.

``Posen’s warning: “…”`` (a possessed noun of speech), ``Ana Ruiz, who has “long warned …”`` (a
relative clause), ``SMITH: “…”`` (a name and a colon), ``protesters chanted, “…”`` (a crowd),
``a sign reading “…”`` (a written thing) and ``the mayor urged drivers to “leave the car at home”``
(the subject of a verb of saying, urging or judging). Scare quotes have none of these and stay
without a speaker.
"""

from __future__ import annotations

import bisect
import re

from .speaker_mentions import Cue, Speaker, find_cues
from .speaker_phrases import WORD
from .speaker_words import (
    CROWD_NOUNS,
    CUE_WORDS,
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    ROLE_NOUNS,
    SPEECH_NOUNS,
)
from .speakers import SpeakerFinder


def _words(text: str) -> int:
    return len(text.split())


_SPEECH_NOUN = "|".join(sorted(SPEECH_NOUNS, key=len, reverse=True))
#: ``Posen’s assumption that … “…”`` / ``his warning: “…”`` (the owner of the words is the speaker)
POSSESSED_SPEECH = re.compile(
    rf"(?P<owner>[’']s|\b(?:his|her|its))\s+(?:[\w.\-]+\s+){{0,2}}?(?P<noun>(?:{_SPEECH_NOUN})s?)\b"
    r"(?P<tail>\s+that\b[^“”\"]*|\s*[:,—–]\s*|\s+of\s+(?:(?:a|an|the)\s+)?"
    r"|\s+(?P<topic>about|for|against|over|to)\s+(?:(?:a|an|the)\s+)?)$"
)
#: ``The Statement ends with the promise of “…”`` (the sentence subject made the statement)
_SUBJECT_SPEECH = re.compile(
    r"\b(?:ends|ended|begins|began|opens|opened|closes|closed|concludes|concluded)\s+with\s+"
    r"|\b(?:contains|contained|includes|included|repeats|repeated|makes|made|issues|issued|voices|voiced|"
    r"expresses|expressed|offers|offered|gives|gave)\s+"
)
_STATED_NOUN = re.compile(rf"(?:(?:the|a|an|its)\s+)?(?:{_SPEECH_NOUN})\s+(?:of|that)\s+(?:(?:a|an|the)\s+)?")
#: ``X expressed confidence that … “…”`` / ``the audit included, without checking them, claims that … “…”``
_VOICED_CLAIM = re.compile(
    r"\b(?P<verb>expressed|voiced|provided|issued|released|offered|repeated|renewed|included|raised)\b"
    rf"[^“”\".;:]{{0,60}}?\b(?:{_SPEECH_NOUN}|guidance|confidence|concern|hope|fear|doubt)s?"
    r"(?:\s+to\s+(?:[\w’'-]+\s+){0,2}?[\w’'-]+)?"  # ``voiced confidence to the press on Monday that``
    r"(?P<tail>\s+that\b[^“”\"]*|\s+(?:of|for|about|over)\s+(?:(?:a|an|the)\s+)?"
    # ``issued a statement calling the test “…”``: the statement's verb of naming or judging
    r"|\s+(?:calling|describing|labell?ing|branding|terming|urging|accusing|condemning|denouncing)\s+[^“”\".;:]*)$")
#: a noun of speech, its agent after ``by`` / ``from``, and the clause it states (``claims by X that … “…”``)
_SPEECH_BY = re.compile(rf"\b(?P<noun>(?:{_SPEECH_NOUN})s?)(?:\s+(?:in|during|on|at|over)\s+[^“”\".;:,]{{1,40}}?)?"
                        r"\s+(?P<by>by|from)\s+[^“”\".;:]{1,60}?\s(?P<that>that)\b"
                        r"[^“”\".;:]{0,150}$")
#: ``Ana Ruiz, who has “long warned …”`` / ``Ana Ruiz, who’d said that “…”`` / ``protesters who shout, “…”``
_WHO_QUOTE = re.compile(r"\bwho(?:['’]d)?\s+(?:(?:has|had|have|is|was|also|then|long|since|once)\s+){0,2}"
                        r"(?:(?P<cue>[a-z]+)\s*[,:]?\s+(?:that\s+)?)?$")
#: verbs by which a crowd voices words together
CROWD_CUE = re.compile(r"\b(?P<verb>(?:chant|shout|yell|scream|sing|sang|sung|cheer|roar)(?:s|ed|ing)?)\s*[,:]?\s*$")
#: words after which ``some`` / ``many`` / ``others`` open a clause as its subject
_CLAUSE_OPENERS = ("that", "and", "but", "although", "though", "while", "because", "as", "when", "where", "after",
                   "before", "if", "until", "since")
_CROWD_HEAD = re.compile(r"\b(?:crowd|gathering|throng|mob)s?(?:\s+of\s+(?:[\w-]+\s+)?[\w-]+)?\b|\b(?:" + "|".join(sorted(
    CROWD_NOUNS | {"people", "supporters", "opponents", "residents", "voters", "activists"}, key=len, reverse=True))
    + r")\b|(?:^|(?<=[,;]\s)|" + "|".join(rf"(?<=\b{w}\s)" for w in _CLAUSE_OPENERS) + r")(?:some|many|others)\b",
    re.IGNORECASE)
#: what a crowd's head noun may carry before it: ``hundreds of``, ``a gathering of``, ``the``, ``some angry``
_CROWD_PREFIX = re.compile(
    r"(?:\b(?:hundreds|thousands|dozens|scores)\s+of\s+|\b(?:a|the)\s+(?:crowd|gathering|group|throng|mob)\s+of\s+"
    r"|\b(?:the|a|an|some|many|several|a\s+few)\s+)(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def owned_speech(text: str, lo: int, open_at: int) -> re.Match | None:
    """A possessed noun of speech right before the quotation (``Posen’s warning: “…”``, ``the ministry’s
    complaint about “…”``). A noun that names what it is about (``about``, ``for``, ``against``) owns the
    words only outside another's report: in ``X ruled that Y’s statement about “…” is true`` they are X's."""
    owned = POSSESSED_SPEECH.search(text, lo, open_at)
    if owned is not None and set(text[owned.end("owner") : owned.start("noun")].lower().split()) & (
            PLURAL_SOURCES | ROLE_NOUNS):
        return None  # ``Nuclear’s defenders answer that``: the possessed noun is the speaker, ``answer`` its verb
    if owned is not None and owned.group("topic") and (
            find_cues(text, lo, owned.start()) or _OWNING_VERBS.search(text, lo, owned.start())):
        return None
    if owned is not None and find_cues(text, lo, owned.start()) and _PREDICATE_OF_NOUN.fullmatch(
            text, owned.end("noun"), open_at):
        return None  # ``He said the board’s claim that … was “flatly untrue”``: the words are said of the claim
    return owned


#: after a noun of speech, its ``that`` clause with a verb of its own (or nothing), then a verb ``to be`` right before
#: the quotation: the words are the predicate of the noun, said of it (``claim that there was a rise was “…”``)
_PREDICATE_OF_NOUN = re.compile(r"(?:\s+that\s[^“”\"]*?\b(?:is|was|are|were|has|have|had|will|would|can|could|did|"
                                r"[a-z]{3,}ed)\b[^“”\"]*?)?\s(?:is|was|are|were)\s+(?:(?:not|also|still|simply|"
                                r"[a-z]+ly)\s+)?")


#: a document noun and a relative pronoun, a verb of saying after it or not, right before the quotation (``the
#: legislation, which “…”``, ``a press release that alleged the town’s “…”``)
_DOCUMENT_RELATIVE = re.compile(r"\b(?P<noun>[a-z]+),?\s+(?:which\s+(?:(?P<verb>[a-z]+)\s+(?:[\w’'-]+\s+){0,3}?)?|"
                                r"that\s+(?P<that_verb>[a-z]+)\s+(?:[\w’'-]+\s+){0,3}?)$")
#: (``that`` with no verb after it opens the noun's content clause: ``her memo that “…”`` is her words)


def attribute_document_relative(finder: SpeakerFinder, text: str, lo: int, open_at: int
                                ) -> tuple[Speaker, Cue] | None:
    """Words that open a relative clause on a document (``the legislation, which “…”``) or follow its verb of saying
    there (``a press release that alleged …“…”``) are the document's, not those of whoever the sentence is about."""
    relative = _DOCUMENT_RELATIVE.search(text, lo, open_at)
    if relative is None or relative.group("noun") not in DOCUMENT_NOUNS:
        return None
    verb = relative.group("verb") or relative.group("that_verb")
    if verb is not None and verb not in CUE_WORDS:
        return None
    words = list(WORD.finditer(text, lo, relative.end("noun")))
    document = finder.noun_phrase_left(lo, relative.end("noun"), words)
    if document is None or document.role != "document":
        return None
    return document, Cue(verb or "which", relative.start(), relative.end())


def is_speech_noun(word: str) -> bool:
    """``complaint``, ``promises``: a noun of speech or thought whose owner may own quoted words."""
    word = word.lower()
    return word in SPEECH_NOUNS or (word.endswith("s") and word[:-1] in SPEECH_NOUNS)


def attribute_without_cue(
    finder: SpeakerFinder, text: str, lo: int, open_at: int
) -> tuple[Speaker, Cue] | None:
    """Quotations introduced by no reporting verb but owned by someone: a possessed noun of
    speech or thought, a relative clause on a person, a person's name followed by a colon, or a
    document's stated promise."""
    lead = text[lo:open_at]
    owned = owned_speech(text, lo, open_at)
    if owned and _words(owned.group("tail")) <= 30:
        at = owned.start("owner")
        cue = Cue(owned.group("noun"), owned.start("noun"), owned.end("noun"))
        if owned.group("owner").lower() in ("his", "her"):
            name = finder.recent_person(at)
            return (Speaker(name, finder.first_role(name), at, at + 3), cue) if name else None
        ent = finder.by_end.get(at) if owned.group("owner") != "its" else finder.recent(at, {"ORG", "LAW"})
        if ent is not None and ent.label in ("PERSON", "ORG", "LAW"):
            return finder.entity_speaker(ent, lo), cue
        if owned.group("owner") != "its" and (ent is None or ent.label in ("GPE", "NORP")):
            # ``the ministry’s complaint about “…”``, ``Moscow’s demand for “…”``: an unnamed or a place owner
            owner = finder.left_of(lo, Cue("’s", at, at + 2)) if ent is None else finder.entity_speaker(ent, lo)
            if owner is not None and owner.start < at:
                return owner, cue
        return None
    by = _SPEECH_BY.search(lead)
    if by:  # ``accusations by Ana Ruiz that the vote is “rigged”``: the agent of the noun of speech
        cue = Cue(by.group("noun"), lo + by.start("noun"), lo + by.end("noun"))
        that = lo + by.start("that")
        named = finder.by_end.get(len(text[:that].rstrip()))
        if named is not None and named.start > lo + by.end("by") and named.label in ("PERSON", "ORG"):
            return finder.entity_speaker(named, lo), cue  # ``by Ruiz’s rival Ivo Kern that``: the name before the clause
        agent = finder.right_of(Cue(by.group("by"), lo + by.start("by"), lo + by.end("by")), that)
        if agent is not None and not text[agent.end : that].strip():
            return agent, cue
    who = _WHO_QUOTE.search(lead)
    if who and (who.group("cue") is None or who.group("cue").lower() in CUE_WORDS):
        speaker = finder.antecedent(lo, lo + who.start(), "who")
        if speaker is not None and speaker.name is None and who.group("cue") is None:
            return None  # ``officials who “exert influence”``: words that describe an unnamed group, not its words
        return (speaker, Cue("who", lo + who.start(), lo + who.start() + 3)) if speaker else None
    colon = re.search(r":\s*$", lead)
    if colon:  # a caption's ``Commuter Ana Ruiz: “…”``, a transcript's ``SMITH: “…”``: the named person
        cue = Cue(":", lo + colon.start(), lo + colon.start() + 1)
        ent = finder.by_end.get(lo + colon.start())
        if ent is not None and ent.label == "PERSON":
            return finder.entity_speaker(ent, lo), cue
        # ``Ana Ruiz, who runs the yard, puts it bluntly: “…”``: the person the sentence is about introduces her words
        subject = finder.subject_of(lo, cue) if ent is None and ":" not in lead[: colon.start()] else None
        named = finder.by_start.get(subject.start) if subject is not None else None
        if (subject is not None and named is not None and (named.label == "PERSON" or named.canonical in finder.people)
                and not _names_another_person(finder, named.end, cue.start)):
            return subject, cue
    stated = ([None] + list(_SUBJECT_SPEECH.finditer(lead)))[-1]
    if stated and _STATED_NOUN.fullmatch(lead[stated.end() :]):
        cue = Cue(stated.group(0).strip(), lo + stated.start(), lo + stated.end())
        speaker = finder.subject_of(lo, cue)
        if speaker is not None and speaker.role == "document":
            return speaker, cue
    return None


#: a possessive right before the quotation, an adjective and an adverb before it between allowed (``his “…”
#: conclusion``, ``Ana Ruiz’s “…” remark``, ``Ana Ruiz’s now famous “…” remark``) …
_OWNER_BEFORE = re.compile(r"(?:(?P<name>[’']s)|\b(?P<pronoun>[Hh]is|[Hh]er))(?:\s+(?:now|much|oft|often|so)-?)?"
                           r"(?:\s+[a-z]+(?:-[a-z]+)?)?\s*$")  # (``Ana Ruiz’s now infamous “…” remark``)
#: … and a noun of speech right after it
_SPEECH_NOUN_AFTER = re.compile(rf"[\s,]*(?P<noun>(?:{_SPEECH_NOUN})s?)\b")


def attribute_possessed_quotation(finder: SpeakerFinder, text: str, lo: int, open_at: int, close_end: int
                                  ) -> tuple[Speaker, Cue] | None:
    """``his “I cannot clear him” verdict``: the quotation modifies a possessed noun of speech, whose owner said it."""
    owner = _OWNER_BEFORE.search(text, lo, open_at)
    noun = _SPEECH_NOUN_AFTER.match(text, close_end) if owner else None
    if owner is None or noun is None:
        return None
    cue = Cue(noun.group("noun"), noun.start("noun"), noun.end("noun"))
    if owner.group("pronoun"):
        at = owner.start("pronoun")
        name = finder.recent_person(at)
        return (Speaker(name, finder.first_role(name), at, owner.end("pronoun")), cue) if name else None
    ent = finder.by_end.get(owner.start())
    if ent is not None and ent.start >= lo and (ent.label == "PERSON" or ent.canonical in finder.people):
        return finder.entity_speaker(ent, lo), cue
    return None


def _names_another_person(finder: SpeakerFinder, lo: int, hi: int) -> bool:
    """Another person is named in ``text[lo:hi]``."""
    return any(e.label == "PERSON" and lo <= e.start and e.end <= hi
               for e in finder.entities[bisect.bisect_left(finder.starts, lo) : bisect.bisect_left(finder.starts, hi)])


#: verbs by which a sentence's subject uses the quoted words as its own (``the mayor exhorted drivers
#: to "leave the car at home"``, ``the council proclaimed a goal of "Streets For People"``)
_OWNING_VERBS = re.compile(
    r"\b(?:proclaim|exhort|recommend|compar|rul|urg|pledg|vow|promis|demand|accus|condemn|denounc|prais|criticiz|criticis"
    r"|dismiss|reject|label|brand|term|tout|hail|blast|slam|mock|defend|question|insist|declar|announc|describ"
    r"|call|dub|warn|threaten|promot|champion|deride|decri|lament|complain|boast|assur|predict|recall|cit|liken"
    r"|characteriz|characteris|attack|advocat|laud|referenc|blam)"
    r"(?:e|es|ed|ing|s|d|led)?\b",
    re.IGNORECASE,
)
#: a possessive or an article before an owning verb's word makes it a noun (``Berg’s boast``, ``the call``)
_NOUN_BEFORE = re.compile(r"(?:[’']s|\b(?:his|her|its|their|the|a|an))\s+$", re.IGNORECASE)
#: ``what it called "a clear threat"`` / ``what he describes as "…"``: the owner is the pronoun's antecedent
_WHO = (r"(?P<who>he|she|it|they|[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,2}"
        r"|(?:one|a|an|the|another|some)\s+(?:[\w-]+\s+){0,3}?(?:"
        + "|".join(sorted(ROLE_NOUNS | PLURAL_SOURCES | ORGANISATION_NOUNS, key=len, reverse=True)) + r"))")
_WHAT_CALLED = re.compile(
    rf"\bwhat\s+{_WHO}\s+(?:has\s+|had\s+)?"
    r"(?P<verb>called|calls|described\s+as|describes\s+as|termed|terms|dubbed|dubs|labeled|labelled)\s*$"
    # ``in the words of one official, the office was "toxic"``: the clause that follows is theirs
    rf"|\b(?P<verb2>in\s+the\s+words\s+of)\s+{_WHO.replace('?P<who>', '?P<who2>')}\s*,[^“”\"]{{0,120}}$"
)


def names_owner(text: str, lo: int, open_at: int) -> bool:
    """``what the mayor described as “…”``: the words right before the quotation name their owner, whatever cue
    the sentence closes with (``…, according to the Gazette`` reports the naming, not the words)."""
    lead = text[lo:open_at]
    what = _WHAT_CALLED.search(lead) if "what " in lead else None
    return what is not None and what.group("verb") is not None


def attribute_dashed(finder: SpeakerFinder, text: str, lo: int, open_at: int, close_end: int
                     ) -> tuple[Speaker, Cue] | None:
    """``… including the former candidate Ana Ruiz -- “…” --``: words set off by a pair of dashes right after a
    person's name are that person's, whoever the sentence's verb of saying belongs to (one dash is not enough:
    in ``supportive of Ana Ruiz -- “…”`` the words are the author's or the subject's)."""
    dashed = re.search(r"\s(?:--|—|–)\s*$", text[lo:open_at])
    if dashed is None or not re.match(r"\s*(?:--|—|–)", text[close_end : close_end + 5]):
        return None
    ent = finder.by_end.get(finder.skip_back_adverbs(lo, lo + dashed.start()))
    if ent is None or ent.label != "PERSON" or ent.start < lo:
        return None
    return finder.entity_speaker(ent, lo), Cue(dashed.group(0).strip(), lo + dashed.start() + 1, lo + dashed.end())


def attribute_crowd(finder: SpeakerFinder, text: str, lo: int, open_at: int) -> tuple[Speaker, Cue] | None:
    """``protesters chanted, “…”`` / ``hundreds of people chanting: “…”`` / ``some … and chanted, “…”``:
    words a crowd voices together belong to the nearest crowd before the verb, in the same sentence."""
    lead = text[lo:open_at]
    verb = CROWD_CUE.search(lead)
    if verb is None:
        return None
    before = lead[: verb.start()]
    if re.search(r"\bwho(?:['’]d)?\s+(?:\w+\s+)?$", before):
        return None  # ``the mayor, who shouted``: the relative clause's antecedent, not a crowd
    heads = list(_CROWD_HEAD.finditer(before))
    if not heads:
        return None
    head = heads[-1]
    between = finder.entities[bisect.bisect_left(finder.starts, lo + head.end()):
                              bisect.bisect_left(finder.starts, lo + verb.start())]
    if any(e.end <= lo + verb.start() and e.label in ("PERSON", "ORG") for e in between):
        return None  # ``protesters watched as Ana Ruiz shouted``: the named one is the speaker
    prefix = _CROWD_PREFIX.search(before, 0, head.start())
    start, end = lo + (prefix.start() if prefix else head.start()), lo + head.end()
    named = finder.by_end.get(start - 1) if text[start - 1 : start] == " " else None
    if named is not None and named.label in ("ORG", "NORP", "GPE"):
        start = named.start  # ``Greenpeace activists``, ``Iranian protesters``
    cue = Cue(verb.group("verb"), lo + verb.start("verb"), lo + verb.end("verb"))
    return Speaker(None, text[start:end], start, end), cue


#: the words by which a written thing carries its words (``a sign reading``, ``a message that said``)
_CARRYING = r"saying|reading|stating|declaring|that\s+(?:said|says|read|reads)"
#: ``a sign reading “…”`` / ``a message in Chinese saying “…”``: a written thing that carries the words
_DOCUMENT_SAYING = re.compile(
    r"\b(?P<np>(?:a|an|the|one)\s+(?:[\w-]+\s+){0,1}(?P<head>[\w-]+)(?:\s+(?:in|on|from|by|with)\s+(?:[\w-]+\s+){0,3}?)?)"
    r"(?P<some>,?\s+including\s+(?:some|one|many|several|those|two|three))?"
    rf"\s*(?P<cue>{_CARRYING})\s*[,:]?\s*$",
    re.IGNORECASE,
)
#: ``with signs, including some that read: “…”``: some of the written things named just before carry the words
_DOCUMENTS_SOME_SAYING = re.compile(
    r"\b(?P<np>(?P<head>[a-z]+s)),?\s+including\s+(?:some|one|many|several|those|two|three)\s*"
    rf"(?P<cue>{_CARRYING})\s*[,:]?\s*$")
CARRIED = re.compile(_CARRYING, re.IGNORECASE)


def attribute_written(finder: SpeakerFinder, text: str, lo: int, open_at: int) -> tuple[Speaker, Cue] | None:
    """Words a sign, banner, message or statement carries, introduced by ``saying`` / ``reading``."""
    found = _DOCUMENT_SAYING.search(text, lo, open_at) or _DOCUMENTS_SOME_SAYING.search(text, lo, open_at)
    if found is None or not {found.group("head").lower(), found.group("head").lower()[:-1]} & DOCUMENT_NOUNS:
        return None
    start, end = found.start("np"), found.start("np") + len(found.group("np").rstrip())
    cue = Cue(found.group("cue"), found.start("cue"), found.end("cue"))
    return Speaker(_lower_first(text[start:end]), "document", start, end), cue


def _lower_first(phrase: str) -> str:
    return phrase[:1].lower() + phrase[1:] if phrase[:1].isupper() and phrase.split()[0].lower() in (
        "a", "an", "the", "one") else phrase


#: ``was told by police to “…”`` / ``were accused by the ministry of “…”``: a passive verb of saying and its agent
_PASSIVE_AGENT = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?P<verb>told|warned|ordered|asked|urged|accused|critici[sz]ed|"
    r"described|called|dubbed|branded|condemned|instructed|advised)\s+by\s+"
    r"(?P<agent>(?:the\s+|a\s+|an\s+)?[\w.’'-]+(?:\s+[\w.’'-]+){0,3}?)\s+(?:to|of|as|for)\s+(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE)
def _speaking_subject(finder: SpeakerFinder, speaker: Speaker | None) -> Speaker | None:
    """``speaker`` if it can speak: a named person, organisation or country, he or she, or a role,
    group or organisation noun (not ``a box`` that is labeled)."""
    if speaker is None:
        return None
    if speaker.role == "document":  # ``the audit cited the pier as “…”``: a document says what it says; ``a comment
        # that described …`` is its maker's, whom the relative clause does not name
        relative = finder.text[speaker.start : speaker.end].lower() in ("that", "which") or re.match(
            r"\s+(?:that|which)\b", finder.text[speaker.end : speaker.end + 7])
        return None if relative else speaker
    ent = finder.by_start.get(speaker.start)
    if (ent is not None and ent.label in ("PERSON", "ORG", "GPE", "NORP")) or (
            ent is None and speaker.name and speaker.name[:1].isupper()):  # a name the tagger missed
        return speaker
    mention = finder.text[speaker.start : speaker.end].lower()
    head = (speaker.role or "").lower().split()[-1:] or [""]
    if mention in ("he", "she") or head[0] in ROLE_NOUNS | PLURAL_SOURCES | ORGANISATION_NOUNS:
        return speaker
    return None


#: a sender, a verb of sending out a written message, the message and its participle of saying before the words
#: (``the union posted a tweet hinting at “…”``)
_SENT_MESSAGE = re.compile(r"\b(?P<verb>sent(?:\s+out)?|posted|published|issued|released|put\s+out|shared)\s+"
                           r"(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+)?(?:tweet|post|message|statement|letter|memo|"
                           r"e-?mail|note|release|video)\s+(?P<cue>suggesting|saying|claiming|arguing|warning|noting|"
                           r"stating|declaring|calling|describing|alleging|insisting|hinting|implying)\b[^.;:“”\"]{0,120}$")


#: an aside set off by commas right before a verb (``, which has backed the ferry since 2001,``)
_ASIDE_BEFORE_VERB = re.compile(r",[^,;:“”\"]{1,100},\s*$")


def attribute_sent_message(finder: SpeakerFinder, text: str, lo: int, open_at: int) -> tuple[Speaker, Cue] | None:
    """``The union, …, posted a tweet hinting at “…”``: the words are the sender's, whoever the sentence
    names after them as the place the writer read about the message (``…, the Gazette reports``)."""
    sent = _SENT_MESSAGE.search(text, lo, open_at)
    if sent is None:
        return None
    verb = Cue(sent.group("verb"), sent.start("verb"), sent.end("verb"))
    speaker = _speaking_subject(finder, finder.left_of(lo, verb))
    aside = _ASIDE_BEFORE_VERB.search(text, lo, verb.start) if speaker is None else None
    if aside is not None:  # ``The union, which has backed the ferry since 2001, sent``: the subject before the aside
        speaker = _speaking_subject(finder, finder.left_of(lo, Cue(verb.text, aside.start(), aside.start())))
    return (speaker, Cue(sent.group("cue"), sent.start("cue"), sent.end("cue"))) if speaker is not None else None


#: ``In the letter he was accused of “…”``: a sentence that opens inside a document quotes the document
_IN_DOCUMENT = re.compile(
    r"^\s*(?P<prep>In|Under)\s+(?P<np>(?:the|a|an|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?(?P<head>[\w-]+))\s*,?\s+"
    r"(?![^“”\"]*\b(?:said|says|told|wrote|writes|according)\b)")


def _pronoun_subject(finder: SpeakerFinder, text: str, lo: int, hi: int, pronoun: str) -> Speaker | None:
    """``It’s attacking what it calls “…”``: the same pronoun opening the sentence is its subject and the owner
    (resolved to the organisation named last, if any), else the pronoun after ``what``."""
    opening = re.match(r"\s*(it|they)(?=[’']s\b|[’']re\b|\s)", text[lo:hi], re.IGNORECASE)
    if opening is not None and opening.group(1).lower() == pronoun:
        return finder.resolve_pronoun(lo + opening.start(1), lo + opening.end(1))
    return None


def attribute_to_subject(finder: SpeakerFinder, text: str, lo: int, open_at: int) -> tuple[Speaker, Cue] | None:
    """A quoted phrase inside the author's own sentence belongs to the sentence's subject when a
    verb of saying, urging, naming or judging links them; scare quotes have no such verb and stay
    out. ``what it called "…"`` names its owner directly."""
    lead = text[lo:open_at]
    what = _WHAT_CALLED.search(lead) if ("what " in lead or "words of" in lead) else None
    if what:
        verb, who_group = ("verb", "who") if what.group("verb") else ("verb2", "who2")
        cue = Cue(what.group(verb), lo + what.start(verb), lo + what.end(verb))
        who = what.group(who_group)
        if who.lower() in ("he", "she", "it", "they"):
            at = lo + what.start(who_group)
            speaker = finder.resolve_pronoun(at, at + len(who)) if who.lower() in ("he", "she") else \
                finder.subject_of(lo, cue) or _pronoun_subject(finder, text, lo, cue.start, who.lower())
        elif who.split()[0].lower() in ("one", "a", "an", "the", "another", "some"):
            at = lo + what.start(who_group)
            speaker = finder.role_phrase(who, at, at + len(who))
        else:
            end = lo + what.end(who_group)
            speaker = finder.left_of(lo, Cue(cue.text, end + 1, end + 1 + len(cue.text)))
        if speaker is not None:
            return speaker, cue
    voiced = _VOICED_CLAIM.search(text, lo, open_at)
    if voiced and _words(voiced.group("tail")) <= 30:
        # ``the agency had issued guidance that … “…”``: the subject who voiced the claim owns its words
        cue = Cue(voiced.group("verb"), voiced.start("verb"), voiced.end("verb"))
        speaker = finder.left_of(lo, cue)
        if speaker is not None and (speaker.role == "document" or _speaking_subject(finder, speaker)):
            return speaker, cue
    agent = _PASSIVE_AGENT.search(lead)
    if agent:  # ``he was told by police to “stop …”``: the agent of the verb of saying owns the words
        start = lo + agent.start("agent")
        ent = finder.by_start.get(start)
        if ent is not None and ent.label in ("PERSON", "ORG", "GPE", "NORP"):
            return finder.entity_speaker(ent, lo), Cue(agent.group("verb"), lo + agent.start("verb"),
                                                       lo + agent.end("verb"))
        phrase = agent.group("agent")
        if phrase.split()[-1].lower() in ROLE_NOUNS | PLURAL_SOURCES | ORGANISATION_NOUNS:
            end = start + len(phrase)
            return finder.role_phrase(phrase, start, end), Cue(agent.group("verb"), lo + agent.start("verb"),
                                                               lo + agent.end("verb"))
    verbs = [m for m in _OWNING_VERBS.finditer(lead) if not _NOUN_BEFORE.search(lead, 0, m.start())]
    if verbs and len(lead.split()) <= 25:
        cue = Cue(verbs[0].group(0), lo + verbs[0].start(), lo + verbs[0].end())
        speaker = finder.subject_of(lo, cue)
        if speaker is not None:
            return speaker, cue
        for owning in reversed(verbs):
            # ``In a long statement on … budget, the council vowed to …``: a past tense is a verb; its subject is next to it
            cue = Cue(owning.group(0), lo + owning.start(), lo + owning.end())
            if owning.group(0).lower().endswith("ed") and text[cue.start - 1] != "-":
                speaker = _speaking_subject(finder, finder.left_of(lo, cue))
                if speaker is not None:
                    return speaker, cue
            auxiliary = _PROGRESSIVE.search(text, lo, cue.start) if owning.group(0).lower().endswith("ing") else None
            if auxiliary is not None:  # ``Ana Ruiz is demanding the release of the files “…”``: the subject's words
                speaker = _speaking_subject(finder, finder.left_of(lo, Cue(owning.group(0), auxiliary.start(),
                                                                                cue.end)))
                if speaker is not None:
                    return speaker, cue
    used = _USED_PHRASE.search(lead)
    if used:  # ``Ana Ruiz has used the phrase “…” often``: the words are hers
        cue = Cue(used.group("verb"), lo + used.start("verb"), lo + used.end("verb"))
        speaker = _speaking_subject(finder, finder.left_of(lo, cue))
        if speaker is not None:
            return speaker, cue
    judged = _attribute_judgement(finder, text, lo, open_at)
    if judged is not None:
        return judged
    written = _IN_DOCUMENT.match(lead)
    if written and written.group("head").lower() in DOCUMENT_NOUNS:
        start, end = lo + written.start("np"), lo + written.end("np")
        return (Speaker(_lower_first(written.group("np")), "document", start, end),
                Cue(written.group("prep"), lo + written.start("prep"), lo + written.end("prep")))
    return None


#: the auxiliary of a progressive right before an owning verb (``is demanding``, ``has been urging``)
_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|(?:has|have|had)\s+been)\s+(?:[a-z]+ly\s+)?$")
#: ``has used the phrase “…”``: the subject's own words
_USED_PHRASE = re.compile(r"\b(?P<verb>use[sd]?|using)\s+the\s+(?:phrase|term|word|words|slogan|expression)\s*$")
#: ``Ana Ruiz openly admires the plan as a “bold step”`` / ``the panel rated the claim as “false”``: words between a
#: verb and ``as`` before the quoted words, which are the subject's judgement of the object
_OBJECT_AS = re.compile(r"\s+as\s+(?:(?:a|an|the|its|his|her|their|former|mere|simply)\s+){0,2}$")
#: a word that may be the judging verb (``admires``, ``rated``, ``pounding``, ``cast``)
_VERB_SHAPE = re.compile(r"\b(?:[a-z]{3,}(?:s|ed|ing)|cast|casts|saw|sees|see)\b")
#: words of that shape that are no verb of judging (``was seen as``, ``is known as``, ``serves as``)
_NOT_JUDGING = frozenset(
    "was has does is this its his thus less unless across towards perhaps always sometimes news known served "
    "serves serving acted acts acting worked works working used uses using regarded regards seen being".split())
#: auxiliaries between a subject and its verb (``has been pounding``)
_AUXILIARIES = re.compile(r"\b(?:has|have|had|is|are|was|were)(?:\s+been)?$")


def _attribute_judgement(finder: SpeakerFinder, text: str, lo: int, open_at: int) -> tuple[Speaker, Cue] | None:
    """``X admires Y as a “…”``, ``X has been pounding Y as a “…”``: the subject that casts the object as the
    quoted words owns them. A passive (``Y was seen as a “…”``) has no speaking subject and keeps none; the
    verb nearest ``as`` with a subject right before it is the one (``claims`` in ``rated … claims as`` has none)."""
    tail = _OBJECT_AS.search(text, lo, open_at)
    if tail is None:
        return None
    stretch_lo = max(lo, text.rfind(",", lo, tail.start()) + 1, text.rfind(";", lo, tail.start()) + 1)
    verbs = [m for m in _VERB_SHAPE.finditer(text, max(lo, tail.start() - 80), tail.start())
             if m.start() >= stretch_lo or not text[m.end() : tail.start()].strip(" ,")]
    for verb in reversed(verbs[:-1] if verbs and verbs[-1].end() == tail.start() else verbs):
        between = text[verb.end() : tail.start()]
        if verb.group(0) in _NOT_JUDGING or between.split()[0].lower() in ("well", "much", "long", "soon", "far"):
            continue
        if re.search(r"\b(?:who|whom|which|that)\b", between):
            break  # ``borrowing the words of those who treat it as a “…”``: the clause between has its own verb
        cue = Cue(verb.group(0), verb.start(), verb.end())
        speaker = _speaking_subject(finder, finder.left_of(lo, cue))
        aux = _AUXILIARIES.search(text, lo, finder.skip_back_adverbs(lo, cue.start))
        if speaker is None and aux is not None:
            speaker = _speaking_subject(finder, finder.left_of(lo, Cue(cue.text, aux.start(), cue.end)))
        if speaker is not None and not re.search(r"\b[a-z]{3,}ed\b", text[speaker.start : speaker.end]):
            return speaker, cue  # (a mention with a past tense in it runs over the verb: ``the board rated most``)
    return None
