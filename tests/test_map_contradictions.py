"""Contradictions: evaluative (opposite stance) and factual (negation, numbers, dates) pairs."""

from __future__ import annotations

from cruxmap.map.cluster import cluster_vectors
from cruxmap.map.contradictions import dates_conflict, find_contradictions, numbers_in
from test_map_support import HashingEmbedder, claim, claim_stance, event


def _run(claims, stances=(), events=()):
    vectors = HashingEmbedder().embed([c.text for c in claims])
    labels = cluster_vectors(vectors, threshold=0.5).labels
    return find_contradictions(claims, vectors, labels, list(stances), ["H"], list(events))


def test_opposite_stances_on_similar_claims_are_an_evaluative_contradiction():
    claims = [claim("a", "s1", "sanctions on the regime have worked well"),
              claim("b", "s2", "sanctions on the regime have worked badly"),
              claim("c", "s3", "the harvest this autumn was large")]
    stances = [claim_stance("a", "H", "support"), claim_stance("b", "H", "oppose", 0.8),
               claim_stance("c", "H", "oppose")]
    found = _run(claims, stances)
    assert [(c.a, c.b, c.kind) for c in found] == [("a", "b", "evaluative")]
    assert 0 < found[0].score <= 1


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
