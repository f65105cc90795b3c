"""Model batches shared with the annotate worker: it computes some of a call's batches while this process
computes the others.

On two cores the main process runs the embedder and the stance cross-encoder on chunk k while the annotate
worker runs spaCy on chunk k+1; the worker's work is the smaller, and its core sat idle for most of a run
(``docs/speed.md``, session 23). With a ``BatchHelper`` in effect (``sharing``), ``shared_batches`` hands one
call's list of batches to both processes at once: this process takes batches from the front, the worker's
helper thread takes them from the back, each claiming the next one under a shared lock, until they meet.
Nothing about a batch changes with who computes it: the same texts, the same model files, the same torch
thread count and kernels, so every vector and probability is bit for bit what one process computes (a test
holds them equal). Only the share each side takes depends on timing, never a result.

The worker builds its own copy of a model the first time a request names it (``serve``): the embedder from
the run's settings, a cross-encoder from its weight file. A request the worker cannot serve (another
embedder backend, a model it failed to build) is answered empty, and this process computes every batch.
"""

from __future__ import annotations

import atexit
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

import numpy as np

from ..memory import release_free_memory

#: a request's model: ("embed", cache namespace, threads) or ("cross", weight file, classes, precision, threads)
Spec = tuple
#: seconds between two checks that the worker is still alive while this process waits for its batches
POLL_SECONDS = 0.2
#: seconds between the worker's checks whether its annotate task has ended, while a request is open
IDLE_POLL_SECONDS = 0.02

_HELPER: ContextVar[BatchHelper | None] = ContextVar("cruxmap_batch_helper", default=None)
#: set in the worker while it annotates a chunk: its helper thread then claims no batch (``serve``)
WORKER_ANNOTATING = threading.Event()


class BatchHelper:
    """This process's side: sends a call's batches to the worker and computes its own share meanwhile.

    ``conn`` is this end of a pipe whose other end the worker's ``serve`` thread reads; ``counters`` a shared
    ``multiprocessing.Array('q', 3)`` holding the request id, the next batch from the front and the end of the
    batches not yet claimed from the back; ``alive`` tells whether the worker process still runs."""

    def __init__(self, conn, counters, alive: Callable[[], bool]):
        self.conn = conn
        self.counters = counters
        self.alive = alive
        self.broken = False
        self.refused: set[Spec] = set()
        self.batches = {"here": 0, "worker": 0}  # how many batches each side computed, for the run record
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, name="cruxmap-batches-send", daemon=True)
        self._sender.start()

    def run(self, spec: Spec, compute: Callable[[Any], np.ndarray], batches: Sequence) -> list[np.ndarray]:
        """Every batch's result, in order; the worker computes the batches it claims from the back."""
        counters = self.counters
        with counters.get_lock():
            counters[0] += 1
            request = counters[0]
            counters[1], counters[2] = 0, len(batches)
        if not self.alive():
            self.broken = True
            return [compute(b) for b in batches]
        self._outbox.put((request, spec, list(batches)))
        results: list[np.ndarray | None] = [None] * len(batches)
        while True:
            with counters.get_lock():
                if counters[1] >= counters[2]:
                    break
                i = counters[1]
                counters[1] += 1
            results[i] = compute(batches[i])
            self.batches["here"] += 1
        with counters.get_lock():
            untouched = counters[2] == len(batches)
            if untouched:  # the worker claimed nothing (still busy building a model): no need to wait for it
                counters[0] += 1  # and it will claim nothing of this request now
        for i, answered in ([] if self.broken or untouched else self._answer(request, spec)):
            results[i] = answered
            self.batches["worker"] += 1
        missing = [i for i, r in enumerate(results) if r is None]  # claimed by a worker that then failed or died
        for i in missing:
            results[i] = compute(batches[i])
            self.batches["here"] += 1
        return results  # type: ignore[return-value]

    def _send_all(self) -> None:
        """The sender thread: requests go out in order, and a large one that fills the pipe while the worker is
        still busy (building a model) holds up only this thread, never the computing one."""
        while True:
            message = self._outbox.get()
            if message is None:
                return
            try:
                self.conn.send(message)
            except (OSError, ValueError):  # the worker is gone: its end of the pipe closed with it
                self.broken = True
                return

    def close(self) -> None:
        """Stop the sender thread and close this end of the pipe: the worker's helper thread then ends."""
        self._outbox.put(None)
        self._sender.join(timeout=5.0)
        self.conn.close()

    def _answer(self, request: int, spec: Spec) -> list[tuple[int, np.ndarray]]:
        """The worker's batches for ``request``; none if it died, refused the model or failed."""
        while True:
            try:
                if self.conn.poll(POLL_SECONDS):
                    got, items, error = self.conn.recv()
                    if got != request:  # an answer to an earlier request this process stopped waiting for
                        continue
                    if error is not None:
                        self.refused.add(spec)
                    return items
            except (EOFError, OSError):
                pass
            else:
                if self.alive():
                    continue
            self.broken = True
            return []


def shared_batches(spec: Spec | None, compute: Callable[[Any], np.ndarray], batches: Sequence) -> Iterator[np.ndarray]:
    """Each batch's result, in order: computed here one at a time, or, with a helper in effect (``sharing``)
    and ``spec`` naming a model the worker can build, by both processes at once."""
    helper = _HELPER.get()
    if helper is None or helper.broken or spec is None or spec in helper.refused or len(batches) < 2:
        return (compute(b) for b in batches)
    return iter(helper.run(spec, compute, batches))


@contextmanager
def sharing(helper: BatchHelper | None) -> Iterator[None]:
    """Model batches computed in this context (this thread) are shared with ``helper``'s worker."""
    token = _HELPER.set(helper)
    try:
        yield
    finally:
        _HELPER.reset(token)


# --- the worker's side -------------------------------------------------------------------------------------

class WorkerModels:
    """The models this worker has built for requests, by what identifies them (not the thread count, which each
    request sets: torch's is one per process)."""

    def __init__(self, settings):
        self.settings = settings
        self.built: dict[tuple, Callable[[Any], np.ndarray]] = {}
        self._embedder: Any = None

    def warm(self) -> None:
        """Build the run's embedder ahead of the first request (while spaCy loads on the worker's other thread)."""
        self.embedder()

    def embedder(self):
        if self._embedder is None:
            from .stages import make_embedder

            self._embedder = make_embedder(self.settings, None)
        return self._embedder

    def for_spec(self, spec: Spec) -> Callable[[Any], np.ndarray] | None:
        """The batch function a request names; ``None`` when this worker cannot build it exactly as the main
        process did (another embedder backend)."""
        import torch

        compute: Callable[[Any], np.ndarray] | None = None
        if spec[0] == "embed":
            embedder = self.embedder()
            if embedder.cache_namespace() != spec[1]:
                return None
            compute = embedder.embed_texts
        elif spec[0] == "cross":
            _, path, classes, precision, _ = spec
            key = ("cross", path, classes, precision)
            if key not in self.built:
                from .cross_encoder import CrossEncoder

                self.built[key] = CrossEncoder(path, classes, threads=spec[-1], precision=precision).batch_probabilities
            compute = self.built[key]
        if compute is not None and torch.get_num_threads() != spec[-1]:
            torch.set_num_threads(spec[-1])
        return compute


def _claim_from_back(counters, request: int) -> int | None:
    """The next batch of ``request`` for the worker, from the back; ``None`` once the two sides have met or the
    request was given up. While the worker annotates it claims nothing and waits (its own work comes first)."""
    while True:
        with counters.get_lock():
            if counters[0] != request or counters[1] >= counters[2]:
                return None
            if not WORKER_ANNOTATING.is_set():
                counters[2] -= 1
                return int(counters[2])
        time.sleep(IDLE_POLL_SECONDS)


def serve(conn, counters, settings, models: WorkerModels | None = None) -> None:
    """The worker's helper thread: answer each request with the batches it claimed from the back and computed.

    Runs beside the worker's annotate task; torch computes outside the GIL, so the two share the worker's core
    with the main process whenever that one waits. Ends when the main process closes its end of the pipe."""
    models = models if models is not None else WorkerModels(settings)
    with suppress(Exception):  # the first request then says what failed, and the main process computes it all
        models.warm()
    while True:
        try:
            request, spec, batches = conn.recv()
        except (EOFError, OSError):
            return
        items: list[tuple[int, np.ndarray]] = []
        error = None
        try:
            model = models.for_spec(spec)
            if model is None:
                error = "not served"
            else:
                while (i := _claim_from_back(counters, request)) is not None:
                    items.append((i, model(batches[i])))
        except Exception as err:  # the main process computes what this one could not
            error = f"{type(err).__name__}: {err}"
        try:
            conn.send((request, items, error))
        except (OSError, ValueError):
            return
        del items, batches
        release_free_memory()  # the batches' activations: the worker's annotate work needs the room next


def start_serving(conn, counters, settings) -> threading.Thread:
    """Start ``serve`` on a daemon thread of this (the annotate worker's) process."""
    thread = threading.Thread(target=serve, args=(conn, counters, settings), name="cruxmap-batches", daemon=True)
    thread.start()
    # at exit, wait for the thread (it ends when the main process closes the pipe): a thread still inside torch
    # while the interpreter shuts down aborts the process
    atexit.register(thread.join, 5.0)
    return thread
