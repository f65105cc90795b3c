"""Shapes a fourth labelled dev set showed: two apostrophes closing a double quotation, ``continues`` after the
words, and a speaker after a long opening clause or a time phrase. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs

from cruxmap.nlp.quote_marks import find_quoted_pieces
from cruxmap.nlp.quotes import extract_quotes


def test_two_apostrophes_close_a_double_quotation():
    text = "\"The port is safe for now,'' Ivo Kern said. \"The tolls stay.''"
    assert [text[p.start : p.end] for p in find_quoted_pieces(text)] == ["The port is safe for now", "The tolls stay."]
    assert direct_pairs(build(text, people=("Ivo Kern",))) == [("The port is safe for now", "Ivo Kern"),
                                                         ("The tolls stay.", "Ivo Kern")]
    # an apostrophe pair inside a word, or opening a quotation of its own, closes nothing
    text = "\"We named it ''Dock Two'' in May and kept the name,\" Ivo Kern said."
    assert [text[p.start : p.end] for p in find_quoted_pieces(text)][:1] == [
        "We named it ''Dock Two'' in May and kept the name"]


def test_continues_after_the_words_reports_them():
    doc = build("Ivo Kern runs the yard. \"Only two firms can build a crane this size,\" Kern continues.",
                people=("Ivo Kern", "Kern"))
    assert [(q.text, q.speaker, q.cue) for q in direct(doc)] == [
        ("Only two firms can build a crane this size", "Ivo Kern", "continues")]


def test_a_subject_after_a_long_opening_clause_introduces_the_words_after_its_colon():
    doc = build("When asked whether the board had picked on the wrong harbour master, Ana Ruiz did not pause: "
                "“They surely did.”", people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("They surely did.", "Ana Ruiz")]
    # a short opening phrase before the comma worked before and still does
    doc = build("Asked about it, Ana Ruiz did not pause: “They surely did.”", people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("They surely did.", "Ana Ruiz")]


def test_a_long_opening_clause_then_a_pronoun_and_a_participle_of_saying():
    doc = build("Ana Ruiz spoke last. Though the mayor chose not to close the old eastern dock before the winter storms, she kept up her sharp talk "
                "saying, “If the board keeps pushing the levy, we will fight it in court.”", people=("Ana Ruiz",))
    assert direct_pairs(doc) == [("If the board keeps pushing the levy, we will fight it in court.", "Ana Ruiz")]


def test_a_time_phrase_without_a_comma_before_the_subject():
    doc = build("On Thursday Ivo Kern, Harbour Radio’s chief engineer, offered this verdict via radio: “The cranes "
                "will not last another winter.”", people=("Ivo Kern",), orgs=("Harbour Radio",))
    assert direct_pairs(doc) == [("The cranes will not last another winter.", "Ivo Kern")]
    # a time phrase and a comma, as before
    doc = build("On Thursday, Ivo Kern offered this verdict: “The cranes will not last another winter.”",
                people=("Ivo Kern",))
    assert direct_pairs(doc) == [("The cranes will not last another winter.", "Ivo Kern")]


def test_a_colon_after_a_name_the_tagger_took_for_an_organisation_elsewhere_a_person():
    doc = build("Ana Ruiz spoke first. When asked about the levy, Ruiz did not pause: “They surely did.”",
                people=("Ana Ruiz",), orgs=("Ruiz",))
    ruiz = [e for e in doc.entities if e.text == "Ruiz" and e.label == "ORG"]
    assert ruiz and ruiz[0].canonical == "Ana Ruiz"
    assert direct_pairs(doc) == [("They surely did.", "Ana Ruiz")]


def test_an_opening_clause_with_an_aside_in_dashes_then_the_subject_and_its_colon():
    doc = build("After the vote — and after Ivo Kern dropped the plan because of its cost — Ana Ruiz made the "
                "following statement: “As mayor, I will not back the levy in this term.”", people=("Ivo Kern", "Ana Ruiz"))
    assert direct_pairs(doc) == [("As mayor, I will not back the levy in this term.", "Ana Ruiz")]


def test_a_quotation_after_the_long_sentence_that_attributes_the_previous_one_continues_its_speaker():
    doc = build("“The levy is dead,” Ana Ruiz said in a clip for the Harbour Trust on 4 May 2019, while she quietly "
                "prepared the ground for a second run at the post of mayor of the little town. “That includes the tolls.”",
                people=("Ana Ruiz",), orgs=("Harbour Trust",))
    assert direct_pairs(doc) == [("The levy is dead", "Ana Ruiz"), ("That includes the tolls.", "Ana Ruiz")]
    # a new paragraph after the long sentence ends the run (as it did)
    doc = build("“The levy is dead,” Ana Ruiz said in a clip for the Harbour Trust on 4 May 2019, while she quietly "
                "prepared the ground for a second run at the post of mayor of the little town.\n\n“That includes the "
                "tolls,” a reader wrote back.", people=("Ana Ruiz",), orgs=("Harbour Trust",))
    assert ("That includes the tolls", "Ana Ruiz") not in direct_pairs(doc)


def test_a_noun_of_speech_with_its_agent_after_by_owns_the_words_of_its_clause():
    doc = build("Critics seized on accusations by Ivo Kern that the vote was “rigged from the start” last year.",
                people=("Ivo Kern",))
    assert [(q.text, q.speaker) for q in extract_quotes(doc)] == [("rigged from the start", "Ivo Kern")]
    # a phrase between the noun and its agent, and a possessive before the agent's name
    doc = build("The remark gained weight amid repeated accusations in the mayoral race by Ruiz’s rival Ivo Kern "
                "that the count is “rigged.”", people=("Ivo Kern", "Ruiz"))
    assert [(q.text, q.speaker) for q in extract_quotes(doc)] == [("rigged.", "Ivo Kern")]
    # without a clause the noun only names a topic: the phrase stays a scare quote
    doc = build("Critics seized on accusations by Ivo Kern about the “rigged” vote last year.", people=("Ivo Kern",))
    assert [q.speaker for q in extract_quotes(doc)] == []


def test_a_statement_from_a_body_with_a_participle_clause_speaks_as_the_statement():
    doc = build("The statement from the Harbour Trust announcing the sale said: “This is a fair price for all of us "
                "and for the town.”", orgs=("Harbour Trust",))
    (quote,) = direct(doc)
    assert quote.speaker == "the statement from the Harbour Trust" and quote.speaker_type == "document"
    assert doc.source.text[quote.speaker_start : quote.speaker_end] == "The statement from the Harbour Trust"


def test_a_person_of_a_body_before_a_long_appositive_with_a_relative_clause():
    doc = build("Ivo Kern of the Harbour Trust, the activist who got the levy repealed last year, says that the tolls "
                "are “a tax on the poor.”", people=("Ivo Kern",), orgs=("Harbour Trust",))
    assert [(q.text, q.speaker) for q in extract_quotes(doc) if q.direct] == [("a tax on the poor.", "Ivo Kern")]


def test_a_quotation_between_a_possessive_and_a_noun_of_speech_is_the_owner_s():
    doc = build("Ivo Kern spoke. While he declined to judge the case, his “I cannot clear him” verdict was harsh.",
                people=("Ivo Kern",))
    (quote,) = direct(doc)
    assert (quote.text, quote.speaker, quote.cue) == ("I cannot clear him", "Ivo Kern", "verdict")
    assert doc.source.text[quote.speaker_start : quote.speaker_end] == "his"
    doc = build("Ivo Kern’s “we will not pay” remark angered the board.", people=("Ivo Kern",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("we will not pay", "Ivo Kern")]
    # a possessed thing that is no speech keeps the phrase a scare quote
    doc = build("Ivo Kern spoke. His “smart” crane broke down in May.", people=("Ivo Kern",))
    assert direct(doc) == []


def test_a_pronoun_with_a_clitic_before_a_free_participle_of_saying():
    doc = build("Ana Ruiz spoke. Since then, she’s moved on, saying the old levy had been “an error.”",
                people=("Ana Ruiz",))
    (quote,) = direct(doc)
    assert (quote.text, quote.speaker, quote.cue) == ("an error.", "Ana Ruiz", "saying")
    assert doc.source.text[quote.speaker_start : quote.speaker_end] == "she"
    # a participle inside a phrase (``for promoting``) is no report of the subject's
    doc = build("Ana Ruiz spoke. She’s been fined by the board for fraudulently promoting “miracle” paint.",
                people=("Ana Ruiz",))
    assert direct(doc) == []
