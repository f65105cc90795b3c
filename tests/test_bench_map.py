"""``bench quality --task map``: crux consistency, camp purity and contradiction scores on hand-built maps,
and the labelled list of contradictions still pointing at the sentences it was written for."""

from __future__ import annotations

import hashlib
import json

import pytest

from cruxmap.bench.map_quality import (
    LABELS_FILE,
    ROOT,
    camp_purity,
    crux_consistency,
    key_point_purity,
    listed_scores,
    load_labels,
    position_precision,
    set_rows,
)
from cruxmap.bench.source_stance import Cell, ReadingSet
from cruxmap.model import Camp, Claim, Contradiction, Crux, DebateMap, KeyPoint, Question, Source

CELLS = {("a.txt", "H1"): Cell("support", ["support"]), ("b.txt", "H1"): Cell("oppose", ["oppose", "none"]),
         ("c.txt", "H1"): Cell("support", ["support"]), ("d.txt", "H1"): Cell("none", ["none"])}


def _map(**parts) -> DebateMap:
    sources = [Source(id=s, path=f"/corpus/{s}.txt", sha256=s * 8, text="x") for s in "abcd"]
    claims = [Claim(id=f"{s}1", source_id=s, sentence_id=f"{s}-s", text=f"claim of {s}", start=0, end=5, score=0.9)
              for s in "abcd"]
    return DebateMap(question=Question(question="q?"), sources=sources, claims=claims, **parts)


def test_a_crux_is_consistent_only_when_every_source_it_places_takes_that_side():
    right = Crux(id="x1", statement="s", sides={"support": ["a", "c"], "oppose": ["b"]}, hypothesis_id="H1")
    wrong = Crux(id="x2", statement="s", sides={"support": ["a"], "oppose": ["c"]}, hypothesis_id="H1")
    unread = Crux(id="x3", statement="s", sides={"support": ["a"], "oppose": ["d"]}, hypothesis_id="H1")
    assert crux_consistency(_map(cruxes=[right, wrong, unread]), CELLS) == (1, 3)


def test_camp_purity_counts_same_camp_pairs_that_never_take_opposite_sides_and_skips_the_unplaced():
    camps = [Camp(id="c1", source_ids=["a", "c"]), Camp(id="c2", source_ids=["b", "a"]),
             Camp(id="c3", source_ids=["b", "d"], unplaced=True)]
    assert camp_purity(_map(camps=camps), CELLS) == (1, 2)  # a+c agree, a+b are opposed


def test_key_point_purity_counts_shared_key_points_whose_sources_never_take_opposite_sides():
    points = [KeyPoint(id="k1", label="l", claim_ids=["a1", "c1"], source_ids=["a", "c"]),  # both support H1
              KeyPoint(id="k2", label="l", claim_ids=["a1", "b1"], source_ids=["a", "b"]),  # support and oppose
              KeyPoint(id="k3", label="l", claim_ids=["d1"], source_ids=["d"])]  # one source: not shared
    assert key_point_purity(_map(key_points=points), CELLS) == (1, 2)


def test_position_precision_reads_the_pair_sources_cells_on_the_pair_item():
    pairs = [Contradiction(a="a1", b="b1", score=0.8, kind="evaluative", hypothesis_id="H1"),
             Contradiction(a="a1", b="c1", score=0.7, kind="evaluative", hypothesis_id="H1"),
             Contradiction(a="a1", b="d1", score=0.7, kind="factual")]
    assert position_precision(_map(contradictions=pairs), CELLS) == (1, 2)  # factual pairs are not scored here


def test_an_empty_map_is_not_scored_as_consistent():
    rows = {r.metric: r for r in set_rows(ReadingSet("x", ROOT, ROOT, CELLS), _map(), "dev", {})}
    assert rows["crux consistency"].value is None and "no crux" in rows["crux consistency"].note
    assert rows["camp purity"].value is None
    assert rows["contradiction precision (positions)"].value is None and rows["contradictions"].value == 0


def test_listed_pairs_are_matched_by_file_and_words_and_unlisted_pairs_count_against_precision(tmp_path):
    (tmp_path / "a.txt").write_text("Intro. The dam will be finished next year by the new builders.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The dam will never be finished by the new builders at all.", encoding="utf-8")

    def span(name, start, end):
        text = (tmp_path / name).read_text(encoding="utf-8")[start:end]
        return {"file": name, "start": start, "end": end, "sha1": hashlib.sha1(text.encode()).hexdigest()}

    spec = {"root": str(tmp_path), "pairs": [{"a": span("a.txt", 7, 62), "b": span("b.txt", 0, 59)}], "near_misses": []}
    m = _map(contradictions=[Contradiction(a="a1", b="b1", score=0.9, kind="factual"),
                             Contradiction(a="c1", b="d1", score=0.5, kind="factual")])
    m.sources[0].path, m.sources[1].path = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    m.claims[0].text = "The dam will be finished next year by the new builders."
    m.claims[1].text = "The dam will never be finished by the new builders at all."
    scores = listed_scores(m, spec, base=tmp_path)
    assert scores["precision"] == 0.5 and scores["recall"] == 1.0 and scores["problems"] == []
    (tmp_path / "b.txt").write_text("Something else entirely was written here in the meantime.", encoding="utf-8")
    assert listed_scores(m, spec, base=tmp_path)["problems"]  # the file changed under the list: said so


def test_the_list_still_points_at_the_sentences_it_was_written_for():
    labels = load_labels()
    assert set(labels) == {"example corpus", "seeds"}
    for name, spec in labels.items():
        root = (ROOT / spec["root"]).resolve()
        if not root.is_dir():
            pytest.skip(f"{name} corpus not found at {root} (needs ../shared beside the checkout)")
        for pair in spec["pairs"] + spec["near_misses"]:
            assert pair["a"]["file"] != pair["b"]["file"]
            for side in (pair["a"], pair["b"]):
                text = (root / side["file"]).read_text(encoding="utf-8")[side["start"]:side["end"]]
                assert hashlib.sha1(text.encode("utf-8")).hexdigest() == side["sha1"], (name, side)
    assert json.loads(LABELS_FILE.read_text(encoding="utf-8"))["about"]
