"""Sentence spans: offsets into the text, stripped, never split at a closing quote mark."""

from __future__ import annotations

import pytest

from cruxmap.model import Document, Source
from cruxmap.nlp.sentences import make_sentences, repair_boundaries


def test_boundary_before_closing_quote_moves_after_it():
    text = "“We will hold the line.” The mayor left early."
    split_inside = text.index("”")  # a splitter that cut between the period and the mark
    spans = repair_boundaries(text, [split_inside, text.index("The")])
    assert [text[a:b] for a, b in spans] == ["“We will hold the line.”", "The mayor left early."]


def test_boundary_before_lowercase_continuation_is_dropped():
    text = "“Is the bridge open?” she asked. Nobody knew."
    spans = repair_boundaries(text, [text.index("she"), text.index("Nobody")])
    assert [text[a:b] for a, b in spans] == ["“Is the bridge open?” she asked.", "Nobody knew."]


def test_boundary_after_unfinished_text_is_dropped():
    text = "The report was written by the agency’s Maria Lopez. It ran long."
    spans = repair_boundaries(text, [text.index("Maria"), text.index("It ran")])
    assert [text[a:b] for a, b in spans] == [
        "The report was written by the agency’s Maria Lopez.",
        "It ran long.",
    ]


def test_paragraph_breaks_always_split_and_spans_are_stripped():
    text = "  Headline without a stop\n\nFirst line of the body.  Second one.  \n"
    spans = repair_boundaries(text, [text.index("Second")])
    assert [text[a:b] for a, b in spans] == [
        "Headline without a stop",
        "First line of the body.",
        "Second one.",
    ]
    for a, b in spans:
        assert text[a:b] == text[a:b].strip()


def test_sentence_ids_and_text_match_offsets():
    text = "One here. Two there."
    sentences = make_sentences("src1", text, repair_boundaries(text, [10]))
    assert [s.id for s in sentences] == ["src1:s0", "src1:s1"]
    assert all(s.text == text[s.start : s.end] for s in sentences)


@pytest.mark.models
def test_spacy_sentences_keep_offsets_and_quotes_whole():
    from cruxmap.nlp.stages import SpacyStage

    text = (
        "The council met on Tuesday. “We cannot wait any longer. The river is rising,” "
        "said the engineer Tomas Berg.\n\nA second paragraph starts here. It has two sentences."
    )
    doc = Document(source=Source(id="t", path="t", sha256="x", text=text))
    doc = next(SpacyStage().pipe([doc]))
    assert doc.sentences, "no sentences"
    for s in doc.sentences:
        assert s.text == text[s.start : s.end] == s.text.strip()
        assert not s.text.startswith("”")
    assert any(s.text.endswith("said the engineer Tomas Berg.") for s in doc.sentences)
    assert any(s.text == "A second paragraph starts here." for s in doc.sentences)
