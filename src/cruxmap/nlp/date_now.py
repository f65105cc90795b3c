"""The article's own "now" when it carries no publication date.

Relative and year-less dates ("last week", "on Tuesday", "in March") count from the writing
time. Without a publication date :func:`article_now` infers it from the dates the article
gives (see :mod:`cruxmap.nlp.events` for how the anchors use it, and ``docs/dates.md`` for
what each rule is worth on dev).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from .date_normalise import normalise
from .date_values import bound_ends
from .dates import MONTH, MONTHS, WEEKDAYS, Anchor, DateExpr, url_spans

#: a preposition that places a past event in a named year (``in 2021, when …``, ``since March 2004``)
_IN_PAST_YEAR = re.compile(r"\b(?:in|since|during)\s+$", re.I)
#: a date somebody calls for or plans (``called for a review in early 2015``) lies ahead of its sentence
_INTENDED = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+for|urg(?:es|ed|ing)|plan(?:s|ned)?\s+to|aim(?:s|ed)?\s+to|hop(?:es|ed)\s+to"
    r"|want(?:s|ed)?\s+to|propos(?:es|ed))\b[^.;]{0,60}$",
    re.I,
)
#: a year something is for or heads into (``candidates for 2016``, ``the race for the 2020 nomination``,
#: ``heading into 2020``) is mostly still ahead: of such years on dated news, 46 % are after the
#: publication year and 22 % are it
_AHEAD_OF = re.compile(r"\b(?:for|into)\s+(?:the\s+)?$", re.I)
#: a site's copyright line (``Copyright © 2019 The Times``) is written when the page is served, never before
#: the article (on dated news 77 % are two or more years after it); a syndicated column's ``© 2019 by …``
#: is the writing year and stays a plain year
_COPYRIGHT = re.compile(r"\bcopyright\s*(?:©|\(c\))\s*$", re.I)
_BY_AUTHOR = re.compile(r"\s+by\b", re.I)
#: a weekday with a year-less day (``Tuesday, March 3``, ``Sunday 3 March``): the calendar fixes the year
_WEEKDAY_DAY = re.compile(
    rf"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
    rf"(?:(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH}))(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})"
)
#: how far from the year the dates suggest the calendar may move "now"
CALENDAR_YEARS = 3
#: the date in the address of a page the article links to ("…/news/2021/11/19/…"): that page was there before
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])(?:/([0-2]\d|3[01]))?(?=/|$)")
#: the stamp of a post an article embeds: "— Jane Doe (@janedoe) July 25, 2017" (the date follows the handle)
_POST_STAMP = re.compile(r"\(@\w{1,15}\)\s*$")
#: the days after an embedded post in which the article that embeds it is written (on the dated pool, 83 % of
#: the articles whose latest full date is a post's were published within a week of it, 97 % in its year)
POST_DAYS = 7
_POSTED = "the date of a post the article embeds"
#: news gives a date its weekday ("Tuesday, July 14, 2020") for the days around the writing time (AP style: the
#: weekday within a week of it, the month and day beyond); a past one is a day of the week before the writing
_THIS_WEEK = "a past full date given with its weekday"
#: a weekday that is part of a name ("Bloody Sunday, March 7, 1965", "Black Tuesday") is no such date
_NAMED_DAY = re.compile(
    r"\b(?!(?:On|By|Since|Until|Till|Through|From|Before|After|Last|This|Next|And|But|Or|Of|Between|Late|Early)\b)"
    r"[A-Z][\w’'-]*\s+$")


#: a page's update stamp in its first lines ("Updated 11:25 a.m. ET, 5/12/2015", "Last updated: March 3, 2015"):
#: the writing time, stated. "Posted …" and "Published …" there are as often the stamp of a post or a video the
#: page embeds (on the dated news, 2 of the 3 such stamps), so only "Updated" counts
_UPDATE_STAMP = re.compile(r"\b(?:Updated|UPDATED|Last\s+updated)\b:?\s[^\n]{0,40}$")
#: how far into the text an update stamp may stand (characters)
STAMP_WITHIN = 300


def update_stamp(text: str, exprs: Sequence[DateExpr]) -> Anchor | None:
    """The writing time an article without metadata states in its update stamp: the full date of the first
    "Updated …" line in its first ``STAMP_WITHIN`` characters, as exact as a publication date. A stamp with
    only a clock time ("Updated 5:30 p.m.") states no day, and the rules of :func:`article_now` stay."""
    for expr in exprs:
        if expr.start > STAMP_WITHIN:
            break
        if expr.kind == "absolute" and expr.day is not None and expr.day2 is None and _UPDATE_STAMP.search(
                text, max(0, expr.start - 60), expr.start):
            assert expr.year is not None and expr.month is not None, expr
            return Anchor(date(expr.year, expr.month, expr.day), "day",
                          f"the page's update stamp, {date(expr.year, expr.month, expr.day).isoformat()} (char {expr.start})")
    return None


def article_now(exprs: Sequence[DateExpr], future: Sequence[bool], text: str = "", links: Sequence[str] = ()) -> Anchor | None:
    """The article's own 'now' when it carries no publication date.

    Each absolute date outside future-tense sentences is a lower bound on the writing time: the
    latest full date (``June 29, 2020``) is "now" at day precision, and later bare years do not
    move it (they are mostly plans, elections and targets); without a full date, a year named as
    the time of a past event (``in 2021``, ``since March 2004``) says that year is over — news
    calls the current year "this year" — so it bounds "now" at the year after, unless the article
    also gives a full date in that year; any other year (``the 2025 strategy``) bounds it at that
    year. A year spoken of in the future tense, as a plan or as what something is for
    (``candidates for 2016``) caps "now" at the year before; a site's copyright year (``Copyright © 2019``) at
    itself, and is "now" only where the article gives no other date. Last, a
    weekday with a year-less day (``Tuesday, March 3``) moves the year to the nearest one whose
    calendar fits.

    The result is a bound, and says so (``Anchor.bound``): "after" for a floor alone (the article was
    written on or after its latest date, however long after), "before" for a cap (with its ``floor``
    where the article sets one); only a floor and a cap in the same year make a known year. Deictic and
    year-less dates counted from it are bounds too (:func:`normalise`; :func:`weekday_year`).
    """
    full_years = {e.year for e, f in zip(exprs, future) if e.kind == "absolute" and e.day and not f}
    past: list[tuple[int, int, DateExpr, str]] = []  # (year, rank, expr, why)
    ahead: list[tuple[int, DateExpr, str]] = []  # (first year "now" cannot be in, expr, why)
    copyright: tuple[int, DateExpr] | None = None
    for expr, is_future in zip(exprs, future):
        if expr.kind != "absolute" or expr.decade:
            continue
        year = expr.year2 or expr.year
        assert year is not None, expr  # absolute expressions carry their year
        before = text[max(0, expr.start - 16) : expr.start]
        if _COPYRIGHT.search(before) and not _BY_AUTHOR.match(text, expr.end):
            copyright = min(copyright or (year, expr), (year, expr), key=lambda c: c[0])
        elif is_post_stamp(text, expr):
            # a post's stamp is past, whatever the tense of the words glued before it
            past.append((year, 2, expr, _POSTED))
        elif (expr.weekday is not None and expr.day and expr.year2 is None and not is_future
              and _falls_on(year, expr.month or 0, expr.day, expr.weekday) and not _NAMED_DAY.search(before)):
            past.append((year, 2, expr, _THIS_WEEK))
        elif is_future or _AHEAD_OF.search(before) or _INTENDED.search(text, max(0, expr.start - 80), expr.start):
            ahead.append((year, expr, f"the year before {year}"))
        elif expr.day and expr.year2 is None and expr.day2 is None:
            past.append((year, 2, expr, "latest full date the article gives"))
        elif _IN_PAST_YEAR.search(text, max(0, expr.start - 8), expr.start) and year not in full_years:
            past.append((year + 1, 1, expr, f"the year after {year}, a past year the article names"))
        else:
            past.append((year, 0, expr, "latest year the article mentions"))
    # a linked page's date is a floor too, unless the article's own words put the writing time before it:
    # an address changes when a page is moved or re-dated, the article's "by the beginning of 2022" does not
    own = max((p[0] for p in past if p[1] == 2), default=None) or max((p[0] for p in past), default=None)
    cap = min((a[0] for a in ahead if own is None or a[0] > own), default=None)
    for link in _linked_dates(text, links):
        if cap is None or (link.year or 0) < cap:
            rank, why = (2, "the date of a page it links to") if link.day else (0, "the month of a page it links to")
            past.append((link.year or 0, rank, link, why))
    if any(rank == 2 for _, rank, _, _ in past):
        past = [p for p in past if p[1] == 2]
    latest = max(past, key=lambda p: (p[0], p[1], p[2].month or 0, p[2].day or 0, p[2].start), default=None)
    if latest is not None and latest[3] in (_POSTED, _THIS_WEEK):
        return _days_after(latest[2], latest[3])
    upcoming = min((a for a in ahead if latest is None or a[0] > latest[0]), key=lambda a: a[0], default=None)
    if upcoming is not None and (latest is None or upcoming[0] - 1 >= latest[0]):
        year, expr, why = upcoming[0] - 1, upcoming[1], upcoming[2]
        if latest is not None and latest[0] == year:  # a floor and a cap in the same year: the year is known
            now = Anchor(date(year, 7, 1), "year",
                         f"context: {year}, {why} (char {expr.start}) and {latest[0]} or later ({_place(latest[2])}, {latest[3]})")
        else:
            floor = latest[0] if latest is not None else None
            span = f"{year} or earlier" if latest is None else f"between {latest[0]} and {year}"
            since = f"; {_place(latest[2])}, {latest[3]}" if latest is not None else ""
            now = Anchor(date(year, 7, 1), "year", f"the writing time, {span} (char {expr.start}, {why}{since})",
                         bound="before", floor=floor)
    elif copyright is not None and (latest is None or latest[0] > copyright[0]):
        year, expr = copyright
        now = Anchor(date(year, 7, 1), "year",
                     f"the writing time, {year} or earlier (char {expr.start}, the page's copyright year)", bound="before")
    elif latest is None:
        return None
    else:
        year, rank, expr, why = latest
        if rank == 2:
            assert expr.year is not None and expr.month is not None and expr.day is not None, expr
            when = date(expr.year, expr.month, expr.day)
            now = Anchor(when, "day", f"the writing time, {when.isoformat()} or later ({_place(expr)}, {why})", bound="after")
        else:
            now = Anchor(date(year, 7, 1), "year", f"the writing time, {year} or later ({_place(expr)}, {why})", bound="after")
    return _fit_calendar(text, now)


def is_post_stamp(text: str, expr: DateExpr) -> bool:
    """True for the full date that closes a post the article embeds ("— Jane Doe (@janedoe) July 25, 2017")."""
    return (expr.kind == "absolute" and expr.day is not None and expr.year2 is None
            and _POST_STAMP.search(text, max(0, expr.start - 24), expr.start) is not None)


def _linked_dates(text: str, links: Sequence[str] = ()) -> list[DateExpr]:
    """The dates in the addresses of the pages an article links to ("https://…/2021/11/19/…"), in its text or
    in ``links`` (the link lists the clean stage set aside, whose dates get ``start`` -1): a page it cites was
    published before it, so each is a floor on its writing time like a past date of its text."""
    found = []
    for body, inside in ((text, True), *((link, False) for link in links)):
        for start, end in url_spans(body):
            for m in _URL_DATE.finditer(body, start, end):
                year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
                try:
                    date(year, month, day or 1)
                except ValueError:
                    continue
                at = m.start() + 1 if inside else -1
                found.append(DateExpr(at, m.end() if inside else -1, m.group(0).lstrip("/"), "absolute", "url",
                                      year, month, day))
    return found


def _place(expr: DateExpr) -> str:
    """Where a date that bounds the writing time stands: its character, or the link list set aside."""
    return f"char {expr.start}" if expr.start >= 0 else f"{expr.text} in a link list the clean stage set aside"


def _days_after(stamp: DateExpr, why: str) -> Anchor:
    """The writing time of an article whose latest full date is the stamp of a post it embeds ("— Jane Doe
    (@janedoe) July 25, 2017") or a past date given with its weekday ("Tuesday, July 14, 2020"): the days
    after it. News embeds the post it reports on and names the weekday of the current week's days: on the
    dated pool the article's year is that date's in 97 % of the 318 articles of the first kind and 97 of the
    100 of the second, and it was published within a week in 83 % of both, so the year is known but the day
    is not."""
    assert stamp.year is not None and stamp.month is not None and stamp.day is not None, stamp
    when = date(stamp.year, stamp.month, stamp.day)
    return Anchor(when, "day", f"the writing time, in the days after {when.isoformat()} (char {stamp.start}, {why})",
                  within_days=POST_DAYS)


def _fit_calendar(text: str, now: Anchor) -> Anchor:
    """``now`` moved to the year, nearest its own, in which the article's first weekday-and-day pair
    (``Tuesday, March 3``) falls on that weekday (the later year on a tie); unchanged where it fits.
    Under a cap ("2017 or earlier") only the years up to the cap are tried, and the fit raises the floor
    but keeps the cap: the day was given before the writing time."""
    for m in _WEEKDAY_DAY.finditer(text):
        month = MONTHS[(m.group("m1") or m.group("m2")).rstrip(".").lower()]
        day = int(m.group("d1") or m.group("d2"))
        weekday = WEEKDAYS[m.group("wd").lower()]
        year = now.when.year
        low = year - CALENDAR_YEARS if now.bound != "before" or now.floor is None else now.floor
        high = year if now.bound == "before" else year + CALENDAR_YEARS
        fits = [y for y in range(low, high + 1) if _falls_on(y, month, day, weekday)]
        if not fits:
            continue
        best = min(fits, key=lambda y: (abs(y - year), -y))
        if now.bound == "before":
            if best == now.floor:
                return now
            return replace(now, floor=best, label=f"{now.label}; {best} or later (char {m.start()}, the year its weekday fits)")
        if best == year:
            return now
        when = date(best, month, day)
        return Anchor(when, "day", f"the writing time, {when.isoformat()} or later (char {m.start()}, the year its weekday fits)",
                      bound="after")
    return now


def weekday_year(expr: DateExpr, now: Anchor, future: bool = False) -> Anchor | None:
    """The year of a year-less day given with its weekday ("Tuesday, March 3") when the writing time is
    known to lie between two years: the one year of that span whose calendar puts the day on that
    weekday, else None.

    An open bound ("2015 or later") fixes no year: on the dated pool read without dates, the fit within
    three years of an open bound's end had the wrong year one time in four (a page written years after
    its latest date).
    """
    if now.bound is None or expr.weekday is None or expr.month is None or expr.day is None:
        return None
    ends = bound_ends(normalise(expr, now, future))
    if ends is None or ends[0] is None or ends[1] is None:
        return None
    low, high = int(ends[0][:4]), int(ends[1][:4])
    fits = [y for y in range(low, high + 1) if _falls_on(y, expr.month, expr.day, expr.weekday)]
    if len(fits) != 1:
        return None
    day = date(fits[0], expr.month, expr.day)
    return Anchor(date(day.year, 7, 1), "year",
                  f"{day.year}, the only year from {low} to {high} in which {day:%B} {day.day} is a {day:%A} ({now.label})")


def _falls_on(year: int, month: int, day: int, weekday: int) -> bool:
    """True when ``day`` of ``month`` exists in ``year`` and falls on ``weekday`` (0 = Monday)."""
    try:
        return date(year, month, day).weekday() == weekday
    except ValueError:  # 29 February of a common year, 31 April
        return False
