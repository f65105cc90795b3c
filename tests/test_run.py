"""One ``Run`` whatever runs its documents: an executor of one's own gets the run's inputs, and the run does the
set-up, the corpus steps and the write around it, as for the in-process executor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cruxmap import api
from cruxmap.pipeline import Pipeline
from cruxmap.run import Run, RunOptions
from cruxmap.settings import Settings

ARTICLES = {
    "library-late.txt": (
        "Keep the library open until nine\n\n"
        "The town library closes at five, just as most people leave work. Opening until nine on three evenings "
        "would cost less than one extra librarian, and the reading room is full every Saturday. The council "
        "should approve the longer hours this spring."),
    "library-cost.txt": (
        "Longer library hours are a luxury\n\n"
        "Evening opening sounds generous, but the heating and the caretaker's overtime would swallow the book "
        "budget. Few people would come after dark in winter. The council should spend the money on new books "
        "instead."),
}


class OneChunkHere:
    """An executor of one's own: every input read first, then all new documents through the stages here at
    once (what the in-process executor does when the input fits in one chunk)."""

    def __init__(self, settings: Settings):
        self.time_budget = settings.doc_time_budget
        self.record = {"engine": "one-chunk-here"}
        self.calls = 0

    def documents(self, batch, inputs, setup, progress, expected):
        self.calls += 1
        for item in inputs:
            batch.add(item)
        pipeline = Pipeline(setup.stages, strict=batch.strict, time_budget=self.time_budget)
        for doc in pipeline.run(batch.take_pending()):
            batch.settle(doc)
        batch.failures.extend(pipeline.failures)


def _articles(folder: Path) -> Path:
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _comparable(debate_map) -> dict:
    data = json.loads(debate_map.model_dump_json())
    data.pop("run")
    return data


@pytest.mark.models
def test_an_executor_of_ones_own_gives_the_in_process_map_and_is_recorded(tmp_path):
    articles = _articles(tmp_path / "articles")
    settings = Settings(db=str(tmp_path / "own.db"), annotate_workers=0)
    question = api.load_question_file(Path(__file__).resolve().parents[1] / "examples" / "question.yaml")
    executor = OneChunkHere(settings)
    with api.open_store(settings) as store:
        summary = Run(store, settings, question, RunOptions(paths=[articles], keep_map=True)).execute(executor)
    assert executor.calls == 1
    own = summary.debate_map
    assert own is not None and own.run is not None
    assert own.run.options["engine"] == "one-chunk-here"
    assert summary.counts["sources"] == len(ARTICLES) and own.claims

    in_process = api.analyze([articles], settings=settings.model_copy(update={"db": str(tmp_path / "here.db")}),
                             question=Path(__file__).resolve().parents[1] / "examples" / "question.yaml")
    assert in_process.run is not None and "engine" not in in_process.run.options
    assert own.run.options["pipeline_key"] == in_process.run.options["pipeline_key"]
    assert _comparable(own) == _comparable(in_process)
