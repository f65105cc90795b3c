"""Shapes a seventh labelled dev set showed: a person of a body before the cue, a body before a title and a name, a
participle of saying that hangs on a reported clause with its own subject. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs


def test_a_person_of_a_body_right_before_the_cue_speaks_not_the_body():
    doc = build("Lena Hartwig of the Orchard Fund said, “The harbour levy is far too high for the boats.”",
                people=("Lena Hartwig",), orgs=("Orchard Fund",))
    assert direct_pairs(doc) == [("The harbour levy is far too high for the boats.", "Lena Hartwig")]
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
    assert direct_pairs(doc) == [("There is only one way this can end.", "Pavel Brandt")]
    # a reported clause without a subject of its own leaves the participle to the reporter
    doc = build("Marta Olsen left the hall, saying, “There is only one way this can end.”", people=("Marta Olsen",))
    assert direct_pairs(doc) == [("There is only one way this can end.", "Marta Olsen")]


def test_a_pronoun_finds_a_name_the_tagger_missed_when_a_role_sets_it_off():
    doc = build("Dana Whitlock, chief analyst at Ferrum Capital, told the Gazette the fall was not caused by rates. "
                "The markets had been calm for years.\n\n“People expected low rates,” she said.", orgs=("Ferrum Capital",))
    assert direct_pairs(doc) == [("People expected low rates", "Dana Whitlock")]
    # two capitalised words before a comma with no role after them are no person
    doc = build("Harbour Street, the long one by the quay, was closed. The markets had been calm for years.\n\n"
                "“People expected low rates,” she said.")
    assert [q.speaker for q in direct(doc)] == [None]


def test_a_pronoun_skips_names_the_tagger_found_in_a_list_and_names_with_digits():
    listing = ("Choose your country Albania Belgium Chad Denmark Estonia Fiji Grenada Haiti Iceland Jamaica Kenya "
               "Latvia Malta Nauru Oman Peru Qatar Samoa Tonga Uganda Vanuatu Yemen Zambia Please enter your address.")
    doc = build(f"Ivo Kern opened the new hall on the quay. {listing}\n\n“We will rebuild the quay,” he said.",
                people=("Ivo Kern", "Vanuatu Yemen"))
    assert direct_pairs(doc) == [("We will rebuild the quay", "Ivo Kern")]
    doc = build("Ana Ruiz runs the clinic. Patients with Covid-19 wait outside.\n\n“We call them all back,” she said.",
                people=("Ana Ruiz", "Covid-19"))
    assert direct_pairs(doc) == [("We call them all back", "Ana Ruiz")]
    # a headline in capitals before the sentence that names the person is no list
    doc = build("Retired Harbour Pilot Reveals Hard Years On The Quay Under The Old Board\n\nRetired Pilot Gen. Ivo Kern "
                "is speaking out. “We will rebuild the quay,” he said.", people=("Ivo Kern",))
    assert direct_pairs(doc) == [("We will rebuild the quay", "Ivo Kern")]


def test_partial_quotations_in_reports_the_rules_did_not_reach():
    # a named listener, then a reported clause opening with a clause of time
    doc = build("Mira Holm told Dock Radio when she and two aides went into the office and shut the door, it “flew "
                "open” a minute later.", people=("Mira Holm",), orgs=("Dock Radio",))
    assert direct_pairs(doc) == [("flew open", "Mira Holm")]
    # a long aside in brackets between the subject and its verb of saying
    doc = build("Last year, a senior port official (alongside officials from the ferry line and the rail board) "
                "admitted before a council hearing that smugglers had used the quay to “move goods unseen” at night.")
    assert [(q.text, q.speaker_type) for q in direct(doc)] == [("move goods unseen", "person")]
    # a surname the tagger missed before ``, who called``
    doc = build("The clash with the clerk Mira Holm came in May. Holm, who called the scuffle “frightening,” told "
                "police she would press charges.", people=("Mira Holm",))
    assert direct_pairs(doc) == [("frightening", "Mira Holm")]


def test_the_kind_of_a_statement_from_a_person_a_named_campaign_and_it_for_an_organisation():
    doc = build("“The secretary will stay,” said the statement from Oskar Brandvold, the under secretary.",
                people=("Oskar Brandvold",))
    assert [q.speaker_type for q in direct(doc)] == ["document"]
    doc = build("In a statement, the Brandvold campaign said the port has “reached a new low.”",
                people=("Brandvold",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the Brandvold campaign", "organisation")]
    doc = build("Two were hurt, according to the Harbour Centre for Rights, which called for a halt to what it said "
                "were “secret trials.”", orgs=("Harbour Centre for Rights",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("Harbour Centre for Rights", "organisation")]
    # a group of people before ``of`` stays a group
    doc = build("“The levy must go,” said a group of about forty lawmakers.")
    assert [q.speaker_type for q in direct(doc)] == ["group"]
