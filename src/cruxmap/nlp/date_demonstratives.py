"""Demonstratives that point back to a time the story told: "that day", "later that night" (:func:`that_day`),
"that October" (:func:`that_month`), "that August night" (:func:`last_in_month`)."""

from __future__ import annotations

from dataclasses import replace

from .date_story import (
    FAR_SENTENCES,
    NARRATIVE_SENTENCES,
    StoryContext,
    as_anchor,
    is_skipped,
    part_of_day,
    relabel,
    sentence_index,
)
from .dates import Anchor


def that_day(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """"that day", "later that night", "earlier that morning": the day the story just told. A night, morning,
    afternoon or evening is first the last one told as such: "on the night of Nov. 24" at any distance (like
    "that August night"), "Tuesday night" within ``NARRATIVE_SENTENCES``, or within ``FAR_SENTENCES`` when no
    other date lies between. Otherwise (and for "that day") it is the story's last date in that window ("killed
    early Friday morning … captured that night"), and only when that date is a day or a month ("in May 2011,
    as the bill passed … that day": the month holds it) and not a deictic day ("we may meet again tomorrow;
    nobody can say when that day comes"): a year or another day told in between means the phrase points further
    back than the text shows (the session 17 pool: a third wrong without that check). Quoted speech itself is
    left out when the expression is found (:func:`cruxmap.nlp.dates.find_date_expressions`)."""
    expr = ctx.exprs[n]
    part = expr.text.split()[-1].lower()
    here = sentence_index(ctx, n)
    if part != "day":
        for k in range(n - 1, -1, -1):
            other, there = ctx.exprs[k], ctx.where[k]
            if other.kind == "narrative" or there is None or is_skipped(ctx, k):
                continue
            told = part_of_day(ctx, k)
            # "Monday night" three sentences back, or further when no other date lies between (paragraphs of quotes)
            reach = FAR_SENTENCES if all(ctx.values[j] is None for j in range(k + 1, n)) else NARRATIVE_SENTENCES
            near = told == (part, False) and here - there <= reach
            if (told == (part, True) or near) and (anchor := as_anchor(ctx, k)) is not None and anchor.precision == "day":
                return relabel(anchor, f"the last {part} the story told: {ctx.values[k]} (char {other.start})"), ctx.values[k]
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if ctx.values[k] is None or is_skipped(ctx, k):
            continue
        anchor, other = as_anchor(ctx, k), ctx.exprs[k]
        if anchor is None or anchor.precision == "year" or anchor.bound is not None or other.pattern == "named" or other.kind == "relative":
            return None, None
        # a month told last ("stalled in August 2011, as the council voted … that day") holds the day, whichever it is
        return relabel(anchor, f"the {anchor.precision} the story last told: {ctx.values[k]} (char {other.start})"), ctx.values[k]
    return None, None


def that_month(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """"that October", "March 11 that year": that month (or day) of the year the story last told, the nearest
    dated time before it in the window ("was arrested in 2015 … and indicted that October" is 2015-10); none when
    no year is in reach or the nearest time is counted from the writing time ("last year")."""
    expr, here = ctx.exprs[n], sentence_index(ctx, n)
    assert expr.month is not None, expr
    for k in range(n - 1, -1, -1):
        there = ctx.where[k]
        if there is None or here - there > NARRATIVE_SENTENCES:
            break
        if is_skipped(ctx, k) or ctx.exprs[k].pattern == "named" or (anchor := as_anchor(ctx, k)) is None or anchor.bound is not None:
            continue
        if expr.pattern == "md_that_year":  # "that year" is a year the text named: "in 2007", "last year"
            if not _names_a_year(ctx.exprs[k]):
                continue  # "confirmed Wednesday that he pleaded guilty in September of that year": not this year
        elif ctx.exprs[k].kind == "relative":
            return None, None  # "reports last year … that January": the year of the writing time, not the story's
        label = f"the year the story last told: {ctx.values[k]} (char {ctx.exprs[k].start})"
        day = f"-{expr.day:02d}" if expr.day is not None else ""
        return relabel(replace(anchor, precision="year"), label), f"{anchor.when.year:04d}-{expr.month:02d}{day}"
    return None, None


def _names_a_year(expr) -> bool:
    """Whether a date's own words give its year: "2007", "July 2007", "last year", "two years ago", "March 11 that
    year" (not "Wednesday", "yesterday" or "last week", which are days of the writing time)."""
    return expr.kind == "absolute" or expr.unit == "year" or expr.pattern == "md_that_year"


def last_in_month(ctx: StoryContext, n: int) -> tuple[Anchor | None, str | None]:
    """"that August night": the last day of that month the article gave before it (else the last such month),
    at any distance, and its value. Such a look back is no story time for the offsets after it (``ctx.looks_back``)."""
    ctx.looks_back.add(n)
    month = ctx.exprs[n].month
    for precision in ("day", "month"):  # a night is a day: a day of that month first
        for k in range(n - 1, -1, -1):
            value = ctx.values[k]
            if ctx.exprs[k].kind == "narrative" or (anchor := as_anchor(ctx, k)) is None:
                continue
            if anchor.precision == precision and anchor.when.month == month and value is not None:
                label = f"the last {anchor.when:%B} {precision} given before it: {value} (char {ctx.exprs[k].start})"
                return relabel(anchor, label), value
    return None, None
