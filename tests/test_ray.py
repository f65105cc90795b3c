"""The Ray engine writes the same map as the in-process engine, and Ray stays optional."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cruxmap.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLACES = ["the ferry pier", "the bike lanes", "the old library", "the school kitchens"]


def write_articles(folder: Path, n: int) -> Path:
    """Short generated opinion pieces that disagree, so claims, stances and camps are non-empty."""
    folder.mkdir(parents=True)
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        verdict = "is worth every cent" if i % 3 else "is a waste of public money"
        (folder / f"piece-{i:03d}.txt").write_text(
            f"Opinion by writer {i}. Spending on {place} {verdict}, Mayor Ana Ruiz said on 4 May 2024. "
            f"The upkeep of {place} has risen by {10 + i} percent since 2020 and will keep rising. "
            f"Residents who use {place} every day disagree with the budget office about who benefits.\n",
            encoding="utf-8")
    return folder


def comparable(debate_map) -> dict:
    """The map without its run block (ids, timings and options legitimately differ between runs)."""
    data = json.loads(debate_map.model_dump_json())
    data.pop("run", None)
    data["failures"] = sorted(data.get("failures", []), key=json.dumps)
    return data


def assert_same_map(got, want, where="map") -> None:
    """Equal maps: every id, label, text and span identical; scores equal up to embedding noise.

    MiniLM vectors move by ~5e-4 with the padding of the batch a text is embedded in, and
    the two engines batch differently (Ray actors have no shared embedding cache), so
    floats are compared with a tolerance far below anything a reader would see.
    """
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=2e-3, abs_tol=0.01), \
            f"{where}: {got} != {want}"
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), f"{where}: keys differ"
        for key in want:
            assert_same_map(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: lengths differ"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same_map(g, w, f"{where}[{i}]")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def test_same_map_comparison_catches_differences():
    base = {"claims": [{"id": "c1", "text": "x", "score": 0.5}]}
    assert_same_map(json.loads(json.dumps(base)), base)
    for changed in ({"claims": [{"id": "c2", "text": "x", "score": 0.5}]},
                    {"claims": [{"id": "c1", "text": "x", "score": 0.7}]},
                    {"claims": []}):
        with pytest.raises(AssertionError):
            assert_same_map(changed, base)


def test_cruxmap_and_api_do_not_import_ray():
    code = "import sys, cruxmap, cruxmap.api, cruxmap.scale; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_ray_is_not_installed_error(monkeypatch):
    from cruxmap import api
    from cruxmap.errors import NotInstalled

    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` raise ImportError
    with pytest.raises(NotInstalled, match="cruxmap\\[ray\\]"):
        api.analyze(["nowhere"], settings=Settings(db=":memory:"), engine="ray")


#: map parts computed from MiniLM vectors of whole batches (stance, clustering, ACH): they move
#: when the batching moves, see test_full_map_identical_needs_batch_invariant_embeddings
EMBEDDING_DEPENDENT = ("stances", "key_points", "contradictions", "ach", "cruxes", "camps")


def without_embedding_layers(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in EMBEDDING_DEPENDENT}


@pytest.fixture(scope="module")
def both_maps(tmp_path_factory):
    """The in-process map, a Ray map from a fresh store, and a Ray re-run that finds every document stored."""
    ray = pytest.importorskip("ray", reason="the Ray engine needs `pip install 'cruxmap[ray]'`")
    pytest.importorskip("ray.data", reason="the Ray engine needs ray[data]")
    from cruxmap import api

    tmp_path = tmp_path_factory.mktemp("ray")
    paths = [write_articles(tmp_path / "generated", 12), EXAMPLES / "corpus"]
    question = EXAMPLES / "question.yaml"
    local = api.analyze(paths, tmp_path / "out-local", question=question,
                        settings=Settings(db=str(tmp_path / "local.db")))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        db = tmp_path / "ray.db"
        on_ray = api.analyze(paths, tmp_path / "out-ray", question=question, settings=Settings(db=str(db)),
                             engine="ray")
        again = api.analyze(paths, None, question=question, settings=Settings(db=str(db)), engine="ray")
        windowed = windowed_run(paths, question, tmp_path)
    finally:
        ray.shutdown()
    return local, on_ray, again, tmp_path, windowed


def windowed_run(paths, question, tmp_path):
    """A Ray run in windows of one 4-article chunk: the cluster gets work while the inputs are still read."""
    from cruxmap import api
    from cruxmap.run import Run, RunOptions
    from cruxmap.scale.ray_engine import RayExecutor

    class Windows(RayExecutor):
        def __init__(self, settings):
            super().__init__(settings, window=1)
            self.sent: list[int] = []  # the size of each window, and how many inputs had been read by then

        def send(self, batch, setup, progress, expected):
            if batch.pending:
                self.sent.append(len(batch.pending))
            super().send(batch, setup, progress, expected)

    settings = Settings(db=str(tmp_path / "windows.db"), chunk_size=4)
    executor = Windows(settings)
    with api.open_store(settings) as store:
        summary = Run(store, settings, api.load_question_file(question),
                      RunOptions(paths=paths, keep_map=True)).execute(executor)
    in_process = api.analyze(paths, question=question,  # the same chunks in this process
                             settings=settings.model_copy(update={"db": str(tmp_path / "chunks-of-4.db")}))
    return summary.debate_map, executor.sent, in_process


@pytest.mark.models
def test_ray_map_matches_in_process_map(both_maps):
    local, on_ray, _, tmp_path, _ = both_maps
    assert len(local.sources) >= 12 and local.claims and local.stances
    assert (tmp_path / "out-ray" / "map.json").is_file()
    assert on_ray.run.reused == 0 and "ray" in on_ray.run.timings
    assert_same_map(without_embedding_layers(comparable(on_ray)), without_embedding_layers(comparable(local)))
    assert len(on_ray.stances) == len(local.stances)
    assert [s.hypothesis_id for s in on_ray.stances] == [s.hypothesis_id for s in local.stances]


@pytest.mark.models
def test_ray_rerun_resumes_from_the_store(both_maps):
    _, on_ray, again, _, _ = both_maps
    duplicates = sum(1 for f in again.failures if f.error == "exact-duplicate")
    assert again.run.reused == len(again.run.inputs) - duplicates  # every document came from the store
    assert "ray" not in again.run.timings  # nothing was left to send to the cluster
    assert comparable(again) == comparable(on_ray)


@pytest.mark.models
def test_full_map_identical_to_the_in_process_engine(both_maps):
    """Embeddings are batched by token length (no padding), so batching differences change nothing."""
    local, on_ray, _, _, _ = both_maps
    assert comparable(on_ray) == comparable(local)


@pytest.mark.models
def test_ray_sends_windows_as_they_fill_and_gives_the_same_map(both_maps):
    _, _, _, _, (windowed, sent, in_process) = both_maps
    assert len(sent) >= 4 and set(sent[:-1]) == {4} and 1 <= sent[-1] <= 4  # never the whole corpus at once
    assert sum(sent) == len(windowed.sources)  # every new article went in exactly one window
    timings = windowed.run.timings
    assert 0 <= timings["ingest"] < timings["ray"]  # reading is what the windows left, not less than nothing
    # each window's actors start with empty caches, so vectors come from other batches than in-process:
    # scores agree to float noise (the 4th decimal), as for any run of more than one chunk
    assert_same_map(without_embedding_layers(comparable(windowed)), without_embedding_layers(comparable(in_process)))
    assert [(s.target_id, s.hypothesis_id) for s in windowed.stances] == \
        [(s.target_id, s.hypothesis_id) for s in in_process.stances]


def test_actor_cache_hands_fresh_vectors_to_the_driver_store():
    from cruxmap.scale.ray_engine import ActorCache, store_cache_entries
    from cruxmap.store import open_store

    cache = ActorCache()
    cache.put_cached("emb:test", {"k1": b"\x00\x01", "k2": b"\xff"})
    assert cache.get_cached("emb:test", ["k1", "missing"]) == {"k1": b"\x00\x01"}
    payload = cache.take_fresh()
    assert json.loads(cache.take_fresh()) == {}  # handed over once
    with open_store(":memory:") as store:
        store_cache_entries(store, payload)
        assert store.get_cached("emb:test", ["k1", "k2"]) == {"k1": b"\x00\x01", "k2": b"\xff"}


def test_engines_side_by_side_gives_rays_rate_as_a_share_of_in_process():
    from cruxmap.bench.speed import engines_side_by_side

    local = {"articles": 100, "seconds": 20.0, "articles_per_s": 5.0, "stages": {}}
    ray = {"articles": 100, "cpus": 2, "seconds": 25.0, "ray_init_s": 4.0, "articles_per_s": 4.0,
           "articles_per_s_with_init": 3.448}
    both = engines_side_by_side(local, ray)
    assert both["in_process"] == {"articles": 100, "seconds": 20.0, "articles_per_s": 5.0}
    assert both["ray"] is ray and both["ray_to_in_process"] == 0.8
    assert engines_side_by_side(local, {**ray, "articles_per_s": None})["ray_to_in_process"] is None


@pytest.mark.models
def test_bench_speed_runs_both_engines_on_the_same_articles(tmp_path):
    pytest.importorskip("ray", reason="the Ray engine needs `pip install 'cruxmap[ray]'`")
    pytest.importorskip("ray.data", reason="the Ray engine needs ray[data]")
    corpus = write_articles(tmp_path / "generated", 6)
    out = tmp_path / "speed.json"
    # a process of its own: Ray started again soon after a shutdown in the same process may time out
    result = subprocess.run([sys.executable, "-m", "cruxmap.cli", "bench", "speed", "--corpus", str(corpus),
                             "--limit", "6", "--ray", "--json", str(out)], check=False, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "CRUXMAP_DB": str(tmp_path / "unused.db")})
    assert result.returncode == 0, result.stdout + result.stderr
    engines = json.loads(out.read_text())["engines"]
    assert engines["in_process"]["articles"] == engines["ray"]["articles"] == 6
    assert engines["ray"]["articles_per_s"] > 0 and engines["ray_to_in_process"] > 0
    assert "engines side by side" in result.stdout


def test_bench_speed_ray_refuses_sizes():
    from typer.testing import CliRunner

    from cruxmap.cli import app
    from cruxmap.errors import ConfigError

    result = CliRunner().invoke(app, ["bench", "speed", "--sizes", "10,20", "--ray"])
    assert isinstance(result.exception, ConfigError) and "--limit" in str(result.exception.fix)


@pytest.mark.models
def test_ray_engine_on_the_command_line_shows_progress_not_rays_own_logging(tmp_path):
    """Ray used to print its start-up notices, Data's execution plan and a C++ warning (7-14 lines on a
    handful of articles) and no progress at all; now the same progress lines as in-process, and Ray's
    logs stay in its session folder."""
    pytest.importorskip("ray", reason="the Ray engine needs `pip install 'cruxmap[ray]'`")
    pytest.importorskip("ray.data", reason="the Ray engine needs ray[data]")
    corpus = write_articles(tmp_path / "generated", 5)
    env = {k: v for k, v in os.environ.items() if k != "RAY_BACKEND_LOG_LEVEL"}
    result = subprocess.run([sys.executable, "-m", "cruxmap.cli", "--db", str(tmp_path / "db.sqlite"), "analyze",
                             str(corpus), "--engine", "ray", "--out", str(tmp_path / "out")],
                            check=False, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("cruxmap [")]
    others = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("cruxmap [")]
    assert any("analyse 0 of about 5 articles" in line for line in progress)
    assert any("analyse 5 of about 5 articles" in line for line in progress)
    assert any("map: key points" in line for line in progress)
    assert not [line for line in others if "RAY_BACKEND_LOG_LEVEL" not in line], others  # Ray's own notices
    assert "5 sources" in result.stdout


@pytest.fixture
def two_node_cluster(monkeypatch):
    """A head and a second node on this machine, one CPU each (Ray's own ``cluster_utils.Cluster``, which
    starts and stops only its own processes); yields the address a driver joins."""
    pytest.importorskip("ray", reason="the Ray engine needs `pip install 'cruxmap[ray]'`")
    from ray.cluster_utils import Cluster

    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")  # a throwaway cluster on loopback
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "resources": {"node_a": 1},
                                                            "include_dashboard": False})
    try:
        cluster.add_node(num_cpus=1, resources={"node_b": 1})
        cluster.wait_for_nodes()
        assert len(cluster.list_all_nodes()) == 2
        yield cluster.address
    finally:
        cluster.shutdown()


@pytest.mark.models
def test_the_ray_engine_on_a_two_node_cluster_gives_the_in_process_map(two_node_cluster, tmp_path):
    """Across machines a driver joins a running cluster by address (here both nodes are on this machine);
    the driver is the command line, in its own process, as a user runs it."""
    from cruxmap import api
    from cruxmap.model import DebateMap

    paths = [write_articles(tmp_path / "generated", 8)]
    question = EXAMPLES / "question.yaml"
    local = api.analyze(paths, tmp_path / "out-local", question=question,
                        settings=Settings(db=str(tmp_path / "local.db")))
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    run = subprocess.run([str(Path(sys.executable).with_name("cruxmap")), "--db", str(tmp_path / "cluster.db"), "analyze",
                          *map(str, paths), "--question", str(question), "--out", str(tmp_path / "out-cluster"),
                          "--engine", "ray", "--address", two_node_cluster],
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    on_cluster = DebateMap.model_validate_json((tmp_path / "out-cluster" / "map.json").read_text(encoding="utf-8"))
    assert on_cluster.run.reused == 0 and "ray" in on_cluster.run.timings
    assert_same_map(comparable(on_cluster), comparable(local))
