"""``cruxmap bench speed``: how fast the whole pipeline runs on a real corpus, stage by stage.

Each measurement analyses the first N articles of a corpus into a fresh store (so nothing is
re-used from an earlier run), then embeds the same sentences again with the bare embedder to
give the raw model throughput the pipeline is compared with. Peak RSS is what the pipeline's
processes (main and annotate worker) held at once, sampled from the OS (``TreeMemory``), for the
pipeline alone (before the baseline loads its own copy of the model). The sum of two processes' RSS
counts twice the library pages both map (torch, spaCy): peak PSS, sampled beside it, counts each
shared page once, split between the processes that map it, so it is what the run takes from the
machine's memory.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Self

from ..memory import current_phase
from ..settings import Settings

DEFAULT_CORPUS = "news_article_bias/articles_subset.jsonl"


def _maxrss_mb(who: int) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # macOS bytes, Linux KiB


def peak_rss_mb() -> float:
    """Upper bound on the peak: this process's peak plus its largest finished child's. Too high on
    Linux, where a child started by spawn (fork, then exec) reports as its own peak the parent's
    resident size at the fork; ``TreeMemory`` measures what was resident at once."""
    return _maxrss_mb(resource.RUSAGE_SELF) + _maxrss_mb(resource.RUSAGE_CHILDREN)


def _proc_mb(pid: int, name: str, field: str) -> float:
    """One kB field of ``/proc/PID/NAME`` in MB (0 once the process is gone)."""
    try:
        with open(f"/proc/{pid}/{name}", encoding="ascii") as lines:
            return next((int(line.split()[1]) / 1024 for line in lines if line.startswith(field)), 0.0)
    except OSError:
        return 0.0


def _rss_mb(pid: int) -> float:
    return _proc_mb(pid, "status", "VmRSS:")


def _pss_mb(pid: int) -> float:
    """Proportional set size: resident pages, each shared one divided by the processes mapping it (Linux 4.14+)."""
    return _proc_mb(pid, "smaps_rollup", "Pss:")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(c) for c in handle.read().split()]
    except OSError:
        return []


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _own_children(pid: int) -> list[int]:
    """Children that run a program of their own: between fork and exec a spawned child still has
    its parent's command line and, for a moment, shows all of the parent's pages as resident."""
    parent = _cmdline(pid)
    return [c for c in _children(pid) if _cmdline(c) != parent]


class TreeMemory:
    """The peak of this process's resident memory plus its child processes' (the annotate worker),
    sampled together every ``interval`` seconds from /proc (Linux). The main process's exact peak
    (``ru_maxrss``) is taken too, since a sample can miss a short spike: the peak reported is the
    larger of the two. Elsewhere it falls back to ``peak_rss_mb``."""

    def __init__(self, interval: float = 0.25):
        import os
        import threading

        self.interval = interval
        self.pid = os.getpid()
        self.sampled = 0.0
        self.sampled_pss = 0.0
        self.pss_by_phase: dict[str, float] = {}  # highest PSS sum in each step
        self.by_phase: dict[str, float] = {}  # highest sample in each step of the run (``memory.phase``)
        self.split_by_phase: dict[str, tuple[float, float]] = {}  # (main, children) at that sample
        self.apart_by_phase: dict[str, tuple[float, float]] = {}  # highest main and highest children, each alone
        self.available = Path(f"/proc/{self.pid}/status").exists()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cruxmap-rss", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            step = current_phase()
            main = _rss_mb(self.pid)
            children = _own_children(self.pid)
            total = main + sum(_rss_mb(c) for c in children)
            self.sampled = max(self.sampled, total)
            pss = sum(_pss_mb(p) for p in (self.pid, *children))
            self.sampled_pss = max(self.sampled_pss, pss)
            self.pss_by_phase[step] = max(self.pss_by_phase.get(step, 0.0), pss)
            if total > self.by_phase.get(step, 0.0):
                self.by_phase[step] = total
                self.split_by_phase[step] = (main, total - main)
            main_max, children_max = self.apart_by_phase.get(step, (0.0, 0.0))
            self.apart_by_phase[step] = (max(main_max, main), max(children_max, total - main))
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.available:
            self._stop.set()
            self._thread.join()

    def peak_mb(self) -> float:
        if not self.available:
            return peak_rss_mb()
        return max(self.sampled, _maxrss_mb(resource.RUSAGE_SELF))


def corpus_path(settings: Settings, corpus: str | None) -> Path:
    from ..errors import InputError

    path = Path(corpus) if corpus else Path(settings.data_dir) / DEFAULT_CORPUS
    if not path.exists():
        raise InputError("benchmark corpus not found", path=str(path),
                         fix="pass --corpus PATH or put ../shared/data beside the checkout")
    return path


#: the raw embedding baseline embeds at most this many of the run's sentences (evenly spaced):
#: batches are already full at this size, and a 5,922-article corpus has ~250k sentences
RAW_SAMPLE = 20_000


def raw_embed_rate(settings: Settings, sentences: list[str]) -> float | None:
    """Sentences/s of the embedder alone on the same sentences (no store, no pipeline)."""
    from ..argue.embed import get_embedder

    if not sentences:
        return None
    embedder = get_embedder(settings.embedder)
    embedder.embed(sentences[:64])  # warm-up: weights loaded, kernels chosen
    started = time.perf_counter()
    embedder.embed(sentences)
    return len(sentences) / (time.perf_counter() - started)


def run_sentences(db: str, run_id: str, limit: int = RAW_SAMPLE) -> list[str]:
    """The texts of a run's sentences (an evenly spaced sample of at most ``limit``), read from the store
    one document at a time."""
    from ..store import open_store

    with open_store(db) as store:
        run = next(r for r in store.list_runs() if r.id == run_id)
        key = str(run.options.get("pipeline_key", ""))
        texts: list[str] = []
        for record in run.inputs:
            doc = store.get_document(record.sha256, key)
            if doc is not None:
                texts.extend(s.text for s in doc.sentences)
    if len(texts) > limit:
        step = len(texts) / limit
        texts = [texts[int(i * step)] for i in range(limit)]
    return texts


def measure(settings: Settings, corpus: Path, limit: int, question: str | None = None,
            embed_baseline: bool = True) -> dict:
    """Analyse the first ``limit`` articles of ``corpus`` and return the speed record.

    The run goes through ``api.analyze(…, keep_map=False)`` (documents streamed, no map object built), as
    a large corpus would; peak RSS is read before the raw-embedding baseline runs.
    """
    from .. import api
    from ..ingest import IngestOptions

    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-") as tmp:
        run_settings = settings.model_copy(update={"db": str(Path(tmp) / "bench.db")})
        options = IngestOptions.from_settings(settings, limit=limit)
        started = time.perf_counter()
        with TreeMemory() as memory:
            result = api.analyze([corpus], keep_map=False, settings=run_settings, question=question,
                                 ingest_options=options)
        seconds = time.perf_counter() - started
        peak, main_peak, upper = memory.peak_mb(), _maxrss_mb(resource.RUSAGE_SELF), peak_rss_mb()
        sample = run_sentences(run_settings.db, result.run.id) if embed_baseline else []
    articles = result.counts["sources"]
    sentences = result.counts["sentences"]
    timings = dict(result.run.timings)
    record: dict[str, Any] = {
        "articles": articles,
        "sentences": sentences,
        "claims": result.counts["claims"],
        "failures": len(result.failures),
        "failed_inputs": [{"path": f.path, "stage": f.stage, "error": f.error, "message": f.message}
                          for f in result.failures],
        "seconds": round(seconds, 3),
        "articles_per_s": round(articles / seconds, 3) if seconds else None,
        "sentences_per_s": round(sentences / seconds, 2) if seconds else None,
        "stages": {
            name: {"seconds": round(t, 3), "share": round(t / seconds, 4) if seconds else None,
                   "articles_per_s": round(articles / t, 2) if t else None}
            for name, t in timings.items()
        },
    }
    raw = None
    if sample:
        try:
            raw = raw_embed_rate(settings, sample)
        except ModuleNotFoundError:
            raw = None
    record["embed_raw_sentences_per_s"] = round(raw, 2) if raw else None
    record["embed_raw_sample"] = len(sample)
    record["pipeline_to_raw_ratio"] = (
        round(record["sentences_per_s"] / raw, 4) if raw and record["sentences_per_s"] else None
    )
    record["peak_rss_mb"] = round(peak, 1)
    record["peak_rss_main_mb"] = round(main_peak, 1)  # the main process alone (exact)
    record["peak_rss_upper_mb"] = round(upper, 1)  # main peak + worker's reported peak (counts the fork twice)
    record["peak_rss_by_phase_mb"] = {name: round(mb, 1) for name, mb in memory.by_phase.items()}
    if memory.sampled_pss:  # shared library pages counted once (0 where the kernel has no smaps_rollup)
        record["peak_pss_mb"] = round(memory.sampled_pss, 1)
        record["peak_pss_by_phase_mb"] = {name: round(mb, 1) for name, mb in memory.pss_by_phase.items()}
    record["peak_rss_by_phase_split_mb"] = {name: {"main": round(main, 1), "worker": round(worker, 1)}
                                            for name, (main, worker) in memory.split_by_phase.items()}
    # each process's own highest sample in each step (they need not fall on the same sample)
    record["peak_rss_by_phase_apart_mb"] = {name: {"main": round(main, 1), "worker": round(worker, 1)}
                                            for name, (main, worker) in memory.apart_by_phase.items()}
    return record


def measure_in_subprocess(corpus: Path, limit: int, question: str | None = None, *,
                          config: str | None = None) -> dict:
    """``measure`` in a process of its own (``cruxmap bench speed --limit N``), so that the peak RSS it reports
    belongs to that size alone; ``config`` is the cruxmap.toml the command line was given."""
    import json
    import subprocess

    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        cmd = [sys.executable, "-m", "cruxmap.cli", *(["--config", config] if config else []),
               "bench", "speed", "--limit", str(limit), "--corpus", str(corpus), "--json", tmp.name]
        if question:
            cmd += ["--question", question]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return json.loads(Path(tmp.name).read_text(encoding="utf-8"))


def measure_ray(settings: Settings, corpus: Path, limit: int, question: str | None = None, cpus: int = 2) -> dict:
    """The Ray engine on the same first ``limit`` articles, in a fresh store of its own: its
    articles/s, without and with the start of a local Ray (``ray.init(num_cpus=cpus)``, timed
    apart). Raises ``NotInstalled`` without the ``ray`` extra."""
    from .. import api
    from ..ingest import IngestOptions
    from ..scale.ray_engine import import_ray

    ray = import_ray()
    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-ray-") as tmp:
        run_settings = settings.model_copy(update={"db": str(Path(tmp) / "bench.db")})
        options = IngestOptions.from_settings(settings, limit=limit)
        started = time.perf_counter()
        ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
        init_s = time.perf_counter() - started
        try:
            started = time.perf_counter()
            debate_map = api.analyze([corpus], settings=run_settings, question=question, ingest_options=options,
                                     engine="ray")
            seconds = time.perf_counter() - started
        finally:
            ray.shutdown()
    articles = len(debate_map.sources)
    return {"articles": articles, "cpus": cpus, "seconds": round(seconds, 3), "ray_init_s": round(init_s, 2),
            "articles_per_s": round(articles / seconds, 3) if seconds else None,
            "articles_per_s_with_init": round(articles / (seconds + init_s), 3) if seconds else None}


def engines_side_by_side(in_process: dict, ray: dict) -> dict:
    """Both engines' articles/s on the same articles, and Ray's rate as a share of the in-process one."""
    ratio = (ray["articles_per_s"] / in_process["articles_per_s"]
             if ray.get("articles_per_s") and in_process.get("articles_per_s") else None)
    return {"in_process": {k: in_process[k] for k in ("articles", "seconds", "articles_per_s")},
            "ray": ray, "ray_to_in_process": round(ratio, 3) if ratio else None}
