"""The library API. The CLI, the web app, the Ray engine and Python users all call these functions.

``analyze`` runs ingest → clean → annotate → argue → map over some paths, stores the run
and (optionally) writes ``map.json``: it builds one ``run.Run`` and picks the executor that runs
the documents (in-process or Ray). Work is cached by the raw content hash of each input and a key
of the pipeline's stage versions, so re-running the same inputs re-uses it. The rest reads runs
back (maps, tables, corrections) without the store's or the engine's internals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack, overload

from .atomic import write_text_atomic
from .errors import ConfigError, CruxmapError, InputError
from .memory import return_large_blocks
from .model import Correction, DebateMap, Question, RunInfo, map_json_schema
from .run import Executor, InProcessExecutor, Progress, Run, RunOptions, RunSummary, raise_if_failed
from .settings import Settings

if TYPE_CHECKING:
    from .ingest import IngestOptions

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def load_question_file(path: str | Path | None) -> Question:
    if path is None:
        return Question()
    from .argue.question import load_question

    return load_question(path)


class RunRequest(TypedDict, total=False):
    """What ``analyze`` takes besides the paths, ``out`` and ``keep_map`` (for its typed overloads)."""

    settings: Settings | None
    question: str | Path | None
    strict: bool | None
    progress: Progress | None
    ingest_options: IngestOptions | None
    ach_overrides: str | Path | None
    corrections: str | Path | None
    engine: str
    address: str | None
    concurrency: int | None


@overload
def analyze(paths: Sequence[str | Path], out: str | Path | None = None, *, keep_map: Literal[True] = True,
            **request: Unpack[RunRequest]) -> DebateMap: ...


@overload
def analyze(paths: Sequence[str | Path], out: str | Path | None = None, *, keep_map: Literal[False],
            **request: Unpack[RunRequest]) -> RunSummary: ...


@overload
def analyze(paths: Sequence[str | Path], out: str | Path | None = None, *, keep_map: bool,
            **request: Unpack[RunRequest]) -> DebateMap | RunSummary: ...


def analyze(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    keep_map: bool = True,
    settings: Settings | None = None,
    question: str | Path | None = None,
    strict: bool | None = None,
    progress: Progress | None = None,
    ingest_options: IngestOptions | None = None,
    ach_overrides: str | Path | None = None,
    corrections: str | Path | None = None,
    engine: str = "inprocess",
    address: str | None = None,
    concurrency: int | None = None,
) -> DebateMap | RunSummary:
    """Analyse the articles under ``paths`` and record the run: the one entry point of a run, which the
    command line, the web app, the benchmarks and Python users all call.

    The store's corrections about these articles (and those of a ``corrections`` JSONL file, which are
    recorded in the store first) teach the stance reader and are applied to the map (``corrections.py``).
    ``engine`` is ``inprocess`` (this machine: a worker process annotates the next chunk while this one
    embeds) or ``ray`` (the stages on the Ray cluster at ``address``, or a local one, with ``concurrency``
    actors). Both run the same ``run.Run``; only where a chunk's stages run differs.

    ``keep_map`` (the default) returns the whole map and writes ``out/map.json`` and ``out/report.html``
    from it, so memory at the end grows with the corpus. ``keep_map=False`` is for corpora of any size:
    the map is streamed from the store into ``out/map.json`` (no report: rendering it needs the whole
    map), memory stays flat, and the run's ``RunSummary`` (record, failures, counts) is returned.
    """
    settings = settings or Settings.load()
    executor = make_executor(engine, settings, address=address, concurrency=concurrency)
    summary = _run(paths, settings, executor, question=question, strict=strict, progress=progress,
                   ingest_options=ingest_options, ach_overrides=ach_overrides, corrections=corrections, out=out,
                   keep_map=keep_map)
    if not keep_map:
        return summary
    debate_map = summary.debate_map
    if debate_map is None:
        raise RuntimeError("a run that keeps its map kept none")
    if out is not None:
        write_map(debate_map, out)
    raise_if_failed(summary.strict, summary.failures)
    return debate_map


def make_executor(engine: str, settings: Settings, *, address: str | None = None,
                  concurrency: int | None = None) -> Executor:
    """Where a run's documents go through the stages: ``inprocess`` or ``ray`` (``run.Executor``)."""
    require_engine(engine)
    if engine == "ray":
        from .scale.ray_engine import RayExecutor

        return RayExecutor(settings, address=address, concurrency=concurrency)
    return InProcessExecutor(settings)


def check_out_folder(out: str | Path | None) -> None:
    """Refuse an ``--out`` that names a file before anything is analysed (it is a folder to write into)."""
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise InputError("--out must be a folder (map.json and report.html are written into it), and this is a file",
                         path=str(out), fix="give a folder name, e.g. --out out/")


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
    if not q.hypotheses or not settings.stance.backend.startswith("llm"):
        return None
    from .argue.stance.reader import LLMSourceReader

    reader = make_stance_classifier(settings)
    if not isinstance(reader, LLMSourceReader):  # a backend that sends claim pairs, not whole sources
        return None
    options = ingest_options or IngestOptions.from_settings(settings)
    texts = [item.raw_text for item in iter_inputs([str(p) for p in paths], options) if isinstance(item, RawDocument)]
    requests, tokens = reader.estimate(texts, q.hypotheses)
    return {"requests": requests, "prompt_tokens_estimate": tokens, "endpoint": reader.url, "model": reader.model,
            "items": len(q.hypotheses)}


def require_engine(engine: str) -> None:
    """Fail now, with the fix, when ``engine`` is unknown or its extra is not installed (``ray``)."""
    if engine == "ray":
        from .scale.ray_engine import import_ray

        import_ray()
    elif engine != "inprocess":
        raise ConfigError(f"unknown engine '{engine}'",
                          fix="use engine 'inprocess' or 'ray' (--engine on the command line)")


def _run(paths: Sequence[str | Path], settings: Settings, executor: Executor, *, question: str | Path | None,
         strict: bool | None, progress: Progress | None, ingest_options: IngestOptions | None, ach_overrides: str | Path | None,
         corrections: str | Path | None, out: str | Path | None, keep_map: bool) -> RunSummary:
    """Check what can be checked before any model loads, then build the ``Run`` and execute it."""
    from .argue.stance.base import check_stance_settings
    from .corrections import read_corrections

    check_inputs(paths, out)
    q = load_question_file(question)
    from_file = read_corrections(corrections) if corrections else []
    check_stance_settings(settings)  # before any model loads (the stance backend also suggests hypotheses)
    return_large_blocks(settings.memory.mmap_threshold)  # model activations leave resident memory when freed (``memory.py``)
    options = RunOptions(paths=paths, question=question, ach_overrides=ach_overrides,
                         strict=settings.strict if strict is None else strict, out=out, keep_map=keep_map,
                         ingest=ingest_options, corrections=from_file, progress=progress)
    with open_store(settings) as store:
        return Run(store, settings, q, options).execute(executor)


def check_inputs(paths: Sequence[str | Path], out: str | Path | None) -> None:
    """Refuse a run with nothing to read, or an ``--out`` that is a file, before any model loads."""
    if not paths:
        raise InputError("no input paths given", fix="name at least one article file or folder")
    check_out_folder(out)
    missing = [str(p) for p in paths if "://" not in str(p) and not Path(p).exists()]
    if len(missing) == len(paths):  # nothing to read: say so before any model loads, not an empty map
        others = f" (nor {', '.join(missing[1:4])}{' …' if len(missing) > 4 else ''})" if len(missing) > 1 else ""
        raise InputError(f"no such file or folder{others}", path=missing[0], code="not-found",
                         fix="check the path (a missing one among others is listed under failures and the rest "
                             "is analysed)")


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
    with open_store(settings) as store:
        return store.load_map(str(dir_or_run))


def correct(run_id: str, kind: str, *, settings: Settings | None = None, **fields) -> tuple[RunInfo, DebateMap, list]:
    """Record one correction of run ``run_id``'s map (named by the ids the report shows:
    ``corrections.correction_for``) and make the corrected child run (``run.correct_run``). Returns it,
    its map and the stale corrections."""
    settings = settings or Settings.load()
    with open_store(settings) as store:
        _correction, run, debate_map, stale = correct_in_store(store, store.load_map(run_id), kind,
                                                              settings=settings, **fields)
        return run, debate_map, stale


def correct_in_store(store, debate_map: DebateMap, kind: str, *, settings: Settings, embedder=None,
                     **fields) -> tuple[Correction, RunInfo, DebateMap, list]:
    """``correct`` on an open store and a map already loaded from it (the web app holds both): the
    correction recorded, then the child run. Returns the correction, the new run, its map and the stale
    corrections; ``embedder`` (``run_embedder``) only looks vectors up, so passing one saves loading it."""
    from .corrections import correction_for
    from .run import correct_run

    if debate_map.run is None:
        raise InputError("this map has no run record, so it cannot be corrected",
                         fix="correct a run of the store (`cruxmap runs` lists them)")
    correction = correction_for(debate_map, kind, **fields)
    store.put_correction(correction)
    run, after, stale = correct_run(store, debate_map.run.id, settings=settings, embedder=embedder)
    return correction, run, after, stale


def map_changes(before: DebateMap, after: DebateMap) -> list[str]:
    """What changed from one run's map to another's, one line each (positions, sources, cruxes, ACH ranking)."""
    from .lineage import diff_maps

    return diff_maps(before, after).lines()


def write_corrections(corrections: Sequence[Correction], path: str | Path) -> Path:
    """Corrections as JSONL, one per line: a labelled dataset, and what ``analyze(corrections=…)`` reads."""
    from .corrections import write_corrections as write

    return write(corrections, path)


def open_store(settings: Settings | None = None):
    """The store the settings name (``settings.db``: a SQLite file or a PostgreSQL URL), as a context manager."""
    from .store import open_store as open_

    return open_((settings or Settings.load()).db)


def run_embedder(settings: Settings, store=None, *, run_threads: bool = True):
    """The embedder a run makes (MiniLM by default), reading and adding vectors to ``store``'s cache. With
    ``run_threads`` torch also gets a run's thread count (``run.make_embedder``); without, torch is left
    as it is (a benchmark that times the embedder on its own)."""
    if run_threads:
        from .run import make_embedder

        return make_embedder(settings, store)
    from .argue.stages import make_embedder as model_only

    return model_only(settings, store)


def ingest_options(settings: Settings, *, limit: int | None = None):
    """How inputs are read (``ingest.*`` settings), reading at most ``limit`` articles."""
    from .ingest import IngestOptions

    return IngestOptions.from_settings(settings, limit=limit)


def default_claim_threshold() -> float | None:
    """The claim detector's own threshold (what applies while ``claims.threshold`` is unset); None when its
    weights cannot be read."""
    from .argue.claims import ClaimHead

    try:
        return ClaimHead.load().threshold
    except CruxmapError:
        return None


def map_hypotheses(debate_map: DebateMap) -> list:
    """A map's hypotheses (those it ranked, else its question file's), in order."""
    from .map.build import hypotheses_of

    return hypotheses_of(debate_map)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, allow_no_login: bool = False) -> None:
    """The web UI and the JSON API over the store's runs, until interrupted (``serve.serve``)."""
    from .serve import serve as run_server

    run_server(settings, host=host, port=port, allow_no_login=allow_no_login)


def list_runs(settings: Settings | None = None) -> list[RunInfo]:
    with open_store(settings) as store:
        return store.list_runs()


def list_corrections(settings: Settings | None = None) -> list:
    """Every correction in the store, oldest first."""
    with open_store(settings) as store:
        return store.list_corrections()


def delete_correction(correction_id: str, settings: Settings | None = None) -> None:
    """Remove a correction from the store (runs made with it keep it; the next run does not apply it)."""
    with open_store(settings) as store:
        if not store.delete_correction(correction_id):
            raise ConfigError(f"no correction {correction_id!r} in the store",
                              fix="`cruxmap corrections list` shows their ids")


def import_corrections(path: str | Path, settings: Settings | None = None) -> list:
    """Add the corrections of a JSONL file (from the report, a colleague or an export) to the store."""
    from .corrections import read_corrections

    corrections = read_corrections(path)
    with open_store(settings) as store:
        for c in corrections:
            store.put_correction(c)
    return corrections


def map_tables(debate_map: DebateMap) -> dict[str, list[dict]]:
    """Rows of a map's key points, camps, cruxes and ACH ranking (what ``cruxmap map`` prints)."""
    from .map import map_tables as tables

    return tables(debate_map)


def timeline_rows(debate_map: DebateMap) -> list[dict]:
    """A map's events in time order, year-less after dated, undated last (what ``cruxmap timeline`` prints)."""
    from .nlp.events import format_timeline

    return format_timeline(debate_map.events, debate_map.sources)


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


def pipeline_steps(settings: Settings | None = None, question: str | Path | None = None) -> list:
    """The steps a run with ``settings`` on the question file ``question`` would take, in order, each
    with what it requires and provides and its backend (``describe.StepInfo``); no model is loaded."""
    from .describe import describe_steps

    return describe_steps(settings or Settings.load(), load_question_file(question))


def backends(settings: Settings | None = None) -> dict[str, str]:
    """Each kind of model-backed step (annotate, events, quotes, embedder, claims, stance, matcher) → the
    versioned backend the settings resolve it to (``stance.offline.v2``); no model is loaded."""
    from .describe import backends as resolved

    return resolved(settings or Settings.load())


def schema() -> dict:
    return map_json_schema()


def schema_text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"


__all__ = [
    "CruxmapError",
    "RunRequest",
    "RunSummary",
    "analyze",
    "backends",
    "check_out_folder",
    "correct",
    "correct_in_store",
    "default_claim_threshold",
    "delete_correction",
    "demo",
    "export",
    "import_corrections",
    "ingest_options",
    "list_corrections",
    "list_runs",
    "load_map",
    "load_question_file",
    "make_executor",
    "map_changes",
    "map_hypotheses",
    "map_tables",
    "open_store",
    "pipeline_steps",
    "reading_plan",
    "require_engine",
    "run_embedder",
    "schema",
    "schema_text",
    "serve",
    "source_rows",
    "timeline_rows",
    "write_corrections",
    "write_map",
    "write_report",
]
