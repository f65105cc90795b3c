"""Question files: good files load, every mistake names the file and the fix."""

from __future__ import annotations

import pytest

from cruxmap.argue.question import load_question
from cruxmap.errors import ConfigError

GOOD = """\
question: "Should the city build a second bridge, and why did the first one fail?"
hypotheses:
  - id: H1
    statement: "The first bridge failed because of poor maintenance."
  - id: H2
    statement: >
      The first bridge failed because
      of a design flaw.
propositions:
  - id: P1
    statement: "The city should build a second bridge."
"""


def write(tmp_path, text, name="q.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_hypotheses_then_propositions(tmp_path):
    q = load_question(write(tmp_path, GOOD))
    assert q.question.startswith("Should the city")
    assert [(h.id, h.kind, h.suggested) for h in q.hypotheses] == [
        ("H1", "hypothesis", False), ("H2", "hypothesis", False), ("P1", "proposition", False)]
    assert q.hypotheses[1].statement == "The first bridge failed because of a design flaw."


def test_hypotheses_exclude_each_other_unless_the_file_says_not(tmp_path):
    assert load_question(write(tmp_path, GOOD)).exclusive is True
    assert load_question(write(tmp_path, GOOD + "exclusive: false\n")).exclusive is False


def test_propositions_only_and_numeric_ids(tmp_path):
    q = load_question(write(tmp_path, "propositions:\n  - id: 1\n    statement: Taxes should rise.\n"))
    assert q.question is None and q.hypotheses[0].id == "1"


@pytest.mark.parametrize("text, message", [
    ("hypotheses:\n  - statement: x is true\n", "has no id"),
    ("hypotheses:\n  - id: H1\n    statement: a\n  - id: H1\n    statement: b\n", "duplicate id 'H1'"),
    ("hypotheses:\n  - id: H1\n    statement: a\npropositions:\n  - id: H1\n    statement: b\n", "duplicate id"),
    ("hypotheses:\n  - id: H1\n    statement: '  '\n", "empty statement"),
    ("hypotheses:\n  - id: H1\n", "empty statement"),
    ("hypotheses: [\n  - id: H1\n", "invalid YAML"),
    ("- just\n- a list\n", "must be a mapping"),
    ("", "must be a mapping"),
    ("question: only a question\n", "no hypotheses"),
    ("hypothesis:\n  - id: H1\n    statement: a\n", "unknown key"),
    ("hypotheses:\n  id: H1\n", "must be a list"),
    ("hypotheses:\n  - H1 is true\n", "not a mapping"),
    ("exclusive: maybe\nhypotheses:\n  - id: H1\n    statement: a\n", "'exclusive' must be true or false"),
])
def test_errors_name_the_file_and_the_fix(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_question(path)
    line = str(info.value)
    assert message in line
    assert line.startswith(str(path)) and " — " in line


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_question(tmp_path / "nope.yaml")
