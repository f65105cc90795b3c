"""Quotations whose speaker the earlier rules did not read: a title word that is not right before the
quotation, an opening ``As X put it,``, a statement that calls something in quoted words, a present-tense
verb of naming or judging, speakers set off by a long aside. Documents are built by hand as in
``test_quotes.py``; every sentence is invented.
"""

from __future__ import annotations

import pytest
from test_quotes import build, direct, extract_quotes


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
    doc = build("Senior port officials expressed confidence to the press Monday that the new cranes are “well "
                "tested” in storms.")
    assert [(q.text, q.speaker) for q in direct(doc)] == [("well tested", "senior port officials")]
    doc = build("The Harbour Council issued a ruling on the “green” ferries.", orgs=("Harbour Council",))
    assert direct(doc) == []


def test_a_speaker_behind_an_aside_is_found():
    doc = build("Harbour Master Ola Brandt (Ind.), in particular, has been steadily pounding the board as a “paper "
                "tiger” all year.", people=("Ola Brandt",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("paper tiger", "Ola Brandt")]
    doc = build("Ivo Kern, the head of Kern Freight -- the firm that runs the night ferries, which also carry mail -- "
                "told me, “We carry whatever the tide allows.”", people=("Ivo Kern",), orgs=("Kern Freight",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]
    doc = build("“The levy will not hold. It is simply wrong,” said 9/11 widow Ana Ruiz.", people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]
    doc = build("A harbour board report released last month found that the fund lacked “any real oversight.”")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a harbour board report", "document")]


def test_a_country_before_its_description_speaks_but_a_place_inside_a_description_does_not():
    from cruxmap.model import Entity

    text = ("Even Norway, the fund's largest backer and its oldest partner, said it was “firmly opposed” to the levy. "
            "Ana Ruiz, 59, of Tromsø, Norway, said the levy was “a fair deal” for the north.")
    doc = build(text, people=("Ana Ruiz",))
    places = [Entity(source_id="d", start=m, end=m + len(name), text=name, label="GPE", canonical=name)
              for name in ("Norway", "Tromsø") for m in [i for i in range(len(text)) if text.startswith(name, i)]]
    doc.entities = sorted(doc.entities + places, key=lambda e: e.start)
    assert [(q.text, q.speaker) for q in direct(doc)] == [("firmly opposed", "Norway"), ("a fair deal", "Ana Ruiz")]


def test_words_a_verb_of_saying_introduces_are_speech_even_in_title_case():
    doc = build("Ana Ruiz waves at the ferry and repeatedly says, “Come Back Soon.” At the end of the concert she "
                "added the words, “Vote Tomorrow.” Ivo Kern said “The Long Tide” was his best film.",
                people=("Ana Ruiz", "Ivo Kern"))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("Come Back Soon.", "Ana Ruiz"), ("Vote Tomorrow.", "Ana Ruiz")]


def test_a_participle_of_asking_or_naming_belongs_to_the_person_before_it_or_the_clause_subject():
    doc = build("The ad uses footage of Ana Ruiz asking, “Why is the ferry late again?” Fans kept retweeting the "
                "singer Ivo Kern calling for the pier to be turned into a “garden for everyone.”",
                people=("Ana Ruiz", "Ivo Kern"))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("Why is the ferry late again?", "Ana Ruiz"), ("garden for everyone.", "Ivo Kern")]


def test_an_unnamed_subject_of_the_clause_owns_the_words_of_its_participle():
    doc = build("In August, several harbour groups granted the firm more time to clear the mud, saying its “funds "
                "were lower than expected.” But the board may act: On May 2, a bipartisan group of some 40 "
                "lawmakers wrote to the mayor urging him to keep the post, calling it a “crucial "
                "office.” If it fails, club procedures allow the chair to call a “special meeting” at once.")
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("funds were lower than expected.", "several harbour groups"),
        ("crucial office.", "a bipartisan group of some 40 lawmakers")]
    assert direct(doc)[1].speaker_type == "group"


def test_a_title_that_opens_the_authors_sentence_does_not_continue_the_last_speaker():
    doc = build("“We sail at dawn,” Ana Ruiz said. “Salt Roads (Live Take)” was written by her brother in 1999.",
                people=("Ana Ruiz",))
    assert [q.text for q in direct(doc)] == ["We sail at dawn"]


def test_a_cue_that_closes_the_sentence_may_be_followed_by_a_participle():
    doc = build("Ana Ruiz spoke last. “You let the pier rot” to drive up the share price and your own pay, she said, citing "
                "the board’s long habit of putting off every repair until the next budget year.", people=("Ana Ruiz",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("You let the pier rot", "Ana Ruiz")]


def test_typing_singing_lauding_and_referencing_introduce_their_subjects_words():
    doc = build("On the form, in a box labeled “cause,” a clerk had typed “storm damage.” “Keep the lamps lit,” "
                "Ana Ruiz sings to the crowd. In May, Mayor Ivo Kern lauded the crew in his yearly address for "
                "bringing “new and bold ideas.” The Harbour Fund did not name the mayor, but it referenced "
                "“political storms” in the north.", people=("Ana Ruiz", "Ivo Kern"), orgs=("Harbour Fund",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("storm damage.", "a clerk"), ("Keep the lamps lit", "Ana Ruiz"), ("new and bold ideas.", "Ivo Kern"),
        ("political storms", "Harbour Fund")]


def test_a_surname_the_tagger_missed_is_the_person_of_the_text_with_that_surname():
    text = "Dr. Maren Holt studies grids. “Orders matter more than targets,” Holt said."
    doc = build(text, people=("Maren Holt",))
    doc.entities = [e for e in doc.entities if e.start < text.index("Holt said")]  # the second mention untagged
    assert [q.speaker for q in direct(doc)] == ["Maren Holt"]


def test_a_name_inside_a_description_is_not_the_speaker():
    doc = build("Kai Lind, a campaigner with the group Fair Grid, called the pledge “a press release dressed as a plan.” "
                "In the 2000s, utilities applied for thirty reactors in what the trade press called a “revival.”",
                people=("Kai Lind", "Fair Grid"))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("a press release dressed as a plan.", "Kai Lind"), ("revival.", "the trade press")]


def test_a_possessed_group_that_answers_is_the_speaker_not_its_owner():
    doc = build("Nuclear’s defenders answer that the grid needs “firm” power in winter.")
    assert [text for text in (q.speaker for q in direct(doc)) if text == "Nuclear"] == []


def test_a_place_that_describes_an_organisation_is_not_the_speaker():
    from cruxmap.model import Entity

    text = "Emissions fell to a record low, according to the Oslo think tank Grid Watch."
    doc = build(text, orgs=("Grid Watch",))
    at = text.index("Oslo")
    doc.entities = sorted(doc.entities + [Entity(source_id="d", start=at, end=at + 4, text="Oslo", label="GPE",
                                                 canonical="Oslo")], key=lambda e: e.start)
    [quote] = [q for q in extract_quotes(doc) if not q.direct]
    assert quote.speaker is not None and quote.speaker != "Oslo" and quote.speaker.endswith("Grid Watch")


def test_a_person_the_sentence_is_about_introduces_the_words_after_its_colon():
    doc = build("Ana Ruiz, who runs the yard at the Harbour Trust, puts the choice bluntly: “A ship a year or no yard "
                "at all.”", people=("Ana Ruiz",), orgs=("Harbour Trust",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]
    doc = build("Ana Ruiz read out what Ivo Kern wrote: “The yard stays open.”", people=("Ana Ruiz", "Ivo Kern"))
    assert "Ana Ruiz" not in [q.speaker for q in direct(doc)]


def test_an_acronym_tagged_as_a_person_is_an_organisation_and_skeptics_are_a_group():
    doc = build("EDF warned that the first unit “may not run until 2031.” Skeptics will say “we heard this in the "
                "1970s.”", people=("EDF",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("EDF", "organisation"), ("skeptics", "group")]


def test_a_possessed_group_opening_the_sentence_is_the_subject_and_a_name_after_a_possessed_role_is_the_person():
    doc = build("Ruiz's relatives, including her brother, saw the video on Friday, according to their lawyer, and "
                "said they came away with “more doubts than before.” The Harbour Trust’s chief engineer Ivo Kern spoke "
                "on Monday, arguing that the pier “cannot carry another winter of storms.”",
                people=("Ruiz", "Ivo Kern"), orgs=("Harbour Trust",))
    assert [q.speaker for q in direct(doc)] == ["Ruiz's relatives", "Ivo Kern"]


def test_a_crosshead_glued_to_a_sentence_is_not_its_subject():
    doc = build("THE BOARD HAS ACTED — Ana Ruiz's plan won her a hearing, where she was asked about saying that the "
                "levy was a “fair price for a safe harbour and a clean river.”", people=("Ana Ruiz",),
                orgs=("THE BOARD",))
    assert not [q for q in direct(doc) if "BOARD" in (q.speaker or "")]


def test_words_set_off_by_a_pair_of_dashes_after_a_name_are_that_persons():
    doc = build("Many harbour owners have said the same, including the former mayor Ana Ruiz -- “No town should sell "
                "its only pier to a stranger” -- and two of her deputies.", people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]
    doc = build("Ivo Kern parted ways with the board, which, Ivo Kern said, has lately seemed supportive of Ana Ruiz -- "
                "“a different board to me, and a shock.”", people=("Ana Ruiz", "Ivo Kern"))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]


def test_a_cue_set_off_by_commas_reports_the_whole_sentence():
    doc = build("And perhaps, Ana Ruiz said, the new pier could one day help the small fishing crews of the north "
                "coast who, “in good years and bad, kept the harbour alive.”", people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]


def test_a_quotation_after_reported_speech_closed_by_its_speaker_continues_that_speaker():
    doc = build("The board may wait until the spring, Ivo Kern said. “The other reason is the weather, and nobody "
                "controls that.”", people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]
    doc = build("The board may wait until the spring, Ivo Kern said.\n\n“Nobody controls the weather, and nobody "
                "ever will,” a sign at the pier reads.", people=("Ivo Kern",))
    assert "Ivo Kern" not in [q.speaker for q in direct(doc)]


def test_a_relative_clause_on_a_person_with_an_appositive_and_a_year():
    doc = build("The mayor has clashed with Ana Ruiz, now the harbour master, who in 2010 said the town’s first goal "
                "was to keep the pier “open to every boat.”", people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]


def test_a_headline_verb_the_tagger_ran_into_a_name_is_not_part_of_the_speakers_name():
    doc = build("Ana Ruiz Says Pier Will Close\n\n“We are out of money,” Ruiz said.", people=("Ana Ruiz Says", "Ruiz"))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]


def test_the_cue_pattern_grouped_by_first_letter_finds_what_one_flat_alternation_finds():
    import re

    from cruxmap.nlp.speaker_words import _CUES_IN_ORDER, CUE_PATTERN

    flat = re.compile(r"\b(" + "|".join(re.escape(c).replace("\\ ", " ") for c in _CUES_IN_ORDER) + r")\b", re.I)
    text = ("According to the board, the pier is safe, Ana Ruiz said; she pointed out that, as one aide put it, "
            "the crews were cited as saying they WARNED the mayor, who points out, adds and insists, and later "
            "went on asking whether the report states or shows anything. Quoted as saying nothing, he sang.")
    assert [m.group(0) for m in CUE_PATTERN.finditer(text)] == [m.group(0) for m in flat.finditer(text)]
    assert len(CUE_PATTERN.findall(text)) >= 15


def test_a_doctor_surrogates_a_used_phrase_and_a_paragraph_opening_with_a_closing_mark():
    doc = build("Ana Ruiz’s doctor is calling the runner “extremely fit.” Her surrogates called her “a genius” for it. "
                "Ivo Kern has used the phrase “tide tax” often.\n\n” … the ferry will run all winter,” Kern wrote.",
                people=("Ana Ruiz", "Ivo Kern", "Kern"))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("extremely fit.", "Ana Ruiz’s doctor"), ("a genius", "Her surrogates"), ("tide tax", "Ivo Kern"),
        ("… the ferry will run all winter", "Ivo Kern")]


def test_a_subject_before_a_raising_verb_is_the_speaker():
    doc = build("Mayor Ivo Kern appeared to believe that “the night crews” had blocked a ferry that was meant to be a "
                "calm, “very quiet” crossing.", people=("Ivo Kern",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("the night crews", "Ivo Kern"), ("very quiet", "Ivo Kern")]


@pytest.mark.parametrize("when", ["last spring", "this winter", "in March", "late May"])
def test_a_season_or_a_month_between_a_document_and_its_verb_is_no_part_of_the_speaker(when):
    doc = build(f"A harbour board report released {when} found that the fund lacked “any real oversight.”")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a harbour board report", "document")]
    doc = build(f"The mayor {when} said the levy was “a fair price.”")
    assert [q.speaker for q in direct(doc)] == ["The mayor"]
