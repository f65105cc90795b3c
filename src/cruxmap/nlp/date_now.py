"""The article's own "now" when it carries no publication date.

Relative and year-less dates ("last week", "on Tuesday", "in March") count from the writing
time. Without a publication date :func:`article_now` infers it from the dates the article
gives (see :mod:`cruxmap.nlp.events` for how the anchors use it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .dates import Anchor, DateExpr

#: a preposition that places a past event in a named year (``in 2021, when …``, ``since March 2004``)
_IN_PAST_YEAR = re.compile(r"\b(?:in|since|during)\s+$", re.I)
#: a date somebody calls for or plans (``called for a review in early 2015``) lies ahead of its sentence
_INTENDED = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+for|urg(?:es|ed|ing)|plan(?:s|ned)?\s+to|aim(?:s|ed)?\s+to|hop(?:es|ed)\s+to"
    r"|want(?:s|ed)?\s+to|propos(?:es|ed))\b[^.;]{0,60}$",
    re.I,
)


def article_now(exprs: Sequence[DateExpr], future: Sequence[bool], text: str = "") -> Anchor | None:
    """The article's own 'now' when it carries no publication date (see the module doc).

    Each absolute date outside future-tense sentences is a lower bound on the writing time: a
    full date (``June 29, 2020``) is itself a candidate "now" at day precision; a year named
    as the time of a past event (``in 2021``, ``since March 2004``) says that year is over —
    news calls the current year "this year" — so it bounds "now" at the year after, unless the
    article also gives a full date in that year; any other year (``the 2025 strategy``) bounds
    it at that year.
    """
    full_years = {e.year for e, f in zip(exprs, future) if e.kind == "absolute" and e.day and not f}
    past: list[tuple[int, int, DateExpr, str]] = []  # (year, rank, expr, why)
    ahead: list[tuple[int, DateExpr]] = []
    for expr, is_future in zip(exprs, future):
        if expr.kind != "absolute" or expr.decade:
            continue
        year = expr.year2 or expr.year
        if is_future or _INTENDED.search(text, max(0, expr.start - 80), expr.start):
            ahead.append((year, expr))
        elif expr.day and expr.year2 is None and expr.day2 is None:
            past.append((year, 2, expr, "latest full date the article gives"))
        elif _IN_PAST_YEAR.search(text, max(0, expr.start - 8), expr.start) and year not in full_years:
            past.append((year + 1, 1, expr, f"the year after {year}, a past year the article names"))
        else:
            past.append((year, 0, expr, "latest year the article mentions"))
    latest = max(past, key=lambda p: (p[0], p[1], p[2].month or 0, p[2].day or 0, p[2].start), default=None)
    upcoming = min((a for a in ahead if latest is None or a[0] > latest[0]), key=lambda a: a[0], default=None)
    if upcoming is not None and (latest is None or upcoming[0] - 1 >= latest[0]):
        year, expr = upcoming[0] - 1, upcoming[1]
        return Anchor(date(year, 7, 1), "year", f"context: {year}, the year before {upcoming[0]} (char {expr.start})")
    if latest is None:
        return None
    year, rank, expr, why = latest
    if rank == 2:
        when = date(expr.year, expr.month, expr.day)
        return Anchor(when, "day", f"context: {when.isoformat()} (char {expr.start}, {why})")
    return Anchor(date(year, 7, 1), "year", f"context: {year} (char {expr.start}, {why})")
