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
from importlib import import_module
from pathlib import Path

from . import __version__
from .errors import ConfigError, CruxmapError, InputError
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


def _optional(module: str, attr: str):
    """An attribute of a stage module that a later part of the pipeline provides, or None."""
    try:
        return getattr(import_module(module), attr)
    except (ModuleNotFoundError, AttributeError) as err:
        if isinstance(err, ModuleNotFoundError) and err.name and not err.name.startswith("cruxmap"):
            raise
        return None


def build_stages(settings: Settings, question: Question, store=None) -> list[Stage]:
    """The per-document stages after clean, in order: annotate (nlp) then argue."""
    stages: list[Stage] = []
    annotate = _optional("cruxmap.nlp.stages", "annotate_stages")
    if annotate is not None:
        stages.extend(annotate(settings))
    argue = _optional("cruxmap.argue.stages", "argue_stages")
    if argue is not None and stages:
        stages.extend(argue(settings, question, store))
    return stages


def pipeline_key(stages: Sequence[Stage], question: Question) -> str:
    """Changes whenever cached per-document results would no longer be valid."""
    parts = [__version__, SCHEMA_VERSION, *[s.version() for s in stages], question.model_dump_json()]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def load_question_file(path: str | Path | None) -> Question:
    if path is None:
        return Question()
    loader = _optional("cruxmap.argue.question", "load_question")
    if loader is None:
        raise ConfigError("question files need the argue stage", path=str(path), fix="update cruxmap")
    return loader(path)


def analyze(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    settings: Settings | None = None,
    question: str | Path | None = None,
    strict: bool | None = None,
    progress: Progress | None = None,
    ingest_options=None,
) -> DebateMap:
    """Analyse the articles under ``paths``; record the run; write ``out/map.json`` if given."""
    from .clean import build_source, find_near_duplicates
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
        stages = build_stages(settings, q, store)
        key = pipeline_key(stages, q)

        started = time.perf_counter()
        fresh: list[Document] = []
        cached: list[Document] = []
        raw_texts: dict[str, str] = {}
        seen: dict[str, str] = {}
        inputs: list[InputRecord] = []
        clean_seconds = 0.0
        for item in iter_inputs([str(p) for p in paths], options):
            if isinstance(item, Failure):
                failures.append(item)
                continue
            inputs.append(InputRecord(path=item.path, sha256=item.sha256))
            if item.sha256 in seen:
                failures.append(Failure(
                    path=item.path, stage="ingest", error="exact-duplicate",
                    message=f"{item.path}: same bytes as {seen[item.sha256]}; analysed once — remove one copy",
                ))
                continue
            seen[item.sha256] = item.path
            doc = store.get_document(item.sha256, key)
            if doc is not None:
                doc.source.path = item.path
                cached.append(doc)
                continue
            t0 = time.perf_counter()
            try:
                source = build_source(item)
                if not source.text.strip():
                    raise InputError("nothing is left after removing boilerplate", path=item.path,
                                     fix="check that the file holds an article body")
            except Exception as err:
                if strict:
                    raise
                failures.append(failure_from(err, item.path, "clean"))
                continue
            finally:
                clean_seconds += time.perf_counter() - t0
            raw_texts[source.id] = item.raw_text
            fresh.append(Document(source=source, done=["clean"]))
            if progress:
                progress("read", len(fresh) + len(cached), 0)
        timings["ingest"] = time.perf_counter() - started - clean_seconds
        timings["clean"] = clean_seconds

        pipeline = Pipeline(stages, strict=strict)
        processed = pipeline.run(fresh) if fresh else []
        failures.extend(pipeline.failures)
        timings.update(pipeline.timings)

        t0 = time.perf_counter()
        for doc in processed:
            store.put_document(doc, key, raw_texts.get(doc.source.id))
        timings["store"] = time.perf_counter() - t0

        docs = sorted(processed + cached, key=lambda d: d.source.path)
        t0 = time.perf_counter()
        for source_id, dups in find_near_duplicates([d.source for d in docs]).items():
            for d in docs:
                if d.source.id == source_id:
                    d.source.duplicates = dups
        timings["dedupe"] = time.perf_counter() - t0
        _run_corpus_stages(docs, settings)

        run = RunInfo(
            id=_run_id(inputs, key),
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            cruxmap_version=__version__,
            inputs=inputs,
            backends={s.name: s.version() for s in stages},
            options={"paths": [str(p) for p in paths], "question": str(question) if question else None,
                     "pipeline_key": key, "strict": strict},
            timings={k: round(v, 4) for k, v in timings.items()},
            reused=len(cached),
        )
        debate_map = DebateMap.from_documents(
            docs, question=q, hypotheses=list(q.hypotheses), run=run, failures=failures
        )
        store.save_run(run, debate_map)

    if out is not None:
        write_map(debate_map, out)
    if strict and failures:
        raise InputError(f"{len(failures)} input(s) failed; first: {failures[0].message}")
    return debate_map


def _run_corpus_stages(docs: list[Document], settings: Settings) -> None:
    canonicalize = _optional("cruxmap.nlp.entities", "canonicalize_corpus")
    if canonicalize is not None and any(d.entities for d in docs):
        canonicalize(docs)


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
    return target


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
                   question=question if question.is_file() and _optional("cruxmap.argue.question", "load_question")
                   else None)


def schema() -> dict:
    return map_json_schema()


def schema_text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


__all__ = [
    "CruxmapError", "analyze", "demo", "list_runs", "load_map", "schema", "schema_text", "source_rows", "write_map",
]
