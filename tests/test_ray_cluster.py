"""The Ray engine on a real two-node cluster: ``ray start --head`` and a second ``ray start --address``
on this machine, each node with one CPU and a resource of its own, and ``cruxmap analyze --engine ray
--address`` run against it as a user would. The map must be the in-process engine's.

Two actors of one CPU each on two one-CPU nodes can only be placed one per node, so a run that
finishes has sent chunks to both. The cluster runs with token authentication (its own random token,
the default for clusters started by ``ray start`` from Ray 2.59), so the driver is a separate process
with the token in its environment.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from test_ray import EXAMPLES, assert_same_map, comparable, write_articles

from cruxmap import api
from cruxmap.model import DebateMap
from cruxmap.settings import Settings

BIN = Path(sys.executable).parent
START_TIMEOUT = 90  # seconds for a node to come up on a loaded 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """End a ``ray start --block`` node and everything it started: its process group is asked, then told
    (the node's GCS server can outlive the ``ray start`` process that started it)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def _alive_nodes(address: str, env: dict) -> int:
    probe = (f"import ray; ray.init(address={address!r}, log_to_driver=False, logging_level='ERROR'); "
             "print(sum(1 for n in ray.nodes() if n['Alive']), int(ray.cluster_resources().get('CPU', 0)))")
    out = subprocess.run([sys.executable, "-c", probe], check=False, env=env, capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        return 0
    nodes, cpus = out.stdout.split()[-2:]
    return int(nodes) if int(cpus) == int(nodes) else 0


@pytest.fixture(scope="module")
def two_node_cluster():
    pytest.importorskip("ray", reason="the Ray engine needs `pip install 'cruxmap[ray]'`")
    pytest.importorskip("ray.data", reason="the Ray engine needs ray[data]")
    ray_cli = BIN / "ray"
    if not ray_cli.is_file():
        pytest.skip(f"no `ray` command beside {sys.executable}")
    # a short folder: Ray's socket paths under it must stay within the 107 characters a socket allows
    temp = Path(tempfile.mkdtemp(prefix="crx-ray-", dir="/tmp"))
    port = _free_port()
    address = f"127.0.0.1:{port}"
    env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
           "RAY_USAGE_STATS_ENABLED": "0", "RAY_BACKEND_LOG_LEVEL": "error"}
    common = ["--block", "--num-cpus=1", "--num-gpus=0", "--object-store-memory=200000000", "--disable-usage-stats"]
    nodes: list[subprocess.Popen] = []
    try:
        with open(temp / "head.log", "wb") as log:
            nodes.append(subprocess.Popen(
                [str(ray_cli), "start", "--head", f"--port={port}", "--include-dashboard=false",
                 f"--temp-dir={temp / 'r'}", '--resources={"first_node": 1}', *common],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + START_TIMEOUT
        while _alive_nodes(address, env) < 1:
            assert nodes[0].poll() is None, (temp / "head.log").read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "the head node did not come up"
            time.sleep(2)
        with open(temp / "second.log", "wb") as log:
            nodes.append(subprocess.Popen(
                [str(ray_cli), "start", f"--address={address}", '--resources={"second_node": 1}', *common],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        while _alive_nodes(address, env) < 2:
            assert nodes[1].poll() is None, (temp / "second.log").read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline + START_TIMEOUT, "the second node did not join"
            time.sleep(2)
        yield address, env
    finally:
        for node in reversed(nodes):
            _stop(node)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.models
def test_a_two_node_cluster_gives_the_in_process_map(two_node_cluster, tmp_path):
    address, env = two_node_cluster
    paths = [write_articles(tmp_path / "generated", 12), EXAMPLES / "corpus"]
    question = EXAMPLES / "question.yaml"
    local = api.analyze(paths, tmp_path / "out-local", question=question,
                        settings=Settings(db=str(tmp_path / "local.db"), chunk_size=4))
    # chunks of 4 articles: 5 chunks, so the pool takes one actor per CPU of the cluster (2)
    run = subprocess.run(
        [str(BIN / "cruxmap"), "analyze", *map(str, paths), "--question", str(question), "--out",
         str(tmp_path / "out-ray"), "--engine", "ray", "--address", address], check=False,
        env={**env, "CRUXMAP_CHUNK_SIZE": "4", "CRUXMAP_DB": str(tmp_path / "ray.db")},
        capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    on_ray = DebateMap.model_validate_json((tmp_path / "out-ray" / "map.json").read_text(encoding="utf-8"))
    assert "ray" in on_ray.run.timings and on_ray.run.reused == 0
    assert len(on_ray.sources) == len(local.sources) >= 12 and on_ray.claims and on_ray.stances
    assert_same_map(comparable(on_ray), comparable(local))
    assert json.loads(on_ray.model_dump_json(include={"key_points"})) == json.loads(
        local.model_dump_json(include={"key_points"}))
