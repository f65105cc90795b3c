"""Quoted words that the sentence around them does not attribute stay without a speaker.

A name set in quote marks, an author's phrase in the main clause after a reported subordinate
clause, a naming verb that comes after the words: none of these report what someone said.
Documents are built by hand as in ``test_quotes.py``.
"""

from __future__ import annotations

from test_quotes import build, direct


def test_a_phrase_after_known_as_is_a_name_even_inside_reported_speech():
    doc = build("The plans include merging what is known in the ministry as the “K” desk with two other offices, "
                "the aide said. The district, long known as “the Hollow,” voted on Sunday, Pia Sund said.",
                people=("Pia Sund",))
    assert direct(doc) == []
    doc = build("Pia Sund said the ferry was “a relic of another age.”", people=("Pia Sund",))
    assert [q.speaker for q in direct(doc)] == ["Pia Sund"]
