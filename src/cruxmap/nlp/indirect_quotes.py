"""Indirect speech: ``X said that …``, ``…, officials said``, ``according to X, …`` in sentences that hold no
direct quotation, with the span covering the reported content (``Quote.direct=False``)."""

from __future__ import annotations

import re

from ..model import Document
from .quote_marks import SentenceIndex, word_count
from .reported_clauses import content_start, speaker_may_follow
from .speaker_mentions import Cue, Speaker, find_cues
from .speaker_words import INDIRECT_CUES, PRONOUNS, ROLE_NOUNS, TIME_PHRASE_START
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
        speaker = according_source(finder, text, cue, lo + match.end(1))
        content_lo = lo + match.end()
        role = _APPOSITIVE.match(text, content_lo, body_hi)
        if role and speaker is not None and _is_described(speaker):
            # ``According to Ana Ruiz, a former port official who …, the tariff …``: the role is no content; after
            # ``according to recent polls,`` the same shape (``a majority of …,``) is the content's subject
            content_lo = role.end()
        if speaker and word_count(text[content_lo:body_hi]) >= 4:
            return content_lo, body_hi, speaker, cue
    found = _according_to_inside(finder, text, lo, body_hi)
    if found:
        return found
    found = _set_off_report(finder, text, lo, body_hi)
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


def _is_described(speaker: Speaker) -> bool:
    """A named person or organisation, or a phrase headed by a role noun (``the former aide``), may have its
    description set off after it; a document or a group of unnamed sources (``recent polls``) has none."""
    if speaker.role == "document":
        return False
    head = (speaker.role or "").lower().split()[-1:]
    return speaker.name is not None or (bool(head) and head[0] in ROLE_NOUNS)


#: ``according to plan``: the manner of an action, not a source
_NOT_A_SOURCE = frozenset({"plan", "plans", "schedule", "script", "tradition", "custom", "form", "expectations",
                           "design", "taste", "need", "size", "age", "rank"})
#: ``according to him``, ``according to that``: a pronoun, which names no source here
_NOT_A_SOURCE_START = frozenset({*PRONOUNS, "him", "her", "them", "us", "me", "that", "this", "which", "what"})
_NOUN_PHRASE = re.compile(r"(?:[\w’'.&/-]+\s+){0,7}[\w’'.&/-]+")


def according_source(finder: SpeakerFinder, text: str, cue: Cue, hi: int) -> Speaker | None:
    """The source after ``according to``: whatever noun phrase follows is the source by the grammar of the
    phrase (``according to exit polls``, ``according to federal statistics``, ``according to police``), so a
    phrase that names no person or organisation is still the speaker, as written; a manner (``according to
    plan``), a pronoun or a phrase of more than eight words is not."""
    speaker = finder.right_of(cue, hi)
    if speaker is not None:
        return speaker
    start = cue.end + len(text[cue.end : hi]) - len(text[cue.end : hi].lstrip())
    phrase = _NOUN_PHRASE.fullmatch(text, start, hi) if start < hi else None
    if phrase is None:
        return None
    words = phrase.group(0).lower().rstrip(".").split()
    if words[-1] in _NOT_A_SOURCE or words[0] in _NOT_A_SOURCE_START:
        return None
    return finder.role_phrase(phrase.group(0).rstrip("."), start, start + len(phrase.group(0).rstrip(".")))


#: ``…, according to the poll`` / ``The firm, according to its filing, lost …`` (not sentence-initial)
_ACCORDING = re.compile(r",\s+(according to)\s+([^,;:()“”\"]{2,80}?)\s*(?=,|$)", re.IGNORECASE)


def _according_to_inside(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple | None:
    """Reported content with ``according to X`` after it or set off inside it: the speaker is X (a
    person, an organisation, a document or a group), the content the rest of the sentence."""
    for m in _ACCORDING.finditer(text, lo, hi):
        cue = Cue(m.group(1), m.start(1), m.end(1))
        speaker = according_source(finder, text, cue, m.end(2))
        if speaker is None:
            continue
        if m.end(2) >= hi - 1 or _ROLE_TO_END.fullmatch(text, m.end(2), hi):
            content = (lo, m.start())  # at the end, or only the speaker's role after it: what comes before
        else:  # set off by commas inside the sentence: the content is the whole sentence
            content = (lo, hi)
        if word_count(text[content[0] : content[1]]) >= 4:
            return content[0], content[1], speaker, cue
    return None


#: what may follow a reporting clause set off by commas when the report ended before it: the role of a speaker
#: named after the verb (``…, said Ana Ruiz, a former port official``, ``…, said Ana Ruiz, co-founder of …``),
#: unless a verb shows that the report runs on (``The plan, said Ana Ruiz, will cost more.``) …
_RUNS_ON = re.compile(r"(?:will|would|is|are|was|were|has|have|had|can|could|should|may|might|must|does|did)\b")
#: … or the author's own clause of time, cause, contrast or manner (``…, officials said Friday, as they …``)
_ADJUNCT_AFTER = re.compile(
    r"(?:as|since|because|while|although|though|after|before|when|even as|even though|whereas|but|and|"
    r"in (?:a|an|his|her|their|its)\b|on|at|during|via|through|citing|adding|noting|calling|pointing|referring|"
    r"speaking|explaining|saying|arguing|insisting|warning|echoing|according)\b",
    re.IGNORECASE)
#: a reporting clause set off by commas: at most this many words (``top lawmakers said Friday afternoon``)
_SET_OFF_WORDS = 9


def _set_off_report(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple | None:
    """``The plan, officials said, will cost more.`` / ``The plan will cost more, officials said Friday, as …`` /
    ``…, said Ana Ruiz, a former port official.``: a short clause of speaker and reporting verb set off by
    commas inside the sentence. The content is what the clause interrupts (both sides), or what comes before
    it when the rest is the speaker's role or the author's own adjunct."""
    for cue in find_cues(text, lo, hi):
        word = cue.text.lower()
        if word not in INDIRECT_CUES or word.endswith("ing") or word == "according to":
            continue
        open_comma = text.rfind(",", lo, cue.start)
        close_comma = text.find(",", cue.end, hi)
        if open_comma < 0 or close_comma < 0 or word_count(text[lo:open_comma]) < 2:
            continue
        clause = text[open_comma + 1 : close_comma]
        if word_count(clause) > _SET_OFF_WORDS or re.search(r"[“”\"()]", clause):
            continue
        first = clause.split()[0].lower() if clause.split() else ""
        if first in ("who", "which", "that", "whom", "whose", "where", "when", "if", "as", "because"):
            continue  # ``Ana Ruiz, who said …,``: a relative or adverbial clause, not a reporting clause
        speaker = finder.left_of(open_comma + 1, cue)
        if speaker is None and not text[open_comma + 1 : cue.start].strip() and speaker_may_follow(cue):
            speaker = finder.right_of(cue, close_comma)
        if speaker is None or speaker.start <= open_comma:
            continue
        after = text[cue.end : close_comma].strip()
        if after and speaker.end <= cue.start and not TIME_PHRASE_START.fullmatch(after + " "):
            continue  # ``…, X said the plan, …``: the cue has an object of its own inside the commas
        rest = text[close_comma + 1 : hi].lstrip()
        named_after = speaker.start > cue.start  # ``…, said X, …``: what follows X's comma is mostly X's role
        if (named_after and not _RUNS_ON.match(rest)) or _ADJUNCT_AFTER.match(rest):
            content = (lo, open_comma)  # the report ended before the clause; what follows is the author's
        elif word_count(rest) >= 3:
            content = (lo, hi)  # the clause interrupts the report: it runs on after it
        else:
            continue
        if word_count(text[content[0] : content[1]]) >= 4:
            return content[0], content[1], speaker, cue
    return None
