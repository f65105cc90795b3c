"""``cruxmap bench quality --task source-stance``: each source's position, scored against a reading.

A user reads the source-level stance table first: does this article support, oppose, argue both
sides of, or ignore each hypothesis? The stance benchmarks of ``--task stance`` score single
(text, statement) pairs; this task scores the whole chain (claims, claim stance, aggregation)
on whole articles, against labels a careful reader wrote down:

* ``example corpus``: ``examples/corpus`` with ``examples/question.yaml``, labels in
  ``examples/expected.yaml`` (written with the articles, before any stance rule was tuned);
* ``seeds``: ``../shared/corpus/seeds`` with ``examples/nato/question.yaml``, labels in
  ``examples/nato/expected.yaml`` (our reading of the five real articles; the articles are not
  bundled, so the row says so when they are missing).

A label may list several readings a reader would accept; a cell is right when the predicted
label is one of them. Rows: accuracy over all cells, macro-F1 over the four labels, accuracy on
the cells where the reading takes a side (support or oppose), and, for scale, the accuracy of
answering ``none`` everywhere. Both sets were read while the rules were developed, so there is
no held-out split: ``--split test`` says so instead of giving numbers.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from .base import BenchRow, quality_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
LABELS = ("support", "oppose", "mixed", "none")


def reading_sets(data_dir: str | Path) -> list[tuple[str, Path, Path, Path]]:
    """(dataset name, corpus folder, question file, labels file) for each set this task scores."""
    seeds = Path(data_dir).parent / "corpus" / "seeds"
    return [("example corpus", EXAMPLES / "corpus", EXAMPLES / "question.yaml", EXAMPLES / "expected.yaml"),
            ("seeds", seeds, EXAMPLES / "nato" / "question.yaml", EXAMPLES / "nato" / "expected.yaml")]


def load_readings(path: Path) -> dict[str, dict[str, list[str]]]:
    """file name → hypothesis id → accepted labels (first = the reader's own)."""
    files = yaml.safe_load(path.read_text(encoding="utf-8"))["files"]
    return {name: {h: list(v) if isinstance(v, list) else [v] for h, v in spec["stance"].items()}
            for name, spec in files.items()}


def score(predicted: dict[tuple[str, str], str], readings: dict[str, dict[str, list[str]]]) -> dict[str, float]:
    """The metrics of the module docstring; ``predicted`` maps (file name, hypothesis id) to a label.
    A cell with no prediction counts as ``none`` (the source was not analysed or took no position)."""
    gold: list[str] = []
    pred: list[str] = []
    right = sided = sided_right = 0
    none_right = 0
    for name, cells in readings.items():
        for hypothesis, accepted in cells.items():
            label = predicted.get((name, hypothesis), "none")
            hit = label in accepted
            right += hit
            none_right += "none" in accepted
            gold.append(label if hit else accepted[0])
            pred.append(label)
            if accepted[0] in ("support", "oppose"):
                sided += 1
                sided_right += hit
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        n_gold, n_pred = gold.count(label), pred.count(label)
        if n_gold or n_pred:
            f1s.append(2 * tp / (n_gold + n_pred))
    n = len(gold)
    return {"accuracy": right / n if n else 0.0,
            "macro-F1": sum(f1s) / len(f1s) if f1s else 0.0,
            "accuracy where the reading takes a side": sided_right / sided if sided else 0.0,
            "accuracy of answering none everywhere": none_right / n if n else 0.0,
            "cells": float(n)}


def predicted_labels(corpus: Path, question: Path, settings) -> dict[tuple[str, str], str]:
    """Analyse ``corpus`` into a throw-away store; (file name, hypothesis id) → source-level label."""
    from ..api import analyze

    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-") as tmp:
        run_settings = settings.model_copy(update={"db": str(Path(tmp) / "bench.db")})
        debate_map = analyze([corpus], settings=run_settings, question=question, strict=False)
    names = {s.id: Path(s.path).name for s in debate_map.sources}
    return {(names[s.target_id], s.hypothesis_id): s.label
            for s in debate_map.stances if s.target == "source" and s.target_id in names}


def rows_for(dataset: str, split: str, metrics: dict[str, float], note: str | None = None) -> list[BenchRow]:
    cells = int(metrics.pop("cells"))
    note = note or f"{cells} source × hypothesis cells, our own reading"
    return [BenchRow(task="source-stance", dataset=dataset, split=split, metric=metric, value=round(value, 4),
                     note=note if i == 0 else None)
            for i, (metric, value) in enumerate(metrics.items())]


@quality_task("source-stance")
def source_stance_task(split: str, settings, stance: str | None = None, limit: int | None = None,
                       sets: Sequence[tuple[str, Path, Path, Path]] | None = None) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for dataset, corpus, question, labels in sets or reading_sets(settings.data_dir):
        if split != "dev":
            rows.append(BenchRow(task="source-stance", dataset=dataset, split=split, metric="accuracy", value=None,
                                 note="no held-out set: these readings were used while the rules were developed"))
            continue
        if not corpus.is_dir():
            rows.append(BenchRow(task="source-stance", dataset=dataset, split=split, metric="accuracy", value=None,
                                 note=f"corpus not found at {corpus}"))
            continue
        readings = load_readings(labels)
        rows.extend(rows_for(dataset, split, score(predicted_labels(corpus, question, settings), readings)))
    return rows
