"""Where a run's documents go through the stages: an executor.

An executor takes the run's ``Batch`` and its inputs, feeds every input to ``Batch.add`` and
hands each new document back through ``Batch.settle`` once it went through the stages. It
decides nothing else: the set-up, the corpus steps and the write are the ``Run``'s. Two exist:
``InProcessExecutor`` (here, with an annotate worker process alongside, ``overlap.py``) and
``scale.ray_engine.RayExecutor`` (the stages on Ray actors, the driver the only writer).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Protocol

from .. import stopping
from ..memory import release_free_memory
from ..model import Document
from ..pipeline import Pipeline
from ..settings import Settings
from .batch import Batch
from .setup import RunSetup

if TYPE_CHECKING:
    from .overlap import AnnotateWorker

#: called as progress(stage_name, done, total)
Progress = Callable[[str, int, int], None]


class Executor(Protocol):
    """Runs the per-document stages of a run's documents, wherever they run."""

    #: what the run record's options add for this executor ({} in-process, {"engine": "ray"})
    record: dict[str, object]

    def documents(self, batch: Batch, inputs: Iterable, setup: RunSetup, progress: Progress | None,
                  expected: int) -> None:
        """Give every item of ``inputs`` to ``batch.add`` and every new document, through ``setup.stages``,
        to ``batch.settle``; add the time spent to ``batch.timings`` (``ingest`` for reading) and call
        ``progress("analyse", done, total)`` as documents finish (``expected``: the inputs counted ahead)."""


class InProcessExecutor:
    """The stages in this process, chunk by chunk (``settings.chunk_size``), each chunk stored when done.

    With ``settings.annotate_workers`` a worker process annotates the next chunk while this one runs
    the argue stages on the chunk before (``overlap.py``); a run that fits in one chunk never starts it.
    """

    def __init__(self, settings: Settings):
        self.record: dict[str, object] = {}
        self.chunk_size = settings.chunk_size
        self.time_budget = settings.doc_time_budget
        self.worker_settings = settings if settings.annotate_workers else None
        self.worker: AnnotateWorker | None = None
        self.in_flight: tuple[Future, list[Document]] | None = None
        self.worker_timings: dict[str, float] = {}

    def documents(self, batch: Batch, inputs: Iterable, setup: RunSetup, progress: Progress | None,
                  expected: int) -> None:
        started = time.perf_counter()
        try:
            for item in inputs:
                stopping.check()  # a Ctrl-C that something on the way swallowed stops the run here
                batch.add(item)
                if batch.pending_full(self.chunk_size):
                    self.process(batch)  # each chunk is stored as soon as it is done: a killed run resumes here
                    if progress:
                        progress("analyse", batch.count, max(expected, batch.count))
            self.process(batch, final=True)
            if progress:
                progress("analyse", batch.count, batch.count)  # the last chunk, often smaller, is done too
        except KeyboardInterrupt:
            self.stop()  # Ctrl-C: the worker ends now; every chunk already stored is kept for the re-run
            raise
        finally:
            self.close()
        timings = batch.timings
        timings["ingest"] = time.perf_counter() - started - sum(timings.values())
        for name, seconds in self.worker_timings.items():  # stage time spent in the annotate worker
            timings[name] = timings.get(name, 0.0) + seconds

    def process(self, batch: Batch, final: bool = False) -> None:
        """Run the stages on the pending chunk, store the documents that finished them all, keep slim records.

        With an annotate worker, the pending chunk goes to the worker and the chunk it annotated
        before is finished here meanwhile; ``final`` drains the worker. Without one (or when the
        whole input fits in the final chunk) everything runs here.
        """
        from concurrent.futures.process import BrokenProcessPool

        from .overlap import AnnotateWorker

        if self.worker_settings is not None and self.worker is None and not final:
            self.worker = AnnotateWorker(self.worker_settings, batch.strict)
        submitted = None
        if self.worker_settings is not None and self.worker is not None and batch.pending:
            try:
                submitted = (self.worker.submit(batch.pending), batch.pending)
                batch.take_pending()
            except BrokenProcessPool:
                self.worker_settings = None
        if self.in_flight is not None:  # the chunk before this one, annotated meanwhile
            self.collect(batch, *self.in_flight)
        self.in_flight = submitted
        if batch.pending:  # no worker, or it could not run: everything here
            self.finish(batch, batch.take_pending())
        if final and self.in_flight is not None:
            self.collect(batch, *self.in_flight)
            self.in_flight = None

    def collect(self, batch: Batch, future: Future, sent: list[Document]) -> None:
        """Take a chunk back from the annotate worker and finish it here. If the worker could not run
        (a script that starts a run at import time cannot spawn one), the chunk and the rest of the
        run are processed here instead."""
        from concurrent.futures.process import BrokenProcessPool

        if self.worker is None:
            raise RuntimeError("a chunk was sent to the annotate worker, which is gone")
        started = time.perf_counter()
        try:
            docs, failures, timings = self.worker.result(future)
        except BrokenProcessPool:
            batch.add_time("annotate_wait", started)
            self.worker_settings = None
            self.finish(batch, sent)
            return
        batch.add_time("annotate_wait", started)  # time this process waited for the worker
        batch.failures.extend(failures)
        for name, seconds in timings.items():  # overlapped with this process: added after ingest is known
            self.worker_timings[name] = self.worker_timings.get(name, 0.0) + seconds
        failed = {f.path for f in failures}
        self.finish(batch, [d for d in docs if d.source.path not in failed],
                    [d for d in docs if d.source.path in failed])

    def finish(self, batch: Batch, docs: list[Document], failed: Sequence[Document] = ()) -> None:
        """Run the stages not yet done, store the documents that finished them all, keep slim records;
        ``failed`` documents failed a stage elsewhere and are kept as they are."""
        from ..argue.sharing import sharing

        pipeline = Pipeline(batch.stages, strict=batch.strict, after_stage=release_free_memory,
                            time_budget=self.time_budget)
        with sharing(self.worker.helper if self.worker is not None else None):
            processed = pipeline.run(docs)
        batch.failures.extend(pipeline.failures)
        for name, seconds in pipeline.timings.items():
            batch.timings[name] = batch.timings.get(name, 0.0) + seconds
        started = time.perf_counter()
        for doc in [*processed, *failed]:
            batch.settle(doc)
        batch.add_time("store", started)
        release_free_memory()  # the chunk's documents, vectors and activations are gone now

    def close(self) -> None:
        if self.worker is not None:
            if self.worker.helper is not None:  # how many model batches each process computed
                self.record["model_batches"] = dict(self.worker.helper.batches)
            self.worker.close()
            self.worker = None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
