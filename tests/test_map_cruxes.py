"""Cruxes: the points where sources split, with each side's evidence and diagnostic rows."""

from __future__ import annotations

from test_map_support import HashingEmbedder, claim, claim_stance, source_stance, themed_map

from cruxmap.map.ach import build_ach
from cruxmap.map.cruxes import find_cruxes
from cruxmap.map.keypoints import build_key_points
from cruxmap.map.matcher import KeyPointMatcher
from cruxmap.model import Hypothesis


def _cruxes(m):
    kps = build_key_points(m.claims, m.stances, [h.id for h in m.hypotheses], HashingEmbedder(),
                           matcher=KeyPointMatcher(head_file=None)).key_points
    ach, _ = build_ach(m.claims, [], [], m.stances, m.hypotheses)
    return find_cruxes(m.hypotheses, kps, m.claims, m.stances, ach, n_sources=len(m.sources)), kps


def test_hypotheses_that_split_the_sources_are_cruxes_with_sides_and_evidence():
    cruxes, _ = _cruxes(themed_map(6))
    h1 = next(c for c in cruxes if c.hypothesis_id == "H1" and c.kind == "hypothesis")
    assert h1.sides == {"support": ["s0", "s2", "s4"], "oppose": ["s1", "s3", "s5"]}
    assert h1.evidence["support"] and set(h1.evidence["support"]) <= {"c00", "c20", "c40"}
    assert set(h1.evidence["oppose"]) <= {"c10", "c30", "c50"}
    assert h1.diagnostic_evidence and h1.score > 0.8
    assert 1 <= len(cruxes) <= 7


TALKS = ["talks with the regime could bring a ceasefire this year.",
         "talks with the regime could bring a ceasefire within the year.",
         "talks with the regime could bring a ceasefire soon this year."]


def _talks_map():
    """Three sources make one point about H3; two read it as support, one as opposition."""
    m = themed_map(4)
    m.hypotheses = [Hypothesis(id="H3", statement="Talks could end the war")]
    m.claims = [claim(f"t{i}", f"s{i}", TALKS[i], start=500) for i in range(3)]
    claim_level = [claim_stance("t0", "H3", "support"), claim_stance("t1", "H3", "support", 0.7),
                   claim_stance("t2", "H3", "oppose", 0.8)]
    return m, TALKS, claim_level


def test_a_key_point_that_sources_read_opposite_ways_is_a_crux():
    m, texts, claim_level = _talks_map()
    positions = [source_stance("s0", "H3", "support"), source_stance("s1", "H3", "support"),
                 source_stance("s2", "H3", "oppose"), source_stance("s3", "H3", "oppose")]
    m.stances = claim_level + positions
    cruxes, kps = _cruxes(m)
    [crux] = [c for c in cruxes if c.kind == "key_point"]
    assert crux.key_point_id == kps[0].id and crux.statement in texts
    assert crux.sides == {"support": ["s0", "s1"], "oppose": ["s2"]}
    assert crux.evidence == {"support": ["t0", "t1"], "oppose": ["t2"]}


def test_a_crux_never_puts_a_source_where_the_source_table_does_not():
    """Claims read one way do not place a source on a side its own position does not take: with no
    position read (the offline reader abstains) there is no key-point crux, and a source whose
    position is the other side stays off this side."""
    m, _texts, claim_level = _talks_map()
    m.stances = claim_level
    assert _cruxes(m)[0] == []
    m.stances = claim_level + [source_stance("s0", "H3", "support"), source_stance("s1", "H3", "oppose"),
                               source_stance("s2", "H3", "oppose"), source_stance("s3", "H3", "support")]
    [crux] = [c for c in _cruxes(m)[0] if c.kind == "key_point"]
    assert crux.sides == {"support": ["s0"], "oppose": ["s2"]}  # s1's claim leans support, its position is oppose


def test_sources_that_agree_give_no_crux():
    m = themed_map(4)
    m.stances = [s for s in m.stances if s.target == "claim" and s.label != "oppose"] + [
        source_stance(s.id, "H1", "support") for s in m.sources]
    cruxes, _ = _cruxes(m)
    assert cruxes == []


def test_at_most_seven_cruxes_best_first():
    m = themed_map(6)
    extra = [Hypothesis(id=f"X{i}", statement=f"extra {i}") for i in range(8)]
    m.hypotheses = m.hypotheses + extra
    m.stances += [source_stance(f"s{j}", h.id, "support" if j < 3 else "oppose") for h in extra for j in range(6)]
    cruxes, _ = _cruxes(m)
    assert len(cruxes) == 7
    assert [c.score for c in cruxes] == sorted((c.score for c in cruxes), reverse=True)


def test_a_key_point_crux_names_the_diagnostic_rows_about_its_key_point():
    import numpy as np

    from cruxmap.map.cruxes import TOPICAL_MIN, key_point_rows
    from cruxmap.model import AchCell, AchMatrix, AchRow, KeyPoint

    def row(evidence_id, diagnosticity):
        return AchRow(evidence_id=evidence_id, evidence_kind="claim", source_id="s0", text=evidence_id,
                      cells=[AchCell(hypothesis_id="H1", rating="I", score=-0.6)], diagnosticity=diagnosticity)

    ach = AchMatrix(rows=[row("far", 2.0), row("near", 0.5), row("member", 0.1), row("nearer", 0.1)])
    kp = KeyPoint(id="kp", label="x", claim_ids=["member"], source_ids=["s0"])
    centroid = np.array([1.0, 0.0])
    vectors = {"far": np.array([0.0, 1.0]), "near": np.array([0.8, 0.6]), "nearer": np.array([1.0, 0.0]),
               "member": np.array([0.0, 1.0])}
    assert key_point_rows(ach, "H1", kp, vectors, centroid) == ["member", "near", "nearer"]
    assert TOPICAL_MIN > 0 and key_point_rows(ach, "H2", kp, vectors, centroid) == []
    assert key_point_rows(ach, "H1", kp.model_copy(update={"claim_ids": []}), {}, None) == []
