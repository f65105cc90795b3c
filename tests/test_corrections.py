"""The analyst's corrections: keyed by content, applied without a model, kept through re-runs, teaching."""

from __future__ import annotations

import json

import numpy as np
import pytest
from report_fixture import report_map

from cruxmap.corrections import (
    apply_corrections,
    correction_for,
    labelled_rows,
    latest,
    read_corrections,
    teach,
    write_corrections,
)
from cruxmap.errors import ConfigError
from cruxmap.lineage import diff_maps
from cruxmap.model import Question


class WordEmbedder:
    """Bag-of-words vectors: enough for the map's cosine steps, no model."""

    def embed(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, hash(word) % 64] += 1.0
        return out


def cell(m, source_id, hid):
    return next(s for s in m.stances if s.target == "source" and s.target_id == source_id and s.hypothesis_id == hid)


def test_a_position_correction_marks_the_cell_keeps_the_machine_reading_and_recomputes_the_map():
    m = report_map()
    before = m.model_copy(deep=True)
    c = correction_for(m, "position", source="src-c9d0e1f2", hypothesis="H2", value="oppose", who="ana",
                       why="the last paragraph rejects it", evidence="src-c9d0e1f2-c1")
    stale = apply_corrections(m, [c], WordEmbedder())
    assert stale == []
    st = cell(m, "src-c9d0e1f2", "H2")
    assert (st.label, st.analyst, st.machine_label, st.score) == ("oppose", True, "mixed", 1.0)
    assert "ana" in st.note and "rejects" in st.note
    claim = next(x for x in m.claims if x.id == "src-c9d0e1f2-c1")
    assert [(p.start, p.end) for p in st.evidence] == [(claim.start, claim.end)]
    assert m.corrections == [c]
    diff = diff_maps(before, m)
    assert [(p.source_id, p.hypothesis_id, p.before, p.after, p.analyst) for p in diff.positions] == [
        ("src-c9d0e1f2", "H2", "mixed", "oppose", True)]
    # the camps, ACH and cruxes follow the table: the corrected source now sits against H2 in a crux on H2
    sides = [c.sides for c in m.cruxes if c.hypothesis_id == "H2" and c.kind == "hypothesis"]
    assert sides and "src-c9d0e1f2" in sides[0]["oppose"]


def test_supporting_one_competing_answer_clears_the_machines_support_for_another():
    m = report_map()
    assert cell(m, "src-c9d0e1f2", "H1").label == "support"
    apply_corrections(m, [correction_for(m, "position", source="src-c9d0e1f2", hypothesis="H2", value="support")])
    assert cell(m, "src-c9d0e1f2", "H1").label == "none"
    assert "competing" in cell(m, "src-c9d0e1f2", "H1").note


def test_corrections_are_keyed_by_content_and_apply_to_the_same_text_in_another_run():
    m = report_map()
    c = correction_for(m, "claim", item="src-e5f6a7b8-c2", hypothesis="H1", value="oppose")
    other = report_map()  # another run: the same article, its claims renumbered
    other.claims = [x.model_copy(update={"id": x.id + "-r2"}) for x in other.claims]
    other.stances = [s.model_copy(update={"target_id": s.target_id + "-r2"}) if s.target == "claim" else s
                     for s in other.stances]
    assert apply_corrections(other, [c]) == []
    st = next(s for s in other.stances if s.target == "claim" and s.target_id == "src-e5f6a7b8-c2-r2"
              and s.hypothesis_id == "H1")
    assert (st.label, st.analyst) == ("oppose", True)


def test_a_correction_whose_text_is_gone_is_reported_stale_not_dropped():
    m = report_map()
    c = correction_for(m, "not-claim", item="src-a1b2c3d4-c3")
    changed = report_map()
    source = next(s for s in changed.sources if s.id == "src-a1b2c3d4")
    gone = source.text[c.start:c.end]
    source.text = source.text.replace(gone, "x" * len(gone))
    stale = apply_corrections(changed, [c])
    assert stale == [c]
    failure = next(f for f in changed.failures if f.error == "stale-correction")
    assert c.id in failure.message and "cruxmap corrections delete" in failure.message
    assert any(x.id == "src-a1b2c3d4-c3" for x in changed.claims)  # nothing was removed on a guess


def test_not_a_claim_removes_it_everywhere():
    m = report_map()
    apply_corrections(m, [correction_for(m, "not-claim", item="src-a1b2c3d4-c2")])
    assert all(c.id != "src-a1b2c3d4-c2" for c in m.claims)
    assert all(s.target_id != "src-a1b2c3d4-c2" for s in m.stances)
    assert all("src-a1b2c3d4-c2" not in kp.claim_ids for kp in m.key_points)
    assert all("src-a1b2c3d4-c2" not in (c.a, c.b) for c in m.contradictions)
    assert all(r.evidence_id != "src-a1b2c3d4-c2" for r in m.ach.rows)


def test_dropping_a_contradiction_and_merging_and_splitting_key_points():
    m = report_map()
    kps = {kp.id: kp for kp in m.key_points}
    corrections = [correction_for(m, "drop-contradiction", item="src-c9d0e1f2-c0", other="src-e5f6a7b8-c2"),
                   correction_for(m, "merge", item="src-e5f6a7b8-c0", other="src-e5f6a7b8-c2"),
                   correction_for(m, "split", item="src-a1b2c3d4-c1")]
    assert apply_corrections(m, corrections) == []
    assert ("src-c9d0e1f2-c0", "src-e5f6a7b8-c2") not in {(c.a, c.b) for c in m.contradictions}
    holder = {cid: kp.id for kp in m.key_points for cid in kp.claim_ids}
    assert holder["src-e5f6a7b8-c0"] == holder["src-e5f6a7b8-c2"] == "kp-2"
    assert "kp-3" not in holder.values()
    alone = next(kp for kp in m.key_points if kp.claim_ids == ["src-a1b2c3d4-c1"])
    assert alone.id not in kps and "src-a1b2c3d4-c1" not in next(kp for kp in m.key_points if kp.id == "kp-1").claim_ids


def test_ach_cell_and_weight_corrections_become_overrides():
    m = report_map()
    row = m.ach.rows[0]
    corrections = [correction_for(m, "ach", item=row.evidence_id, hypothesis="H1", value="II", why="a counterfactual"),
                   correction_for(m, "credibility", item=row.evidence_id, value="low")]
    apply_corrections(m, corrections)
    new_row = next(r for r in m.ach.rows if r.evidence_id == row.evidence_id)
    h1 = next(c for c in new_row.cells if c.hypothesis_id == "H1")
    assert (h1.rating, h1.overridden, new_row.credibility) == ("II", True, "low")
    assert "a counterfactual" in h1.note


def test_a_weight_correction_of_an_event_weighs_the_events_row_not_the_claim_it_sits_in():
    """The report's weight selects name a row by its characters; an event's (or quote's) characters lie inside
    its claim, and used to resolve to the claim's row."""
    m = report_map()
    apply_corrections(m, [])
    event = next(r for r in m.ach.rows if r.evidence_kind == "event")
    claim = next(r for r in m.ach.rows if r.evidence_kind == "claim" and r.source_id == event.source_id
                 and next(e for e in m.events if e.id == event.evidence_id).start
                 in range(*next((c.start, c.end) for c in m.claims if c.id == r.evidence_id)))
    assert apply_corrections(m, [correction_for(m, "relevance", item=event.evidence_id, value="high")]) == []
    rows = {r.evidence_id: r for r in m.ach.rows}
    assert (rows[event.evidence_id].relevance, rows[claim.evidence_id].relevance) == ("high", "medium")


def test_a_claim_stance_correction_moves_its_sources_position_by_the_stage_rule():
    m = report_map()
    m.run = m.run.model_copy(update={"backends": {"stance": "stance:stance.offline.v2:H1=…:claims-from-t0.000:lean-z2"}})
    assert cell(m, "src-a1b2c3d4", "H1").label == "support"
    claims = [c for c in m.claims if c.source_id == "src-a1b2c3d4"]
    corrections = [correction_for(m, "claim", item=c.id, hypothesis="H1", value="oppose") for c in claims]
    apply_corrections(m, corrections)
    # its own claims against H1 are too few for the sign test (|z| < 2.5): the machine's support is gone,
    # and no opposition is claimed on the analyst's behalf
    st = cell(m, "src-a1b2c3d4", "H1")
    assert (st.label, st.analyst) == ("none", False)
    assert sum(1 for s in m.stances if s.target == "claim" and s.analyst) == len(claims)


def test_bad_corrections_are_refused_with_the_fix():
    m = report_map()
    with pytest.raises(ConfigError, match="H9"):
        correction_for(m, "position", source="src-a1b2c3d4", hypothesis="H9", value="support")
    with pytest.raises(ConfigError, match="needs a value"):
        correction_for(m, "position", source="src-a1b2c3d4", hypothesis="H1", value="maybe")
    with pytest.raises(ConfigError, match="no source matches"):
        correction_for(m, "position", source="nowhere.txt", hypothesis="H1", value="support")
    with pytest.raises(ConfigError, match="no claim"):
        correction_for(m, "not-claim", item="src-zzz-c0")
    with pytest.raises(ConfigError, match="unknown correction"):
        correction_for(m, "approve", item="src-a1b2c3d4-c0")


def test_the_newest_correction_of_a_subject_wins_and_files_round_trip(tmp_path):
    m = report_map()
    first = correction_for(m, "position", source="src-a1b2c3d4", hypothesis="H1", value="oppose")
    second = correction_for(m, "position", source="src-a1b2c3d4", hypothesis="H1", value="mixed")
    second = second.model_copy(update={"when": "2099-01-01T00:00:00+00:00"})
    assert first.id == second.id and latest([second, first]) == [second]
    path = write_corrections([first, second], tmp_path / "c.jsonl")
    assert read_corrections(path) == [first, second]
    path.write_text(path.read_text() + "{not json\n")
    with pytest.raises(ConfigError, match="line 3"):
        read_corrections(path)


def test_teaching_adds_the_analysts_passages_to_the_matching_statement_only():
    m = report_map()
    c = correction_for(m, "position", source="src-a1b2c3d4", hypothesis="H1", value="support",
                       evidence="src-a1b2c3d4-c0")
    taught = teach(m.question, [c])
    h1 = next(h for h in taught.hypotheses if h.id == "H1")
    assert h1.taught_support == [" ".join(c.text.split())] and h1.taught_oppose == []
    reworded = Question(question="q", hypotheses=[h.model_copy(update={"statement": h.statement + " Really."})
                                                  for h in m.question.hypotheses])
    assert teach(reworded, [c]) == reworded  # another question's H1 is another hypothesis


def test_labelled_rows_carry_the_analysts_and_the_machines_label():
    m = report_map()
    apply_corrections(m, [correction_for(m, "position", source="src-e5f6a7b8", hypothesis="H1", value="mixed")])
    rows = labelled_rows(m)
    assert rows == [{**rows[0], "kind": "position", "label": "mixed", "machine_label": "oppose",
                     "hypothesis": next(h.statement for h in m.question.hypotheses if h.id == "H1")}]
    json.dumps(rows)


def test_the_review_order_puts_the_machines_positions_first_then_the_most_argued_empty_cells():
    from cruxmap.corrections import review_order

    m = report_map()
    apply_corrections(m, [correction_for(m, "position", source="src-a1b2c3d4", hypothesis="H1", value="support")])
    order = review_order(m)
    assert len(order) == len(m.sources) * len(m.question.hypotheses)
    labels = [c.label for c in order]
    sided = [c for c in order if c.label != "none" and (c.source_id, c.hypothesis_id) != ("src-a1b2c3d4", "H1")]
    assert order[:len(sided)] == sided and all(c.label != "none" for c in sided)
    assert (order[-1].source_id, order[-1].hypothesis_id) == ("src-a1b2c3d4", "H1")  # the analyst's cell: last
    empty = [c for c in order if c.label == "none"]
    assert [c.mass for c in empty] == sorted((c.mass for c in empty), reverse=True)
    assert "none" in labels
    for c in order:  # the claims shown are the source's own
        assert all(x.source_id == c.source_id for x in m.claims if x.id in c.claim_ids)


def test_the_report_marks_the_analysts_cells_and_claim_stances():
    from cruxmap.report import render_report

    m = report_map()
    corrections = [correction_for(m, "position", source="src-c9d0e1f2", hypothesis="H2", value="oppose", why="x"),
                   correction_for(m, "claim", item="src-c9d0e1f2-c0", hypothesis="H1", value="support")]
    apply_corrections(m, corrections)
    html = render_report(m)
    assert html.count("set by an analyst") >= 2 and "(the machine read " in html
    assert "1 cell(s) marked ✎ were set by an analyst" in html


def test_corrections_read_how_positions_were_made_from_the_run_record_not_a_version_string():
    from cruxmap.corrections import position_aggregation
    from cruxmap.model import RunInfo

    m = report_map()
    m.run = RunInfo(id="run-x", created="2026-01-01T00:00:00+00:00", cruxmap_version="test",
                    backends={"stance": "stance:offline.v2:H1=…:claims-from-t0.100"},
                    options={"stance_aggregation": {"from": "claims", "claim_threshold": 0.375,
                                                    "addressed_by_nearest": True}})
    assert position_aggregation(m) == (0.375, True)
    m.run.options["stance_aggregation"] = {"from": "reading"}
    assert position_aggregation(m) is None
    m.run.options = {}  # a run recorded before the record kept it: its stance version says it
    assert position_aggregation(m) == (0.1, False)


def test_an_analysed_run_records_how_its_positions_were_made(settings):
    from pathlib import Path

    from cruxmap import api

    root = Path(__file__).resolve().parents[1]
    result = api.analyze([root / "examples" / "corpus"], question=root / "examples" / "question.yaml",
                         settings=settings)
    how = result.run.options["stance_aggregation"]
    assert how["from"] == "claims" and how["addressed_by_nearest"] is True
    assert 0 < how["claim_threshold"] < 1
