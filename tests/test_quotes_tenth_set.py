"""Shapes a tenth labelled dev set (and open cases of the ninth) showed: a definite description as a sentence's
subject for a later pronoun, ``they`` for a body or a plural party that opens the sentence before, a possessive's
title leading to a name after the cue, a name the tagger gave no capital, a possessor of a speech noun with an
adverb and an adjective between, ``lecture`` and ``surmise`` as verbs of saying, a progressive owning verb, signs
that read, a reply to the one asked, and the writer's ``I``. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs
from test_quotes_ninth_set import _tagged

from cruxmap.nlp.quotes import extract_quotes


def test_a_definite_description_as_subject_outranks_a_person_named_after_it():
    doc = build("Harbour chief executive Ana Ruiz met the board on Monday.\n\nBut so far, the chief executive has "
                "stood by her view of Tomas Ek.\n\n“The cranes stay where they are,” she told the Gazette before Ek "
                "spoke.", people=("Ana Ruiz", "Tomas Ek", "Ek"))
    assert direct_pairs(doc) == [("The cranes stay where they are", "Ana Ruiz")]


def test_a_definite_description_subject_after_the_last_person_named_carries_to_the_pronoun():
    doc = build("Port commissioner Ivo Brandt opened the quay in May. Tourism rose, Lena Hartwig said.\n\nFor now, the "
                "commissioner has kept his plans quiet. In June, he told investors that the quay would grow.\n\n"
                "“Our goal is a busier harbour,” he said.", people=("Ivo Brandt", "Lena Hartwig"))
    assert direct_pairs(doc) == [("Our goal is a busier harbour", "Ivo Brandt")]


def test_they_after_a_sentence_opened_by_a_plural_party_is_that_party():
    doc = _tagged("On Monday, Liberals on the harbour committee sent a letter to the mayor.\n\n“The ferry must run "
                  "every hour,” they wrote.", NORP=("Liberals",))
    (quote,) = direct(doc)
    assert quote.speaker == "Liberals" and quote.speaker_type == "group"


def test_they_after_a_sentence_opened_by_a_named_paper_is_the_paper():
    doc = build("The mayor spoke on Friday. Now, The Harbour Ledger, a Varga-based paper, is attacking the council "
                "for its budget. They described the plan as “reckless and late.”")
    (quote,) = [q for q in extract_quotes(doc) if q.direct]
    assert quote.speaker == "The Harbour Ledger" and quote.speaker_type == "organisation"


def test_they_in_a_sentence_opened_by_a_plural_role_is_that_group():
    doc = build("The agency cut the budget on Friday.\n\nLawmakers in both parties rallied on Sunday to keep the "
                "ferries that they say are now in danger of closing.", orgs=("The agency",))
    (quote,) = [q for q in extract_quotes(doc) if not q.direct]
    assert quote.speaker is not None and quote.speaker.lower() == "lawmakers"
    # a plural subject of no known kind opening the pronoun's sentence: not the body of the sentence before
    doc = build("The agency cut the budget on Friday.\n\nCouncillors from every ward rallied on Sunday to keep ferries "
                "that they say are now in danger of closing, and the mayor agreed.", orgs=("The agency",))
    assert all(q.speaker != "agency" for q in extract_quotes(doc))


def test_a_possessive_title_after_the_cue_leads_to_the_name_in_apposition():
    doc = _tagged("“We are waiting for the harbour board,” said the Senate’s second-ranking Liberal, Ivo Brandt, on Thursday.",
                  ORG=("Senate",), NORP=("Liberal",), PERSON=("Ivo Brandt",))
    assert direct_pairs(doc) == [("We are waiting for the harbour board", "Ivo Brandt")]


def test_a_lower_case_mention_tagged_as_a_person_is_no_antecedent():
    doc = build("In his essay, Tomas Ek wrote that the quay was too small.\n\n“I join the many who want a bigger "
                "harbour,” he wrote.", people=("essay", "Tomas Ek"))
    assert direct_pairs(doc) == [("I join the many who want a bigger harbour", "Tomas Ek")]


def test_a_possessor_with_an_adverb_and_an_adjective_before_the_words_said_them():
    doc = build("The editorial faults the council for ignoring Mayor Ana Ruiz’s now infamous “tolls for everyone” "
                "comment.", people=("Ana Ruiz",))
    assert [(q.text, q.speaker) for q in extract_quotes(doc)] == [("tolls for everyone", "Ana Ruiz")]


def test_lecture_and_surmise_are_verbs_of_saying():
    doc = build("Tomas Ek lectured the mayor that “The ferry was never late, and the tolls were never high.”",
                people=("Tomas Ek",))
    assert direct_pairs(doc) == [("The ferry was never late, and the tolls were never high.", "Tomas Ek")]
    doc = build("Asked why the mayor left early, several aides surmised that she was just “very tired.”")
    assert [(q.text, q.speaker) for q in extract_quotes(doc)] == [("very tired.", "several aides")]


def test_a_progressive_owning_verb_gives_the_phrase_to_its_subject():
    # (the surname alone untagged, as the tagger often leaves it)
    doc = build("Mayor Ana Ruiz spoke on Monday. Ruiz is demanding the release of the ferry logs “before the tide "
                "turns” despite the port's refusal.", people=("Ana Ruiz",))
    assert [(q.text, q.speaker) for q in extract_quotes(doc) if q.direct] == [("before the tide turns", "Ana Ruiz")]


def test_words_on_some_of_the_signs_named_before_are_the_signs():
    doc = build("The fence was hung with banners and signs, including some that read: “Open The Quay” and “Ferries "
                "For All.”")
    assert direct_pairs(doc) == [("Open The Quay", "signs"), ("Ferries For All.", "signs")]


def test_a_quotation_after_he_reporting_speech_is_his():
    doc = build("Tomas Ek said the vote could slip. He also said the harbour group could decide it, if they hold "
                "firm.\n\n“They may well hold the deciding votes, and I hope so.”", people=("Tomas Ek",))
    assert direct_pairs(doc) == [("They may well hold the deciding votes, and I hope so.", "Tomas Ek")]


def test_the_one_asked_replies():
    doc = build("Director Ivo Brandt films her at home. Brandt asks Lena Hartwig, “Did the board use you?” “Of "
                "course,” she replies.", people=("Ivo Brandt", "Brandt", "Lena Hartwig"))
    assert ("Of course", "Lena Hartwig") in direct_pairs(doc)


def test_an_outlets_person_tagged_as_one_organisation_is_the_person_a_pronoun_means():
    doc = build("Kern writes about the storm.\n\nHarbour TV’s Ana Ruiz assured: “There is no flood,” he said.",
                people=("Kern",), orgs=("Harbour TV’s Ana Ruiz",))
    assert direct_pairs(doc) == [("There is no flood", "Ana Ruiz")]


def test_a_pronoun_subject_before_the_person_named_goes_on_for_a_later_pronoun():
    doc = build("Mayor Ivo Brandt spoke at the quay on Friday.\n\nCouncil members say the toll will rise. However, he "
                "could not explain why the toll was cited by Lena Hartwig in an interview.\n\n“We have no figures "
                "yet,” he said.", people=("Ivo Brandt", "Lena Hartwig"))
    assert direct_pairs(doc) == [("We have no figures yet", "Ivo Brandt")]


def test_i_in_the_writers_own_sentence_is_the_person_the_writers_line_names():
    doc = build("Lena Hartwig is a professor of law at Varga University.\n\nAt dinner my family argues about the "
                "ferry. All is calm until I say, “Didn't you like the new toll plan at all?”",
                people=("Lena Hartwig",))
    assert direct_pairs(doc) == [("Didn't you like the new toll plan at all?", "Lena Hartwig")]
