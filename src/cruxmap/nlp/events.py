"""Dated events: every date expression of an article, normalised, with the anchor it needed.

``extract_events`` finds date expressions (:mod:`cruxmap.nlp.dates`), resolves year-less and
relative ones against an anchor it names in ``Event.anchor``, and describes each event with
a short phrase from its sentence (:mod:`cruxmap.nlp.event_phrase`). ``EventStage`` wraps it as the pipeline stage ``events``;
``format_timeline`` turns events into the rows ``cruxmap timeline`` prints.

Anchor rules (never a silent guess — the event says which one was used):

* absolute dates need none (``anchor=None``);
* a year-less date (``Feb. 21``, ``in March``) first looks for an explicit month- or
  day-precise date with a year in its own or the previous two sentences (a narrative
  "On March 1, 2014 … On March 18" stays in 2014): ``context: 2014-03-01 (char 120)``;
  else the publication date: ``published 2022-02-25``; else the article's own "now", which makes it a
  bound (``[2021-02-21..]``: "Feb. 21" of a page written in 2021 or later) unless the writing time lies
  between two years and the day's weekday ("Tuesday, March 3") fits only one of them. A day of a
  story told in the past that the publication date would put after itself ("On May 28, agents
  stopped him" in a story published in March that last stood in April of the year before) is the
  first such day after that story time (``story time: 2014-04 (char 65), …``);
* a relative date (``last year``, ``13 years ago``, ``on Friday``) is deictic — it counts
  from the writing time: the publication date, else a day-precise date in the same or the
  previous two sentences (a dated blurb), else the article's own "now";
* the article's "now" (:mod:`cruxmap.nlp.date_now`), when no publication date is known, is a bound
  from the dates the article gives outside future-tense sentences, and relative dates counted from it
  are bounds too (``[2020-06-29..]``): a full date is a day-precise floor
  (``the writing time, 2020-06-29 or later (char 80, latest full date the article gives)``); a year named as the
  time of a past event ("had less to fear in 2021, when …") is over, so "now" is at least the
  year after (``the writing time, 2022 or later (char 4871, the year after 2021, a past year the article names)``);
  any other year counts as itself. A year the article speaks of in the future tense or as a
  plan ("will be ready by the beginning of 2022", "called for a review in early 2015") caps it
  at the year before (measured against "latest year mentioned": ``docs/performance.md``). The
  nearest preceding year is *not* used: in "he
  insisted in 2014 … His Feb. 21 speech" it points to history.
* a narrative offset (``four years later``, ``the next day``, ``the day before the vote``) counts
  from the story's time, found by :func:`cruxmap.nlp.date_anchors.story_time`: a date in
  apposition, the date of the event it names (in its clause or elsewhere in the article), else
  the nearest date before it; the writing time only for an offset that looks back and has no
  story time in reach; for hours, days and weeks the last day or month given up to twelve sentences
  back; with none its value is None;
* with no anchor at all a year-less date keeps ``--02-21`` and a relative one ``date=None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..model import Document, Entity, Event, Sentence, Source
from ..pipeline import Stage
from ..registry import changed_options, version_of
from ..settings import EventRulesOptions
from .date_anchors import story_time
from .date_normalise import normalise
from .date_now import article_now, update_stamp, weekday_year
from .date_story import StoryContext, not_story_times
from .date_tense import clause_tense
from .date_values import bound_ends, date_words
from .dates import PRECISIONS, Anchor, DateExpr, Precision, find_date_expressions
from .event_phrase import describe
from .fingerprint import rules_fingerprint

#: words that put a sentence in the future, which moves year-less dates and weekdays forward
FUTURE_CUE = re.compile(
    r"\b(?:will|won['’]t|shall|['’]ll|going\s+to|is\s+to|are\s+to|scheduled|slated|set\s+to|plans?\s+to|planning"
    r"|expected\s+to|upcoming|due\s+to\s+(?:be|meet|vote|start|begin|arrive|testify)|is\s+due|are\s+due"
    r"|next(?!\s+(?:day|morning|afternoon|evening|night)\b))\b",  # "the next day" is the story's, not the future
    re.I,
)
#: words right before a date that place it in the past, whatever the rest of the sentence says
PAST_CUE = re.compile(r"\b(?:since|last|ago|earlier|recently|as\s+of)\s+(?:\w+\s+)?$", re.I)
#: a deadline ("until Thursday", "by Tuesday") lies ahead of the writing time
DEADLINE_CUE = re.compile(r"\b(?:until|till|by)\s+$", re.I)
#: how far around a date a tense cue counts (characters before / after, within the sentence)
CUE_BEFORE, CUE_AFTER = 80, 15
#: the options' defaults, declared once in the settings (``annotate.event_rules``)
_OPTIONS = EventRulesOptions()
#: how many sentences back a local dated context may stand
CONTEXT_SENTENCES = _OPTIONS.context_sentences
#: a year-less date of a past story told after its publication date: how far back the story's time may
#: stand (sentences) and how long after it the date may fall (days)
STORY_SENTENCES, STORY_GAP_DAYS = 3, 120
STORY_ROUNDS = 3
#: a verb in the simple past or past perfect ("intercepted", "was", "had left"), and how far after a date it counts
PAST_VERB = re.compile(r"\b(?:was|were|had|did|went|left|told|said|came|took|made|found|saw|met|gave|began|won|lost|[a-z]{3,}ed)\b")
PAST_VERB_AFTER = 60

_SENTENCE_END = re.compile(r"(?<=[.!?…”\"])\s+(?=[“\"A-Z])|\n\s*\n")
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Prof|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
    r"|No|vs|U\.S|U\.K|U\.N|[A-Z])\.$"
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def split_sentences(text: str) -> list[_Span]:
    """A plain fallback splitter for texts without a sentence layer (benchmarks, tests)."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue
        if m.start() > start:
            spans.append(_Span(start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append(_Span(start, len(text)))
    return spans


def published_anchor(published: str | None) -> Anchor | None:
    """Anchor from ``Source.published`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), or None."""
    if not published:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        when = date(year, int(month or 1), int(day or 1))
    except ValueError:
        return None
    precision: Precision = "day" if day else "month" if month else "year"
    return Anchor(when, precision, f"published {published[: {'day': 10, 'month': 7, 'year': 4}[precision]]}")


def _expr_anchor(expr: DateExpr, iso: str) -> Anchor:
    """An absolute expression used as dated context for its neighbours."""
    start = iso.split("/")[0]
    parts = [int(p) for p in start.split("-")]
    precision: Precision = PRECISIONS[len(parts) - 1]
    when = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return Anchor(when, precision, f"context: {start} (char {expr.start})")


def extract_events(
    text: str,
    source_id: str,
    published: str | None = None,
    sentences: Sequence[Sentence] | None = None,
    entities: Iterable[Entity] = (),
    links: Sequence[str] = (),
    date_lines: Sequence[str] = (),
    context_sentences: int = CONTEXT_SENTENCES,
    inferred_now: bool = True,
) -> list[Event]:
    """All dated events of one article, in text order, with ids ``{source_id}:e{n}``. ``links`` are the link
    lists the clean stage took out of the text: the dates in their addresses bound the writing time. ``date_lines``
    are the header's date lines it took out ("Updated 6:15 p.m. ET, 3/16/2016"): an update stamp there is the
    writing time of an article without a publication date, as one left in the text is.
    ``context_sentences`` and ``inferred_now`` are the options ``annotate.event_rules`` describes."""
    spans = [_Span(s.start, s.end) for s in sentences] if sentences else split_sentences(text)
    sentence_ids = [s.id for s in sentences] if sentences else [None] * len(spans)
    exprs = find_date_expressions(text)
    exprs = _add_entity_candidates(text, exprs, entities)
    where = [_sentence_index(spans, e.start) for e in exprs]
    future = [speaks_of_future(text, e, spans[i] if i is not None else None) for e, i in zip(exprs, where)]
    pub = published_anchor(published) or (_stamped(text, exprs, date_lines) if inferred_now else None)
    now = None if pub or not inferred_now else article_now(exprs, future, text, links)
    isos = [normalise(e, None) if e.kind == "absolute" else None for e in exprs]

    anchors: list[Anchor | None] = [None] * len(exprs)
    values: list[str | None] = list(isos)
    for n, (expr, fut) in enumerate(zip(exprs, future)):
        if expr.kind == "yearless":
            anchors[n] = _local_context(exprs, isos, where, n, ("month", "day"), context_sentences) or pub or now
            if now is not None and anchors[n] is now:  # only a bound, unless the weekday fixes the year
                anchors[n] = weekday_year(expr, now, fut) or now
        elif expr.kind in {"relative", "weekday"}:
            anchors[n] = pub or _local_context(exprs, isos, where, n, ("day",), context_sentences) or now
            if (anchor := anchors[n]) is not None and _weekend_just_past(text, expr, spans, where[n], fut, anchor):
                expr = exprs[n] = replace(expr, offset=-1)
                anchors[n] = replace(anchor, label=f"{anchor.label}, told in the past: the weekend before it")
        if expr.kind != "absolute":
            values[n] = normalise(expr, anchors[n], future=fut)
    _resolve_narratives(text, exprs, values, anchors, where, spans, pub)
    for _ in range(STORY_ROUNDS):  # a date moved into the story moves the offsets counted from it, and they the next date
        if pub is None or not _move_into_story(text, exprs, values, anchors, where, spans, future, pub):
            break
        _resolve_narratives(text, exprs, values, anchors, where, spans, pub)

    events: list[Event] = []
    for n, (expr, sent, anchor, value) in enumerate(zip(exprs, where, anchors, values)):
        sentence = spans[sent] if sent is not None else _Span(expr.start, expr.end)
        events.append(
            Event(
                id=f"{source_id}:e{len(events) + 1}",
                source_id=source_id,
                start=expr.start,
                end=expr.end,
                date_text=expr.text,
                date=value,
                anchor=anchor.label if anchor is not None and expr.kind != "absolute" else None,
                description=describe(text, sentence.start, sentence.end, expr.start, expr.end),
                sentence_id=sentence_ids[sent] if sent is not None else None,
            )
        )
    return events


def _stamped(text: str, exprs: Sequence[DateExpr], date_lines: Sequence[str]) -> Anchor | None:
    """The writing time an update stamp states, in the text or in a removed header line."""
    if (anchor := update_stamp(text, exprs)) is not None:
        return anchor
    for line in date_lines:
        if (anchor := update_stamp(line, find_date_expressions(line))) is not None:
            return replace(anchor, label=anchor.label.split(" (char")[0] + " (a header line the clean stage took out)")
    return None


def speaks_of_future(text: str, expr: DateExpr, sentence: _Span | None) -> bool:
    """True when the words near the date put it ahead of the writing time.

    Only a window around the date counts (``CUE_BEFORE``/``CUE_AFTER`` characters inside
    its sentence), so "met him Sunday to pitch a plan he says will work" stays past. A bare
    weekday ("on Tuesday") follows the tense of the verb that governs it in its clause where that
    verb has one (:func:`cruxmap.nlp.date_tense.clause_tense`): "are voting on Tuesday" is ahead,
    "said Tuesday he will" behind.
    """
    lo = max(sentence.start if sentence else 0, expr.start - CUE_BEFORE)
    hi = min(sentence.end if sentence else len(text), expr.end + CUE_AFTER)
    before = text[lo : expr.start]
    if PAST_CUE.search(before):
        return False
    if expr.kind == "weekday" and expr.direction == 0:
        tense = clause_tense(text, expr.start, expr.end, sentence.start if sentence else 0,
                             sentence.end if sentence else len(text))
        if tense is not None:
            return tense == "future"
    if expr.kind == "weekday" and DEADLINE_CUE.search(before):
        return True
    return bool(FUTURE_CUE.search(before) or FUTURE_CUE.search(text[expr.end : hi]))


def _sentence_index(spans: Sequence[_Span], offset: int) -> int | None:
    for i, span in enumerate(spans):
        if span.start <= offset < span.end:
            return i
    return None


def _local_context(exprs, isos, where, n: int, precisions: tuple[str, ...],
                   context_sentences: int = CONTEXT_SENTENCES) -> Anchor | None:
    """Nearest preceding explicit date of the wanted precision within ``context_sentences`` sentences."""
    here = where[n]
    if here is None:
        return None
    for k in range(n - 1, -1, -1):
        if where[k] is None or here - where[k] > context_sentences:
            break
        expr, iso = exprs[k], isos[k]
        if iso is None or expr.decade or expr.year2 is not None:
            continue
        anchor = _expr_anchor(expr, iso)
        if anchor.precision in precisions:
            return anchor
    return None


def _resolve_narratives(text, exprs, values, anchors, where, spans, pub: Anchor | None) -> None:
    story = StoryContext(text, exprs, values, where, spans, pub, not_story=not_story_times(text, exprs, spans))
    # a day or month of the year told before it ("the weeks after the disaster of March 11 that year") first:
    # it is dated from what precedes it alone, and an offset before it may count from it
    first = [n for n, e in enumerate(exprs) if e.pattern == "md_that_year"]
    rest = [n for n, e in enumerate(exprs) if e.kind == "narrative" and e.pattern != "md_that_year"]
    for n in [*first, *rest]:  # the rest in text order, so "the next day … two days later" chains
        anchors[n], value = story_time(story, n)
        values[n] = value if value is not None else normalise(exprs[n], anchors[n])


def _move_into_story(text, exprs, values, anchors, where, spans, future, published: Anchor) -> bool:
    """Year-less dates of a story told in the past that the publication date would put after itself
    ("by late March of last year … a few weeks after … On May 28, agents stopped him", published in
    March): such a date is the first of its month and day after the story's time — the nearest
    month- or day-precise date (offsets included) within ``STORY_SENTENCES`` sentences before it — when
    that is at most ``STORY_GAP_DAYS`` later and not after the publication. HeidelTime's narrative mode
    takes the year of every underspecified date from the last date mentioned; in news the publication
    date stays the rule, and a past-tense verb by the date is required, because a page's date is often
    its first version and a future event may be told without a future word. True when one moved.
    """
    moved = False
    for n, expr in enumerate(exprs):
        here = where[n]
        if (expr.kind != "yearless" or anchors[n] is not published or future[n] or here is None
                or not _starts_after(values[n], published.when) or not _told_in_past(text, expr, spans[here])):
            continue
        for k in range(n - 1, -1, -1):
            if where[k] is None or here - where[k] > STORY_SENTENCES:
                break
            value = values[k]
            if not value or "/" in value or "W" in value or value.startswith("--") or exprs[k].pattern == "named":
                continue  # ranges, weeks and named events ("9/11") are not where the story stands
            parts = [int(p) for p in value.split("-")]
            if len(parts) < 2:
                continue  # nor is a bare year
            story = date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
            if story > published.when:
                continue  # itself after the telling ("The next day, May 30": the offset took the date's value)
            after = _first_on_or_after(expr, story)
            if after is not None and after <= published.when and (after - story).days <= STORY_GAP_DAYS:
                anchors[n] = Anchor(date(after.year, 7, 1), "year",
                                    f"story time: {value} (char {exprs[k].start}), the first such date after it; "
                                    f"the publication ({published.when.isoformat()}) would put it later")
                values[n] = normalise(expr, anchors[n])
                moved = True
            break
    return moved


def _weekend_just_past(text: str, expr: DateExpr, spans: Sequence[_Span], here: int | None, future: bool,
                       anchor: Anchor) -> bool:
    """True for "this weekend" told in the past ("protesters marched this weekend") from a day-precise
    Monday to Thursday: the weekend that just ended, not the coming one. On the dated pool, 21 of the 27 such
    phrases read were the weekend before; the rest were plans told with a past participle ("this weekend's
    planned rally")."""
    if expr.unit != "weekend" or expr.offset != 0 or future or here is None:
        return False
    early_in_week = anchor.bound is None and anchor.precision == "day" and anchor.when.weekday() <= 3
    return early_in_week and _told_in_past(text, expr, spans[here])


def _told_in_past(text: str, expr: DateExpr, sentence: _Span) -> bool:
    """A past-tense verb stands near the date, in its sentence."""
    lo, hi = max(sentence.start, expr.start - CUE_BEFORE), min(sentence.end, expr.end + PAST_VERB_AFTER)
    return bool(PAST_VERB.search(text[lo : expr.start]) or PAST_VERB.search(text[expr.end : hi]))


def _starts_after(iso: str | None, when: date) -> bool:
    """True when the (first) date of ``iso`` begins after ``when``."""
    if not iso or iso.startswith("--"):
        return False
    parts = [int(p) for p in iso.split("/")[0].split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1) > when


def _first_on_or_after(expr: DateExpr, when: date) -> date | None:
    """The first date with ``expr``'s month (and day) not before ``when`` (a month-precise ``when``
    counts from its first day)."""
    assert expr.month is not None, expr
    for year in (when.year, when.year + 1):
        try:
            candidate = date(year, expr.month, expr.day or 1)
        except ValueError:
            return None
        if candidate >= when or (expr.day is None and (year, expr.month) == (when.year, when.month)):
            return candidate
    return None


def _add_entity_candidates(text: str, exprs: list[DateExpr], entities: Iterable[Entity]) -> list[DateExpr]:
    """DATE entities from the NER layer that the patterns missed, when a pattern parses them.

    The entity's text is parsed on its own (a bare "March" that spaCy calls a DATE is a month
    there); entities that no pattern can normalise ("three years", "decades") are left out.
    """
    extra = []
    for ent in entities:
        if ent.label != "DATE" or any(e.start < ent.end and ent.start < e.end for e in exprs):
            continue
        snippet = text[ent.start : ent.end]
        for found in find_date_expressions("in " + snippet):
            start, end = ent.start + found.start - 3, ent.start + found.end - 3
            if start >= ent.start:
                extra.append(_shift(found, start, end, text))
    return sorted(exprs + extra, key=lambda e: e.start)


def _shift(expr: DateExpr, start: int, end: int, text: str) -> DateExpr:
    return replace(expr, start=start, end=end, text=text[start:end])


class EventStage(Stage):
    """Pipeline stage ``events``: adds ``Document.events`` from the sentence layer (and the entities, whose
    named events and holidays are date candidates)."""

    name = "events"
    requires = ("sentences", "entities")
    provides = ("events",)
    options_model = EventRulesOptions

    def __init__(self, context_sentences: int = _OPTIONS.context_sentences, inferred_now: bool = _OPTIONS.inferred_now):
        self.context_sentences = context_sentences
        self.inferred_now = inferred_now

    def version(self) -> str:
        return version_of(self, rules_fingerprint(), *changed_options(self))

    def __call__(self, doc: Document) -> Document:
        source = doc.source
        links = [removed.text for removed in source.removed if removed.reason in ("url", "url-list")]
        date_lines = [removed.text for removed in source.removed if removed.reason == "date"]
        doc.events = extract_events(
            source.text, source.id, source.published, sentences=doc.sentences, entities=doc.entities, links=links,
            date_lines=date_lines,
            context_sentences=self.context_sentences, inferred_now=self.inferred_now,
        )
        return doc


# ----------------------------------------------------------------------------- timeline


def iso_sort_key(iso: str | None) -> tuple:
    """Chronological key: dated before year-less before undated; coarser first on a tie."""
    if iso is None:
        return (2,)
    if (ends := bound_ends(iso)) is not None:  # a bound sorts by its known end
        iso = ends[0] or ends[1]
        assert iso is not None, ends
    first = iso.split("/")[0]
    if first.startswith("--"):
        parts = [int(p) for p in first[2:].split("-")]
        return (1, parts[0], parts[1] if len(parts) > 1 else 0)
    week = re.match(r"^(\d{4})-W(\d{2})$", first)
    if week:
        monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        return (0, monday.year, monday.month, monday.day, 1)
    parts = [int(p) for p in first.split("-")]
    parts += [0] * (3 - len(parts))
    return (0, parts[0], parts[1], parts[2], len(first))


def resolved_how(date: str | None, anchor: str | None, date_text: str | None = None) -> str:
    """How an event's date was reached, in words a fact-checker can check: as written, or counted from which
    anchor, by which offset ("+3 years", read from ``date_text``), to which precision; a date counted from a
    writing time the article does not state is only a bound, and says so."""
    if not anchor:
        return f"as written · {value_precision(date)}" if date else "no date it could count from"
    if not date:
        return f"could not be dated from {anchor}"
    offset = offset_words(date_text) if date_text else None
    parts = [f"counted from {anchor}", offset]
    if bound_ends(date) is not None:  # only an article without a date gives bounds: say so, and leave the text unresolved
        unresolved = f"“{date_text}” stays unresolved, " if date_text else ""
        parts.insert(0, f"the article carries no date: {unresolved}only a bound ({date_words(date, date_text)})")
    else:
        parts.append(value_precision(date))
    return " · ".join(p for p in parts if p)


def timeline_date_words(date: str | None, date_text: str | None = None) -> str:
    """An event's date for a timeline's date column: the value in words, "?" for none; a bound (only an article without
    a date gives one) is no date, and says so: "? (undated article; 1991 or later)"."""
    words = date_words(date, date_text)
    if not words:
        return "?"
    return f"? (undated article; {words})" if bound_ends(date) is not None else words


def value_precision(iso: str) -> str:
    """The precision of a value in words: "day", "month", "year", "week", or "span" for a range (``2010/2012``)."""
    if "/" in iso:
        return "span"
    if "W" in iso:
        return "week"
    return PRECISIONS[min(len(iso.lstrip("-").split("-")), 3) - 1] if not iso.startswith("--") else "year unknown"


def offset_words(date_text: str) -> str | None:
    """The offset a relative or narrative expression counts ("three years later" → "offset +3 years", "the day
    before" → "offset −1 day", "hours later" → "offset 0 days (hours)", "weeks earlier" → "offset: some weeks
    back"); None for a date that names its own time, a weekday or a season."""
    found = [e for e in find_date_expressions(date_text) if e.kind in ("narrative", "relative")]
    if not found or found[0].unit not in ("day", "week", "month", "year", "unknown"):
        return None
    expr = found[0]
    if expr.vague:
        return f"offset: some {expr.vague}s {'back' if expr.direction < 0 else 'on'}"
    if expr.unit == "unknown" or expr.pattern in ("that_month", "that_day", "that_month_only", "md_that_year"):
        return None
    if expr.hours is not None:  # "13 hours later": the days it makes depend on the hour it counts from
        return f"offset {'+' if expr.hours > 0 else '−'}{abs(expr.hours)} hour{'' if abs(expr.hours) == 1 else 's'}"
    sign = "+" if expr.offset > 0 else "−" if expr.offset < 0 else ""
    hours = " (hours)" if re.search(r"\bhours?\b", date_text, re.I) else ""
    return f"offset {sign}{abs(expr.offset)} {expr.unit}{'' if abs(expr.offset) == 1 else 's'}{hours}"


def format_timeline(events: Iterable[Event], sources: Iterable[Source]) -> list[dict[str, str | None]]:
    """Rows for ``cruxmap timeline``: chronological, year-less after dated, undated last.

    Each row: ``date`` (ISO or ``?``), ``date_in_words`` (:func:`timeline_date_words`), ``date_text``, ``description``, ``source`` (title,
    else path), ``source_id``, ``anchor``, ``how`` (:func:`resolved_how`) and ``event_id``.
    """
    by_id = {s.id: s for s in sources}
    rows = []
    for ev in sorted(events, key=lambda e: (iso_sort_key(e.date), e.source_id, e.start)):
        src = by_id.get(ev.source_id)
        rows.append(
            {
                "date": ev.date or "?",
                "date_in_words": timeline_date_words(ev.date, ev.date_text),
                "date_text": ev.date_text,
                "description": ev.description,
                "source": (src.title or src.path) if src else ev.source_id,
                "source_id": ev.source_id,
                "anchor": ev.anchor,
                "how": resolved_how(ev.date, ev.anchor, ev.date_text),
                "event_id": ev.id,
            }
        )
    return rows
