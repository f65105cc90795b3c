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
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .errors import CruxmapError, InputError
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
    """One embedder per run, shared by claims, stance, suggestions and the map."""
    from .argue.stages import make_embedder as make

    return make(settings, store)


def pipeline_key(stages: Sequence[Stage], question: Question) -> str:
    """Changes whenever cached per-document results would no longer be valid."""
    parts = [__version__, SCHEMA_VERSION, *[s.version() for s in stages], question.model_dump_json()]
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
) -> DebateMap:
    """Analyse the articles under ``paths``; record the run; write ``out/map.json`` if given."""
    from .ingest import IngestOptions, iter_inputs
    from .store import open_store

    settings = settings or Settings.load()
    strict = settings.strict if strict is None else strict
    if not paths:
        raise InputError("no input paths given", fix="name at least one article file or folder")
    q = load_question_file(question)
    timings: dict[str, float] = {}
    failures: list[Failure] = []
    options = ingest_options or IngestOptions(max_bytes=int(settings.max_file_mb * 1_000_000))

    with open_store(settings.db) as store:
        embedder = make_embedder(settings, store)
        stages = build_stages(settings, q, store, embedder)
        key = pipeline_key(stages, q)
        batch = _Batch(store, stages, key, strict, timings, failures)
        loop_started = time.perf_counter()
        for item in iter_inputs([str(p) for p in paths], options):
            batch.add(item)
            if batch.pending_full(settings.chunk_size):
                batch.process()  # each chunk is stored as soon as it is done: a killed run resumes here
                if progress:
                    progress("analyse", batch.count, 0)
        batch.process()
        timings["ingest"] = time.perf_counter() - loop_started - sum(timings.values())
        debate_map = finish_run(store, batch, stages, key, q, settings, embedder, timings, failures,
                                options={"paths": [str(p) for p in paths],
                                         "question": str(question) if question else None,
                                         "ach_overrides": str(ach_overrides) if ach_overrides else None,
                                         "pipeline_key": key, "strict": strict},
                                ach_overrides=ach_overrides)

    if out is not None:
        write_map(debate_map, out)
    if strict and failures:
        raise InputError(f"{len(failures)} input(s) failed; first: {failures[0].message}")
    return debate_map


def finish_run(store, batch: "_Batch", stages: Sequence[Stage], key: str, q: Question, settings: Settings,
               embedder, timings: dict[str, float], failures: list[Failure], *, options: dict,
               ach_overrides: str | Path | None = None) -> DebateMap:
    """The corpus part of a run on the gathered documents: dedupe, hypotheses, entities, map, save.

    Shared by the in-process engine and the Ray engine (``cruxmap.scale.ray_engine``).
    """
    from .clean import attach_duplicates

    docs = sorted(batch.docs, key=lambda d: d.source.path)
    t0 = time.perf_counter()
    attach_duplicates([d.source for d in docs])
    timings["dedupe"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    hypotheses = list(q.hypotheses) or _suggest_hypotheses(docs, settings, store, embedder)
    _canonicalize_entities(docs)
    timings["corpus"] = time.perf_counter() - t0
    run = RunInfo(
        id=_run_id(batch.inputs, key),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        cruxmap_version=__version__,
        inputs=batch.inputs,
        backends={s.name: s.version() for s in stages},
        options=options,
        timings={},
        reused=batch.reused,
    )
    debate_map = DebateMap.from_documents(docs, question=q, hypotheses=hypotheses, run=run, failures=failures)
    t0 = time.perf_counter()
    if docs:
        from .map import build_map

        build_map(debate_map, embedder, overrides_path=ach_overrides, settings=settings)
    timings["map"] = time.perf_counter() - t0
    run.timings = {k: round(v, 4) for k, v in timings.items()}
    t0 = time.perf_counter()
    store.save_run(run, debate_map)
    run.timings["store"] = round(run.timings.get("store", 0.0) + time.perf_counter() - t0, 4)
    return debate_map


class _Batch:
    """Reads inputs into chunks, runs the stages on each chunk and stores what finished.

    Inputs already stored under the same pipeline key are re-used, so re-running a killed
    run resumes where it stopped; byte-identical inputs are analysed once.
    """

    def __init__(self, store, stages: list[Stage], key: str, strict: bool, timings: dict[str, float],
                 failures: list[Failure]):
        self.store, self.stages, self.key, self.strict = store, stages, key, strict
        self.timings, self.failures = timings, failures
        self.docs: list[Document] = []
        self.inputs: list[InputRecord] = []
        self.pending: list[Document] = []
        self.raw_texts: dict[str, str] = {}
        self.seen: dict[str, str] = {}
        self.reused = 0

    @property
    def count(self) -> int:
        return len(self.docs) + len(self.pending)

    def pending_full(self, size: int) -> bool:
        return len(self.pending) >= size

    def _time(self, name: str, started: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

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
            self.docs.append(doc)
            self.reused += 1
            return
        started = time.perf_counter()
        try:
            source = build_source(item)
            if not source.text.strip():
                raise InputError("nothing is left after removing boilerplate", path=item.path,
                                 fix="check that the file holds an article body")
        except Exception as err:
            if self.strict:
                raise
            self.failures.append(failure_from(err, item.path, "clean"))
            return
        finally:
            self._time("clean", started)
        self.raw_texts[source.id] = item.raw_text
        self.pending.append(Document(source=source, done=["clean"]))

    def process(self) -> None:
        """Run the stages on the pending chunk and store every document that finished all of them."""
        if not self.pending:
            return
        pipeline = Pipeline(self.stages, strict=self.strict)
        processed = pipeline.run(self.pending)
        self.failures.extend(pipeline.failures)
        for name, seconds in pipeline.timings.items():
            self.timings[name] = self.timings.get(name, 0.0) + seconds
        started = time.perf_counter()
        names = [s.name for s in self.stages]
        for doc in processed:  # a document that failed a stage stays in the map but is not cached
            if all(name in doc.done for name in names):
                self.store.put_document(doc, self.key, self.raw_texts.pop(doc.source.id, None))
        self._time("store", started)
        self.docs.extend(processed)
        self.pending = []


def _canonicalize_entities(docs: list[Document]) -> None:
    """One canonical name per person or organisation across all sources."""
    from .nlp.entities import canonicalize_corpus

    if any(d.entities for d in docs):
        canonicalize_corpus(docs)


def _suggest_hypotheses(docs: list[Document], settings: Settings, store, embedder) -> list:
    """Without a question file: propose the most contested claims as hypotheses and take stances on them."""
    from .argue.stages import StanceStage, make_stance_classifier
    from .argue.suggest import suggest_hypotheses

    if not any(d.claims for d in docs):
        return []
    classifier = make_stance_classifier(settings, store, embedder)
    suggested = suggest_hypotheses(docs, embedder, classifier)
    if suggested:
        stage = StanceStage(classifier, suggested)
        for doc in docs:
            doc.stances = [st for st in doc.stances if st.hypothesis_id not in {h.id for h in suggested}]
        list(stage.pipe(docs))
    return suggested


def _run_id(inputs: Sequence[InputRecord], key: str) -> str:
    """Same inputs and pipeline → same run id, so a re-run replaces its record instead of adding one."""
    digest = hashlib.sha256(key.encode())
    for sha in sorted(i.sha256 for i in inputs):
        digest.update(sha.encode())
    return "run-" + digest.hexdigest()[:12]


def write_map(debate_map: DebateMap, out: str | Path) -> Path:
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "map.json"
        target.write_text(debate_map.model_dump_json(indent=1), encoding="utf-8")
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
    """Analyse the bundled example corpus with its question file."""
    corpus = EXAMPLES_DIR / "corpus"
    if not corpus.is_dir():
        raise InputError("the example corpus is missing", path=str(corpus), fix="run from a cruxmap checkout")
    question = EXAMPLES_DIR / "question.yaml"
    return analyze([corpus], out, settings=settings, progress=progress,
                   question=question if question.is_file() else None)


def schema() -> dict:
    return map_json_schema()


def schema_text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


__all__ = [
    "CruxmapError", "analyze", "demo", "export", "list_runs", "write_report", "load_map", "schema", "schema_text", "source_rows", "write_map",
]
