"""The time a narrative offset counts from ("three days after the attack", "the next day").

HeidelTime resolves such offsets in its narrative mode against the last date mentioned before
them and SUTime against the document date; neither looks at the event an offset names. News
often dates that event somewhere else in the article ("the 2012 shooting at the school" …
"the day of the attack"), so :func:`story_time` tries, in order (after three demonstratives of their own:
"that August night" is the last August day the article gave before it, at any distance, and being a look
back it is no story time for the offsets after it; "that day" / "later that night" is the day the story last
told; "that October" is that month of the year the story last told: :mod:`cruxmap.nlp.date_demonstratives`):

1. **apposition** — a date standing right next to the offset, set off by a comma ("on Feb. 14, the
   day after the vote"; "The next day, May 30, …"; "in 1984, five years after the revolution") is the
   day the offset means: its value is that date's; so is a date earlier in the offset's own clause with no other
   clause between ("the minister spoke Tuesday in a talk just days after the vote": ``_clause_date``, tried after the
   event's own clause and "came/comes");
2. **the date in the named event's own clause** ("three weeks after the poisoning in November
   2006", "the day before the June 9 rally"); a month there yields to a day of that month that the
   article gives the same event elsewhere (step 3's match);
3. **the named event dated elsewhere** — for "N units after/before X" and "the day of X", the
   dated mention in another sentence whose nearby words best match X and the names of the
   offset's sentence, each word weighted by how rare it is in the article
   (:func:`cruxmap.nlp.date_named_event.named_event`);
4. **the nearest date before** in the same or the previous ``NARRATIVE_SENTENCES`` sentences
   (absolute or already resolved, so offsets chain), else the first date after it in its
   sentence; a year offset may count from a range ("the 1980s" … "ten years later" is the
   1990s); day, week and month offsets need a day- or month-precise time unless it is the
   time an earlier offset already set; where that date stands in an earlier sentence and no word near it is a word
   of the named event, while a mention up to ``FAR_SENTENCES`` before the offset carries one, that mention
   (``_event_told_elsewhere``: the nearest date is then another event's);
5. **the nearest week** ("last week") in the same window, when nothing above was found: the month that
   holds all its days, else its year (a day offset from a week cannot say which day it lands on);
6. **the writing time**, only for an offset that looks back ("days earlier", "the day before")
   and only when the publication date is known: with no story time in reach the story is the
   present of the report. An offset forward ("three years later") never counts from it;
7. **the last day or month the story gave**, up to ``FAR_SENTENCES`` sentences back, for an offset of
   hours, days or weeks only ("A few hours later" after paragraphs of quotes from Tuesday's meeting);
   what is dated so is no story time for the offsets after it.

A span that names its event ("in the days after the shooting") takes only step 2: on the pool the other steps
dated about half of such spans wrongly (the event's own date is rarely the nearest one). A page's stamp
("Updated 11:25 a.m. ET, 5/12/2015") and a year a prediction aims at ("by 2018 … would") are
never story time; hours count past midnight only from a time told with its hour (both in
:mod:`cruxmap.nlp.date_story`, which also reads a date as a time to count from).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .date_demonstratives import last_in_month, that_day, that_month
from .date_named_event import event_clause, named_event, names_event, shares_phrase
from .date_normalise import iso_week, normalise
from .date_story import (
    FAR_SENTENCES,
    NARRATIVE_SENTENCES,
    StoryContext,
    as_anchor,
    is_skipped,
    iso_at_precision,
    relabel,
    sentence_index,
)
from .date_tense import told_in_present
from .date_values import date_words
from .dates import Anchor

#: "DATE, the day after X", "DATE, or two years after X", "on Tuesday, just days after X": the offset restates the
#: date set off before it
_APPOSED = re.compile(r"^\s*(?:,|—|–|\s--?)\s*(?:or\s+)?(?:(?:just|only|barely|nearly|almost|about|roughly|some"
                      r"|more\s+than|less\s+than)\s+)*$", re.I)
#: "three days later on July 13", "a week later, in May 2011": the date joined to a "later"/"earlier" is its day
_JOINED_AFTER = re.compile(r"^\s*,?\s*(?:on|in)\s+$")
#: "came", "comes" right before an offset: the offset places the subject's own time against what it names
_COMES = re.compile(r"\b(?:come|comes|came)\s+(?:(?:just|only|almost|nearly|exactly|roughly|about|more\s+than|less\s+than"
                    r"|a\s+little|a\s+bit|little|well|shortly|some)\s+)*$", re.I)
#: what may stand before an offset that opens its sentence ("Just days after …", "And weeks before …")
_OPENS = re.compile(r"[\s“\"'‘]*(?:(?:just|only|barely|even|and|but|now|so)\s+)*", re.I)
#: a dateline or headline words before an offset that opens its sentence with a capital ("WASHINGTON — Days after",
#: "Washington One week after"): capitalised words alone, maybe a news agency in brackets and a dash
_DATELINE = re.compile(r"[\s“\"'‘]*(?:[A-Z][\w.'’-]*,?\s+){1,4}(?:\([A-Z][\w ]*\)\s*)?(?:[-—–]+\s*)?")
#: a preposition whose object the offset is ("until the month after X"): the offset then dates no clause
_GOVERNED = re.compile(r"\b(?:until|till|by|since|for|in|within|from|to|of|during|over|through)\s+$", re.I)
#: what starts another clause between a date and an offset after it ("in 2010, and five years after X"; "said Monday
#: that the law, passed two years after X"): the offset then dates that clause, not the date's
_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]\"“”]|\b(?:and|but|or|nor|that|which|who|whom|whose|when|while|whereas"
                           r"|because|although|though|if|unless|as|since|until|till|after|before|where|so|then|would|will)\b", re.I)
#: a date inside a subordinate clause ("The donor, who said she met him in 2006, received … days before X") is that
#: clause's time, not the time of the clause the offset ends
_SUBORDINATE = re.compile(r"\b(?:[Ww]hich|[Ww]ho|[Ww]hom|[Ww]hose|[Ww]hen|[Ww]hile|[Ww]hereas|[Bb]ecause|[Aa]lthough|[Tt]hough|[Ii]f"
                          r"|[Uu]nless|[Ww]here)\b")  # in words, not "the WHO"
#: an event's words after an offset ("days after the vote"), not a quotation or punctuation ("the night before 'candid'")
_EVENT_NEXT = re.compile(r"\s+[\w$]")
#: how far (characters) before an offset the date of its own clause may stand
_CLAUSE_REACH = 160
#: an article right before a weekday: the weekday names a noun's day ("a Friday vote", "the Friday deadline")
_NOUN_DAY = re.compile(r"\b(?:a|an|the)\s+[\"“]?$", re.I)
#: what ends an opening phrase ("Days after X and Y, MAIN")
_OPENING_END = re.compile(r"[,;:!?()\[\]—–]|\s-\s")


def story_time(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """The anchor narrative offset ``n`` counts from and, for apposition, the value it takes.

    Returns ``(anchor, value)``; ``value`` is None unless the offset simply names the date beside it.
    """
    here = ctx.where[n]
    if here is None:
        return None, None
    if ctx.exprs[n].pattern == "that_month":
        return last_in_month(ctx, n)
    if ctx.exprs[n].pattern == "that_day":
        return that_day(ctx, n)
    if ctx.exprs[n].pattern in ("that_month_only", "md_that_year"):
        return that_month(ctx, n)
    if (k := _apposed(ctx, n)) is not None and (anchor := as_anchor(ctx, k)) is not None:
        how = "the date joined to it" if _JOINED_AFTER.match(ctx.text[ctx.exprs[n].end : ctx.exprs[k].start]) else "in apposition to"
        return relabel(anchor, f"{how} {ctx.values[k]} (char {ctx.exprs[k].start})"), ctx.values[k]
    names_its_event = names_event(ctx, n)
    if names_its_event and (anchor := _following(ctx, n, clause_only=True)) is not None:
        if anchor.precision == "month" and (day := named_event(ctx, n, within=anchor)) is not None:
            return day, None  # "in November 2006" in the clause, "on Nov. 1, 2006" where the article tells it
        return anchor, None
    if names_its_event and ctx.exprs[n].span:
        return None, None  # "in the days after Brown's death": dated by the event's own clause or not at all
    if names_its_event and (comes := _comes(ctx, n)) is not None:
        return comes
    if names_its_event and (k := _clause_date(ctx, n)) is not None and (anchor := as_anchor(ctx, k)) is not None:
        label = f"the date of its own clause, {date_words(ctx.values[k], ctx.exprs[k].text)} (char {ctx.exprs[k].start})"
        return relabel(anchor, label), ctx.values[k]
    anchor, value = _nearest(ctx, n)
    if anchor is not None and names_its_event and (other := _event_told_elsewhere(ctx, n, anchor)) is not None:
        anchor, value = other, None  # "pleaded guilty in October. … two months after the London meeting": the meeting's May
    if anchor is not None:
        if names_its_event and _past_the_report(ctx, n, anchor) and (now := _told_now(ctx, n)) is not None:
            return now  # "he does deserve some peace, two decades after the crash": not two decades after the last date
        return anchor, value
    if names_its_event and (now := _told_now(ctx, n)) is not None:
        return now
    if names_its_event and (anchor := named_event(ctx, n)) is not None:
        return anchor, None
    if (week := _nearest_week(ctx, n)) is not None:
        return week
    if (ctx.exprs[n].offset < 0 or ctx.exprs[n].direction < 0) and ctx.published is not None:
        ctx.from_writing_time.add(n)
        return relabel(ctx.published, f"{ctx.published.label}, no story time before it"), None
    if (anchor := _last_told(ctx, n)) is not None:
        ctx.looks_back.add(n)  # a time reached that far is no story time for the offsets after it
        return anchor, None
    return None, None


def _last_told(ctx: StoryContext, n: int) -> Anchor | None:
    """For an offset of hours, days or weeks with no story time in reach ("A few hours later, the mayor
    spoke"): the last day or month the story gave, up to ``FAR_SENTENCES`` sentences back (named events
    such as "9/11", offsets counted from the writing time and looks back left out). News that tells a
    day's events names that day once ("on Tuesday") and then runs on for paragraphs of quotes. Year and
    month offsets ("four years later") are left undated: far back, the last date given is often not the
    time they count from (on the pool, a third of them fell in a wrong year)."""
    expr = ctx.exprs[n]
    if (expr.vague or expr.unit) not in ("day", "week"):
        return None
    here = sentence_index(ctx, n)
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > FAR_SENTENCES:
            break
        if is_skipped(ctx, k) or ctx.exprs[k].pattern == "named":
            continue
        if (anchor := as_anchor(ctx, k)) is not None and anchor.precision != "year":
            label = f"the last date the story gave, {here - there} sentences back: {date_words(ctx.values[k], ctx.exprs[k].text)} (char {ctx.exprs[k].start})"
            return relabel(anchor, label)
    return None


def _comes(ctx: StoryContext, n: int) -> tuple[Anchor, str] | None:
    """"The attack came two weeks after X", "His remarks come days after X": the offset says how far the
    sentence's own event lies from X, and that event is the story's time — the nearest day before it in the
    window (a bare year or month there is more often X's own date), else for "come(s)" in the present the
    publication date — not that time plus the offset. None where neither is there (the usual rules then)."""
    cue = _comes_cue(ctx, n)
    if cue is None:
        return None
    anchor = _own_sentence_time(ctx, n) or _nearest_day(ctx, n)
    if anchor is None and ctx.published is not None and not cue.group().lower().startswith("came"):
        anchor = ctx.published
    if anchor is None or anchor.bound is not None:
        return None
    label = f"{anchor.label}, the time of what comes {ctx.exprs[n].text.lower()} the event it names"
    return relabel(anchor, label), iso_at_precision(anchor)


def _clause_date(ctx: StoryContext, n: int) -> int | None:
    """"The minister hinted at the plan Tuesday in a talk just days after X", "The mayor on Monday defended the budget,
    replying a day after X": an offset that names its event and ends a clause whose own date stands before it, with no other clause
    between, places that date against the event; the offset restates the date (as one set off by a comma does) and
    is not counted on from it. None where another clause, a preposition governing the offset or a named event
    stands between."""
    expr = ctx.exprs[n]
    sentence = ctx.sentences[sentence_index(ctx, n)]
    if _GOVERNED.search(ctx.text, max(sentence.start, expr.start - 12), expr.start) or not _EVENT_NEXT.match(ctx.text, expr.end):
        return None
    for k in range(n - 1, -1, -1):
        other = ctx.exprs[k]
        if ctx.where[k] != ctx.where[n] or expr.start - other.end > _CLAUSE_REACH:
            return None
        if _CLAUSE_BREAK.search(ctx.text, other.end, expr.start):
            return None
        if other.kind == "narrative" or other.pattern == "named" or is_skipped(ctx, k):
            return None  # an offset or a named period ("after 9/11") between: the clause is not the date's own
        if other.kind in ("absolute", "yearless", "weekday", "relative") and ctx.values[k] is not None:
            segment = ctx.text.rfind(",", sentence.start, other.start) + 1 or sentence.start
            return None if _SUBORDINATE.search(ctx.text, segment, other.start) else k  # "who said … in 2006, received"
    return None


def _comes_cue(ctx: StoryContext, n: int) -> re.Match | None:
    """The "came"/"comes" before offset ``n``, or before the offset it is joined to by "and" ("It came a week
    after the meeting and a few days after the hearing": both place the same event)."""
    expr = ctx.exprs[n]
    cue = _COMES.search(ctx.text, max(0, expr.start - 40), expr.start)
    if cue is not None or n == 0:
        return cue
    before = ctx.exprs[n - 1]
    if before.kind != "narrative" or ctx.where[n - 1] != ctx.where[n] or not names_event(ctx, n - 1):
        return None
    between = ctx.text[before.end : expr.start]
    if not re.search(r"\s(?:and|or)\s+(?:(?:just|only|almost|nearly|about)\s+)*$", between) or re.search(r"[.;:!?]", between):
        return None
    return _comes_cue(ctx, n - 1)


def _told_now(ctx: StoryContext, n: int) -> tuple[Anchor, str] | None:
    """"Days after their victory, the leaders are …", "Schumer is facing a revolt just a month before …": an
    offset that names its event and dates a clause told in the present (a copula or a progressive) places the
    report's present against that event; with no story time in reach, that present is the publication date."""
    published = ctx.published
    if published is None or published.bound is not None or published.within_days:
        return None
    expr = ctx.exprs[n]
    sentence = ctx.sentences[sentence_index(ctx, n)]
    if _GOVERNED.search(ctx.text, max(sentence.start, expr.start - 12), expr.start):
        return None  # "until the month after the vote": the end of a span, not the clause's own time
    opens = _OPENS.fullmatch(ctx.text, sentence.start, expr.start) or _behind_dateline(ctx.text, sentence.start, expr.start)
    if opens:  # "Days after X and Y, MAIN": the clause after the comma that closes the opening phrase
        comma = _OPENING_END.search(ctx.text, expr.end, sentence.end)
        if comma is None or comma.group() != ",":
            return None
        present = told_in_present(ctx.text, comma.end(), sentence.end)
    else:  # "MAIN … days after X": the clause the offset ends
        present = told_in_present(ctx.text, sentence.start, expr.start, last=True)
    if not present:
        return None
    label = f"{published.label}, the present of a clause told in the present tense {expr.text.lower()} the event it names"
    return relabel(published, label), iso_at_precision(published)


def _own_sentence_time(ctx: StoryContext, n: int) -> Anchor | None:
    """"In May, the mayor moved the funds, a step that comes months after Y": a day or month told earlier in the
    offset's own sentence is the time of what comes after the event (named events and offsets left out)."""
    for k in range(n - 1, -1, -1):
        if ctx.where[k] != ctx.where[n]:
            return None
        other = ctx.exprs[k]
        if is_skipped(ctx, k) or other.pattern == "named" or other.kind == "narrative":
            continue
        if (anchor := as_anchor(ctx, k)) is not None and anchor.precision in ("day", "month"):
            return anchor
    return None


def _event_told_elsewhere(ctx: StoryContext, n: int, anchor: Anchor) -> Anchor | None:
    """The dated mention of the event offset ``n`` names, where the nearest date is another event's: that date stands
    in an earlier sentence and none of the words near it is a word of the event's phrase, while a dated mention told
    before the offset, at most ``FAR_SENTENCES`` back, carries such a word (:func:`named_event` with ``by_phrase``).
    Counting from the date in reach then counts from the wrong event."""
    k = _nearest_index(ctx, n)
    if k is None or ctx.where[k] == ctx.where[n] or as_anchor(ctx, k) != anchor or shares_phrase(ctx, n, k):
        return None
    other = named_event(ctx, n, by_phrase=True)
    if other is None or (other.when, other.precision) == (anchor.when, anchor.precision):
        return None
    return other


def _past_the_report(ctx: StoryContext, n: int, anchor: Anchor) -> bool:
    """True when offset ``n`` counted from ``anchor`` would start after the publication date (forward from a date in
    reach, or back from a coming event: "are facing a question just months before the 2014 midterms" in 2013): a
    clause told in the present then speaks of the report's own time, not of a time after it."""
    published, expr = ctx.published, ctx.exprs[n]
    if published is None or published.bound is not None:
        return False
    reached = normalise(expr, anchor)
    return reached is not None and reached[:1].isdigit() and reached[:10] > iso_at_precision(published)


def _behind_dateline(text: str, lo: int, start: int) -> bool:
    """True for an offset that opens its sentence behind a dateline or headline words: "WASHINGTON — Days after",
    "Washington One week after", and with an opening word of its own, "LONDON – Just weeks after" (the
    capital of the offset or of its first word ends the dateline)."""
    for line in _DATELINE.finditer(text, lo, start):
        if line.start() != lo:
            return False
        rest = _OPENS.fullmatch(text, line.end(), start)
        head = text[line.end() : line.end() + 1] if line.end() < start else text[start : start + 1]
        return rest is not None and head.isupper()
    return False


def _nearest_day(ctx: StoryContext, n: int) -> Anchor | None:
    """The nearest day-precise date before offset ``n`` within the window, named events and relative dates left out."""
    here = sentence_index(ctx, n)
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if is_skipped(ctx, k) or ctx.exprs[k].pattern == "named" or ctx.exprs[k].kind == "relative":
            continue  # a named event ("9/11") is what things come after, "today" the writing time: not the story's own day
        if (anchor := as_anchor(ctx, k)) is not None and anchor.precision == "day":
            return anchor
    return None


def _nearest_week(ctx: StoryContext, n: int) -> tuple[Anchor, str | None] | None:
    """The nearest ISO week ("last week") before offset ``n`` within the window, when no day, month or
    year is there to count from: the month that holds all its days, else its Thursday's year (a day
    offset from a week cannot say which day it lands on). A numbered week offset from it is a week too,
    and that week its value ("next week and the week after": the week after next)."""
    here = sentence_index(ctx, n)
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        week = re.match(r"^(\d{4})-W(\d{2})$", ctx.values[k] or "")
        if week is None or is_skipped(ctx, k):
            continue
        year, number = int(week.group(1)), int(week.group(2))
        monday, sunday = date.fromisocalendar(year, number, 1), date.fromisocalendar(year, number, 7)
        label = f"context: {ctx.values[k]} (char {ctx.exprs[k].start})"
        expr = ctx.exprs[n]
        moved = None
        if expr.unit == "week" and not expr.vague:
            moved = iso_week(monday + timedelta(weeks=expr.offset))
        if (monday.year, monday.month) == (sunday.year, sunday.month):
            return Anchor(date(monday.year, monday.month, 1), "month", f"{label}, within {monday:%Y-%m}"), moved
        thursday = date.fromisocalendar(year, number, 4)
        return Anchor(date(thursday.year, 1, 1), "year", f"{label}, within {thursday.year}"), moved
    return None


def _year_range(ctx: StoryContext, k: int) -> tuple[int, int] | None:
    value = ctx.values[k]
    m = re.match(r"^(\d{4})/(\d{4})$", value or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _shifted_range(ctx: StoryContext, n: int, k: int) -> str | None:
    """A year offset counted from a range of years: the range moved by the offset ("ten years later"
    than the 1980s is the 1990s), when the offset is at least as long as the range (the year after
    a war is not a war-long span)."""
    span = _year_range(ctx, k)
    expr = ctx.exprs[n]
    if span is None or expr.unit != "year" or abs(expr.offset) < span[1] - span[0]:
        return None
    return f"{span[0] + expr.offset:04d}/{span[1] + expr.offset:04d}"


def _apposed(ctx: StoryContext, n: int) -> int | None:
    """The dated expression set off from offset ``n`` by a comma or a dash alone, if it is a point in time."""
    expr = ctx.exprs[n]
    for k in (n - 1, n + 1):
        if not 0 <= k < len(ctx.exprs) or (ctx.exprs[k].kind == "narrative" and ctx.exprs[k].pattern not in ("that_month_only", "md_that_year")):
            continue  # "that October — eight months after X" restates the month it just dated
        other = ctx.exprs[k]
        between = ctx.text[other.end : expr.start] if k < n else ctx.text[expr.end : other.start]
        if as_anchor(ctx, k) is None:
            continue
        if _APPOSED.match(between) and (k > n or _restates(ctx, n, k)):
            return k
        if k > n and _JOINED_AFTER.match(between) and _joins_day(ctx, n, k):
            return k
    return None


def _joins_day(ctx: StoryContext, n: int, k: int) -> bool:
    """"three days later on July 13": a "later"/"earlier" offset followed by "on"/"in" and a date names that date
    as the day it reaches, where the date carries its own year or its day (a bare month after "in" may be the
    month of another year)."""
    expr, other = ctx.exprs[n], ctx.exprs[k]
    return expr.text.lower().endswith(("later", "earlier")) and (other.kind == "absolute" or other.day is not None)


def _restates(ctx: StoryContext, n: int, k: int) -> bool:
    """"DATE, the day after X" and "DATE, five years after X" restate the date before them: an offset that
    names its event places the date just given against that event. "DATE, two years later" is not that date."""
    expr = ctx.exprs[n]
    return expr.text.lower().startswith(("the ", "that ")) or expr.offset == 0 or names_event(ctx, n)


def _following(ctx: StoryContext, n: int, clause_only: bool) -> Anchor | None:
    """The first date after offset ``n`` in its sentence (with ``clause_only``: in the clause that
    names its event, where a weekday is the event's day too: "hours after the report was declassified Friday", but not
    one after an article, which names a noun's day that is often a coming one: "announced a Friday vote")."""
    here = ctx.where[n]
    limit = event_clause(ctx, n)[1] if clause_only else None
    for k in range(n + 1, len(ctx.exprs)):
        if ctx.where[k] != here or (limit is not None and ctx.exprs[k].start >= limit):
            break
        other = ctx.exprs[k]
        weekday = clause_only and other.kind == "weekday" and not _NOUN_DAY.search(ctx.text, max(0, other.start - 6), other.start)
        dated = other.kind in {"absolute", "yearless"} or other.pattern == "md_that_year" or weekday  # dated first
        if dated and k not in ctx.not_story and (anchor := as_anchor(ctx, k)) is not None:
            return anchor
    return None


def _nearest(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """The nearest date before offset ``n`` within the window, else the first after it in its sentence;
    with the value when a year offset moves a range.

    Counting days or weeks from a bare year says nothing (a "1991" two sentences back is history,
    not the story's day): those need a day- or month-precise time, or one an earlier offset set.
    """
    k = _nearest_index(ctx, n)
    if k is not None:
        if (moved := _shifted_range(ctx, n, k)) is not None and (span := _year_range(ctx, k)) is not None:
            first = span[0]
            return Anchor(date(first, 1, 1), "year", f"context: {ctx.values[k]} (char {ctx.exprs[k].start})"), moved
        return as_anchor(ctx, k), None
    fine = ctx.exprs[n].unit in ("day", "week", "month")
    anchor = _following(ctx, n, clause_only=False)
    return (anchor if anchor is not None and (not fine or anchor.precision != "year") else None), None


def _nearest_index(ctx: StoryContext, n: int) -> int | None:
    """The index of the nearest date before offset ``n`` within the window that it may count from (see :func:`_nearest`)."""
    here = sentence_index(ctx, n)
    fine = ctx.exprs[n].unit in ("day", "week", "month")
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if is_skipped(ctx, k):
            continue
        if _shifted_range(ctx, n, k) is not None and _year_range(ctx, k) is not None:
            return k
        anchor = as_anchor(ctx, k)
        if anchor is not None and (not fine or anchor.precision != "year" or ctx.exprs[k].kind == "narrative"):
            return k
    return None


