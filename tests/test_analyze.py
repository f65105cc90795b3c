"""End to end through the library API and the CLI: ingest → clean → store → map.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cruxmap
from cruxmap import api
from cruxmap.argue.minilm import MINILM_SHA256
from cruxmap.cli import app
from cruxmap.model import map_json_schema
from cruxmap.run import batch, setup, steps
from cruxmap.store import open_store

ARTICLE_A = """Harbour towns should not bet their future on cruise ships

Every spring the council promises that the next season of cruise calls will pay for the new
quay. The numbers say otherwise. Passengers spend a few hours ashore and most of their money
on board, while the town pays for the buses, the litter and the queues.

A better plan is to court the visitors who stay a week. They fill the guest houses in
autumn, when the quay is empty.
"""

ARTICLE_B = """---
title: Cruise calls keep the harbour alive
author: Ada Brennan
outlet: The Quayside Post
date: 2024-05-02
---
Without the cruise ships the harbour would have closed a decade ago. The fees from each
call paid for the dredging in 2019, and the shops along the front open in April because the
first ships arrive then. Critics who want fewer calls rarely say who would pay instead.
"""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    (folder / "nested").mkdir(parents=True)
    (folder / "cruise-sceptic.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "nested" / "cruise-fan.md").write_text(ARTICLE_B, encoding="utf-8")
    return folder


def test_analyze_writes_a_valid_map_and_records_the_run(corpus, tmp_path, settings):
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "out"
    result = api.analyze([corpus], out, settings=settings)
    data = json.loads((out / "map.json").read_text())
    jsonschema.validate(data, map_json_schema())
    assert len(result.sources) == 2 and not result.failures
    by_path = {s.path.rsplit("/", 1)[-1]: s for s in result.sources}
    fan = by_path["cruise-fan.md"]
    assert (fan.title, fan.author, fan.outlet, fan.published) == (
        "Cruise calls keep the harbour alive", "Ada Brennan", "The Quayside Post", "2024-05-02")
    assert fan.text.startswith("Without the cruise ships")
    assert "the harbour would have closed a decade ago. The fees" in fan.text  # re-flowed
    assert len(fan.sha256) == 64
    assert result.run and result.run.id in {r.id for r in api.list_runs(settings)}
    # the run record says what made it: library versions, resolved settings (no local paths), the map's weights
    assert {"python", "cruxmap", "pydantic"} <= set(result.run.libraries)
    assert result.run.settings["stance"]["backend"] == settings.stance.backend and "db" not in result.run.settings
    assert result.run.backends["map"].startswith("map:matcher.argkp.v1:keypoints-head:")


def test_the_run_record_holds_the_settings_sections_and_every_weight_files_hash(corpus, tmp_path, settings):
    question = tmp_path / "q.yaml"
    question.write_text("hypotheses:\n  - id: H1\n    statement: Cruise ships should keep calling at the harbour.\n")
    settings = settings.model_copy(update={"map": settings.map.model_copy(update={"max_cruxes": 2})})
    result = api.analyze([corpus], tmp_path / "out", settings=settings, question=question)
    data = json.loads((tmp_path / "out" / "map.json").read_text())
    assert data["run"]["settings"]["map"]["max_cruxes"] == 2 and "ingest" in data["run"]["settings"]
    # every weight file the run read (claims, stance, the map's matcher and pair reader, MiniLM), by its path
    # under resources/, with its full SHA-256
    resources = Path(cruxmap.__file__).parent / "resources"
    packaged = {name: hashlib.sha256((resources / name).read_bytes()).hexdigest() for name in (
        "claims/claims_head.npz", "claims/prefilter.npz", "stance/stance_head.npz", "stance/cross_encoder.npz",
        "keypoints/head.npz", "keypoints/cross_encoder.npz")}
    assert result.run.weights == {**packaged, "all-MiniLM-L6-v2/model.safetensors": MINILM_SHA256}
    assert data["run"]["weights"] == result.run.weights


def test_rerun_reuses_stored_work_and_adds_no_rows(corpus, tmp_path, settings):
    first = api.analyze([corpus], tmp_path / "one", settings=settings)
    second = api.analyze([corpus], tmp_path / "two", settings=settings)
    assert second.run.reused == 2 and first.run.reused == 0
    assert second.run.id == first.run.id
    assert len(api.list_runs(settings)) == 1
    strip = lambda m: [s.model_dump() for s in m.sources]
    assert strip(first) == strip(second)
    with open_store(settings.db) as store:
        assert store.load_map(first.run.id).sources[0].text == first.sources[0].text


def test_bad_inputs_are_listed_and_the_batch_completes(corpus, settings, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = api.analyze([corpus, tmp_path / "missing.txt"], settings=settings)
    assert len(result.sources) == 2
    failed = {f.path.rsplit("/", 1)[-1] for f in result.failures}
    assert {"empty.txt", "image.txt", "missing.txt"} <= failed
    for f in result.failures:
        assert f.path in f.message and f.stage == "ingest"


def test_an_article_too_long_to_parse_is_refused_before_any_model_runs(corpus, settings, tmp_path, monkeypatch):
    """Past spaCy's limit an article used to fail late, with spaCy's message, and still land in map.json."""
    monkeypatch.setattr(batch, "MAX_ARTICLE_CHARS", 3000)
    long = corpus / "book.txt"
    long.write_text("A Very Long Report\n\n" + "The committee met again and argued about the bridge. " * 200)
    result = api.analyze([corpus], tmp_path / "out", settings=settings)
    assert len(result.sources) == 2 and all(s.path != str(long) for s in result.sources)
    [failure] = [f for f in result.failures if f.path == str(long)]
    assert failure.stage == "clean" and failure.error == "too-long"
    assert "characters after cleaning" in failure.message and "split it" in failure.message
    assert "The committee met again" not in (tmp_path / "out" / "map.json").read_text()


def test_a_document_that_stalls_a_stage_is_a_failure_and_the_others_are_mapped(corpus, settings, tmp_path,
                                                                               monkeypatch):
    """The run's time budget reaches its stages: one pathological article cannot hold up the batch."""
    import time

    from cruxmap.nlp import stages

    real = stages.extract_quotes

    def slow_on_one(doc):
        if "cruise-fan" in doc.source.path:
            time.sleep(180)
        return real(doc)

    monkeypatch.setattr(stages, "extract_quotes", slow_on_one)
    # 15 s: far below the 180 s stall, and far above what a 2-core machine running several test suites at once
    # needs for these small articles (at 5 s a second article ran over its budget under a load average of 8)
    run = settings.model_copy(update={"annotate_workers": 0, "doc_time_budget": 15.0})
    started = time.perf_counter()
    result = api.analyze([corpus], tmp_path / "out", settings=run)
    assert time.perf_counter() - started < 150  # the stall was cut short (two budgets and the work): no 180 s wait
    [failure] = [f for f in result.failures if f.error == "time-budget"]
    assert failure.path.endswith("cruise-fan.md") and failure.stage == "quotes"
    assert any(s.path.endswith("cruise-sceptic.txt") for s in result.sources)
    assert any(c.source_id == s.id for s in result.sources if s.path.endswith("cruise-sceptic.txt")
               for c in result.claims)


def test_analysing_only_paths_that_do_not_exist_is_an_error_not_an_empty_map(settings, tmp_path):
    from cruxmap.errors import InputError

    with pytest.raises(InputError, match="no such file or folder") as info:
        api.analyze([tmp_path / "nowhere"], tmp_path / "out", settings=settings)
    assert info.value.fix and not (tmp_path / "out" / "map.json").exists()
    result = CliRunner().invoke(app, ["--db", settings.db, "analyze", str(tmp_path / "nowhere")])
    assert result.exit_code != 0 and "no such file or folder" in str(result.exception)


def test_cli_analyze_sources_and_strict(corpus, tmp_path, settings):
    runner = CliRunner()
    db = ["--db", settings.db]
    out = tmp_path / "cli-out"
    ok = runner.invoke(app, [*db, "analyze", str(corpus), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert (out / "map.json").is_file()
    listed = runner.invoke(app, [*db, "sources", str(out)])
    assert listed.exit_code == 0 and "Quayside" in listed.output
    (corpus / "empty.txt").write_text("   \n")
    strict = runner.invoke(app, [*db, "analyze", str(corpus), "--strict"])
    assert strict.exit_code != 0
    assert "empty.txt" in strict.output


def test_cli_analyze_no_report_streams_the_same_map(corpus, tmp_path, settings):
    runner = CliRunner()
    db = ["--db", settings.db]
    full, streamed = tmp_path / "full", tmp_path / "streamed"
    assert runner.invoke(app, [*db, "analyze", str(corpus), "--out", str(full)]).exit_code == 0
    result = runner.invoke(app, [*db, "analyze", str(corpus), "--out", str(streamed), "--no-report"])
    assert result.exit_code == 0, result.output
    assert "no report" in result.output and "2 sources" in result.output
    assert not (streamed / "report.html").exists() and (full / "report.html").is_file()

    def without_run(path):
        data = json.loads((path / "map.json").read_text())
        data.pop("run")
        return data

    assert without_run(streamed) == without_run(full)
    (corpus / "empty.txt").write_text("   \n")
    strict = runner.invoke(app, [*db, "analyze", str(corpus), "--no-report", "--strict"])
    assert strict.exit_code != 0 and "empty.txt" in strict.output



def test_cli_no_report_streams_the_map_on_either_engine(tmp_path, monkeypatch):
    """``--no-report`` asks ``api.analyze`` not to keep the map, whichever engine runs the documents (it once
    kept the whole map on the Ray engine, silently), and prints the streamed run's summary."""
    from cruxmap.model import RunInfo

    asked = []

    def analyze(paths, out, **request):
        asked.append(request)
        run = RunInfo(id="run-streamed0001", created="2026-01-01T00:00:00+00:00", cruxmap_version="t")
        counts = dict.fromkeys(("sources", "sentences", "quotes", "events", "claims"), 3)
        return api.RunSummary(run=run, failures=[], counts=counts, map_path=Path(out) / "map.json")

    monkeypatch.setattr(api, "analyze", analyze)
    runner = CliRunner()
    for engine in ("inprocess", "ray"):
        result = runner.invoke(app, ["--db", str(tmp_path / "db.sqlite"), "analyze", str(tmp_path), "--no-report",
                                     "--out", str(tmp_path / engine), "--engine", engine])
        assert result.exit_code == 0, result.output
        assert asked[-1]["keep_map"] is False and asked[-1]["engine"] == engine
        printed = "".join(result.output.split())  # rich wraps long paths anywhere
        assert "runrun-streamed0001recorded" in printed and f"{engine}/map.json(noreport)" in printed
    runner.invoke(app, ["--db", str(tmp_path / "db.sqlite"), "analyze", str(tmp_path)])
    assert asked[-1]["keep_map"] is True  # without the flag the whole map is kept

def test_cli_schema_prints_the_committed_schema():
    out = CliRunner().invoke(app, ["schema"]).output
    assert json.loads(out)["title"] == "cruxmap map.json"


def test_load_map_errors_name_the_path(tmp_path, settings):
    from cruxmap.errors import InputError

    with pytest.raises(InputError, match="no map.json"):
        api.load_map(tmp_path, settings)


def test_a_limit_below_one_is_refused_before_anything_runs(settings, corpus):
    result = CliRunner().invoke(app, ["--db", settings.db, "analyze", str(corpus), "--limit", "-3"])
    assert result.exit_code == 2 and "--limit" in result.output


def test_an_unknown_stance_backend_is_named_with_the_known_ones_before_any_model_loads(settings, corpus, monkeypatch,
                                                                                      tmp_path):
    from cruxmap.errors import ConfigError

    def no_models(*args, **kwargs):
        raise AssertionError("a model was loaded before the stance backend was checked")

    monkeypatch.setattr(setup, "make_embedder", no_models)
    question = tmp_path / "q.yaml"
    question.write_text("hypotheses:\n  - id: H1\n    statement: The bridge should be built.\n")
    with pytest.raises(ConfigError, match="unknown stance backend 'foo'") as info:
        api.analyze([corpus], settings=settings.updated(**{"stance.backend": "foo"}), question=question)
    assert all(name in info.value.fix for name in ("offline", "hf", "llm"))


def test_a_stance_backend_that_cannot_run_is_refused_before_any_model_loads(corpus, settings, tmp_path, monkeypatch):
    from cruxmap.errors import ConfigError

    def no_models(*args, **kwargs):
        raise AssertionError("a model was loaded before the settings were checked")

    monkeypatch.setattr(setup, "make_embedder", no_models)
    with pytest.raises(ConfigError) as info:
        api.analyze([corpus], tmp_path / "out",
                    settings=settings.updated(**{"stance.backend": "hf", "stance.hf.model_dir": None}))
    assert "CRUXMAP_STANCE__HF__MODEL_DIR" in info.value.fix and "--hf-model" not in str(info.value)
    with pytest.raises(ConfigError, match="stance.llm.base_url and stance.llm.model"):
        api.analyze([corpus], tmp_path / "out", settings=settings.updated(**{"stance.backend": "llm"}))


def test_out_naming_a_file_is_refused_before_the_analysis(corpus, settings, tmp_path, monkeypatch):
    from cruxmap.errors import InputError

    monkeypatch.setattr(setup, "make_embedder", lambda *a, **k: (_ for _ in ()).throw(AssertionError("analysed")))
    target = tmp_path / "map.json"
    target.write_text("{}")
    with pytest.raises(InputError, match="must be a folder"):
        api.analyze([corpus], target, settings=settings)


def test_the_demo_keeps_its_run_in_its_own_folder_unless_a_store_was_chosen(tmp_path, monkeypatch):
    from cruxmap.settings import Settings
    from cruxmap.store.base import default_db_path

    seen = {}
    monkeypatch.setattr(api, "analyze", lambda paths, out, settings, **kw: seen.setdefault("db", settings.db))
    api.demo(tmp_path / "demo", settings=Settings(db=str(default_db_path())))
    assert seen.pop("db") == str(tmp_path / "demo" / "cruxmap.db")
    api.demo(tmp_path / "demo", settings=Settings(db=str(tmp_path / "mine.db")))
    assert seen.pop("db") == str(tmp_path / "mine.db")


def test_help_and_hints_say_what_works():
    from cruxmap.store.sqlite import SQLiteStore

    runner = CliRunner()
    result = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"})
    assert "cruxmap[ray]" in result.output  # not swallowed as markup
    config = runner.invoke(app, ["config"])
    assert "claim detector's own threshold" in config.stderr
    store = SQLiteStore.__new__(SQLiteStore)
    store.path = Path("/tmp/elsewhere.db")
    assert store._see_runs() == "cruxmap --db /tmp/elsewhere.db runs"  # global options go before the command


def test_progress_off_a_terminal_is_plain_log_lines_for_every_phase(corpus, settings, tmp_path):
    result = CliRunner().invoke(app, ["--db", settings.db, "analyze", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("cruxmap [")]
    phases = [line.split("] ", 1)[1] for line in lines]
    assert any(p.startswith("analyse 0 of about 2 articles") for p in phases)  # counted before any is read
    assert any(p.startswith("analyse 2 of about 2 articles") for p in phases)  # the last chunk is counted too
    assert any(p.startswith("corpus:") for p in phases) and any(p.startswith("map:") for p in phases)
    assert phases[-1].startswith("write:")


def test_progress_off_a_terminal_logs_each_twentieth_not_each_article(capsys):
    """The Ray engine reports every article; a log file gets the start, each 5 % and the end of a phase."""
    from cruxmap import cli

    bar, update = cli._progress()
    with bar:
        for done in range(1001):
            update("analyse", done, 1000)
        update("map: key points", 0, 0)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("cruxmap [")]
    assert 20 <= len(lines) <= 23, lines
    assert "analyse 0 of about 1000 articles" in lines[0] and "analyse 1000 of about 1000 articles" in lines[-2]
    assert lines[-1].endswith("map: key points")


def test_the_whole_run_is_checked_against_the_contracts_of_its_stages_and_corpus_steps(settings, monkeypatch):
    """The corpus steps declare what they read, as the document stages do: a run whose stages do not make
    what the map reads fails at its set-up, naming the step, not minutes later inside the map."""
    from cruxmap.errors import ConfigError
    from cruxmap.model import Question
    from cruxmap.store import open_store

    whole = setup.build_stages
    monkeypatch.setattr(setup, "make_embedder", lambda *a, **k: None)
    monkeypatch.setattr(setup, "build_stages", lambda *a, **k: [s for s in whole(*a, **k) if s.name != "events"])
    with open_store(settings.db) as store, pytest.raises(ConfigError, match="stage 'map' requires events"):
        setup.prepare_run(store, settings, Question())
    assert [s.name for s in steps.CORPUS_STEPS] == ["duplicates", "hypotheses", "entities", "map", "write"]


def test_the_cli_prints_square_brackets_in_text_and_messages_as_written(settings, tmp_path, monkeypatch, capsys):
    """Rich reads ``[word]`` as markup; text from articles and fixes naming ``[cruxmap]`` must not lose it."""
    from report_fixture import report_map

    from cruxmap import cli

    debate_map = report_map()
    quote = debate_map.quotes[0]
    bracketed = "We will [not] give way on the tolls, and [the council] knows it"
    debate_map.quotes[0] = quote.model_copy(update={"text": bracketed, "speaker": "Ana [Mayor] Ruiz"})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "map.json").write_text(debate_map.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", settings.db, "quotes", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert bracketed in result.output and "Ana [Mayor] Ruiz" in result.output

    monkeypatch.setattr("sys.argv", ["cruxmap", "--db", settings.db, "analyze", str(tmp_path / "out"),
                                     "--stance", "hf"])
    monkeypatch.delenv("CRUXMAP_HF_MODEL", raising=False)
    monkeypatch.delenv("CRUXMAP_STANCE__HF__MODEL_DIR", raising=False)
    with pytest.raises(SystemExit):
        cli.main()
    assert "under [cruxmap.stance.hf] in cruxmap.toml" in capsys.readouterr().err


def test_the_timeline_fits_80_columns_with_the_date_the_event_and_its_source(settings, tmp_path, monkeypatch):
    """Seven columns at 80 characters wrapped every cell to a word or two per line."""
    from report_fixture import report_map

    monkeypatch.setenv("COLUMNS", "80")
    debate_map = report_map()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "map.json").write_text(debate_map.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", settings.db, "timeline", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "date" in line and "source" in line)
    assert header.count("┃") == 4  # three columns
    event = next(e for e in debate_map.events if e.date)
    assert event.id in result.output and event.date in result.output


def test_the_quotes_command_gives_a_role_only_where_it_differs_from_the_speakers_name(tmp_path):
    from cruxmap.model import DebateMap, Question, Quote, Source

    text = "NATO allies believe the crossing will reopen by spring. American officials said it would not."
    m = DebateMap(question=Question(question="Will the crossing reopen?", hypotheses=[]), hypotheses=[],
                  sources=[Source(id="src-a", path="a.txt", sha256="a" * 64, text=text)],
                  quotes=[Quote(id="src-a:q0", source_id="src-a", start=25, end=54, text=text[25:54],
                                speaker="NATO allies", speaker_role="NATO allies", speaker_type="group"),
                          Quote(id="src-a:q1", source_id="src-a", start=79, end=92, text=text[79:92],
                                speaker="U.S. officials", speaker_role="American officials", speaker_type="group")])
    (tmp_path / "map.json").write_text(m.model_dump_json())
    out = CliRunner().invoke(app, ["--db", str(tmp_path / "db.sqlite"), "quotes", str(tmp_path)],
                             env={"COLUMNS": "200"}).output
    assert "U.S. officials — American officials (1)" in out
    assert "NATO allies (1)" in out and "NATO allies — NATO allies" not in out
