"""The README's "From Python" section and SQL queries, run as written; the model documents itself."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from pydantic import BaseModel
from report_fixture import report_map

from cruxmap import model
from cruxmap.model import RunInfo
from cruxmap.store import open_store

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(heading: str, language: str) -> str:
    section = README.split(heading, 1)[1].split("\n### ", 1)[0]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


@pytest.mark.models
def test_the_python_section_of_the_readme_runs_as_written(monkeypatch, capsys):
    pytest.importorskip("pandas")
    monkeypatch.chdir(ROOT)
    exec(compile(_block("### From Python", "python"), "README.md", "exec"), {})  # noqa: S102 (the README's own code)
    printed = capsys.readouterr().out
    assert "hypothesis_id" in printed and "set_by" in printed


def test_the_readmes_sql_queries_run_on_a_store(tmp_path):
    m = report_map()
    m.stances[0] = m.stances[0].model_copy(update={"analyst": True})
    path = tmp_path / "cruxmap.db"
    with open_store(path) as store:
        store.save_run(RunInfo(id="run-sql0000001", created="2026-01-01T00:00:00+00:00", cruxmap_version="t"), m)
    queries = [q.strip() for q in re.sub(r"--[^\n]*", "", _block("### Runs and the store", "sql")).split(";")]
    with sqlite3.connect(path) as conn:
        results = [conn.execute(q, {"run": "run-sql0000001"}).fetchall() for q in queries if q]
    positions, speakers, timeline = results
    placed = [s for s in m.stances if s.target == "source" and s.label != "none"]
    assert len(positions) == len(placed)
    assert {r[0] for r in speakers} <= {q.speaker for q in m.quotes}
    assert [r[0] for r in timeline] == sorted(e.date for e in m.events if e.date)


def test_every_model_class_and_field_says_what_it_holds():
    for name in dir(model):
        cls = getattr(model, name)
        if not (isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__):
            continue
        if name.startswith("_"):
            continue
        assert cls.__doc__ and "Usage docs" not in cls.__doc__, f"{name} has no docstring"
        undocumented = [f for f, info in cls.model_fields.items() if not info.description]
        assert not undocumented, f"{name}: {undocumented} have no description"


def test_the_package_is_typed_and_import_loads_no_model():
    import subprocess
    import sys

    assert (ROOT / "src" / "cruxmap" / "py.typed").is_file()
    code = "import sys, cruxmap; assert callable(cruxmap.load); print('torch' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_one_entry_point_chooses_the_engine(tmp_path, settings, monkeypatch):
    """``api.analyze(…, engine=…)`` is what the command line calls for both engines: it picks the executor
    that runs the documents of one ``Run``."""
    from cruxmap import api
    from cruxmap.errors import ConfigError
    from cruxmap.run import InProcessExecutor
    from cruxmap.scale import ray_engine

    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        api.analyze([tmp_path], settings=settings, engine="spark")
    seen = {}

    class Chosen(Exception):
        pass

    def ray_executor(settings, *, address, concurrency):  # stands in for the cluster: records how it was made
        seen.update(address=address, concurrency=concurrency)
        raise Chosen

    monkeypatch.setattr(ray_engine, "RayExecutor", ray_executor)
    with pytest.raises(Chosen):
        api.analyze([tmp_path], settings=settings, engine="ray", address="10.0.0.1:6379", concurrency=3)
    assert seen == {"address": "10.0.0.1:6379", "concurrency": 3}
    with pytest.raises(Chosen):  # a run that streams its map instead of keeping it makes the same choice
        api.analyze([tmp_path], keep_map=False, settings=settings, engine="ray", address="auto")
    assert seen["address"] == "auto"
    assert not hasattr(api, "analyze_to_store") and not hasattr(ray_engine, "analyze_ray")
    assert isinstance(api.make_executor("inprocess", settings), InProcessExecutor)


def test_corrections_are_listed_imported_and_deleted_through_the_api(tmp_path, settings):
    """What ``cruxmap corrections list|import|delete`` call, usable from Python without the store's internals."""
    from cruxmap import api
    from cruxmap.errors import ConfigError
    from cruxmap.model import Correction

    line = Correction(id="corr-1", kind="position", source_id="src-a", hypothesis_id="H1", value="support",
                      who="ana", when="2026-01-02T10:00:00+00:00")
    (tmp_path / "c.jsonl").write_text(line.model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    imported = api.import_corrections(tmp_path / "c.jsonl", settings)
    assert [c.value for c in api.list_corrections(settings)] == ["support"] and len(imported) == 1
    api.delete_correction(imported[0].id, settings)
    assert api.list_corrections(settings) == []
    with pytest.raises(ConfigError, match="no correction"):
        api.delete_correction("corr-none", settings)
