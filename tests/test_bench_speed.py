"""``bench speed``'s memory measure: what the main process and its worker hold at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cruxmap.bench.speed import TreeMemory, _pss_mb, _rss_mb
from cruxmap.memory import current_phase, phase

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")

CHILD = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1.5)"


def test_a_child_processs_memory_counts_while_it_runs():
    before = _rss_mb(os.getpid())
    with TreeMemory(interval=0.05) as memory:
        subprocess.run([sys.executable, "-c", CHILD], check=True)
    assert memory.sampled >= before + 150  # the child's 200 MB, seen beside this process's own


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="PSS needs /proc/PID/smaps_rollup")
def test_pss_counts_a_childs_own_memory_once_and_the_pages_both_processes_map_in_part():
    before = _pss_mb(os.getpid())
    with TreeMemory(interval=0.05) as memory:
        subprocess.run([sys.executable, "-c", CHILD], check=True)
    assert memory.sampled_pss >= before + 150  # the child's own 200 MB
    assert memory.sampled_pss < memory.sampled  # the interpreter's and libc's pages, mapped by both, count once


def test_memory_is_told_apart_by_the_step_of_the_run():
    import time

    import numpy as np

    with TreeMemory(interval=0.02) as memory:
        time.sleep(0.1)
        with phase("map: key points"):
            assert current_phase() == "map: key points"
            block = np.ones(200 * 1024 * 1024 // 8)  # 200 MB, touched
            time.sleep(0.2)
            del block
        assert current_phase() == "chunks"
        time.sleep(0.1)
    assert memory.by_phase["map: key points"] >= memory.by_phase["chunks"] + 150


def test_a_spawned_child_does_not_count_its_parents_memory_twice():
    import multiprocessing

    # the pool reports this process's RSS as its peak
    with TreeMemory(interval=0.05) as memory, multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(len, ("abc",)) == 3
    own = _rss_mb(os.getpid())
    assert memory.sampled < own + 150  # a bare interpreter, not a second copy of this process


def test_the_speed_record_names_each_failed_input_and_its_error(tmp_path, monkeypatch, capsys):
    from types import SimpleNamespace

    from cruxmap import api
    from cruxmap.bench.speed import measure
    from cruxmap.cli.bench import _print_speed
    from cruxmap.model import Failure
    from cruxmap.settings import Settings

    failure = Failure(path="news.jsonl#17", stage="quotes", error="ValueError",
                      message="news.jsonl#17: quotes failed: ValueError: an invented reason")

    def analyze(paths, *, keep_map, settings, question, ingest_options):
        assert keep_map is False  # the documents are streamed, as a large corpus would be
        import time

        time.sleep(0.6)  # the memory sampler takes a few samples (every 0.25 s)
        run = SimpleNamespace(id="run-1", timings={"annotate": 1.0})
        return SimpleNamespace(counts={"sources": 2, "sentences": 10, "claims": 3}, failures=[failure], run=run)

    monkeypatch.setattr(api, "analyze", analyze)
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("", encoding="utf-8")
    record = measure(Settings(db=str(tmp_path / "unused.db")), corpus, 2, embed_baseline=False)
    assert record["failures"] == 1
    assert record["failed_inputs"] == [{"path": "news.jsonl#17", "stage": "quotes", "error": "ValueError",
                                        "message": failure.message}]
    assert set(record["peak_rss_by_phase_apart_mb"]["chunks"]) == {"main", "worker"}
    if Path("/proc/self/smaps_rollup").exists():  # PSS counts a page shared with another process in part only
        assert 0 < record["peak_pss_mb"] <= record["peak_rss_mb"]
        assert set(record["peak_pss_by_phase_mb"]) == set(record["peak_rss_by_phase_mb"])
    _print_speed(record)
    assert "failed: news.jsonl#17 (quotes, ValueError)" in capsys.readouterr().out


def test_each_size_of_a_growth_curve_is_measured_in_a_process_of_its_own(tmp_path, monkeypatch):
    """``bench speed --sizes`` measures each size in a fresh ``bench speed --limit N`` process (so its peak RSS is
    that size's alone) through ``bench.speed.measure_in_subprocess``; the command line only prints."""
    import json

    from typer.testing import CliRunner

    from cruxmap.bench import speed
    from cruxmap.cli import app

    commands = []

    def run(cmd, check, stdout):
        commands.append(cmd)
        limit = int(cmd[cmd.index("--limit") + 1])
        record = {"articles": limit, "sentences": 10 * limit, "seconds": 2.0, "articles_per_s": limit / 2,
                  "sentences_per_s": 5.0 * limit, "peak_rss_mb": 100.0 + limit}
        Path(cmd[cmd.index("--json") + 1]).write_text(json.dumps(record), encoding="utf-8")

    monkeypatch.setattr(subprocess, "run", run)
    corpus, question = tmp_path / "news.jsonl", tmp_path / "q.yaml"
    corpus.write_text("", encoding="utf-8")
    out = tmp_path / "growth.json"
    result = CliRunner().invoke(app, ["bench", "speed", "--sizes", "3,7", "--corpus", str(corpus), "--question",
                                      str(question), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert [c[c.index("--limit") + 1] for c in commands] == ["3", "7"]
    assert all(c[:3] == [sys.executable, "-m", "cruxmap.cli"] and c[c.index("--question") + 1] == str(question)
               for c in commands)
    assert [r["peak_rss_mb"] for r in json.loads(out.read_text(encoding="utf-8"))] == [103.0, 107.0]
    assert speed.measure_in_subprocess(corpus, 4, config="mine.toml")["articles"] == 4
    assert commands[-1][3:5] == ["--config", "mine.toml"] and "--question" not in commands[-1]
