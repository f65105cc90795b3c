"""A run killed with SIGKILL part-way resumes from the store and ends with the same map."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

TOPICS = ["the tram line", "the harbour wall", "the night buses", "the market hall", "the river path"]


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
        return [int(c) for c in handle.read().split()]


def alive(pid: int) -> bool:
    """Running (a zombie that nobody reaped has exited)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        side = "should be funded" if i % 2 else "should not be funded"
        (folder / f"article-{i:04d}.txt").write_text(
            f"Councillor number {i} argued in March 2023 that {topic} {side}. "
            f"The council must decide by June because the grant expires then. "
            f"Critics say the cost of {topic} has doubled since 2019, and residents disagree about who gains.\n",
            encoding="utf-8")


def stored_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def comparable(map_path: Path) -> dict:
    data = json.loads(map_path.read_text())
    data.pop("run")
    return data


@pytest.mark.models
def test_sigkill_then_rerun_gives_the_uninterrupted_map(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120)
    env = {**os.environ, "CRUXMAP_CHUNK_SIZE": "8"}
    cli = [sys.executable, "-m", "cruxmap.cli"]

    killed_db = tmp_path / "killed.db"
    proc = subprocess.Popen([*cli, "--db", str(killed_db), "analyze", str(corpus), "--out", str(tmp_path / "k")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while stored_documents(killed_db) < 16 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; make the corpus larger"
    workers = children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert workers, "the killed run had started no annotate worker"
    wait_until = time.monotonic() + 15
    while any(alive(w) for w in workers) and time.monotonic() < wait_until:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers), "the annotate worker outlived the killed run"
    done_before = stored_documents(killed_db)
    assert 0 < done_before < 120
    assert not (tmp_path / "k" / "map.json").exists()

    resumed = subprocess.run([*cli, "--db", str(killed_db), "analyze", str(corpus), "--out", str(tmp_path / "k")],
                             env=env, check=False, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    run = json.loads((tmp_path / "k" / "map.json").read_text())["run"]
    assert run["reused"] >= done_before

    whole = subprocess.run([*cli, "--db", str(tmp_path / "whole.db"), "analyze", str(corpus),
                            "--out", str(tmp_path / "w")], env=env, check=False, capture_output=True, text=True, timeout=600)
    assert whole.returncode == 0, whole.stderr
    assert comparable(tmp_path / "k" / "map.json") == comparable(tmp_path / "w" / "map.json")
    assert stored_documents(killed_db) == 120  # no duplicated rows
    with sqlite3.connect(killed_db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 120
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1


@pytest.mark.models
def test_ctrl_c_stops_at_once_says_how_to_go_on_and_leaves_no_worker(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120)
    env = {**os.environ, "CRUXMAP_CHUNK_SIZE": "8"}
    db = tmp_path / "stopped.db"
    cli = [sys.executable, "-m", "cruxmap.cli", "--db", str(db), "analyze", str(corpus)]
    proc = subprocess.Popen(cli, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while stored_documents(db) < 16 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be stopped; make the corpus larger"
    workers = children(proc.pid)
    stopped_at = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert time.monotonic() - stopped_at < 15  # it does not wait for the chunk in the worker
    assert proc.returncode == 130, err
    assert "stopped" in err and "run the same command" in err and "Traceback" not in err
    assert "of about 120 articles" in err and " left)" in err  # progress off a terminal gives the ETA
    wait_until = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < wait_until:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers), "the annotate worker outlived Ctrl-C"
    kept = stored_documents(db)
    assert kept >= 16
    again = subprocess.run([*cli, "--limit", "20"], env=env, check=False, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "re-used from the store" in again.stdout
