"""Seeded, bounded fuzzing of ingest and cleaning (the long run is ``cruxmap bench fuzz``)."""

from __future__ import annotations

import random

from cruxmap.bench.fuzz import check_offsets, mutate, run_fuzz


def test_mutated_articles_never_crash_and_keep_their_offsets():
    report = run_fuzz(count=300, seed=7, budget=10.0, time_limit=60, annotate=40)
    assert report.documents >= 100, "the time limit cut the run short"
    assert report.crashes == [] and report.offset_errors == [] and report.over_budget == []


def test_the_offset_check_catches_a_broken_segment():
    from cruxmap.model import Removal, Segment, Source

    raw = "Hello world. Subscribe now!"
    good = Source(id="s", path="p", sha256="x", text="Hello world.", alignment=[Segment(clean_start=0, raw_start=0, length=12)],
                  removed=[Removal(start=13, end=27, reason="promo", text="Subscribe now!")])
    assert check_offsets(raw, good) == []
    bad = good.model_copy(update={"alignment": [Segment(clean_start=0, raw_start=1, length=12)]})
    assert check_offsets(raw, bad)


def test_mutations_are_seeded():
    assert mutate("one two three\nfour", random.Random(3)) == mutate("one two three\nfour", random.Random(3))
