"""The Ray engine: a ``run.Run``'s documents through the same per-document stages as in-process, run as a
Ray Data pipeline (``RayExecutor``, picked by ``api.analyze(…, engine="ray")``).

Flow (one driver, a Ray cluster of any size):

1. The driver ingests the inputs and re-uses documents already stored under the same
   pipeline key (content-hash cache, so a killed Ray run resumes like an in-process one);
   new inputs are cleaned there (cleaning is cheap next to the models) by ``run.Batch``, as in-process.
2. Each time a window of new documents has filled (``RayExecutor``'s ``window`` chunks), it goes to
   Ray Data in chunks of ``settings.chunk_size``, one row per
   chunk: the very chunks the in-process engine runs together. Model kernels (oneDNN on
   CPUs with AMX, for one) give results that depend on the batch shape in the last digits,
   so only the same batches give the same numbers. ``map_batches`` runs each chunk through
   :class:`StageActor` — an actor pool whose members build the stages (spaCy, MiniLM,
   stance) once each and run ``Pipeline`` on every chunk. A corpus of fewer than two
   chunks therefore runs on one actor.
3. The driver streams the results back and is the single writer into the store; then the
   ``Run`` does its corpus steps (duplicates, suggested hypotheses, entities, the map, the write)
   exactly as in-process, so both engines write the same map.

Ray is imported only inside this module's functions: ``import cruxmap`` never loads it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time

from .. import stopping
from ..errors import NotInstalled
from ..model import Document, Failure
from ..settings import Settings


def import_ray():
    """``ray`` and ``ray.data``, or NotInstalled with the pip line when the extra is missing."""
    try:
        import ray
        import ray.data  # the Data library is a separate part of the ray[data] extra
    except ImportError as err:
        raise NotInstalled("ray", "ray", "the Ray engine") from err
    return ray


class ActorCache:
    """The part of the store an actor's embedder uses (``get_cached``/``put_cached``), kept in memory.

    Vectors computed on the actor are re-used by its later batches and handed back to the
    driver, which writes them into the real store: the corpus stages on the driver then
    re-use them as the in-process engine re-uses its cache, instead of embedding again.
    """

    def __init__(self):
        self.entries: dict[str, dict[str, bytes]] = {}
        self.fresh: dict[str, dict[str, bytes]] = {}

    def get_cached(self, namespace: str, keys: list[str]) -> dict[str, bytes]:
        known = self.entries.get(namespace, {})
        return {k: known[k] for k in keys if k in known}

    def put_cached(self, namespace: str, items: dict[str, bytes]) -> None:
        self.entries.setdefault(namespace, {}).update(items)
        self.fresh.setdefault(namespace, {}).update(items)

    def take_fresh(self) -> str:
        """The entries added since the last call, as JSON (base64 values), and forget them."""
        fresh, self.fresh = self.fresh, {}
        return json.dumps({ns: {k: base64.b64encode(v).decode() for k, v in items.items()}
                           for ns, items in fresh.items()})


def store_cache_entries(store, payload: str) -> None:
    """Write the cache entries an actor handed back (see ``ActorCache.take_fresh``) into the store."""
    for namespace, items in json.loads(payload or "{}").items():
        if items:
            store.put_cached(namespace, {k: base64.b64decode(v) for k, v in items.items()})


class StageActor:
    """One Ray Data actor: builds the per-document stages once, then runs every batch through them.

    Each row is one chunk of documents (``{"docs": JSON list of Document JSON}``), the same
    chunk the in-process engine would run together; the answer row holds the processed
    documents and, per document, the failures the pipeline recorded for it.
    The actor gets no store (the driver is the only writer), only an :class:`ActorCache`.
    """

    def __init__(self, settings_json: str, question_json: str, strict: bool):
        from ..model import Question
        from ..run import build_stages, make_embedder

        settings = Settings.model_validate_json(settings_json)
        question = Question.model_validate_json(question_json)
        self.cache = ActorCache()
        embedder = make_embedder(settings, self.cache)
        self.stages = build_stages(settings, question, self.cache, embedder)
        self.strict = strict
        self.time_budget = settings.doc_time_budget

    def __call__(self, batch: dict) -> dict:
        from ..pipeline import Pipeline

        out: dict[str, list[str]] = {"docs": [], "failures": [], "timings": [], "cache": []}
        for chunk_json in batch["docs"]:
            docs = [Document.model_validate_json(text) for text in json.loads(str(chunk_json))]
            pipeline = Pipeline(self.stages, strict=self.strict, time_budget=self.time_budget)
            processed = pipeline.run(docs)
            by_path: dict[str, list[dict]] = {}
            for failure in pipeline.failures:
                by_path.setdefault(failure.path, []).append(failure.model_dump(mode="json"))
            out["docs"].append(json.dumps([d.model_dump_json() for d in processed]))
            out["failures"].append(json.dumps([by_path.get(d.source.path, []) for d in processed]))
            out["timings"].append(json.dumps(pipeline.timings))
            out["cache"].append(self.cache.take_fresh())
        return out


def quiet_ray_logging() -> None:
    """Keep Ray's own chatter (start-up notices, Data's execution plans, the C++ core's warnings) off
    the terminal: cruxmap prints its own progress, and Ray keeps its full logs in its session folder
    (``/tmp/ray/session_latest/logs``). ``RAY_BACKEND_LOG_LEVEL`` set by the user wins."""
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def connect(address: str | None = None):
    """Join the cluster at ``address`` ("auto", "ray://host:10001"), re-use a running one, or start a local one.

    Returns ``(ray, started)``; ``started`` says whether this call started Ray (and should shut it down).
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray, False
    quiet_ray_logging()
    kwargs = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
    if address:
        ray.init(address=address, **kwargs)
    else:
        ray.init(**kwargs)
    return ray, True


def run_stages_on_ray(ray, pending: list[Document], settings: Settings, question, strict: bool,
                      concurrency: int | None = None):
    """Yield ``(document, failures, stage_timings, cache_entries)`` for every pending document, processed on the cluster."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    cpus = int(ray.cluster_resources().get("CPU", 1))
    size = max(1, settings.chunk_size)
    chunks = [json.dumps([d.model_dump_json() for d in pending[i:i + size]]) for i in range(0, len(pending), size)]
    actors = concurrency or max(1, min(cpus, len(chunks)))
    dataset = ray.data.from_items([{"docs": c} for c in chunks], override_num_blocks=len(chunks))
    dataset = dataset.map_batches(
        StageActor,
        fn_constructor_kwargs={"settings_json": settings.model_dump_json(),
                               "question_json": question.model_dump_json(), "strict": strict},
        batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
        batch_format="numpy",
    )
    for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
        for docs_json, failures_json, timings_json, cache_json in zip(
                batch["docs"], batch["failures"], batch["timings"], batch["cache"]):
            timings, cache = json.loads(str(timings_json)), str(cache_json)
            for i, (doc_json, doc_failures) in enumerate(zip(json.loads(str(docs_json)),
                                                             json.loads(str(failures_json)))):
                yield (Document.model_validate_json(doc_json), [Failure.model_validate(f) for f in doc_failures],
                       timings if i == 0 else {}, cache if i == 0 else "")


class RayExecutor:
    """The documents of a ``run.Run`` on a Ray cluster (``run.Executor``).

    The driver reads the inputs (``Batch.add`` settles failures, duplicates and stored documents, and
    cleans the new ones) and, each time ``window`` chunks of new documents have filled, sends them to the
    cluster and is the single writer of what comes back (``Batch.settle``), vectors the actors computed
    included. So the driver holds at most one window of cleaned documents, however large the corpus; each
    window starts a fresh actor pool (its models load again, a few seconds per window). A window is a
    whole number of chunks, so every chunk holds the documents it holds in-process; with more than one
    chunk, scores agree with in-process to float noise, since each actor's vectors come from its own
    batches and cache.
    ``address``: None starts (or re-uses) a local Ray; "auto" joins the cluster this machine belongs to;
    "ray://head:10001" connects a Ray Client. ``concurrency``: actors in the pool (default: one per CPU
    of the cluster, at most one per chunk). ``window``: chunks sent together (default 32: 2,048 articles
    at the default ``chunk_size``).
    """

    def __init__(self, settings: Settings, *, address: str | None = None, concurrency: int | None = None,
                 window: int = 32):
        import_ray()  # fail before any work when the extra is missing
        if window < 1:
            raise ValueError(f"window must be at least one chunk, not {window}")
        self.settings, self.address, self.concurrency = settings, address, concurrency
        self.window_size = window * max(1, settings.chunk_size)
        self.record: dict[str, object] = {"engine": "ray"}
        self.ray = None
        self.started_here = False

    def documents(self, batch, inputs, setup, progress, expected: int) -> None:
        timings = batch.timings
        started = time.perf_counter()
        before = sum(timings.values())
        sending = [0.0, 0.0]  # wall seconds spent sending windows, and the timings they added (actors' stage time)
        try:
            for item in inputs:
                stopping.check()  # a Ctrl-C that something on the way swallowed stops the run here
                batch.add(item)  # failures, duplicates and stored documents are settled here
                if batch.pending_full(self.window_size):
                    self.timed_send(batch, setup, progress, expected, sending)
            self.timed_send(batch, setup, progress, expected, sending)
        finally:
            if self.started_here and self.ray is not None:
                self.ray.shutdown()
            self.ray, self.started_here = None, False
        if progress:
            progress("analyse", batch.count, batch.count)
        # reading: the wall time outside the windows, less what the reading steps recorded themselves (clean …)
        reading_steps = sum(timings.values()) - before - sending[1]
        timings["ingest"] = time.perf_counter() - started - sending[0] - reading_steps

    def timed_send(self, batch, setup, progress, expected: int, sending: list[float]) -> None:
        t0, recorded = time.perf_counter(), sum(batch.timings.values())
        self.send(batch, setup, progress, expected)
        sending[0] += time.perf_counter() - t0
        sending[1] += sum(batch.timings.values()) - recorded

    def send(self, batch, setup, progress, expected: int) -> None:
        """Run the pending window on the cluster (started or joined on first use) and settle what comes back."""
        if not batch.pending:
            return
        timings = batch.timings
        if self.ray is None:
            t0 = time.perf_counter()
            self.ray, self.started_here = connect(self.address)
            timings["ray_init"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        pending = batch.take_pending()
        for doc, doc_failures, stage_timings, cache_entries in run_stages_on_ray(
                self.ray, pending, self.settings, setup.question, batch.strict, self.concurrency):
            batch.failures.extend(doc_failures)
            store_cache_entries(batch.store, cache_entries)
            for name, seconds in stage_timings.items():
                timings[name] = timings.get(name, 0.0) + seconds
            batch.settle(doc)  # single writer: only the driver stores
            if progress:
                progress("analyse", len(batch.kept), max(expected, batch.count))
        del pending
        timings["ray"] = timings.get("ray", 0.0) + time.perf_counter() - t0


__all__ = ["ActorCache", "RayExecutor", "StageActor", "connect", "import_ray", "run_stages_on_ray"]
