"""``cruxmap bench quality --task source-stance``: each source's position, scored against a reading.

A user reads the source × hypothesis table first: does this article support, oppose, argue both
sides of, or ignore each hypothesis? The stance benchmarks of ``--task stance`` score single
(text, statement) pairs; this task scores the whole chain (claims, claim stance, aggregation, or a
reader that takes the whole source at once) on whole articles, against a careful reading:

* ``climate-change``, ``affordable-care-act``, ``illegal-immigration``: the debates of
  ``../shared/debates/`` (real articles, question files written by someone else, one gold reading
  of every article). The articles are written at run time from the dataset by the debates' own
  ``build_articles.py`` into a temporary folder and never kept;
* ``example corpus``: ``examples/corpus`` with ``examples/question.yaml``, labels in
  ``examples/expected.yaml`` (written with the articles);
* ``seeds``: ``../shared/corpus/seeds`` with ``examples/nato/question.yaml``, labels in
  ``examples/nato/expected.yaml`` (our reading of the five reference articles).

A cell is one (article, item) pair; a cell with no prediction counts as ``none``. The metrics are
the debates' scoring rules (``../shared/debates/README.md``): accuracy counting any accepted
reading, strict accuracy (the reader's own label), macro-F1 (truth = the prediction where accepted,
else the label), accuracy on sided cells (label support / oppose / mixed) and its strict variant,
support↔oppose flips, and how often ``mixed`` is predicted against how often the reading has it.
Both trivial baselines are scored on the same cells: answering ``none`` everywhere, and, where the
reading gives one, the outlet-lean baseline (a prior from the outlet's AllSides label; a baseline
only: outlet names and labels are never an input of cruxmap). The three debates are also pooled.
All sets were read while the rules were developed (see each rule's docstring for which one chose
what), so there is no held-out split: ``--split test`` says so instead of giving numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from .base import BenchRow, quality_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
LABELS = ("support", "oppose", "mixed", "none")
SIDED = ("support", "oppose", "mixed")
DEBATES = ("climate-change", "affordable-care-act", "illegal-immigration")
DATASET = "news_article_bias/articles_subset.jsonl"
POOLED = "debates pooled"


@dataclass
class Cell:
    label: str  # the reader's own label
    accept: list[str]  # every reading a careful reader accepts, label first
    outlet: str | None = None  # the outlet-lean baseline's prediction, where the reading gives one


@dataclass
class ReadingSet:
    name: str
    corpus: Path
    question: Path
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (file name, item id) → cell
    build: Path | None = None  # a debate folder whose articles must be written before the run
    missing: str | None = None  # why the set cannot be scored here


def load_readings(path: Path) -> dict[tuple[str, str], Cell]:
    """Cells from an ``expected.yaml`` (``files → stance → label or [accepted labels]``) or a debate's
    ``gold.json`` (``files → stance → {label, accept}``, ``outlet_baseline``)."""
    if path.suffix == ".json":
        gold = json.loads(path.read_text(encoding="utf-8"))
        baseline = (gold.get("outlet_baseline") or {}).get("predict", {})
        cells = {}
        for name, spec in gold["files"].items():
            lean = baseline.get(str(spec.get("meta", {}).get("outlet_bias")), {})
            for item, cell in spec["stance"].items():
                accept = list(cell.get("accept") or [cell["label"]])
                cells[(name, item)] = Cell(cell["label"], accept, lean.get(item, "none") if baseline else None)
        return cells
    files = yaml.safe_load(path.read_text(encoding="utf-8"))["files"]
    cells = {}
    for name, spec in files.items():
        for item, value in spec["stance"].items():
            accept = list(value) if isinstance(value, list) else [value]
            cells[(name, item)] = Cell(accept[0], accept)
    return cells


def reading_sets(data_dir: str | Path, names: Sequence[str] | None = None) -> list[ReadingSet]:
    """The sets this task scores (all, or those named), with why a set is missing where it is."""
    shared = Path(data_dir).parent
    sets = []
    for debate in DEBATES:
        folder = shared / "debates" / debate
        rs = ReadingSet(debate, folder / "articles", folder / "question.yaml", build=folder)
        if not (folder / "gold.json").is_file():
            rs.missing = f"debate not found at {folder}"
        elif not (Path(data_dir) / DATASET).is_file():
            rs.missing = f"dataset not found at {Path(data_dir) / DATASET}"
        else:
            rs.cells = load_readings(folder / "gold.json")
        sets.append(rs)
    sets.append(ReadingSet("example corpus", EXAMPLES / "corpus", EXAMPLES / "question.yaml",
                           load_readings(EXAMPLES / "expected.yaml")))
    seeds = ReadingSet("seeds", shared / "corpus" / "seeds", EXAMPLES / "nato" / "question.yaml",
                       load_readings(EXAMPLES / "nato" / "expected.yaml"))
    if not seeds.corpus.is_dir():
        seeds.missing = f"corpus not found at {seeds.corpus}"
    sets.append(seeds)
    return [s for s in sets if names is None or s.name in names]


#: a cell's key: (file name, item id), or (debate, file name, item id) for the pooled debates
CellKey = TypeVar("CellKey", tuple[str, str], tuple[str, str, str])


def score(predicted: Mapping[CellKey, str], cells: Mapping[CellKey, Cell]) -> dict[str, float]:
    """The scoring rules of the module docstring; ``predicted`` maps (file name, item id) to a label."""
    gold: list[str] = []
    pred: list[str] = []
    right = strict = sided = sided_right = sided_strict = flips = 0
    for key, cell in cells.items():
        label = predicted.get(key, "none")
        hit = label in cell.accept
        right += hit
        strict += label == cell.label
        gold.append(label if hit else cell.label)
        pred.append(label)
        if cell.label in SIDED:
            sided += 1
            sided_right += hit
            sided_strict += label == cell.label
        flips += {label, cell.label} == {"support", "oppose"}
    n = len(cells)
    return {"accuracy": right / n if n else 0.0,
            "strict accuracy": strict / n if n else 0.0,
            "macro-F1": macro_f1(gold, pred),
            "accuracy on sided cells": sided_right / sided if sided else 0.0,
            "strict accuracy on sided cells": sided_strict / sided if sided else 0.0,
            "flips (share of sided cells)": flips / sided if sided else 0.0,
            "flips": float(flips),
            "mixed predicted": float(pred.count("mixed")),
            "mixed in the reading": float(sum(c.label == "mixed" for c in cells.values())),
            "sided cells": float(sided),
            "cells": float(n)}


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """F1 per label, averaged over the labels that occur in the truth or in the predictions."""
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        n_gold, n_pred = gold.count(label), pred.count(label)
        if n_gold or n_pred:
            f1s.append(2 * tp / (n_gold + n_pred))
    return sum(f1s) / len(f1s) if f1s else 0.0


def baselines(cells: Mapping[CellKey, Cell]) -> dict[str, dict[str, float]]:
    """The trivial baselines' scores on the same cells: all ``none``, and the outlet lean where given."""
    nothing: dict[CellKey, str] = {}
    out = {"all none": score(nothing, cells)}
    if cells and all(c.outlet is not None for c in cells.values()):
        out["outlet lean"] = score({k: c.outlet for k, c in cells.items() if c.outlet is not None}, cells)
    return out


def build_articles(debate: Path, data_dir: Path, out: Path) -> Path:
    """Write a debate's articles with its own ``build_articles.py`` (standard library only)."""
    script = debate.parent / "build_articles.py"
    subprocess.run([sys.executable, str(script), str(debate), str(data_dir / DATASET), "--out", str(out)],
                   check=True, capture_output=True, text=True)
    return out


def analyse(corpus: Path, question: Path, settings):
    """The map of ``corpus`` with ``question``, analysed into a throw-away store."""
    from ..api import analyze

    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-") as tmp:
        run_settings = settings.model_copy(update={"db": str(Path(tmp) / "bench.db")})
        return analyze([corpus], settings=run_settings, question=question, strict=False)


def analyse_set(rs: ReadingSet, settings):
    """The map of a reading set (a debate's articles are written to a temporary folder first)."""
    if rs.build is None:
        return analyse(rs.corpus, rs.question, settings)
    with tempfile.TemporaryDirectory(prefix=f"cruxmap-{rs.name}-") as tmp:
        corpus = build_articles(rs.build, Path(settings.data_dir), Path(tmp) / rs.name)
        return analyse(corpus, rs.question, settings)


def source_labels(debate_map) -> dict[tuple[str, str], str]:
    """(file name, item id) → the map's source-level label."""
    names = file_names(debate_map)
    return {(names[s.target_id], s.hypothesis_id): s.label
            for s in debate_map.stances if s.target == "source" and s.target_id in names}


def file_names(debate_map) -> dict[str, str]:
    """Source id → the file name the readings use."""
    return {s.id: Path(s.path).name for s in debate_map.sources}


def predict_set(rs: ReadingSet, settings) -> dict[tuple[str, str], str]:
    return source_labels(analyse_set(rs, settings))


def rows_for(dataset: str, split: str, metrics: dict[str, float], system: str = "cruxmap",
             note: str | None = None) -> list[BenchRow]:
    """Rows of one set; ``system`` is cruxmap or a baseline (named in the metric, e.g. ``accuracy [all none]``)."""
    suffix = "" if system == "cruxmap" else f" [{system}]"
    return [BenchRow(task="source-stance", dataset=dataset, split=split, metric=metric + suffix,
                     value=round(value, 4), note=note if i == 0 else None)
            for i, (metric, value) in enumerate(metrics.items())]


@quality_task("source-stance")
def source_stance_task(split: str, settings, stance: str | None = None, limit: int | None = None,
                       sets: Sequence[ReadingSet] | None = None) -> list[BenchRow]:
    rows: list[BenchRow] = []
    pooled_pred: dict[tuple[str, str, str], str] = {}
    pooled_cells: dict[tuple[str, str, str], Cell] = {}
    for rs in sets if sets is not None else reading_sets(settings.data_dir):
        if split != "dev":
            rows.append(BenchRow(task="source-stance", dataset=rs.name, split=split, metric="accuracy", value=None,
                                 note="no held-out set: these readings were used while the rules were developed"))
            continue
        if rs.missing or (rs.build is None and not rs.corpus.is_dir()):
            rows.append(BenchRow(task="source-stance", dataset=rs.name, split=split, metric="accuracy", value=None,
                                 note=rs.missing or f"corpus not found at {rs.corpus}"))
            continue
        predicted = predict_set(rs, settings)
        cells = rs.cells
        rows.extend(rows_for(rs.name, split, score(predicted, cells),
                             note=f"{len(cells)} source × item cells, {rs.name} reading"))
        for system, metrics in baselines(cells).items():
            rows.extend(rows_for(rs.name, split, metrics, system))
        if rs.name in DEBATES:
            pooled_pred.update({(rs.name, *k): v for k, v in predicted.items()})
            pooled_cells.update({(rs.name, *k): c for k, c in cells.items()})
    if pooled_cells and len({k[0] for k in pooled_cells}) > 1:
        rows.extend(rows_for(POOLED, split, score(pooled_pred, pooled_cells),
                             note=f"{len(pooled_cells)} cells of {len({k[0] for k in pooled_cells})} debates"))
        for system, metrics in baselines(pooled_cells).items():
            rows.extend(rows_for(POOLED, split, metrics, system))
    return rows
