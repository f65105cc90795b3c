"""The story's dated times: what a narrative offset may count from.

:class:`StoryContext` holds an article's date expressions and their values so far; :func:`as_anchor` reads one of
them as a time to count from (with the hour it is told at, where the text gives one); :func:`not_story_times`
names those no offset counts from (a page's stamp, a year a prediction aims at).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .date_values import bound_ends, date_words
from .dates import PRECISIONS, Anchor, Bound, DateExpr

#: how many sentences back the time a narrative offset counts from may stand
NARRATIVE_SENTENCES = 3
#: how many sentences back an offset of hours, days or weeks may find the last date the story gave when
#: nothing nearer dates it; chosen on the random narrative sample (12 and any distance scored alike there, 8 lower)
FAR_SENTENCES = 12
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


def is_skipped(ctx: StoryContext, k: int) -> bool:
    """True for a date that is no story time: counted from the writing time, a look back, a stamp or a target."""
    return k in ctx.from_writing_time or k in ctx.looks_back or k in ctx.not_story


def sentence_index(ctx: StoryContext, n: int) -> int:
    """The sentence index of expression ``n``; only called for expressions inside a sentence."""
    here = ctx.where[n]
    assert here is not None, ctx.exprs[n]
    return here


def relabel(anchor: Anchor, label: str) -> Anchor:
    """The same anchor, told with another reading of how it was reached."""
    return replace(anchor, label=label)


def iso_at_precision(anchor: Anchor) -> str:
    """The anchor's time as an ISO value at its precision."""
    when = anchor.when
    return {"day": when.isoformat(), "month": f"{when:%Y-%m}", "year": f"{when:%Y}"}[anchor.precision]


def as_anchor(ctx: StoryContext, k: int) -> Anchor | None:
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
    told = part_of_day(ctx, k)
    return _PART_HOURS[told[0]] if told is not None else None


def part_of_day(ctx: StoryContext, k: int) -> tuple[str, bool] | None:
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
