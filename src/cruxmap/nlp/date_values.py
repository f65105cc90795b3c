"""Read a date value: a bound in words (:func:`date_words`), its two ends (:func:`bound_ends`), and the span of
years it covers (:func:`date_interval`, :func:`date_span`) for the timeline and the contradiction checks."""

from __future__ import annotations

import calendar
import re

from .dates import find_date_expressions

#: one date of a set (ISO 8601-2 / EDTF): ``[2021..]`` is 2021 or later, ``[..2021]`` 2021 or earlier,
#: ``[2016..2021]`` one of those years
_BOUND = re.compile(r"^\[([^.\]]*)\.\.([^.\]]*)\]$")


def date_words(iso: str | None, date_text: str | None = None) -> str | None:
    """A value for a reader: a bound in words (``[1991..]`` → "1991 or later"), any other value as it is. A
    year-less date between two years is that date in one of them (``[2015-02-21..2017-02-21]`` →
    "2015-02-21, 2016-02-21 or 2017-02-21"), not every day between. Given the expression's text, a year-less
    date with one open end says that only its year is open ("Feb. 21" as ``[2010-02-21..]`` → "February 21 of
    2010 or a later year"), where a deictic day (``today`` as ``[2010-02-21..]``) is any day from that one on."""
    ends = bound_ends(iso)
    if ends is None:
        return iso
    first, last = ends
    known = first or last
    assert known is not None, iso
    if (first is None or last is None) and len(known) > 4 and date_text and _is_yearless(date_text):
        parts = [int(p) for p in known.split("-")]
        day = f"{calendar.month_name[parts[1]]} {parts[2]}" if len(parts) > 2 else calendar.month_name[parts[1]]
        return f"{day} of {parts[0]} or {'a later' if last is None else 'an earlier'} year"
    if last is None:
        return f"{first} or later"
    if first is None:
        return f"{last} or earlier"
    if len(first) > 4 and first[4:] == last[4:]:
        years = range(int(first[:4]), int(last[:4]) + 1)
        if len(years) <= 3:
            dates = [f"{y:04d}{first[4:]}" for y in years]
            return ", ".join(dates[:-1]) + f" or {dates[-1]}"
        return f"{first[4:].lstrip('-')} of a year from {first[:4]} to {last[:4]}"
    return f"between {first} and {last}"


def _is_yearless(date_text: str) -> bool:
    """True when ``date_text`` is one year-less date ("Feb. 21", "in March", "Tuesday, March 3"); a bare month
    ("November", as an event's text holds it) is read as its sentence had it, after "in"."""
    found = find_date_expressions(date_text) or find_date_expressions(f"in {date_text}")
    return len(found) == 1 and found[0].kind == "yearless"


def bound_ends(iso: str | None) -> tuple[str | None, str | None] | None:
    """The two ends of a value known only as a bound (``[1991..]`` → ``("1991", None)``), else None."""
    m = _BOUND.match(iso or "")
    return (m.group(1) or None, m.group(2) or None) if m else None


#: one ISO date (``2004``, ``2004-03``, ``2004-03-29``)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _interval(part: str) -> tuple[float, float] | None:
    """[start, end) of one ISO date at its precision, in fractional years."""
    m = _ISO_DATE.match(part.strip())
    if not m:
        return None
    year = int(m.group(1))
    if not m.group(2):
        return float(year), year + 1.0
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    month_start = year + (month - 1) / 12
    if not m.group(3):
        return month_start, month_start + 1 / 12
    days = calendar.monthrange(year, month)[1]
    day = min(max(int(m.group(3)), 1), days)
    point = month_start + (day - 1) / days / 12
    return point, point


def date_interval(value: str | None) -> tuple[float, float] | None:
    """The span an event's date covers, a day as one point (``None`` when unparseable; a bound is not drawn)."""
    if not value:
        return None
    if "/" in value:
        a, b = value.split("/", 1)
        first, last = _interval(a), _interval(b)
        if first and last and first[0] <= last[1]:
            return first[0], last[1]
        return first or last
    return _interval(value)


def date_span(iso: str | None) -> tuple[float, float] | None:
    """What a value allows, in fractional years: ``date_interval`` for a date or a range, and for a bound
    (``[1991..]``) everything from its first end to its last, open where it names none; None when unparseable."""
    ends = bound_ends(iso)
    if ends is None:
        return date_interval(iso)
    first = date_interval(ends[0]) if ends[0] else (float("-inf"), float("-inf"))
    last = date_interval(ends[1]) if ends[1] else (float("inf"), float("inf"))
    if first is None or last is None:
        return None
    return first[0], last[1]
