"""ACH overrides: applied after scoring, kept across re-runs, stale ones reported."""

from __future__ import annotations

import json

import pytest
from test_map_support import HashingEmbedder, themed_map

from cruxmap.errors import ConfigError
from cruxmap.map import build_map
from cruxmap.map.matcher import KeyPointMatcher
from cruxmap.map.overrides import Override, load_overrides, save_overrides

COSINE = KeyPointMatcher(head_file=None)


def _cell(m, evidence_id, hypothesis_id):
    row = next(r for r in m.ach.rows if r.evidence_id == evidence_id)
    return next(c for c in row.cells if c.hypothesis_id == hypothesis_id)


def test_override_file_is_applied_on_every_build_and_shown_as_overridden(tmp_path):
    path = tmp_path / "ach.json"
    save_overrides([Override("c00", "H2", "CC", "analyst: this fits H2 after all")], path)
    for _ in range(2):  # two runs over the same corpus, the file unchanged in between
        m = build_map(themed_map(6), HashingEmbedder(), overrides_path=path, matcher=COSINE)
        cell = _cell(m, "c00", "H2")
        assert (cell.rating, cell.score, cell.overridden, cell.note) == ("CC", 1.0, True, "analyst: this fits H2 after all")
        assert not _cell(m, "c00", "H1").overridden
        assert not any(f.error == "stale-override" for f in m.failures)
    plain = build_map(themed_map(6), HashingEmbedder(), matcher=COSINE)
    assert _cell(plain, "c00", "H2").rating == "II" and not _cell(plain, "c00", "H2").overridden
    assert m.ach.ranking != plain.ach.ranking


def test_override_can_bring_in_evidence_that_scoring_left_out(tmp_path):
    path = tmp_path / "ach.json"
    # c01 (democracy) is neutral toward both hypotheses, so it is not a row until the analyst rates it
    save_overrides([Override("c01", "H1", "I")], path)
    m = build_map(themed_map(6), HashingEmbedder(), overrides_path=path, matcher=COSINE)
    assert _cell(m, "c01", "H1").rating == "I" and _cell(m, "c01", "H1").overridden


def test_stale_override_is_reported_not_dropped(tmp_path):
    path = tmp_path / "ach.yaml"
    path.write_text("- {evidence_id: c00, hypothesis_id: H1, rating: n}\n"
                    "- {evidence_id: gone-claim, hypothesis_id: H1, rating: II, note: old run}\n"
                    "- {evidence_id: c10, hypothesis_id: H9, rating: C}\n", encoding="utf-8")
    m = build_map(themed_map(6), HashingEmbedder(), overrides_path=path, matcher=COSINE)
    stale = [f for f in m.failures if f.error == "stale-override"]
    assert len(stale) == 2
    assert "gone-claim" in stale[0].message and "H9" in stale[1].message
    assert _cell(m, "c00", "H1").rating == "N"
    again = build_map(m, HashingEmbedder(), overrides_path=path, matcher=COSINE)
    assert len([f for f in again.failures if f.error == "stale-override"]) == 2  # reported once per build


def test_bad_override_entries_fail_with_the_fix(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"evidence_id": "c00", "hypothesis_id": "H1", "rating": "maybe"}]), encoding="utf-8")
    with pytest.raises(ConfigError, match="use one of CC, C, N, I, II"):
        load_overrides(path)
    with pytest.raises(ConfigError, match="not found"):
        load_overrides(tmp_path / "missing.json")


def test_weights_and_not_applicable_are_read_and_written(tmp_path):
    path = tmp_path / "overrides.yaml"
    path.write_text("- {evidence_id: c00, credibility: High, relevance: low, note: from the ministry itself}\n"
                    "- {evidence_id: c01, hypothesis_id: H1, rating: N/A}\n", encoding="utf-8")
    weights, cell = load_overrides(path)
    assert (weights.credibility, weights.relevance, weights.hypothesis_id, weights.rating) == ("high", "low", None, None)
    assert (cell.hypothesis_id, cell.rating) == ("H1", "NA")
    saved = tmp_path / "saved.json"
    save_overrides([weights, cell], saved)
    assert load_overrides(saved) == [weights, cell]


def test_a_weight_that_is_not_high_medium_or_low_is_refused_naming_the_entry(tmp_path):
    path = tmp_path / "overrides.json"
    path.write_text('[{"evidence_id": "c00", "credibility": "very"}]', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_overrides(path)
    assert "entry 1" in str(err.value) and "high, medium, low" in str(err.value.fix)
