"""Indirect speech: ``X said that …``, ``…, officials said``, ``according to X, …`` in sentences that hold no
direct quotation, with the span covering the reported content (``Quote.direct=False``)."""

from __future__ import annotations

import re

from ..model import Document
from .quote_marks import SentenceIndex, word_count
from .reported_clauses import content_start, speaker_may_follow
from .speaker_mentions import Cue, find_cues
from .speaker_words import INDIRECT_CUES, ROLE_NOUNS
from .speakers import SpeakerFinder


def indirect_speech(doc: Document, finder: SpeakerFinder, taken: list[tuple[int, int]]) -> list[tuple]:
    """(start, end, speaker, cue) of reported speech in sentences that hold no direct quotation."""
    text = doc.source.text
    ctx = SentenceIndex(doc)
    out = []
    for lo, hi in ctx.sentences:
        if any(a < hi and lo < b for a, b in taken):
            continue
        found = _indirect_in_sentence(finder, text, lo, hi)
        if found:
            out.append(found)
    return out


#: a speaker's role set off by commas after the name (``a former port official who now advises the board,``)
_ROLE_OPENER = (r"(?:(?:a|an|one|who)\s|(?:the|its|his|her)\s+(?:[\w’'-]+\s+){0,4}?(?:"
                + "|".join(sorted(ROLE_NOUNS, key=len, reverse=True)) + r")\b)")
_APPOSITIVE = re.compile(_ROLE_OPENER + r"[^,;:“”\"]{0,120},\s*(?=\S)", re.IGNORECASE)
#: ``…, according to X, a former official who …`` to the sentence's end: the role describes X and is no content
_ROLE_TO_END = re.compile(r",\s*" + _ROLE_OPENER + r"[^;:“”\"]{0,200}", re.IGNORECASE)


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
        if speaker and word_count(text[content_lo:body_hi]) >= 4:
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
            if word_count(after) > 5 or (
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
            if speaker is None and not text[t_lo : cue.start].strip() and speaker_may_follow(cue):
                speaker = finder.right_of(cue, body_hi)
            if speaker and word_count(text[lo : lo + tail.start()]) >= 4:
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
        reported_lo = content_start(text, cue, body_hi)
        if reported_lo is not None and word_count(text[reported_lo:body_hi]) >= 4:
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
        if m.end(2) >= hi - 1 or _ROLE_TO_END.fullmatch(text, m.end(2), hi):
            content = (lo, m.start())  # at the end, or only the speaker's role after it: what comes before
        else:  # set off by commas inside the sentence: the content is the whole sentence
            content = (lo, hi)
        if word_count(text[content[0] : content[1]]) >= 4:
            return content[0], content[1], speaker, cue
    return None

