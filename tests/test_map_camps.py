"""Camps: grouping sources, and refusing to group when the data cannot support it."""

from __future__ import annotations

from cruxmap.map.camps import build_camps
from cruxmap.map.keypoints import build_key_points
from cruxmap.map.matcher import KeyPointMatcher
from test_map_support import HashingEmbedder, source_stance, themed_map


def _camps(m):
    kps = build_key_points(m.claims, m.stances, ["H1", "H2"], HashingEmbedder(),
                           matcher=KeyPointMatcher(head_file=None)).key_points
    return build_camps([s.id for s in m.sources], kps, m.claims, m.stances, ["H1", "H2"]), kps


def test_two_opposed_groups_of_sources_become_two_camps_with_their_key_points():
    camps, kps = _camps(themed_map(6))
    assert [c.source_ids for c in camps] == [["s0", "s2", "s4"], ["s1", "s3", "s5"]]
    alliance = next(k.id for k in kps if "alliance" in k.label)
    empire = next(k.id for k in kps if "empire" in k.label)
    assert camps[0].positions[0] == alliance and camps[1].positions[0] == empire
    shared = next(k.id for k in kps if "democracy" in k.label)
    assert all(shared not in c.positions for c in camps)  # everyone says it: distinguishes no camp


def test_too_few_sources_give_one_camp_with_a_note():
    camps, _ = _camps(themed_map(3))
    assert len(camps) == 1
    assert camps[0].source_ids == ["s0", "s1", "s2"]
    assert "too few" in camps[0].note


def test_sources_that_do_not_differ_give_one_camp_with_a_note():
    m = themed_map(6)
    m.claims = [c for c in m.claims if "democracy" in c.text]
    m.stances = [s for s in m.stances if s.target == "claim"] + [
        source_stance(s.id, h, "support") for s in m.sources for h in ("H1", "H2")]
    camps, _ = _camps(m)
    assert len(camps) == 1 and "do not differ" in camps[0].note


def test_camps_are_deterministic():
    a, _ = _camps(themed_map(8))
    b, _ = _camps(themed_map(8))
    assert [c.model_dump() for c in a] == [c.model_dump() for c in b]
