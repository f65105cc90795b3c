"""Direct and indirect quotations with their speakers.

Direct quotes are found by pairing quote marks of any style (“…”, "…", ‘…’, «…», „…“, ''…'')
inside one paragraph. A paragraph that ends inside a quotation continues it only when the
next paragraph opens with a quote mark (the English convention); otherwise the quotation is
bounded to its paragraph, so one unbalanced mark never swallows the rest of the article.
Each quoted piece is attributed from its sentence: ``“…,” he said`` / ``said X`` / ``X said:
“…”`` / ``according to X`` / a colon at the end of the previous sentence; a quotation with no
cue continues the speaker of the quotation just before it. Short unattributed phrases (scare
quotes) and titles of works are dropped. Indirect speech (``X said that …``, ``…, officials
said``) is marked ``direct=False`` with the span covering the reported content.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model import Document, Quote
from .owners import (
    CARRIED,
    CROWD_CUE,
    attribute_crowd,
    attribute_to_subject,
    attribute_without_cue,
    attribute_written,
    is_speech_noun,
    owned_speech,
)
from .speaker_mentions import Cue, Speaker, canonical_group, find_cues, speaker_type
from .speaker_words import (
    INDIRECT_CUES,
    ORGANISATION_NOUNS,
    PLURAL_SOURCES,
    PRONOUNS,
    ROLE_NOUNS,
    TIME_PHRASE_START,
)
from .speakers import SpeakerFinder

#: opening mark → the marks that may close it
PAIRS = {"“": '”"', "«": "»", "„": "“”", "‹": "›", "‘": "’", '"': '"”', "''": "''", "”": "”"}
DOUBLE_OPENERS = ("“", "«", "„", '"', "''", "”")
#: words before a quotation that make it the title of a work, not speech
TITLE_WORDS = frozenset(
    "article essay book titled entitled headlined headline op-ed oped column film movie "
    "song album show series paper piece poem novel documentary podcast program "
    "programme episode slogan chapter author co-author coauthor authored".split()
)
#: a quoted phrase after these words is a name, not anyone's words (``what is known at the ministry as the “T” desk``)
NAMED_AS = re.compile(r"\b(?:known(?:\s+\w+){0,3}?\s+as|nicknamed)\s+(?:(?:the|a|an)\s+)?$", re.IGNORECASE)
SCARE_QUOTE_MAX_WORDS = 4
TITLE_CASE_MAX_WORDS = 12
#: an unattributed quotation shorter than this is not kept
UNATTRIBUTED_MIN_WORDS = 8


@dataclass
class QuotedPiece:
    """The words inside one pair of quote marks (or up to the paragraph end if unclosed)."""

    open_at: int
    start: int
    end: int
    close_end: int
    closed: bool
    chain: int
    speaker: Speaker | None = None
    cue: Cue | None = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- quote marks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _opening_mark(text: str, i: int, lo: int) -> str | None:
    """The opening quote mark starting at ``i``, if the character there opens a quotation."""
    c = text[i]
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if c in "“«„‹":
        return c
    if c == "‘" and not before.isalnum():
        return c
    if c == "'" and after == "'" and not before.isalnum():
        return "''"
    if c in '"”' and (before.isspace() or before in "([{—–-/:" or i == lo) and not after.isspace():
        return c
    return None


def _closes(text: str, i: int, opener: str) -> int:
    """Length of the closing mark for ``opener`` at ``i`` (0 if none closes it there)."""
    c = text[i]
    if opener == "''":
        return 2 if text.startswith("''", i) else 0
    if c not in PAIRS[opener]:
        return 0
    after = text[i + 1] if i + 1 < len(text) else " "
    if opener == "‘" and (after.isalnum() or text[i - 1].isspace()):
        return 0  # an apostrophe (Russia’s), not a closing mark
    return 1


def find_quoted_pieces(text: str) -> list[QuotedPiece]:
    """Every quoted piece of ``text``, chained across paragraphs where a quotation continues."""
    pieces: list[QuotedPiece] = []
    chain = 0
    carry = False  # the previous paragraph ended inside a quotation
    for lo, hi in _paragraphs(text):
        first = _opening_mark(text, lo, lo)
        if not (carry and first in DOUBLE_OPENERS):
            chain += 1
        carry = False
        i = lo
        opener: str | None = None
        open_at = 0
        while i < hi:
            if opener is None:
                mark = _opening_mark(text, i, lo)
                if mark:
                    opener, open_at = mark, i
                    i += len(mark)
                    continue
            else:
                width = _closes(text, i, opener)
                if width:
                    pieces.append(_piece(text, open_at, len(opener), i, i + width, True, chain))
                    opener = None
                    i += width
                    chain += 1
                    continue
                if opener in "“«„" and text[i] in "“«„" and opener != "„" and i > open_at + 1:
                    opener, open_at = text[i], i  # the earlier mark was never closed: start again here
            i += 1
        if opener is not None:
            pieces.append(_piece(text, open_at, len(opener), hi, hi, False, chain))
            carry = opener in DOUBLE_OPENERS
    return [p for p in pieces if p.end > p.start]


def _piece(
    text: str, open_at: int, width: int, close_at: int, close_end: int, closed: bool, chain: int
) -> QuotedPiece:
    start, end = open_at + width, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return QuotedPiece(open_at, start, end, close_end, closed, chain)


# --------------------------------------------------------------------------- attribution


class _Context:
    """Sentence and paragraph lookup for one document."""

    def __init__(self, doc: Document):
        self.text = doc.source.text
        spans = [(s.start, s.end) for s in doc.sentences] or _paragraphs(self.text)
        self.sentences = sorted(spans)
        self.starts = [s for s, _ in self.sentences]

    def sentence_index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def sentence(self, pos: int) -> tuple[int, int]:
        return self.sentences[self.sentence_index(pos)]


def _words(text: str) -> int:
    return len(text.split())


def _attribute_after(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``“…,” he said`` / ``“…,” said X`` in ``text[lo:hi]`` (the text after the closing mark)."""
    trailer = text[lo:hi]
    stripped = trailer.lstrip(" ,.!?;—–-\u2009")
    offset = lo + len(trailer) - len(stripped)
    cues = find_cues(text, offset, hi)
    named = finder.by_start.get(offset)
    appositive = named is not None and named.label == "PERSON" and text[named.end : named.end + 1] == ","
    for cue in cues[:2]:
        between = text[offset : cue.start]
        if cue.text.lower() in NAMING_CUES and between.strip():
            continue  # ``“…” to him, in what analysts described as …``: the naming verb names what follows it
        if appositive and _words(between) <= 35 and cue.text.lower() not in NAMING_CUES:
            speaker = finder.left_of(offset, cue)  # ``“…,” Ana Ruiz, the long-serving head of …, said``
            if speaker is not None and speaker.start == offset:
                return speaker, cue
        if (0 < _words(between) <= 9 and re.search(r",\s*$", between) and _speaker_may_follow(cue)
                and not finder.left_of(offset, cue)):
            # ``“…” if the depot closed, said a council aide``: the quotation's own clause runs on, then the cue
            speaker = finder.right_of(cue, hi)
            if speaker is not None:
                return speaker, cue
        if _words(between) > 9 or re.search(
            r"\b(?:but|and|while|though|although|because|that|who|which)\b", between, re.IGNORECASE
        ):
            break
        speaker = finder.left_of(offset, cue) if cue.start > offset else None
        if speaker is None and _words(text[offset : cue.start]) == 0 and (
                _speaker_may_follow(cue) or cue.text.lower() in ("asked", "asks", "read", "reads")):
            speaker = finder.right_of(cue, hi)  # right after the quotation ``asked X`` is X asking
        if speaker is not None:
            return speaker, cue
    for cue in reversed(cues):  # ``“…” to do this, she said.``: a cue closing the sentence after a comma
        if text[cue.start - 2 : cue.start] != ", " and not re.search(
            r",\s+\S+(?:\s+\S+)?\s+$", text[lo : cue.start]
        ):
            continue
        if _words(text[cue.end : hi]) > 6 or cue.text.lower() not in INDIRECT_CUES:
            continue
        speaker = finder.left_of(lo, cue)
        if speaker is not None and re.fullmatch(r",\s+", text[speaker.start - 2 : speaker.start] or ""):
            return speaker, cue
    return None


def _attribute_dash(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``“…” ― Ana Ruiz`` at the end of a paragraph (reader comments, epigraphs)."""
    trailer = text[lo:hi]
    dash = re.match(r"\s*[―—–]\s*([A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3})\.?\s*$", trailer)
    if dash:  # “…” ― Ana Ruiz
        name_lo = lo + dash.start(1)
        ent = finder.by_start.get(name_lo)
        name = ent.canonical if ent is not None else dash.group(1).rstrip(".")
        mark = lo + trailer.index(dash.group(0).strip()[0])
        return Speaker(name, None, name_lo, name_lo + len(dash.group(1).rstrip("."))), Cue(
            text[mark], mark, mark + 1
        )
    return None


def _attribute_before(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``X said: “…”`` / ``according to X, “…”`` / ``X said that it was “…”`` in ``text[lo:hi]``."""
    cues = find_cues(text, lo, hi)
    lead = text[lo:hi].rstrip()
    owned = owned_speech(text, lo, hi)
    for cue in reversed(cues):
        if owned is not None and owned.start() >= cue.end:
            return None  # ``X said … to back up Y’s assertion that … “…”``: the nearer owner of the words is Y
        after = text[cue.end : hi]
        if re.match(r"\s+to\b", after):
            continue  # ``agreed to offer``: not speech
        if (_SUBORDINATE_OPENING.match(text, lo, cue.start) and _MAIN_CLAUSE.search(text, cue.end, hi)
                and not lead.endswith(":")):
            continue  # ``When Ana says that …, she is echoing … “…”``: the main clause's phrase is the author's
        distance = _words(after)
        reported = re.match(r"[”\"’]?\s+(?:\S+\s+){0,20}?that\b", after) or (
            cue.text.lower() in ("said", "says", "say") and _CLAUSE_START.match(after.lstrip())
        )
        if distance > 12 and not lead.endswith(":") and not (reported and distance <= 30):
            continue
        participle = cue.text.endswith("ing")
        if participle and re.search(
            r"\b(?:its|his|her|their|our|the|a|an|this|that|any|no)\s+$", text[lo : cue.start], re.IGNORECASE
        ):
            continue  # ``its warning``: a noun, not a participle
        speaker = None
        quoting = _QUOTING_AS.search(text, lo, cue.start) if cue.text.lower() == "saying" else None
        if quoting:  # ``television reported an official as saying``: the object between verb and ``as``
            verb = Cue(quoting.group("verb"), quoting.start("verb"), quoting.end("verb"))
            speaker = finder.right_of(verb, quoting.end("object"))
            if speaker is not None:
                return speaker, cue
            continue
        if not participle and re.search(r",[”\"]?$", text[lo : cue.start].rstrip()) and _speaker_may_follow(cue):
            stop = re.search(r"[,:]", after)  # ``…, says USIP’s Angela Stent: “…”``
            bound = cue.end + stop.start() if stop else hi
            speaker = finder.right_of(cue, bound)
            if speaker is not None and text[speaker.end : bound].strip():
                speaker = None
        if speaker is None and not participle:
            speaker = finder.left_of(lo, cue)
        if cue.text.lower() in NAMING_CUES:
            if speaker is not None and _naming_speaker_ok(finder, text, cue, speaker):
                return _outer_report(finder, text, lo, hi, speaker, cue) or (speaker, cue)
            continue
        if participle:  # ``footage of Ana Ruiz saying “…”``: a name right before the participle says it
            named = finder.by_end.get(lo + len(text[lo : cue.start].rstrip()))
            if (named is not None and (named.label == "PERSON" or named.canonical in finder.people)
                    and named.start >= lo and named.end < cue.start):
                speaker = finder.entity_speaker(named, lo)
        if speaker is None and (participle or re.search(r"\b(?:and|but)\s*$", text[lo : cue.start])):
            speaker = finder.subject_of(lo, cue)
        if speaker is None and _speaker_may_follow(cue):
            stop = re.search(r"[,:]", after)
            speaker = finder.right_of(cue, cue.end + stop.start() if stop else hi)
            if speaker is not None and not stop and text[speaker.end : hi].strip():
                speaker = None  # ``said Clinton was “justified”``: Clinton is not the speaker
        if speaker is not None:
            speaker = _reporter_of_pronoun(finder, text, lo, speaker)
            return _outer_report(finder, text, lo, hi, speaker, cue) or (speaker, cue)
    return None


#: ``X said he …`` / ``X told reporters she …``: a reporting verb right before a subject pronoun
_SAID_PRONOUN = re.compile(r"\b(?P<cue>said|says|told|tells|added|adds|wrote|writes)\s+(?:\w+\s+)?(?:that\s+)?$")


def _reporter_of_pronoun(finder: SpeakerFinder, text: str, lo: int, speaker: Speaker) -> Speaker:
    """``the investigator said he told the panel: “…”``: the reporter is who ``he`` is, whatever name an
    earlier sentence offers; the mention becomes the reporter's own."""
    if text[speaker.start : speaker.end].lower() not in ("he", "she"):
        return speaker
    said = _SAID_PRONOUN.search(text, lo, speaker.start)
    if said is None:
        return speaker
    reporter = finder.left_of(lo, Cue(said.group("cue"), said.start("cue"), said.end("cue")))
    if reporter is None or text[reporter.start : reporter.end].lower() in PRONOUNS:
        return speaker
    return reporter


#: reporting verbs whose reported clause may hold another's report
_OUTER_CUES = frozenset({"said", "says", "say", "acknowledged", "acknowledges", "admitted", "admits", "added", "adds",
                         "argued", "argues", "claimed", "claims", "insisted", "insists", "noted", "notes", "wrote",
                         "writes", "told", "tells", "testified", "recalled", "recalls"})


def _outer_report(finder: SpeakerFinder, text: str, lo: int, hi: int, speaker: Speaker, cue: Cue
                  ) -> tuple[Speaker, Cue] | None:
    """``X said that Y once described it as “…”`` / ``X acknowledged that a ledger suggested … “…”``: a quoted
    phrase inside a report nested in X's reported clause is given as X's (the outer report is what the
    article attributes); a quotation the inner verb introduces itself (``Y told him: “…”``) stays Y's."""
    if text[lo:hi].rstrip()[-1:] in (":", ","):
        return None
    for outer in find_cues(text, lo, min(speaker.start, cue.start)):
        if outer.text.lower() not in _OUTER_CUES:
            continue
        content = _content_start(text, outer, hi)
        if content is None or content > min(speaker.start, cue.start):
            continue
        found = finder.left_of(lo, outer)
        if found is not None:
            return found, outer
    return None


#: a sentence that opens with a subordinate clause (``When X says that …,``) …
_SUBORDINATE_OPENING = re.compile(
    r"\s*(?:when|whenever|if|as|while|although|though|because|since|once|unless|after|before)\b", re.IGNORECASE)
#: … and the comma after which its main clause begins with a subject pronoun
_MAIN_CLAUSE = re.compile(r",[”\"’]?\s+(?:he|she|it|they|we|I|you|there)\b")


def _ends_within(text: str, piece: QuotedPiece, end: int) -> bool:
    """The quoted piece closes inside reported content ending at ``end``, or ends that content
    (``… favour local control over “remote management.”``: only the sentence's closing marks lie past ``end``)."""
    return piece.close_end <= end + 1 or (piece.open_at < end and not text[end : piece.close_end].strip('.!?"”’ '))


def _in_aside(text: str, lo: int, hi: int) -> bool:
    """A parenthesis opened in ``text[lo:hi]`` is still open at ``hi``: what follows is the author's aside."""
    return text.count("(", lo, hi) > text.count(")", lo, hi)


#: ``quoted an official as saying`` / ``reported the minister as saying``: the object is the speaker
_QUOTING_AS = re.compile(r"\b(?P<verb>quoted|quotes|cited|cites|reported|reports|paraphrased)\s+"
                         r"(?P<object>[^,;:“”\"]{2,80}?)\s+as\s+$")

#: cues that name or describe rather than report speech; they need a person right before them
NAMING_CUES = frozenset({"called", "calls", "described", "describes", "dubbed", "labeled", "labelled"})


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


def _speaker_may_follow(cue: Cue) -> bool:
    """``said X`` names the speaker after the cue; ``told X`` / ``telling X`` names the listener."""
    word = cue.text.lower()
    return (
        not word.endswith("ing")
        and word not in NAMING_CUES
        and word not in ("told", "tell", "tells", "asked", "asks", "urged", "urges")
    )


def _is_title(text: str, piece: QuotedPiece) -> bool:
    lead = text[max(0, piece.open_at - 40) : piece.open_at]
    lead = re.split(r"[.!?\n]", lead)[-1]  # only words of the same sentence
    before = lead.lower().split()[-3:]
    before += [w.rsplit("-", 1)[-1] for w in before]
    if any(w.strip(",:") in TITLE_WORDS for w in before) or NAMED_AS.search(lead):
        return True
    words = text[piece.start : piece.end].split()
    ending = text[piece.start : piece.end].rstrip()[-1:]
    subtitled = ":" in text[piece.start : piece.end]  # ``Ballot Battles: The History of …``
    if (
        len(words) > TITLE_CASE_MAX_WORDS
        or ending in ",;"
        or (ending == "." and len(words) > 6 and not subtitled)
    ):
        return False
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and all(w[:1].isupper() for w in long_words) and words[0][:1].isupper()


def _attribute_pieces(doc: Document, pieces: list[QuotedPiece], finder: SpeakerFinder) -> None:
    text = doc.source.text
    ctx = _Context(doc)
    previous: QuotedPiece | None = None
    for n, piece in enumerate(pieces):
        s_lo, _ = ctx.sentence(piece.open_at)
        _, e_hi = ctx.sentence(max(piece.start, piece.close_end - 1))
        if e_hi <= piece.close_end and text[piece.start : piece.end].rstrip()[-1:] in "?!,":
            # “Is it over?” Ana asked. — the splitter ends the sentence at the mark; the cue follows
            following = piece.close_end + len(text[piece.close_end :]) - len(text[piece.close_end :].lstrip())
            _, e_hi = ctx.sentence(min(following, len(text) - 1))
        next_open = pieces[n + 1].open_at if n + 1 < len(pieces) else len(text)
        prev_close = next((p.close_end for p in reversed(pieces[:n]) if _words(text[p.start : p.end]) > 4), 0)
        para_end = text.find("\n", piece.close_end)
        para_end = len(text) if para_end < 0 else para_end
        after_hi = min(max(e_hi, piece.close_end), next_open, para_end)
        # a crowd's verb right before the quotation outranks a cue after it (``…, addressing a crowd
        # chanting “…,” said …``: the cue after it reports the addresser's next words)
        lead_lo = max(s_lo, prev_close)
        aside = text.rfind("(", lead_lo, piece.open_at)
        if aside >= 0 and _in_aside(text, aside, piece.open_at):
            lead_lo = aside + 1  # ``he insists the march (which featured “…” chants)``: only the aside's own words
        found = attribute_crowd(finder, text, lead_lo, piece.open_at)
        if found is None and piece.closed:
            found = _attribute_after(finder, text, piece.close_end, after_hi)
        if found is None and piece.closed:
            found = _attribute_dash(finder, text, piece.close_end, para_end)
        if found is None:
            found = _attribute_before(finder, text, lead_lo, piece.open_at)
        if found is None and not text[s_lo : piece.open_at].strip():
            found = _colon_in_previous_sentence(finder, ctx, text, s_lo, prev_close)
        if found is None:
            found = attribute_without_cue(finder, text, lead_lo, piece.open_at)
        if found is None:
            found = attribute_written(finder, text, lead_lo, piece.open_at)
        if found is None:
            found = attribute_to_subject(finder, text, lead_lo, piece.open_at)
        if found:
            piece.speaker, piece.cue = found
        elif (
            previous is not None and previous.speaker is not None and _continues(text, previous, piece, s_lo)
        ):
            piece.speaker, piece.extra["continued"] = previous.speaker, True
        previous = piece
    # a chained piece (same quotation over several paragraphs) shares the speaker found for any part
    by_chain: dict[int, QuotedPiece] = {}
    for piece in pieces:
        if piece.speaker is not None:
            by_chain.setdefault(piece.chain, piece)
    for piece in pieces:
        if piece.speaker is None and piece.chain in by_chain:
            piece.speaker, piece.cue = by_chain[piece.chain].speaker, by_chain[piece.chain].cue


def _colon_in_previous_sentence(
    finder: SpeakerFinder, ctx: _Context, text: str, s_lo: int, prev_close: int
) -> tuple[Speaker, Cue] | None:
    index = ctx.sentence_index(s_lo)
    if index == 0:
        return None
    p_lo, p_hi = ctx.sentences[index - 1]
    if not text[p_lo:p_hi].rstrip().endswith(":"):
        return None
    return _attribute_before(finder, text, max(p_lo, prev_close), p_hi)


def _continues(text: str, previous: QuotedPiece, piece: QuotedPiece, sentence_start: int) -> bool:
    """A cue-less quotation that opens its sentence right after an attributed one (same or next
    paragraph) continues the same speaker; so does a later quotation of the same sentence when
    the cue stood before the first (``He said “…” and that, in reality, it is “…”``)."""
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
        and _words(between) <= 12
        and not find_cues(text, previous.close_end, piece.open_at)
        and not re.search(r"\b(?i:he|she|they|we|you)\b|\bI\b|\b[A-Z][a-z]+\s+[A-Z][a-z]+", between)
    ):  # … unless someone else is named or referred to in between
        return True
    opens_sentence = not text[sentence_start : piece.open_at].strip()
    return (
        opens_sentence
        and between.count("\n") <= 2
        and _words(between) <= 25
        and _words(text[piece.start : piece.end]) >= 3
    )


# --------------------------------------------------------------------------- indirect speech


def _indirect(doc: Document, finder: SpeakerFinder, taken: list[tuple[int, int]]) -> list[tuple]:
    """(start, end, speaker, cue) of reported speech in sentences that hold no direct quotation."""
    text = doc.source.text
    ctx = _Context(doc)
    out = []
    for lo, hi in ctx.sentences:
        if any(a < hi and lo < b for a, b in taken):
            continue
        found = _indirect_in_sentence(finder, text, lo, hi)
        if found:
            out.append(found)
    return out


#: a speaker's role set off by commas after the name (``a former port official who now advises the board,``)
_APPOSITIVE = re.compile(
    r"(?:(?:a|an|one|who)\s|(?:the|its|his|her)\s+(?:[\w’'-]+\s+){0,4}?(?:"
    + "|".join(sorted(ROLE_NOUNS, key=len, reverse=True)) + r")\b)[^,;:“”\"]{0,120},\s*(?=\S)", re.IGNORECASE)


def _indirect_in_sentence(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple | None:
    body_hi = hi
    while body_hi > lo and text[body_hi - 1] in '.!?"”’ ':
        body_hi -= 1
    sentence = text[lo:body_hi]
    match = re.match(r"according to ([^,]{2,80}),\s*", sentence, re.IGNORECASE)
    if match:
        cue = Cue(text[lo : lo + 12], lo, lo + 12)
        speaker = finder.right_of(cue, lo + match.end(1))
        content_lo = lo + match.end()
        role = _APPOSITIVE.match(text, content_lo, body_hi)
        if role:  # ``According to Ana Ruiz, a former port official who …, the tariff …``: the role is no content
            content_lo = role.end()
        if speaker and _words(text[content_lo:body_hi]) >= 4:
            return content_lo, body_hi, speaker, cue
    found = _according_to_inside(finder, text, lo, body_hi)
    if found:
        return found
    tail = re.search(r",\s+((?:according to )?[^,]{2,90})$", sentence, re.IGNORECASE)
    if tail:
        t_lo = lo + tail.start(1)
        for cue in find_cues(text, t_lo, body_hi):
            if cue.text.lower().split()[0] not in INDIRECT_CUES | {"according"}:
                continue
            after = text[cue.end : body_hi].strip()
            if _words(after) > 5 or (
                after
                and not re.match(
                    r"(?:on|in|at|last|this|late|early|earlier|"
                    r"yesterday|today|during|after|before|via|"
                    r"Monday|Tuesday|Wednesday|Thursday|Friday|"
                    r"Saturday|Sunday)\b",
                    after,
                )
            ):
                continue
            speaker = finder.left_of(t_lo, cue) if cue.start > t_lo else None
            if speaker is None and not text[t_lo : cue.start].strip() and _speaker_may_follow(cue):
                speaker = finder.right_of(cue, body_hi)
            if speaker and _words(text[lo : lo + tail.start()]) >= 4:
                return lo, lo + tail.start(), speaker, cue
    for cue in find_cues(text, lo, body_hi):
        if cue.text.lower() not in INDIRECT_CUES or cue.text.endswith("ing"):
            continue
        speaker = finder.left_of(lo, cue)
        if speaker is None or (
            text[speaker.start : speaker.end] in ("I", "we", "We")
            and cue.text.lower() in ("think", "believe", "thought", "believed")
        ):
            continue  # ``I think …`` inside a quotation is a hedge, not a report
        reported_lo = _content_start(text, cue, body_hi)
        if reported_lo is not None and _words(text[reported_lo:body_hi]) >= 4:
            return reported_lo, body_hi, speaker, cue
    return None


#: ``…, according to the poll`` / ``The firm, according to its filing, lost …`` (not sentence-initial)
_ACCORDING = re.compile(r",\s+(according to)\s+([^,;:()“”\"]{2,80}?)\s*(?=,|$)", re.IGNORECASE)


def _according_to_inside(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple | None:
    """Reported content with ``according to X`` after it or set off inside it: the speaker is X (a
    person, an organisation, a document or a group), the content the rest of the sentence."""
    for m in _ACCORDING.finditer(text, lo, hi):
        cue = Cue(m.group(1), m.start(1), m.end(1))
        speaker = finder.right_of(cue, m.end(2))
        if speaker is None:
            continue
        if m.end(2) >= hi - 1:  # at the end: the content is what comes before
            content = (lo, m.start())
        else:  # set off by commas inside the sentence: the content is the whole sentence
            content = (lo, hi)
        if _words(text[content[0] : content[1]]) >= 4:
            return content[0], content[1], speaker, cue
    return None


def _content_start(text: str, cue: Cue, hi: int) -> int | None:
    """Where the reported content begins after a cue: after ``that`` if it comes soon, else right away."""
    rest = text[cue.end : hi]
    that = re.search(r"\bthat\b", rest)
    if that and _words(rest[: that.start()]) <= 7 and "," not in rest[: that.start()].strip(" ,"):
        return cue.end + that.end() + len(rest[that.end() :]) - len(rest[that.end() :].lstrip())
    stripped = rest.lstrip(" :")
    when = TIME_PHRASE_START.match(stripped)
    if when:
        stripped = stripped[when.end() :]
    if cue.text.lower() in ("told", "tells", "tell", "asked", "urged", "promised") or not stripped:
        return None
    if stripped.startswith(","):
        return None  # ``said Friday afternoon, as they …``: no reported clause follows
    say = cue.text.lower() in ("said", "says", "say")
    clause = _CLAUSE_START.match(stripped) or (say and not _NOT_CLAUSE_START.match(stripped))
    head = " ".join(stripped.split()[:8])
    if not clause or not (_SUBJECT_PRONOUN.match(stripped) or _FINITE.search(head) or _PRESENT.search(head)):
        return None  # ``claimed responsibility for …``: an object, not a reported clause
    return cue.end + len(rest) - len(stripped)


_NOT_CLAUSE_START = re.compile(
    r"(?:in|on|at|to|for|with|during|after|before|by|of|about|from|into|over|so|"
    r"yes|no|nothing|something|anything|goodbye|hello|thanks)\b|[^\w]",
    re.IGNORECASE,
)


#: a reported clause without ``that`` starts with a subject …
_CLAUSE_START = re.compile(
    r"(?:(?:he|she|it|they|we|I|there|the|a|an|this|these|those|his|her|their|its|our|"
    r"no|some|many|most|all)\b|[A-Z])"
)
#: a subject pronoun right after the cue opens a reported clause (``said she plans to …``)
_SUBJECT_PRONOUN = re.compile(r"(?:he|she|they|we|I)\s+[a-z]")
#: a present-tense verb before a function word (``the party plans to``, ``the bill costs more``)
_PRESENT = re.compile(r"\b[a-z]{3,}s\s+(?:to|that|a|an|the|it|more|less|no|not|in|on|for|with|its|his|her|their)\b")
#: … and holds a finite verb
_FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|had|has|have|can|could|should|must|may|might|did|does|"
    r"do|wo|won’t|won't)\b|\b\w+ed\b"
)


# --------------------------------------------------------------------------- stage entry point


def extract_quotes(doc: Document) -> list[Quote]:
    """Direct and indirect quotations of one annotated document (needs sentences and entities)."""
    text = doc.source.text
    pieces = find_quoted_pieces(text)
    finder = SpeakerFinder(
        text,
        doc.entities,
        [(p.open_at, p.close_end) for p in pieces],
        [(s.start, s.end) for s in doc.sentences],
    )
    _attribute_pieces(doc, pieces, finder)
    kept = []
    for piece in pieces:
        words = _words(text[piece.start : piece.end])
        if piece.speaker is None and (words <= SCARE_QUOTE_MAX_WORDS or not piece.closed):
            continue  # scare quote, or a stray mark
        voiced = piece.cue is not None and (CROWD_CUE.match(piece.cue.text.lower()) or (
            piece.speaker is not None and piece.speaker.role == "document" and CARRIED.fullmatch(piece.cue.text)))
        if not piece.extra.get("continued") and not voiced and _is_title(text, piece):
            continue  # (chants and signs are often in title case: ``crowds chanting “Down With Tolls”``)
        if piece.speaker is None and words < UNATTRIBUTED_MIN_WORDS:
            continue
        kept.append(piece)
    taken = [(p.open_at, p.close_end) for p in kept]
    records = [(p.start, p.end, p.speaker, p.cue, True) for p in kept]
    reported = _indirect(doc, finder, taken)
    records += [(a, b, s, c, False) for a, b, s, c in reported]
    # a quoted phrase inside reported speech is the reporter's source's own words (``X claimed that
    # the audit is the result "of a rigged review"``); scare quotes are not reported
    # speech, so they stay out
    kept_ids = {id(p) for p in kept}
    for piece in pieces:
        if id(piece) in kept_ids or not piece.closed or _is_title(text, piece):
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
