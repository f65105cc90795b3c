"""Shapes a fifth labelled dev set showed: an object quoted as saying, an inverted verb of manner, an object made to
speak, plural role nouns, a naming verb before a closing ``according to``, ``confirmed that``, a document with a
modifier or a body in its phrase, and an absolute ``with X doing …, saying``. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs


def test_the_object_of_quoted_as_saying_after_the_words_is_the_speaker():
    doc = build("“We will rebuild the quay,” the Harbour Gazette quoted Ana Ruiz as saying in 2009.",
                people=("Ana Ruiz",), orgs=("Harbour Gazette",))
    assert direct_pairs(doc) == [("We will rebuild the quay", "Ana Ruiz")]
    # the paper still speaks when it quotes nobody as saying
    doc = build("“The quay will be rebuilt,” the Harbour Gazette reported.", orgs=("Harbour Gazette",))
    assert direct_pairs(doc) == [("The quay will be rebuilt", "Harbour Gazette")]


def test_a_past_tense_before_a_name_right_after_the_words_reports_them():
    doc = build("Ivo Kern asked about fees. \"We charge per crate,\" smirked Ana Ruiz. \"Fine,\" said Kern.",
                people=("Ana Ruiz", "Ivo Kern"))
    assert direct_pairs(doc)[0] == ("We charge per crate", "Ana Ruiz")
    # a verb after a quotation that ends the author's clause is no cue (no speech punctuation inside the marks)
    doc = build("Ivo Kern said the crane was \"old\" closed Ana Ruiz.", people=("Ana Ruiz", "Ivo Kern"))
    assert all(q.speaker != "Ana Ruiz" for q in direct(doc))


def test_the_object_of_a_causing_verb_speaks_the_words_of_its_infinitive():
    doc = build("The levy rose, leading Ana Ruiz to explain, \"The harbour needs new cranes.\"", people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("The harbour needs new cranes.", "Ana Ruiz")]


def test_plural_role_nouns_are_groups_that_speak():
    doc = build("\"The port owes us an answer about the cranes,\" union lawyers wrote in a footnote.")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("union lawyers", "group")]


def test_what_x_described_as_beats_a_closing_according_to():
    doc = build("The plan answers what the mayor described as \"reckless dredging by outside firms,\" according to "
                "the Harbour Gazette.", orgs=("Harbour Gazette",))
    assert [(q.speaker, q.cue) for q in direct(doc)] == [("the mayor", "described as")]


def test_confirmed_that_reports_the_words():
    doc = build("The Harbour Trust confirmed that Kern \"is sorry for the delay and will pay the fines.\"",
                people=("Kern",), orgs=("Harbour Trust",))
    assert direct_pairs(doc) == [("is sorry for the delay and will pay the fines.", "Harbour Trust")]


def test_a_document_speaks_past_its_modifier_and_the_body_in_its_phrase():
    doc = build("Another study, for the Port Institute, concluded that \"tolls lower the wages of dock workers.\"",
                orgs=("Port Institute",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("another study", "document")]
    doc = build("A survey of dock workers for the Port Institute concluded that \"tolls lower their wages.\"",
                orgs=("Port Institute",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [
        ("a survey of dock workers for the Port Institute", "document")]
    # a person after ``for`` is no body of a document (``a letter for Ana Ruiz``: she is no author)
    doc = build("Ana Ruiz, for her part, said \"the cranes are old.\"", people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("the cranes are old.", "Ana Ruiz")]


def test_the_subject_of_an_absolute_with_phrase_says_the_words_of_its_participle():
    doc = build("The crowd cheered, with Ana Ruiz even mocking the owners, saying, \"You had your chance.\"",
                people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("You had your chance.", "Ana Ruiz")]
    doc = build("Ivo Kern spoke first, with a heckler being jeered for saying, \"Go home, Ivo.\"",
                people=("Ivo Kern",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a heckler", "person")]
    # without the absolute phrase the sentence's subject still says it
    doc = build("Ivo Kern spoke first, saying, \"We love this port.\"", people=("Ivo Kern",))
    assert direct_pairs(doc) == [("We love this port.", "Ivo Kern")]


def test_it_is_never_a_person_the_tagger_once_took_for_an_organisation():
    text = ("The Ferry Company sued Ana Ruiz. Ruiz fined it. The company \"kept every log it had,\" it wrote to the "
            "judge.")
    doc = build(text, people=("Ana Ruiz",), orgs=("Ferry Company", "Ruiz"))
    for entity in doc.entities:  # the tagger's ``Ruiz`` as an organisation, named after the person
        if entity.text == "Ruiz" and entity.label == "ORG":
            entity.canonical = "Ana Ruiz"
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("Ferry Company", "organisation")]


def test_the_addressee_of_a_memo_is_no_ones_words():
    doc = build("Ana Ruiz wrote in her memo addressed to \"all harbour staff.\"", people=("Ana Ruiz",))
    assert direct(doc) == []
    # the memo's own words still are hers
    doc = build("Ana Ruiz wrote in her memo that \"all harbour staff will be paid.\"", people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("all harbour staff will be paid.", "Ana Ruiz")]


def test_and_after_a_relative_clause_on_a_name_continues_the_relative_clause():
    doc = build("The board heard from Ana Ruiz, who claims the tolls rose; and Ivo Kern, who is represented by Cy Dorn "
                "and claims that the fees were \"plainly rigged\" in May.", people=("Ana Ruiz", "Ivo Kern", "Cy Dorn"))
    assert direct_pairs(doc) == [("plainly rigged", "Ivo Kern")]
    # without the semicolon the inner report is nested in the outer one, which the article attributes
    doc = build("Ana Ruiz claims that Ivo Kern once called the fees \"plainly rigged\" in May.",
                people=("Ana Ruiz", "Ivo Kern"))
    assert direct_pairs(doc) == [("plainly rigged", "Ana Ruiz")]


def test_according_to_names_its_source_after_it_never_the_name_before_it():
    doc = build("Judge Ana Ruiz conceded a \"missing month\" in the ledgers sent to Ivo Kern, according to a "
                "transcript from May.", people=("Ana Ruiz", "Ivo Kern"))
    assert direct_pairs(doc) == [("missing month", "Ana Ruiz")]
    doc = build("\"The records are complete,\" the firm wrote, according to Ivo Kern.", people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] == ["the firm"]
