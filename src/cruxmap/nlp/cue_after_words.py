"""A quotation's speaker named after its words: ``“…,” she said`` / ``“…,” said X`` / ``“…,” the paper quoted X as
saying`` / ``“…,” smirked X`` / ``“…,” she chuckles`` / a closing ``…, she said`` / a credit line ``“…” — X, Outlet``.
"""

from __future__ import annotations

import re

from .cue_before_words import clause_subject
from .quote_marks import word_count
from .reported_clauses import (
    NAMING_CUES,
    speaker_may_follow,
)
from .speaker_mentions import Cue, Speaker, find_cues
from .speaker_words import (
    INDIRECT_CUES,
    LEADING_PARTICIPLES,
)
from .speakers import SpeakerFinder


def attribute_after(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
    """``“…,” he said`` / ``“…,” said X`` in ``text[lo:hi]`` (the text after the closing mark)."""
    trailer = text[lo:hi]
    stripped = trailer.lstrip(" ,.!?;—–-\u2009")
    offset = lo + len(trailer) - len(stripped)
    cues = find_cues(text, offset, hi)
    named = finder.by_start.get(offset) or finder.titled_name_at(offset, hi)
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
            if speaker is not None and named is not None and speaker.start == named.start:
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
                speaker_may_follow(cue) or cue.text.lower() in ("asked", "asks", "read", "reads", "ran", "runs")):
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


#: past tenses of verbs that may report words without the regular ending
IRREGULAR_PASTS = r"(?:began|spoke|swore|sang|shot\s+back|broke\s+in|went\s+on)"
#: a subject, then one verb in the present or past (and a particle), closing its clause right after the words
_SUBJECT_VERB = re.compile(r"(?P<who>he|she|they|we|I|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,2})\s+"
                           r"(?P<verb>[a-z]{3,}(?:s|ed)|" + IRREGULAR_PASTS + r")(?:\s+(?:out|back|up|in|on))?\s*(?=[.,;!?]|$)")
#: (an irregular past tense reports as well: ``“…,” she began.``)


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
    named = finder.by_start.get(clause.start("who"))
    return clause_subject(finder, clause, named if named is not None and named.end == clause.end("who") else None)


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


def attribute_dash(finder: SpeakerFinder, text: str, lo: int, hi: int) -> tuple[Speaker, Cue] | None:
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


#: a credit line's name: a person's (a capitalised first and last name), not a sentence that opens with a dash
_CREDITED = re.compile(r"[A-Z][a-z’'.\-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w’'\-]+){1,2},")
