"""Shapes an eighth labelled dev set showed: a trailing source of a report the sentence already attributes, a name
inside a relative clause or after a title, a participle after a verb's object, a compound noun that looks like a cue,
a name that only modifies a noun, a described speaker with a capitalised modifier. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs


def test_a_trailing_source_yields_to_the_speaker_the_sentence_names_before_the_words():
    doc = build("At a briefing, Ines Falk, a spokeswoman for the mayor, said that they were “aware of the rumours "
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
    doc = build("Rep. Ivo Kern, chairman of the harbour committee, warned that the cuts would hurt the port. He said "
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
