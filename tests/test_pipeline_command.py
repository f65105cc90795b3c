"""`cruxmap pipeline` / `api.pipeline_steps`: the steps of a run, in order, without loading a model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cruxmap import api
from cruxmap.cli import app
from cruxmap.errors import ConfigError
from cruxmap.pipeline import BASE_LAYERS
from cruxmap.settings import Settings

REPO = Path(__file__).resolve().parents[1]
QUESTION = REPO / "examples" / "question.yaml"
ORDER = ["clean", "annotate", "events", "quotes", "claims", "stance",
         "duplicates", "hypotheses", "entities", "map", "write"]


def test_every_step_is_listed_in_run_order_and_reads_only_what_came_before():
    steps = api.pipeline_steps(Settings(), QUESTION)
    assert [s.name for s in steps] == ORDER
    assert [s.scope for s in steps] == ["document"] * 6 + ["corpus"] * 5
    have = {"source"}
    for step in steps:
        assert set(step.requires) <= have, step.name
        have |= set(step.provides)
    assert BASE_LAYERS <= have and "map" in have
    by_name = {s.name: s for s in steps}
    assert by_name["stance"].backend == "stance.offline.v2"
    assert "embedder.minilm.v1" in by_name["claims"].version
    assert by_name["map"].version.startswith("map:matcher.argkp.v1:keypoints-head:")


def test_without_hypotheses_there_is_no_stance_stage_and_the_hypotheses_are_suggested():
    steps = api.pipeline_steps(Settings(), None)
    assert "stance" not in [s.name for s in steps]
    hypotheses = next(s for s in steps if s.name == "hypotheses")
    assert hypotheses.backend == "suggest" and "stance.offline.v2" in hypotheses.version


def test_describing_the_steps_loads_no_model():
    code = ("import sys; from cruxmap import api; from cruxmap.settings import Settings; "
            f"api.pipeline_steps(Settings(), {str(QUESTION)!r}); "
            "print(sorted(m for m in ('torch', 'transformers', 'spacy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"


def test_the_command_prints_one_line_per_step_and_refuses_an_unknown_backend():
    runner = CliRunner()
    done = runner.invoke(app, ["pipeline", "--question", str(QUESTION)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert [line.split()[1] for line in lines] == ORDER
    assert "backend stance.offline.v2" in lines[5] and "requires sentences, quotes, claims" in lines[5]
    refused = runner.invoke(app, ["pipeline", "--question", str(QUESTION), "--stance", "offlin"])
    assert isinstance(refused.exception, ConfigError)  # cli.main prints it as one line with the fix
    assert "unknown stance backend 'offlin'" in str(refused.exception) and "offline.v2" in str(refused.exception)


@pytest.mark.models
def test_the_listed_backends_are_those_a_run_builds():
    from cruxmap.api import load_question_file
    from cruxmap.run import build_stages

    settings = Settings()
    question = load_question_file(QUESTION)
    built = {s.name: s for s in build_stages(settings, question)}
    listed = {s.name: s for s in api.pipeline_steps(settings, QUESTION)}
    for name in ("annotate", "events", "quotes"):
        assert listed[name].version == built[name].version()
    assert listed["claims"].backend == built["claims"].registry_name
    assert built["stance"].version().startswith(f"{listed['stance'].backend}:")


def test_a_step_that_names_a_layer_the_document_model_lacks_is_refused():
    """Layer names are the model's fields (a space for the underscore, ``layer.field`` for a field of its items),
    so a misspelt one fails when the pipeline is built instead of passing as a layer nobody provides or reads."""
    from cruxmap.pipeline import Declared, check_order

    check_order([Declared("mine", ("text",), ("entities.canonical", "key points", "duplicates", "map"))])
    for requires, provides, named in ((("sentence",), (), "'sentence'"), ((), ("entities.colour",), "'entities.colour'"),
                                      ((), ("sentiment",), "'sentiment'"), ((), ("key_points",), "'key_points'")):
        with pytest.raises(ConfigError, match=f"stage 'mine' declares {named}, which the document model does not"):
            check_order([Declared("mine", ("text", *requires), provides)])


def test_the_run_is_checked_from_what_ingest_gives_with_cleaning_as_its_first_step():
    """Cleaning is a step under the same contract: the text the stages read is what it provides."""
    from cruxmap.pipeline import CLEAN, INGESTED, Declared, check_order
    from cruxmap.run import check_run_order

    reads_text = Declared("annotate", ("text",), ("sentences", "entities"))
    with pytest.raises(ConfigError, match="stage 'annotate' requires text"):
        check_order([reads_text], available=INGESTED)
    with pytest.raises(ConfigError, match="stage 'hypotheses' requires claims"):  # past annotate: clean made the text
        check_run_order([reads_text])
    first = api.pipeline_steps(Settings(), QUESTION)[0]
    assert (first.name, first.requires, first.provides) == (CLEAN.name, CLEAN.requires, CLEAN.provides)
