"""Shapes a seventh labelled dev set showed: a person of a body before the cue, a body before a title and a name, a
participle of saying that hangs on a reported clause with its own subject. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct


def _pairs(doc):
    return [(q.text, q.speaker) for q in direct(doc)]


def test_a_person_of_a_body_right_before_the_cue_speaks_not_the_body():
    doc = build("Lena Hartwig of the Orchard Fund said, “The harbour levy is far too high for the boats.”",
                people=("Lena Hartwig",), orgs=("Orchard Fund",))
    assert _pairs(doc) == [("The harbour levy is far too high for the boats.", "Lena Hartwig")]
    doc = build("Tomas Vrba of Quaynews.com said, “Nobody in this town wants a second bridge.”",
                people=("Tomas Vrba",), orgs=("Quaynews.com",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("Tomas Vrba", "person")]
    # with no person before ``of``, the body speaks
    doc = build("The board of the Orchard Fund said, “The harbour levy is far too high for the boats.”",
                orgs=("Orchard Fund",))
    assert [q.speaker for q in direct(doc)] != ["Lena Hartwig"] and direct(doc)[0].speaker is not None


def test_a_body_before_a_title_and_a_name_only_says_whose_title_it_is():
    doc = build("Harbour Trust spokesman Ivo Kern hailed the ferry deal as “a fine day for the whole coast”.",
                people=("Ivo Kern",), orgs=("Harbour Trust",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("Ivo Kern", "person")]
    # two bodies joined by ``and`` are no title
    doc = build("Harbour Trust and Ivo Kern hailed the ferry deal as “a fine day for the whole coast”.",
                people=("Ivo Kern",), orgs=("Harbour Trust",))
    assert [q.speaker for q in direct(doc)] != ["Ivo Kern"]


def test_a_participle_of_saying_hangs_on_the_reported_clause_with_its_own_subject():
    doc = build("Marta Olsen said Pavel Brandt warned the mayor, saying, “There is only one way this can end.”",
                people=("Marta Olsen", "Pavel Brandt"))
    assert _pairs(doc) == [("There is only one way this can end.", "Pavel Brandt")]
    # a reported clause without a subject of its own leaves the participle to the reporter
    doc = build("Marta Olsen left the hall, saying, “There is only one way this can end.”", people=("Marta Olsen",))
    assert _pairs(doc) == [("There is only one way this can end.", "Marta Olsen")]
