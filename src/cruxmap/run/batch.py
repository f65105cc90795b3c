"""The documents of a run: each input settled once, each finished document stored at once.

``Batch`` is the bookkeeping every executor shares. It takes ingest results one at a time (a
failure, an exact duplicate, a document already stored under the pipeline key, or a new one,
cleaned here), holds the new ones as ``pending`` until an executor runs the stages on them, and
``settle`` stores what came back and keeps only its slim record (``corpus.Kept``). Where the
stages run is the executor's business (``executor.py``, ``scale/ray_engine.py``).
"""

from __future__ import annotations

import time

from ..errors import InputError
from ..model import Document, Failure, InputRecord
from ..pipeline import CLEAN, Stage, failure_from

#: the longest cleaned article analysed in one piece (spaCy's own limit: past it the parser needs about
#: 1 GB per 100,000 characters and refuses); a longer one is refused before any model runs, with the fix
MAX_ARTICLE_CHARS = 1_000_000


class Batch:
    """Reads inputs, cleans the new ones and stores what finished the stages.

    Inputs already stored under the same pipeline key are re-used, so re-running a killed
    run resumes where it stopped; byte-identical inputs are analysed once. Once a document is
    stored only its slim record (``corpus.Kept``) stays in memory.
    """

    def __init__(self, store, stages: list[Stage], key: str, strict: bool, timings: dict[str, float],
                 failures: list[Failure]):
        self.store, self.stages, self.key, self.strict = store, stages, key, strict
        self.timings, self.failures = timings, failures
        self.kept: list = []
        self.inputs: list[InputRecord] = []
        self.pending: list[Document] = []
        self.raw_texts: dict[str, str] = {}
        self.seen: dict[str, str] = {}
        self.reused = 0
        self.stage_names = [s.name for s in stages]

    @property
    def count(self) -> int:
        return len(self.kept) + len(self.pending)

    def pending_full(self, size: int) -> bool:
        return len(self.pending) >= size

    def take_pending(self) -> list[Document]:
        """The documents waiting for the stages, handed to an executor (the batch holds them no more)."""
        pending, self.pending = self.pending, []
        return pending

    def add_time(self, name: str, started: float) -> None:
        """Add the seconds since ``started`` (``time.perf_counter``) to the run's timing ``name``."""
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def finished(self, doc: Document) -> bool:
        """Whether ``doc`` went through every stage (only such documents are stored and re-used)."""
        return all(name in doc.done for name in self.stage_names)

    def keep(self, doc: Document) -> None:
        """Keep what the corpus stages need of a processed document (stored already if it finished), packed
        (``corpus.pack``) until ``unpack_kept``."""
        from ..corpus import Kept, pack

        self.kept.append(pack(Kept.of(doc, stored=self.finished(doc))))

    def unpack_kept(self) -> list:
        """The kept records as objects (``corpus.Kept``), unpacked in place once the documents are all done."""
        from ..corpus import unpack

        for i, item in enumerate(self.kept):
            if isinstance(item, bytes):
                self.kept[i] = unpack(item)
        return self.kept

    def settle(self, doc: Document) -> None:
        """Store a processed document if it finished every stage, and keep its slim record (a document
        that failed a stage stays in the map but is not cached)."""
        if self.finished(doc):
            self.store.put_document(doc, self.key, self.raw_texts.pop(doc.source.id, None))
        self.keep(doc)

    def add(self, item) -> None:
        """Take one ingest result: a failure, a duplicate, a stored document, or a new one to clean."""
        if isinstance(item, Failure):
            self.failures.append(item)
            return
        self.inputs.append(InputRecord(path=item.path, sha256=item.sha256))
        if item.sha256 in self.seen:
            self.failures.append(Failure(
                path=item.path, stage="ingest", error="exact-duplicate",
                message=f"{item.path}: same bytes as {self.seen[item.sha256]}; analysed once — remove one copy"))
            return
        self.seen[item.sha256] = item.path
        started = time.perf_counter()
        doc = self.store.get_document(item.sha256, self.key)
        self.add_time("store", started)
        if doc is not None:
            doc.source.path = item.path
            self.keep(doc)
            self.reused += 1
            return
        started = time.perf_counter()
        try:
            source = clean(item)
        except Exception as err:
            if self.strict:
                raise
            self.failures.append(failure_from(err, item.path, CLEAN.name))
            return
        finally:
            self.add_time(CLEAN.name, started)
        self.raw_texts[source.id] = item.raw_text
        self.pending.append(Document(source=source, done=[CLEAN.name]))


def clean(item):
    """The cleaned source of one raw input, or InputError when nothing (or too much) is left to read."""
    from ..clean import build_source

    source = build_source(item)
    if not source.text.strip():
        raise InputError("nothing is left after removing boilerplate", path=item.path,
                         fix="check that the file holds an article body")
    if len(source.text) > MAX_ARTICLE_CHARS:
        raise InputError(f"the article is {len(source.text):,} characters after cleaning, over the "
                         f"{MAX_ARTICLE_CHARS:,} that cruxmap reads as one article", path=item.path,
                         code="too-long", fix="split it into several files (one per chapter or section)")
    return source


__all__ = ["MAX_ARTICLE_CHARS", "Batch", "clean"]
