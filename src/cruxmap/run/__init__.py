"""One run, whatever the engine: ``Run`` owns the set-up, the documents (through an executor), the
corpus steps and the write; ``api.analyze`` builds one and picks the executor.

- ``engine.py``: ``Run`` and ``RunOptions``.
- ``setup.py``: the taught question, the run's embedder, the stages and the pipeline key.
- ``batch.py``: each input settled once (failure, duplicate, re-used, cleaned), each finished document stored.
- ``executor.py``: where documents go through the stages (in-process; ``overlap.py`` is its annotate
  worker); the Ray executor is ``scale.ray_engine.RayExecutor``.
- ``steps.py``: the corpus steps and the write.
- ``record.py``: the run's id, summary and library versions.
- ``children.py``: runs made from runs (the analysts' corrections applied as a child run).

Importing this package loads no model library.
"""

from .batch import MAX_ARTICLE_CHARS, Batch
from .children import apply_stored_corrections, correct_run, machine_run
from .engine import Run, RunOptions
from .executor import Executor, InProcessExecutor, Progress
from .record import RunSummary, library_versions, raise_if_failed
from .setup import RunSetup, build_stages, check_run_order, make_embedder, pipeline_key, prepare_run
from .steps import CORPUS_STEPS, CorpusStep

__all__ = ["CORPUS_STEPS", "MAX_ARTICLE_CHARS", "Batch", "CorpusStep", "Executor", "InProcessExecutor", "Progress",
           "Run", "RunOptions", "RunSetup", "RunSummary", "apply_stored_corrections", "build_stages", "check_run_order",
           "correct_run", "library_versions", "machine_run", "make_embedder", "pipeline_key", "prepare_run",
           "raise_if_failed"]
