"""Direct quotations with their speakers, and the indirect speech around them.

Quoted pieces come from :mod:`.quote_marks`. Each is attributed from its sentence: ``“…,” he said`` /
``said X`` / ``X said: “…”`` / ``according to X`` / a colon at the end of the previous sentence; a
quotation with no cue continues the speaker of the quotation just before it. Short unattributed
phrases (scare quotes) and titles of works are dropped. Indirect speech (:mod:`.indirect_quotes`) is
marked ``direct=False``; a quoted phrase inside it is its speaker's own words. A cue after the words is read by
:mod:`.cue_after_words`, one before them by :mod:`.cue_before_words`; this module orders the readings for each
quoted piece, carries a speaker to the pieces that continue it, and builds the quotes.
"""

from __future__ import annotations

import re

from ..model import Document, Quote
from .cue_after_words import attribute_after, attribute_dash
from .cue_before_words import attribute_before, subject_verb_comma
from .indirect_quotes import indirect_speech
from .owners import (
    CARRIED,
    CROWD_CUE,
    attribute_crowd,
    attribute_dashed,
    attribute_document_relative,
    attribute_possessed_quotation,
    attribute_sent_message,
    attribute_to_subject,
    attribute_without_cue,
    attribute_written,
    is_speech_noun,
    names_owner,
)
from .quote_marks import QuotedPiece, SentenceIndex, find_quoted_pieces, is_title, word_count
from .reported_clauses import (
    NAMING_CUES,
)
from .speaker_mentions import Cue, Speaker, canonical_group, find_cues, speaker_type
from .speaker_words import (
    CUE_WORDS,
    TRAILING_ONLY_CUES,
)
from .speakers import SpeakerFinder
from .transcripts import inside, transcript_turns

__all__ = ["extract_quotes", "find_quoted_pieces"]

SCARE_QUOTE_MAX_WORDS = 4
#: an unattributed quotation shorter than this is not kept
UNATTRIBUTED_MIN_WORDS = 8


# --------------------------------------------------------------------------- attribution


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
    speaker = piece.speaker  # (``“…,” one of Ana Ruiz’s senior aides said``: however long, the speaker's own mention)
    named_between = speaker is not None and not text[piece.close_end : speaker.start].strip(" ,") and not text[
        speaker.end : cue.start if cue is not None else speaker.end].strip()
    return (cue is not None and cue.start >= piece.close_end and inside[-1:] in ",?!"
            and (word_count(text[piece.close_end : cue.start]) <= 4 or named_between)
            and _OPENS_SENTENCE.search(text, max(0, piece.open_at - 4), piece.open_at) is not None)


def _ends_within(text: str, piece: QuotedPiece, end: int) -> bool:
    """The quoted piece closes inside reported content ending at ``end``, or ends that content
    (``… favour local control over “remote management.”``: only the sentence's closing marks lie past ``end``)."""
    return piece.close_end <= end + 1 or (piece.open_at < end and not text[end : piece.close_end].strip('.!?"”’ '))


def _in_aside(text: str, lo: int, hi: int) -> bool:
    """A parenthesis opened in ``text[lo:hi]`` is still open at ``hi``: what follows is the author's aside."""
    return text.count("(", lo, hi) > text.count(")", lo, hi)


#: cues after a quotation that name where the writer read a report (``according to the Gazette``, ``the Gazette
#: reports``), not necessarily who spoke
_SOURCE_OF_REPORT = frozenset({"according to", "reported", "reports"})


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
        if found is None:
            found = attribute_document_relative(finder, text, lead_lo, piece.open_at)
        if found is None:  # ``X sent out a tweet suggesting “…”, the Gazette reports``: the sender's words
            found = attribute_sent_message(finder, text, lead_lo, piece.open_at)
        if found is None and names_owner(text, lead_lo, piece.open_at):
            found = attribute_to_subject(finder, text, lead_lo, piece.open_at)
        if found is None and piece.closed:
            found = attribute_after(finder, text, piece.close_end, after_hi)
            if found is not None and found[1].text.lower() in _SOURCE_OF_REPORT:
                # ``X said that they were “…,” according to the Gazette``: the trailing source is where the writer
                # read the report; the speaker is the one the sentence has report the words before them
                found = attribute_before(finder, text, lead_lo, piece.open_at) or found
        if found is None and piece.closed:
            found = attribute_dash(finder, text, piece.close_end, para_end)
        if found is None:
            found = attribute_before(finder, text, lead_lo, piece.open_at)
        if found is None:
            found = subject_verb_comma(finder, text, lead_lo, piece)
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
        if found is None and previous is not None and previous.speaker is not None and previous.close_end > s_lo:
            found = _joined_verb(text, previous, piece)
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


#: after a quotation, ``and`` and a verb of saying with no subject of its own (an adverbial set off by commas may stand
#: between): the verb shares the subject of the clause before (``called it “…” and, with a laugh, called it “…”``)
_AND_VERB = re.compile(r"[ \t]*,?[ \t]*and\b(?:[ \t]*,?[ \t]*(?:with|in|at|on|after|then|later)\b[^,;:.!?“”\"]{0,40},)?"
                       r"[ \t]+(?:then[ \t]+|also[ \t]+|later[ \t]+)?(?P<verb>[a-z]{3,}(?:ed|s))\b[^.!?;:“”\"]{0,40}$")


def _joined_verb(text: str, previous: QuotedPiece, piece: QuotedPiece) -> tuple[Speaker, Cue] | None:
    """``Ana Ruiz called the law “…” and, with a shrug, called it “…”``: a verb of saying joined by ``and`` to the
    clause of the quotation before, with no subject of its own, reports the next words for the same speaker."""
    joined = _AND_VERB.fullmatch(text, previous.close_end, piece.open_at)
    if joined is None or previous.speaker is None:
        return None
    cue = next((c for c in find_cues(text, joined.start("verb"), piece.open_at) if c.start == joined.start("verb")), None)
    return (previous.speaker, cue) if cue is not None else None


def _share_joined(text: str, pieces: list[QuotedPiece]) -> None:
    """``“…” and “…,” says X``: two quotations joined by ``and`` / ``or`` before one cue are both X's; so are two
    pieces of one sentence joined by a few of the author's words with no cue, no name and no pronoun (``“The port”
    will not be “sold off,” Ana Ruiz said``): the sentence has one report, after its last piece."""
    for piece, following in zip(reversed(pieces[:-1]), reversed(pieces[1:])):
        cue = following.cue
        between = text[piece.close_end : following.open_at]
        if (piece.speaker is None and piece.closed and following.speaker is not None and cue is not None
                and cue.start >= following.close_end
                and (re.fullmatch(r"\s*(?:and|or)\s*", between) or _AUTHOR_LINK.fullmatch(between)
                     and not _PERSONAL_PRONOUN.search(between)
                     and text[piece.start : piece.end].rstrip()[-1:] not in ".!?" and not find_cues(
                         text, piece.close_end, following.open_at))):
            piece.speaker, piece.cue = following.speaker, cue


#: a few lower-case words of the author's between two quoted pieces of one sentence (``“…” will not be “…”``)
_AUTHOR_LINK = re.compile(r"[ \t]+[a-z]+(?:[ \t]+[a-z]+){0,4}[ \t]+")
#: a pronoun between the pieces refers to someone (``the four “…” he cited are “…”``): no sharing
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|they|we|it|i)\b")


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
    found = attribute_before(finder, text, lo, p_hi)
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
    subject's; so is one after ``he`` or ``she`` reporting speech (``He also said …``), as the pronoun resolves."""
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
        if speaker is not None and speaker.name and (finder.by_start.get(speaker.start) is not None or (
                text[speaker.start : speaker.end].lower() in ("he", "she") and cue.text.lower() in _SAYING)):
            return speaker, cue  # (``He also said the group could decide it. “…”``: he, when he reports speech)
    return None


#: the verbs of saying by which a pronoun subject's report carries to the quotation after it
_SAYING = frozenset({"said", "says", "added", "adds", "told", "tells"})


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
        # ``chanting “…” and “…”``: a second chant joined by ``and`` only; else the author's sentence goes on
        return re.fullmatch(r"\s*,?\s*(?:and|or)\s*", between) is not None  # a crowd's chant is an exclamation; the author's sentence goes on in the author's words
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
        kind = speaker_type(speaker, entities, starts, people, doc.source.text) if speaker else None
        name = (speaker.name or speaker.role) if speaker else None  # a group: ``U.S. officials``
        role = _stated_role(speaker)
        quotes.append(
            Quote(
                id=f"{sid}:q{n}",
                source_id=sid,
                start=start,
                end=end,
                text=text[start:end],
                speaker=canonical_group(name) if name and kind == "group" else name,
                speaker_role=role,
                speaker_type=kind,
                direct=direct,
                cue=cue.text if cue else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
            )
        )
    return quotes


def _stated_role(speaker: Speaker | None) -> str | None:
    """The role the text gives a named speaker; none for a speaker named by its own phrase (``U.S. officials``,
    ``the spokesperson``: the phrase is the name, not a role beside it) or for a document (its kind, not a role)."""
    if speaker is None or speaker.name is None or speaker.role is None or speaker.role == "document":
        return None
    return None if speaker.role.casefold() == speaker.name.casefold() else speaker.role
