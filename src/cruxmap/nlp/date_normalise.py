"""Resolve a found date expression to its ISO value against an anchor (:func:`normalise`).

The conventions of the value are those :mod:`cruxmap.nlp.dates` states: the precision the text gives, ranges
and named periods as intervals, ISO weeks, year-less dates kept as ``--MM-DD`` without an anchor, a date counted
from a writing time known only as a bound given as one date of a set (``[1991..]``), and narrative offsets at the
precision of their unit, no finer than the time they count from.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta

from .dates import Anchor, DateExpr, Precision, valid_day

#: how far a number-less offset may reach: "weeks later" 2 to 8 weeks, "months later" 2 to 11 months ("days
#: later" keeps the month of the time it counts from: on dev the annotators read it so)
VAGUE_DAYS = {"week": (14, 56)}
VAGUE_MONTHS = (2, 11)
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": None}


def _ymd(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _season_iso(season: str, year: int) -> str:
    months = SEASONS[season]
    if months is None:
        return _ymd(year)
    return f"{_ymd(year, months[0])}/{_ymd(year, months[1])}"


def _at_precision(when: date, precision: Precision) -> str:
    if precision == "day":
        return when.isoformat()
    if precision == "month":
        return _ymd(when.year, when.month)
    return _ymd(when.year)


def iso_week(when: date) -> str:
    """The ISO week ``when`` falls in (``2022-W08``)."""
    year, week, _ = when.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _to_the_day(expr: DateExpr, ref: date) -> str:
    """"a year ago today", "six months ago today": the writing day that many units back, or its month where
    that month has no such day (a year before Feb. 29)."""
    if expr.unit in ("week", "day"):
        return (ref + timedelta(days=expr.offset * (7 if expr.unit == "week" else 1))).isoformat()
    year, month = _add_months(ref, expr.offset * (12 if expr.unit == "year" else 1))
    return _ymd(year, month, ref.day) if valid_day(year, month, ref.day) else _ymd(year, month)


def _add_months(when: date, months: int) -> tuple[int, int]:
    index = when.year * 12 + (when.month - 1) + months
    return index // 12, index % 12 + 1


def normalise(expr: DateExpr, anchor: Anchor | None, future: bool = False) -> str | None:
    """ISO value of ``expr`` at the precision the text gives, resolved against ``anchor``.

    ``future`` says the sentence speaks of the future ("will meet on Friday"), which moves
    year-less dates and bare weekdays forward from the anchor instead of back.
    Without an anchor, year-less dates give ``--MM-DD``/``--MM`` and relative ones ``None``.
    """
    if expr.kind == "absolute":
        return _absolute_iso(expr)
    if anchor is not None and anchor.within_days:
        return _within_days(expr, anchor, future)
    if expr.kind == "yearless" and (anchor is None or anchor.bound is None):
        return _yearless_iso(expr, anchor, future)
    if anchor is None:
        return None
    if anchor.bound is not None:
        return _within_bounds(expr, anchor, future)
    if expr.kind == "weekday":
        return _weekday_iso(expr, anchor, future)
    if expr.kind == "narrative":
        return _narrative_iso(expr, anchor)
    return _relative_iso(expr, anchor)


def _within_bounds(expr: DateExpr, anchor: Anchor, future: bool) -> str | None:
    """A date counted from a writing time known only as a bound: one date of an open or closed set
    (ISO 8601-2 / EDTF ``[a..b]``): ``today`` from "1991 or later" is ``[1991..]``, from "2021 or
    earlier" ``[..2021]``, from "between 2016 and 2021" ``[2016..2021]``; "Feb. 21" from "2021-06-10 or
    later" is ``[2021-02-21..]`` (the last Feb. 21 before the earliest writing time, or a later one)."""
    exact = replace(anchor, bound=None, floor=None)
    value = normalise(expr, exact, future)
    if value is None:
        return None
    first, last = value.split("/")[0], value.split("/")[-1]
    if anchor.bound == "after":
        return f"[{first}..]"
    if anchor.floor is None:
        return f"[..{last}]"
    earliest = normalise(expr, replace(exact, when=date(anchor.floor, 7, 1), precision="year"), future)
    start = (earliest or value).split("/")[0]
    return last if start == last else f"[{start}..{last}]"


def _within_days(expr: DateExpr, anchor: Anchor, future: bool) -> str | None:
    """A date counted from a writing time that lies in the days ``anchor.within_days`` after ``anchor.when``:
    the value counted from the first of those days where it is the same from the last, else the month or the
    year both share ("yesterday" from the days after 2017-07-25 is ``2017-07``), else the set of the two
    (``[2016-12-28..2017-12-28]``)."""
    assert anchor.within_days is not None, anchor
    start = replace(anchor, within_days=None)
    end = replace(start, when=anchor.when + timedelta(days=anchor.within_days))
    first, last = normalise(expr, start, future), normalise(expr, end, future)
    if first == last or first is None or last is None:
        return first if first == last else None
    a, b = first.split("/")[0], last.split("/")[-1]
    for size in (7, 4):  # the month both share, else the year ("2017-W30" and "2017-W31" share only 2017)
        if len(a) >= size and a[:size] == b[:size] and "W" not in a[:size]:
            return a[:size]
    return f"[{a}..{b}]"


def _narrative_iso(expr: DateExpr, anchor: Anchor) -> str | None:
    """An offset from the story's time: at the precision of its unit, no finer than the anchor's
    (a year later than 2014-03-02 is 2015; the next day after March 2014 is March 2014)."""
    ref, precision = anchor.when, anchor.precision
    if expr.unit == "unknown" or expr.span and expr.vague == "month" and precision == "year":
        return None  # "in the months after the 2012 flood" may lie in 2013
    if expr.vague in VAGUE_DAYS and (precision == "day" or expr.span and precision == "month") or \
            expr.vague == "month" and precision in ("day", "month"):
        return _vague_iso(expr, ref, precision)
    if expr.unit == "year":
        return _ymd(ref.year + expr.offset)
    if expr.unit == "month":
        return _ymd(ref.year) if precision == "year" else _ymd(*_add_months(ref, expr.offset))
    if precision != "day":
        return _at_precision(ref, precision)
    if expr.hours is not None and anchor.hour is not None:  # "13 hours later" than 9 p.m. is the next day
        return (ref + timedelta(days=(anchor.hour + expr.hours) // 24)).isoformat()
    moved = ref + timedelta(days=expr.offset * (7 if expr.unit == "week" else 1))
    return moved.isoformat()


def _vague_iso(expr: DateExpr, ref: date, precision: Precision = "day") -> str | None:
    """A number-less offset from a point precise enough to count it ("weeks earlier" than Nov. 1, "in the weeks
    after" March): the month or year holding every date it can mean, None when those dates straddle two years.
    ("weeks later" than a month keeps that month: on the relative set the annotators read it so.)"""
    assert expr.vague is not None, expr
    if expr.vague in VAGUE_DAYS:
        least, most = VAGUE_DAYS[expr.vague]
        # from a month, the offset may start on any of its days
        days = (ref, ref) if precision == "day" else (ref, ref.replace(day=calendar.monthrange(ref.year, ref.month)[1]))
        near, far = (days[1], days[0]) if expr.direction < 0 else days
        ends = sorted([near + timedelta(days=expr.direction * (0 if expr.span else least)), far + timedelta(days=expr.direction * most)])
        first, last = (ends[0].year, ends[0].month), (ends[1].year, ends[1].month)
    else:
        first, last = (_add_months(ref, expr.direction * m) for m in (0 if expr.span else VAGUE_MONTHS[0], VAGUE_MONTHS[1]))
    if first == last:
        return _ymd(*first)
    return _ymd(first[0]) if first[0] == last[0] else None


def _absolute_iso(expr: DateExpr) -> str:
    y = expr.year
    assert y is not None, expr  # absolute: has its year (a year-less one gets it from _infer_year)
    if expr.season:
        return _season_iso(expr.season, y)
    if expr.year2 is not None:
        return f"{y:04d}/{expr.year2:04d}"
    if expr.month2 is not None:
        return f"{_ymd(y, expr.month)}/{_ymd(y, expr.month2)}"
    if expr.day2 is not None:
        return f"{_ymd(y, expr.month, expr.day)}/{_ymd(y, expr.month, expr.day2)}"
    return _ymd(y, expr.month, expr.day)


def _yearless_iso(expr: DateExpr, anchor: Anchor | None, future: bool) -> str:
    if anchor is None:
        text = f"--{expr.month:02d}" + (f"-{expr.day:02d}" if expr.day else "")
        return text + (f"/--{expr.month:02d}-{expr.day2:02d}" if expr.day2 else "")
    year = _infer_year(expr, anchor, future)
    return _absolute_iso(replace(expr, year=year))


def _infer_year(expr: DateExpr, anchor: Anchor, future: bool) -> int:
    """The year of a year-less month (and day): the anchor's year, or the one before or
    after it when that puts the date nearer to the anchor. Dates after the anchor count
    three times their distance unless the sentence speaks of the future (then the past does):
    news mostly reports what already happened."""
    assert expr.month is not None, expr  # year-less dates always name their month
    month, day = expr.month, expr.day
    if anchor.precision == "year" and expr.direction == 0 and valid_day(anchor.when.year, month, day or 1):
        return anchor.when.year
    ref = anchor.when if anchor.precision == "day" else date(anchor.when.year, anchor.when.month, 15)
    if anchor.precision == "year":
        ref = date(anchor.when.year, 7, 1)
    if expr.direction:  # last March / next March: strictly before / after the anchor's month
        year = ref.year
        if expr.direction < 0:
            year = year if month < ref.month else year - 1
        else:
            year = year if month > ref.month else year + 1
        while not valid_day(year, month, day or 1):  # last Feb. 29: the leap year before
            year += expr.direction
        return year
    # Feb. 29 exists only in leap years: the nearest of those when no year around the anchor has one
    years = [y for y in (ref.year - 1, ref.year, ref.year + 1) if valid_day(y, month, day or 1)] or \
        [y for y in range(ref.year - 4, ref.year + 5) if valid_day(y, month, day or 1)]
    best, best_cost = years[0], None
    for year in years:
        candidate = date(year, month, day or 15)
        gap = (candidate - ref).days
        if expr.day is None and (year, expr.month) == (ref.year, ref.month):
            gap = 0
        weight = 3 if (gap > 0) != future and gap != 0 else 1
        cost = abs(gap) * weight
        if best_cost is None or cost < best_cost:
            best, best_cost = year, cost
    return best


def _weekday_iso(expr: DateExpr, anchor: Anchor, future: bool) -> str:
    assert expr.weekday is not None, expr
    if anchor.precision != "day":
        return _at_precision(anchor.when, anchor.precision)
    ref = anchor.when
    forward = expr.direction > 0 or (expr.direction == 0 and future)
    if forward:
        step = (expr.weekday - ref.weekday()) % 7
        if step == 0 and expr.direction > 0:
            step = 7
        return (ref + timedelta(days=step)).isoformat()
    step = (ref.weekday() - expr.weekday) % 7
    if expr.direction < 0 and step == 0:
        step = 7
    return (ref - timedelta(days=step)).isoformat()


def _season_year(season: str, offset: int, ref: date) -> int:
    """Year of last/this/next SEASON seen from ``ref``; a winter counts as the year of its January."""
    months = SEASONS[season]
    first = months[0] if months else 12
    last = months[1] if months else 2
    if season == "winter":
        current = ref.year + 1 if ref.month == 12 else ref.year  # the winter now or most recently begun
        ended = 3 <= ref.month < 12
        if offset < 0:
            return current if ended else current - 1
        if offset > 0:
            return current + 1
        return current + 1 if ended and ref.month >= 9 else current
    started, ended = ref.month >= first, ref.month > last
    if offset < 0:
        return ref.year if ended else ref.year - 1
    if offset > 0:
        return ref.year + 1 if started else ref.year
    return ref.year


def _relative_iso(expr: DateExpr, anchor: Anchor) -> str:
    ref, precision = anchor.when, anchor.precision
    if expr.to_the_day and precision == "day" and expr.unit in ("year", "month", "week", "day"):
        return _to_the_day(expr, ref)
    if expr.unit == "year":
        year = ref.year + expr.offset
        if expr.month is not None and expr.day is not None and not valid_day(year, expr.month, expr.day):
            return _ymd(year, expr.month)  # "Feb. 29 of last year" in a year that had none: the month is all it fixes
        return _ymd(year, expr.month, expr.day)
    if expr.unit == "season":
        assert expr.season is not None, expr
        return _season_iso(expr.season, _season_year(expr.season, expr.offset, ref))
    if expr.unit == "month":
        if precision == "year":
            return _ymd(ref.year)
        return _ymd(*_add_months(ref, expr.offset))
    if expr.unit == "week":
        if precision != "day":
            return _at_precision(ref, precision)
        return iso_week(ref + timedelta(weeks=expr.offset))
    if expr.unit == "weekend":
        if precision != "day":
            return _at_precision(ref, precision)
        saturday = ref + timedelta(days=5 - ref.weekday() + 7 * expr.offset)
        return f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}"
    if expr.unit == "day":
        if precision != "day":
            return _at_precision(ref, precision)
        return (ref + timedelta(days=expr.offset)).isoformat()
    raise AssertionError(expr.unit)
