"""Partial quotations: a speaker's own word or phrase in quote marks inside the author's sentence.

The words belong to someone only when the sentence attributes them (a reporting verb, a noun of
speech with its owner, reported speech around them); scare quotes have none of these and stay out.
Documents are built by hand as in ``test_quotes.py``.
"""

from __future__ import annotations

from test_quotes import build, direct, indirect


def test_a_quoted_phrase_that_ends_the_reported_sentence_is_the_reporters_source_s():
    doc = build("According to Mira Holt, the ferry towns now favour local control over “remote management.”",
                people=("Mira Holt",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("remote management.", "Mira Holt")]


def test_a_name_that_modifies_a_document_noun_is_the_document():
    doc = build("According to a Varga poll of 900 anglers, most want the weir removed by “next summer at the latest.”",
                people=("Varga",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a Varga poll", "document")]
    doc = build("Most anglers want the weir removed, according to the Varga survey.", people=("Varga",))
    [reported] = indirect(doc)
    assert reported.speaker == "the Varga survey" and reported.speaker_type == "document"
