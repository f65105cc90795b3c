"""README tables are printed from the committed bench results (``scripts/readme_tables.py``), never typed."""

from __future__ import annotations

import json
import re
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


def test_a_generated_file_is_written_and_a_stale_one_fails_the_check(tmp_path, monkeypatch, capsys):
    """The README tables and docs/settings.md share this ``main`` (``scripts/generated.py``)."""
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    from generated import write_or_check

    target = tmp_path / "table.md"

    def render(current: str) -> str:
        return "| a | b |\n" + ("(kept)\n" if "(kept)" in current else "")

    def run(*argv: str) -> int:
        return write_or_check(target, render, description="test", rewrite="python make_table.py", argv=argv)

    assert run("--check") == 1 and "table.md is out of date: run python make_table.py" in capsys.readouterr().err
    assert not target.exists()  # a check writes nothing
    assert run() == 0 and target.read_text() == "| a | b |\n"
    assert run("--check") == 0
    target.write_text("| a | b |\n(kept)\n")  # render sees what is there (the README keeps its prose)
    assert run("--check") == 0
    target.write_text("| a | c |\n")
    assert run("--check") == 1


def test_the_dates_narrative_sentence_is_computed_from_the_rows():
    import importlib

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        tables = importlib.import_module("readme_tables")
    finally:
        sys.path.remove(str(REPO / "scripts"))

    def rows(name: str, gold: int, year: float, iso: float) -> list[dict]:
        return [{"task": "dates", "dataset": name, "split": "dev", "metric": metric, "value": value}
                for metric, value in (("gold expressions", gold), ("year", year), ("iso exact", iso))]

    text = tables.dates_narrative_prose(rows("narrative offsets, random news sample", 10, 0.5, 0.2)
                                        + rows("narrative offsets, second random sample", 30, 0.9, 0.6)
                                        + rows("relative and named dates: narrative", 43, 0.91, 0.81))
    # pooled by gold count: (10 × 0.5 + 30 × 0.9) / 40 = 0.80, (10 × 0.2 + 30 × 0.6) / 40 = 0.50
    assert "On the 40 drawn at random" in text and "in 2 draws" in text
    assert "right for 0.80 of them and the full date for 0.50" in text and "43 chosen" in text


def test_the_readme_dates_section_types_no_figure_by_hand():
    """Every share in the dates section comes from a generated block (``docs/bench/dates.json``)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Dates and the timeline"):readme.index("### Quotes and speakers")]
    typed = re.sub(r"<!-- table:([\w-]+) -->.*?<!-- /table:\1 -->", "", section, flags=re.S)
    assert not re.findall(r"\b0?\.\d\d\b|\d+ ?%|\b(?:one|two|three|four) in (?:two|three|four|five)\b", typed)


def test_bench_json_rows_carry_the_version_commit_and_date_and_old_files_still_print(tmp_path, monkeypatch):
    """``cruxmap bench … --json`` stamps every row (``bench.results``, as MTEB's result files are); the README's
    tables print the same from a stamped file as from one written before the stamp, plus a line naming what
    measured it."""
    from typer.testing import CliRunner

    from cruxmap import __version__
    from cruxmap.bench.base import BenchRow, quality_task
    from cruxmap.bench.results import STAMP_FIELDS, source_commit, stamp, unstamped
    from cruxmap.cli import app

    @quality_task("stamped-test")
    def _rows(split, settings, **_options):
        return [BenchRow(task="stamped-test", dataset="invented", split=split, metric="accuracy", value=0.5)]

    out = tmp_path / "rows.json"
    done = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "bench", "quality", "--task", "stamped-test",
                                    "--json", str(out)])
    assert done.exit_code == 0, done.output
    [row] = json.loads(out.read_text(encoding="utf-8"))
    assert row["cruxmap_version"] == __version__ and row["value"] == 0.5
    assert row["commit"] == source_commit()  # None only outside a git checkout
    assert row["commit"] is None or len(row["commit"].removesuffix("+dirty")) == 40
    assert len(row["date"]) == 10 and row["date"][:2] == "20"
    record = {"articles": 3, "seconds": 1.5}
    assert set(stamp(record, "abc", "2026-12-07")) == {"articles", "seconds", *STAMP_FIELDS}
    assert unstamped(stamp([record], "abc")) == [record]

    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    import readme_tables

    for name, (path, build) in readme_tables.TABLES.items():
        committed = json.loads(path.read_text(encoding="utf-8"))
        old = unstamped(committed)
        fresh = stamp(old, "0123456789abcdef+dirty", "2026-12-07")
        assert build(fresh) == build(old), name
        assert readme_tables.provenance(old) == ""
        assert readme_tables.provenance(fresh) == (f"\n\n*Measured by cruxmap {__version__} at commit 0123456789ab "
                                                   "(uncommitted changes) on 2026-12-07.*")
