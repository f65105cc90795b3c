"""Which way a bare weekday points, read from the tense of the clause that carries it.

"Lawmakers are voting on Tuesday" and "the summit opens Thursday" name the coming day; "the
senator said Tuesday he will vote" names the day just gone. The verb that governs the weekday
decides: the nearest verb group before it in its clause ("said Tuesday"), else, for a weekday
that opens its clause or is its subject ("On Tuesday, the House will vote", "Tuesday's election
will be"), the first one after it. A later clause ("… he will vote") never decides.

The verb groups are read by their form, not by a parser: a future modal or a future periphrasis
(``will``, ``is set to``, ``plans to``, ``scheduled``), the present progressive (``are voting``), a
present copula (``the deadline is Friday``) and the present simple of a verb of timetabled events
(``opens``, ``begins``, ``meets``) point forward; a simple past (``was``, ``voted``, ``took``) or a
perfect (``had collected``, ``has said``) back. Other present verbs (``says``, ``tells``) and
``would`` decide nothing, and the older cue words of :func:`cruxmap.nlp.events.speaks_of_future`
apply. A weekday inside a noun phrase ("in the wake of Sunday's flood", "the collapse late Tuesday
near the harbour is prompting …") takes no tense from the clause, and a photo caption's present
simple ("a delegate takes the stage Tuesday") describes the picture. See ``docs/dates.md``
(Session 20) for what the rule is worth on dated news.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

Tense = Literal["past", "future"]

#: verbs whose present simple tells a timetabled event ("the summit opens Thursday"), in the third person
_SCHEDULED = (
    r"opens|begins|starts|ends|closes|meets|votes|convenes|resumes|reconvenes|arrives|returns|departs|leaves|heads"
    r"|travels|visits|hosts|holds|faces|airs|kicks|launches|debuts|expires|takes|gets|hits|goes|comes|plays|wraps"
    r"|continues|concludes|testifies|appears|speaks|delivers|campaigns|rallies|marks"
)
_IRREGULAR_PAST = (
    r"was|were|had|did|went|left|told|said|came|took|made|found|saw|met|gave|began|won|lost|held|ran|spoke|wrote|sent"
    r"|brought|thought|felt|kept|led|fell|rose|paid|sold|stood|struck|hit|put|set|cut|broke|chose|drove|flew|grew"
    r"|knew|became|heard|meant|quit|shot|slept|sought|taught|threw|understood|woke|wore|got|fought|withdrew|swore"
    r"|drew|bought|caught|spent|stole|stuck|swept|tore|rode|sang|sank|shook|forgot|froze|hid|bent|bound|fled|dealt"
)
_PERFECT_AUX = r"had|has|have|having|(?<=['’])d"
#: a past participle after a perfect auxiliary
_PARTICIPLE = (r"been|done|gone|seen|given|taken|spoken|written|known|shown|[a-z]{2,}ed"
               r"|told|said|made|found|met|held|won|lost|left|sent|brought|kept|led|paid")
#: words ending in ``-ed`` that are no past verbs, and words ending in ``-ing`` that are no participles
_NOT_VERB = r"need|indeed|speed|seed|feed|breed|greed|deed|hundred|sacred|naked|wicked|kindred|rugged|ragged|beloved"
_NOT_PROGRESSIVE = r"morning|evening|during|nothing|something|anything|everything|thing|king|ceiling|building"
#: one verb group, by the form of its head; the named groups say which way it points
_VERB_GROUP = re.compile(
    r"\b(?:"
    r"(?P<future>will|shall|won['’]t|(?<=['’])ll|is\s+to|are\s+to|am\s+to|(?:is|are|'s|’s|'re|’re)\s+going\s+to"
    r"|(?:is|are|was|were)\s+(?:set\s+(?:to|for)|due|slated|scheduled|expected)\b|set\s+to|slated|scheduled|plans?\s+to|planning\s+to"
    r"|expected\s+to|poised\s+to|about\s+to|upcoming|(?:hopes?|hoping|aims?|aiming|intends?|intending|wants?|expects?)\s+to)"
    r"|(?P<progressive>(?:is|are|am|(?<=['’])re)\s+(?:(?:now|also|still|again)\s+)?(?!(?:" + _NOT_PROGRESSIVE + r")\b)"
    r"[a-z]{2,}ing)"
    r"|(?P<perfect>(?:" + _PERFECT_AUX + r")\s+(?:(?:also|already|just|not|since|previously|repeatedly)\s+)?"
    r"(?:" + _PARTICIPLE + r"))"
    r"|(?P<copula>is|are)"
    r"|(?P<scheduled>" + _SCHEDULED + r")"
    r"|(?P<undecided>would|could|might|may|says|tells|adds|notes|writes|argues|insists|explains|claims|warns|reports)"
    r"|(?P<past>" + _IRREGULAR_PAST + r"|(?<!-)(?!(?:" + _NOT_VERB + r")\b)[a-z]{2,}ed)"
    r")\b"
)
#: a verb of a present state in the present simple ("appear to be", "seems to", "remains"): like a copula, it tells
#: the report's present
_PRESENT_STATE = re.compile(r"\b(?:appears?\s+to|seems?\s+to|remains|continues\s+to"
                            r"|(?:does|doesn['’]t|don['’]t)\s+(?:not\s+)?(?:\w+ly\s+)?"  # "she does deserve", "it doesn't matter"
                            r"(?!(?:the|an?|it|this|that|so|his|her|their|its|what|more|much|well)\b)[a-z]{3,})\b")
#: a determiner or possessive before an ``-ed`` word makes it an adjective ("the planned vote", "her reported remarks")
_DETERMINER = re.compile(r"\b(?:the|a|an|this|that|these|those|its|his|her|their|our|my|your)\s+$", re.I)
#: a past participle after these is passive or perfect, not a past verb of its own
_AUXILIARY = re.compile(
    r"\b(?:(?:is|are|am|be|been|being|get|gets|got)\s+(?:\w+ly\s+)?|(?:have|has|had|get|got)\s+(?:it|them|him|her)\s+)$", re.I)
#: what ends a clause for this reading: strong punctuation, quotation marks, a coordinating or subordinating word
_CLAUSE_EDGE = re.compile(
    r"[;:()\[\]—–“”\"]|\s-\s|,\s+(?:and|but|while|whereas|although|as|because|after|before|when|which|who|where)\b"
    r"|\b(?:that|because|after|before|when|while|until|unless|although|whether|if)\b",
    re.I,
)
#: a weekday's own noun phrase that calls it a plan ("Saturday's scheduled march", "Tuesday's upcoming vote"):
#: the plan decides, whatever the tense of the clause around it
_POSSESSIVE_PLAN = re.compile(r"\s*['’]s\s+(?:[a-z-]+\s+){0,2}?(?:scheduled|planned|upcoming|expected|slated|coming)\b")
#: a deadline with what must be done by it ("until Thursday to file", "by Friday to decide")
_DEADLINE = re.compile(r"\b(?:until|till|by)\s+$", re.I)
_INFINITIVE = re.compile(r"(?:\s+(?:morning|afternoon|evening|night))?\s+to\s+[a-z]")
#: what may stand between a weekday and the verb right after it ("on Tuesday night ruled")
_TIME_OF_DAY = re.compile(r"(?:\s+(?:morning|afternoon|evening|night))?\s*")
_POSSESSIVE = re.compile(r"['’]s\b")
#: an ``-s`` word is a plural noun after a determiner, a preposition or a participle ("the votes", "holding
#: rallies"), or a word after a preposition ("in House votes"); "The Senate votes" keeps its verb
_DET = r"the|a|an|its|his|her|their|our|two|three|four|many|several|more|most|such"
_PREP = r"in|of|on|for|with|after|before|during|from|at|to|by|about|over|into|amid"
_NOUN_BEFORE = re.compile(
    rf"\b(?:(?:{_DET}|{_PREP}|[a-z]+ing|[a-z]+ed)\s+|(?:{_PREP}|[a-z]+ing)\s+[\w’'-]+\s+)$", re.I)
#: the marks of a photo caption or gallery near a sentence, and how far from it (characters) they count
_CAPTION = re.compile(r"\bHide Caption\b|\bPhotos?:|\((?:AP|Reuters|AFP) Photo\b|\bGetty Images\b|\bcaption\b", re.I)
CAPTION_REACH = 120
COPULA_REACH = 30
#: a weekday that modifies a noun ("a Thursday vote", "Friday's deadline") …
_ATTRIBUTIVE = re.compile(r"\b(?:a|an|the|this|that)\s+$", re.I)
#: … whose noun phrase then nears, approaches or looms ("As the Thursday vote neared"): what nears lies ahead of
#: the time told, whatever the tense that tells it
_APPROACHED = re.compile(
    r"(?:['’]s)?(?:\s+[\w-]+){1,3}?(?:\s+(?:in|of|on|at|for|over)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?"
    r"\s+(?:neared|nears|nearing|approached|approaches|approaching|loomed|looms|looming|drew\s+(?:near|closer)"
    r"|draws\s+(?:near|closer))\b")
#: "would" after a past reporting verb in its sentence tells the future of the past ("said the House would vote
#: Friday"): news reports it while the event is still ahead or under way; "would have" and a reporting verb in the
#: pluperfect ("had hoped his name would be called Tuesday") look back
_REPORTED = re.compile(
    r"\b(?<!had\s)(?:said|told|announced|reported|wrote|added|indicated|confirmed|predicted|promised|pledged|vowed"
    r"|warned|expected|insisted|explained|suggested|signal(?:l)?ed|noted|stated|decided|agreed)\b")
#: "would have" looks back; "would not" tells what was called off or refused, which may lie on either side
_WOULD_HAVE = re.compile(r"\s+(?:have|not)\b|n['’]t\b")
_PLUPERFECT = re.compile(r"\b(?:had|['’]d)\s+(?:\w+ly\s+)?\w+(?:ed|en|ought|own)\b")
REPORTED_REACH = 120
#: how far from the weekday (characters) a governing verb may stand
VERB_BEFORE, VERB_AFTER = 80, 60


def clause_tense(text: str, start: int, end: int, lo: int, hi: int) -> Tense | None:
    """The tense of the verb that governs the date at ``text[start:end]`` inside the sentence ``text[lo:hi]``:
    "past", "future", or None when no verb group of a known direction governs it."""
    left_lo = max(lo, start - VERB_BEFORE)
    left = text[left_lo:start]
    # "until", "before", "after" right before the date are its preposition, not the start of its clause
    edges = [m for m in _CLAUSE_EDGE.finditer(left) if left[m.end() :].strip() or not m.group(0).isalpha()]
    if edges:
        left_lo += edges[-1].end()
    clause_lo = left_lo if edges else lo
    own = _POSSESSIVE_PLAN.match(text, end)
    if own is not None and own.end() <= hi:
        return "future"
    near = _APPROACHED.match(text, end)
    if near is not None and near.end() <= hi and (_ATTRIBUTIVE.search(text, max(lo, start - 6), start)
                                                  or _POSSESSIVE.match(text, end)):
        return "future"
    if _POSSESSIVE.match(text, end) and not _opens_clause(text, clause_lo, start, article=False):
        return None  # "in the wake of Sunday's massacre": a noun's time, which the clause's verb does not set
    if _DEADLINE.search(text, max(lo, start - 8), start) and _INFINITIVE.match(text, end, hi):
        return "future"  # "gave the parties until Thursday to file": a deadline, ahead whatever the tense
    caption = _CAPTION.search(text, max(0, lo - CAPTION_REACH), min(len(text), hi + CAPTION_REACH)) is not None
    groups = list(_verb_groups(text, left_lo, start, caption, start, lo))
    if groups:
        return groups[-1]
    right_hi = min(hi, end + VERB_AFTER)
    if not _opens_clause(text, clause_lo, start):
        # "The court on Thursday ruled …": a verb right after the date is the clause's; any further ("The
        # collapse late Tuesday near the pier is prompting …") belongs to a noun the date is part of
        gap = _TIME_OF_DAY.match(text, end)
        right_hi = min(right_hi, gap.end() if gap else end)
        verb = _VERB_GROUP.match(text, right_hi)
        if verb is None:
            return None
        right_hi = verb.end()
    for tense in _verb_groups(text, end, right_hi, caption, start):
        return tense
    return None


def told_in_present(text: str, lo: int, hi: int, last: bool = False) -> bool:
    """True when the first (with ``last``: the last) verb group in ``text[lo:hi]`` is a present copula or a
    present progressive ("the leaders are still divided", "the party is weighing", "she is set to"): the
    clause tells the report's present, not a past or a coming time."""
    groups = list(_VERB_GROUP.finditer(text, lo, hi))
    states = list(_PRESENT_STATE.finditer(text, lo, hi))
    if not groups and not states:
        return False
    if states and (not groups or (states[-1].start() > groups[-1].start() if last else states[0].start() < groups[0].start())):
        return True  # "both states appear to be …", "the outcome remains unclear"
    m = groups[-1] if last else groups[0]
    return bool(m.group("progressive") or m.group("copula") or re.match(r"(?:is|are)\s", m.group(0)))


def _future_of_report(text: str, sentence_lo: int, would_start: int, would_end: int) -> bool:
    """True for a "would" that a past reporting verb before it in its sentence governs, with no pluperfect between
    them ("said … who had hoped his name would be called") and no "have" or "not" after it."""
    if _WOULD_HAVE.match(text, would_end):
        return False
    reports = list(_REPORTED.finditer(text, max(sentence_lo, would_start - REPORTED_REACH), would_start))
    return bool(reports) and _PLUPERFECT.search(text, reports[-1].end(), would_start) is None


def _opens_clause(text: str, lo: int, start: int, article: bool = True) -> bool:
    """True when nothing but a preposition or a linking word stands between the sentence start and the date
    ("On Tuesday, …", "Tuesday's vote …"): the verb after it, across a comma, is the clause's. Without
    ``article`` no preposition may stand there: "Tuesday's vote will …" is the subject, "On Tuesday's
    evidence, it appears …" is not."""
    lead = r"on|by|late|early|and|but|then|so|[a-z]+ing\s+on" if article else r"and|but|then|so"
    return re.fullmatch(rf"[\s“\"'‘]*(?:[A-Z][a-z]+,\s+)?(?:(?:{lead})\s+)?", text[lo:start], re.I) is not None


def _verb_groups(text: str, lo: int, hi: int, caption: bool = False, start: int | None = None,
                 sentence_lo: int | None = None) -> Iterator[Tense | None]:
    """The directions of the verb groups in ``text[lo:hi]``, in order (None for one that decides nothing).
    In a photo caption the present simple and the copula tell what the picture shows, not a timetable. A
    copula points ahead only where the date is what it links to: before the date (at ``start``), at most
    ``COPULA_REACH`` characters from it ("the vote is Tuesday", "up for re-election on Tuesday")."""
    start = hi if start is None else start
    for m in _VERB_GROUP.finditer(text, lo, hi):
        word = m.group(0)
        if m.group("scheduled") and (caption or _NOUN_BEFORE.search(text, max(lo, m.start() - 24), m.start())):
            yield None  # "in House votes on Friday": a plural noun; a caption's "takes the stage Tuesday"
            continue
        if m.group("past") and word not in ("was", "were", "had", "did"):
            if _AUXILIARY.search(text, max(lo, m.start() - 20), m.start()):
                continue  # "is expected", "to be held": a participle
            if word.endswith("ed") and not re.fullmatch(_IRREGULAR_PAST, word) and _DETERMINER.search(
                    text, max(lo, m.start() - 8), m.start()):
                continue
        if word == "would" and sentence_lo is not None and _future_of_report(text, sentence_lo, m.start(), m.end()):
            yield "future"  # the future of a past report
            continue
        if m.group("copula") and (caption or m.start() > start or start - m.end() > COPULA_REACH):
            yield None  # "Here are the lessons coming out of Tuesday", "Tuesday's deal is similar"
        elif m.group("future") or m.group("progressive") or m.group("scheduled") or m.group("copula"):
            yield "future"
        elif m.group("past") or m.group("perfect"):
            yield "past"
        else:
            yield None
