"""Shapes an eighth labelled dev set showed: a trailing source of a report the sentence already attributes, a name
inside a relative clause or after a title, a participle after a verb's object, a compound noun that looks like a cue,
a name that only modifies a noun, a described speaker with a capitalised modifier. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs


def test_a_trailing_source_yields_to_the_speaker_the_sentence_names_before_the_words():
    doc = build("At a briefing, Ines Falk, a spokeswoman for the mayor, said that staff were “alert to the rumours "
                "about the quay. We are still checking them,” according to the Harbour Gazette.",
                people=("Ines Falk",), orgs=("Harbour Gazette",))
    assert [q.speaker for q in direct(doc)] == ["Ines Falk"]
    doc = build("Ines Falk told the council the ferry was “a lost cause,” the Harbour Gazette reported.",
                people=("Ines Falk",), orgs=("Harbour Gazette",))
    assert [q.speaker for q in direct(doc)] == ["Ines Falk"]
    # with no report of its own before the words, the sentence is the source's
    doc = build("The quay has seen “a dozen near misses” since May, according to the Harbour Gazette.",
                orgs=("Harbour Gazette",))
    assert [q.speaker for q in direct(doc)] == ["Harbour Gazette"]


def test_a_name_that_ends_a_relative_clause_is_not_the_subject_of_the_cue():
    doc = build("Sen. Ivo Kern who also met with Lena Hartwig observed, “Bottom line: nothing changed since spring.”",
                people=("Ivo Kern", "Lena Hartwig"))
    assert direct_pairs(doc) == [("Bottom line: nothing changed since spring.", "Ivo Kern")]


def test_a_title_before_a_name_with_a_relative_appositive_after_the_words():
    doc = build("“The ruling is a victory for the port,” Councillor Hartwig, who signed the levy into law, said in a "
                "statement.", people=("Hartwig",))
    assert [q.speaker for q in direct(doc)] == ["Hartwig"]
    doc = build("“This is not a bad bill, it is a dreadful bill,” Senator Ivo Kern, an independent who ran for the "
                "harbour seat, said before the vote.", people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]


def test_a_participle_after_the_object_of_a_verb_is_the_subjects():
    doc = build("Ivo Kern scolded his rival Lena Hartwig saying, “the idea that my team would lie is offensive.”",
                people=("Ivo Kern", "Lena Hartwig"))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]
    # a verb of showing or hearing makes its object the one who says the words
    doc = build("A video showed Lena Hartwig saying, “the quay will close in May.”", people=("Lena Hartwig",))
    assert [q.speaker for q in direct(doc)] == ["Lena Hartwig"]


def test_think_tank_is_a_noun_and_the_name_after_a_preposition_only_says_where():
    doc = build("“The levy is an uphill battle,” Mia Lund, director of the port program at Tidewater, a centrist "
                "think tank in Oslo, told the Gazette.", people=("Mia Lund",), orgs=("Tidewater", "Gazette"))
    assert [(q.speaker, q.cue) for q in direct(doc)] == [("Mia Lund", "told")]


def test_a_name_between_a_determiner_and_a_noun_is_no_referent_of_a_pronoun():
    doc = build("Rep. Ivo Kern, chairman of the harbour committee, warned that the levy cuts would harm the port. He said "
                "the town is stuck because the Hartwig administration will not act. “It is all being sacrificed,” "
                "he told the Gazette.", people=("Ivo Kern", "Hartwig"), orgs=("Gazette",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]


def test_a_described_speaker_after_the_cue_may_open_with_a_capitalised_modifier():
    doc = build("“We will not sign this round,” said a Western diplomat with ties to the harbour board. “If they "
                "walk out, the talks end.”")
    quotes = direct(doc)
    assert [q.speaker for q in quotes] == ["a Western diplomat with ties to the harbour board"] * 2
    assert [q.speaker_type for q in quotes] == ["person", "person"]


def test_she_skips_a_man_the_text_marks_as_one_and_he_a_woman():
    text = ("Mrs. Hartwig opened the debate on the quay. Later, Mr. Kern said the levy was too low. “My father "
            "built boats on this quay,” she said.")
    doc = build(text, people=("Hartwig", "Kern"))
    assert [q.speaker for q in direct(doc)] == ["Hartwig"]
    text = ("Ivo Kern, the port's spokesman, opened the debate. Then actress Lena Hartwig spoke of the levy. “I have "
            "seen the accounts,” he said.")
    doc = build(text, people=("Ivo Kern", "Lena Hartwig"))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]
    # where the text says nothing of either, the nearest subject stays the referent
    text = "Ivo Kern opened the debate. Then Lena Hartwig spoke of the levy. “I have seen the accounts,” he said."
    doc = build(text, people=("Ivo Kern", "Lena Hartwig"))
    assert [q.speaker for q in direct(doc)] == ["Lena Hartwig"]
    # a gendered word of another clause is no evidence (``R-Miss.`` is a state; ``challenging Mrs. X`` is X's)
    text = ("Sen. Ivo Kern, R-Miss., spoke first. Lena Hartwig, a councillor challenging Mrs. Ruiz, answered. “We "
            "need the quay,” he said.")
    doc = build(text, people=("Ivo Kern", "Lena Hartwig", "Ruiz"))
    assert [q.speaker for q in direct(doc)] == ["Lena Hartwig"]


def test_a_participle_hangs_on_the_second_clause_that_has_its_own_subject():
    doc = build("Ivo Kern is ramping up the talk about how we live in \"dark, perilous times\" and Lena Hartwig, despite "
                "her claims to be the calm one, put out an ad declaring that the town \"faces a long war with the tides\" "
                "while trying to win.", people=("Ivo Kern", "Lena Hartwig"))
    assert [q.speaker for q in direct(doc) if q.text.startswith("faces a long war")] == ["Lena Hartwig"]
    # a second name joined as an object opens no clause
    doc = build("Ivo Kern met Peter Olsen and Lena Hartwig on Monday, saying, \"We will not sign this deal.\"",
                people=("Ivo Kern", "Peter Olsen", "Lena Hartwig"))
    assert [q.speaker for q in direct(doc)] != ["Lena Hartwig"]


def test_words_said_of_a_claim_are_the_reporters_not_the_claims_owners():
    doc = build("Ivo Kern said the board’s assertion that fees had risen sharply was “flatly untrue.”",
                people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]
    # the predicate inside the claim's own clause is the claim's
    doc = build("Ivo Kern praised the board’s warning that the quay was “close to collapse.”", people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] == ["the board"]


def test_words_opening_a_relative_clause_on_a_document_are_the_documents():
    doc = build("Lena Hartwig stressed the need to pass the harbour legislation, which “establishes a commission to "
                "study the levy.”", people=("Lena Hartwig",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the harbour legislation", "document")]
    doc = build("Quay Watch put out a press release that alleged the town’s “dirty harbour rolls” held more boats "
                "than berths.", orgs=("Quay Watch",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a press release", "document")]
    # ``that`` with no verb opens what the memo says, in its writer's words
    doc = build("Lena Hartwig wrote in her memo that “all harbour staff will be paid.”", people=("Lena Hartwig",))
    assert [q.speaker for q in direct(doc)] == ["Lena Hartwig"]


def test_it_is_the_body_described_after_the_last_one_named():
    text = ("The judge noted an “odd gap” in the logs, according to the Harbour Court. But the company insisted it "
            "gave over every log. The company “even searched every shelf twice,” it wrote to the judge.")
    doc = build(text, orgs=("Harbour Court",))
    assert [q.speaker for q in direct(doc) if q.text.startswith("even")] == ["the company"]



def test_a_plural_phrase_whose_appositive_lists_two_people_speaks_as_the_group():
    doc = build("The town’s two Republican senators, Peter Olsen and Lena Hartwig, took a swipe at the mayor, saying that "
                "residents “are better served when the port and the town work as partners.”",
                people=("Peter Olsen", "Lena Hartwig"))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the town’s two Republican senators", "group")]


def test_they_is_the_last_plural_group_of_speakers_that_is_no_object_of_a_preposition():
    doc = build("Cheap drones are the weapon of choice for the North, defectors said in Busan. They claimed the raid may "
                "have been a test for the “drone corps” of the North.")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("defectors", "group")]
    doc = build("The paper accepted the resignation of three journalists after they reported a “fund with ties to the "
                "port” was under review.")
    assert [q.speaker for q in direct(doc)] == ["three journalists"]
    # a group after ``to`` is the letter's addressee, not its writers
    doc = build("They sent a letter to Senate leaders. “The levy has become plagued by fraud and must end,” they wrote.")
    assert [q.speaker for q in direct(doc)] == [None]


def test_a_quotation_glued_to_the_sentence_before_it_is_still_found():
    text = ("If the quay stays open, repairs are needed.\"The quay is far from being shut,\" General Peter Olsen, head "
            "of the Harbour Command, told the Times. \"Obviously the mayor is trying hard, but it will take a vote.\"")
    doc = build(text, people=("Peter Olsen",), orgs=("Harbour Command", "Times"))
    assert direct_pairs(doc) == [("The quay is far from being shut", "Peter Olsen"),
                                 ("Obviously the mayor is trying hard, but it will take a vote.", "Peter Olsen")]


def test_a_headline_runs_its_words_and_ran_is_a_cue_only_there():
    doc = build("“Old Kern, Without Doubt a Friend of the Harbour,” ran the headline in the Quay Times, a tabloid.",
                orgs=("Quay Times",))
    assert [(q.speaker, q.speaker_type, q.cue) for q in direct(doc)] == [
        ("the headline in the Quay Times", "document", "ran")]
    doc = build("“We kept every boat afloat for the winter,” Lena Hartwig said. She ran the yard for years.",
                people=("Lena Hartwig",))
    assert [q.cue for q in direct(doc)] == ["said"]
