"""Find date expressions in English news text and normalise them to ISO 8601.

Pure Python, no model. A hand-written finder was chosen over ``dateparser.search``:
dateparser silently fills missing parts from *today* (it turns "Friday" or "13 years ago"
into a date relative to the machine clock), accepts many non-dates ("May", "2,000") and does
not return character offsets; here every span is exact and nothing is guessed without an
anchor.

Conventions of the ``date`` value (ISO 8601 / ISO 8601-2 where ISO has a form for it):

* the precision the text gives: ``2014``, ``2004-03``, ``2022-02-21``;
* ranges and named periods as intervals ``A/B``: ``2005–10`` → ``2005/2010``,
  ``March 27-28, 2024`` → ``2024-03-27/2024-03-28``, a decade ``the 1990s`` → ``1990/1999``,
  a season ``the summer of 2008`` → ``2008-06/2008-08`` (northern meteorological seasons;
  winter, which straddles two years, keeps the year only), a quarter ``Q1 2019`` →
  ``2019-01/2019-03``;
* ``early``/``mid``/``late`` and ``the end of`` widen the span but keep the precision of
  the date they qualify (``mid-2022`` → ``2022``);
* weeks as ISO weeks (``this week`` → ``2022-W08``);
* year-less dates without an anchor keep the ISO "unknown year" form ``--02-21`` / ``--03``;
  relative dates without an anchor normalise to ``None``;
* a relative or year-less date counted from a writing time the article only bounds (no publication date:
  see :mod:`cruxmap.nlp.date_now`) is one date of a set (ISO 8601-2 / EDTF): ``[1991..]`` (1991 or later),
  ``[..2021]`` (2021 or earlier), ``[2016..2021]`` (one of those years), ``[2021-02-21..]`` ("Feb. 21" of a
  page written in 2021 or later); ``date_words`` says it in words;
* named periods and wars are the years they span (``World War II`` → ``1939/1945``, ``the Cold
  War`` → ``1947/1991``, ``9/11`` → ``2001-09-11``; ``NAMED_PERIODS``), "a new Cold War" is none;
* narrative offsets (``four years later``, ``the next day``, ``the day before``, ``a year
  earlier``, ``that same day``, ``that August night`` outside quotes: kind ``narrative``) count
  from the time the story last gave, not from the writing time (a bare "that day" / "that night" only
  where the story's last date is that day, or a night told as such: see :mod:`cruxmap.nlp.date_anchors`);
  :mod:`cruxmap.nlp.events` finds that time and resolves them at the precision of the offset's
  unit, no finer than the time it counts from; one without a number ("weeks earlier", "a few
  months later") is the month or year that holds every date it can mean, else None. A span from or up
  to an event ("in the hours after the attack", "the weeks before the vote") is the month or year that
  holds all of it, counted only from a date in the event's own clause.

``find_date_expressions`` only finds and parses; ``normalise`` (:mod:`cruxmap.nlp.date_normalise`)
resolves one expression against an :class:`Anchor` (publication date or dated context, chosen by
:mod:`cruxmap.nlp.events`); :mod:`cruxmap.nlp.date_values` reads the values back (bounds in words, spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Precision = Literal["day", "month", "year"]
#: the precision of an ISO date by how many of year, month and day it has
PRECISIONS: tuple[Precision, Precision, Precision] = ("year", "month", "day")
Kind = Literal["absolute", "yearless", "relative", "weekday", "narrative"]
Bound = Literal["after", "before"]

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

# ----------------------------------------------------------------------------- patterns
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?![a-z])"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
# an abbreviation needs its dot or a following number, so that "Jan" the name is no month
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}\.|{_MONTH_ABBR}(?=\s+\d))"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
YEAR_CORE = r"(?:1[6-9]\d\d|20\d\d)"
YEAR = rf"{YEAR_CORE}(?![\d,.]\d)"
DASH = r"\s*(?:-|–|—|to|through|until)\s*"
QUAL = r"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[- ]?|[Tt]he\s+(?:beginning|start|end|middle|first\s+half|second\s+half)\s+of\s+)"
_TENS = r"(?:[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)"
#: a count in figures or words, "thirty-four" included (else its "four" alone would be read)
NUM = (rf"(?:{_TENS}[-‐](?:one|two|three|four|five|six|seven|eight|nine)|\d{{1,2}}|[Aa]|[Aa]n|[Oo]ne|two|three|four"
       r"|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
       rf"|{_TENS})")
_WD_PREFIX = rf"(?:(?P<wd>{WEEKDAY}),?\s+)?"
# a bare month name is a month only after one of these words ("in March", not "the March on …");
# checked in Python on the match, which is much faster than a regex look-behind per word
_MONTH_CUE = re.compile(
    r"\b(?:in|since|until|by|of|from|through|during|before|after|on|this|last|next|for|between|and|or|to|till)\s$",
    re.I,
)

#: "war" after a war's name, or a later name that shares it: "the Vietnam and Korean wars"
_WAR = r"(?:\s+[Ww]ars?\b|(?=\s+and\s+(?:the\s+)?[A-Z][a-z]+\s+[Ww]ars\b))"
#: named periods and events used as times, with the years (or the day) they stand for; facts
#: that need no source text. A name preceded by "new", "second", "another" or "a" is not the period.
NAMED_PERIODS: list[tuple[str, tuple[int, int] | str]] = [
    (r"(?:World\s+War\s+(?:I|One|1)(?![\w-])|WWI(?!I)|WW1\b|the\s+First\s+World\s+War|the\s+Great\s+War)", (1914, 1918)),
    (r"(?:World\s+War\s+(?:II|Two|2)(?![\w-])|WWII(?!I)|WW2\b|the\s+Second\s+World\s+War)", (1939, 1945)),
    (r"(?:the\s+)?Cold\s+War", (1947, 1991)),
    (r"(?:the\s+)?Great\s+Depression", (1929, 1939)),
    (r"(?:the\s+)?Great\s+Recession", (2007, 2009)),
    (rf"(?:the\s+)?Vietnam{_WAR}", (1955, 1975)),
    (rf"(?:the\s+)?Korean{_WAR}", (1950, 1953)),
    (rf"(?:the\s+)?(?:[Ff]irst\s+|Persian\s+)?Gulf{_WAR}", (1990, 1991)),
    (rf"(?:the\s+)?Iraq{_WAR}", (2003, 2011)),
    (r"(?<![\d/])9/11(?![\d/])", "2001-09-11"),
]
_NAMED = "|".join(f"(?P<np{i}>{rx})" for i, (rx, _) in enumerate(NAMED_PERIODS))
_NOT_THE_PERIOD = re.compile(r"\b(?:[Nn]ew|[Ss]econd|[Aa]nother|[Aa]|[Nn]ext|[Ff]uture)\s+$")
#: "a Cold War mentality", "a World War II movie": after "a" a period still is the period when it
#: qualifies the noun that follows (the "a" is that noun's)
_A_PERIOD_MODIFIER = re.compile(r"(?<=\b[Aa]\s)$")
_QUALIFIED_NOUN = re.compile(
    r"[- ](?!(?:and|or|but|with|between|against|over|in|on|at|of|for|to|from|by|that|which|who|is|was|are|were"
    r"|has|had|have|will|would|could|can|may|might|should|must|looms|loomed|began|begins|brewing|erupting)\b)[a-z]{3,}"
)
#: "this January", and "this past January", which is the last one
_THIS = r"[Tt]his(?:\s+past)?"
_APPROX = r"(?i:(?:nearly|almost|about|around|roughly|some|more\s+than|less\s+than|just|only|over|barely)\s+)?"

_PATTERNS: list[tuple[str, str]] = [
    ("named", _NAMED),
    # four years later · nearly a decade earlier · two days later
    # (any case: a headline's "Nearly 13 Hours Later"; "a half hour later" is the same day)
    ("later", (rf"\b{_APPROX}(?P<n>(?i:{NUM}|a\s+few|several|a\s+couple\s+of|a\s+half|half\s+an))\s+"
              r"(?P<u>(?i:year|month|week|day|hour|decade))s?\s+(?P<dir>(?i:later|earlier|afterwards?|after|before))\b")),
    # days earlier · weeks later · hours before · years later (no number: as precise as the text still allows)
    ("later_vague", r"(?<!\bthe\s)(?<!\bThe\s)\b(?P<u>[Hh]our|[Dd]ay|[Ww]eek|[Mm]onth|[Yy]ear|[Dd]ecade)s\s+(?P<dir>later|earlier|afterwards?|after|before)\b"),
    # in the hours after the attack · the weeks before the vote (a span from or up to the event: as precise as what
    # every time in it shares; "the final weeks before" stays an offset of "weeks before")
    ("span", r"\b[Tt]he\s+(?P<u>hour|day|week|month|year|decade)s\s+(?P<dir>afterwards?|after|before)\b"),
    # the next day · the following year · the previous week · the preceding month · the next morning
    ("following", r"\b[Tt]he\s+(?P<dir>next|following|previous|preceding|prior)\s+(?P<u>day|night|morning|evening|week|month|year)\b(?!s)"),
    # the day before · the night before · the morning after (the vote) · that same day · the same year · the (same) day of (the attack)
    ("day_of", (r"\b(?:[Tt]he\s+(?P<u1>day|night|morning|evening|week|month|year)\s+(?P<dir>before|afterwards?|after)"
               r"|[Tt]he\s+(?:very\s+|same\s+)?(?P<u3>day|night|morning|evening)\s+of(?=\s+(?:the|his|her|their|its)\s)"
               r"|(?:[Tt]hat|[Tt]he)\s+same\s+(?P<u2>day|week|month|year))\b")),
    # that August night · that March morning (a day of that month the story already told)
    ("that_month", rf"\b[Tt]hat\s+(?P<m>{_MONTH_FULL})\s+(?:day|night|morning|afternoon|evening)\b"),
    # that October (a month of the year the story last told; not "that May", which is as often the verb)
    ("that_month_only", rf"\b[Tt]hat\s+(?P<m>(?!May\b){_MONTH_FULL})\b(?!\s*\d)"),
    # that day · later that night · earlier that morning (the day the story just told: see ``date_anchors``)
    ("that_day", r"\b(?:(?:[Ll]ater|[Ee]arlier)\s+)?[Tt]hat\s+(?:day|night|morning|afternoon|evening)\b"),
    # Wednesday, March 27, 2024 · March 27-28, 2024 · Feb. 21st 2022
    ("mdy", rf"{_WD_PREFIX}(?P<m>{MONTH})\s+(?P<d>{DAY})(?:{DASH}(?P<d2>{DAY}))?,?\s+(?P<y>{YEAR})\b"),
    # 27 March 2024 · the 3rd of March, 2024 · 27-28 March 2024
    ("dmy", rf"{_WD_PREFIX}(?:the\s+)?(?P<d>{DAY})(?:{DASH}(?P<d2>{DAY}))?(?:\s+of)?\s+(?P<m>{MONTH}),?\s+(?P<y>{YEAR})\b"),
    ("iso", r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d-])"),
    ("numeric", r"(?<![\d/.])(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>(?:19|20)\d\d)(?![\d/])"),
    # Q1 2019 · the first quarter of 2019
    ("quarter", rf"(?:Q(?P<q>[1-4])\s+|(?:the\s+)?(?P<qw>first|second|third|fourth)\s+quarter\s+of\s+)(?P<y>{YEAR})\b"),
    # March, April 2022 · March and April 2022
    ("month_list", rf"(?P<m>{MONTH}),?\s*(?:and|or|to|-|–|,)\s*(?P<m2>{MONTH}),?\s+(?P<y>{YEAR})\b"),
    # March 2004 · early March of 2004 · the end of March 2004
    ("my", rf"{QUAL}?(?P<m>{MONTH})(?:,|\s+of)?\s+(?P<y>{YEAR})\b"),
    # the summer of 2008 · spring 2014
    ("season", rf"(?:the\s+)?(?:{QUAL})?(?P<s>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)(?:\s+of)?\s+(?P<y>{YEAR})\b"),
    # 2005–10 · 2013-14 · 1997–2002 · 2019/20
    ("year_range", rf"(?<![\d$€£#./-])(?P<y>{YEAR_CORE})\s*(?:-|–|—|/)\s*(?P<y2>\d\d(?:\d\d)?)(?![\d%]|[,.-]\d|\s*(?:percent|per\s*cent))"),
    # the 1990s · the '90s · the early 2000s
    ("decade", r"(?:the\s+)?(?:(?:early|mid|late)[- ]?)?(?:(?P<dec>1[6-9]\d0|20\d0)|['’](?P<dec2>\d0))[’']?s\b"),
    # Feb. 21 · On Friday, Feb. 21 · Dec 14-15
    ("md", rf"{_WD_PREFIX}(?P<m>{MONTH})\s+(?P<d>{DAY})(?:{DASH}(?P<d2>{DAY}))?\b(?!\s*%|\s*percent|\.\d)"),
    # 21 February · the 21st of February
    ("dm", rf"{_WD_PREFIX}(?:the\s+)?(?P<d>{DAY})(?:\s+of)?\s+(?P<m>{_MONTH_FULL}|{_MONTH_ABBR}\.)"),
    # in March · early March · last March (a bare month needs a cue before it)
    ("month", rf"\b(?:(?P<q2>[Ee]arly|[Mm]id|[Ll]ate)[- ]?)?(?P<m>{_MONTH_FULL}|{_MONTH_ABBR}\.)(?!\s*\d)"),
    # the December meeting · an April poll (a month used as a modifier of a noun)
    ("month_modifier", rf"(?:(?<=\b[Tt]he\s)|(?<=\b[Aa]n\s)|(?<=\b[Aa]\s))(?P<m>{_MONTH_FULL})(?=\s+(?!on\b|for\b|to\b|of\b|and\b|against\b)[a-z]{{3,}})"),
    ("rel_month_word", rf"(?P<dir>[Ll]ast|[Nn]ext|{_THIS})\s+(?P<m>{_MONTH_FULL})\b(?!\s*\d)"),
    # mid-2022 · late 2021 · the end of 2021 · fiscal 2019 · FY2019
    ("qual_year", rf"(?:{QUAL}|[Ff]iscal\s+(?:year\s+)?|FY\s?)(?P<y>{YEAR})\b"),
    ("season_rel", r"(?P<dir>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<s>spring|summer|fall|autumn|winter)\b"),
    # May 17 of last year · March of this year · April 15 last year · in March this year
    ("md_rel", rf"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[- ]?)?(?P<m>{MONTH})(?:\s+(?P<d>{DAY}))?\s+(?:of\s+)?(?P<dir>last|this|next)\s+year\b(?!['’]s)"),
    # March 11 that year · in May of the same year (a day or month of the year the story last told)
    ("md_that_year", rf"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[- ]?)?(?P<m>{MONTH})(?:\s+(?P<d>{DAY}))?\s+(?:of\s+)?(?:that|the\s+same)\s+year\b(?!['’]s)"),
    # two years ago · a year ago today (the same day of the month, that many units back)
    ("ago", rf"\b(?P<n>(?i:{NUM}))\s+(?P<u>year|month|week|day|decade)s?\s+ago\b(?P<today>,?\s+today\b)?"),
    ("years_on", rf"\b(?P<n>{NUM})\s+(?P<u>year|month|week)s?\s+on(?:\s+now)?\b(?=\s*[,.;:—–)]|\s+now)"),
    # last year · earlier this month · next week ("the last year" is a duration, not a date)
    ("rel_unit", (r"(?<!\bthe\s)(?<!\bThe\s)\b(?:(?P<pre>[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+)?(?P<dir>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+(?P<u>year|month|week)\b"
                 r"(?!['’]s\s+(?:\d|one|two|three))(?<!\b[Pp]ast\syear)(?<!\b[Pp]ast\smonth)(?<!\b[Pp]ast\sweek)")),
    ("weekend", rf"\b(?P<dir>[Ll]ast|[Nn]ext|{_THIS})\s+weekend\b"),
    # a name before a capitalised "Today"/"Sunday" makes it a title: USA Today, Fox News Sunday
    ("deictic", r"(?<!USA\s)(?<!['’]s\s)\b(?P<w>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast\s+night)\b"),
    # Friday · on Friday · last Friday · next Monday morning
    # a weekday after "every" or "each" recurs: it names no single date
    ("weekday", rf"(?<!\bNews\s)(?<!\bevery\s)(?<!\beach\s)(?:(?P<dir>[Ll]ast|[Nn]ext|{_THIS})\s+)?(?P<wd>{WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?\b"),
    # pre-2014 · in 2014 · 1997
    ("year", rf"(?<![\d$€£#./:,-])(?:(?:pre|post|mid)-)?(?P<y>{YEAR})\b(?![-–/]\d)"),
]
_COMPILED = [(name, re.compile(rx)) for name, rx in _PATTERNS]
#: patterns tried only around a cheap trigger (a word every match contains), in a window of
#: (characters before, characters after) it: each is long alternation that is slow to try at every
#: position of every article
_OFFSET_WORD = re.compile(r"\b(?:later|earlier|after(?:wards?)?|before)\b", re.I)
_TRIGGERS = {
    "named": (re.compile(r"[Ww]ars?\b|WW|Depression|Recession|9/11|\b(?:Vietnam|Korean|Gulf|Iraq)(?=\s+and\s)"), (40, 30)),
    "later": (_OFFSET_WORD, (60, 8)),
    "later_vague": (_OFFSET_WORD, (20, 8)),
    "span": (_OFFSET_WORD, (16, 8)),
    "that_day": (re.compile(r"\b[Tt]hat\s"), (10, 12)),
    "md_rel": (re.compile(r"\byear\b"), (40, 4)),
    "md_that_year": (re.compile(r"\byear\b"), (40, 4)),
    "ago": (re.compile(r"\bago\b"), (40, 14)),
}
#: a duration, not a time: ``in the next year``, ``over the following month``
_DURATION_BEFORE = re.compile(r"\b(?:in|over|for|within|during)\s+$", re.IGNORECASE)
#: "every ten years after the census" recurs, "the next few days after the vote" is a span: no offsets
_SPAN_OR_RECURRENCE = re.compile(r"\b(?:every|each|next)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
#: "for days afterward", "within 15 days after the vote", "for at least a decade before": how long, not when
_FOR_DURATION = re.compile(rf"\b(?:for|over|within|during)\s+(?:(?:at\s+least|up\s+to|almost|nearly|about|only|just"
                           rf"|more\s+than|less\s+than|over)\s+)*(?:(?:{NUM}|a\s+few|several|a\s+couple\s+of)\s+)?$", re.IGNORECASE)

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|gov|edu|ru|ua|uk|int|eu|io)/\S*", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")

# words before a number that make it a label, an amount or a reference, not a year
_NOT_YEAR_BEFORE = re.compile(
    r"(?:\b(?:Article|Art\.|Section|Sec\.|Type|No\.|no\.|Nos?\.|Number|number|page|pages|p\.|pp\.|Resolution|resolution"
    r"|Flight|flight|Route|route|Highway|Interstate|Room|room|Suite|Model|Chapter|Rule|Vol\.|Volume|Code|Form|Paragraph"
    r"|Exit|Apt\.|Bill|bill|H\.R\.|S\.|Boeing|Airbus|Unit|Squadron|Division|Brigade|Regiment|Battalion|Precinct|District"
    r"|Order|Opinion|Case|Docket|Ward|Box|Mile|Lot|Line|Channel|Pier|Gate|Track|Platform|Windows|Vision|Agenda)"
    r"|[$€£#]|\bUS\$|\bUSD|\bEUR)\s*$"
)
# words after a number that make it a count or a measure
_NOT_YEAR_AFTER = re.compile(
    r"^(?:\s*(?:%|percent\b|per\s*cent\b|-year-old|-years-old|\s*years?\s+old\b|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|EST|EDT|UTC|hours?\b|hrs\b))"
    r"|\s+(?:people|persons|troops|soldiers|men|women|children|kids|residents|citizens|votes|voters|jobs|employees|workers"
    r"|members|dollars|euros|pounds|rubles|roubles|hryvnias|yuan|yen|miles|kilometers|kilometres|km|meters|metres|feet"
    r"|ft|tons|tonnes|acres|pages|words|cases|deaths|students|refugees|migrants|immigrants|casualties|officers|police"
    r"|units|homes|houses|vehicles|cars|tanks|rounds|shares|points|barrels|gallons|signatures|copies|items|lbs|kg|mph"
    r"|calories|seats|delegates|patients|infections|beds|flights|missiles|drones|rockets|shells|weapons|guns|rifles"
    r"|aircraft|planes|jets|ships|boats|prisoners|detainees|civilians|fighters|militants|protesters|demonstrators|times"
    r"|companies|firms|businesses|schools|hospitals|villages|towns|cities|miles|sq|square|calls|emails|messages|posts"
    r"|tweets|followers|views|likes|users|accounts|bytes|MB|GB|kB|bpd|mw|MW)\b)"
)
_STREET = re.compile(r"^\s+[A-Z]\w+\s+(?:Avenue|Ave\.?|Street|St\.|Road|Rd\.|Boulevard|Blvd\.?|Drive|Dr\.|Lane|Way|Place|Court)\b")


@dataclass(frozen=True)
class DateExpr:
    """One date expression found in a text, parsed but not yet resolved against an anchor.

    ``kind`` says what resolution needs: ``absolute`` (has its year), ``yearless`` (month and
    maybe day, year to infer), ``relative`` (offset from now: ``unit``/``offset``) or
    ``weekday`` (``weekday`` with ``direction`` -1 last, 0 nearest, +1 next). A day given with its
    weekday ("Tuesday, March 3") keeps the weekday too: the calendar may fix a missing year.
    """

    start: int
    end: int
    text: str
    kind: Kind
    pattern: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year2: int | None = None
    month2: int | None = None
    day2: int | None = None
    unit: str | None = None  # relative: day, week, month, year, season
    offset: int = 0
    weekday: int | None = None
    direction: int = 0
    season: str | None = None
    decade: bool = False
    #: a narrative offset without a number ("weeks earlier"): the unit it counts in (``unit`` is then the
    #: precision the text still guarantees)
    vague: str | None = None
    #: a numbered offset in hours ("13 hours later": +13), counted as days only from a story time told with its
    #: hour (``Anchor.hour``); otherwise hours are the same day
    hours: int | None = None
    #: a span from or up to the event ("in the weeks after the vote"): its times begin at the event, not some
    #: units away from it (``vague`` is its unit)
    span: bool = False
    #: "a year ago today": the writing day itself, that many units back (a day, not only a year)
    to_the_day: bool = False

    @property
    def iso(self) -> str | None:
        """The ISO value of an absolute expression (``None`` for the others)."""
        from .date_normalise import normalise  # resolving needs this module's types: imported when used

        return normalise(self, None) if self.kind == "absolute" else None


@dataclass(frozen=True)
class Anchor:
    """What year-less and relative dates are resolved against, and how to say so."""

    when: date
    precision: Precision
    label: str  # e.g. "published 2022-02-25" or "context: 2022 (char 1234)"
    #: a writing time inferred from the article's own dates is a bound, not a date: "after" (on or after
    #: ``when``) or "before" (in ``when``'s year or earlier); None for a time the text or metadata gives
    bound: Bound | None = None
    #: with a "before" bound, the first year the writing time can be in, where the article also sets a floor
    floor: int | None = None
    #: the hour of the day the story time is told at ("at 9 p.m.", "Tuesday evening"), where the text gives it
    hour: int | None = None
    #: a writing time known to lie in the few days from ``when`` on (an article written about a post it embeds):
    #: values counted from it keep only what the first and the last of those days agree on ("today" from the
    #: days after 2017-07-25 is ``2017-07``; from the days after 2017-07-29 only ``2017``)
    within_days: int | None = None


# ----------------------------------------------------------------------------- finding


def url_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of URLs and e-mail addresses: numbers inside them are never dates."""
    return [m.span() for rx in (_URL, _EMAIL) for m in rx.finditer(text)]


def find_date_expressions(text: str) -> list[DateExpr]:
    """All date expressions of ``text``, longest first where they overlap, in text order."""
    blocked = url_spans(text)
    candidates: list[DateExpr] = []
    for priority, (name, rx) in enumerate(_COMPILED):
        for m in _matches(name, rx, text):
            if any(s < m.end() and m.start() < e for s, e in blocked):
                continue
            expr = _parse(name, m, text)
            if expr is not None:
                candidates.append(expr)
    # keep the longest span where candidates overlap; on a tie the earlier pattern wins
    order = {name: i for i, (name, _) in enumerate(_PATTERNS)}
    candidates.sort(key=lambda e: (-(e.end - e.start), order[e.pattern], e.start))
    taken: list[DateExpr] = []
    for expr in candidates:
        if all(expr.end <= t.start or expr.start >= t.end for t in taken):
            taken.append(expr)
    return sorted(taken, key=lambda e: e.start)


def _matches(name: str, rx: re.Pattern, text: str) -> list[re.Match]:
    """Every match of one pattern; a triggered pattern is tried only in windows around its trigger."""
    if name not in _TRIGGERS:
        return list(rx.finditer(text))
    trigger, (before, after) = _TRIGGERS[name]
    found: dict[tuple[int, int], re.Match] = {}
    for t in trigger.finditer(text):
        for m in rx.finditer(text, max(0, t.start() - before), min(len(text), t.end() + after)):
            if m.start() <= t.start() and t.end() <= m.end():
                found.setdefault(m.span(), m)
    return [found[k] for k in sorted(found)]


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _day(token: str) -> int:
    digits = re.match(r"\d+", token)
    assert digits is not None, token  # the DAY pattern starts with digits
    return int(digits.group())


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    return sum(NUMBER_WORDS[part] for part in re.split(r"[-‐]", token.lower()))  # "thirty-four": 30 + 4


def valid_day(year: int | None, month: int, day: int) -> bool:
    """True when the day exists in ``year`` (any leap year when the year is unknown)."""
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: Feb. 29 stays valid year-less
    except ValueError:
        return False
    return True


def _parse(name: str, m: re.Match, text: str) -> DateExpr | None:
    """Turn one regex match into a ``DateExpr``, or ``None`` when it is no date after all."""
    g = m.groupdict()
    start, end = m.span()
    base = {"start": start, "end": end, "text": m.group(0), "pattern": name}
    if name in {"mdy", "dmy", "iso", "numeric", "md", "dm"}:
        month = _month(g["m"]) if not g["m"].isdigit() else int(g["m"])
        day = _day(g["d"])
        year = int(g["y"]) if g.get("y") else None
        day2 = _day(g["d2"]) if g.get("d2") else None
        if not valid_day(year, month, day) or (day2 is not None and (day2 <= day or not valid_day(year, month, day2))):
            return None
        if name in {"md", "dm"} and _is_other_number(text, m):
            return None
        kind: Kind = "absolute" if year else "yearless"
        weekday = WEEKDAYS[g["wd"].lower()] if g.get("wd") else None  # "Tuesday, March 3": the calendar may fix its year
        return DateExpr(**base, kind=kind, year=year, month=month, day=day, day2=day2, weekday=weekday)
    if name == "named":
        index = next(int(k[2:]) for k, v in g.items() if k.startswith("np") and v)
        value = NAMED_PERIODS[index][1]
        if _NOT_THE_PERIOD.search(text, max(0, start - 12), start) and not (
            isinstance(value, tuple)  # "a 9/11 memorial" is no day to count from
            and _A_PERIOD_MODIFIER.search(text, max(0, start - 3), start)
            and _QUALIFIED_NOUN.match(text, end)
        ):
            return None
        if isinstance(value, str):
            y, mo, d = (int(p) for p in value.split("-"))
            return DateExpr(**base, kind="absolute", year=y, month=mo, day=d)
        return DateExpr(**base, kind="absolute", year=value[0], year2=value[1])
    if name in {"that_month", "that_day", "that_month_only"}:
        if inside_quote(text, start):
            return None  # a speaker's "that day" points into the speaker's story, not the article's
        unit = "month" if name == "that_month_only" else "day"
        return DateExpr(**base, kind="narrative", unit=unit, offset=0, month=_month(g["m"]) if g.get("m") else None)
    if name == "md_that_year":
        month, that_day = _month(g["m"]), (_day(g["d"]) if g.get("d") else None)
        if (that_day is not None and not valid_day(None, month, that_day)) or inside_quote(text, start):
            return None
        return DateExpr(**base, kind="narrative", unit="day" if that_day else "month", offset=0, month=month,
                        day=that_day)
    if name in {"later", "following", "day_of", "later_vague", "span"}:
        if name == "following" and _DURATION_BEFORE.search(text, max(0, start - 8), start):
            return None
        if name in {"later", "later_vague"} and (_SPAN_OR_RECURRENCE.search(text, max(0, start - 30), start)
                                                 or _FOR_DURATION.search(text, max(0, start - 40), start)):
            return None
        word = (g.get("dir") or "same").lower()
        word = "later" if word.startswith("afterward") else word  # "weeks afterwards", "the day afterward"
        sign = {"later": 1, "next": 1, "following": 1, "after": 1, "earlier": -1, "previous": -1,
                "preceding": -1, "prior": -1, "before": -1, "same": 0}[word]
        unit = str(g.get("u") or g.get("u1") or g.get("u2") or g.get("u3")).lower()
        unit = "day" if unit in ("night", "morning", "evening") else unit
        count = " ".join((g.get("n") or "").lower().split())
        vague = name in ("later_vague", "span") or count in ("a few", "several", "a couple of")
        if count in ("a half", "half an"):
            if unit != "hour":
                return None
            count = "0"  # half an hour: the same day
        n = 1 if vague or not count else _number(count)
        if unit == "decade":
            unit, n = "year", 10 * n
        if unit == "hour":  # hours before / later: the same day, unless the story time has its hour
            hours = None if vague else sign * n
            return DateExpr(**base, kind="narrative", unit="day", offset=0, hours=hours, span=name == "span")
        if vague:  # "days earlier": as precise as the text still guarantees (the unit above); "a few years
            # later" guarantees no year at all
            coarser = {"day": "month", "week": "month", "month": "year"}.get(unit, "unknown")
            return DateExpr(**base, kind="narrative", unit=coarser, offset=0, direction=sign, vague=unit, span=name == "span")
        return DateExpr(**base, kind="narrative", unit=unit, offset=sign * n)
    if name == "quarter":
        q = int(g["q"]) if g.get("q") else ["first", "second", "third", "fourth"].index(g["qw"].lower()) + 1
        return DateExpr(**base, kind="absolute", year=int(g["y"]), month=3 * q - 2, month2=3 * q)
    if name == "month_list":
        month, month2 = _month(g["m"]), _month(g["m2"])
        if month2 <= month:
            return None
        return DateExpr(**base, kind="absolute", year=int(g["y"]), month=month, month2=month2)
    if name == "my":
        if g["m"] == "May" and _may_is_verb(text, m):
            return None
        return DateExpr(**base, kind="absolute", year=int(g["y"]), month=_month(g["m"]))
    if name == "season":
        return DateExpr(**base, kind="absolute", year=int(g["y"]), season=g["s"].lower())
    if name == "year_range":
        return _parse_year_range(base, g, text, m)
    if name == "decade":
        if g.get("dec"):
            first = int(g["dec"])
            if first % 100 == 0 and first < 2000:  # "the late 1800s" is a century, "the 2000s" a decade
                return DateExpr(**base, kind="absolute", year=first, year2=first + 99, decade=True)
        else:
            two = int(g["dec2"])
            first = (1900 if two >= 30 else 2000) + two
        return DateExpr(**base, kind="absolute", year=first, year2=first + 9, decade=True)
    if name in {"month", "month_modifier"}:
        if name == "month" and not g.get("q2") and not _MONTH_CUE.search(text, max(0, start - 9), start):
            return None
        if g["m"] == "May" and _may_is_verb(text, m):
            return None
        return DateExpr(**base, kind="yearless", month=_month(g["m"]))
    if name == "rel_month_word":
        direction = _direction(g["dir"])
        return DateExpr(**base, kind="yearless", month=_month(g["m"]), direction=direction)
    if name == "qual_year":
        if _is_other_number(text, m):
            return None
        return DateExpr(**base, kind="absolute", year=int(g["y"]))
    if name == "season_rel":
        direction = _direction(g["dir"])
        return DateExpr(**base, kind="relative", unit="season", offset=direction, season=g["s"].lower())
    if name == "md_rel":
        month, md_day = _month(g["m"]), (_day(g["d"]) if g.get("d") else None)
        if md_day is not None and not valid_day(None, month, md_day):
            return None
        offset = {"last": -1, "this": 0, "next": 1}[g["dir"]]
        return DateExpr(**base, kind="relative", unit="year", offset=offset, month=month, day=md_day)
    if name == "ago":
        n = _number(g["n"])
        unit = g["u"].lower()
        if unit == "decade":
            unit, n = "year", 10 * n
        return DateExpr(**base, kind="relative", unit=unit, offset=-n, to_the_day=bool(g.get("today")))
    if name == "years_on":
        return DateExpr(**base, kind="relative", unit=g["u"].lower(), offset=0)
    if name == "rel_unit":
        direction = {"last": -1, "next": 1, "this": 0, "past": -1}[g["dir"].lower()]
        return DateExpr(**base, kind="relative", unit=g["u"].lower(), offset=direction)
    if name == "weekend":
        direction = _direction(g["dir"])
        return DateExpr(**base, kind="relative", unit="weekend", offset=direction)
    if name == "deictic":
        word = g["w"].lower().split()[0]
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last": -1}[word]
        return DateExpr(**base, kind="relative", unit="day", offset=offset)
    if name == "weekday":
        direction = _direction(g["dir"]) if g.get("dir") else 0
        return DateExpr(**base, kind="weekday", weekday=WEEKDAYS[g["wd"].lower()], direction=direction)
    if name == "year":
        if _is_other_number(text, m):
            return None
        return DateExpr(**base, kind="absolute", year=int(g["y"]))
    raise AssertionError(name)


def inside_quote(text: str, start: int) -> bool:
    """True when more quotation marks open than close between the paragraph's start and ``start``."""
    para = text.rfind("\n", 0, start) + 1
    before = text[para:start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _direction(word: str) -> int:
    """-1 for last and this past, 0 for this, +1 for next."""
    return {"last": -1, "next": 1, "this": 0, "this past": -1}[" ".join(word.lower().split())]


def _parse_year_range(base: dict, g: dict, text: str, m: re.Match) -> DateExpr | None:
    first = int(g["y"])
    tail = g["y2"]
    second = int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail)
    if len(tail) == 2 and second <= first:  # 1999-00 rolls over the century
        second += 100
    if not first < second <= first + 100 or _is_other_number(text, m):
        return None
    return DateExpr(**base, kind="absolute", year=first, year2=second)


def _is_other_number(text: str, m: re.Match) -> bool:
    """True for amounts, counts, labels and times that merely look like years."""
    before = text[max(0, m.start() - 14) : m.start()]
    after = text[m.end() : m.end() + 30]
    if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(after) or _STREET.match(after):
        return True
    # part of a larger number, a decimal, a score or a phone number ("3.2014", "1,2014", "2014.5")
    return bool(re.search(r"\d[.,:]$", before) or re.match(r"^[.,:]\d", after))


def _may_is_verb(text: str, m: re.Match) -> bool:
    """'May' followed by a year is a month; 'they May 2014' cannot be told apart, so only a
    preceding pronoun or modal context rejects it."""
    before = text[max(0, m.start() - 12) : m.start()].lower()
    return bool(re.search(r"\b(?:i|you|we|they|he|she|it|who|which|that)\s+$", before))


