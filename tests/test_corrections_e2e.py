"""Corrections end to end: the CLI records them, a re-run keeps them, a file carries them to another store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cruxmap import api
from cruxmap.cli import app
from cruxmap.store import open_store

SCEPTIC = """Harbour towns should not bet their future on cruise ships

Every spring the council promises that the next season of cruise calls will pay for the new
quay. The numbers say otherwise. Passengers spend a few hours ashore and most of their money
on board, while the town pays for the buses, the litter and the queues.

A better plan is to court the visitors who stay a week. They fill the guest houses in
autumn, when the quay is empty.
"""

FAN = """Cruise calls keep the harbour alive

Without the cruise ships the harbour would have closed a decade ago. The fees from each
call paid for the dredging in 2019, and the shops along the front open in April because the
first ships arrive then. Critics who want fewer calls rarely say who would pay instead.
"""

QUESTION = """question: Should the harbour keep courting cruise ships?
hypotheses:
  - id: H1
    statement: Cruise ships are good for the harbour town and the council should court more of them.
  - id: H2
    statement: Cruise ships cost the town more than they bring and the council should court other visitors.
"""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "sceptic.txt").write_text(SCEPTIC, encoding="utf-8")
    (folder / "fan.txt").write_text(FAN, encoding="utf-8")
    (tmp_path / "question.yaml").write_text(QUESTION, encoding="utf-8")
    return folder


def analyst_cells(debate_map):
    return {(s.target_id, s.hypothesis_id): (s.label, s.machine_label)
            for s in debate_map.stances if s.target == "source" and s.analyst}


def test_a_correction_makes_a_child_run_and_survives_a_rerun(corpus, tmp_path, settings):
    question = tmp_path / "question.yaml"
    first = api.analyze([corpus], settings=settings, question=question)
    fan = next(s for s in first.sources if s.path.endswith("fan.txt"))
    machine = next(s.label for s in first.stances if s.target == "source" and s.target_id == fan.id
                   and s.hypothesis_id == "H1")
    runner = CliRunner()
    db = ["--db", settings.db]
    done = runner.invoke(app, [*db, "correct", first.run.id, "position", "fan.txt", "H1", "support",
                               "--why", "its whole case", "--who", "ana"])
    assert done.exit_code == 0, done.output
    with open_store(settings.db) as store:
        runs = {r.id: r for r in store.list_runs()}
        child = next(r for r in runs.values() if r.kind == "corrections")
        assert child.parent == first.run.id and first.run.id in runs  # the machine's run is kept
        corrected = store.load_map(child.id)
    assert analyst_cells(corrected) == {(fan.id, "H1"): ("support", machine)}
    if machine != "support":
        assert f"fan.txt: H1 {machine} → support (analyst)" in done.output

    again = api.analyze([corpus], settings=settings, question=question)  # a re-run applies what is stored
    assert again.run.kind == "corrections" and again.run.parent
    assert analyst_cells(again) == {(fan.id, "H1"): ("support", machine)}
    listed = runner.invoke(app, [*db, "runs"])
    assert "corrections of" in listed.output

    exported = runner.invoke(app, [*db, "corrections", "export", "-o", str(tmp_path / "c.jsonl")])
    assert exported.exit_code == 0, exported.output
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert [(r["kind"], r["value"], r["who"], r["why"]) for r in rows] == [("position", "support", "ana", "its whole case")]

    # the file carries them to a colleague's store
    other = settings.model_copy(update={"db": str(tmp_path / "colleague.db")})
    theirs = api.analyze([corpus], settings=other, question=question, corrections=tmp_path / "c.jsonl")
    assert analyst_cells(theirs) == {(fan.id, "H1"): ("support", machine)}

    deleted = runner.invoke(app, [*db, "corrections", "delete", rows[0]["id"]])
    assert deleted.exit_code == 0, deleted.output
    plain = api.analyze([corpus], settings=settings, question=question)
    assert plain.run.kind == "analysis" and analyst_cells(plain) == {}


def test_correct_says_what_it_takes(corpus, tmp_path, settings):
    first = api.analyze([corpus], settings=settings, question=tmp_path / "question.yaml")
    runner = CliRunner()
    wrong = runner.invoke(app, ["--db", settings.db, "correct", first.run.id, "position", "fan.txt", "H1"])
    assert wrong.exit_code != 0
    assert "SOURCE HYPOTHESIS LABEL" in str(wrong.exception) and "got 2" in str(wrong.exception)
    unknown = runner.invoke(app, ["--db", settings.db, "correct", first.run.id, "position", "fan.txt", "H7", "support"])
    assert unknown.exit_code != 0 and "H1, H2" in unknown.exception.fix
