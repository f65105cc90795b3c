"""Quoted words that the sentence around them does not attribute stay without a speaker.

A name set in quote marks, an author's phrase in the main clause after a reported subordinate
clause, a naming verb that comes after the words: none of these report what someone said.
Documents are built by hand as in ``test_quotes.py``.
"""

from __future__ import annotations

from test_quotes import build, direct


def test_a_phrase_after_known_as_is_a_name_even_inside_reported_speech():
    doc = build("The plans include merging what is known in the ministry as the “K” desk with two other offices, "
                "the aide said. The district, long known as “the Hollow,” voted on Sunday, Pia Sund said.",
                people=("Pia Sund",))
    assert direct(doc) == []
    doc = build("Pia Sund said the ferry was “a relic of another age.”", people=("Pia Sund",))
    assert [q.speaker for q in direct(doc)] == ["Pia Sund"]


def test_a_report_in_an_opening_subordinate_clause_does_not_own_the_main_clauses_phrase():
    doc = build("When Ivo Kern says that closing the mill is “a betrayal of workers,” he is borrowing the "
                "language of those who treat the river as a “birthright” of the town.", people=("Ivo Kern",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("a betrayal of workers", "Ivo Kern")]
    doc = build("When the Harbour Gazette reported the sale, readers only learned one thing in the last line: "
                "“The buyer has not been named and the price was not disclosed.”", orgs=("Harbour Gazette",))
    assert [q.speaker for q in direct(doc)] == ["Harbour Gazette"]


def test_a_relative_clause_without_a_verb_of_saying_on_an_unnamed_group_is_a_description():
    doc = build("The column hints at unnamed officials who “shape every budget line” behind closed doors. "
                "Local officials who said that “the depot will stay open” were wrong.")
    assert [(q.text, q.speaker) for q in direct(doc)] == [("the depot will stay open", "local officials")]


def test_a_naming_verb_after_the_quotation_names_what_follows_it():
    doc = build("Mayor Ola Brandt keeps asking whether the auditors will be “fair” to the town, doing what critics "
                "described as an old trick.", people=("Ola Brandt",))
    assert "critics" not in [q.speaker for q in direct(doc)]


def test_a_phrase_inside_a_report_nested_in_anothers_report_is_given_as_the_outer_speakers():
    doc = build("Ada Voss said at a rally in Leeds that Ben Hale once described the levy as “a fair deal” for farmers. "
                "Ada Voss herself later acknowledged that a ledger suggested the mill had paid “consultancy fees” twice.",
                people=("Ada Voss", "Ben Hale"))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("a fair deal", "Ada Voss"), ("consultancy fees", "Ada Voss")]
    doc = build("Ada Voss said that Ben Hale told her: “The levy stays until the harvest is in.”",
                people=("Ada Voss", "Ben Hale"))
    assert [q.speaker for q in direct(doc)] == ["Ben Hale"]


def test_a_pronoun_right_after_a_reporting_verb_is_the_reporter():
    text = ("Lia Moss chaired the water board for a decade. Two years on, the same inspector said she warned the "
            "board because: “The pumps could fail in any storm.”")
    [quote] = direct(build(text, people=("Lia Moss",)))
    assert text[quote.speaker_start : quote.speaker_end] == "the same inspector" and quote.speaker != "Lia Moss"


def test_a_phrase_after_said_is_a_speaker_only_if_it_ends_in_someone_who_can_speak():
    text = ("Odile Brun, who watched the parade from a balcony, said the parade brought back memories of "
            "“the summers when the harbour was full.”")
    [quote] = direct(build(text, people=("Odile Brun",)))
    assert quote.speaker == "Odile Brun"
    doc = build("“The ferry will run again by June,” said a marine biologist at the port. “No ferry has ever "
                "crossed in winter,” said two ferrymen on the night crossing. “The toll stays,” said the harbour "
                "board.")
    assert [q.speaker for q in direct(doc)] == [
        "a marine biologist at the port", "two ferrymen on the night crossing", "the harbour board"]
