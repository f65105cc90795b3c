"""``cruxmap bench correction``: how long an analyst waits for the map to follow one correction.

Analyses ``limit`` articles into a throw-away store, then makes corrections through the web app's
JSON API (``POST /api/runs/RUN/corrections``, as the "Correct" page does): each one records the
correction, re-computes positions, camps, evaluative contradictions, the ACH matrix and the cruxes
from the stored map (no model runs) and records the child run. The first correction also loads the
embedder the server keeps warm; the record gives it apart from the median of the rest.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from ..settings import Settings


def measure_correction(settings: Settings, corpus: Path, limit: int, question: str | None, corrections: int = 5) -> dict:
    from fastapi.testclient import TestClient

    from .. import api
    from ..ingest import IngestOptions
    from ..map.build import hypotheses_of
    from ..serve.app import create_app
    from ..store import open_store

    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-") as tmp:
        run_settings = settings.model_copy(update={"db": str(Path(tmp) / "bench.db")})
        options = IngestOptions.from_settings(settings, limit=limit)
        started = time.perf_counter()
        summary = api.analyze([corpus], keep_map=False, settings=run_settings, question=question, ingest_options=options)
        analysis = time.perf_counter() - started
        with open_store(run_settings.db) as store:
            debate_map = store.load_map(summary.run.id)
            hyps = hypotheses_of(debate_map)
            if not hyps:
                raise SystemExit("the corrections need hypotheses: give --question")
            app = create_app(run_settings, store, upload_dir=Path(tmp) / "uploads")
            seconds, run_id, changes = [], summary.run.id, 0
            with TestClient(app) as client:
                for n in range(corrections):
                    source = debate_map.sources[n % len(debate_map.sources)]
                    started = time.perf_counter()
                    answer = client.post(f"/api/runs/{run_id}/corrections", json={
                        "kind": "position", "source": source.id, "hypothesis": hyps[n % len(hyps)].id,
                        "value": ("support", "oppose")[n % 2], "who": "bench"})
                    seconds.append(time.perf_counter() - started)
                    if answer.status_code != 201:
                        raise SystemExit(f"correction {n + 1} failed: {answer.text}")
                    run_id = answer.json()["run_id"]
                    changes += len(answer.json()["changes"])
    return {
        "articles": summary.counts["sources"], "claims": summary.counts["claims"],
        "analysis_seconds": round(analysis, 1), "corrections": corrections,
        "first_seconds": round(seconds[0], 3),
        "median_seconds": round(statistics.median(seconds[1:]), 3) if len(seconds) > 1 else None,
        "max_seconds": round(max(seconds[1:]), 3) if len(seconds) > 1 else None,
        "changes_reported": changes,
    }
