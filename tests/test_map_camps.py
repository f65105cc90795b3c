"""Camps: grouping sources, and refusing to group when the data cannot support it."""

from __future__ import annotations

from test_map_support import HashingEmbedder, source_stance, themed_map

from cruxmap.map.camps import build_camps
from cruxmap.map.keypoints import build_key_points
from cruxmap.map.matcher import KeyPointMatcher


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


def test_without_readable_positions_there_are_no_camps():
    """Claims that lean different ways do not make camps when no source's own position could be read."""
    m = themed_map(6)
    m.stances = [s for s in m.stances if s.target == "claim"]
    camps, _ = _camps(m)
    assert len(camps) == 1 and "no source's position could be read" in camps[0].note


def test_sources_on_opposite_sides_of_an_item_never_share_a_camp():
    """s0 writes like the alliance camp, but its own position opposes H1 like the empire camp: it may not
    sit with sources that support H1, whatever its key points look like."""
    from cruxmap.map.camps import opposed_pairs

    m = themed_map(8)
    m.stances = [s for s in m.stances if not (s.target == "source" and s.target_id == "s0")]
    m.stances += [source_stance("s0", "H1", "oppose")]
    camps, _ = _camps(m)
    ids = [s.id for s in m.sources]
    opposed = opposed_pairs(ids, m.stances)
    assert (0, 2) in opposed  # s0 opposes H1, s2 supports it
    assert len(camps) > 1
    for camp in camps:
        members = {ids.index(s) for s in camp.source_ids}
        assert not any(i in members and j in members for i, j in opposed)


def test_sources_whose_position_could_not_be_read_are_listed_apart_not_grouped():
    """A camp says where its members stand: sources without a readable position are not placed in one."""
    m = themed_map(8)
    silent = {"s6", "s7"}
    m.stances = [s for s in m.stances if not (s.target == "source" and s.target_id in silent)]
    camps, _ = _camps(m)
    *placed, last = camps
    assert last.unplaced and set(last.source_ids) == silent and "not placed" in last.note
    assert placed and not any(c.unplaced for c in placed)
    assert not silent & {s for c in placed for s in c.source_ids}


def test_few_placed_sources_are_grouped_by_identical_positions():
    m = themed_map(8)
    keep = {"s0", "s1", "s2"}
    m.stances = [s for s in m.stances if not (s.target == "source" and s.target_id not in keep)]
    camps, _ = _camps(m)
    placed = [c for c in camps if not c.unplaced]
    assert [c.source_ids for c in placed] == [["s0", "s2"], ["s1"]]  # s0 and s2 hold the same positions
    assert all("tentative" in c.note for c in placed)


def test_each_camp_says_how_often_resampling_finds_it_again():
    import numpy as np

    from cruxmap.map.camps import camp_stability

    camps, _ = _camps(themed_map(8))
    assert len(camps) == 2 and all(c.stability is not None and c.stability >= 0.9 for c in camps)
    # two tight groups far apart are found again every time; a group cut out of one blob is not
    rng = np.random.default_rng(0)
    apart = np.vstack([rng.normal(0, 0.1, (10, 2)), rng.normal(5, 0.1, (10, 2))])
    assert set(camp_stability(apart, np.repeat([0, 1], 10), 2).values()) == {1.0}
    blob = rng.normal(0, 1, (20, 2))
    arbitrary = (np.arange(20) % 2).astype(np.int64)  # camps that do not follow the data
    assert max(camp_stability(blob, arbitrary, 2).values()) < 0.75
