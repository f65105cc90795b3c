"""``cruxmap bench serve``: how the web UI holds up under many readers at once.

Analyses ``limit`` articles into a throw-away store (or uses ``--db`` and its newest run), starts
``cruxmap serve`` in its own process on a free loopback port, and sends ``requests`` GETs at
``concurrency`` in flight from this process, spread over what readers open: the runs list, a run's
page (the report), its JSON record, its map, search and the Correct page. Latency is from sending
the request to the last byte of the answer. Each page is opened once first (the first reader reads the
map from the store and renders the report: ``first_answer_ms``); the load then gives p50, p95 and p99
per page and overall, the error count, the rate, and the server's memory at the start, once warm and
at its peak (``growth`` is peak minus warm: what many readers at once cost beyond the caches). The
server is one uvicorn process, as ``cruxmap serve`` runs it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..settings import Settings

#: the pages a reader opens, and how often (weights of the mix)
MIX = (("runs list", "/", 2), ("run page", "/runs/{run}", 4), ("run record", "/api/runs/{run}", 2),
       ("map.json", "/api/runs/{run}/map", 1), ("search", "/api/search?q={word}", 2),
       ("correct page", "/runs/{run}/correct", 1))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(latencies: list[float]) -> dict:
    return {"requests": len(latencies), "p50_ms": round(1000 * statistics.median(latencies), 1),
            "p95_ms": round(1000 * _percentile(latencies, 0.95), 1),
            "p99_ms": round(1000 * _percentile(latencies, 0.99), 1)}


async def _load(base: str, paths: list[tuple[str, str]], concurrency: int) -> tuple[dict, dict, float]:
    import httpx

    latencies: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    queue = list(paths)
    started = time.perf_counter()

    async def worker(client: httpx.AsyncClient) -> None:
        while queue:
            name, path = queue.pop()
            t0 = time.perf_counter()
            try:
                response = await client.get(base + path)
                await response.aread()
                problem = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as err:
                problem = type(err).__name__
            latencies.setdefault(name, []).append(time.perf_counter() - t0)
            if problem:
                errors.setdefault(name, []).append(problem)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def measure_serve(settings: Settings, corpus: Path | None, limit: int, question: str | None, requests: int,
                  concurrency: int, db: str | None = None, word: str = "nuclear") -> dict:
    from .. import api
    from ..ingest import IngestOptions
    from ..store import open_store

    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-") as tmp:
        if db is None:
            if corpus is None:
                raise ValueError("measure_serve needs a corpus to analyse, or the db of a run")
            db = str(Path(tmp) / "bench.db")
            run_settings = settings.model_copy(update={"db": db})
            options = IngestOptions.from_settings(settings, limit=limit)
            api.analyze([corpus], keep_map=False, settings=run_settings, question=question, ingest_options=options)
        with open_store(db) as store:
            run = store.list_runs()[0]
            articles = len(store.load_map(run.id).sources)
        port = _free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen([sys.executable, "-m", "cruxmap.cli", "--db", db, "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_up(base)
            rss_start = _rss_mb(server.pid, "VmRSS")
            cold = _warm_up(base, [(name, path.format(run=run.id, word=word)) for name, path, _w in MIX])
            rss_warm = _rss_mb(server.pid, "VmRSS")
            weights = [w for _n, _p, w in MIX]
            paths = []
            for n in range(requests):
                name, path, _w = MIX[_pick(n, weights)]
                paths.append((name, path.format(run=run.id, word=word)))
            latencies, errors, seconds = asyncio.run(_load(base, paths, concurrency))
            rss_peak, rss_end = _rss_mb(server.pid, "VmHWM"), _rss_mb(server.pid, "VmRSS")
        finally:
            server.terminate()
            server.wait(timeout=30)
    everything = [x for values in latencies.values() for x in values]
    return {"articles": articles, "run_id": run.id, "requests": requests, "concurrency": concurrency,
            "errors": sum(len(v) for v in errors.values()),
            "error_kinds": {name: sorted(set(v)) for name, v in errors.items()}, "seconds": round(seconds, 2), "requests_per_s": round(requests / seconds, 1),
            "first_answer_ms": cold,
            "server_rss_mb": {"started": rss_start, "warm": rss_warm, "peak": rss_peak, "end": rss_end,
                              "growth": round(rss_peak - rss_warm, 1)},
            "overall": _summary(everything),
            "pages": {name: _summary(values) for name, values in sorted(latencies.items())}}


def _warm_up(base: str, pages: list[tuple[str, str]]) -> dict[str, float]:
    """Open each page once, one after another, as the first reader does: how long each first answer takes
    (the map is read from the store and the report rendered then); the load that follows is warm."""
    import httpx

    out = {}
    with httpx.Client(timeout=300) as client:
        for name, path in pages:
            t0 = time.perf_counter()
            client.get(base + path)
            out[name] = round(1000 * (time.perf_counter() - t0), 1)
    return out


def _rss_mb(pid: int, field: str) -> float:
    """The server process's resident memory (``VmRSS``) or its peak (``VmHWM``), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _pick(n: int, weights: list[int]) -> int:
    """The page for request ``n``: the mix, spread evenly (deterministic, so runs compare)."""
    slot = n % sum(weights)
    for i, w in enumerate(weights):
        if slot < w:
            return i
        slot -= w
    return len(weights) - 1


def _wait_up(base: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(base + "/api/runs", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start within a minute")
