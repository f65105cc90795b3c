"""Transcripts: ``LABEL: words`` paragraphs are turns, quoted whole and credited to the person the label names.
Every sentence is invented."""

from __future__ import annotations

from test_quotes import build

from cruxmap.nlp.quotes import extract_quotes
from cruxmap.nlp.transcripts import transcript_turns

INTERVIEW = (
    "On Sunday the radio host Lena Falk spoke with Governor Ivo Kern about the ferry tolls.\n\n"
    "\"FALK: Let me start with the tolls. Will they rise again next year?\n\n"
    "\"KERN: Well, look, the board decides that, not me. I have said “no more rises” and I meant it.\n\n"
    "\"FALK: So you rule it out?\n\n"
    "\"KERN: I rule it out for as long as I hold this office.\""
)


def _turns(doc):
    return [(q.speaker, q.text) for q in extract_quotes(doc)]


def test_each_turn_is_quoted_whole_and_credited_to_the_person_its_label_names():
    doc = build(INTERVIEW, people=("Lena Falk", "Ivo Kern"))
    assert _turns(doc) == [
        ("Lena Falk", "Let me start with the tolls. Will they rise again next year?"),
        ("Ivo Kern", "Well, look, the board decides that, not me. I have said “no more rises” and I meant it."),
        ("Lena Falk", "So you rule it out?"),
        ("Ivo Kern", "I rule it out for as long as I hold this office."),
    ]
    first = extract_quotes(doc)[0]
    assert first.direct and first.cue == ":" and doc.source.text[first.speaker_start : first.speaker_end] == "FALK"


def test_a_turn_cut_short_by_the_other_speaker_is_split_where_the_label_is():
    text = ("Senator Ana Ruiz questioned Tom Berg at the hearing.\n\n"
            "RUIZ: What would you have done after the port closed, what should the board have done — BERG: I would "
            "have reopened it within a week.\n\n"
            "BERG: And I would do so again.")
    doc = build(text, people=("Ana Ruiz", "Tom Berg"))
    assert _turns(doc) == [
        ("Ana Ruiz", "What would you have done after the port closed, what should the board have done"),
        ("Tom Berg", "I would have reopened it within a week."),
        ("Tom Berg", "And I would do so again."),
    ]


def test_labels_that_name_nobody_make_no_transcript():
    text = ("The council listed the options.\n\nPROS: The tolls pay for the new ferries.\n\n"
            "CONS: Farmers pay most of them.\n\nUpdate: The vote is on Monday.")
    doc = build(text)
    assert transcript_turns(doc.source.text, doc.entities) == []
    one = build("Ivo Kern: The Tolls Will Not Rise.\n\nThe governor spoke on the radio on Sunday.", people=("Ivo Kern",))
    assert transcript_turns(one.source.text, one.entities) == []  # one speaker: a headline's attribution


def test_a_linked_headline_is_no_turn():
    text = ("Ivo Kern: A Fair Choice Read more at: http://example.org/kern\n\n"
            "Lena Falk asked the governor.\n\nFALK: Is the toll fair?\n\nKERN: It is.\n\nFALK: Thank you.")
    doc = build(text, people=("Ivo Kern", "Lena Falk"))
    assert [speaker for speaker, _ in _turns(doc)] == ["Lena Falk", "Ivo Kern", "Lena Falk"]


def test_one_verdict_per_person_is_the_authors_list_not_a_transcript():
    text = ("Who won the budget fight?\n\nIvo Kern: The governor waited until the last hour and got his way.\n\n"
            "Ana Ruiz: The senator gave up the tolls and got nothing back.\n\nKern: 61.2\n\nRuiz: 38.8")
    doc = build(text, people=("Ivo Kern", "Ana Ruiz", "Kern", "Ruiz"))
    assert transcript_turns(doc.source.text, doc.entities) == []


def test_a_label_of_initials_names_the_person_with_those_initials_and_an_acronym_names_nobody():
    text = ("Hugo Holm interviewed Ruth Paley on Monday.\n\nHH: Is the levy fair?\n\nRP: It is fair enough.\n\n"
            "HH: Even for farmers?\n\nCBO: The levy costs 2 percent of output.")
    doc = build(text, people=("Hugo Holm", "Ruth Paley"))
    assert [speaker for speaker, _ in _turns(doc)] == ["Hugo Holm", "Ruth Paley", "Hugo Holm"]


def test_a_round_up_of_commentators_headlines_is_no_transcript():
    text = ("Our commentators on the budget night.\n\nIvo Kern: Tolls win the night\n\nAna Ruiz: Farmers pay again\n\n"
            "Ivo Kern: The governor coasts")
    doc = build(text, people=("Ivo Kern", "Ana Ruiz"))
    assert transcript_turns(doc.source.text, doc.entities) == []


def test_a_name_in_capitals_the_article_does_not_repeat_is_still_a_speaker_but_a_phrase_is_not():
    text = ("The host spoke with Ivo Kern.\n\nLENA FALK: Will the tolls rise?\n\nIVO KERN: Not this year.\n\n"
            "LENA FALK: And next year?\n\nREGARDLESS OF TOLLS: The ferries run on time.")
    doc = build(text, people=("Ivo Kern",))
    assert [speaker for speaker, _ in _turns(doc)] == ["Lena Falk", "Ivo Kern", "Lena Falk"]
