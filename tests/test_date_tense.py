"""Which way a bare weekday points, from the tense of its clause (invented sentences, dated articles)."""

import pytest

from cruxmap.nlp.events import extract_events


def weekday_value(text: str, published: str, weekday: str) -> str | None:
    event = next(e for e in extract_events(text, "t", published) if e.date_text.startswith(weekday))
    return event.date


# 2023-05-15 is a Monday
@pytest.mark.parametrize(
    ("text", "published", "weekday", "expected"),
    [
        # the present progressive, a timetabled present simple, a copula and future periphrases point ahead
        ("Lawmakers are voting on Tuesday on the harbour budget.", "2023-05-15", "Tuesday", "2023-05-16"),
        ("The regional summit opens Thursday in the old port town.", "2023-05-15", "Thursday", "2023-05-18"),
        ("The baker, who is up for election on Tuesday, spoke to us.", "2023-05-15", "Tuesday", "2023-05-16"),
        ("The festival, set to be held Saturday, has sold out.", "2023-05-15", "Saturday", "2023-05-20"),
        ("The mayor hopes to sign the lease by Friday.", "2023-05-15", "Friday", "2023-05-19"),
        ("On Thursday, the board is expected to name a new chair.", "2023-05-15", "Thursday", "2023-05-18"),
        ("Thursday's hearing in the county court will be closed to the public.", "2023-05-15", "Thursday", "2023-05-18"),
        ("The ferry company on Wednesday resumes its night crossings.", "2023-05-15", "Wednesday", "2023-05-17"),
        # a deadline with what must be done by it lies ahead, whatever the tense of the clause
        ("The judge gave both sides until Thursday to answer the motion.", "2023-05-15", "Thursday", "2023-05-18"),
        # a weekday's own noun phrase that calls it a plan
        ("The police closed the square ahead of Saturday's planned march.", "2023-05-15", "Saturday", "2023-05-20"),
        # a past verb governs the weekday, even with a future word in the next clause
        ("The mayor said Tuesday she will stand again.", "2023-05-17", "Tuesday", "2023-05-16"),
        ("The clinic had collected 2,000 names by Saturday afternoon.", "2023-05-15", "Saturday", "2023-05-13"),
        ("Will Harper of the Gazette reported on Tuesday that the pier was unsafe.", "2023-05-19", "Tuesday", "2023-05-16"),
        ("The council on Thursday approved the new parking rules.", "2023-05-19", "Thursday", "2023-05-18"),
        ("By Wednesday morning, the volunteers had cleared the beach.", "2023-05-19", "Wednesday", "2023-05-17"),
        ("The old mill was set on fire in the riot on Sunday night.", "2023-05-15", "Sunday", "2023-05-14"),
        # a noun, not a verb: plural nouns that look like timetabled verbs, a participle before a noun
        ("She stayed home after taking part in council votes on Friday.", "2023-05-17", "Friday", "2023-05-12"),
        ("The senator spent the week holding rallies across the county Monday.", "2023-05-16", "Monday", "2023-05-15"),
        # a date inside a noun phrase is the noun's time, not the clause's
        ("In the wake of Sunday's flood, the farmers are rebuilding their barns.", "2023-05-17", "Sunday", "2023-05-14"),
        ("The collapse late Tuesday near the harbour is prompting new inspections.", "2023-05-17", "Tuesday", "2023-05-16"),
        # a photo caption's present tells what the picture shows
        ("A delegate takes the stage Tuesday. Hide Caption 3 of 9", "2023-05-18", "Tuesday", "2023-05-16"),
        # "would" after a past report is the future of that report: ahead of the writing time or on its day
        ("The union said the schools would be open Monday.", "2023-05-14", "Monday", "2023-05-15"),
        ("Officials told reporters that the ferry would sail again on Friday.", "2023-05-17", "Friday", "2023-05-19"),
        ("The union said the schools would be open Wednesday.", "2023-05-17", "Wednesday", "2023-05-17"),
        # … but not "would have", nor a pluperfect between the report and "would"
        ("The coach said the team would have won on Saturday.", "2023-05-17", "Saturday", "2023-05-13"),
        ("The mayor said she would not speak on Tuesday.", "2023-05-17", "Tuesday", "2023-05-16"),
        ("“It hurts,” said the fisher, who had hoped the boat would be back on Sunday.", "2023-05-17", "Sunday",
         "2023-05-14"),
        # what nears, approaches or looms lies ahead, however the sentence is told
        ("As the Thursday vote neared, the aldermen traded offers.", "2023-05-16", "Thursday", "2023-05-18"),
        ("With Friday's deadline looming, the tenants signed.", "2023-05-16", "Friday", "2023-05-19"),
        # … but a weekday that dates the nearing itself is the time told
        ("As the deadline neared on Thursday, the talks stalled.", "2023-05-19", "Thursday", "2023-05-18"),
    ],
)
def test_a_bare_weekday_follows_the_tense_of_its_clause(text, published, weekday, expected):
    assert weekday_value(text, published, weekday) == expected


def test_a_weekday_with_no_verb_of_known_direction_keeps_the_older_cues():
    # "would" with no past report before it decides nothing: the weekday is the last one, as before
    assert weekday_value("Without the grant the schools would be open Monday.", "2023-05-14", "Monday") == "2023-05-08"
    # "last" is stronger than any tense
    assert weekday_value("The board will vote on the plan it shelved last Tuesday.", "2023-05-17", "last Tuesday") == "2023-05-16"


def test_a_weekday_that_recurs_names_no_date():
    events = extract_events("The market opens every Tuesday and each Friday morning; it also opened on Sunday.", "r",
                            "2023-05-17")
    assert [e.date_text for e in events] == ["Sunday"]
