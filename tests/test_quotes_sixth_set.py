"""Shapes a sixth labelled dev set showed, and the open cases of session 21: a credit line after a dash, a subject and
any verb closing the clause after the words or introducing them with a comma, a relative clause past an aside, a
sentence's opening conjunction, pronouns past a possessor and a mistagged name. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct


def _pairs(doc):
    return [(q.text, q.speaker) for q in direct(doc)]


def test_a_credit_line_after_a_dash_names_the_writer_before_the_outlet():
    doc = build("Views\n\n“The tolls will ruin the harbour and the people who work there.” — Ana Ruiz, Harbour Gazette\n\n"
                "“The cranes are older than the quay and will fail soon.” — Ivo Kern, Dock Weekly",
                people=("Ana Ruiz", "Ivo Kern"), orgs=("Harbour Gazette", "Dock Weekly"))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz", "Ivo Kern"]
    # a dash that opens the author's own sentence credits nobody
    doc = build("Views\n\n“The tolls will ruin the harbour and the people who work there.” — Then, in May, the port shut.")
    assert [q.speaker for q in direct(doc)] == [None]


def test_a_subject_and_any_verb_right_after_the_words_report_them():
    doc = build("Ana Ruiz runs the yard. “This is my last word on the cranes,” she chuckles, sitting by the quay.",
                people=("Ana Ruiz",))
    assert [(q.speaker, q.cue) for q in direct(doc)] == [("Ana Ruiz", "chuckles")]
    doc = build("“I wonder how many cranes the port has lost,” Ana Ruiz offers.", people=("Ana Ruiz",))
    assert _pairs(doc) == [("I wonder how many cranes the port has lost", "Ana Ruiz")]
    # words that end the author's clause (no comma inside the marks) are not reported by the verb after them
    doc = build("Ana Ruiz runs the yard. The cranes are “the oldest in the whole of the northern harbour” she hums.",
                people=("Ana Ruiz",))
    assert all(q.cue != "hums" for q in direct(doc))


def test_a_subject_and_a_verb_with_no_object_introduce_the_words_after_a_comma():
    doc = build("Ivo Kern then blurts out, “The cranes were sold for scrap and nobody asked us.”", people=("Ivo Kern",))
    assert [(q.speaker, q.cue) for q in direct(doc)] == [("Ivo Kern", "blurts")]
    # a verb with an object of its own is no such clause
    doc = build("Ivo Kern sold the cranes, “The cranes were old and nobody wanted them.”", people=("Ivo Kern",))
    assert all(q.cue != "sold" for q in direct(doc))


def test_a_relative_clause_past_an_aside_and_a_subject_past_an_opening_conjunction():
    doc = build("The film shows the clip to dock workers, including the welder Ana Ruiz who, close to tears, says, "
                "“That really hurts because the yard was our home.”", people=("Ana Ruiz",))
    assert _pairs(doc) == [("That really hurts because the yard was our home.", "Ana Ruiz")]
    doc = build("Ivo Kern watched the film. But he’s not surprised, and easily agrees, saying, “I knew the cranes were "
                "sold years ago.”", people=("Ivo Kern",))
    assert _pairs(doc) == [("I knew the cranes were sold years ago.", "Ivo Kern")]


def test_a_pronoun_skips_a_possessor_and_takes_a_name_the_tagger_read_as_an_organisation():
    doc = build("In director Ivo Kern’s film, Ana Ruiz looks back on the yard. “We built ships there,” she says.",
                people=("Ivo Kern", "Ana Ruiz"))
    assert _pairs(doc) == [("We built ships there", "Ana Ruiz")]
    doc = build("Ivo Kern ran the yard. Ana Ruiz bought it. Then Ivo Kern sold it on. “We had no choice,” he said.",
                people=("Ivo Kern", "Ana Ruiz"))
    second = [e for e in doc.entities if e.text == "Ivo Kern"][1]
    second.label = "ORG"  # the tagger read the nearer mention as an organisation
    assert _pairs(doc) == [("We had no choice", "Ivo Kern")]
