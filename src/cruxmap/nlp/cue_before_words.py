"""A quotation's speaker named before its words: ``X said: “…”`` / ``according to X, “…”`` / ``X said that it was
“…”`` / ``leading X to explain, “…”`` / ``X then blurts out, “…”``, with the subjects of participles, relative clauses
and absolute phrases that a verb of saying reaches.
"""

from __future__ import annotations

import re

from ..model import Entity
from .owners import owned_speech
from .quote_marks import QuotedPiece, word_count
from .reported_clauses import (
    CLAUSE_START,
    MAIN_CLAUSE,
    NAMING_CUES,
    SUBORDINATE_OPENING,
    outer_report,
    reporter_of_pronoun,
    speaker_may_follow,
)
from .speaker_mentions import Cue, Speaker, find_cues
from .speaker_words import (
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    ROLE_NOUNS,
    TRAILING_ONLY_CUES,
)
from .speakers import SpeakerFinder

#: a clause of a subject and one verb with no object (an adverb, a particle), then a comma and the words
_SUBJECT_VERB_COMMA = re.compile(r"\s*(?:(?:But|And|Then|So|Yet)\s+)?(?P<who>(?:[A-Z][\w’'.\-]*\s+){0,3}?[A-Z][\w’'\-]*|"
                                 r"he|she|they|we|I)\s+(?:(?:then|also|just|simply|again|finally|[a-z]{3,}ly)\s+)?"
                                 r"(?P<verb>[a-z]{3,}(?:s|ed))(?:\s+(?:out|back|up|in|on))?\s*,\s*$")


def subject_verb_comma(finder: SpeakerFinder, text: str, lo: int, piece: QuotedPiece) -> tuple[Speaker, Cue] | None:
    """``Ana Ruiz then blurts out, “The cranes were sold.”``: a sentence that is only a subject and a verb with no
    object of its own, then a comma and a quotation that opens with a capital, introduces the words as a colon
    would, whatever the verb; the subject is a pronoun or a person named there."""
    clause = _SUBJECT_VERB_COMMA.fullmatch(text, lo, piece.open_at)
    if clause is None or not text[piece.start : piece.start + 1].isupper() or clause.group("verb") in ("was", "is", "has"):
        return None
    named = finder.by_end.get(clause.end("who"))
    return clause_subject(finder, clause, named if named is not None and named.start >= clause.start("who") else None)


def clause_subject(finder: SpeakerFinder, clause: re.Match[str], named: Entity | None) -> tuple[Speaker, Cue] | None:
    """The speaker and cue of a clause matched as ``who`` + ``verb``: a subject pronoun resolved, else ``named``, the
    entity the caller found filling the subject, when it is a person."""
    verb = Cue(clause.group("verb"), clause.start("verb"), clause.end("verb"))
    who = clause.group("who")
    if who.lower() in ("he", "she", "they", "we") or who == "I":
        return finder.resolve_pronoun(clause.start("who"), clause.end("who")), verb
    if named is None or named.label != "PERSON":
        return None
    return finder.entity_speaker(named, clause.start("who")), verb


def attribute_before(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``X said: “…”`` / ``according to X, “…”`` / ``X said that it was “…”`` in ``text[lo:hi]``."""
    led = _LED_TO_SAY.search(text, lo, hi)
    if led:  # ``…, leading Ana Ruiz to explain, “…”``: the object of the causing verb is the one who speaks
        speaker = finder.right_of(Cue(led.group("cause"), led.start("cause"), led.end("cause")), led.end("object"))
        if speaker is not None:
            return speaker, Cue(led.group("verb"), led.start("verb"), led.end("verb"))
    cues = find_cues(text, lo, hi)
    lead = text[lo:hi].rstrip()
    owned = owned_speech(text, lo, hi)
    for cue in reversed([c for c in cues if c.text.lower() not in TRAILING_ONLY_CUES]):
        if owned is not None and owned.start() >= cue.end:
            return None  # ``X said … to back up Y’s assertion that … “…”``: the nearer owner of the words is Y
        after = text[cue.end : hi]
        if re.match(r"\s+to\b", after):
            continue  # ``agreed to offer``: not speech
        if (SUBORDINATE_OPENING.match(text, lo, cue.start) and MAIN_CLAUSE.search(text, cue.end, hi)
                and not lead.endswith(":")):
            continue  # ``When Ana says that …, she is echoing … “…”``: the main clause's phrase is the author's
        distance = word_count(after)
        reported = re.match(r"[”\"’]?\s+(?:\S+\s+){0,20}?that\b", after) or (
            cue.text.lower() in ("said", "says", "say") and CLAUSE_START.match(after.lstrip())
        ) or (cue.text.lower() in ("told", "tells") and _TOLD_CLAUSE.match(after))
        opening_as = (_OPENING_AS.match(text, lo, cue.start) and "," in after or _ENCLOSED_CUE.match(after)
                      and re.search(r",\s*\S+(?:\s+\S+){0,2}\s*$", text[lo : cue.start])) and distance <= 40
        # (``And maybe, she said, it would help … those who, “…”``: a cue set off by commas reports the sentence)
        opening_according = (cue.text.lower() == "according to" and _OPENING_CONJUNCTION.fullmatch(text, lo, cue.start)
                             and "," in after and distance <= 40)  # ``According to a complaint filed by …, the …``
        if (distance > 12 and not lead.endswith(":") and not (reported and distance <= 30) and not opening_as
                and not opening_according):
            continue
        participle = cue.text.endswith("ing")
        if participle and re.search(
            r"\b(?:its|his|her|their|our|the|a|an|this|that|any|no)\s+$", text[lo : cue.start], re.IGNORECASE
        ):
            continue  # ``its warning``: a noun, not a participle
        speaker = None
        progressive = _PROGRESSIVE.search(text, lo, cue.start) if participle else None
        if progressive:  # ``He’s claiming that …“…”`` / ``her doctor is calling him “…”``: a finite verb
            aux = progressive.start("aux" if progressive.group("aux") else "aux2")
            speaker = _speaking(finder, text, finder.left_of(lo, Cue(cue.text, aux, cue.end)))
            if speaker is not None:
                speaker = reporter_of_pronoun(finder, text, lo, speaker)
                return outer_report(finder, text, lo, hi, speaker, cue) or (speaker, cue)
        heard = _HEARD.search(text, lo, cue.start) if cue.text.lower() == "saying" else None
        if heard:  # ``Ana Ruiz can be heard on a recording saying, “…”``: the subject of the passive says it
            speaker = _speaking(finder, text, finder.left_of(lo, Cue(heard.group("verb"), heard.start(), cue.end)))
            if speaker is not None:
                return reporter_of_pronoun(finder, text, lo, speaker), cue
        quoting = _QUOTING_AS.search(text, lo, cue.start) if cue.text.lower() == "saying" else None
        if quoting:  # ``television reported an official as saying``: the object between verb and ``as``
            verb = Cue(quoting.group("verb"), quoting.start("verb"), quoting.end("verb"))
            speaker = finder.right_of(verb, quoting.end("object"))
            if speaker is not None:
                return speaker, cue
            continue
        if not participle and re.search(r",[”\"]?$", text[lo : cue.start].rstrip()) and speaker_may_follow(cue):
            stop = re.search(r"[,:]", after)  # ``…, says USIP’s Angela Stent: “…”``
            bound = cue.end + stop.start() if stop else hi
            speaker = finder.right_of(cue, bound)
            if speaker is not None and text[speaker.end : bound].strip():
                speaker = None
        if speaker is None and not participle:
            speaker = finder.left_of(lo, cue)
        if cue.text.lower() in NAMING_CUES:
            if speaker is not None and _naming_speaker_ok(finder, text, cue, speaker):
                return outer_report(finder, text, lo, hi, speaker, cue) or (speaker, cue)
            continue
        if participle:  # ``footage of Ana Ruiz saying “…”``: a name right before the participle says it
            named = finder.by_end.get(lo + len(text[lo : cue.start].rstrip()))
            if (named is not None and (named.label == "PERSON" or named.canonical in finder.people)
                    and named.start >= lo and named.end < cue.start
                    and not _ADDRESSED_OBJECT.search(text, lo, named.start)):
                speaker = finder.entity_speaker(named, lo)
        absolute = _WITH_ABSOLUTE.search(text, lo, cue.start) if participle else None
        if speaker is None and absolute:  # ``…, with Ana Ruiz even mocking the owners, saying, “…”``
            speaker = finder.right_of(Cue("with", absolute.start(), absolute.start() + 4), absolute.end("who"))
            if speaker is not None:
                return speaker, cue
        relative = None if participle else (_RELATIVE_AND.search(text, lo, finder.skip_back_adverbs(lo, cue.start))
                                            or _RELATIVE_ASIDE.search(text, lo, cue.start))
        if speaker is None and relative:  # ``…; and Ana Ruiz, who is represented by X and claims that``
            speaker = finder.antecedent(lo, relative.start("who"), "who")
        reported = _REPORTED_SUBJECT.search(text, lo, cue.start) if speaker is None and participle else None
        if reported:  # ``Ana Ruiz said Ivo Kern warned the mayor, saying, “…”``: the participle is the inner clause's
            named = finder.by_start.get(reported.start("who"))
            found = clause_subject(finder, reported, named if named is not None and named.end <= reported.end("who")
                                   else None)
            if found is not None:
                return found[0], cue
        if speaker is None and (participle or re.search(  # (``… and repeatedly says``: past the adverb)
                r"\b(?:and|but)\s*$", text[lo : finder.skip_back_adverbs(lo, cue.start)])):
            speaker = finder.subject_of(lo, cue, unnamed=participle)
        if speaker is None and speaker_may_follow(cue):
            stop = re.search(r"[,:]", after)
            speaker = finder.right_of(cue, cue.end + stop.start() if stop else hi)
            if speaker is not None and not stop and text[speaker.end : hi].strip():
                speaker = None  # ``said Clinton was “justified”``: Clinton is not the speaker
        if speaker is not None:
            speaker = reporter_of_pronoun(finder, text, lo, speaker)
            return outer_report(finder, text, lo, hi, speaker, cue) or (speaker, cue)
    return None



#: a reporting verb whose clause has its own subject and verb, then a comma before a participle of saying: the
#: participle hangs on the nearer, reported clause (``Ana Ruiz said Ivo Kern warned the mayor, saying``)
_REPORTED_SUBJECT = re.compile(r"\b(?:said|says|added|adds|recalled|recalls|wrote|writes|claimed|claims)\s+"
                               r"(?:that\s+)?(?P<who>(?:[A-Z][\w’'.\-]*\s+){0,3}?[A-Z][\w’'\-]*|he|she|they)\s+"
                               r"(?P<verb>[a-z]{3,}(?:ed|s))\b[^;:“”\"]{0,80},\s*$")


#: a finite verb with the name after it as its object, a title or modifier between (``scolded his rival``): a
#: participle after the object hangs on the verb's subject; a verb of showing or hearing makes its object the one
#: who says (``footage showed Ana Ruiz saying``)
_ADDRESSED_OBJECT = re.compile(r"\b(?!(?:showed|heard|saw|caught|filmed|recorded|quoted|pictured|featured|captured|"
                               r"cited|depicted|portrayed)\b)[a-z]{3,}ed\s+(?:(?:his|her|their|its|the|a|an)\s+)?"
                               r"(?:[\w-]+\s+){0,2}$")


#: an absolute phrase ``with X doing …`` right before a participle of saying: X is the one saying it (``with Ana
#: Ruiz even mocking the owners, saying``, ``with a heckler being jeered for saying``)
_WITH_ABSOLUTE = re.compile(r"\bwith\s+(?P<who>[^,;:“”\"]{2,50}?)\s+(?:(?:even|also|then|later|[a-z]+ly)\s+)?"
                            r"(?:being\s+[a-z]+ed\s+for\s+|[a-z]+ing\b[^;:“”\"]{0,120},\s*)$")


#: a relative clause on a name still open at ``and`` before the cue: the cue's subject is the relative's (``Ana
#: Ruiz, who is represented by X and claims``)
_RELATIVE_AND = re.compile(r",\s+(?P<who>who)\s+[^,;:“”\"()—–]{1,80}?\s(?:and|but)\s*$")


#: a relative pronoun whose verb comes after an aside set off by commas (``Ana Ruiz who, close to tears, says``)
_RELATIVE_ASIDE = re.compile(r"\b(?P<who>who),\s+[^,;:“”\"()—–]{1,60},\s*$")


#: a verb that makes its object speak, the object, and the infinitive of saying that introduces the words (``leading
#: Ana Ruiz to explain, “…”``, ``prompting the minister to reply:``)
_LED_TO_SAY = re.compile(r"\b(?P<cause>led|leading|leads|prompted|prompting|prompts|caused|causing|forced|forcing|"
                         r"invited|inviting)\s+(?P<object>[^,;:“”\"]{2,60}?)\s+to\s+(?P<verb>say|explain|ask|add|reply|"
                         r"answer|respond|insist|argue|declare|write|tweet|warn|quip|retort|concede|admit|announce)"
                         r"(?:\s*[,:]|\s+that\b[^.;:“”\"]{0,80})\s*$")  # (``leading X to announce that the … “…”``)


#: ``As Ana Ruiz put it in a letter to the board, the port is “…”``: the clause the sentence opens with names
#: the owner of the main clause's quoted words, however long it runs
_OPENING_AS = re.compile(r"\s*(?:(?:but|yet|and|so|still)\s*,?\s+)?as\s+[^,;:“”\"]{1,60}$", re.IGNORECASE)
#: a listener (a name too: ``told the Harbour Gazette``), then a reported clause without ``that``, which may open with
#: a clause of time or condition (``told reporters a vote would be held``, ``told Dock Radio when they left, it …``)
_TOLD_CLAUSE = re.compile(r"\s+(?:reporters|journalists|him|her|them|us|me|(?:the|a)\s+[a-z]+|(?:the\s+)?"
                          r"(?:[A-Z][\w.’'-]*\s+){0,2}[A-Z][\w.’'-]*)\s+(?:(?:when|after|before|once|if)\s+)?"
                          + CLAUSE_START.pattern)
#: nothing, or only a conjunction, before a cue that opens its sentence
_OPENING_CONJUNCTION = re.compile(r"\s*(?:(?:but|yet|and|so)\s*,?\s*)?", re.IGNORECASE)
#: a comma right after a cue that a comma also precedes: the cue is set off inside the sentence it reports
_ENCLOSED_CUE = re.compile(r"\s*,")
#: an auxiliary right before a participle cue makes it a finite verb whose subject stands before the auxiliary
_PROGRESSIVE = re.compile(r"(?:\s(?P<aux>is|are|was|were|has\s+been|have\s+been)|(?P<aux2>[’']s|[’']re))\s+$")


def _speaking(finder: SpeakerFinder, text: str, speaker: Speaker | None) -> Speaker | None:
    """``speaker`` unless it is ``it`` / ``that`` or a bare noun phrase the finder read over a verb."""
    if speaker is None or text[speaker.start : speaker.end].lower() in ("it", "this", "that"):
        return None
    return speaker


#: a passive verb of perceiving before ``saying`` (``can be heard on a recording saying``, ``was caught on camera saying``)
_HEARD = re.compile(r"\s(?:(?:can|could|may|might|will)\s+)?(?:be|is|was|were|are)\s+(?P<verb>heard|seen|caught|recorded|filmed|shown)"
                    r"(?:\s+(?:on|in)\s+[^,;:“”\"]{1,30}?)?\s+$")
#: ``quoted an official as saying`` / ``reported the minister as saying``: the object is the speaker
_QUOTING_AS = re.compile(r"\b(?P<verb>quoted|quotes|cited|cites|reported|reports|paraphrased)\s+"
                         r"(?P<object>[^,;:“”\"]{2,80}?)\s+as\s+$")


def _naming_speaker_ok(finder: SpeakerFinder, text: str, cue: Cue, speaker: Speaker) -> bool:
    """``he called it “…”`` / ``Trump described …`` yes; ``so-called``, ``a box labeled``, ``what it calls`` no."""
    if text[cue.start - 1 : cue.start] == "-":
        return False
    ent = finder.by_start.get(speaker.start)
    if (ent is not None and ent.label == "PERSON") or text[speaker.start : speaker.end].lower() in ("he", "she"):
        return True
    if cue.text.lower().startswith(("label", "dub")):
        return False  # ``a box labeled “…”``: only a person labels in speech
    # ``the ministry described the move as “…”`` / ``an official called it “…”``: an organisation or a role speaks too
    head = (speaker.role or speaker.name or "").split()[-1:] or [""]
    return (ent is not None and ent.label in ("ORG", "GPE", "NORP")) or head[0].lower() in (
        ROLE_NOUNS | PLURAL_SOURCES | ORGANISATION_NOUNS)
