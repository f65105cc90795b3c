"""Stages with declared contracts, and the pipeline that checks and runs them.

A stage is a small callable: ``name``, the layers it ``requires`` and ``provides``, and
``__call__(doc) -> doc``. ``Pipeline`` checks when it is built, before any model loads,
that every requirement is provided by an earlier stage (as spaCy's ``pipe_analysis`` does),
and runs documents through the stages so that one failing document is recorded as a
``Failure`` while the rest of the batch goes on (``strict=True`` re-raises).

With a ``time_budget`` (seconds per document per stage, ``doc_time_budget`` in the settings) a
batch gets the budget times its size; a batch that runs over it is run again document by document,
each with the budget, and a document that runs over its own is recorded as a ``time-budget``
failure (stage, how long, the fix) while the batch goes on. The clock is ``SIGALRM`` (an interval
timer), so it works where stages run on a process's main thread (the run itself and its annotate
worker) and is left off elsewhere; it interrupts Python code, and C code (a regular expression, a
model's forward pass) when it returns to the interpreter.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar, Protocol

from .errors import ConfigError, CruxmapError, TimeBudgetExceeded
from .model import DebateMap, Document, Failure, Source
from .registry import RegistryName, name_of


@dataclass(frozen=True)
class Declared:
    """A step's contract on its own: a step that is not a ``Stage`` (cleaning), or one described unbuilt."""

    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]


#: the layer an ingested input has (its ``Source``, raw text and metadata)
INGESTED = frozenset({"source"})
#: cleaning (``run.batch.clean``): the source's boilerplate removed, leaving the text every stage reads
CLEAN = Declared("clean", ("source",), ("text",))
#: layers present on a document as soon as ingest + clean produced it
BASE_LAYERS = INGESTED | frozenset(CLEAN.provides)
#: the name of the whole map, which the write step provides
WHOLE_MAP = "map"


class Stage:
    """Base class of per-document stages. Subclasses set the class attributes and ``__call__``."""

    name: ClassVar[str] = "stage"
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    #: the backend's one name (``annotate.spacy.v1``), from the registry (``registry.name_of``)
    registry_name = RegistryName()

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Process many documents; stages with a batched model override this."""
        for doc in docs:
            yield self(doc)

    def version(self) -> str:
        """Name and version recorded in the run manifest; changes invalidate cached results."""
        return name_of(self)

    def weight_files(self) -> dict[str, str]:
        """The model weight files the stage reads → their SHA-256, for the run record (``weights.py``)."""
        return {}


class Contract(Protocol):
    """What ``check_order`` reads of a step: a ``Stage``, a corpus step, or a contract described alone."""

    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def provides(self) -> tuple[str, ...]: ...


def check_order(stages: Sequence[Contract], available: Iterable[str] = BASE_LAYERS) -> None:
    """Refuse an order in which a step requires a layer that neither ``available`` nor an earlier step provides,
    or names a layer the document model does not have (``check_layer_names``)."""
    check_layer_names(stages)
    have = set(available)
    for stage in stages:
        missing = [layer for layer in stage.requires if layer not in have]
        if missing:
            raise ConfigError(
                f"stage '{stage.name}' requires {', '.join(missing)}, which no earlier stage provides",
                fix="put the stage that provides it earlier in the pipeline",
            )
        have.update(stage.provides)


def check_layer_names(stages: Sequence[Contract]) -> None:
    """Refuse a step that requires or provides a layer the document model does not have: a field of the
    ``Document`` (``sentences``), of its ``Source`` (``text``, ``duplicates``) or of the ``DebateMap`` the corpus
    steps build (``key points`` for ``key_points``: a space stands for the underscore), a field of a layer's items
    (``entities.canonical``), or the whole ``map``. A misspelt layer would otherwise pass the order check as a
    layer that nothing provides, or one that nothing reads."""
    for stage in stages:
        unknown = [layer for layer in (*stage.requires, *stage.provides) if not _is_layer(layer)]
        if unknown:
            raise ConfigError(
                f"stage '{stage.name}' declares {', '.join(repr(u) for u in unknown)}, which the document model "
                "does not have",
                fix=f"name a layer of cruxmap.model (one of: {', '.join(sorted(_layers_of_model()))}), or a field "
                    "of its items as layer.field")


def _is_layer(name: str) -> bool:
    layer, _, field_name = name.partition(".")
    layers = _layers_of_model()
    if layer not in layers:
        return False
    return not field_name or field_name in _item_fields(layers[layer])


@cache
def _layers_of_model() -> dict[str, object]:
    """Each layer name → its annotation in the model (the whole map's name → the ``DebateMap``)."""
    found: dict[str, object] = {WHOLE_MAP: DebateMap}
    for model in (DebateMap, Source, Document):
        for name, info in model.model_fields.items():
            found[name.replace("_", " ")] = info.annotation
    return found


def _item_fields(annotation: object) -> set[str]:
    """The fields of the pydantic model a layer holds (``list[Entity]`` → Entity's fields), else none."""
    from typing import get_args

    for candidate in (annotation, *get_args(annotation)):
        fields = getattr(candidate, "model_fields", None)
        if isinstance(fields, dict):
            return set(fields)
    return set()


@dataclass
class Pipeline:
    stages: list[Stage]
    strict: bool = False
    failures: list[Failure] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: called after each stage that ran (a long run hands freed memory back to the OS there)
    after_stage: Callable[[], object] | None = None
    #: seconds one document may spend in one stage (None or 0: no limit)
    time_budget: float | None = None

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
        budget = self.time_budget or 0.0
        try:
            with deadline(budget * len(todo), stage.name):
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
                    with deadline(budget, stage.name, doc.source.path):
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


@contextmanager
def deadline(seconds: float, stage: str, path: str | None = None):
    """Raise ``TimeBudgetExceeded`` inside the block once ``seconds`` have passed (no limit when
    ``seconds`` is 0 or the clock cannot run here: not the main thread, or no ``setitimer``)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise TimeBudgetExceeded(
            f"the {stage} stage ran longer than {seconds:.0f} s on this document, so it is left out of the map",
            path=path, fix="split it into smaller articles, or raise doc_time_budget (0 turns the limit off)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _layers(doc: Document) -> dict[str, list]:
    """Shallow copies of a document's list layers, to restore after a failed batch."""
    return {name: list(value) for name, value in vars(doc).items() if isinstance(value, list)}


def failure_from(err: BaseException, path: str, stage: str) -> Failure:
    """The ``Failure`` of ``path`` in ``stage``. An unexpected error names its type and the line of cruxmap that
    raised it, since the batch goes on and the traceback is not kept."""
    if isinstance(err, CruxmapError):
        return Failure(path=path, stage=stage, error=err.code, message=str(err))
    where = raised_at(err)
    return Failure(
        path=path,
        stage=stage,
        error=type(err).__name__,
        message=f"{path}: {stage} failed: {type(err).__name__}: {err}" + (f" (at {where})" if where else "")
        + " — re-run it with --strict --debug for the traceback and report it",
    )


def raised_at(err: BaseException) -> str:
    """``module.py:line in function`` of the innermost frame of ``err``'s traceback inside cruxmap ('' if none)."""
    import traceback
    from pathlib import Path

    package = Path(__file__).resolve().parent
    place = ""
    for frame in traceback.extract_tb(err.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(package):
            place = f"{path.relative_to(package).as_posix()}:{frame.lineno} in {frame.name}"
    return place
