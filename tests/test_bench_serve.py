"""`cruxmap bench serve` measures a real server process: every page answers, latency and memory are read."""

from __future__ import annotations

from report_fixture import report_map

from cruxmap.bench.serve_load import MIX, measure_serve
from cruxmap.model import RunInfo
from cruxmap.store import open_store


def test_the_load_bench_serves_every_page_of_a_run_without_errors(settings, tmp_path):
    db = str(tmp_path / "load.db")
    with open_store(db) as store:
        store.save_run(RunInfo(id="run-load0000001", created="2026-01-01T00:00:00+00:00", cruxmap_version="t"),
                       report_map())
    record = measure_serve(settings, None, 0, None, requests=60, concurrency=6, db=db, word="charge")
    assert record["errors"] == 0, record["error_kinds"]
    assert set(record["pages"]) == {name for name, _path, _w in MIX}
    assert sum(p["requests"] for p in record["pages"].values()) == 60
    assert 0 < record["overall"]["p50_ms"] <= record["overall"]["p99_ms"]
    assert record["server_rss_mb"]["peak"] >= record["server_rss_mb"]["started"] > 0
