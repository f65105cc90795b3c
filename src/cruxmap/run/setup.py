"""A run's set-up: the taught question, one embedder, the per-document stages and their cache key.

Both executors build the stages here (the Ray actors too), so a document goes through the same
stages, with the same versions, wherever it runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from .. import __version__
from ..model import SCHEMA_VERSION, Question
from ..pipeline import CLEAN, INGESTED, Contract, Stage, check_order
from ..settings import Settings


@dataclass
class RunSetup:
    """What every run starts from: the (taught) question, the run's embedder, its stages and their key."""

    question: Question
    embedder: object
    stages: list[Stage]
    key: str


def prepare_run(store, settings: Settings, question: Question) -> RunSetup:
    """Set a run up in ``store``: the stored corrections teach the question (``corrections.teach``:
    what analysts corrected moves what says nearly the same), then one embedder, the stages and the
    pipeline key. The whole run's order (stages, then corpus steps) is checked before any model loads."""
    from ..corrections import teach

    question = teach(question, store.list_corrections())
    embedder = make_embedder(settings, store)
    stages = build_stages(settings, question, store, embedder)
    check_run_order(stages)
    return RunSetup(question=question, embedder=embedder, stages=stages, key=pipeline_key(stages, question))


def check_run_order(stages: Sequence[Contract]) -> None:
    """Check a whole run's order from what ingest gives: cleaning, the per-document ``stages``, then the corpus
    steps; every layer a step reads is made by an earlier step, and every layer is one of the document model's."""
    from .steps import CORPUS_STEPS

    check_order([CLEAN, *stages, *CORPUS_STEPS], available=INGESTED)


def build_stages(settings: Settings, question: Question, store=None, embedder=None) -> list[Stage]:
    """The per-document stages after clean, in order: annotate (nlp) then argue."""
    from ..argue.stages import argue_stages
    from ..nlp.stages import annotate_stages

    return [*annotate_stages(settings), *argue_stages(settings, question, store, embedder=embedder)]


def make_embedder(settings: Settings, store=None):
    """One embedder per run, shared by claims, stance, suggestions and the map.

    torch runs ``settings.torch_threads`` threads; by default 1 with an annotate worker (the
    worker takes the other core: two torch threads fighting it made the run slower than no
    worker) and 2 without. The thread count changes the last digits of the vectors, so it
    is fixed per configuration, never per run size: a resumed or one-chunk run computes
    exactly what a long run computes.
    """
    from ..argue.stages import make_embedder as make

    embedder = make(settings, store)
    set_torch_threads(settings.torch_threads or (1 if settings.annotate_workers else 2))
    return embedder


def pipeline_key(stages: Sequence[Stage], question: Question) -> str:
    """Changes whenever cached per-document results would no longer be valid."""
    from ..clean.base import rules_fingerprint

    parts = [__version__, SCHEMA_VERSION, f"clean:{rules_fingerprint()}", *[s.version() for s in stages],
             question.model_dump_json()]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def set_torch_threads(n: int) -> int:
    """Set torch's intra-op threads if torch is loaded; return the previous number."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None:
        return n
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    return before
