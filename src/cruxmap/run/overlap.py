"""Annotate the next chunk in a second process while this one embeds the current chunk.

On two cores, spaCy (sentences, entities, then events and quotes) and the embedder (claims,
stance) would otherwise take turns, each leaving the second core idle.
With ``settings.annotate_workers = 1`` a run starts one worker process once its input
fills a second chunk. The worker runs the annotate stages on chunk k+1 while the main
process runs the argue stages on chunk k. The worker returns the documents with their
annotate stages marked done. The main process then runs the same ``Pipeline`` on them,
which skips what is done, so the output is the output of the in-process path with the
same torch threads (a test holds them equal). With a worker the embedder runs one torch
thread (``setup.make_embedder``): two threads fighting the worker for the second core make
the run no faster than no worker at all (``docs/performance.md``). A run that fits in one chunk never
starts the worker (starting it and loading spaCy there costs about two seconds).

The worker is spawned, not forked: the main process already runs torch threads, and a
forked copy of a threaded process can deadlock. A run killed with SIGKILL cannot shut its
worker down, so the worker watches its parent and exits once it is gone (it would otherwise
wait forever, holding its 300-400 MB).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from .. import stopping
from ..model import Document, Failure

_STAGES: list = []
_STRICT = False
_BUDGET: float | None = None


#: seconds between the worker's checks that the process that started it is still there
PARENT_CHECK_SECONDS = 1.0
#: how long one wait for the worker's chunk lasts before a held Ctrl-C may stop it
RESULT_POLL_SECONDS = 0.2


def _exit_with_parent(parent_pid: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent_pid:  # re-parented: the run was killed
            os._exit(1)


def _start_worker(settings_json: str, strict: bool, parent_pid: int | None = None, batches=None) -> None:
    global _STAGES, _STRICT, _BUDGET
    from ..memory import return_large_blocks
    from ..nlp.stages import annotate_stages
    from ..settings import Settings

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this worker
    if parent_pid is not None:
        threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="cruxmap-parent-watch",
                         daemon=True).start()

    settings = Settings.model_validate_json(settings_json)
    return_large_blocks(settings.memory.mmap_threshold)
    _STAGES = annotate_stages(settings)
    _STRICT = strict
    _BUDGET = settings.doc_time_budget
    if batches is not None:  # the main process shares its model batches with this one (``argue/sharing.py``)
        from ..argue.sharing import start_serving

        conn, counters = batches
        start_serving(conn, counters, settings)


def _annotate(docs_json: list[str]) -> tuple[list[str], list[dict], dict[str, float]]:
    from ..argue.sharing import WORKER_ANNOTATING
    from ..memory import release_free_memory
    from ..pipeline import Pipeline

    pipeline = Pipeline(_STAGES, strict=_STRICT, after_stage=release_free_memory, time_budget=_BUDGET)
    WORKER_ANNOTATING.set()  # the helper thread claims no model batch meanwhile: the annotate work comes first
    try:
        processed = pipeline.run([Document.model_validate_json(text) for text in docs_json])
    finally:
        WORKER_ANNOTATING.clear()
    processed.reverse()
    annotated = []
    while processed:  # each document leaves memory as soon as it is written out
        annotated.append(processed.pop().model_dump_json())
    release_free_memory()
    return annotated, [f.model_dump(mode="json") for f in pipeline.failures], pipeline.timings


class AnnotateWorker:
    """One worker process running the annotate stages on chunks submitted to it, in order."""

    def __init__(self, settings, strict: bool):
        context = multiprocessing.get_context("spawn")
        self.helper = None
        batches = None
        if settings.share_model_batches:
            from ..argue.sharing import BatchHelper

            here, there = context.Pipe()
            counters = context.Array("q", 3)
            self.helper = BatchHelper(here, counters, self._alive)
            batches = (there, counters)
        self._worker_end = batches[0] if batches is not None else None
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_worker,
                                         initargs=(settings.model_dump_json(), strict, os.getpid(), batches))

    def _alive(self) -> bool:
        processes = getattr(self._pool, "_processes", None) or {}
        return any(p.is_alive() for p in processes.values())

    def submit(self, docs: list[Document]) -> Future:
        texts = [d.model_dump_json() for d in docs]
        with stopping.deferred():  # Ctrl-C inside the pool's locks would leave one held: the process then hangs at exit
            future = self._pool.submit(_annotate, texts)
        if self._worker_end is not None:  # the worker holds its own copy of its end of the pipe now: once the
            self._worker_end.close()      # worker is gone, a send here fails instead of filling the pipe
            self._worker_end = None
        return future

    @staticmethod
    def result(future: Future) -> tuple[list[Document], list[Failure], dict[str, float]]:
        """The annotated documents, the failures the worker recorded and its stage timings.

        The wait is a series of short ones with Ctrl-C held (``stopping.deferred``): an interrupt stops it within
        ``RESULT_POLL_SECONDS``, between two waits, never inside the future's lock."""
        while True:
            with stopping.deferred():
                try:
                    docs_json, failures, timings = future.result(timeout=RESULT_POLL_SECONDS)
                    break
                except TimeoutError:
                    continue
        docs_json.reverse()
        docs = []
        while docs_json:  # each document's text leaves memory as soon as it is read
            docs.append(Document.model_validate_json(docs_json.pop()))
        return docs, [Failure.model_validate(f) for f in failures], timings

    def close(self) -> None:
        if self.helper is not None:
            self.helper.close()  # the worker's helper thread sees the pipe end and stops
        self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """End the worker now, mid-chunk (Ctrl-C): what it was doing is not stored, what it finished is."""
        with stopping.deferred():  # a second Ctrl-C must not leave the pool's locks held either
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
            self._pool.shutdown(wait=False, cancel_futures=True)
        if self.helper is not None:
            self.helper.close()
