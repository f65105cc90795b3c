"""The question file: the contested question and the competing hypotheses and propositions.

A question file is YAML::

    question: "Why did X happen, and what should Y do?"
    hypotheses:
      - id: H1
        statement: "..."
        support_examples: ["what a source arguing for H1 would say", "..."]   # optional
        oppose_examples: ["what a source arguing against H1 would say"]      # optional
    propositions:
      - id: P1
        statement: "..."
    exclusive: false   # optional: the hypotheses can be true together (default true)

Hypotheses are competing answers and, by default, exclude each other: a source that argues one
of them cannot also support a rival, and a sentence supports at most one of them. Say
``exclusive: false`` when they are not rivals (several causes that may all be at work).
Examples are short statements in the user's own words of each side's case; they steer which
way a related claim leans (``argue/examples.py``), never whether it is related.

Hypotheses compete to explain (``kind='hypothesis'``); propositions are stand-alone claims
the sources may take a side on (``kind='proposition'``). Both become ``Hypothesis`` items of
one ``Question``. Every mistake is reported as one ``ConfigError`` line naming the file and
the fix, because the user wrote this file by hand.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import ConfigError
from ..model import Hypothesis, HypothesisKind, Question

_SECTIONS: dict[str, HypothesisKind] = {"hypotheses": "hypothesis", "propositions": "proposition"}
_EXAMPLE_KEYS = ("support_examples", "oppose_examples")
_EXAMPLE = "e.g. 'hypotheses: [{id: H1, statement: \"...\"}]'"


def load_question(path: str | Path) -> Question:
    """Read and check a question file; return the ``Question`` with hypotheses then propositions."""
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("question file not found", path=where, fix="give the path of an existing YAML file")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read question file ({err})", path=where, fix="save it as UTF-8 text")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"invalid YAML{at}", path=where, fix="fix the YAML syntax (indentation, quotes, colons)")
    return parse_question(data, where)


def parse_question(data: object, where: str = "<question>") -> Question:
    """Check an already-parsed question mapping (as from YAML or JSON) and build the ``Question``."""
    if not isinstance(data, dict):
        raise ConfigError(
            "question file must be a mapping with 'question', 'hypotheses' and 'propositions' keys",
            path=where,
            fix=f"start the file with 'question: \"...\"' and list hypotheses under 'hypotheses:', {_EXAMPLE}",
        )
    unknown = sorted(set(map(str, data)) - {"question", "exclusive", *_SECTIONS})
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(unknown)}", path=where,
            fix="use only 'question', 'hypotheses', 'propositions' and 'exclusive'",
        )
    exclusive = data.get("exclusive", True)
    if not isinstance(exclusive, bool):
        raise ConfigError("'exclusive' must be true or false", path=where,
                          fix="write 'exclusive: false' when the hypotheses can be true together, else leave it out")
    question = data.get("question")
    if question is not None and (not isinstance(question, str) or not question.strip()):
        raise ConfigError("'question' must be a non-empty string", path=where, fix="write the question in quotes")
    items: list[Hypothesis] = []
    seen: dict[str, str] = {}
    for section, kind in _SECTIONS.items():
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise ConfigError(f"'{section}' must be a list", path=where, fix=f"list entries with '- id: ...', {_EXAMPLE}")
        for n, entry in enumerate(entries, start=1):
            items.append(_parse_entry(entry, section, n, kind, where, seen))
    if not items:
        raise ConfigError(
            "question file names no hypotheses or propositions", path=where,
            fix=f"add at least one entry under 'hypotheses:' or 'propositions:', {_EXAMPLE}",
        )
    return Question(question=question.strip() if question else None, hypotheses=items, exclusive=exclusive)


def _parse_entry(entry: object, section: str, n: int, kind: HypothesisKind, where: str,
                 seen: dict[str, str]) -> Hypothesis:
    label = f"{section} entry {n}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{label} is not a mapping", path=where, fix="write each entry as 'id: ...' and 'statement: ...'")
    ident = entry.get("id")
    if ident is None or not str(ident).strip():
        raise ConfigError(f"{label} has no id", path=where, fix=f"give it a unique id such as '{kind[0].upper()}{n}'")
    ident = str(ident).strip()
    if ident in seen:
        raise ConfigError(
            f"duplicate id '{ident}' ({label} and {seen[ident]})", path=where,
            fix="give every hypothesis and proposition its own id",
        )
    statement = entry.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        raise ConfigError(f"{label} ('{ident}') has an empty statement", path=where,
                          fix="write the statement as one declarative sentence")
    extra = sorted(set(map(str, entry)) - {"id", "statement", *_EXAMPLE_KEYS})
    if extra:
        raise ConfigError(f"{label} ('{ident}') has unknown key(s) {', '.join(extra)}", path=where,
                          fix="use only 'id', 'statement', 'support_examples' and 'oppose_examples'")
    support = _parse_examples(entry.get("support_examples"), f"{label} ('{ident}') support_examples", where)
    oppose = _parse_examples(entry.get("oppose_examples"), f"{label} ('{ident}') oppose_examples", where)
    seen[ident] = label
    return Hypothesis(id=ident, statement=" ".join(statement.split()), kind=kind, support_examples=support,
                      oppose_examples=oppose)


def _parse_examples(value: object, label: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{label} must be a list of non-empty statements", path=where,
                          fix="write them as a YAML list: ['first statement', 'second statement']")
    return [" ".join(v.split()) for v in value]
