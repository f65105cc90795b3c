"""Indirect speech whose reporting clause is set off by commas inside the sentence, and two reported clauses the
rules used to cut short: a relative ``that`` after the clause's own verb, and a verb in a negative contraction.
Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build

from cruxmap.nlp.quotes import extract_quotes


def _reported(doc):
    return [(q.text, q.speaker) for q in extract_quotes(doc) if not q.direct]


def test_a_report_that_ends_before_the_clause_and_an_adjunct_of_the_authors_after_it():
    doc = build("Ana Ruiz runs the port. The ferry will lose money next year, Ruiz said on Friday, because fuel costs "
                "keep rising.", people=("Ana Ruiz", "Ruiz"))
    assert _reported(doc) == [("The ferry will lose money next year", "Ana Ruiz")]


def test_a_clause_that_interrupts_the_report_gives_the_whole_sentence():
    doc = build("Ana Ruiz runs the port. The new tariff, Ruiz said, will hurt the small farmers most.",
                people=("Ana Ruiz", "Ruiz"))
    assert _reported(doc) == [("The new tariff, Ruiz said, will hurt the small farmers most", "Ana Ruiz")]


def test_a_speaker_named_after_the_verb_is_followed_by_a_role_not_by_content():
    doc = build("The harbour needs dredging before the winter storms, said Tom Berg, co-founder of the harbour trust.",
                people=("Tom Berg",))
    assert _reported(doc) == [("The harbour needs dredging before the winter storms", "Tom Berg")]
    doc = build("The levy, said Tom Berg, will be repealed within a year.", people=("Tom Berg",))
    assert _reported(doc) == [("The levy, said Tom Berg, will be repealed within a year", "Tom Berg")]


def test_a_relative_clause_or_a_verb_with_its_own_object_is_no_report():
    doc = build("The ferry sailed at dawn, as Ana Ruiz said, and the pilots stayed on the quay.",
                people=("Ana Ruiz",))
    assert _reported(doc) == []
    doc = build("The board met on the first day of the month, Ruiz told the panel, and then it adjourned.",
                people=("Ruiz",))
    assert _reported(doc) == []


def test_a_that_after_the_reported_clauses_own_verb_is_a_relative_pronoun():
    doc = build("Ana Ruiz spoke on Sunday. Ruiz said officials have a video that shows the crash.",
                people=("Ana Ruiz", "Ruiz"))
    assert _reported(doc) == [("officials have a video that shows the crash", "Ana Ruiz")]


def test_a_negative_contraction_is_the_reported_clauses_verb():
    doc = build("Ana Ruiz spoke on Sunday. Ruiz said the council doesn’t plan to raise the fares.",
                people=("Ana Ruiz", "Ruiz"))
    assert _reported(doc) == [("the council doesn’t plan to raise the fares", "Ana Ruiz")]


def test_according_to_names_its_source_whatever_noun_phrase_follows():
    doc = build("According to exit polls, the mayor won a clear majority among older voters.")
    assert _reported(doc) == [("the mayor won a clear majority among older voters", "exit polls")]
    doc = build("Nine ferries were cancelled during the storm, according to harbour statistics.")
    assert _reported(doc) == [("Nine ferries were cancelled during the storm", "harbour statistics")]
    doc = build("According to harbour surveys, a large share of residents, including most farmers, favour the tolls.")
    assert _reported(doc) == [("a large share of residents, including most farmers, favour the tolls", "harbour surveys")]


def test_according_to_a_plan_or_a_pronoun_names_no_source():
    assert _reported(build("The new ferries were all delivered on time, according to plan.")) == []
    assert _reported(build("According to that, the old ferries will be scrapped next year.")) == []
