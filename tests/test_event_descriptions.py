"""The timeline's event descriptions read as phrases (issue 21): the date is dropped only where it is an adverbial
that leaves no hole, the words kept start and end at phrase boundaries, quote marks and brackets stay balanced, and
a cut side is marked with "…". All sentences here are invented."""

from __future__ import annotations

import pytest

from cruxmap.nlp.event_phrase import DESCRIPTION_WORDS, description_flaws
from cruxmap.nlp.events import describe, extract_events


def describe_date(sentence: str, date: str, nth: int = 0) -> str:
    """The description of the ``nth`` occurrence of ``date`` in a one-sentence text."""
    at = -1
    for _ in range(nth + 1):
        at = sentence.index(date, at + 1)
    return describe(sentence, 0, len(sentence), at, at + len(date))


# ----------------------------------------------------------------------------- where the date stays


def test_a_date_inside_a_word_stays_and_leaves_no_dangling_hyphen():
    text = "Closing the dockyards threatens the livelihood of fishermen and the post-1990 order of the coast."
    phrase = describe_date(text, "1990")
    assert "post-1990 order" in phrase
    assert "dangling hyphen" not in description_flaws(phrase)


def test_a_date_that_completes_a_noun_phrase_with_of_stays():
    phrase = describe_date("The poet wrote her best letters in the depths of the Great Depression.", "the Great Depression")
    assert phrase.endswith("in the depths of the Great Depression")


def test_a_relative_date_after_an_article_heads_its_noun_phrase_and_stays():
    assert describe_date("The market never opens since the fair falls on a Sunday.", "Sunday").endswith(
        "falls on a Sunday")


def test_a_date_that_is_the_subject_or_the_predicate_stays():
    assert describe_date("Why was 1968 such a turning point for the students?", "1968") == (
        "Why was 1968 such a turning point for the students?")
    assert describe_date("The referendum on the bridge was in 2016.", "2016") == "The referendum on the bridge was in 2016"
    assert describe_date("This year marks the tenth anniversary of the flood.", "This year").startswith("This year marks")


def test_a_date_in_a_pair_of_time_adverbials_stays_with_its_partner():
    """Dropping one of "in 1993 and later in 2011" leaves the other's "and later" hanging: the pair stays whole,
    whichever of the two dates the event is."""
    text = "The town flooded in 1993 and later in 2011, each time after heavy rain."
    for date in ("1993", "2011"):
        phrase = describe_date(text, date)
        assert "in 1993 and later in 2011" in phrase and not description_flaws(phrase)
    assert "in 2009 and 2013" in describe_date("The party lost the elections in 2009 and 2013 by wide margins.", "2009")
    assert describe_date("The mayor resigned in 2014 after a long inquiry.", "2014") == (
        "The mayor resigned after a long inquiry")  # a single adverbial still goes


def test_a_short_clause_keeps_its_date_rather_than_a_stump():
    assert describe_date("What happened in 2019?", "2019") == "What happened in 2019?"


def test_one_end_of_a_range_stays_with_the_other():
    assert "between 2005 and 2010" in describe_date("Exports doubled between 2005 and 2010 across the whole region.", "2010")


def test_an_offset_keeps_the_event_it_counts_from():
    phrase = describe_date("The strike ended two days after the union accepted the offer.", "two days after")
    assert phrase == "The strike ended two days after the union accepted the offer"
    phrase = describe_date("The fishermen stayed ashore through the weeks after the storm.", "the weeks after")
    assert phrase == "The fishermen stayed ashore through the weeks after the storm"


def test_a_year_that_modifies_a_noun_stays_with_it():
    text = "The plan cuts emissions by 40 percent from 1990 levels by the end of the decade."
    assert "by 40 percent from 1990 levels" in describe_date(text, "1990")
    # a verb after the year is no noun: "since 1990 shows that" loses its date
    text = "A survey of harbour towns since 1990 shows that the trawlers left first."
    assert describe_date(text, "1990").startswith("A survey of harbour towns shows")


# ----------------------------------------------------------------------------- where the date goes, and how


def test_a_date_set_off_by_commas_goes_with_its_commas():
    assert describe_date("The mayor, in 2016, closed the old harbour bridge.", "2016") == (
        "The mayor closed the old harbour bridge")


def test_an_opening_offset_goes_with_the_event_it_counts_from():
    phrase = describe_date("Hours before the final vote, the senator changed her mind about the bill.", "Hours before")
    assert phrase == "the senator changed her mind about the bill"


def test_a_count_or_approximation_the_date_left_out_goes_with_it():
    assert describe_date("The plant opened a good thirty years ago in a quiet valley.", "thirty years ago") == (
        "The plant opened in a quiet valley")
    assert describe_date("Forty years later the valley was a lake.", "years later") == "the valley was a lake"
    # a number that belongs to the words before stays: "on April 15 [last year]", "the one [four years ago]"
    assert describe_date("The mill closed on April 15 last year.", "last year") == "The mill closed on April 15"
    assert describe_date("This fair will differ from the one four years ago.", "four years ago") == (
        "This fair will differ from the one")


def test_a_participle_whose_only_complement_was_the_date_goes_with_it():
    assert describe_date("The guild, founded in 1822, still trains young masons.", "1822") == (
        "The guild still trains young masons")


def test_a_when_clause_after_the_date_says_what_happened_then():
    phrase = describe_date("The valley was calm in 2009, when the new dam flooded the lower farms.", "2009")
    assert phrase == "the new dam flooded the lower farms"


# ----------------------------------------------------------------------------- the window


def test_a_long_clause_is_cut_before_a_new_phrase_and_the_cut_is_marked():
    text = "In 2011 the provincial government quietly sold the ageing northern ferry fleet to a private operator."
    phrase = describe_date(text, "2011")
    assert phrase == "the provincial government quietly sold the ageing northern ferry fleet…"


def test_words_cut_before_the_date_are_marked_too():
    text = "After months of quarrels the committee of farmers and traders finally approved the new market rules on Friday."
    phrase = describe_date(text, "Friday")
    assert phrase.startswith("…") and phrase.endswith("approved the new market rules")


def test_a_cut_quotation_keeps_its_marks_balanced():
    text = ("The minister said in 2018 that the reform would bring “a new era of open and honest government for every "
            "citizen of the republic” to the islands.")
    phrase = describe_date(text, "2018")
    assert phrase.count("“") == phrase.count("”") == 1
    assert "…”" in phrase  # the quotation was cut, and says so inside its marks
    assert description_flaws(phrase) == []


def test_a_dash_or_colon_between_digits_does_not_end_the_clause():
    assert describe_date("The 1998–2001 storms hit the piers in 1999.", "1999") == "The 1998–2001 storms hit the piers"
    assert describe_date("The ferry left at 6:15 on Monday.", "Monday") == "The ferry left at 6:15"


def test_a_colon_inside_a_quoted_title_does_not_end_the_clause():
    text = "Her 2015 essay “Harbours: A Short History” sold well in the port towns."
    phrase = describe_date(text, "2015")
    assert "“Harbours: A Short History”" in phrase


@pytest.mark.parametrize(
    "text",
    [
        "In 1987 the ministry of transport approved a costly plan to rebuild the northern coastal railway.",
        "The old guard of the party, which had ruled the region since 1975, lost every seat in the western valleys.",
        ("Critics of the treaty, signed on March 3, 1994, argued that the eastern provinces would pay for its "
        "“unbalanced and hasty concessions to the neighbouring states”."),
        "Her brother left the village two years later, when the mine closed and the school lost its last teacher.",
        "The council cut the budget last year and again on Monday, leaving the libraries without any new books.",
        "A study of river floods since 1900 shows that the 1953 storm surge was the worst disaster of the century.",
    ],
)
def test_every_description_of_an_invented_article_reads(text):
    events = extract_events(text, "s", "2020-06-01")
    assert events
    for event in events:
        assert description_flaws(event.description) == [], (event.date_text, event.description)
        assert 3 <= len(event.description.split()) <= DESCRIPTION_WORDS, (event.date_text, event.description)


# ----------------------------------------------------------------------------- the checker


def test_the_checker_names_each_kind_of_broken_description():
    assert description_flaws("it carries dangers for democracy and post- security") == ["dangling hyphen"]
    assert description_flaws("the minister called it “a new era") == ["unbalanced quote"]
    assert description_flaws("the council embraced the goal of") == ["function word end"]
    assert description_flaws("the mayor praised the city’s") == ["function word end"]
    assert description_flaws("the mayor praised the new bridge…") == []
    assert description_flaws("the minister called it “a new era…”") == []


# ----------------------------------------------------------------------------- session 26: stumps and stray marks


def test_a_stump_widens_past_a_parenthetical_to_the_verb_of_its_sentence():
    """The clause ends at the dash, leaving "it turns out that 2031", which says nothing; the sentence read past
    the dashes says what is the case."""
    text = "And it turns out that 2031 — the year the harbour lease ends — is also an election year."
    phrase = describe_date(text, "2031")
    assert "is also an election year" in phrase and "stump" not in description_flaws(phrase)


def test_a_stump_cut_before_its_verb_gets_the_verb():
    text = "On Tuesday, the seven elected members of the harbour board of the islands will vote on the new tariff."
    phrase = describe_date(text, "Tuesday")
    assert "will vote" in phrase and len(phrase.replace("…", " ").split()) <= DESCRIPTION_WORDS
    assert "stump" not in description_flaws(phrase)


def test_a_description_that_is_the_date_alone_moves_to_what_the_sentence_says():
    text = "March 16 — the port council released its first budget for the new ferry terminal."
    phrase = describe_date(text, "March 16")
    assert "released its first budget" in phrase and description_flaws(phrase) == []


def test_a_stump_with_no_better_window_stays_as_it_was():
    assert describe_date("Until 2020.", "2020") == "Until 2020"


def test_no_description_starts_with_the_comma_or_quote_mark_of_a_dropped_date():
    phrase = describe_date('"Last month, the skipper got a notice from the port.', "Last month")
    assert not phrase.lstrip('"…').startswith(",") and "leading stray mark" not in description_flaws(phrase)
    assert "the skipper got a notice" in phrase
    phrase = describe_date("Critics — on Monday, the port board — closed the gates.", "Monday")
    assert "stray comma" not in description_flaws(phrase) and "closed the gates" in phrase


def test_a_comma_that_closed_a_date_after_that_goes_with_the_date():
    phrase = describe_date("The forecast shows that in 2030, the port will handle twice the cargo.", "2030")
    assert phrase == "The forecast shows that the port will handle twice the cargo"


def test_a_date_inside_a_quotation_stays_as_the_speaker_said_it():
    text = "The agency’s plan “Clean Harbours by 2040”, published last spring, sets the goals for every port."
    phrase = describe_date(text, "2040")
    assert "“Clean Harbours by 2040”" in phrase and "hole in a quotation" not in description_flaws(phrase)


def test_late_or_early_before_a_dropped_date_goes_with_it():
    text = "When asked by a reporter late this summer what she would do next, the mayor laughed."
    assert " late " not in f" {describe_date(text, 'this summer')} "
    assert describe_date("By late Tuesday, there were signs of a deal on the bridge.", "Tuesday") == (
        "there were signs of a deal on the bridge")


def test_a_participle_that_introduced_the_date_goes_with_it():
    text = "The plan would end the subsidy starting in 2027 for new farms."
    assert describe_date(text, "2027") == "The plan would end the subsidy for new farms"


def test_the_checker_names_stumps_and_stray_marks():
    assert "stump" in description_flaws("on Tuesday…")
    assert "stump" in description_flaws("until 2020")
    assert "stump" in description_flaws("it just happens that 2015")
    assert "stump" in description_flaws("the nine members of the board…")  # no verb
    assert "stump" not in description_flaws("he resigned")
    assert "stump" not in description_flaws("the council voted to close the bridge")
    assert description_flaws(", she received a letter…") == ["leading stray mark"]
    assert description_flaws("the mayor told the radio’s “” show") == ["hole in a quotation"]
    assert description_flaws("the forecast shows that, the port will grow") == ["stray comma"]
    assert description_flaws("critics —, the port board closed the gates") == ["stray comma"]
    assert description_flaws("the mayor decided that, rather than wait, the town would build") == []


def test_an_end_point_stays_so_a_negation_keeps_its_sense():
    """Dropping "until 2031" from "may not open until 2031" would say the terminal may never open."""
    assert describe_date("The new ferry terminal may not open until 2031.", "2031") == (
        "The new ferry terminal may not open until 2031")


def test_a_comma_before_a_phrase_that_restates_the_date_goes_with_the_date():
    phrase = describe_date("The ban dated from 1998, from the months after the flood.", "1998")
    assert phrase == "The ban dated from the months after the flood"


def test_a_widened_stump_does_not_borrow_the_verb_of_the_clause_after_a_semicolon():
    text = "The harbour pier, under a 2016 deal with the port board; in 2022 the council voted to keep it open."
    assert "council voted" not in describe_date(text, "2016")


def test_the_checker_reads_a_verb_between_two_names_and_none_in_a_noun_phrase():
    assert "stump" not in description_flaws("Lindqvist beat Moreau by 312 votes in the northern district")
    assert "stump" in description_flaws("the final day of the 2013 legislative session")


def test_a_widened_window_may_start_where_the_date_went():
    """"A year ago [today], on May 2, 2019, the port …" is a stump up to the second date; the window that says what
    happened starts where the first date went."""
    text = "A year ago today, on May 2, 2019, the port closed its fish market."
    phrase = describe_date(text, "today")
    assert "the port closed its fish market" in phrase and "stump" not in description_flaws(phrase)
