"""One run, from its set-up to its write: ``Run``.

A run has four parts, each owned here and done once whatever the engine:

1. **Set-up** (``setup.prepare_run``): corrections from a file are recorded, the stored corrections
   teach the question, one embedder is made, the per-document stages are built and their versions
   give the pipeline key under which documents are cached; the order of the whole run is checked.
2. **Documents**, through an **executor** (``executor.py``): every input is settled by ``Batch``
   (a failure, a duplicate, a document re-used from the store, or a new one, cleaned) and the new
   ones go through the stages, in this process with an annotate worker (``InProcessExecutor``) or
   on Ray actors (``scale.ray_engine.RayExecutor``); each finished document is stored at once, so a
   killed run resumes where it stopped.
3. **Corpus steps** (``steps.py``): near-duplicates, hypotheses, entities, the map, then the write:
   the run record, the stored map and its tables, ``map.json`` when streamed.
4. **Corrections** (``children.py``): the store's corrections about these articles make a child run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..memory import phase
from ..model import Correction, Failure, Question
from ..settings import Settings
from .batch import Batch
from .executor import Executor, InProcessExecutor, Progress
from .record import RunSummary, raise_if_failed
from .setup import RunSetup, prepare_run
from .steps import CorpusState, run_corpus_steps, stored_document

if TYPE_CHECKING:
    from ..ingest import IngestOptions
    from ..store.base import Store


@dataclass
class RunOptions:
    """How a run was asked for, besides the settings: what it reads and where its map goes.

    ``question`` and ``ach_overrides`` are the files' paths, kept in the run record (the question
    itself is the ``Run``'s); ``out`` is where the map is streamed (``map.json``) when the run keeps no
    map; ``corrections`` are recorded in the store at the set-up, before they teach the question."""

    paths: Sequence[str | Path]
    question: str | Path | None = None
    ach_overrides: str | Path | None = None
    strict: bool = False
    out: str | Path | None = None
    keep_map: bool = False
    ingest: IngestOptions | None = None
    corrections: Sequence[Correction] = ()
    progress: Progress | None = None

    def recorded(self, key: str, **extra: object) -> dict:
        """What the run record keeps of how the run was asked for (``RunInfo.options``)."""
        return {"paths": [str(p) for p in self.paths], "question": str(self.question) if self.question else None,
                "ach_overrides": str(self.ach_overrides) if self.ach_overrides else None, "pipeline_key": key,
                "strict": self.strict, **extra}


@dataclass
class Run:
    """One run over some articles: made from a store, the settings, the question and the options;
    ``execute`` does it all and returns the summary."""

    store: Store
    settings: Settings
    question: Question
    options: RunOptions
    timings: dict[str, float] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def execute(self, executor: Executor | None = None) -> RunSummary:
        """Set up, run the documents through ``executor`` (in-process by default), the corpus steps and the
        write, then the child run of the store's corrections. ``--strict`` fails a run that keeps no map
        here (a kept map is written first, by ``api.analyze``)."""
        setup = self.set_up()
        batch = Batch(self.store, setup.stages, setup.key, self.options.strict, self.timings, self.failures)
        executor = executor if executor is not None else InProcessExecutor(self.settings)
        self.documents(batch, setup, executor)
        summary = self.corpus(batch, setup, executor.record)
        summary = self.corrected(summary, setup, [k.source.id for k in batch.kept])
        summary.strict = self.options.strict
        if not self.options.keep_map:
            raise_if_failed(self.options.strict, self.failures)
        return summary

    def set_up(self) -> RunSetup:
        """Record the corrections of the options, then ``setup.prepare_run``."""
        for correction in self.options.corrections:
            self.store.put_correction(correction)
        return prepare_run(self.store, self.settings, self.question)

    def documents(self, batch: Batch, setup: RunSetup, executor: Executor) -> None:
        """Every input through ``executor``; the inputs are counted first when progress is shown (for the ETA)."""
        from ..ingest import IngestOptions, count_inputs, iter_inputs

        options, progress = self.options, self.options.progress
        paths = [str(p) for p in options.paths]
        ingest = options.ingest or IngestOptions.from_settings(self.settings)
        started = time.perf_counter()
        expected = count_inputs(paths, ingest) if progress else 0
        counting = time.perf_counter() - started
        if progress:
            progress("analyse", 0, expected)
        executor.documents(batch, iter_inputs(paths, ingest), setup, progress, expected)
        self.timings["ingest"] = self.timings.get("ingest", 0.0) + counting

    def corpus(self, batch: Batch, setup: RunSetup, record: dict[str, object]) -> RunSummary:
        """The corpus steps and the write (``steps.py``) on what ``batch`` kept."""
        options = self.options
        state = CorpusState(store=self.store, batch=batch, setup=setup,
                            settings=self.settings, timings=self.timings, failures=self.failures,
                            options=options.recorded(setup.key, **record), ach_overrides=options.ach_overrides,
                            out=None if options.keep_map else options.out, keep_map=options.keep_map,
                            kept=sorted(batch.unpack_kept(), key=lambda k: k.source.path),
                            load=partial(stored_document, self.store, setup.key))
        with phase("corpus"):
            return run_corpus_steps(state, options.progress)

    def corrected(self, summary: RunSummary, setup: RunSetup, source_ids: list[str]) -> RunSummary:
        """The store's corrections about these sources applied as a child run (``children.py``); the
        summary as it is when there are none."""
        from .children import apply_stored_corrections

        out = None if self.options.keep_map else self.options.out
        return apply_stored_corrections(self.store, summary, self.settings, setup.embedder, source_ids, out=out)


__all__ = ["Run", "RunOptions"]
