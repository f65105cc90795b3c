"""Canonical entity names within and across sources."""

from __future__ import annotations

import pytest

from cruxmap.model import Document, Entity, Source
from cruxmap.nlp.entities import canonicalize_corpus, normalize_name


def _doc(source_id: str, mentions: list[tuple[str, str]]) -> Document:
    doc = Document(source=Source(id=source_id, path=source_id, sha256="x", text=""))
    doc.entities = [
        Entity(source_id=source_id, start=0, end=len(t), text=t, label=label, canonical=t)
        for t, label in mentions
    ]
    return doc


def _canon(doc: Document) -> list[str]:
    return [e.canonical for e in doc.entities]


def test_titles_and_possessives_are_stripped():
    assert normalize_name("President Marek Novak’s", "PERSON") == "Marek Novak"
    assert normalize_name("Dr. Ilse Brandt", "PERSON") == "Ilse Brandt"
    assert normalize_name("Sen. Paul Okafor Jr.", "PERSON") == "Paul Okafor"
    assert normalize_name("the Baltic Council", "ORG") == "Baltic Council"
    assert normalize_name("Ed Tallow’s campaign", "PERSON") == "Ed Tallow"  # the tagger ran past a possessive
    assert normalize_name("Tallow's MS-13", "PERSON") == "Tallow"
    assert normalize_name("Ines O'Hara", "PERSON") == "Ines O'Hara"


def test_surname_and_title_mentions_take_the_full_name_of_the_same_source():
    doc = _doc(
        "a",
        [
            ("Marek Novak", "PERSON"),
            ("President Novak", "PERSON"),
            ("Novak", "PERSON"),
            ("Novak’s", "PERSON"),
        ],
    )
    canonicalize_corpus([doc])
    assert _canon(doc) == ["Marek Novak"] * 4


def test_surname_resolves_across_the_corpus_only_when_unambiguous():
    first = _doc("a", [("Marek Novak", "PERSON"), ("Lena Ortiz", "PERSON"), ("Ana Ortiz", "PERSON")])
    second = _doc("b", [("Novak", "PERSON"), ("Ortiz", "PERSON")])
    canonicalize_corpus([first, second])
    assert _canon(second) == ["Marek Novak", "Ortiz"]


def test_two_people_with_one_surname_stay_apart():
    doc = _doc("a", [("Lena Ortiz", "PERSON"), ("Ana Ortiz", "PERSON"), ("Ortiz", "PERSON")])
    canonicalize_corpus([doc])
    assert _canon(doc) == ["Lena Ortiz", "Ana Ortiz", "Ortiz"]


def test_spelling_variants_merge_to_the_most_frequent_form():
    first = _doc("a", [("Oleksandr Kovalenkyy", "PERSON"), ("Kovalenko", "PERSON")])
    second = _doc(
        "b",
        [("Oleksandr Kovalenko", "PERSON"), ("Oleksandr Kovalenko", "PERSON"), ("Mr. Kovalenko", "PERSON")],
    )
    canonicalize_corpus([first, second])
    assert set(_canon(first) + _canon(second)) == {"Oleksandr Kovalenko"}


def test_person_mislabelled_as_org_gets_the_person_name():
    doc = _doc("a", [("Marek Novak", "PERSON"), ("Novak", "ORG"), ("the Baltic Council", "ORG")])
    canonicalize_corpus([doc])
    assert _canon(doc) == ["Marek Novak", "Marek Novak", "Baltic Council"]


@pytest.mark.models
def test_spacy_entities_are_resolved_in_one_document():
    from cruxmap.nlp.stages import SpacyStage

    text = (
        "German Chancellor Angela Merkel met reporters in Berlin on Monday. "
        "Merkel said the talks would continue in March."
    )
    doc = Document(source=Source(id="t", path="t", sha256="x", text=text))
    doc = next(SpacyStage().pipe([doc]))
    people = {e.text: e.canonical for e in doc.entities if e.label == "PERSON"}
    assert people.get("Merkel") == "Angela Merkel"
    assert all(e.text == text[e.start : e.end] for e in doc.entities)
    assert {"GPE", "DATE"} <= {e.label for e in doc.entities}


def test_spelling_variants_merge_across_surname_lengths_into_the_earliest_group():
    from collections import Counter

    from cruxmap.nlp.entities import _comparable_lengths, _merge_variants

    counts = Counter({"Volodymyr Zelensky": 5, "Volodymyr Zelenskyy": 2, "Volodymyr Zelenskiy": 1,
                      "Sergei Lavrov": 3, "Sergey Lavrova": 1, "Antony Blinken": 2})
    merged = _merge_variants(counts, counts)
    assert merged["Volodymyr Zelenskyy"] == merged["Volodymyr Zelenskiy"] == "Volodymyr Zelensky"
    assert merged["Sergey Lavrova"] == "Sergei Lavrov"  # surname one letter longer: another length bucket
    assert merged["Antony Blinken"] == "Antony Blinken"
    assert list(_comparable_lengths(10)) == [8, 9, 10, 11, 12] and 4 in _comparable_lengths(5)


def test_quote_speakers_take_the_corpus_name_unless_the_surname_is_ambiguous():
    from types import SimpleNamespace

    from cruxmap.nlp.entities import canonical_speakers

    named = _doc("a", [("Ines Varga", "PERSON"), ("Tomas Brandt", "PERSON"), ("Ilse Brandt", "PERSON")])
    surnames = _doc("b", [("Varga", "PERSON"), ("Brandt", "PERSON")])
    names = canonicalize_corpus([named, surnames])
    quotes = [SimpleNamespace(speaker="Varga", speaker_type="person"),
              SimpleNamespace(speaker="Brandt", speaker_type="person"),  # two Brandts in the corpus: left alone
              SimpleNamespace(speaker="Varga", speaker_type="organisation"),  # only persons are renamed
              SimpleNamespace(speaker=None, speaker_type="person")]

    assert canonical_speakers(names, "b", quotes) == {"Varga": "Ines Varga"}
    assert [q.speaker for q in quotes] == ["Ines Varga", "Brandt", "Varga", None]


def test_a_short_first_name_and_its_full_form_are_one_person_across_sources():
    first = _doc("a", [("Chuck Tallow", "PERSON"), ("Tallow", "PERSON")])
    second = _doc("b", [("Senator Charles Tallow", "PERSON"), ("Chuck Norberg", "PERSON"), ("Tom Tallow", "PERSON")])
    canonicalize_corpus([first, second])
    assert len({_canon(first)[0], _canon(second)[0]}) == 1  # one name for both spellings
    assert _canon(second)[1] == "Chuck Norberg"  # another surname: another person
    assert _canon(second)[2] == "Tom Tallow"  # another first name: another person
