"""Interview and debate transcripts: a paragraph that opens with a speaker's label and a colon is that speaker's turn.

News sites print transcripts as ``FALK: Will the tolls rise? …`` / ``KERN: Not this year. …``, often with an opening
quote mark at every paragraph and a closing one only at the end, so quote-mark pairing alone reads them wrong
(a paragraph's opening mark paired with a closing mark inside the next one). A turn is quoted whole, from the
label's colon to the paragraph's end, and credited to the person the label names (``FALK`` → the article's
Lena Falk). Speakers take turns, so a colon after a name is a turn only where two or more speakers do (see
``transcript_turns``): a single ``Kern: …`` is a headline's attribution, and ``Update:`` or ``Note:`` is no
speaker at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Entity
from .speaker_mentions import Cue, Speaker

#: a paragraph's start, an optional opening mark, a label of one to four words and a colon, then the turn
_TURN = re.compile(
    r"^[ \t]*[\"“]?(?P<label>[A-Z][\w.’'-]*(?:[ \t][A-Z][\w.’'-]*){0,3}):[ \t]+(?P<body>\S[^\n]*)", re.MULTILINE)
#: titles before a surname in a label (``SEN. CRUZ``, ``Mr. Trump``), or a reporting verb (``Said Krzanich:``)
_TITLE = re.compile(r"^(?:mr|mrs|ms|dr|sen|rep|gov|gen|president|senator|governor|secretary|judge|rev|said|says|"
                    r"added|asked)\.?\s+", re.IGNORECASE)
#: labels that head a paragraph without naming who speaks
_NOT_SPEAKERS = frozenset({
    "update", "updated", "note", "editor's note", "editor’s note", "correction", "clarification", "watch", "read",
    "related", "photo", "photos", "video", "source", "sources", "breaking", "exclusive", "analysis", "opinion",
    "warning", "disclaimer", "summary", "background", "context", "question", "answer", "transcript", "caption",
    "credit", "contact", "email", "phone", "twitter", "location", "date", "time", "subject", "re", "fact",
    "claim", "verdict", "rating", "bottom line", "why it matters", "the bottom line", "what's next", "what’s next",
    "winner", "winners", "loser", "losers", "pros", "cons", "takeaway", "takeaways", "quote", "quotes", "pictured",
})
#: words no name in capitals holds (``REGARDLESS OF …:`` is a phrase)
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "to", "in", "on", "at", "by", "with", "from", "a", "an", "or"})
#: words that open a paragraph's label but never a name
_NOT_A_NAME_START = frozenset({"the", "a", "an", "why", "what", "how", "when", "where", "who", "must", "just", "watch",
                               "read", "see", "more", "click", "follow", "our", "my", "your", "this", "that"})
#: a linked headline (``A Fair Choice Read more at: http…``)
_LINK = re.compile(r"https?://|www\.|\bread more\b", re.IGNORECASE)


@dataclass
class Turn:
    """One speaker's turn: the label (the speaker mention) and the words after its colon, to the paragraph's end."""

    label_start: int
    label_end: int
    start: int
    end: int
    speaker: Speaker
    cue: Cue


def transcript_turns(text: str, entities: list[Entity]) -> list[Turn]:
    """The turns of a transcript in ``text``. Speakers take turns: there are none unless two or more speakers
    speak, one of them a person the article names, and one of them more than once (a list of ``PROS: …`` /
    ``CONS: …`` lines names nobody; ``Kern: The governor held out …`` / ``Ruiz: The senator gave in …`` is
    the author's verdict on each, one line apiece)."""
    people = [e for e in entities if e.label == "PERSON"]
    other = {(e.start, e.end) for e in entities if e.label != "PERSON"}
    turns, named = [], False
    for match in _TURN.finditer(text):
        label, body = match.group("label"), match.group("body")
        if not _may_be_speaker(label) or not _spoken(body):
            continue
        name = _person_named(label, people)
        if name is None and (match.span("label") in other or not _unresolved_label(label)):
            continue  # a place or an organisation (the tagger's reading of a label it could not tie to a person)
        end = match.end("body")
        while end > match.start("body") and text[end - 1] in " \t\"”":
            end -= 1
        named = named or name is not None
        speaker = Speaker(name or _TITLE.sub("", label).title(), None, match.start("label"), match.end("label"))
        colon = match.end("label")
        turns.append(Turn(match.start("label"), colon, match.start("body"), end, speaker, Cue(":", colon, colon + 1)))
    turns = [part for turn in turns for part in _interrupted(text, turn, turns)]
    counts = Counter(t.speaker.name for t in turns)
    if not named or len(counts) < 2 or max(counts.values()) < 2:
        return []
    return turns


def _may_be_speaker(label: str) -> bool:
    """``Update:``, ``Q:``, ``The Facts:``, ``MUST WATCH:`` head a paragraph without naming who speaks."""
    words = label.lower().split()
    return (label.lower() not in _NOT_SPEAKERS and len(label.replace(".", "")) >= 2
            and words[0] not in _NOT_A_NAME_START)


def _unresolved_label(label: str) -> bool:
    """A label that names no person of the article may still be a name in capitals (``WALLACE:``, ``AMY
    GOODMAN:``), but not an acronym (``CBO:``) or a phrase in capitals (``REGARDLESS OF SMOLLETT:``)."""
    words = _TITLE.sub("", label).split()
    if not label.isupper() or not 1 <= len(words) <= 3 or {w.lower() for w in words} & _FUNCTION_WORDS:
        return False
    return len(words) > 1 or len(words[0].strip(".")) > 4


def _spoken(body: str) -> bool:
    """Words someone says: not a figure (``Clinton: 700.59``), a link (``A Fair Choice Read more at: http…``)
    or a headline (``Kern: Port Can Get a Toll Deal in Time``, ``Ruiz: tolls win the night``)."""
    words = re.findall(r"[A-Za-z][\w’'-]*", body)
    if len(words) < 2 or _LINK.search(body) or not re.search(r"[.!?…—-][\"”’')\]]*\s*$", body):
        return False  # (a turn ends as a sentence does; ``Ruiz: tolls win the night`` is a title)
    capitalised = sum(w[0].isupper() for w in words)
    return not (len(words) >= 4 and capitalised / len(words) >= 0.6)


#: an interruption inside a turn: a dash, then another speaker's label in capitals (``… in response to —
#: TILLERSON: I would have …``)
_CUT_IN = re.compile(r"\s[—–]+\s*(?P<label>[A-Z][A-Z.’'-]+(?:[ \t][A-Z][A-Z.’'-]+){0,2}):[ \t]+(?=\S)")


def _interrupted(text: str, turn: Turn, turns: list[Turn]) -> list[Turn]:
    """A turn cut short by another speaker of the transcript, split where the other speaker's label is."""
    speakers = {text[t.label_start : t.label_end]: t.speaker.name for t in turns}
    parts, start = [], turn.start
    current = turn
    for cut in _CUT_IN.finditer(text, turn.start, turn.end):
        name = speakers.get(cut.group("label"))
        if name is None:
            continue
        parts.append(Turn(current.label_start, current.label_end, start, cut.start(), current.speaker, current.cue))
        colon = cut.end("label")
        speaker = Speaker(name, None, cut.start("label"), colon)
        current = Turn(cut.start("label"), colon, cut.end(), turn.end, speaker, Cue(":", colon, colon + 1))
        start = cut.end()
    parts.append(Turn(current.label_start, current.label_end, start, turn.end, current.speaker, current.cue))
    return parts


def _person_named(label: str, people: list[Entity]) -> str | None:
    """The person of the article a label names by surname (``WALLACE``, ``SEN. CRUZ``), in full, or by initials
    (``HH:`` for Hugh Hewitt); the fullest name when several fit (``Van Jones`` before ``Jones``)."""
    words = _TITLE.sub("", label).replace("’", "'").lower().split()
    if not words:
        return None
    initials = words[0].replace(".", "") if len(words) == 1 and label.isupper() and len(words[0]) <= 4 else None
    fitting = []
    for person in people:
        name = person.canonical or person.text
        tokens = name.replace("’", "'").lower().split()
        if tokens[-len(words):] == words or (initials and len(tokens) > 1 and "".join(t[0] for t in tokens) == initials):
            fitting.append(name.title() if name.isupper() else name)
    return max(fitting, key=lambda n: (len(n.split()), not n.isupper()), default=None)


def inside(turns: list[Turn], lo: int, hi: int) -> bool:
    """Whether ``lo:hi`` overlaps the paragraph of a turn (its label included, and a mark opening it)."""
    return any(lo < t.end and t.label_start - 2 < hi for t in turns)
