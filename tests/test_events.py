"""Dated events on hand-built documents: anchors, offsets, descriptions, timeline."""

import re

import pytest

from cruxmap.errors import ConfigError
from cruxmap.model import Document, Sentence, Source
from cruxmap.nlp.date_values import date_words
from cruxmap.nlp.events import EventStage, extract_events, format_timeline, resolved_how
from cruxmap.pipeline import check_order


def make_doc(text: str, published: str | None = None, source_id: str = "s1") -> Document:
    source = Source(id=source_id, path=f"{source_id}.txt", sha256="0" * 64, text=text, published=published, title="T")
    sentences, start = [], 0
    for n, part in enumerate(re.split(r"(?<=\.) (?=[A-Z])", text)):
        end = start + len(part)
        sentences.append(Sentence(id=f"{source_id}:s{n}", source_id=source_id, start=start, end=end, text=part))
        start = end + 1
    return Document(source=source, sentences=sentences)


TEXT = (
    "The council approved the bypass in 2014. On Feb. 21 the mayor cancelled the contract. "
    "Residents protested last year, and the court will rule on Monday. "
    "The 2,000 workers were told 13 years ago that the plant would close."
)


def test_events_carry_exact_offsets_ids_and_sentence_ids():
    doc = EventStage()(make_doc(TEXT, published="2022-02-25"))
    assert [e.date_text for e in doc.events] == ["2014", "Feb. 21", "last year", "Monday", "13 years ago"]
    for n, event in enumerate(doc.events, start=1):
        assert doc.source.text[event.start : event.end] == event.date_text
        assert event.id == f"s1:e{n}"
        sentence = next(s for s in doc.sentences if s.id == event.sentence_id)
        assert sentence.start <= event.start and event.end <= sentence.end


def test_published_date_is_the_anchor_when_known():
    events = {e.date_text: e for e in extract_events(TEXT, "s1", "2022-02-25")}
    assert events["2014"].date == "2014" and events["2014"].anchor is None
    assert events["Feb. 21"].date == "2022-02-21"
    assert events["Feb. 21"].anchor == "published 2022-02-25"
    assert events["last year"].date == "2021"
    assert events["Monday"].date == "2022-02-28"  # "will rule on Monday" looks ahead
    assert events["13 years ago"].date == "2009"


def test_without_publication_date_the_latest_year_is_the_articles_now():
    text = "In 1997 the first treaty was signed. By 2021 the dispute was back. His Feb. 21 speech changed little."
    events = {e.date_text: e for e in extract_events(text, "s2", None)}
    assert events["Feb. 21"].date == "[2021-02-21..]"  # a year-less date from a floor is a bound too
    assert events["Feb. 21"].anchor.startswith("the writing time, 2021 or later (char ")


def test_a_future_year_caps_the_articles_now():
    text = "The treaty of 2015 failed. Troops will be ready by the beginning of 2022. The pact collapsed 13 years ago."
    events = {e.date_text: e for e in extract_events(text, "s3", None)}
    # written in 2015-2021 (not before 2015, before 2022): thirteen years before that is one of 2002-2008
    assert events["13 years ago"].date == "[2002..2008]"
    assert "the year before 2022" in events["13 years ago"].anchor
    assert "between 2015 and 2021" in events["13 years ago"].anchor
    known = {e.date_text: e for e in extract_events(
        "Talks failed on May 3, 2021. Troops will be ready by the beginning of 2022. The pact collapsed 13 years ago.",
        "s3b", None)}
    assert known["13 years ago"].date == "2008"  # a floor and a cap in the same year: the year is known


def test_a_year_named_for_a_past_event_puts_the_articles_now_after_it():
    text = (
        "The mill closed in 1998. The union had little hope in 2021, when the second plant shut. "
        "Her Feb. 21 letter to the board changed nothing."
    )
    events = {e.date_text: e for e in extract_events(text, "s8", None)}
    assert events["Feb. 21"].date == "[2022-02-21..]"
    assert events["Feb. 21"].anchor.endswith("the year after 2021, a past year the article names)")


def test_a_year_used_as_a_name_is_the_articles_now():
    text = "Talks collapsed in 2022. The 2025 budget plan was published on December 14 by the council."
    events = {e.date_text: e for e in extract_events(text, "s9", None)}
    assert events["December 14"].date == "[2025-12-14..]"


def test_the_latest_full_date_is_a_day_precise_now():
    text = (
        "Fans crowded the stadium, a reporter wrote on June 7, 2019. The league was founded in 2010. "
        "It has twelve clubs. Most of them are small. The club had said on Tuesday that the match would go ahead."
    )
    events = {e.date_text: e for e in extract_events(text, "s10", None)}
    # written on June 7, 2019 or later: the Tuesday before is no earlier than June 4
    assert events["Tuesday"].date == "[2019-06-04..]"
    assert "the writing time, 2019-06-07 or later" in events["Tuesday"].anchor
    assert "latest full date the article gives" in events["Tuesday"].anchor


def test_a_full_date_keeps_its_year_current():
    text = "Prices fell in 2019. On March 2, 2019, the board met. The rail strike began in November."
    events = {e.date_text: e for e in extract_events(text, "s11", None)}
    assert events["November"].date == "2018-11"  # before the day-precise now, not in 2020


def test_a_year_somebody_calls_for_lies_ahead():
    text = "The envoy called for a new round of talks in early 2015. The sanctions took effect on 20 December."
    events = {e.date_text: e for e in extract_events(text, "s12", None)}
    assert events["20 December"].date == "[..2014-12-20]"
    assert "the year before 2015" in events["20 December"].anchor


def test_a_year_something_is_for_lies_ahead():
    text = "The senator won her seat in 2012. She is a favourite for the 2024 nomination. She spoke on March 3."
    events = {e.date_text: e for e in extract_events(text, "s13", None)}
    assert events["March 3"].date == "[2013-03-03..2023-03-03]"  # after the 2012 win, before 2024
    assert "the year before 2024" in events["March 3"].anchor


def test_a_full_date_outranks_a_later_bare_year():
    text = (
        "Voters queued outside the town hall on May 5, 2016. Turnout was high. Campaigners already talk about 2020. "
        "Few expect a change. The count finished on Friday."
    )
    events = {e.date_text: e for e in extract_events(text, "s14", None)}
    assert events["Friday"].date == "[2016-04-29..]"  # from the Friday before May 5, 2016, not one of 2020
    assert "latest full date the article gives" in events["Friday"].anchor


def test_a_copyright_year_caps_the_articles_now_but_never_raises_it():
    text = "The bridge reopened in 2009. Crews returned in June. Copyright © 2023 The Valley Gazette"
    events = {e.date_text: e for e in extract_events(text, "s15", None)}
    assert events["June"].date == "[2010-06..]"  # the year after 2009 or later, not capped at 2023
    capped = {e.date_text: e for e in extract_events("The dam was built in 2030. The vote was last year. Copyright © 2019 Gazette", "s16", None)}
    assert capped["last year"].date == "[..2018]"  # not after the page's copyright year
    assert "the page's copyright year" in capped["last year"].anchor
    column = {e.date_text: e for e in extract_events("The bridge reopened in 2009. Crews returned in June. © 2023 by A. Writer", "s19", None)}
    assert column["June"].date == "[2023-06..]"  # a columnist's "© 2023 by" is an ordinary year: a floor


def test_an_embedded_post_dates_the_article_to_the_days_after_it():
    text = (
        "The mayor answered her critics on Tuesday. Fares will rise in June. "
        "Buses are late again and nobody will say why — Ana Ruiz (@anaruiz) May 9, 2023 "
        "She had promised in February that the new timetable would fix it. The strike ended last month."
    )
    events = {e.date_text: e for e in extract_events(text, "p1", None)}
    # written in the days after the post (May 9 to 16, 2023): the year is known, the day is not
    assert events["Tuesday"].date == "2023-05"  # the Tuesday before May 9 or before May 16: May either way
    assert events["February"].date == "2023-02"
    assert events["June"].date == "2023-06"  # ahead of the writing time
    assert events["last month"].date == "2023-04"
    assert "in the days after 2023-05-09" in events["Tuesday"].anchor
    assert "the date of a post the article embeds" in events["Tuesday"].anchor
    # a window that crosses a month keeps only the year
    late = {e.date_text: e for e in extract_events(
        "The strike ended on Friday. Nobody will say why — Ana Ruiz (@anaruiz) May 29, 2023", "p2", None)}
    assert late["Friday"].date == "2023"
    # the same date without a handle before it is an ordinary floor, and a bound stays a bound
    plain = {e.date_text: e for e in extract_events(
        "The strike ended on Friday. The depot burned on May 9, 2023.", "p3", None)}
    assert plain["Friday"].date == "[2023-05-05..]"


def test_a_past_date_given_with_its_weekday_dates_the_article_to_the_days_after_it():
    text = "Crowds gathered at the pier on Friday. The ferry sank off the cape on Tuesday, March 12, 2019. It rained."
    events = {e.date_text: e for e in extract_events(text, "w1", None)}
    assert events["Friday"].date == "2019-03"  # the Friday before March 12 to 19: March either way
    assert "a past full date given with its weekday" in events["Friday"].anchor
    # a weekday that does not fit the date, or one that is part of a name, is no such date
    wrong_day = {e.date_text: e for e in extract_events(text.replace("Tuesday, March 12", "Monday, March 12"), "w2", None)}
    assert wrong_day["Friday"].date == "[2019-03-08..]"
    named = {e.date_text: e for e in extract_events(
        "Crowds gathered at the pier on Friday. Marchers recalled Bloody Sunday, March 9, 1986.", "w3", None)}
    assert named["Friday"].date == "[1986-03-07..]"


def test_the_date_in_a_linked_address_bounds_the_writing_time():
    text = (
        "Troops will be ready by the beginning of 2022. The accord was signed in 2015. Today the talks are stuck. "
        "See https://news.example.org/world/2021/10/04/border-talks for the background."
    )
    events = {e.date_text: e for e in extract_events(text, "l1", None)}
    # a floor of October 2021 from the linked page and a cap of 2021 from the text: the year is known
    assert events["Today"].date == "2021"
    assert "the date of a page it links to" in events["Today"].anchor
    # an address dated after the text's own cap is a moved page, not a floor
    moved = {e.date_text: e for e in extract_events(text.replace("2021/10/04", "2025/10/04"), "l2", None)}
    assert moved["Today"].date == "[2016..2021]"
    # a link list the clean stage set aside counts too
    aside = {e.date_text: e for e in extract_events(
        "Troops will be ready by the beginning of 2022. The accord was signed in 2015. Today the talks are stuck.",
        "l3", None, links=["https://news.example.org/world/2021/10/04/border-talks"])}
    assert aside["Today"].date == "2021"
    assert "in a link list the clean stage set aside" in aside["Today"].anchor


def test_a_weekday_with_a_day_fixes_the_year_by_the_calendar():
    text = "The clinic opened in 2015. Doctors met patients on Tuesday, March 3, and the mayor came last week."
    events = {e.date_text: e for e in extract_events(text, "s17", None)}
    # 3 March 2015 was a Tuesday, 2016 would be wrong: the calendar keeps 2015 ...
    assert events["last week"].date.startswith("[2015-W")
    text = "The clinic opened in 2017. Doctors met patients on Tuesday, March 3, and the mayor came last week."
    events = {e.date_text: e for e in extract_events(text, "s18", None)}
    # ... and moves "the year after 2017" to 2020, the nearest year whose 3 March is a Tuesday
    assert events["last week"].date == "[2020-W09..]"
    assert "the year its weekday fits" in events["last week"].anchor


def test_local_dated_context_keeps_a_narrative_in_its_year():
    text = "On March 1, 2014, the troops landed. On March 18 the parliament voted."
    events = {e.date_text: e for e in extract_events(text, "s4", "2022-02-25")}
    assert events["March 18"].date == "2014-03-18"
    assert events["March 18"].anchor == "context: 2014-03-01 (char 3)"


def test_no_anchor_keeps_yearless_form_and_says_so():
    events = extract_events("The vote on Feb. 21 was close, and yesterday it was repeated.", "s5", None)
    assert [(e.date, e.anchor) for e in events] == [("--02-21", None), (None, None)]


def test_non_event_numbers_and_urls_make_no_events():
    text = "About 2,000 troops and 45% of voters, Article 5 and the Type 45, see https://news.example/2019/05/01/x."
    assert extract_events(text, "s6", "2022-02-25") == []


def test_description_is_a_short_phrase_from_the_same_sentence():
    events = extract_events(TEXT, "s1", "2022-02-25")
    feb = next(e for e in events if e.date_text == "Feb. 21")
    assert feb.description == "the mayor cancelled the contract"
    assert all(len(e.description.split()) <= 12 for e in events)
    assert "2014" not in events[0].description and "bypass" in events[0].description


def test_stage_contract():
    stage = EventStage()
    # it reads the entities too (named events and holidays are date candidates): the contract says so
    assert stage.name == "events" and stage.requires == ("sentences", "entities") and stage.provides == ("events",)
    check_order([stage], available={"source", "text", "sentences", "entities"})
    with pytest.raises(ConfigError, match="requires entities"):
        check_order([stage], available={"source", "text", "sentences"})


def test_timeline_is_chronological_with_undated_last():
    doc_a = make_doc("The dam opened in 1997. It flooded on Feb. 21.", published="2022-02-25", source_id="a")
    doc_b = make_doc("The levee failed in March 2004. Repairs began on Friday.", source_id="b")
    events = extract_events(doc_a.source.text, "a", "2022-02-25") + extract_events(doc_b.source.text, "b", None)
    rows = format_timeline(events, [doc_a.source, doc_b.source])
    assert [r["date"] for r in rows] == ["1997", "2004-03", "[2005..]", "2022-02-21"]
    assert [r["date_in_words"] for r in rows][2] == "? (undated article; 2005 or later)"
    b_friday = next(e for e in events if e.date_text == "Friday")
    assert b_friday.anchor == "the writing time, 2005 or later (char 20, the year after 2004, a past year the article names)"
    undated = format_timeline(extract_events("It rained on Friday.", "c", None), [])
    assert undated[0]["date"] == "?" and undated[0]["source"] == "c"


def test_date_entities_add_candidates_the_patterns_missed():
    from cruxmap.model import Entity

    text = "Snow fell hard. March brought floods to the valley."
    start = text.index("March")
    ent = Entity(source_id="s7", start=start, end=start + 5, text="March", label="DATE", canonical="March")
    without = extract_events(text, "s7", "2022-06-01")
    with_ents = extract_events(text, "s7", "2022-06-01", entities=[ent])
    assert without == []
    assert [(e.date_text, e.date, e.start) for e in with_ents] == [("March", "2022-03", start)]


def _dated(text: str, published: str | None = None) -> dict[str, tuple[str | None, str | None]]:
    return {e.date_text: (e.date, e.anchor) for e in extract_events(text, "s", published)}


def test_an_offset_set_off_by_a_comma_beside_a_date_is_that_date():
    text = "The inquiry opened on May 2, 2016. The board met on Feb. 14, 2017, the day after the minister resigned."
    date, anchor = _dated(text)["the day after"]
    assert date == "2017-02-14" and anchor.startswith("in apposition to 2017-02-14")


def test_an_offset_counts_from_the_date_in_the_clause_of_the_event_it_names():
    text = ("The report came out on January 21, 2016. He died three weeks after drinking poisoned tea "
            "at a quiet hotel bar near the river in November 2006.")
    assert _dated(text)["three weeks after"][0] == "2006-11"


def test_an_offset_counts_from_the_event_it_names_dated_elsewhere_in_the_article():
    text = (
        "In the 1995 storm, the 2001 fire and the 2012 flood at Millbrook, whole towns suffered. "
        "Insurers paid late. Courts heard the claims for years. Some firms left the state. "
        "Nobody rebuilt the mill. Families in Millbrook gathered the day of the flood to pray. "
        "Two days later the governor came."
    )
    got = _dated(text)
    assert got["the day of"][0] == "2012" and got["the day of"][1].startswith("the event it names")
    assert got["Two days later"][0] == "2012"  # a day offset may count from a year an earlier offset set


def test_a_named_event_dated_after_the_offset_is_found_too():
    text = (
        "One month before her release, a friend of hers died. She wrote about it often. Letters came weekly. "
        "Her lawyer appealed twice. The parole board met in spring. After her release in 2013, she moved west."
    )
    assert _dated(text)["One month before"][0] == "2013"


def test_a_backward_offset_with_no_story_time_counts_from_the_publication_date():
    text = "Flags went back up days before the count was reached. Three years later the rule changed."
    got = _dated(text, published="2020-05-26")
    assert got["days before"][0] == "2020-05" and "no story time before it" in got["days before"][1]
    assert got["Three years later"] == (None, None)  # forward from the writing time would be the future


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Banks failed during the Great Depression. Fifty years later, the rules were loosened.", "1979/1989"),
        ("Savings banks failed in the 1980s. Ten years later, another crash came.", "1990/1999"),
        # an offset shorter than the range does not move it: it counts from the nearest point
        ("The army grew in 1917. World War I had changed Europe. The previous year had been calm.", "1916"),
    ],
)
def test_a_long_year_offset_moves_a_range(text, expected):
    [value] = [e.date for e in extract_events(text, "s") if e.anchor and e.anchor.startswith("context")]
    assert value == expected


def test_a_past_yearless_day_after_the_publication_stays_in_the_story_it_continues():
    text = (
        "By early April of last year, the two cousins were reading the forum daily. "
        "A few weeks after that, they booked tickets. A clerk at the bank grew suspicious. "
        "On June 12, guards stopped the older cousin at the border. "
        "The next day, June 13, his mother reported him missing."
    )
    got = _dated(text, published="2019-04-02")
    assert got["June 12"][0] == "2018-06-12" and got["June 12"][1].startswith("story time: 2018-04")
    assert got["June 13"][0] == "2018-06-13"  # chained on the moved day
    assert got["The next day"][0] == "2018-06-13"


@pytest.mark.parametrize(
    "text, published, day",
    [
        # a day ahead of the telling in the future tense, or with no verb of the past beside it
        ("By early April of last year, the cousins were reading the forum. On June 12, the court will hear it.",
         "2019-04-02", "June 12"),
        ("By early April of last year, the cousins were reading the forum. The hearing is set for June 12.",
         "2019-04-02", "June 12"),
        # the story time is history named as an event, not the story's day
        ("Nobody forgot 9/11. Critics wrote at length. Fans waited. On Dec. 25, the studio pulled the film.",
         "2019-12-20", "Dec. 25"),
        # a story time more than STORY_GAP_DAYS before the day keeps the publication's year
        ("In January of last year, the cousins met. On June 12, guards stopped them.", "2019-04-02", "June 12"),
    ],
)
def test_a_yearless_day_keeps_the_publication_year_unless_a_past_story_holds_it(text, published, day):
    [event] = [e for e in extract_events(text, "s", published) if e.date_text == day]
    assert event.date.startswith("2019") and event.anchor == f"published {published}"


def test_the_next_day_is_no_word_of_the_future():
    text = "The next day, Friday, the tenants signed the lease."
    assert _dated(text, published="2021-03-10")["Friday"][0] == "2021-03-05"


def test_that_day_is_the_day_the_story_last_told_when_nothing_else_lies_between():
    text = "The council voted on Tuesday, May 4, 2021. Later that day, the mayor resigned."
    date, anchor = _dated(text, published="2021-05-10")["Later that day"]
    assert date == "2021-05-04" and anchor.startswith("the day the story last told")
    text = "On March 3, 2011, the plant flooded. Workers stayed late that night."
    assert _dated(text)["that night"][0] == "2011-03-03"
    # a year or another time between: the phrase may point further back than the text shows
    text = "The dam burst in 1987. Rescuers worked for a week. The mayor that day promised a new dam."
    assert _dated(text, published="2020-01-05")["that day"][0] is None
    text = "On March 3, 2011, the plant flooded. It had been rebuilt in 2009. Workers stayed late that day."
    assert _dated(text)["that day"][0] is None
    # a speaker's "that day" is the speaker's story
    assert "that day" not in _dated('On May 4, 2021, the bridge shut. "I was there that day," she said.')


def test_that_night_is_the_last_night_told_as_such():
    text = ("Crowds gathered on the night of Oct. 12, 2016, outside the court. Shops were shut. Buses stopped. "
            "Two bridges closed. Schools sent pupils home. Police said on Friday, Oct. 21, that the crowd had grown. "
            "The families were frightened that night.")
    date, anchor = _dated(text, published="2016-10-24")["that night"]
    assert date == "2016-10-12" and anchor.startswith("the last night the story told")


def test_a_date_joined_to_a_later_or_set_off_by_or_is_the_day_the_offset_reaches():
    text = "The driver was stopped on July 3, 2015. She died in her cell three days later on July 9."
    assert _dated(text, published="2015-07-20")["three days later"][0] == "2015-07-09"
    text = "The audit began in 2014. The firm paid in May 2016, or nearly two years after the audit began."
    assert _dated(text)["nearly two years after"][0] == "2016-05"


def test_a_pages_stamp_is_no_story_time():
    text = ("Updated 11:25 a.m. ET, 3/14/2016\n\nOne year after the flood, the governor spoke at the levee. "
            "The flood struck the valley on March 14, 2015.")
    date, anchor = _dated(text, published="2016-03-14")["One year after"]
    assert date == "2016" and "2015-03-14" in anchor  # a year after the flood, not after the stamp (2017)


def test_a_year_a_prediction_aims_at_is_no_story_time():
    text = "In 2006 the agency predicted that by 2018 the river would run dry. Twelve years later it is full."
    assert _dated(text, published="2019-01-01")["Twelve years later"][0] == "2018"


@pytest.mark.parametrize(
    "published, expected",
    [("2021-03-17", "2021-03"),  # last week, March 8-14, lies in one month
     ("2021-04-07", "2021")],  # last week, March 29 to April 4, does not
)
def test_a_week_is_a_time_to_count_from_when_nothing_finer_is_in_reach(published, expected):
    text = "The bakery closed last week. Days after the closing, the owner sold the ovens."
    date, anchor = _dated(text, published=published)["Days after"]
    assert date == expected and anchor.startswith("context: 2021-W")


def test_that_month_night_is_the_last_day_of_that_month_the_article_gave():
    text = (
        "On August 3, 2009, two brothers were attacked outside a diner. In August 2012 a court heard the case. "
        "Their lawyer filed again. The city paid nothing. Reporters moved on. Jurors were never told. "
        "After that August night, the younger brother stayed home. One month before his release, he wrote a letter. "
        "He was released in 2012."
    )
    got = _dated(text)
    assert got["that August night"][0] == "2009-08-03"  # a night is a day: the day, not the later month
    assert got["that August night"][1].startswith("the last August day given before it")
    assert got["One month before"][0] == "2012"  # a look back is no story time for the offset after it


def test_a_month_in_the_events_clause_yields_to_the_day_the_article_gives_that_event():
    text = (
        "The courier fell ill three weeks after eating oysters at a harbour cafe in June 2015. "
        "He never recovered. Police traced the oysters to the harbour cafe, where he ate on June 4, 2015."
    )
    date, anchor = _dated(text)["three weeks after"]
    assert date == "2015-06-25" and anchor.startswith("the event it names, dated at char")
    text = "The courier fell ill three weeks after eating oysters at a harbour cafe in June 2015. He never recovered."
    assert _dated(text)["three weeks after"][0] == "2015-06"  # no day given: the month stands


def test_an_undated_article_written_decades_after_its_latest_year_gives_today_only_as_a_bound():
    text = "The union collapsed in 1991. Today the two capitals meet again."
    events = {e.date_text: e for e in extract_events(text, "s20", None)}
    assert events["Today"].date == "[1992..]"  # "in 1991" is over: the writing time is 1992 or later
    assert events["Today"].anchor.startswith("the writing time, 1992 or later (char ")
    dated = {e.date_text: e for e in extract_events(text, "s21", "2023-05-04")}
    assert dated["Today"].date == "2023-05-04"  # with a publication date nothing changes


def test_an_offset_counted_from_a_bound_is_a_bound_too():
    text = ("The treaty was signed on Dec. 8, 1991. It split a union. Few expected it. Many regret it. "
            "Today the envoys meet. The day before, they spoke by phone.")
    events = {e.date_text: e for e in extract_events(text, "s22", None)}
    assert events["Today"].date == "[1991-12-08..]"
    assert events["The day before"].date == "[1991-12-07..]"
    assert "1991-12-08 or later" in events["The day before"].anchor


def test_what_comes_an_offset_after_an_event_is_the_storys_own_time():
    # the offset places the sentence's own event against an undated one: the vote is on Tuesday, not a week later
    text = "The council voted on Tuesday to close the library. The vote came a week after residents marched downtown."
    events = {e.date_text: e for e in extract_events(text, "c1", "2021-03-12")}
    assert events["a week after"].date == "2021-03-09"
    assert "the time of what comes a week after the event it names" in events["a week after"].anchor
    # in the present, with no day in reach, the event is the report's own time
    text = "The mayor's apology comes two days after protesters filled the square."
    events = {e.date_text: e for e in extract_events(text, "c2", "2021-03-12")}
    assert events["two days after"].date == "2021-03-12"
    # a bare year nearby is more often the other event's own date: "came" without a day keeps the usual rules
    text = "The first ban passed in 2015. The repeal came two years after the ban."
    events = {e.date_text: e for e in extract_events(text, "c3", "2021-03-12")}
    assert events["two years after"].date == "2017"


def test_a_dash_sets_off_the_date_an_offset_restates():
    text = "The letter went out on Sept. 3, 2016 — the day after the launch."
    events = {e.date_text: e for e in extract_events(text, "c6", "2019-01-01")}
    assert events["the day after"].date == "2016-09-03"


def test_a_numbered_offset_that_names_its_event_restates_the_date_it_is_set_off_from():
    text = ("The canal company was founded in 1911. It went bankrupt in 1931, twenty years after its founding. "
            "The bridge was opened on June 4, 2009, about three months after the flood.")
    got = _dated(text, "2020-01-10")
    assert got["twenty years after"][0] == "1931" and got["twenty years after"][1].startswith("in apposition to 1931")
    assert got["about three months after"][0] == "2009-06-04"


def test_a_year_set_off_before_a_day_offset_is_the_year_it_happened():
    text = "Rail strikes were common then. In 1998, two days before the union met the minister, talks collapsed."
    assert _dated(text, "2020-01-10")["two days before"][0] == "1998"


@pytest.mark.parametrize(
    "text",
    ["Just days after their landslide, the party leaders are already quarrelling over the budget.",
     "The mayor is facing a revolt from her own council barely a month before the city votes on the plan."],
)
def test_an_offset_dating_a_clause_told_in_the_present_is_the_reports_present(text):
    [event] = extract_events(text, "s", "2019-04-12")
    assert event.date == "2019-04-12" and "present tense" in (event.anchor or "")


def test_an_offset_that_ends_a_span_is_not_the_reports_present():
    [event] = extract_events("Most members are waiting until the month after the vote to decide.", "s", "2019-04-12")
    assert event.date != "2019-04-12"


@pytest.mark.parametrize(
    "text",
    ["The seats are redrawn every ten years after the census.", "The panel could rule during the next few weeks after its hearing."],
)
def test_a_recurrence_or_a_span_is_no_narrative_offset(text):
    assert extract_events(text, "s", "2019-04-12") == []


def test_an_offset_joined_by_and_to_one_after_came_places_the_same_event():
    text = ("The council met on Tuesday, May 7, 2019. The vote came one week after the audit was published "
            "and a few days after the mayor resigned.")
    got = _dated(text, "2019-05-09")
    assert got["one week after"][0] == "2019-05-07" and got["a few days after"][0] == "2019-05-07"


def test_the_night_or_morning_before_or_after_is_a_day_offset():
    text = ("The governor signed the bill on Friday, March 6, 2015. The night before, aides had rewritten it. "
            "The council voted on May 12, 2016. The next morning the mayor resigned.")
    got = _dated(text, "2016-06-09")
    assert got["The night before"][0] == "2015-03-05"
    assert got["The next morning"][0] == "2016-05-13"


def test_a_yearless_day_from_a_bounded_now_is_a_bound_unless_the_text_fixes_its_year():
    text = "The orchard was planted in 2011. The harvest fair opened on Sept. 14, and the cider press broke."
    events = {e.date_text: e for e in extract_events(text, "s40", None)}
    assert events["Sept. 14"].date == "[2012-09-14..]"  # written in 2012 or later: no year is known
    assert events["Sept. 14"].anchor.startswith("the writing time, 2012 or later")
    dated = {e.date_text: e for e in extract_events(
        "The orchard sold its land on Oct. 2, 2011. A week of rain followed. The fair opened on Sept. 14.", "s41", None)}
    assert dated["Sept. 14"].date == "2011-09-14"  # a dated event two sentences back fixes the year


def test_a_weekday_fixes_the_year_of_a_day_only_inside_a_closed_bound():
    closed = (
        "The ferry line was founded in 2014. A new pier will open in 2018. Few boats run in winter. "
        "The first crossing was on Tuesday, March 3."
    )
    events = {e.date_text: e for e in extract_events(closed, "s42", None)}
    # written in 2015-2017: March 3 was a Tuesday in 2015 only
    assert events["Tuesday, March 3"].date == "2015-03-03"
    assert "the only year from 2015 to 2017 in which March 3 is a Tuesday" in events["Tuesday, March 3"].anchor
    wrong_day = {e.date_text: e for e in extract_events(closed.replace("Tuesday", "Monday"), "s43", None)}
    assert wrong_day["Monday, March 3"].date == "[2015-03-03..2017-03-03]"  # no year of the span fits: still a bound
    open_bound = {e.date_text: e for e in extract_events(
        "The ferry line was founded in 2014. Few boats run in winter. Nobody rows. The first crossing was on Tuesday, "
        "March 3.", "s44", None)}
    assert open_bound["Tuesday, March 3"].date.startswith("[")  # 2015 or later: every few years fits


FAR_STORY = (
    "The city council met on Tuesday to vote on the harbour plan. "
    "\"We waited ten years for this,\" one member said. \"The docks are falling apart.\" "
    "Another member disagreed. \"The plan costs too much.\" \"Nobody asked the fishermen.\" "
    "The debate ran long. Tempers rose. {offset}, the mayor resigned."
)


def test_a_short_offset_with_no_story_time_in_reach_counts_from_the_last_day_the_story_gave():
    events = {e.date_text: e for e in extract_events(FAR_STORY.format(offset="A few hours later"), "s50", "2021-05-07")}
    assert events["Tuesday"].date == "2021-05-04"
    # sentences of quotes stand between: the story is still on that Tuesday
    assert events["A few hours later"].date == "2021-05-04"
    assert events["A few hours later"].anchor.startswith("the last date the story gave, 8 sentences back: 2021-05-04")
    later = {e.date_text: e for e in extract_events(FAR_STORY.format(offset="Two days later"), "s51", "2021-05-07")}
    assert later["Two days later"].date == "2021-05-06"


def test_a_year_or_month_offset_finds_no_story_time_far_back():
    for offset in ("Four years later", "Two months later"):
        events = {e.date_text: e for e in extract_events(FAR_STORY.format(offset=offset), "s52", "2021-05-07")}
        assert events[offset].date is None  # the last date given that far back is seldom what they count from


def test_the_last_day_given_is_no_story_time_beyond_twelve_sentences():
    padding = " ".join(f"Speaker {n} had a view." for n in range(12))
    text = FAR_STORY.format(offset=padding + " A few hours later")
    events = {e.date_text: e for e in extract_events(text, "s53", "2021-05-07")}
    assert events["A few hours later"].date is None


@pytest.mark.parametrize(
    ("text", "published", "weekend"),
    [
        ("Thousands of farmers marched through the capital this weekend.", "2022-03-09", "2022-03-05/2022-03-06"),
        ("Farmers will march through the capital this weekend.", "2022-03-09", "2022-03-12/2022-03-13"),
        ("The governor toured the flooded valley this weekend.", "2022-03-13", "2022-03-12/2022-03-13"),
        ("The governor toured the flooded valley this weekend.", "2022-03-11", "2022-03-12/2022-03-13"),
    ],
)
def test_this_weekend_told_in_the_past_early_in_the_week_is_the_one_just_gone(text, published, weekend):
    # a Wednesday's "marched this weekend" is the weekend before; a Sunday's is the one now ending; from a
    # Friday the tense decides too little
    event = extract_events(text, "s60", published)[0]
    assert event.date == weekend
    assert ("told in the past" in event.anchor) == (weekend == "2022-03-05/2022-03-06")


def test_each_timeline_row_says_anchor_offset_precision_and_bound():
    text = "The levee failed on March 3, 2004. Three days later the river fell. Repairs began in 2009. The town rebuilt today."
    rows = {r["date_text"]: r for r in format_timeline(extract_events(text, "d", None), [])}
    assert rows["March 3, 2004"]["how"] == "as written · day"
    assert rows["Three days later"]["how"] == "counted from context: 2004-03-03 (char 20) · offset +3 days · day"
    today = rows["today"]["how"]
    assert today.startswith("the article carries no date: “today” stays unresolved, only a bound (2004-03-03 or later) · "
                            "counted from the writing time, 2004-03-03 or later")
    assert today.endswith("· offset 0 days")
    weeks = {r["date_text"]: r for r in format_timeline(extract_events(
        "The dam broke on Nov. 1, 2010. Weeks earlier, engineers had warned the council.", "e", None), [])}
    assert weeks["Weeks earlier"]["how"] == "counted from context: 2010-11-01 (char 17) · offset: some weeks back · year"


def test_a_yearless_day_with_an_open_bound_says_only_its_year_is_open():
    assert date_words("[2010-02-21..]", "Feb. 21") == "February 21 of 2010 or a later year"
    assert date_words("[..2021-03]", "in March") == "March of 2021 or an earlier year"
    assert date_words("[2010-11..]", "November") == "November of 2010 or a later year"  # an event's bare month
    # a deictic day counted from the same bound is any day from that one on, and a bare value has no text to tell
    assert date_words("[2010-02-21..]", "today") == "2010-02-21 or later"
    assert date_words("[2010-02-21..]") == "2010-02-21 or later"
    # a closed bound of up to three years lists them
    assert date_words("[2015-02-21..2016-02-21]", "Feb. 21") == "2015-02-21 or 2016-02-21"


def test_the_timeline_phrase_reads_an_open_yearless_bound_in_words():
    text = ("The bridge opened on June 10, 2021. Traffic doubled. Shops came back. The ferry stopped. "
            "His Feb. 21 letter was never answered.")
    feb = next(e for e in extract_events(text, "t") if e.date_text == "Feb. 21")
    assert feb.date == "[2021-02-21..]"
    how = resolved_how(feb.date, feb.anchor, feb.date_text)
    assert how.startswith("the article carries no date: “Feb. 21” stays unresolved, only a bound (February 21 of 2021 or a "
                          "later year) · counted from the writing time, 2021-06-10")


def test_a_date_in_the_possessive_leaves_its_noun_with_the_article_in_the_description():
    from cruxmap.nlp.events import describe

    text = "The ferry dispute deepened after Tuesday’s vote in the harbour council on the new tolls."
    at = text.index("Tuesday")
    assert describe(text, 0, len(text), at, at + len("Tuesday")).startswith("The ferry dispute deepened after the vote")
    text = "The council voted on Tuesday to raise the tolls."
    at = text.index("Tuesday")
    assert describe(text, 0, len(text), at, at + len("Tuesday")) == "The council voted to raise the tolls"


@pytest.mark.parametrize(
    "text, offset, expected",
    [("The vote closed on Tuesday, March 7, 2017, at 9 p.m. More than 13 hours later, the count was done.",
      "More than 13 hours later", "2017-03-08"),
     ("Rescuers reached the mine on Tuesday evening, March 7, 2017. Fourteen hours later the last miner was out.",
      "Fourteen hours later", "2017-03-08"),
     ("The raid began on the morning of May 2, 2011. Twelve hours earlier the team had landed.",
      "Twelve hours earlier", "2011-05-01"),
     # no hour told, or one that the offset does not carry past midnight: the same day
     ("The polls opened on March 7, 2017. Thirteen hours later the count began.", "Thirteen hours later", "2017-03-07"),
     ("The meeting began at 9 a.m. on May 1, 2017. Six hours later it ended.", "Six hours later", "2017-05-01")],
)
def test_hours_count_past_midnight_only_from_a_time_told_with_its_hour(text, offset, expected):
    events = {e.date_text: e for e in extract_events(text, "s", "2017-03-09")}
    assert events[offset].date == expected
    assert resolved_how(events[offset].date, events[offset].anchor, offset).count("hour") >= 1


def test_an_update_stamp_is_the_writing_time_of_an_article_without_metadata():
    text = ("Updated 11:25 a.m. ET, 5/11/2015\n\nThe senator said Monday that she met the governor on March 3, 2012. "
            "Yesterday she spoke again.")
    got = _dated(text)
    assert got["Monday"][0] == "2015-05-11" and got["Yesterday"][0] == "2015-05-10"
    assert got["Yesterday"][1].startswith("the page's update stamp, 2015-05-11")
    # a stamp with only a clock time states no day: the writing time stays a bound
    got = _dated("Updated 5:30 p.m. ET\n\nThe senator met the governor in 2012. Yesterday she spoke again.")
    assert got["Yesterday"][0] == "[2013..]"
    # a publication date outranks the stamp
    assert _dated(text, published="2015-05-13")["Yesterday"][0] == "2015-05-12"


def test_the_event_stage_reads_an_update_stamp_the_clean_stage_took_out():
    from cruxmap.model import Removal

    doc = make_doc("The council met on Monday. Yesterday it voted to rebuild the levee.")
    doc.source.removed.append(Removal(start=0, end=0, reason="date", text="Updated 6:15 p.m. ET, 3/16/2016"))
    got = {e.date_text: e for e in EventStage()(doc).events}
    assert got["Yesterday"].date == "2016-03-15" and "update stamp" in got["Yesterday"].anchor
    assert got["Monday"].date == "2016-03-14"


def test_that_month_is_that_month_of_the_year_the_story_last_told():
    text = "He was arrested in March 2015 and charged with fraud that October -- eight months after the arrest."
    got = _dated(text, published="2019-12-19")
    assert got["that October"][0] == "2015-10" and got["that October"][1].startswith("the year the story last told")
    assert got["eight months after"][0] == "2015-10"  # the double dash sets off the month it restates
    # no year in reach, or only the writing time's: left undated
    assert _dated("She said that October was the worst month.", published="2019-12-19")["that October"][0] is None
    assert _dated("Reports last year said she wrote to him that January.", published="2016-03-24")["that January"][0] is None
    assert "that May" not in _dated("The firm failed in 2009, so that May could not pay.", published="2019-12-19")


def test_a_span_from_an_event_takes_only_the_date_its_own_clause_gives():
    text = ("Crowds gathered in the hours after the verdict of March 3, 2016. The rebels regrouped in the years after "
            "the truce of 1975. The firm was sold on May 4, 2017. In the days after the chairman quit, shares fell. "
            "Sales slumped in the months after the 2012 recall.")
    got = _dated(text, "2019-04-12")
    assert got["the hours after"][0] == "2016-03-03"
    assert got["the years after"][0] is None  # found, but years from 1975 name no year
    assert got["the days after"][0] is None  # the chairman's exit is dated nowhere: not the sale's day
    assert got["the months after"][0] is None  # months from some day of 2012 may lie in 2013


def test_a_span_counts_every_week_of_a_month_it_starts_from():
    text = "The show opened in March 2018 to record crowds. Attendance fell in the weeks after, as critics turned."
    assert _dated(text, "2018-05-29")["the weeks after"][0] == "2018"


def test_an_offset_set_off_with_just_or_only_restates_the_date_before_it():
    text = "The envoy flew to the capital on Tuesday, just days after the ceasefire collapsed."
    date, anchor = _dated(text, "2022-03-10")["days after"]
    assert date == "2022-03-08" and (anchor or "").startswith("in apposition to")


@pytest.mark.parametrize(
    "text",
    ["Springfield Two weeks after the council approved the levy, residents are still arguing about it.",
     "Days after the flood and the fire, the town is rebuilding its bridge.",
     "Weeks after the election, both parties appear to be regrouping.",
     "LONDON – Just weeks after the council approved the levy, residents are still arguing about it."],
)
def test_an_opening_offset_behind_a_dateline_or_with_and_in_its_phrase_dates_the_clause_after_its_comma(text):
    event = next(e for e in extract_events(text, "s", "2019-04-12") if e.date_text.lower().endswith("after"))
    assert event.date == "2019-04-12" and "present tense" in (event.anchor or "")


def test_a_headline_offset_in_capitals_and_half_an_hour_are_offsets():
    text = ("The storm hit the coast on Monday, Oct. 29, 2012. Three Days Later, Power Returns To The Coast. "
            "The crowd gathered at 9 p.m. on Friday, June 5, 2015. Half an hour later, police cleared the square.")
    got = _dated(text, "2015-06-09")
    assert got["Three Days Later"][0] == "2012-11-01"
    assert got["Half an hour later"][0] == "2015-06-05"


def test_a_week_offset_from_a_week_is_a_week():
    text = "The judge said the ruling could come next week or the week after."
    got = _dated(text, "2012-06-15")  # a Friday of 2012-W24
    assert got["next week"][0] == "2012-W25"
    assert got["the week after"][0] == "2012-W26"


def test_that_night_reaches_a_night_told_as_such_across_undated_paragraphs():
    text = ("Crowds filled the square on Monday night to protest the ruling. The organisers had planned it for weeks. "
            "Several speakers addressed the crowd. The police kept their distance. One banner read 'not again'. "
            "Vendors sold tea and bread. On the late news that night, the mayor called for calm.")
    assert _dated(text, "2018-07-11")["that night"][0] == "2018-07-09"


def test_that_day_after_a_month_told_last_is_that_month():
    text = "The reform stalled in August 2011, as the council voted it down. Its author resigned that day, aides said."
    date, anchor = _dated(text, "2013-05-29")["that day"]
    assert date == "2011-08" and (anchor or "").startswith("the month the story last told")


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [("The minister hinted at the plan Tuesday in a talk to the chamber just days after the rebels shelled the port.",
      "days after", "2021-06-08"),
     ("The mayor on Monday defended the budget, replying a day after the council voted it down.",
      "a day after", "2021-06-07"),
     ("The reporter was turned away Tuesday from the rally in the square -- a week after the party barred him.",
      "a week after", "2021-06-08")],
)
def test_an_offset_after_its_clause_restates_the_clause_date(text, offset, expected):
    date, anchor = _dated(text, "2021-06-10")[offset]  # a Thursday
    assert date == expected and (anchor or "").startswith("the date of its own clause")


def test_an_offset_in_another_clause_counts_from_the_date_not_restates_it():
    text = "The dam opened on March 3, 2010, and five years after its opening the river ran dry."
    assert _dated(text, "2019-04-12")["five years after"][0] == "2015"


def test_what_comes_after_an_event_takes_the_month_its_own_sentence_gave():
    text = ("The board met on Wednesday. In May, the mayor moved the funds to the harbour, a step that comes "
            "several months after the council declared an emergency.")
    assert _dated(text, "2019-12-20")["several months after"][0] == "2019-05"


def test_weeks_afterwards_is_a_narrative_offset():
    text = ("The plant closed on March 4, 2015. Weeks afterwards, the town voted to buy the site. "
            "It reopened on May 2, 2016; the day afterward was quiet.")
    got = _dated(text, "2018-01-10")
    assert got["Weeks afterwards"][0] == "2015"  # weeks from March 4 may reach April: only the year is sure
    assert got["the day afterward"][0] == "2016-05-03"


def test_a_duration_before_or_after_an_event_is_no_date():
    text = ("The ferry stopped on May 3, 2016. Travellers were checked for 14 days afterward. The port stayed shut "
            "for nearly two weeks after the storm, and the crew trained for several days before sailing.")
    got = _dated(text, "2016-06-01")
    assert not any(k.endswith(("afterward", "after", "before")) for k in got), got


def test_a_present_clause_two_decades_after_an_event_is_the_report_not_two_decades_after_the_last_date():
    text = ("The show aired on May 20 and was talked about for days. "
            "The widow surely does deserve some peace, nearly two decades after the crash.")
    date, anchor = _dated(text, "2020-05-26")["nearly two decades after"]
    assert date == "2020-05-26" and "present tense" in (anchor or "")


def test_the_same_day_of_an_event_is_the_day_of_that_event():
    text = "The envoy spoke on Wednesday. An aide deleted the minutes on the same day of the 2012 summit, he said."
    assert _dated(text, "2016-06-02")["the same day of"][0] == "2012"


def test_an_opening_offset_counts_from_a_weekday_in_the_clause_of_its_event():
    text = ("Just hours after the ministry published its audit Friday, the governor blamed the contractors. "
            "The audit covered the 2016 budget.")
    date, anchor = _dated(text, "2017-01-07")["hours after"]  # a Saturday
    assert date == "2017-01-06" and "2016" not in (anchor or "")


def test_what_came_a_bit_over_a_week_after_an_event_is_the_day_told_before_it():
    text = ("The judge spoke at a book fair on Saturday. The fair came a bit over a week after "
            "she finished her treatment.")
    assert _dated(text, "2019-09-01")["over a week after"][0] == "2019-08-31"


def test_an_offset_counts_from_its_event_told_elsewhere_not_from_the_nearer_date_of_another_event():
    text = ("The consultant met the envoy Harlow at a river club in May 2016. "
            "The consultant admitted in October that he lied to investigators. "
            "The police learned of the remark more than two months after the river club meeting with Harlow.")
    date, anchor = _dated(text, "2017-12-30")["more than two months after"]
    assert date == "2016-07" and (anchor or "").startswith("the event it names")


def test_a_nearer_date_that_tells_the_same_event_stays_the_time_counted_from():
    text = ("The consultant met the envoy Harlow at a river club in May 2016. "
            "The council approved the harbour levy in October 2017. "
            "Residents sued two months after the levy passed.")
    assert _dated(text, "2018-01-30")["two months after"][0] == "2017-12"


def test_a_present_clause_just_months_before_a_coming_event_is_the_report():
    text = ("The party wants a large turnout before the 2014 elections. "
            "The new markets are facing another hard question just months before millions can enrol.")
    date, anchor = _dated(text, "2013-06-14")["months before"]
    assert date == "2013-06-14" and "present tense" in (anchor or "")


def test_a_day_with_last_year_after_it_is_that_day_of_last_year():
    # the month and day are one date with "last year", not a day counted from the nearest year in the text
    text = ("The ferry line opened in August 2015. The harbour board closed it on April 15 last year, and in "
            "March this year it sold the boats.")
    events = {e.date_text: e for e in extract_events(text, "s6", "2024-06-03")}
    assert events["April 15 last year"].date == "2023-04-15"
    assert events["March this year"].date == "2024-03"
    assert "April 15" not in events and "last year" not in events


def test_a_day_of_that_year_takes_the_year_the_story_told():
    text = ("The plan dates from 2011, from the weeks after the storm of March 11 that year, when the board "
            "changed course. The new hall opened on April 2, 2023.")
    events = {e.date_text: e for e in extract_events(text, "s7", "2024-04-15")}
    assert events["March 11 that year"].date == "2011-03-11"
    assert "the year the story last told: 2011" in events["March 11 that year"].anchor
    assert events["the weeks after"].date == "2011"  # counted from the day that follows it, not the writing time


def test_a_year_ago_today_is_a_day():
    events = {e.date_text: e for e in extract_events("A year ago today, the last mill closed.", "s8", "2024-04-15")}
    assert [(text, e.date) for text, e in events.items()] == [("A year ago today", "2023-04-15")]
    leap = {e.date_text: e for e in extract_events("A year ago today the dam burst.", "s9", "2024-02-29")}
    assert leap["A year ago today"].date == "2023-02"  # 2023 had no Feb. 29: the month is what it fixes


def test_that_year_is_a_year_the_text_named_not_the_weekday_of_the_report():
    text = ("The officer was stopped for speeding in Ohio in July 2007. A spokesman confirmed on Wednesday that "
            "the officer pleaded guilty in September of that year.")
    events = {e.date_text: e.date for e in extract_events(text, "s10", "2019-02-18")}
    assert events["September of that year"] == "2007-09"
    events = {e.date_text: e.date for e in extract_events("He was hired last year. In May of that year he left.",
                                                           "s11", "2019-02-18")}
    assert events["May of that year"] == "2018-05"


def test_a_count_in_two_words_is_counted_whole():
    events = {e.date_text: e.date for e in extract_events("Thirty-four years ago today, the bridge fell.", "s12",
                                                           "2018-12-03")}
    assert events == {"Thirty-four years ago today": "1984-12-03"}
