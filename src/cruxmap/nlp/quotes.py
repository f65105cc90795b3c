"""Direct quotations with their speakers, and the indirect speech around them.

Quoted pieces come from :mod:`.quote_marks`. Each is attributed from its sentence: ``“…,” he said`` /
``said X`` / ``X said: “…”`` / ``according to X`` / a colon at the end of the previous sentence; a
quotation with no cue continues the speaker of the quotation just before it. Short unattributed
phrases (scare quotes) and titles of works are dropped. Indirect speech (:mod:`.indirect_quotes`) is
marked ``direct=False``; a quoted phrase inside it is its speaker's own words.
"""

from __future__ import annotations

import re

from ..model import Document, Quote
from .indirect_quotes import indirect_speech
from .owners import (
    CARRIED,
    CROWD_CUE,
    attribute_crowd,
    attribute_dashed,
    attribute_possessed_quotation,
    attribute_to_subject,
    attribute_without_cue,
    attribute_written,
    is_speech_noun,
    names_owner,
    owned_speech,
)
from .quote_marks import QuotedPiece, SentenceIndex, find_quoted_pieces, is_title, word_count
from .reported_clauses import (
    CLAUSE_START,
    MAIN_CLAUSE,
    NAMING_CUES,
    SUBORDINATE_OPENING,
    outer_report,
    reporter_of_pronoun,
    speaker_may_follow,
)
from .speaker_mentions import Cue, Speaker, canonical_group, find_cues, speaker_type
from .speaker_words import (
    CUE_WORDS,
    INDIRECT_CUES,
    LEADING_PARTICIPLES,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    ROLE_NOUNS,
    TRAILING_ONLY_CUES,
)
from .speakers import SpeakerFinder
from .transcripts import inside, transcript_turns

__all__ = ["extract_quotes", "find_quoted_pieces"]

SCARE_QUOTE_MAX_WORDS = 4
#: an unattributed quotation shorter than this is not kept
UNATTRIBUTED_MIN_WORDS = 8


# --------------------------------------------------------------------------- attribution


def _attribute_after(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``“…,” he said`` / ``“…,” said X`` in ``text[lo:hi]`` (the text after the closing mark)."""
    trailer = text[lo:hi]
    stripped = trailer.lstrip(" ,.!?;—–-\u2009")
    offset = lo + len(trailer) - len(stripped)
    cues = find_cues(text, offset, hi)
    named = finder.by_start.get(offset)
    appositive = named is not None and named.label == "PERSON" and text[named.end : named.end + 1] == ","
    for cue in [c for c in cues if c.text.lower() not in LEADING_PARTICIPLES][:2]:
        if not text[cue.end : hi].strip() and text[hi : hi + 1] in "“\"«„'" and not _names_listener(text, cue, hi):
            break  # ``“…,” a doctor had typed “…”``: with no comma, the verb introduces the next quotation only
        between = text[offset : cue.start]
        quoting = _QUOTED_AS_AFTER.match(text, cue.end, hi) if cue.text.lower() in _QUOTING_VERBS else None
        if quoting:  # ``“…,” the Gazette quoted Ana Ruiz as saying``: the words are the object's, not the paper's
            speaker = finder.right_of(cue, quoting.end("object"))
            if speaker is not None:
                return speaker, cue
        if cue.text.lower() in NAMING_CUES and between.strip():
            continue  # ``“…” to him, in what analysts described as …``: the naming verb names what follows it
        if appositive and word_count(between) <= 35 and cue.text.lower() not in NAMING_CUES:
            speaker = finder.left_of(offset, cue)  # ``“…,” Ana Ruiz, the long-serving head of …, said``
            if speaker is not None and speaker.start == offset:
                return speaker, cue
        if (0 < word_count(between) <= 9 and re.search(r",\s*$", between) and speaker_may_follow(cue)
                and not finder.left_of(offset, cue)):
            # ``“…” if the depot closed, said a council aide``: the quotation's own clause runs on, then the cue
            speaker = finder.right_of(cue, hi)
            if speaker is not None:
                return speaker, cue
        if word_count(between) > 9 or re.search(
            r"\b(?:but|and|while|though|although|because|that|who|which)\b", between, re.IGNORECASE
        ):
            break
        # (``according to`` names its source after it: ``… gave to Ivo Kern, according to a hearing`` is not Kern's)
        speaker = finder.left_of(offset, cue) if cue.start > offset and cue.text.lower() != "according to" else None
        if speaker is None and word_count(text[offset : cue.start]) == 0 and (
                speaker_may_follow(cue) or cue.text.lower() in ("asked", "asks", "read", "reads")):
            speaker = finder.right_of(cue, hi)  # right after the quotation ``asked X`` is X asking
        if speaker is not None:
            return speaker, cue
    for cue in reversed(cues):  # ``“…” to do this, she said.``: a cue closing the sentence after a comma
        if text[cue.start - 2 : cue.start] != ", " and not re.search(
            r",\s+\S+(?:\s+\S+)?\s+$", text[lo : cue.start]
        ):
            continue
        if (word_count(text[cue.end : hi]) > 6 and not re.match(r",\s+[a-z]+ing\b", text[cue.end : hi])
                or cue.text.lower() not in INDIRECT_CUES):  # (``…, she said, citing …``: a participle may follow)
            continue
        speaker = finder.left_of(lo, cue)
        if speaker is not None and re.fullmatch(r",\s+", text[speaker.start - 2 : speaker.start] or ""):
            return speaker, cue
    return _inverted_manner_verb(finder, text, lo, offset, hi) or _manner_verb_after(finder, text, lo, offset, hi)


#: a past tense right after the words, then the subject (``“…,” smirked Ana Ruiz.``)
_INVERTED = re.compile(r"(?P<verb>[a-z]{3,}ed)\s+(?=[A-Z])")


def _inverted_manner_verb(finder: SpeakerFinder, text: str, close_end: int, offset: int, hi: int
                          ) -> tuple[Speaker, Cue] | None:
    """``“…,” smirked Ana Ruiz.``: English puts a verb before its subject right after a quotation only when the
    verb reports the words, so any past tense there (``smirked``, ``scoffed``) is a cue when a person's name follows
    and ends the clause, and the words end in speech punctuation."""
    inverted = _INVERTED.match(text, offset, hi)
    if inverted is None or text[close_end - 1 : close_end] not in "”\"'" or offset - close_end > 3:
        return None
    if text[:close_end].rstrip("”\"’' ")[-1:] not in (",", "?", "!"):
        return None
    named = finder.by_start.get(inverted.end())
    if named is None or named.label != "PERSON" or not re.match(r"\s*(?:[.,;]|$)", text[named.end : hi]):
        return None
    return finder.entity_speaker(named, inverted.end()), Cue(inverted.group("verb"), inverted.start(), inverted.end("verb"))


#: a subject, then one verb in the present or past (and a particle), closing its clause right after the words
_SUBJECT_VERB = re.compile(r"(?P<who>he|she|they|we|I|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,2})\s+"
                           r"(?P<verb>[a-z]{3,}(?:s|ed))(?:\s+(?:out|back|up|in|on))?\s*(?=[.,;!?]|$)")


def _manner_verb_after(finder: SpeakerFinder, text: str, close_end: int, offset: int, hi: int
                       ) -> tuple[Speaker, Cue] | None:
    """``“…,” she chuckles.`` / ``“…?” Ana Ruiz offers.``: words that end in a comma, a question or an exclamation
    inside their marks leave their sentence open for its report, so a subject and one verb closing the clause right
    after them report the words, whatever the verb (``chuckles``, ``offers``, ``shrugged``)."""
    if offset - close_end > 3 or text[close_end - 1 : close_end] not in "”\"'":
        return None
    if text[:close_end].rstrip("”\"’' ")[-1:] not in (",", "?", "!"):
        return None
    clause = _SUBJECT_VERB.match(text, offset, hi)
    if clause is None or clause.group("verb") in ("was", "is", "has", "does", "needs"):
        return None
    verb = Cue(clause.group("verb"), clause.start("verb"), clause.end("verb"))
    who = clause.group("who")
    if who.lower() in ("he", "she", "they", "we") or who == "I":
        return finder.resolve_pronoun(clause.start("who"), clause.end("who")), verb
    named = finder.by_start.get(clause.start("who"))
    if named is None or named.label != "PERSON" or named.end != clause.end("who"):
        return None
    return finder.entity_speaker(named, clause.start("who")), verb


#: verbs whose object, followed by ``as saying``, is the one who said the words
_QUOTING_VERBS = frozenset({"quoted", "quotes", "cited", "cites", "reported", "reports"})
#: the object of a quoting verb and ``as saying`` after it (``quoted Ana Ruiz as saying``)
_QUOTED_AS_AFTER = re.compile(r"\s+(?P<object>[^,;:“”\"]{2,80}?)\s+as\s+(?:saying|telling|writing)\b")


#: a programme named in quote marks, in title case (``told “Harbour Nightly.”``)
_QUOTED_NAME = re.compile(r"[“\"]((?:[A-Z0-9][\w’'.&-]*|of|the|and|on|in|a)(?:\s+(?:[A-Z0-9][\w’'.&-]*|of|the|and|on|in|a)){0,5}"
                          r"[.,]?)[”\"]")


def _names_listener(text: str, cue: Cue, at: int) -> bool:
    """``“…,” Ana Ruiz told “Harbour Nightly.”``: after ``told`` a quoted name is the programme she spoke to, so
    the verb still reports the words before it."""
    return cue.text.lower() in ("told", "tells") and _QUOTED_NAME.match(text, at) is not None


def _attribute_dash(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``“…” ― Ana Ruiz`` at the end of a paragraph (reader comments, epigraphs), also as a credit line with the
    writer's outlet or role after a comma (``“…” — Ana Ruiz, Harbour Gazette``): the dash credits the words to the
    name it opens with."""
    trailer = text[lo:hi]
    dash = re.match(r"\s*[―—–]\s*([A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3})\.?"
                    r"(?P<outlet>,\s+[^,;:.!?“”\"\n]{2,60})?\s*$", trailer)
    if dash and (dash.group("outlet") is None or _CREDITED.match(text, lo + dash.start(1))):
        # “…” ― Ana Ruiz
        name_lo = lo + dash.start(1)
        ent = finder.by_start.get(name_lo)
        name = ent.canonical if ent is not None else dash.group(1).rstrip(".")
        mark = lo + trailer.index(dash.group(0).strip()[0])
        return Speaker(name, None, name_lo, name_lo + len(dash.group(1).rstrip("."))), Cue(
            text[mark], mark, mark + 1
        )
    return None


#: a clause of a subject and one verb with no object (an adverb, a particle), then a comma and the words
_SUBJECT_VERB_COMMA = re.compile(r"\s*(?:(?:But|And|Then|So|Yet)\s+)?(?P<who>(?:[A-Z][\w’'.\-]*\s+){0,3}?[A-Z][\w’'\-]*|"
                                 r"he|she|they|we|I)\s+(?:(?:then|also|just|simply|again|finally|[a-z]{3,}ly)\s+)?"
                                 r"(?P<verb>[a-z]{3,}(?:s|ed))(?:\s+(?:out|back|up|in|on))?\s*,\s*$")


def _subject_verb_comma(finder: SpeakerFinder, text: str, lo: int, piece: QuotedPiece) -> tuple[Speaker, Cue] | None:
    """``Ana Ruiz then blurts out, “The cranes were sold.”``: a sentence that is only a subject and a verb with no
    object of its own, then a comma and a quotation that opens with a capital, introduces the words as a colon
    would, whatever the verb; the subject is a pronoun or a person named there."""
    clause = _SUBJECT_VERB_COMMA.fullmatch(text, lo, piece.open_at)
    if clause is None or not text[piece.start : piece.start + 1].isupper() or clause.group("verb") in ("was", "is", "has"):
        return None
    verb = Cue(clause.group("verb"), clause.start("verb"), clause.end("verb"))
    who = clause.group("who")
    if who.lower() in ("he", "she", "they", "we") or who == "I":
        return finder.resolve_pronoun(clause.start("who"), clause.end("who")), verb
    named = finder.by_end.get(clause.end("who"))
    if named is None or named.label != "PERSON" or named.start < clause.start("who"):
        return None
    return finder.entity_speaker(named, clause.start("who")), verb


#: a credit line's name: a person's (a capitalised first and last name), not a sentence that opens with a dash
_CREDITED = re.compile(r"[A-Z][a-z’'.\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w’'\-]+){1,2},")


def _attribute_before(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
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
                    and named.start >= lo and named.end < cue.start):
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
                         r"answer|respond|insist|argue|declare|write|tweet|warn|quip|retort|concede|admit)\s*[,:]\s*$")


#: what stands between a verb of saying and the words it introduces (``says, “…”``, ``added the words, “…”``;
#: ``said “The Interview” was …`` without the comma names a film)
_INTRODUCING = re.compile(r"\s*(?:the\s+words?)?\s*[,:]\s*")


def _introduced(text: str, piece: QuotedPiece) -> bool:
    """The quotation follows its verb of saying directly (``repeatedly says, “Don’t Go”``): speech, even in
    title case, not the name of a work."""
    cue = piece.cue
    return (cue is not None and cue.text.lower() in CUE_WORDS and cue.text.lower() not in NAMING_CUES
            and cue.end <= piece.open_at and _INTRODUCING.fullmatch(text, cue.end, piece.open_at) is not None)


#: the text before a quotation that opens its sentence: nothing, or a sentence's end, a colon or a paragraph break
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:]\s|[.!?][”\"’]\s|\n)\s*$")


def _reported_after(text: str, piece: QuotedPiece) -> bool:
    """The quotation opens its sentence, ends in speech punctuation and its verb of saying follows (``“It’s
    Tuesday,” she says``): speech, even in title case. A title sits inside the author's sentence (``the anthem
    “…,” she added``, ``in his book, “…,” he wrote``) or is followed by the author's words (``“…,” which aired``)."""
    cue = piece.cue
    inside = text[piece.start : piece.close_end].rstrip("”\"’'» ")
    return (cue is not None and cue.start >= piece.close_end and inside[-1:] in ",?!"
            and word_count(text[piece.close_end : cue.start]) <= 4
            and _OPENS_SENTENCE.search(text, max(0, piece.open_at - 4), piece.open_at) is not None)


def _ends_within(text: str, piece: QuotedPiece, end: int) -> bool:
    """The quoted piece closes inside reported content ending at ``end``, or ends that content
    (``… favour local control over “remote management.”``: only the sentence's closing marks lie past ``end``)."""
    return piece.close_end <= end + 1 or (piece.open_at < end and not text[end : piece.close_end].strip('.!?"”’ '))


def _in_aside(text: str, lo: int, hi: int) -> bool:
    """A parenthesis opened in ``text[lo:hi]`` is still open at ``hi``: what follows is the author's aside."""
    return text.count("(", lo, hi) > text.count(")", lo, hi)


#: ``As Ana Ruiz put it in a letter to the board, the port is “…”``: the clause the sentence opens with names
#: the owner of the main clause's quoted words, however long it runs
_OPENING_AS = re.compile(r"\s*(?:(?:but|yet|and|so|still)\s*,?\s+)?as\s+[^,;:“”\"]{1,60}$", re.IGNORECASE)
#: a listener, then a reported clause without ``that`` (``told reporters a vote would be held``)
_TOLD_CLAUSE = re.compile(r"\s+(?:reporters|journalists|him|her|them|us|me|(?:the|a)\s+[a-z]+)\s+" + CLAUSE_START.pattern)
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



#: ``so-called`` right before a quotation: the words are a term held at a distance, not anyone's speech
_SO_CALLED = re.compile(r"\bso[- ]called\s*$", re.IGNORECASE)


def _attribute_pieces(doc: Document, pieces: list[QuotedPiece], finder: SpeakerFinder) -> None:
    text = doc.source.text
    ctx = SentenceIndex(doc)
    previous: QuotedPiece | None = None
    for n, piece in enumerate(pieces):
        if _SO_CALLED.search(text, max(0, piece.open_at - 16), piece.open_at):
            previous = piece
            continue  # ``the so-called “nuclear gap”``: a term the writer holds at a distance, nobody's words
        s_lo, _ = ctx.sentence(piece.open_at)
        _, e_hi = ctx.sentence(max(piece.start, piece.close_end - 1))
        if e_hi <= piece.close_end and text[piece.start : piece.end].rstrip()[-1:] in "?!,":
            # “Is it over?” Ana asked. — the splitter ends the sentence at the mark; the cue follows
            following = piece.close_end + len(text[piece.close_end :]) - len(text[piece.close_end :].lstrip())
            _, e_hi = ctx.sentence(min(following, len(text) - 1))
        next_open = pieces[n + 1].open_at if n + 1 < len(pieces) else len(text)
        prev_close = next((p.close_end for p in reversed(pieces[:n]) if word_count(text[p.start : p.end]) > 4), 0)
        para_end = text.find("\n", piece.close_end)
        para_end = len(text) if para_end < 0 else para_end
        after_hi = min(max(e_hi, piece.close_end), next_open, para_end)
        # a crowd's verb right before the quotation outranks a cue after it (``…, addressing a crowd
        # chanting “…,” said …``: the cue after it reports the addresser's next words)
        lead_lo = max(s_lo, prev_close)
        aside = text.rfind("(", lead_lo, piece.open_at)
        if aside >= 0 and _in_aside(text, aside, piece.open_at):
            lead_lo = aside + 1  # ``he insists the march (which featured “…” chants)``: only the aside's own words
        found = attribute_crowd(finder, text, lead_lo, piece.open_at) or attribute_dashed(
            finder, text, lead_lo, piece.open_at, piece.close_end)
        if found is None and names_owner(text, lead_lo, piece.open_at):
            found = attribute_to_subject(finder, text, lead_lo, piece.open_at)
        if found is None and piece.closed:
            found = _attribute_after(finder, text, piece.close_end, after_hi)
        if found is None and piece.closed:
            found = _attribute_dash(finder, text, piece.close_end, para_end)
        if found is None:
            found = _attribute_before(finder, text, lead_lo, piece.open_at)
        if found is None:
            found = _subject_verb_comma(finder, text, lead_lo, piece)
        if found is None and not text[s_lo : piece.open_at].strip():
            found = _colon_in_previous_sentence(finder, ctx, text, s_lo, prev_close) or _said_in_previous_sentence(
                finder, ctx, text, s_lo, prev_close) or _reporter_of_previous_sentence(finder, ctx, text, s_lo, prev_close)
        if found is None and piece.closed:
            found = _opening_adjunct(finder, text, s_lo, piece)
        if found is None:
            found = attribute_without_cue(finder, text, lead_lo, piece.open_at)
        if found is None and piece.closed:
            found = attribute_possessed_quotation(finder, text, lead_lo, piece.open_at, piece.close_end)
        if found is None:
            found = attribute_written(finder, text, lead_lo, piece.open_at)
        if found is None:
            found = attribute_to_subject(finder, text, lead_lo, piece.open_at)
        if found:
            piece.speaker, piece.cue = found
        elif (
            previous is not None and previous.speaker is not None and _continues(
                text, previous, piece, s_lo, ctx.sentences[max(0, ctx.sentence_index(s_lo) - 1)][0])
        ):
            piece.speaker, piece.extra["continued"] = previous.speaker, True
        previous = piece
    _share_joined(text, pieces)
    # a chained piece (same quotation over several paragraphs) shares the speaker found for any part
    by_chain: dict[int, QuotedPiece] = {}
    for piece in pieces:
        if piece.speaker is not None:
            by_chain.setdefault(piece.chain, piece)
    for piece in pieces:
        if piece.speaker is None and piece.chain in by_chain:
            piece.speaker, piece.cue = by_chain[piece.chain].speaker, by_chain[piece.chain].cue


#: a sentence opening with an adjunct around a participle of saying (``After saying the bridge was “…,” she``)
_ADJUNCT_SAYING = re.compile(r"\s*(?:After|Before|While|Since|Upon|On|In)\s+(?P<cue>saying|telling|writing|arguing|"
                             r"claiming|insisting|noting|warning|calling|describing)\b[^.!?;:“”\"]*$")
#: the adjunct's closing comma after the quotation (or inside its marks), then the main clause's subject
_MAIN_SUBJECT_AFTER = {True: re.compile(r"[ \t]*(?=\S)"), False: re.compile(r"[ \t]*,[ \t]*(?=\S)")}


def _opening_adjunct(finder: SpeakerFinder, text: str, s_lo: int, piece: QuotedPiece) -> tuple[Speaker, Cue] | None:
    """``After saying her foot was “…,” she was taken …``: the participle's subject is the main clause's, named
    after the quotation that ends the adjunct."""
    adjunct = _ADJUNCT_SAYING.match(text, s_lo, piece.open_at)
    if adjunct is None:
        return None
    inside_comma = text[piece.start : piece.close_end].rstrip("”\"’ ").endswith(",")
    after = _MAIN_SUBJECT_AFTER[inside_comma].match(text, piece.close_end)
    if after is None:
        return None
    cue = Cue(adjunct.group("cue"), adjunct.start("cue"), adjunct.end("cue"))
    speaker = finder.right_of(Cue(",", after.end() - 1, after.end()), min(len(text), after.end() + 80))
    if speaker is None or not re.match(r"\s+[a-z]", text[speaker.end : speaker.end + 3]):
        return None  # the main clause goes on with its verb
    return speaker, cue


def _share_joined(text: str, pieces: list[QuotedPiece]) -> None:
    """``“…” and “…,” says X``: two quotations joined by ``and`` / ``or`` before one cue are both X's; so are two
    pieces of one sentence joined by a few of the author's words with no cue and no name (``“The port” will not be
    “sold off,” Ana Ruiz said``): the sentence has one report, after its last piece."""
    for piece, following in zip(reversed(pieces[:-1]), reversed(pieces[1:])):
        cue = following.cue
        between = text[piece.close_end : following.open_at]
        if (piece.speaker is None and piece.closed and following.speaker is not None and cue is not None
                and cue.start >= following.close_end
                and (re.fullmatch(r"\s*(?:and|or)\s*", between) or _AUTHOR_LINK.fullmatch(between)
                     and text[piece.start : piece.end].rstrip()[-1:] not in ".!?" and not find_cues(
                         text, piece.close_end, following.open_at))):
            piece.speaker, piece.cue = following.speaker, cue


#: a few lower-case words of the author's between two quoted pieces of one sentence (``“…” will not be “…”``)
_AUTHOR_LINK = re.compile(r"[ \t]+[a-z]+(?:[ \t]+[a-z]+){0,4}[ \t]+")


def _colon_in_previous_sentence(
    finder: SpeakerFinder, ctx: SentenceIndex, text: str, s_lo: int, prev_close: int
) -> tuple[Speaker, Cue] | None:
    index = ctx.sentence_index(s_lo)
    if index == 0:
        return None
    p_lo, p_hi = ctx.sentences[index - 1]
    if not text[p_lo:p_hi].rstrip().endswith(":"):
        return None
    lo = max(p_lo, prev_close)
    found = _attribute_before(finder, text, lo, p_hi)
    following = _FOLLOWING_WORDS.search(text, lo, p_hi)
    if found is None and following is not None:  # ``Ana Ruiz made the following comment:``
        verb = Cue(following.group("verb"), following.start("verb"), following.end("verb"))
        speaker = finder.left_of(lo, verb)
        found = (speaker, verb) if speaker is not None else None
    return found


#: a sentence that announces the words after its colon (``Ana Ruiz made the following comment:``)
_FOLLOWING_WORDS = re.compile(r"\s(?P<verb>made|issued|gave|offered|posted|released|sent)\s+(?:the\s+following|this|these)\s+"
                              r"(?:comments?|statements?|remarks?|response|reply|explanation|message)\s*:\s*$")
#: ``…, Ana Ruiz said.`` closing a sentence of reported speech
_SAID_LAST = re.compile(r",\s+(?P<who>[^,;:“”\"]{1,40}?)\s+(?P<cue>said|says|added|wrote|told\s+\w+)\.\s*$")


def _said_in_previous_sentence(
    finder: SpeakerFinder, ctx: SentenceIndex, text: str, s_lo: int, prev_close: int
) -> tuple[Speaker, Cue] | None:
    """``The board may wait, Ana Ruiz said. “The other reason is …”``: a quotation that opens the sentence after
    reported speech closed by its speaker continues that speaker."""
    index = ctx.sentence_index(s_lo)
    if index == 0:
        return None
    p_lo, p_hi = ctx.sentences[index - 1]
    if prev_close > p_lo or "\n\n" in text[p_hi:s_lo]:
        return None  # a quotation of its own in that sentence, or a new paragraph
    said = _SAID_LAST.search(text, p_lo, p_hi)
    if said is None:
        return None
    cue = Cue(said.group("cue").split()[0], said.start("cue"), said.start("cue") + len(said.group("cue").split()[0]))
    speaker = finder.left_of(said.start("who"), cue)
    return (speaker, cue) if speaker is not None and speaker.name else None


def _reporter_of_previous_sentence(
    finder: SpeakerFinder, ctx: SentenceIndex, text: str, s_lo: int, prev_close: int
) -> tuple[Speaker, Cue] | None:
    """``Ana Ruiz called him a master of the deal. “He showed again and again …”``: a quotation that opens its
    sentence right after a sentence without quotations whose subject, named, reports or names something, is that
    subject's."""
    index = ctx.sentence_index(s_lo)
    if index == 0:
        return None
    p_lo, p_hi = ctx.sentences[index - 1]
    if prev_close > p_lo or text.count("\n", p_hi, s_lo) > 2 or re.search(r"[“”\"]", text[p_lo:p_hi]):
        return None
    for cue in find_cues(text, p_lo, p_hi)[:1]:
        if cue.text.lower() in TRAILING_ONLY_CUES or word_count(text[p_lo : cue.start]) > 12:
            return None
        speaker = finder.left_of(p_lo, cue)
        if speaker is not None and speaker.name and finder.by_start.get(speaker.start) is not None:
            return speaker, cue
    return None


def _continues(text: str, previous: QuotedPiece, piece: QuotedPiece, sentence_start: int, last_start: int) -> bool:
    """A cue-less quotation that opens its sentence right after an attributed one (same or next
    paragraph) continues the same speaker; so does a later quotation of the same sentence when
    the cue stood before the first (``He said “…” and that, in reality, it is “…”``). ``last_start`` is where
    the sentence before the quotation's begins."""
    between = text[previous.close_end : piece.open_at]
    words = text[piece.start : piece.end]
    if words.isupper() and text[piece.close_end : piece.close_end + 2].lstrip(" \t")[:1] in ("\n", ""):
        return False  # a crosshead in capitals on its own line (``"NOT GIVING UP"``), not more of the speech
    if previous.cue is not None and CROWD_CUE.match(previous.cue.text.lower()):
        return False  # a crowd's chant is an exclamation; the author's sentence goes on in the author's words
    if previous.cue is not None and is_speech_noun(previous.cue.text) and not re.search(r"\b(?:and|or)\b", between):
        return False  # ``Y’s statement about “…” in May is “…”``: the noun owns its own complement, not the predicate
    if (
        previous.close_end > sentence_start
        and previous.cue is not None
        and previous.cue.end <= previous.open_at
        and word_count(between) <= 12
        and not find_cues(text, previous.close_end, piece.open_at)
        and not re.search(r"\b(?i:he|she|they|we|you)\b|\bI\b|\b[A-Z][a-z]+\s+[A-Z][a-z]+", between)
    ):  # … unless someone else is named or referred to in between
        return True
    opens_sentence = not text[sentence_start : piece.open_at].strip()
    if re.match(r"[ \t]*\(?[a-z]+\s+[a-z]", text[piece.close_end : piece.close_end + 40]):
        return False  # ``“Salt Roads (Live)” was written by …``: the author's sentence goes on, the words are its subject
    # ``“…,” she said in a video for the trust on March 18, as she was …. “…”``: however long, the sentence
    # between is the one that attributes the previous quotation, in the same paragraph
    attribution = (previous.cue is not None and last_start <= previous.close_end <= previous.cue.start
                   and "\n" not in between and word_count(between) <= 45)
    return (
        opens_sentence
        and between.count("\n") <= 2
        and (word_count(between) <= 25 or attribution)
        and word_count(text[piece.start : piece.end]) >= 3
    )


# --------------------------------------------------------------------------- stage entry point


def extract_quotes(doc: Document) -> list[Quote]:
    """Direct and indirect quotations of one annotated document (needs sentences and entities)."""
    text = doc.source.text
    turns = transcript_turns(text, doc.entities)  # ``WALLACE: …`` paragraphs: their marks are no quotations
    pieces = [p for p in find_quoted_pieces(text) if not inside(turns, p.open_at, p.close_end)]
    finder = SpeakerFinder(
        text,
        doc.entities,
        [(p.open_at, p.close_end) for p in pieces],
        [(s.start, s.end) for s in doc.sentences],
    )
    _attribute_pieces(doc, pieces, finder)
    kept = []
    for piece in pieces:
        words = word_count(text[piece.start : piece.end])
        if piece.speaker is None and (words <= SCARE_QUOTE_MAX_WORDS or not piece.closed):
            continue  # scare quote, or a stray mark
        voiced = piece.cue is not None and (CROWD_CUE.match(piece.cue.text.lower()) or (
            piece.speaker is not None and piece.speaker.role == "document" and CARRIED.fullmatch(piece.cue.text)))
        if not piece.extra.get("continued") and not voiced and not _introduced(text, piece) and not _reported_after(
                text, piece) and is_title(text, piece):
            continue  # (chants and signs are often in title case: ``crowds chanting “Down With Tolls”``)
        if piece.speaker is None and words < UNATTRIBUTED_MIN_WORDS:
            continue
        kept.append(piece)
    taken = [(p.open_at, p.close_end) for p in kept] + [(t.label_start, t.end) for t in turns]
    records = [(p.start, p.end, p.speaker, p.cue, True) for p in kept]
    records += [(t.start, t.end, t.speaker, t.cue, True) for t in turns]
    reported = indirect_speech(doc, finder, taken)
    records += [(a, b, s, c, False) for a, b, s, c in reported]
    # a quoted phrase inside reported speech is the reporter's source's own words (``X claimed that
    # the audit is the result "of a rigged review"``); scare quotes are not reported
    # speech, so they stay out
    kept_ids = {id(p) for p in kept}
    for piece in pieces:
        if id(piece) in kept_ids or not piece.closed or is_title(text, piece):
            continue
        owner = next(((s, c) for a, b, s, c in reported if a <= piece.open_at and _ends_within(text, piece, b)
                      and not _in_aside(text, a, piece.open_at)), None)
        if owner is not None:
            records.append((piece.start, piece.end, owner[0], owner[1], True))
    records.sort(key=lambda r: (r[0], r[1]))
    sid = doc.source.id
    quotes = []
    entities = sorted(doc.entities, key=lambda e: e.start)
    starts = [e.start for e in entities]
    people = {e.canonical for e in entities if e.label == "PERSON" and e.canonical}
    for n, (start, end, speaker, cue, direct) in enumerate(records):
        kind = speaker_type(speaker, entities, starts, people) if speaker else None
        name = (speaker.name or speaker.role) if speaker else None  # a group: ``U.S. officials``
        quotes.append(
            Quote(
                id=f"{sid}:q{n}",
                source_id=sid,
                start=start,
                end=end,
                text=text[start:end],
                speaker=canonical_group(name) if name and kind == "group" else name,
                speaker_role=speaker.role if speaker else None,
                speaker_type=kind,
                direct=direct,
                cue=cue.text if cue else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
            )
        )
    return quotes
