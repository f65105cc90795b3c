"""Contradictions: evaluative (opposite positions in the source table) and factual (negation, numbers,
dates, read again by the pair reader) pairs."""

from __future__ import annotations

import numpy as np
import pytest
from test_map_support import HashingEmbedder, claim, claim_stance, event, source, source_stance

from cruxmap.map.cluster import cluster_vectors
from cruxmap.map.contradictions import ContradictionReader, dates_conflict, find_contradictions, numbers_in
from cruxmap.model import DuplicateOf


class ScriptedReader(ContradictionReader):
    """A pair reader that answers from a fixed set of incompatible pairs (no model)."""

    def __init__(self, incompatible=()):
        self.incompatible = {frozenset(p) for p in incompatible}
        self.asked = []

    def probabilities(self, pairs):
        self.asked.extend(pairs)
        return np.array([0.9 if frozenset(p) in self.incompatible else 0.1 for p in pairs], dtype=np.float32)


def _run(claims, stances=(), events=(), sources=(), reader=None, hyps=("H",)):
    vectors = HashingEmbedder().embed([c.text for c in claims])
    labels = cluster_vectors(vectors, threshold=0.5).labels
    return find_contradictions(claims, vectors, labels, list(stances), list(hyps), list(events),
                               sources=list(sources), reader=reader)


def _decided(sid, hid, label, claim_ids, score=0.9):
    return source_stance(sid, hid, label, score).model_copy(update={"claim_ids": claim_ids})


def test_sources_on_opposite_sides_of_an_item_give_an_evaluative_pair_of_their_deciding_claims():
    claims = [claim("a", "s1", "sanctions on the regime have worked well"),
              claim("a2", "s1", "the harvest this autumn was large", start=50),
              claim("b", "s2", "sanctions on the regime have worked badly"),
              claim("c", "s3", "sanctions on the regime have worked well enough")]
    stances = [_decided("s1", "H", "support", ["a2", "a"]), _decided("s2", "H", "oppose", ["b"], 0.64),
               _decided("s3", "H", "none", [])]
    found = _run(claims, stances)
    assert [(c.a, c.b, c.kind, c.hypothesis_id) for c in found] == [("a", "b", "evaluative", "H")]
    assert 0 < found[0].score <= 0.8  # √(0.9 × 0.64) = 0.76, times the closeness of the two claims


def test_claim_stances_alone_never_make_an_evaluative_pair():
    claims = [claim("a", "s1", "sanctions on the regime have worked well"),
              claim("b", "s2", "sanctions on the regime have worked badly")]
    stances = [claim_stance("a", "H", "support"), claim_stance("b", "H", "oppose", 0.8)]
    assert _run(claims, stances) == []


def test_each_source_meets_its_closest_opponent_once_per_item():
    claims = [claim("a", "s1", "sanctions on the regime have worked well"),
              claim("b", "s2", "sanctions on the regime have worked badly"),
              claim("c", "s3", "the new tariffs hurt the farmers of the south"),
              claim("d", "s4", "sanctions on the regime have hardly worked")]
    stances = [_decided("s1", "H", "support", ["a"]), _decided("s3", "H", "support", ["c"]),
               _decided("s2", "H", "oppose", ["b"]), _decided("s4", "H", "oppose", ["d"])]
    found = _run(claims, stances)
    pairs = {(c.a, c.b) for c in found}
    assert len(found) < 4 and all(c.kind == "evaluative" for c in found)
    assert ("a", "b") in pairs and any("c" in p for p in pairs)  # every source is in at least one pair


def test_syndicated_copies_are_not_each_others_opponents():
    claims = [claim("a", "s1", "sanctions on the regime have worked well"),
              claim("b", "s2", "sanctions on the regime have worked badly")]
    stances = [_decided("s1", "H", "support", ["a"]), _decided("s2", "H", "oppose", ["b"])]
    copy = source("s2").model_copy(update={"duplicates": [DuplicateOf(source_id="s1", similarity=0.99)]})
    assert _run(claims, stances, sources=[source("s1"), copy]) == []


def test_the_pair_reader_keeps_only_factual_pairs_it_reads_as_incompatible():
    claims = [claim("a", "s1", "the treaty was signed by both governments in the capital"),
              claim("b", "s2", "the treaty was not signed by both governments in the capital")]
    assert _run(claims, reader=ScriptedReader()) == []
    reader = ScriptedReader([(claims[0].text, claims[1].text)])
    found = _run(claims, reader=reader)
    assert [(c.a, c.b, c.kind) for c in found] == [("a", "b", "factual")] and len(reader.asked) == 1
    assert found[0].score < _run(claims)[0].score  # scaled by the reader's 0.9


def test_negated_twin_sentence_is_a_factual_contradiction():
    claims = [claim("a", "s1", "the treaty was signed by both governments in the capital"),
              claim("b", "s2", "the treaty was not signed by both governments in the capital")]
    found = _run(claims)
    assert [(c.a, c.b, c.kind) for c in found] == [("a", "b", "factual")]


def test_different_numbers_for_the_same_fact_are_factual():
    claims = [claim("a", "s1", "the army lost 4,000 soldiers near the river crossing"),
              claim("b", "s2", "the army lost 9000 soldiers near the river crossing")]
    assert [c.kind for c in _run(claims)] == ["factual"]
    assert numbers_in("lost 4,000 of 12.5 units") == {"4000", "12.5"}


def test_same_event_with_different_dates_is_factual():
    claims = [claim("a", "s1", "the summit in the old capital promised membership one day", start=0),
              claim("b", "s2", "the summit in the old capital promised membership one day soon", start=0)]
    events = [event("e1", "s1", 4, 10, "2008-04", "summit promised membership"),
              event("e2", "s2", 4, 10, "2009-04", "summit promised membership")]
    found = _run(claims, events=events)
    assert found and found[0].kind == "factual"
    assert not dates_conflict("2008-04", "2008-04-03") and dates_conflict("2008-04", "2009-04")


@pytest.mark.parametrize(("a", "b", "conflict"), [
    ("2008-04-03", "2008-04-03", False), ("2008-04-03", "2008-04-04", True), ("2008", "2009", True),
    ("1941", "1939/1945", False), ("1946-01", "1939/1945", True),
    ("1991", "[1991..]", False), ("2022-05-01", "[1991..]", False), ("1985", "[1991..]", True),
    ("2019", "[..2021]", False), ("2023-01", "[..2021]", True), ("2018", "[2016..2021]", False),
    ("2015-12-31", "[2016..2021]", True), ("2008", "not a date", False), (None, "2008", False),
])
def test_dates_conflict_when_nothing_lies_in_both(a, b, conflict):
    assert dates_conflict(a, b) is conflict and dates_conflict(b, a) is conflict


def test_claims_of_the_same_source_never_contradict_each_other():
    claims = [claim("a", "s1", "the treaty was signed by both governments"),
              claim("b", "s1", "the treaty was not signed by both governments", start=100)]
    stances = [claim_stance("a", "H", "support"), claim_stance("b", "H", "oppose")]
    assert _run(claims, stances) == []


def test_unrelated_claims_give_no_contradiction():
    claims = [claim("a", "s1", "grain exports fell sharply last spring"),
              claim("b", "s2", "the president did not attend the parade")]
    stances = [claim_stance("a", "H", "support"), claim_stance("b", "H", "oppose")]
    assert _run(claims, stances) == []


def _crowd(n: int, seed: int = 3):
    """``n`` invented claims of four sources whose vectors crowd round one direction (one large cluster)."""
    rng = np.random.default_rng(seed)
    centre = rng.normal(size=24)
    vectors = centre + 0.6 * rng.normal(size=(n, 24))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    claims = [claim(f"c{i}", f"s{i % 4}", f"the toll on bridge {i} went up", start=i) for i in range(n)]
    return claims, vectors


def test_a_large_clusters_pairs_are_the_same_when_its_similarities_come_in_blocks(monkeypatch):
    """Above ``MAX_GROUP`` members each claim meets its 20 nearest; the similarities are computed a block of
    rows at a time (a whole large cluster's matrix set the step's peak), which must change no pair."""
    from cruxmap.map import contradictions as module

    claims, vectors = _crowd(260)
    labels = np.zeros(len(claims), dtype=np.int64)
    whole = module.candidate_pairs(claims, vectors, labels)
    monkeypatch.setattr(module, "SIM_CELLS", 50 * len(claims))
    monkeypatch.setattr(module, "MIN_ROWS", 50)
    blocked = module.candidate_pairs(claims, vectors, labels)
    assert blocked == whole
    assert len({(i, j) for i, j, _ in whole}) == len(whole)  # each pair once
    assert all(claims[i].source_id != claims[j].source_id for i, j, _ in whole)
    assert all(len([p for p in whole if i in p[:2]]) >= 15 for i in range(0, 260, 37))  # ~20 neighbours each


def test_near_neighbours_in_different_clusters_are_compared_once_in_a_small_corpus():
    from cruxmap.map.contradictions import candidate_pairs

    claims = [claim("a", "s1", "the bridge toll doubled"), claim("b", "s2", "the bridge toll doubled last year"),
              claim("c", "s3", "the bridge toll was doubled")]
    vectors = np.array([[1.0, 0.0], [0.96, 0.28], [0.96, -0.28]], dtype=np.float32)
    pairs = candidate_pairs(claims, vectors, np.array([0, 0, 1]))
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (0, 2), (1, 2)]  # (0, 2) and (1, 2) across the cut
    assert pairs[0][2] == pytest.approx(0.96)
