"""README tables are printed from the committed bench results (``scripts/readme_tables.py``), never typed."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_readme_tables_match_the_committed_bench_results():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "readme_tables.py"), "--check"],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_source_stance_results_cover_every_set_with_its_baselines():
    rows = json.loads((REPO / "docs" / "bench" / "source-stance.json").read_text(encoding="utf-8"))
    metrics = {(r["dataset"], r["metric"]) for r in rows if r["value"] is not None}
    for dataset in ("climate-change", "affordable-care-act", "illegal-immigration", "debates pooled"):
        for metric in ("accuracy", "accuracy [all none]", "accuracy [outlet lean]", "flips", "accuracy on sided cells"):
            assert (dataset, metric) in metrics, (dataset, metric)
    assert ("example corpus", "accuracy") in metrics and ("seeds", "accuracy") in metrics
