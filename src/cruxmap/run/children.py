"""Runs made from other runs: the analyst's corrections applied to the machine's map, as a child run.

A corrections run is always built from the *analysis* run under it (``machine_run``), so corrections
never stack on corrections; it names the run that was corrected as its parent. ``api.analyze`` calls
``apply_stored_corrections`` after each analysis, the web app and ``cruxmap correct`` call
``correct_run``. How an analysis run is assembled is ``engine.py`` (``Run``), which ends by calling
``apply_stored_corrections``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from .. import __version__
from ..model import DebateMap, RunInfo
from ..settings import Settings


def machine_run(store, run_id: str) -> str:
    """The analysis run under ``run_id``: itself, or the ancestor whose map the models read (a corrections
    run is its parent's machine map with the analyst's corrections applied)."""
    run_id = store.resolve_run_id(run_id)
    runs = {r.id: r for r in store.list_runs()}
    seen = set()
    while run_id in runs and runs[run_id].kind == "corrections" and runs[run_id].parent and run_id not in seen:
        seen.add(run_id)
        run_id = runs[run_id].parent
    return run_id


def correct_run(store, run_id: str, extra: Sequence = (), *, settings: Settings | None = None,
                embedder=None) -> tuple[RunInfo, DebateMap, list]:
    """A new run, child of ``run_id``: the machine map under it with every stored correction about its
    sources (and ``extra``) applied and the map re-computed (no model runs; ``embedder`` looks vectors up
    in the store's cache). Returns the new run, its map and the stale corrections. The same corrections
    on the same run give the same run id, so asking twice records one run."""
    from ..corrections import apply_corrections, latest

    settings = settings or Settings.load()
    parent = store.resolve_run_id(run_id)
    debate_map = store.load_map(machine_run(store, parent))
    source_ids = {s.id for s in debate_map.sources}
    corrections = latest([*store.list_corrections(sorted(source_ids)), *extra])
    corrections = [c for c in corrections if c.source_id in source_ids]
    if embedder is None:
        from .setup import make_embedder

        embedder = make_embedder(settings, store)
    t0 = time.perf_counter()
    stale = apply_corrections(debate_map, corrections, embedder, settings)
    digest = hashlib.sha256(parent.encode())
    for c in corrections:
        digest.update(c.model_dump_json().encode())
    base = debate_map.run or RunInfo(id=parent, created="", cruxmap_version=__version__)
    run = base.model_copy(update={
        "id": "run-" + digest.hexdigest()[:12], "parent": parent, "kind": "corrections",
        "created": datetime.now(UTC).isoformat(timespec="seconds"), "cruxmap_version": __version__,
        "timings": {"corrections": round(time.perf_counter() - t0, 4)}, "reused": len(debate_map.sources)})
    debate_map.run = run
    store.save_run(run, debate_map)
    return run, debate_map, stale


def apply_stored_corrections(store, summary, settings: Settings, embedder, source_ids: Sequence[str],
                             out=None):
    """The run with the store's corrections about its sources applied, as a child run (the analysis run
    keeps the machine's reading); the summary unchanged when no correction is about these sources."""
    if not source_ids or not store.list_corrections(list(source_ids)):
        return summary
    run, debate_map, _stale = correct_run(store, summary.run.id, settings=settings, embedder=embedder)
    summary.run = run
    summary.failures = list(debate_map.failures)
    if summary.debate_map is not None:
        summary.debate_map = debate_map
    if out is not None:
        from ..api import write_map

        summary.map_path = write_map(debate_map, out)
    return summary
