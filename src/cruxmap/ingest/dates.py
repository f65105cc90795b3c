"""Normalise the publication dates found in metadata to ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

Metadata dates come as ISO timestamps (``2022-02-21T09:30:00Z``), US numeric dates
(``2/21/22``), written-out dates (``Feb. 21, 2022``, ``21 February 2022``, ``Monday, February
21, 2022``), months (``February 2022``) or years. A numeric date whose day and month could be
swapped (``3/4/2022``) keeps only its year rather than guess.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

_PATTERNS = [
    re.compile(rf"^{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[T\s].*)?$"),
    re.compile(rf"^{_YEAR}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?:[T\s].*)?$"),
    re.compile(rf"^{_YEAR}(?P<m>\d{{2}})(?P<d>\d{{2}})(?:T.*)?$"),
    re.compile(rf"^{_YEAR}-(?P<m>\d{{1,2}})$"),
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b.*$", re.I),
    re.compile(rf"^{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b.*$", re.I),
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$", re.I),
    re.compile(rf"^{_YEAR}$"),
]
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{2}|\d{4})(?:[T\s,].*)?$")


def normalise_date(value: object) -> str | None:
    """Return the ISO date at the precision the value gives, or ``None`` if it is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split()).strip()
    if not text:
        return None
    numeric = _NUMERIC.match(text)
    if numeric:
        return _numeric_date(int(numeric["a"]), int(numeric["b"]), numeric["y"])
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _from_match(match)
    return None


def _from_match(match: re.Match) -> str | None:
    parts = match.groupdict()
    year = int(parts["year"])
    month_text = parts.get("month") or parts.get("m")
    if month_text is None:
        return f"{year:04d}" if _valid(year) else None
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower().rstrip(".")]
    day_text = parts.get("day") or parts.get("d")
    if day_text is None:
        return f"{year:04d}-{month:02d}" if _valid(year, month) else None
    day = int(day_text)
    return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None


def _numeric_date(first: int, second: int, year_text: str) -> str | None:
    """US order first (``4/18/18``); day-first only when the first number cannot be a month."""
    year = int(year_text)
    if len(year_text) == 2:
        pivot = dt.date.today().year % 100 + 1
        year += 2000 if year <= pivot else 1900
    if first > 12 and _valid(year, second, first):
        return f"{year:04d}-{second:02d}-{first:02d}"
    if second > 12 or first == second:
        return f"{year:04d}-{first:02d}-{second:02d}" if _valid(year, first, second) else None
    return f"{year:04d}" if _valid(year) else None  # 3/4/2022: March 4 or 3 April? keep the year only


def _valid(year: int, month: int = 1, day: int = 1) -> bool:
    if not 1800 <= year <= 2200:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)[/\-](?P<month>[01]?\d)(?:[/\-](?P<day>[0-3]?\d))?(?=/|\.|-|$)"
)
_NAME_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_.](?P<month>[01]\d)[-_.](?P<day>[0-3]\d)(?!\d)")


def date_from_url(url: str | None) -> str | None:
    """The date most news sites put in article URLs: ``/2018/04/28/slug`` or ``/2019/05/slug``."""
    if not url:
        return None
    match = _URL_DATE.search(url.split("?", 1)[0])
    return _url_or_name_date(match)


def date_from_file_name(name: str) -> str | None:
    """An ISO-like date in a file name: ``outlet_2015-11-16_slug.txt``."""
    return _url_or_name_date(_NAME_DATE.search(name))


def _url_or_name_date(match: re.Match | None) -> str | None:
    if match is None:
        return None
    year, month = int(match["year"]), int(match["month"])
    if match["day"] is None:
        return f"{year:04d}-{month:02d}" if _valid(year, month) else None
    day = int(match["day"])
    return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
