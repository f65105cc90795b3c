"""The map as data: every map.json field is in an SQL table, in SQLite and Postgres alike."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from report_fixture import report_map

from cruxmap.model import (
    AchCell,
    AchRow,
    Camp,
    Claim,
    Contradiction,
    Correction,
    Crux,
    Entity,
    Event,
    Hypothesis,
    KeyPoint,
    Quote,
    RunInfo,
    Sentence,
    Source,
    Stance,
)
from cruxmap.store import open_store
from cruxmap.store.tables import DERIVED, MAP_TABLES, columns

MODELS = {"source_meta": Source, "sentences": Sentence, "entities": Entity, "quotes": Quote, "events": Event,
          "claims": Claim, "hypotheses": Hypothesis, "stances": Stance, "key_points": KeyPoint,
          "contradictions": Contradiction, "ach_rows": AchRow, "ach_cells": AchCell, "cruxes": Crux, "camps": Camp,
          "run_corrections": Correction}
#: fields kept elsewhere: the source text in ``sources.text``, an ACH row's cells in ``ach_cells``
ELSEWHERE = {("source_meta", "text"), ("ach_rows", "cells")}


def test_every_field_of_every_map_model_has_a_column():
    for table, model in MODELS.items():
        fields = {f for _c, f, _t in MAP_TABLES[table][1]}
        missing = {f for f in model.model_fields if (table, f) not in ELSEWHERE} - fields
        assert not missing, f"{model.__name__} fields {missing} have no column in {table}: add a migration"


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    url = str(tmp_path / "tables.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with open_store(url) as opened:
        yield opened


def _listed(m, path: str) -> list:
    if path == "ach.rows":
        return m.ach.rows
    if path == "hypotheses":
        return m.hypotheses or m.question.hypotheses
    return getattr(m, path)


def _decoded(value, kind):
    if kind == "JSON":
        return json.loads(value)
    if kind == "BOOLEAN":
        return None if value is None else bool(value)
    return value


def _dumped(value, kind):
    if kind == "JSON":
        return json.loads(json.dumps(value.model_dump() if hasattr(value, "model_dump") else
                                     [v.model_dump() if hasattr(v, "model_dump") else v for v in value]
                                     if isinstance(value, list) else value))
    return value


def test_the_tables_hold_what_map_json_holds(store):
    m = report_map()
    m.corrections = [Correction(id="corr-0000000000000001", kind="position", source_id=m.sources[0].id,
                                hypothesis_id="H1", hypothesis="h", value="support", when="2026-01-01T00:00:00+00:00")]
    run = RunInfo(id="run-tables0001", created="2026-01-01T00:00:00+00:00", cruxmap_version="test")
    store.save_run(run, m)
    for table, (path, spec) in MAP_TABLES.items():
        if not spec or table == "ach_cells":
            continue
        names = [c for c, _f, _t in spec]
        rows = store._query(store._sql(f"SELECT {', '.join(names)} FROM {table} WHERE run_id = ? ORDER BY position"),
                            (run.id,))
        items = _listed(m, path)
        assert len(rows) == len(items), table
        for row, item in zip(rows, items):
            for value, (_c, field, kind) in zip(row, spec):
                assert _decoded(value, kind) == _dumped(getattr(item, field), kind), (table, field)
    cells = store._query(store._sql("SELECT evidence_id, hypothesis_id, rating, overridden FROM ach_cells "
                                    "WHERE run_id = ? ORDER BY position"), (run.id,))
    assert [(e, h, r, bool(o)) for e, h, r, o in cells] == [
        (row.evidence_id, c.hypothesis_id, c.rating, c.overridden) for row in m.ach.rows for c in row.cells]
    joined = store._query(store._sql("SELECT k.key_point_id, c.text FROM key_point_claims k JOIN claims c "
                                     "ON c.run_id = k.run_id AND c.claim_id = k.claim_id WHERE k.run_id = ? "
                                     "ORDER BY k.position"), (run.id,))
    texts = {c.id: c.text for c in m.claims}
    assert joined == [(kp.id, texts[c]) for kp in m.key_points for c in kp.claim_ids]
    ranking = store._query(store._sql("SELECT hypothesis_id, rank FROM ach_ranking WHERE run_id = ? ORDER BY position"),
                           (run.id,))
    assert ranking == [(r["hypothesis_id"], r["rank"]) for r in m.ach.ranking]
    meta = store._query(store._sql("SELECT question, ach_left_out FROM map_meta WHERE run_id = ?"), (run.id,))
    assert meta == [(m.question.question, m.ach.left_out)]
    store.save_run(run, m)  # saving again replaces, never duplicates
    assert store._query(store._sql("SELECT COUNT(*) FROM claims WHERE run_id = ?"), (run.id,))[0][0] == len(m.claims)


def test_derived_tables_and_columns_exist_in_a_fresh_store(store):
    for table in MAP_TABLES:
        got = store._query(store._sql(f"SELECT * FROM {table} WHERE run_id = ?"), ("none",))
        assert got == []
    if hasattr(store, "path"):  # SQLite: the columns are exactly the declared ones
        with sqlite3.connect(store.path) as conn:
            for table in MAP_TABLES:
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                assert cols == ["run_id", "position", *(c for c, _t in columns(table))], table
    assert set(DERIVED) <= set(MAP_TABLES)


def test_runs_recorded_before_the_tables_existed_are_backfilled(tmp_path):
    from cruxmap.store.migrations.sqlite import MIGRATIONS

    path = tmp_path / "old.db"
    m = report_map()
    with open_store(path) as store:
        store.save_run(RunInfo(id="run-old0000001", created="2026-01-01T00:00:00+00:00", cruxmap_version="0"), m)
    with sqlite3.connect(path) as conn:  # as version 3 of the schema left it: a blob, no tables
        for table in MAP_TABLES:
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE runs DROP COLUMN tables_written")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 4")
    with open_store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store._query("SELECT COUNT(*) FROM claims WHERE run_id = 'run-old0000001'")[0][0] == len(m.claims)
        assert store._query("SELECT tables_written FROM runs")[0][0] == 1


def test_datasette_opens_the_store_and_shows_the_tables(tmp_path):
    datasette = pytest.importorskip("datasette.app", reason="datasette is a test extra: pip install 'cruxmap[test]'")
    import asyncio

    path = tmp_path / "cruxmap.db"
    m = report_map()
    with open_store(path) as store:
        store.save_run(RunInfo(id="run-ds0000001", created="2026-01-01T00:00:00+00:00", cruxmap_version="t"), m)

    async def ask():
        ds = datasette.Datasette([str(path)])
        tables = (await ds.client.get("/cruxmap.json")).json()["tables"]
        claims = (await ds.client.get("/cruxmap/claims.json?_shape=array&_size=max")).json()
        return {t["name"] for t in tables}, claims

    tables, claims = asyncio.run(ask())
    assert set(MAP_TABLES) <= tables
    assert [c["text"] for c in claims] == [c.text for c in m.claims]


@pytest.mark.models
def test_every_field_of_a_real_run_on_the_reference_articles_is_in_the_tables(seeds_dir, settings):
    """The streamed write (documents one at a time) gives the same rows as map.json, field by field."""
    from cruxmap import api

    question = Path(__file__).resolve().parents[1] / "examples" / "nato" / "question.yaml"
    m = api.analyze([seeds_dir], settings=settings, question=question)
    with open_store(settings.db) as store:
        for table, (path, spec) in MAP_TABLES.items():
            if not spec or table == "ach_cells":
                continue
            names = [c for c, _f, _t in spec]
            rows = store._query(f"SELECT {', '.join(names)} FROM {table} WHERE run_id = ? ORDER BY position", (m.run.id,))
            items = _listed(m, path)
            assert len(rows) == len(items), table
            for row, item in zip(rows, items):
                for value, (_c, field, kind) in zip(row, spec):
                    assert _decoded(value, kind) == _dumped(getattr(item, field), kind), (table, field)
        cells = store._query("SELECT COUNT(*) FROM ach_cells WHERE run_id = ?", (m.run.id,))[0][0]
        assert cells == sum(len(r.cells) for r in m.ach.rows)
