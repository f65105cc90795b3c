"""The time a narrative offset counts from ("three days after the attack", "the next day").

HeidelTime resolves such offsets in its narrative mode against the last date mentioned before
them and SUTime against the document date; neither looks at the event an offset names. News
often dates that event somewhere else in the article ("the 2012 shooting at the school" …
"the day of the attack"), so :func:`story_time` tries, in order (after three demonstratives of their own:
"that August night" is the last August day the article gave before it, at any distance, and being a look
back it is no story time for the offsets after it; "that day" / "later that night" is the day the story last
told (:func:`_that_day`); "that October" is that month of the year the story last told (:func:`_that_month`)):

1. **apposition** — a date standing right next to the offset, set off by a comma ("on Feb. 14, the
   day after the vote"; "The next day, May 30, …"; "in 1984, five years after the revolution") is the
   day the offset means: its value is that date's;
2. **the date in the named event's own clause** ("three weeks after the poisoning in November
   2006", "the day before the June 9 rally"); a month there yields to a day of that month that the
   article gives the same event elsewhere (step 3's match);
3. **the named event dated elsewhere** — for "N units after/before X" and "the day of X", the
   dated mention in another sentence whose nearby words best match X and the names of the
   offset's sentence, each word weighted by how rare it is in the article (``EVENT_MIN_SCORE``);
4. **the nearest date before** in the same or the previous ``NARRATIVE_SENTENCES`` sentences
   (absolute or already resolved, so offsets chain), else the first date after it in its
   sentence; a year offset may count from a range ("the 1980s" … "ten years later" is the
   1990s); day, week and month offsets need a day- or month-precise time unless it is the
   time an earlier offset already set;
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
never story time (:func:`not_story_times`); hours count past midnight only from a time told with its hour
(:func:`_told_hour`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .date_normalise import iso_week
from .date_tense import told_in_present
from .date_values import bound_ends, date_words
from .dates import PRECISIONS, Anchor, Bound, DateExpr

#: how many sentences back the time a narrative offset counts from may stand
NARRATIVE_SENTENCES = 3
#: how many sentences back an offset of hours, days or weeks may find the last date the story gave when
#: nothing nearer dates it; chosen on the random narrative sample (12 and any distance scored alike there, 8 lower)
FAR_SENTENCES = 12
#: how far from a dated mention its words still describe what it dates (characters, own sentence)
EVENT_WINDOW = 100
#: least score of a named event's dated mention to be the offset's time: each shared word adds its
#: rarity, 1 / (sentences of the article holding it), twice for a word of the event's own phrase
#: ("her release") and once for a name elsewhere in the offset's sentence; chosen on the dev split
#: of the labelled relative set (a word of the phrase in up to six sentences is enough)
EVENT_MIN_SCORE = 0.3

#: "DATE, the day after X", "DATE, or two years after X", "on Tuesday, just days after X": the offset restates the
#: date set off before it
_APPOSED = re.compile(r"^\s*(?:,|—|–|\s--?)\s*(?:or\s+)?(?:(?:just|only|barely|nearly|almost|about|roughly|some"
                      r"|more\s+than|less\s+than)\s+)*$", re.I)
#: "three days later on July 13", "a week later, in May 2011": the date joined to a "later"/"earlier" is its day
_JOINED_AFTER = re.compile(r"^\s*,?\s*(?:on|in)\s+$")
#: a page's own stamp ("Updated 11:25 a.m. ET, 5/12/2015", "Published on Aug 2, 2016"): the writing time of
#: the page, never the time a story's offsets count from (capitalised: a stamp opens its line or follows page furniture)
_STAMP = re.compile(r"\b(?:Updated|UPDATED|Last\s+updated|Posted|Published)\b:?\s[^\n]{0,40}$")
#: "by 2018 … would": a year something is predicted or aimed to reach by is no time the story has reached
_BY_TARGET = re.compile(r"\bby\s+(?:(?:the\s+)?(?:end|middle|start)\s+of\s+|early\s+|late\s+|mid-?)?$", re.I)
_PREDICTS = re.compile(r"\b(?:predict|forecast|project|expect|estimat)\w*\b", re.I)
_MODAL_AFTER = re.compile(r"^[^.;:!?]{0,60}?\b(?:would|will|could|might)\b", re.I)
#: a clock time right after a date ("Tuesday at 9 p.m.", "May 4, 2021, at 8:30 a.m.") or right before it
_CLOCK = r"(?P<h>1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?P<pm>[AaPp])\.?[Mm]\.?"
_CLOCK_AFTER = re.compile(rf"\s*,?\s*(?:at\s+(?:about\s+|around\s+)?)?{_CLOCK}(?!\w)")
_CLOCK_BEFORE = re.compile(rf"\bat\s+(?:about\s+|around\s+)?{_CLOCK}\s*(?:[A-Z]T\s*)?,?\s*(?:on\s+)?$")
#: the hour a part of the day stands for, to count hours from
_PART_HOURS = {"morning": 9, "afternoon": 15, "evening": 19, "night": 22}
#: a part of the day told with a date ("the night of Nov. 24", "on the evening of March 3")
_PART_BEFORE = re.compile(r"\b(night|morning|afternoon|evening),?\s+$")
_PART_OF = re.compile(r"\b(?P<part>night|morning|afternoon|evening)\s+of\s+$")
#: "came", "comes" right before an offset: the offset places the subject's own time against what it names
_COMES = re.compile(r"\b(?:come|comes|came)\s+(?:(?:just|only|almost|nearly|exactly|roughly|about|more\s+than|less\s+than)\s+)*$", re.I)
#: where the named event's clause ends
#: what may stand before an offset that opens its sentence ("Just days after …", "And weeks before …")
_OPENS = re.compile(r"[\s“\"'‘]*(?:(?:just|only|barely|even|and|but|now|so)\s+)*", re.I)
#: a dateline or headline words before an offset that opens its sentence with a capital ("WASHINGTON — Days after",
#: "Washington One week after"): capitalised words alone, maybe a news agency in brackets and a dash
_DATELINE = re.compile(r"[\s“\"'‘]*(?:[A-Z][\w.'’-]*,?\s+){1,4}(?:\([A-Z][\w ]*\)\s*)?(?:[-—–]+\s*)?")
#: a preposition whose object the offset is ("until the month after X"): the offset then dates no clause
_GOVERNED = re.compile(r"\b(?:until|till|by|since|for|in|within|from|to|of|during|over|through)\s+$", re.I)
#: what ends an opening phrase ("Days after X and Y, MAIN")
_OPENING_END = re.compile(r"[,;:!?()\[\]—–]|\s-\s")
_CLAUSE_END = re.compile(r"[,;:!?()\[\]—–]|\s-\s|\s(?:and|but|while|when|as|so)\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = frozenset(
    "the a an of to in on at by for from with and or but that this these those his her its their our your my "
    "he she it they we you i him them us was were is are be been being had has have do did does not no "
    "who whom which what when where while than then there here also just only very more most some any all "
    "would could should will shall may might must can into onto about over under after before during "
    "day days week weeks month months year years time said says say told mr mrs ms dr".split()
)


@dataclass(frozen=True)
class StoryContext:
    """What :func:`story_time` reads: the article, its date expressions and their values so far."""

    text: str
    exprs: Sequence[DateExpr]
    values: list[str | None]
    where: Sequence[int | None]
    sentences: Sequence  # spans with .start/.end
    published: Anchor | None
    #: offsets counted from the writing time: the report's present, no story time for the next ones
    from_writing_time: set[int] = field(default_factory=set)
    #: references back to a time told far before ("that August night"): no story time for the next ones
    looks_back: set[int] = field(default_factory=set)
    #: a page's stamps and the years a prediction aims at: never story time (:func:`not_story_times`)
    not_story: frozenset[int] = frozenset()


def story_time(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """The anchor narrative offset ``n`` counts from and, for apposition, the value it takes.

    Returns ``(anchor, value)``; ``value`` is None unless the offset simply names the date beside it.
    """
    here = ctx.where[n]
    if here is None:
        return None, None
    if ctx.exprs[n].pattern == "that_month":
        return _last_in_month(ctx, n)
    if ctx.exprs[n].pattern == "that_day":
        return _that_day(ctx, n)
    if ctx.exprs[n].pattern == "that_month_only":
        return _that_month(ctx, n)
    if (k := _apposed(ctx, n)) is not None and (anchor := _point(ctx, k)) is not None:
        how = "the date joined to it" if _JOINED_AFTER.match(ctx.text[ctx.exprs[n].end : ctx.exprs[k].start]) else "in apposition to"
        return _relabel(anchor, f"{how} {ctx.values[k]} (char {ctx.exprs[k].start})"), ctx.values[k]
    names_event = _names_event(ctx, n)
    if names_event and (anchor := _following(ctx, n, clause_only=True)) is not None:
        if anchor.precision == "month" and (day := _named_event(ctx, n, within=anchor)) is not None:
            return day, None  # "in November 2006" in the clause, "on Nov. 1, 2006" where the article tells it
        return anchor, None
    if names_event and ctx.exprs[n].span:
        return None, None  # "in the days after Brown's death": dated by the event's own clause or not at all
    if names_event and (comes := _comes(ctx, n)) is not None:
        return comes
    anchor, value = _nearest(ctx, n)
    if anchor is not None:
        return anchor, value
    if names_event and (now := _told_now(ctx, n)) is not None:
        return now
    if names_event and (anchor := _named_event(ctx, n)) is not None:
        return anchor, None
    if (week := _nearest_week(ctx, n)) is not None:
        return week
    if (ctx.exprs[n].offset < 0 or ctx.exprs[n].direction < 0) and ctx.published is not None:
        ctx.from_writing_time.add(n)
        return _relabel(ctx.published, f"{ctx.published.label}, no story time before it"), None
    if (anchor := _last_told(ctx, n)) is not None:
        ctx.looks_back.add(n)  # a time reached that far is no story time for the offsets after it
        return anchor, None
    return None, None


def _skipped(ctx: StoryContext, k: int) -> bool:
    """True for a date that is no story time: counted from the writing time, a look back, a stamp or a target."""
    return k in ctx.from_writing_time or k in ctx.looks_back or k in ctx.not_story


def not_story_times(text: str, exprs: Sequence[DateExpr], sentences: Sequence) -> frozenset[int]:
    """Dates that no offset counts from: a page's stamp ("Updated 11:25 a.m. ET, 5/12/2015":
    the writing time, not the story's; "One year after the shooting" below it is not a year after the stamp),
    and a year a prediction aims at ("by 2018" with "would"/"will" after it in its clause or "predicted",
    "expected" before it in its sentence: "predicted that by 2018 the costs would double", where "12 years later"
    in the next sentence is not 2030; "by November, the court had ruled" stays story time)."""
    out = set()
    for k, expr in enumerate(exprs):
        if _STAMP.search(text, max(0, expr.start - 60), expr.start):
            out.add(k)
        elif _BY_TARGET.search(text, max(0, expr.start - 24), expr.start):
            sentence = next((s for s in sentences if s.start <= expr.start < s.end), None)
            if sentence is not None and (_MODAL_AFTER.match(text, expr.end, sentence.end)
                                         or _PREDICTS.search(text, sentence.start, expr.start)):
                out.add(k)
    return frozenset(out)


def _that_day(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """"that day", "later that night", "earlier that morning": the day the story just told. A night, morning,
    afternoon or evening is first the last one told as such: "on the night of Nov. 24" at any distance (like
    "that August night"), "Tuesday night" within ``NARRATIVE_SENTENCES``, or within ``FAR_SENTENCES`` when no
    other date lies between. Otherwise (and for "that day") it is the story's last date in that window ("killed
    early Friday morning … captured that night"), and only when that date is a day or a month ("in August 2011,
    when she won the poll … that day": the month holds it) and not a deictic day ("we may meet again tomorrow;
    nobody can say when that day comes"): a year or another day told in between means the phrase points further
    back than the text shows (the session 17 pool: a third wrong without that check). Quoted speech itself is
    left out when the expression is found (:func:`cruxmap.nlp.dates.find_date_expressions`)."""
    expr = ctx.exprs[n]
    part = expr.text.split()[-1].lower()
    here = _sentence(ctx, n)
    if part != "day":
        for k in range(n - 1, -1, -1):
            other, there = ctx.exprs[k], ctx.where[k]
            if other.kind == "narrative" or there is None or _skipped(ctx, k):
                continue
            told = _part_of_day(ctx, k)
            # "Monday night" three sentences back, or further when no other date lies between (paragraphs of quotes)
            reach = FAR_SENTENCES if all(ctx.values[j] is None for j in range(k + 1, n)) else NARRATIVE_SENTENCES
            near = told == (part, False) and here - there <= reach
            if (told == (part, True) or near) and (anchor := _point(ctx, k)) is not None and anchor.precision == "day":
                return _relabel(anchor, f"the last {part} the story told: {ctx.values[k]} (char {other.start})"), ctx.values[k]
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if ctx.values[k] is None or _skipped(ctx, k):
            continue
        anchor, other = _point(ctx, k), ctx.exprs[k]
        if anchor is None or anchor.precision == "year" or anchor.bound is not None or other.pattern == "named" or other.kind == "relative":
            return None, None
        # a month told last ("peaked in August 2011, when she won the poll … that day") holds the day, whichever it is
        return _relabel(anchor, f"the {anchor.precision} the story last told: {ctx.values[k]} (char {other.start})"), ctx.values[k]
    return None, None


def _that_month(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """"that October": that month of the year the story last told, the nearest dated time before it in the
    window ("was arrested in 2015 … and indicted that October" is 2015-10); none when no year is in reach or the
    nearest time is counted from the writing time ("last year")."""
    expr, here = ctx.exprs[n], _sentence(ctx, n)
    assert expr.month is not None, expr
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if _skipped(ctx, k) or ctx.exprs[k].pattern == "named" or (anchor := _point(ctx, k)) is None or anchor.bound is not None:
            continue
        if ctx.exprs[k].kind == "relative":
            return None, None  # "reports last year … that January": the year of the writing time, not the story's
        label = f"the year the story last told: {ctx.values[k]} (char {ctx.exprs[k].start})"
        return _relabel(replace(anchor, precision="year"), label), f"{anchor.when.year:04d}-{expr.month:02d}"
    return None, None


def _part_of_day(ctx: StoryContext, k: int) -> tuple[str, bool] | None:
    """The part of the day date ``k`` is told with, and whether in the explicit "the night of DATE" form:
    ("night", True) for "the night of Nov. 24", ("night", False) for "Tuesday night", "last night", "Tuesday
    night, March 7"."""
    other = ctx.exprs[k]
    if (m := _PART_OF.search(ctx.text, max(0, other.start - 24), other.start)) is not None:
        return m.group("part").lower(), True
    last = other.text.split()[-1].lower()
    if last in ("night", "morning", "afternoon", "evening"):
        return last, False
    if (m := _PART_BEFORE.search(ctx.text, max(0, other.start - 12), other.start)) is not None:
        return m.group(1).lower(), False  # "Tuesday evening, March 7"
    return None


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
    here = _sentence(ctx, n)
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > FAR_SENTENCES:
            break
        if _skipped(ctx, k) or ctx.exprs[k].pattern == "named":
            continue
        if (anchor := _point(ctx, k)) is not None and anchor.precision != "year":
            label = f"the last date the story gave, {here - there} sentences back: {date_words(ctx.values[k], ctx.exprs[k].text)} (char {ctx.exprs[k].start})"
            return _relabel(anchor, label)
    return None


def _comes(ctx: StoryContext, n: int) -> tuple[Anchor, str] | None:
    """"The attack came two weeks after X", "His remarks come days after X": the offset says how far the
    sentence's own event lies from X, and that event is the story's time — the nearest day before it in the
    window (a bare year or month there is more often X's own date), else for "come(s)" in the present the
    publication date — not that time plus the offset. None where neither is there (the usual rules then)."""
    cue = _comes_cue(ctx, n)
    if cue is None:
        return None
    anchor = _nearest_day(ctx, n)
    if anchor is None and ctx.published is not None and not cue.group().lower().startswith("came"):
        anchor = ctx.published
    if anchor is None or anchor.bound is not None:
        return None
    label = f"{anchor.label}, the time of what comes {ctx.exprs[n].text.lower()} the event it names"
    return _relabel(anchor, label), _iso(anchor)


def _comes_cue(ctx: StoryContext, n: int) -> re.Match | None:
    """The "came"/"comes" before offset ``n``, or before the offset it is joined to by "and" ("It came a week
    after the meeting and a few days after the hearing": both place the same event)."""
    expr = ctx.exprs[n]
    cue = _COMES.search(ctx.text, max(0, expr.start - 40), expr.start)
    if cue is not None or n == 0:
        return cue
    before = ctx.exprs[n - 1]
    if before.kind != "narrative" or ctx.where[n - 1] != ctx.where[n] or not _names_event(ctx, n - 1):
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
    sentence = ctx.sentences[_sentence(ctx, n)]
    if _GOVERNED.search(ctx.text, max(sentence.start, expr.start - 12), expr.start):
        return None  # "until the month after the vote": the end of a span, not the clause's own time
    opens = _OPENS.fullmatch(ctx.text, sentence.start, expr.start) or (
        expr.text[:1].isupper() and _DATELINE.fullmatch(ctx.text, sentence.start, expr.start))
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
    return _relabel(published, label), _iso(published)


def _nearest_day(ctx: StoryContext, n: int) -> Anchor | None:
    """The nearest day-precise date before offset ``n`` within the window, named events and relative dates left out."""
    here = _sentence(ctx, n)
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if _skipped(ctx, k) or ctx.exprs[k].pattern == "named" or ctx.exprs[k].kind == "relative":
            continue  # a named event ("9/11") is what things come after, "today" the writing time: not the story's own day
        if (anchor := _point(ctx, k)) is not None and anchor.precision == "day":
            return anchor
    return None


def _iso(anchor: Anchor) -> str:
    """The anchor's time as an ISO value at its precision."""
    when = anchor.when
    return {"day": when.isoformat(), "month": f"{when:%Y-%m}", "year": f"{when:%Y}"}[anchor.precision]


def _last_in_month(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """"that August night": the last day of that month the article gave before it (else the last such month),
    at any distance, and its value. Such a look back is no story time for the offsets after it (``ctx.looks_back``)."""
    ctx.looks_back.add(n)
    month = ctx.exprs[n].month
    for precision in ("day", "month"):  # a night is a day: a day of that month first
        for k in range(n - 1, -1, -1):
            value = ctx.values[k]
            if ctx.exprs[k].kind == "narrative" or (anchor := _point(ctx, k)) is None:
                continue
            if anchor.precision == precision and anchor.when.month == month and value is not None:
                label = f"the last {anchor.when:%B} {precision} given before it: {value} (char {ctx.exprs[k].start})"
                return _relabel(anchor, label), value
    return None, None


def _relabel(anchor: Anchor, label: str) -> Anchor:
    return replace(anchor, label=label)


def _point(ctx: StoryContext, k: int) -> Anchor | None:
    """Expression ``k`` as a time to count from: a single day, month or year, or one known only as a
    bound (``[2021..]``: what counts from it is a bound too); ISO weeks, year-less values, ranges and
    decades are not points."""
    value = ctx.values[k]
    bound: Bound | None = None
    floor = None
    if (ends := bound_ends(value)) is not None:
        first, last = ends
        value, bound = (first, "after") if last is None else (last, "before")
        floor = int(first[:4]) if first is not None and last is not None else None
    if value is None or "/" in value or value.startswith("--") or "W" in value or ctx.exprs[k].decade:
        return None
    parts = [int(p) for p in value.split("-")]
    precision = PRECISIONS[len(parts) - 1]
    when = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    hour = _told_hour(ctx, k) if precision == "day" else None
    at = f", {hour:02d}:00" if hour is not None else ""
    return Anchor(when, precision, f"context: {date_words(ctx.values[k], ctx.exprs[k].text)}{at} (char {ctx.exprs[k].start})",
                  bound=bound, floor=floor, hour=hour)


def _told_hour(ctx: StoryContext, k: int) -> int | None:
    """The hour date ``k`` is told at: a clock time beside it in its sentence ("on Tuesday at 9 p.m.", "at 8:30
    a.m. Monday"), else the part of the day it is told with (evening 19, night 22, afternoon 15, morning 9)."""
    expr, here = ctx.exprs[k], ctx.where[k]
    if here is None:
        return None
    sentence = ctx.sentences[here]
    after = _CLOCK_AFTER.match(ctx.text, expr.end, min(sentence.end, expr.end + 30))
    before = _CLOCK_BEFORE.search(ctx.text, max(sentence.start, expr.start - 30), expr.start)
    clock = after or before
    if clock is not None:
        hour = int(clock.group("h")) % 12
        return hour + 12 if clock.group("pm").lower() == "p" else hour
    told = _part_of_day(ctx, k)
    return _PART_HOURS[told[0]] if told is not None else None


def _nearest_week(ctx: StoryContext, n: int) -> tuple[Anchor, str | None] | None:
    """The nearest ISO week ("last week") before offset ``n`` within the window, when no day, month or
    year is there to count from: the month that holds all its days, else its Thursday's year (a day
    offset from a week cannot say which day it lands on). A numbered week offset from it is a week too,
    and that week its value ("next week and the week after": the week after next)."""
    here = _sentence(ctx, n)
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        week = re.match(r"^(\d{4})-W(\d{2})$", ctx.values[k] or "")
        if week is None or _skipped(ctx, k):
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
        if not 0 <= k < len(ctx.exprs) or (ctx.exprs[k].kind == "narrative" and ctx.exprs[k].pattern != "that_month_only"):
            continue  # "that October — eight months after X" restates the month it just dated
        other = ctx.exprs[k]
        between = ctx.text[other.end : expr.start] if k < n else ctx.text[expr.end : other.start]
        if _point(ctx, k) is None:
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
    return expr.text.lower().startswith(("the ", "that ")) or expr.offset == 0 or _names_event(ctx, n)


def _names_event(ctx: StoryContext, n: int) -> bool:
    """True for offsets of the form "… after X", "… before X", "the day of X" with X in the text."""
    expr = ctx.exprs[n]
    if not expr.text.lower().endswith(("before", "after", " of")):
        return False
    return bool(_event_words(ctx, n))


def _sentence(ctx: StoryContext, n: int) -> int:
    """The sentence index of expression ``n``; only called for expressions inside a sentence."""
    here = ctx.where[n]
    assert here is not None, ctx.exprs[n]
    return here


def _event_clause(ctx: StoryContext, n: int) -> tuple[int, int]:
    expr = ctx.exprs[n]
    sentence = ctx.sentences[_sentence(ctx, n)]
    m = _CLAUSE_END.search(ctx.text, expr.end, sentence.end)
    return expr.end, m.start() if m else sentence.end


def _event_words(ctx: StoryContext, n: int) -> set[str]:
    start, end = _event_clause(ctx, n)
    return {_stem(w) for w in _WORD.findall(ctx.text[start:end]) if w.lower() not in _STOP}


def _stem(word: str) -> str:
    """A crude stem that makes 'attacks'/'attacked' and 'release'/'released' one word."""
    word = word.lower().replace("’", "'")
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _following(ctx: StoryContext, n: int, clause_only: bool) -> Anchor | None:
    """The first date after offset ``n`` in its sentence (with ``clause_only``: in the clause that
    names its event)."""
    here = ctx.where[n]
    limit = _event_clause(ctx, n)[1] if clause_only else None
    for k in range(n + 1, len(ctx.exprs)):
        if ctx.where[k] != here or (limit is not None and ctx.exprs[k].start >= limit):
            break
        if ctx.exprs[k].kind in {"absolute", "yearless"} and k not in ctx.not_story and (anchor := _point(ctx, k)) is not None:
            return anchor
    return None


def _nearest(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """The nearest date before offset ``n`` within the window, else the first after it in its sentence;
    with the value when a year offset moves a range.

    Counting days or weeks from a bare year says nothing (a "1991" two sentences back is history,
    not the story's day): those need a day- or month-precise time, or one an earlier offset set.
    """
    here = _sentence(ctx, n)
    fine = ctx.exprs[n].unit in ("day", "week", "month")
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if _skipped(ctx, k):
            continue
        if (moved := _shifted_range(ctx, n, k)) is not None and (span := _year_range(ctx, k)) is not None:
            first = span[0]
            return Anchor(date(first, 1, 1), "year", f"context: {ctx.values[k]} (char {ctx.exprs[k].start})"), moved
        anchor = _point(ctx, k)
        if anchor is not None and (not fine or anchor.precision != "year" or ctx.exprs[k].kind == "narrative"):
            return anchor, None
    anchor = _following(ctx, n, clause_only=False)
    return (anchor if anchor is not None and (not fine or anchor.precision != "year") else None), None


def _named_event(ctx: StoryContext, n: int, within: Anchor | None = None) -> Anchor | None:
    """The dated mention, in another sentence, of the event offset ``n`` names (see the module doc); with
    ``within`` (a month), only a day of that month."""
    here = _sentence(ctx, n)
    sentence = ctx.sentences[here]
    phrase = _event_words(ctx, n)
    keys = phrase | _names_in(ctx.text, sentence.start, sentence.end)
    rarity = _sentence_counts(ctx, keys)
    best, best_score = None, 0.0
    for k, other in enumerate(ctx.exprs):
        point = _point(ctx, k)
        if ctx.where[k] is None or ctx.where[k] == here or other.kind == "narrative" or point is None or k in ctx.not_story:
            continue
        if within is not None and (point.precision != "day" or (point.when.year, point.when.month) != (within.when.year, within.when.month)):
            continue
        words = _words_near(ctx, k)
        score = sum((2.0 if w in phrase else 1.0) / rarity[w] for w in keys & words if rarity.get(w))
        # a tie goes to the mention nearer the offset
        if score > best_score or (score == best_score and best is not None
                                   and abs(other.start - ctx.exprs[n].start) < abs(ctx.exprs[best].start - ctx.exprs[n].start)):
            best, best_score = k, score
    if best is None or best_score < EVENT_MIN_SCORE or (anchor := _point(ctx, best)) is None:
        return None
    return _relabel(anchor, f"the event it names, dated at char {ctx.exprs[best].start}: {date_words(ctx.values[best], ctx.exprs[best].text)}")


def _names_in(text: str, start: int, end: int) -> set[str]:
    """Capitalised words inside a sentence (not its first word): the names that tie it to other sentences."""
    words = list(_WORD.finditer(text, start, end))
    return {_stem(m.group()) for m in words[1:] if m.group()[0].isupper() and m.group().lower() not in _STOP}


def _sentence_counts(ctx: StoryContext, keys: set[str]) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for span in ctx.sentences:
        for w in keys & {_stem(m) for m in _WORD.findall(ctx.text, span.start, span.end)}:
            counts[w] += 1
    return counts


def _words_near(ctx: StoryContext, k: int) -> set[str]:
    """Words of date ``k``'s sentence that stand nearer to it than to any other date there, within
    ``EVENT_WINDOW`` characters: in a list of dated events each date keeps its own words."""
    sentence = ctx.sentences[_sentence(ctx, k)]
    expr = ctx.exprs[k]
    others = [e for j, e in enumerate(ctx.exprs) if j != k and ctx.where[j] == ctx.where[k]]
    out = set()
    for m in _WORD.finditer(ctx.text, max(sentence.start, expr.start - EVENT_WINDOW), min(sentence.end, expr.end + EVENT_WINDOW)):
        if expr.start <= m.start() < expr.end:
            continue
        gap = _gap(m.start(), m.end(), expr)
        if all(gap <= _gap(m.start(), m.end(), o) for o in others):
            out.add(_stem(m.group()))
    return out


def _gap(start: int, end: int, expr: DateExpr) -> int:
    return max(expr.start - end, start - expr.end, 0)
