"""Quotations whose speaker the earlier rules did not read: a title word that is not right before the
quotation, an opening ``As X put it,``, a statement that calls something in quoted words, a present-tense
verb of naming or judging, speakers set off by a long aside. Documents are built by hand as in
``test_quotes.py``; every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct


def test_a_title_word_followed_by_a_verb_does_not_make_the_quotation_a_title():
    doc = build("The main test for the grant program is a “proven need for housing,” as a council memo put it. "
                "Ivo Kern said he had read the book “Salt Roads” twice.", people=("Ivo Kern",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("proven need for housing", "a council memo")]
    doc = build("The two ferrymen are local legends (or, as the Harbour Gazette called them in an article last "
                "week, “river kings”).", orgs=("Harbour Gazette",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("river kings", "Harbour Gazette")]


def test_an_opening_as_clause_names_the_owner_of_the_main_clauses_quoted_words():
    doc = build("As Ana Ruiz put it in a long letter to the harbour board in the spring, the port is now “running out "
                "of room.” Yet, as Ivo Kern observed, in the first weeks of any new board -- before the budget is "
                "set -- “what would you cut?”", people=("Ana Ruiz", "Ivo Kern"))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("running out of room.", "Ana Ruiz"), ("what would you cut?", "Ivo Kern")]


def test_a_statement_that_calls_something_in_quoted_words_is_its_issuers():
    doc = build("After a long, closed-door meeting, the Harbour Council issued a statement calling the toll rise "
                "“a clear breach” of the lease.", orgs=("Harbour Council",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("a clear breach", "Harbour Council")]
    doc = build("Senior port officials expressed confidence to reporters Thursday that the new cranes are “well "
                "tested” in storms.")
    assert [(q.text, q.speaker) for q in direct(doc)] == [("well tested", "Senior port officials")]
    doc = build("The Harbour Council issued a ruling on the “green” ferries.", orgs=("Harbour Council",))
    assert direct(doc) == []
