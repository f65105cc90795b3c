"""build_map end to end: fills only the map parts, byte-identical on re-runs, tables for the CLI."""

from __future__ import annotations

import pytest
from test_map_support import HashingEmbedder, themed_map

from cruxmap.map import MapOptions, build_map, map_tables
from cruxmap.map.matcher import KeyPointMatcher

COSINE = KeyPointMatcher(head_file=None)
MAP_PARTS = {"key_points", "camps", "contradictions", "ach", "cruxes"}


def test_build_map_fills_the_map_parts_and_leaves_the_rest_untouched():
    before = themed_map(6)
    after = build_map(themed_map(6), HashingEmbedder(), matcher=COSINE)
    assert after.key_points and after.camps and after.ach.rows and after.cruxes
    rest = set(type(before).model_fields) - MAP_PARTS - {"failures"}
    assert before.model_dump(include=rest) == after.model_dump(include=rest)


def test_same_input_gives_byte_identical_map_parts():
    a = build_map(themed_map(8), HashingEmbedder(), matcher=COSINE)
    shuffled = themed_map(8)
    shuffled.claims.reverse()
    shuffled.stances.reverse()
    b = build_map(shuffled, HashingEmbedder(), matcher=COSINE)
    assert a.model_dump_json(include=MAP_PARTS) == b.model_dump_json(include=MAP_PARTS)


def test_options_come_from_a_dict_or_settings_object():
    assert MapOptions.from_settings({"max_cruxes": 2, "unrelated": 1}).max_cruxes == 2
    m = build_map(themed_map(6), HashingEmbedder(), settings={"max_cruxes": 1}, matcher=COSINE)
    assert len(m.cruxes) == 1


def test_map_tables_give_rows_for_each_part():
    m = build_map(themed_map(6), HashingEmbedder(), matcher=COSINE)
    tables = map_tables(m)
    assert set(tables) == {"key_points", "camps", "cruxes", "ach_ranking"}
    assert (tables["key_points"][0]["sources"], tables["key_points"][0]["copies"]) == (6, 0)
    # a syndicated copy counts with its original, and is named
    from cruxmap.model import DuplicateOf

    m.sources[1].duplicates = [DuplicateOf(source_id=m.sources[0].id, similarity=0.97)]
    first = map_tables(m)["key_points"][0]
    assert (first["sources"], first["copies"]) == (5, 1)
    # three sources argue each answer the same way: equally contradicted, so they share the first rank
    assert [r["rank"] for r in tables["ach_ranking"]] == [1, 1]
    assert tables["ach_ranking"][0]["inconsistency"] == tables["ach_ranking"][1]["inconsistency"]
    assert tables["cruxes"][0]["statement"]


def test_map_without_hypotheses_still_has_key_points_and_one_camp_note():
    m = themed_map(3)
    m.hypotheses = []
    m.stances = []
    out = build_map(m, HashingEmbedder(), matcher=COSINE)
    assert out.key_points and out.ach.rows == [] and out.cruxes == []
    assert len(out.camps) == 1 and out.camps[0].note


@pytest.mark.models
def test_real_minilm_groups_paraphrases_and_keeps_unrelated_claims_apart():
    minilm = pytest.importorskip("cruxmap.argue.minilm")
    try:
        embedder = minilm.MiniLMEmbedder()
    except Exception as err:  # missing package or weights
        pytest.skip(f"MiniLM unavailable: {err}")
    m = themed_map(6)
    out = build_map(m, embedder)
    by_claim = {cid: kp.id for kp in out.key_points for cid in kp.claim_ids}
    assert by_claim["c00"] == by_claim["c20"] == by_claim["c40"]  # three wordings of one point
    assert by_claim.get("c10") != by_claim["c00"]
    again = build_map(themed_map(6), embedder)
    assert out.model_dump_json(include=MAP_PARTS) == again.model_dump_json(include=MAP_PARTS)
