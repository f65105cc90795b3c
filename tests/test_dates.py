"""Date expression finding and ISO normalisation (pure Python, own sentences)."""

from datetime import date

import pytest

from cruxmap.nlp.date_normalise import normalise
from cruxmap.nlp.dates import Anchor, find_date_expressions

PUBLISHED = Anchor(date(2022, 2, 25), "day", "published 2022-02-25")  # a Friday


def found(text: str, anchor: Anchor | None = PUBLISHED, future: bool = False) -> list[tuple[str, str | None]]:
    return [(e.text, normalise(e, anchor, future)) for e in find_date_expressions(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The museum reopened in 2014 after repairs.", [("2014", "2014")]),
        ("The pact was signed in March 2004 by nine states.", [("March 2004", "2004-03")]),
        ("The envoy spoke on Feb. 21 at the council.", [("Feb. 21", "2022-02-21")]),
        ("On December 14, the mayor resigned.", [("December 14", "2021-12-14")]),
        ("Her 2005–10 term saw two budget crises.", [("2005–10", "2005/2010")]),
        ("The bridge collapsed 13 years ago.", [("13 years ago", "2009")]),
        ("It is a question, three years on now, whether it helped.", [("three years on now", "2022")]),
        ("Prices rose during the 2013-14 season.", [("2013-14", "2013/2014")]),
        ("Growth was fast in the 1990s.", [("the 1990s", "1990/1999")]),
        ("Rents fell in the '90s.", [("the '90s", "1990/1999")]),
        ("Sales dipped in early March.", [("early March", "2022-03")]),
        ("Turnout fell last year.", [("last year", "2021")]),
        ("The board met this week.", [("this week", "2022-W08")]),
        ("The strike began on Friday.", [("Friday", "2022-02-25")]),
        ("Wednesday, March 27, 2024 was wet.", [("Wednesday, March 27, 2024", "2024-03-27")]),
        ("Inflation peaked in mid-2022.", [("mid-2022", "2022")]),
        ("Fires spread in the summer of 2008.", [("the summer of 2008", "2008-06/2008-08")]),
        ("The treaty dates from 1997.", [("1997", "1997")]),
        ("Talks ran on 27-28 March 2024.", [("27-28 March 2024", "2024-03-27/2024-03-28")]),
        ("The file is dated 2021-11-19.", [("2021-11-19", "2021-11-19")]),
        ("Results came in Q3 2020.", [("Q3 2020", "2020-07/2020-09")]),
        ("Talks stalled in March, April 2022.", [("March, April 2022", "2022-03/2022-04")]),
        ("Levels stayed below their pre-2014 mark.", [("pre-2014", "2014")]),
        ("She left two weeks ago.", [("two weeks ago", "2022-W06")]),
        ("He called yesterday.", [("yesterday", "2022-02-24")]),
        ("Crowds gathered this weekend.", [("this weekend", "2022-02-26/2022-02-27")]),
        ("Brewing began in the late 1800s.", [("the late 1800s", "1800/1899")]),
        ("The March meeting was tense.", [("March", "2022-03")]),
        ("A year ago the rate was lower.", [("A year ago", "2021")]),
        ("Messages sent before May 17 of last year were lost.", [("May 17 of last year", "2021-05-17")]),
    ],
)
def test_patterns_normalise_at_the_precision_the_text_gives(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The army sent 2,000 troops and 45% of its tanks.",
        "Article 5 binds the allies; the Type 45 destroyer sailed.",
        "The hall seats 1500 people and opened at 10:30 a.m.",
        "Tickets cost $2014 each and the quote is on page 2019.",
        "Resolution 2202 was adopted; the score was 3.2014 points.",
        "See https://example.org/2021/11/19/story-2014 for more.",
        "They may still come, and it may snow.",
        "Costs grew 2010-15 percent.",
        "The bill was signed by Mayor Ruiz, as USA Today and Fox News Sunday noted.",
    ],
)
def test_non_date_numbers_are_rejected(text):
    assert found(text) == []


def test_yearless_and_relative_dates_without_anchor_never_guess():
    assert found("The vote on Feb. 21 and the talks in March.", anchor=None) == [
        ("Feb. 21", "--02-21"),
        ("March", "--03"),
    ]
    assert found("The vote was last year, on Friday.", anchor=None) == [("last year", None), ("Friday", None)]


def test_year_of_a_yearless_date_follows_the_anchor_and_tense():
    winter = Anchor(date(2021, 12, 20), "day", "published 2021-12-20")
    assert found("Talks resume on Jan. 5.", anchor=winter) == [("Jan. 5", "2022-01-05")]
    autumn = Anchor(date(2019, 11, 10), "day", "published 2019-11-10")
    assert found("The plant closed in March.", anchor=autumn) == [("March", "2019-03")]
    assert found("The plant will close in March.", anchor=autumn, future=True) == [("March", "2020-03")]
    only_year = Anchor(date(2014, 7, 1), "year", "context: 2014 (char 3)")
    assert found("Troops moved on March 18 and on Friday.", anchor=only_year) == [
        ("March 18", "2014-03-18"),
        ("Friday", "2014"),
    ]


def test_weekdays_count_back_unless_the_text_looks_ahead():
    assert found("Last Friday the market fell.") == [("Last Friday", "2022-02-18")]
    assert found("The panel met Monday.") == [("Monday", "2022-02-21")]
    assert found("The panel meets Monday.", future=True) == [("Monday", "2022-02-28")]
    assert found("They meet next Monday morning.") == [("next Monday morning", "2022-02-28")]


def test_this_past_is_the_last_one():
    monday = Anchor(date(2014, 8, 18), "day", "published 2014-08-18")
    assert found("The mill reopened this past January.", anchor=monday) == [("this past January", "2014-01")]
    assert found("The mill reopened this past Friday.", anchor=monday) == [("this past Friday", "2014-08-15")]
    assert found("It rained this past weekend.", anchor=monday) == [("this past weekend", "2014-08-16/2014-08-17")]
    assert found("The mill reopens this January.", anchor=monday, future=True) == [("this January", "2015-01")]


def test_seasons_relative_to_the_anchor():
    july = Anchor(date(2017, 7, 27), "day", "published 2017-07-27")
    assert found("Inquiries ran since last winter.", anchor=july) == [("last winter", "2017")]
    assert found("Sales slumped last summer.", anchor=july) == [("last summer", "2016-06/2016-08")]
    assert found("Work restarts next spring.", anchor=july) == [("next spring", "2018-03/2018-05")]


def test_durations_are_not_points_in_time():
    assert found("Costs doubled over the last year and the past week.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The alliance was built after World War II by twelve states.", [("World War II", "1939/1945")]),
        ("Veterans of WWII marched past the old hall.", [("WWII", "1939/1945")]),
        ("The wall stood through the Cold War and fell quickly.", [("the Cold War", "1947/1991")]),
        ("Some warn of a new Cold War between the blocs.", []),
        ("Nobody wants World War III to begin here.", []),
        ("Airport checks grew much stricter after 9/11 everywhere.", [("9/11", "2001-09-11")]),
        ("Who was in office on 9/11 mattered to voters.", [("9/11", "2001-09-11")]),
        ("Scholars compare the Cold War thinking of both sides.", [("the Cold War", "1947/1991")]),
        ("Veterans of the Iraq war met in the town hall.", [("the Iraq war", "2003/2011")]),
        ("Banks failed in the Great Depression across the state.", [("the Great Depression", "1929/1939")]),
        # a name that shares "wars" with the next one is that war too
        ("Fewer died in the Korean and Vietnam wars together.", [("the Korean", "1950/1953"), ("Vietnam wars", "1955/1975")]),
        ("Exports to Vietnam and Korea grew.", []),
        # after "a", a period that qualifies the next noun is still the period
        ("The envoy warned of a Cold War mindset in both capitals.", [("Cold War", "1947/1991")]),
        ("She restored a World War II bomber.", [("World War II", "1939/1945")]),
        ("Some fear a Cold War with the new rival.", []),
    ],
)
def test_named_periods_are_the_years_they_span(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    ["They will hire more staff in the next year.", "Over the following weeks the river rose.",
     "Talks may take the next two years.", "Prices fell for the previous month, a survey says."],
)
def test_durations_are_not_narrative_offsets(text):
    assert [e for e in find_date_expressions(text) if e.kind == "narrative"] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The plant closed on May 29, 2014. Hours earlier the owner had left.", "2014-05-29"),
        ("The plant closed on May 29, 2014. Days earlier the owner had left.", "2014-05"),
        # weeks after a day: 2 to 8 weeks on, the month or year that holds all of them
        ("The plant closed on May 29, 2014. A few weeks later the owner sold it.", "2014"),
        ("The plant closed on Nov. 1, 2014. Weeks earlier the owner had tried to sell it.", "2014"),
        ("The plant closed on Jan. 10, 2014. Weeks earlier the owner had tried to sell it.", "2013"),
        ("The plant closed in March 2014. A few weeks later the owner sold it.", "2014-03"),
        # months after a day or month: 2 to 11 months on, no year when that straddles two
        ("The plant closed in August 2013. A few months later the owner sold it.", None),
        ("The plant closed on Jan. 10, 2014. Months later the owner sold it.", "2014"),
        ("The plant closed on May 29, 2014. Three weeks after the closure the owner sold it.", "2014-06-19"),
        ("The owner sold it three days before the June 9, 2014 auction.", "2014-06-06"),
        ("The plant closed on May 29, 2014. A few years later the owner sold it.", None),
        ("The plant closed on May 29, 2014. Several decades earlier it had opened.", None),
        ("The plant closed on May 29, 2014, a 2013 plan said. The next day the owner left.", "2014-05-30"),
    ],
)
def test_offsets_without_a_number_are_as_precise_as_the_text_allows(text, expected):
    from cruxmap.nlp.events import extract_events

    [event] = [e for e in extract_events(text, "s", published="2020-05-01") if e.anchor and "context" in e.anchor]
    assert event.date == expected


def test_narrative_offsets_count_from_the_time_the_story_last_gave():
    from cruxmap.nlp.events import extract_events

    text = ("The mill closed on March 18, 2014. Nearly four years later, the town voted to reopen it. "
            "The council met on Feb. 3, 2019. The next day, the mayor resigned. Two days later her deputy left. "
            "The strike began the day before the June 9, 2019 rally. A decade earlier the union was small.")
    got = {e.date_text: (e.date, e.anchor) for e in extract_events(text, "s", published="2020-05-01")}
    assert got["Nearly four years later"][0] == "2018" and "2014-03-18" in got["Nearly four years later"][1]
    assert got["The next day"][0] == "2019-02-04"
    assert got["Two days later"][0] == "2019-02-06"  # counts from the next day, which counted from Feb. 3
    assert got["the day before"][0] == "2019-06-08"  # from the date of the thing it names
    assert got["A decade earlier"][0] == "2009"


def test_a_narrative_offset_with_no_dated_story_stays_empty_rather_than_counting_from_the_writing_time():
    from cruxmap.nlp.events import extract_events

    [event] = extract_events("Three years later the factory was sold to a rival firm.", "s", published="2020-05-01")
    assert event.date is None and event.anchor is None


def test_a_day_offset_never_counts_from_a_bare_year():
    """'The day before' two sentences after a '1991' of history is not a day of 1991."""
    from cruxmap.nlp.events import extract_events

    text = "The union broke up in 1991. Talks went on for years. The day before the meeting, envoys met."
    got = {e.date_text: e.date for e in extract_events(text, "s")}
    assert got["The day before"] is None and got["1991"] == "1991"


@pytest.mark.parametrize("text", ["Years later, the town forgot the strike.", "Decades earlier the mill had opened."])
def test_years_later_without_a_number_is_found_but_names_no_year(text):
    [expr] = find_date_expressions(text)
    assert expr.kind == "narrative" and normalise(expr, None) is None


def test_the_day_of_an_event_is_a_narrative_offset_of_zero():
    [expr] = find_date_expressions("Crowds gathered the day of the vote.")
    assert (expr.text, expr.kind, expr.unit, expr.offset) == ("the day of", "narrative", "day", 0)
    assert find_date_expressions("It was the day of reckoning.") == []


def _first(text: str, kind: str):
    return next(e for e in find_date_expressions(text) if e.kind == kind)


def test_a_deictic_date_from_a_writing_time_known_only_as_a_bound_is_a_bound_too():
    today = _first("The talks resume today.", "relative")
    ago = _first("The mill closed 13 years ago.", "relative")
    floor = Anchor(date(1991, 7, 1), "year", "the writing time, 1991 or later", bound="after")
    assert normalise(today, floor) == "[1991..]"  # not "1991": the article may be decades later
    day_floor = Anchor(date(2024, 4, 1), "day", "the writing time, 2024-04-01 or later", bound="after")
    assert normalise(today, day_floor) == "[2024-04-01..]"
    cap = Anchor(date(2021, 7, 1), "year", "the writing time, 2021 or earlier", bound="before")
    assert normalise(ago, cap) == "[..2008]"
    between = Anchor(date(2021, 7, 1), "year", "the writing time, between 2016 and 2021", bound="before", floor=2016)
    assert normalise(ago, between) == "[2003..2008]"
    # so is a year-less one: the Feb. 21 last before the earliest writing time, or a later one
    assert normalise(_first("The vote was on Feb. 21.", "yearless"), floor) == "[1991-02-21..]"
    assert normalise(_first("The vote was on Feb. 21.", "yearless"), day_floor) == "[2024-02-21..]"
    assert normalise(_first("The vote was on Nov. 21.", "yearless"), day_floor) == "[2023-11-21..]"
    assert normalise(_first("The vote was on Feb. 21.", "yearless"), between) == "[2016-02-21..2021-02-21]"
    assert normalise(_first("The vote was on Feb. 21.", "yearless"), cap) == "[..2021-02-21]"


def test_a_bound_reads_in_words():
    from cruxmap.nlp.date_values import bound_ends, date_words

    assert date_words("[1991..]") == "1991 or later"
    assert date_words("[..2021]") == "2021 or earlier"
    assert date_words("[2016..2021]") == "between 2016 and 2021"
    # a year-less day between two years is that day of one of them, not any day between
    assert date_words("[2015-02-21..2017-02-21]") == "2015-02-21, 2016-02-21 or 2017-02-21"
    assert date_words("[2013-11..2014-11]") == "2013-11 or 2014-11"
    assert date_words("[2010-02-21..2016-02-21]") == "02-21 of a year from 2010 to 2016"
    assert date_words("1939/1945") == "1939/1945" and date_words(None) is None
    assert bound_ends("[2024-W15..]") == ("2024-W15", None) and bound_ends("2024-W15") is None


def test_a_yearless_february_29_takes_a_leap_year():
    # a calendar of next year's primaries in an article of January 2019: 2019 has no Feb. 29, 2020 has
    january = Anchor(date(2019, 1, 28), "day", "published 2019-01-28")
    assert found("The state votes on Feb. 29.", anchor=january, future=True) == [("Feb. 29", "2020-02-29")]
    march = Anchor(date(2019, 3, 1), "day", "published 2019-03-01")
    assert found("It rained on Feb. 29 of last year.", anchor=march) == [("Feb. 29 of last year", "2018-02")]
    assert found("It rained on Feb. 29 of next year.", anchor=march) == [("Feb. 29 of next year", "2020-02-29")]
    only_year = Anchor(date(2015, 7, 1), "year", "context: 2015 (char 3)")
    assert found("Polls opened on Feb. 29.", anchor=only_year) == [("Feb. 29", "2016-02-29")]
