"""Near-duplicate detection: copies are reported (never dropped), different articles are not."""

from __future__ import annotations

import hashlib
import random

import pytest

from cruxmap.clean import find_near_duplicates
from cruxmap.clean.dedupe import attach_duplicates, shingles
from cruxmap.model import Source

_VOCAB = (
    "harbour ferry council island winter crossing boat timetable vote storm pier crew budget tide "
    "mayor operator resident fisherman engine captain cargo weather schedule repair contract ticket"
).split()


def _article(seed: int, sentences: int = 30) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        words = [rng.choice(_VOCAB) for _ in range(rng.randint(8, 16))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def _source(text: str, name: str) -> Source:
    sha = hashlib.sha256(f"{name}\n{text}".encode()).hexdigest()
    return Source(id="src-" + sha[:12], path=name, sha256=sha, text=text)


def test_same_text_twice_is_reported_both_ways():
    body = _article(1)
    a, b = _source(body, "a.txt"), _source(body, "b.txt")
    found = find_near_duplicates([a, b])
    assert [d.source_id for d in found[a.id]] == [b.id]
    assert [d.source_id for d in found[b.id]] == [a.id]
    assert found[a.id][0].similarity == pytest.approx(1.0)


def test_syndicated_copy_with_changed_header_is_reported():
    body = _article(2)
    original = _source("ISLAND COURIER\n\nBy Jane Roe\n\n" + body, "courier.txt")
    copy = _source("Harbour Times wire service, January 7\n\nReported by staff\n\n" + body + " Contact the desk.", "times.txt")
    other = _source(_article(3), "other.txt")
    found = find_near_duplicates([original, copy, other])
    assert set(found) == {original.id, copy.id}
    assert found[original.id][0].source_id == copy.id
    assert found[original.id][0].similarity >= 0.8


def test_different_articles_on_the_same_topic_are_not_duplicates():
    sources = [_source(_article(seed), f"{seed}.txt") for seed in range(10, 20)]
    assert find_near_duplicates(sources) == {}


def test_short_and_empty_texts_do_not_crash():
    sources = [_source("", "empty.txt"), _source("Too short.", "a.txt"), _source("Too short.", "b.txt")]
    found = find_near_duplicates(sources)
    assert set(found) == {sources[1].id, sources[2].id}


def test_attach_duplicates_keeps_every_source():
    body = _article(4)
    sources = [_source(body, "a.txt"), _source(body, "b.txt"), _source(_article(5), "c.txt")]
    result = attach_duplicates(sources)
    assert len(result) == 3
    assert [d.source_id for d in result[0].duplicates] == [sources[1].id]
    assert result[2].duplicates == []


def test_threshold_is_checked():
    with pytest.raises(ValueError):
        find_near_duplicates([], threshold=0)


def test_shingles_are_word_five_grams():
    assert shingles("One two three four five six") == {"one two three four five", "two three four five six"}
