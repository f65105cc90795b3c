"""Stages with declared contracts, and the pipeline that checks and runs them.

A stage is a small callable: ``name``, the layers it ``requires`` and ``provides``, and
``__call__(doc) -> doc``. ``Pipeline`` checks when it is built, before any model loads,
that every requirement is provided by an earlier stage (as spaCy's ``pipe_analysis`` does),
and runs documents through the stages so that one failing document is recorded as a
``Failure`` while the rest of the batch goes on (``strict=True`` re-raises).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from .errors import ConfigError, CruxmapError
from .model import Document, Failure

#: layers present on a document as soon as ingest + clean produced it
BASE_LAYERS = frozenset({"source", "text"})


class Stage:
    """Base class of per-document stages. Subclasses set the class attributes and ``__call__``."""

    name: ClassVar[str] = "stage"
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Process many documents; stages with a batched model override this."""
        for doc in docs:
            yield self(doc)

    def version(self) -> str:
        """Name and version recorded in the run manifest; changes invalidate cached results."""
        return getattr(self, "registry_name", self.name)


def check_order(stages: Sequence[Stage], available: Iterable[str] = BASE_LAYERS) -> None:
    have = set(available)
    for stage in stages:
        missing = [layer for layer in stage.requires if layer not in have]
        if missing:
            raise ConfigError(
                f"stage '{stage.name}' requires {', '.join(missing)}, which no earlier stage provides",
                fix="put the stage that provides it earlier in the pipeline",
            )
        have.update(stage.provides)


@dataclass
class Pipeline:
    stages: list[Stage]
    strict: bool = False
    failures: list[Failure] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: called after each stage that ran (a long run hands freed memory back to the OS there)
    after_stage: Callable[[], object] | None = None

    def __post_init__(self) -> None:
        check_order(self.stages)

    def run(self, docs: Iterable[Document]) -> list[Document]:
        """Run every stage over every document, stage by stage so that models batch.

        A document that fails a stage keeps the layers it already has and skips the later
        stages; the failure is recorded. Nothing already processed is lost.
        """
        current = list(docs)
        failed: set[str] = set()
        for stage in self.stages:
            started = time.perf_counter()
            todo = [d for d in current if stage.name not in d.done and d.source.id not in failed]
            results = {d.source.id: d for d in self._run_stage(stage, todo, failed)}
            current = [results.get(d.source.id, d) for d in current]
            if todo and self.after_stage is not None:
                self.after_stage()
            self.timings[stage.name] = self.timings.get(stage.name, 0.0) + time.perf_counter() - started
        return current

    def _run_stage(self, stage: Stage, todo: list[Document], failed: set[str]) -> list[Document]:
        if not todo:
            return []
        before = [_layers(d) for d in todo]
        try:
            processed = list(stage.pipe(todo))
        except Exception:
            if self.strict:
                raise
            for doc, layers in zip(todo, before):  # undo what the broken batch half-did
                for name, value in layers.items():
                    setattr(doc, name, list(value))
            processed = []
            for doc, layers in zip(todo, before):  # find the document that broke the batch
                try:
                    processed.append(stage(doc))
                except Exception as err:
                    if self.strict:
                        raise
                    for name, value in layers.items():
                        setattr(doc, name, list(value))
                    failed.add(doc.source.id)
                    self.failures.append(failure_from(err, doc.source.path, stage.name))
        for doc in processed:
            doc.done.append(stage.name)
        return processed


def _layers(doc: Document) -> dict[str, list]:
    """Shallow copies of a document's list layers, to restore after a failed batch."""
    return {name: list(value) for name, value in vars(doc).items() if isinstance(value, list)}


def failure_from(err: BaseException, path: str, stage: str) -> Failure:
    if isinstance(err, CruxmapError):
        return Failure(path=path, stage=stage, error=err.code, message=str(err))
    return Failure(
        path=path,
        stage=stage,
        error=type(err).__name__,
        message=f"{path}: {stage} failed: {err} — re-run with --debug for the traceback and report it",
    )
