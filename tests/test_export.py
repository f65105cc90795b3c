"""Exports: CSV parses with one row per claim × hypothesis, AIF ids are consistent, Argdown is well-formed."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from report_fixture import INJECTIONS, report_map

from cruxmap.errors import InputError
from cruxmap.export import CSV_COLUMNS, FORMATS, aif, argdown, export_map, write_export
from cruxmap.model import DebateMap


@pytest.fixture(scope="module")
def debate_map() -> DebateMap:
    return report_map(malicious=True)


def test_csv_has_one_row_per_claim_and_hypothesis(debate_map):
    rows = list(csv.DictReader(io.StringIO(export_map(debate_map, "csv"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(debate_map.claims) * len(debate_map.hypotheses)
    texts = {s.id: s.text for s in debate_map.sources}
    stances = {(s.target_id, s.hypothesis_id): s for s in debate_map.stances if s.target == "claim"}
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert texts[row["source_id"]][start:end] == row["claim_text"]  # offsets survive the round trip
        st = stances.get((row["claim_id"], row["hypothesis_id"]))
        assert row["label"] == ({"neutral": "none"}.get(st.label, st.label) if st else "none")
        assert row["source_title"]  # the title, else the file name: never empty
        if st:
            assert float(row["stance_score"]) == pytest.approx(st.score, abs=1e-4)
            sign = {"support": 1, "oppose": -1}.get(st.label, 0)
            assert float(row["signed_score"]) == pytest.approx(sign * st.score, abs=1e-4)
    assert any(r["label"] == "support" for r in rows) and any(r["label"] == "oppose" for r in rows)
    assert not any(r["label"] == "neutral" for r in rows)  # the positions table's vocabulary


def test_positions_csv_is_the_source_table_with_its_evidence(debate_map):
    from cruxmap.export import POSITION_COLUMNS

    rows = list(csv.DictReader(io.StringIO(export_map(debate_map, "positions"))))
    assert list(rows[0]) == POSITION_COLUMNS
    assert len(rows) == len(debate_map.sources) * len(debate_map.hypotheses)
    cells = {(s.target_id, s.hypothesis_id): s for s in debate_map.stances if s.target == "source"}
    texts = {s.id: s.text for s in debate_map.sources}
    sided = 0
    for row in rows:
        st = cells.get((row["source_id"], row["hypothesis_id"]))
        assert row["label"] == (st.label if st else "none")
        for span in filter(None, row["evidence_offsets"].split(";")):
            a, b = map(int, span.split(":"))
            assert " ".join(texts[row["source_id"]][a:b].split()) in row["evidence"]
        sided += row["label"] in ("support", "oppose")
    assert sided


def test_aif_has_the_aifdb_shape_numeric_ids_timestamps_and_locutions(debate_map):
    doc = json.loads(export_map(debate_map, "aif"))
    assert set(doc) == {"nodes", "edges", "locutions", "participants", "cruxmap"}
    ids = [n["nodeID"] for n in doc["nodes"]]
    assert len(ids) == len(set(ids)) and all(i.isdigit() for i in ids)  # OVA and AIFdb number their nodes
    for node in doc["nodes"]:
        assert set(node) == {"nodeID", "text", "type", "timestamp"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", node["timestamp"])
    types = {n["nodeID"]: n["type"] for n in doc["nodes"]}
    assert set(types.values()) == {"I", "RA", "CA", "L", "YA"}
    edge_ids = [e["edgeID"] for e in doc["edges"]]
    assert len(edge_ids) == len(set(edge_ids)) and all(i.isdigit() for i in edge_ids)
    for edge in doc["edges"]:
        assert set(edge) == {"edgeID", "fromID", "toID", "formEdgeID"}
        assert edge["fromID"] in types and edge["toID"] in types
        # I-nodes never connect to each other directly: every relation goes through a scheme node
        assert {types[edge["fromID"]], types[edge["toID"]]} & {"RA", "CA", "YA"}
    for node_id, kind in types.items():
        ins = [e for e in doc["edges"] if e["toID"] == node_id]
        outs = [e for e in doc["edges"] if e["fromID"] == node_id]
        if kind in ("RA", "CA", "YA"):
            assert len(ins) == 1 and len(outs) == 1
        if kind == "L":  # a locution asserts one proposition
            assert not ins and len(outs) == 1 and types[outs[0]["toID"]] == "YA"
    texts = {s.id: s.text for s in debate_map.sources}
    node_text = {n["nodeID"]: n["text"] for n in doc["nodes"]}
    claims = {c.id for c in debate_map.claims}
    anchored = {a["id"] for a in doc["cruxmap"]["anchors"].values() if a["kind"] == "claim"}
    assert anchored == claims  # every claim, related or not
    for node_id, anchor in doc["cruxmap"]["anchors"].items():
        assert types[node_id] == "I"
        if anchor["kind"] in ("claim", "quote"):
            span = texts[anchor["source_id"]][anchor["start"]:anchor["end"]]
            assert " ".join(span.split()) == node_text[node_id]
    attributed = [q for q in debate_map.quotes if q.speaker]
    assert len(doc["locutions"]) == len(attributed) > 0
    people = {p["participantID"]: f"{p['firstname']} {p['surname']}".strip() for p in doc["participants"]}
    for locution, quote in zip(doc["locutions"], attributed):
        assert types[locution["nodeID"]] == "L" and people[locution["personID"]] == quote.speaker
        assert node_text[locution["nodeID"]] == f"{quote.speaker}: {' '.join(quote.text.split())}"
    contradiction_cas = sum(1 for c in debate_map.contradictions)
    assert sum(1 for t in types.values() if t == "CA") >= contradiction_cas


def test_aif_attack_follows_an_opposing_key_point(debate_map):
    doc = aif(debate_map)
    by_id = {n["nodeID"]: n for n in doc["nodes"]}
    hyp_nodes = {a["id"]: nid for nid, a in doc["cruxmap"]["anchors"].items() if a["kind"] in ("hypothesis", "proposition")}
    kp_nodes = {a["id"]: nid for nid, a in doc["cruxmap"]["anchors"].items() if a["kind"] == "key_point"}
    for kp in debate_map.key_points:
        for hid, split in kp.stance_split.items():
            if split.get("oppose", 0) > split.get("support", 0):
                into_ca = {e["toID"] for e in doc["edges"] if e["fromID"] == kp_nodes[kp.id]}
                ca_to_h = [e for e in doc["edges"] if e["fromID"] in into_ca and e["toID"] == hyp_nodes[hid]
                           and by_id[e["fromID"]]["type"] == "CA"]
                assert ca_to_h, (kp.id, hid)
                return
    pytest.fail("fixture has no key point that opposes a hypothesis")


def _statements(text: str) -> dict[str, str]:
    """id → the raw (escaped) text of each statement and argument line."""
    found = {}
    for line in text.splitlines():
        match = re.match(r"^[\[<](?P<id>[^\]>]+)[\]>]: (?P<body>.*?) \{.*\}$", line)
        if match:
            assert match["id"] not in found, f"{match['id']} defined twice"
            found[match["id"]] = match["body"]
    return found


def _unescaped(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)


def test_argdown_keeps_every_claim_and_quote_and_escapes_instead_of_rewriting(debate_map):
    text = argdown(debate_map)
    found = _statements(text)
    assert {c.id for c in debate_map.claims} | {q.id for q in debate_map.quotes} | {h.id for h in debate_map.hypotheses} \
        | {k.id for k in debate_map.key_points} <= set(found)
    for item in [*debate_map.claims, *debate_map.quotes]:
        body = found[item.id]
        assert _unescaped(body) == " ".join(item.text.split())
        assert not re.search(r"(?<!\\)[\[\]<>#@*_{}`]", body.replace("\\\\", "")), body  # nothing unescaped
    for injection in INJECTIONS:
        assert injection not in text
    refs = re.findall(r"^  (?:\+>|->|><) [\[<]([^\]>]+)[\]>]$", text, re.M)
    assert refs and set(refs) <= set(found)
    assert len(re.findall(r"^  >< ", text, re.M)) == len(debate_map.contradictions)


def _argdown_cli() -> str | None:
    import os
    import shutil

    found = os.environ.get("CRUXMAP_ARGDOWN") or shutil.which("argdown")
    if not found and os.environ.get("CRUXMAP_REQUIRE_ARGDOWN") == "1":
        pytest.fail("CRUXMAP_REQUIRE_ARGDOWN=1 but no argdown CLI (npm install @argdown/cli; set CRUXMAP_ARGDOWN)")
    return found


def test_argdown_export_parses_in_the_argdown_cli_and_round_trips(debate_map, tmp_path):
    import subprocess

    cli = _argdown_cli()
    if not cli:
        pytest.skip("the Argdown CLI is not installed (npm install @argdown/cli; .ci/run installs it)")
    source = tmp_path / "map.argdown"
    source.write_text(argdown(debate_map), encoding="utf-8")
    done = subprocess.run([cli, "json", str(source), str(tmp_path / "out")], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "syntax error" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr
    parsed = json.loads((tmp_path / "out" / "map.json").read_text(encoding="utf-8"))
    statements = parsed["statements"]
    for item in [*debate_map.claims, *debate_map.quotes]:
        member = next(m for m in statements[item.id]["members"] if "text" in m)  # its definition, not a reference
        assert member["text"].strip() == " ".join(item.text.split())
        assert (member["data"]["source_id"], member["data"]["start"], member["data"]["end"]) == (
            item.source_id, item.start, item.end)
    kinds = [r["relationType"] for r in parsed["relations"]]
    assert kinds.count("contradictory") == len(debate_map.contradictions)
    assert {"support", "attack"} <= set(kinds)
    assert set(parsed["arguments"]) == {k.id for k in debate_map.key_points}


def test_json_round_trips_and_unknown_format_names_the_choices(debate_map, tmp_path):
    assert DebateMap.model_validate_json(export_map(debate_map, "json")) == debate_map
    path = write_export(debate_map, "csv", tmp_path / "stances.csv")
    assert path.read_text(encoding="utf-8").startswith(",".join(CSV_COLUMNS))
    with pytest.raises(InputError) as err:
        export_map(debate_map, "xml")
    assert all(f in str(err.value) for f in FORMATS)


def test_an_export_into_a_folder_that_does_not_exist_is_refused_and_nothing_is_created(tmp_path):
    from cruxmap.errors import InputError
    from cruxmap.export import write_export
    from cruxmap.model import DebateMap, Question

    target = tmp_path / "no" / "such" / "dir" / "x.csv"
    with pytest.raises(InputError, match="does not exist"):
        write_export(DebateMap(question=Question(question="q?")), "csv", target)
    assert not (tmp_path / "no").exists()


def test_outputs_are_replaced_whole_or_not_at_all(tmp_path, monkeypatch, debate_map):
    """A failure while writing (here: the disk fills mid-file) leaves the previous file intact and no
    temporary file behind; a kill would leave it the same way (one rename replaces the target)."""
    from cruxmap import atomic

    target = tmp_path / "positions.csv"
    target.write_text("previous, valid content\n")
    real_open = open

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def write(self, text):
            self.handle.write(text[:10])
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

    monkeypatch.setattr(atomic, "open", lambda *a, **k: Full(real_open(*a, **k)), raising=False)
    with pytest.raises(InputError, match="cannot write the export"):
        write_export(debate_map, "positions", target)
    assert target.read_text() == "previous, valid content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["positions.csv"]
