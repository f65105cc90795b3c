"""``cruxmap bench quality --task corrections``: how many analyst corrections lift a debate's source table.

The offline stance reader cannot tell which way most opinion sentences lean (``docs/positions.md``);
an analyst can. This task simulates one with the debates' gold reading (``../shared/debates/``):
start from the offline run's source × item table, correct the *most confident wrong cell* (the
machine's highest-scoring cell that no reading accepts; among the many equal ``none`` cells, in file
and item order), re-score, repeat, and count the corrections it takes to reach ``TARGET`` accuracy.

Two analysts are simulated on the same run:

* **cell by cell**: each correction fixes its own cell and nothing else;
* **teaching**: each correction of a sided cell also marks the gold reading's decisive passage as
  the evidence (the analyst selects the sentence that shows the position), and that passage becomes
  a worked example of its side for the stance reader (``corrections.teach``): every source's claims
  are read again with the examples, so one correction can move similar claims of other sources.

A real analyst must also *find* the wrong cells. The task counts the cells one reads, correcting each
wrong one, until the table reaches ``TARGET``: in the table's order (source by source) and in
``corrections.review_order`` (the order the web UI's Correct page lists first).

Both use the stance models' outputs of the one run (the classifier is asked once per pair and
remembered), so a step costs an aggregation, not a model run. Accuracy is the debates' rule: a cell
is right when the table's label is one the reading accepts. The three debates are scored the same
way; none chose anything here (no rule or threshold of this task was tuned on them).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .base import BenchRow, quality_task
from .source_stance import DEBATES, Cell, analyse, build_articles, reading_sets, score

if TYPE_CHECKING:
    from ..argue.embed import Embedder
    from ..argue.stance.base import StanceClassifier

TARGET = 0.9
#: accuracy is reported after these numbers of corrections
STEPS = (0, 5, 10, 15, 20, 25, 30)


class _Remembered:
    """A stance classifier that asks the wrapped one once per (text, statement) pair."""

    def __init__(self, inner):
        self._inner = inner
        self._seen: dict[tuple[str, str], object] = {}

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def classify(self, pairs: list[tuple[str, str]]):
        todo = list(dict.fromkeys(p for p in pairs if p not in self._seen))
        if todo:
            self._seen.update(zip(todo, self._inner.classify(todo)))
        return [self._seen[p] for p in pairs]


class _RememberedEmbedder:
    """An embedder that embeds each text once."""

    def __init__(self, inner):
        self._inner = inner
        self._seen: dict[str, object] = {}

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def embed(self, texts: Sequence[str]):
        import numpy as np

        todo = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if todo:
            self._seen.update(zip(todo, self._inner.embed(todo)))
        return np.asarray([self._seen[t] for t in texts], dtype=np.float32)


def documents_of(debate_map) -> list:
    """The map's per-source layers as documents (without stances), in source order."""
    from ..model import Document

    docs = {s.id: Document(source=s) for s in debate_map.sources}
    for name in ("sentences", "quotes", "claims"):
        for item in getattr(debate_map, name):
            getattr(docs[item.source_id], name).append(item)
    return list(docs.values())


def gold_passages(gold_path: Path) -> dict[tuple[str, str], str]:
    """(file name, item) → the gold reading's decisive passage, where it quotes one."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return {(name, item): cell["quote"] for name, spec in gold["files"].items()
            for item, cell in spec["stance"].items() if cell.get("quote")}


class Simulation:
    """One debate's run, re-read with a growing set of corrections."""

    def __init__(self, debate_map, settings, cells: dict[tuple[str, str], Cell], passages: dict[tuple[str, str], str]):
        from ..argue.stages import make_embedder, make_stance_classifier
        from ..corrections import position_aggregation

        self.map = debate_map
        self.cells = cells
        self.passages = passages
        self.docs = documents_of(debate_map)
        self.names = {s.id: Path(s.path).name for s in debate_map.sources}
        self.ids = {v: k for k, v in self.names.items()}
        # the wrappers hand every other attribute to the wrapped backend (__getattr__), which no static type says
        self.embedder = cast("Embedder", _RememberedEmbedder(make_embedder(settings)))
        self.classifier = cast("StanceClassifier", _Remembered(make_stance_classifier(settings, None, self.embedder)))
        self.threshold = (position_aggregation(debate_map) or (0.0, True))[0]

    def table(self, corrections: list, teaching: bool) -> dict[tuple[str, str], tuple[str, float]]:
        """(file name, item) → (label, score) of the source table with ``corrections``."""
        from ..argue.stages import StanceStage
        from ..corrections import teach

        question = self.map.question
        if teaching and corrections:
            question = teach(question, corrections, max_per_side=1000)
        stage = StanceStage(self.classifier, question.hypotheses, self.embedder, self.threshold, question.exclusive)
        out: dict[tuple[str, str], tuple[str, float]] = {}
        for doc in stage.pipe([d.model_copy(update={"stances": []}) for d in self.docs]):
            for s in doc.stances:
                if s.target == "source":
                    out[(self.names[doc.source.id], s.hypothesis_id)] = (s.label, s.score)
        for c in corrections:
            out[(self.names[c.source_id], c.hypothesis_id)] = (c.value, 1.0)
        return out

    def correction(self, cell: tuple[str, str]):
        """The simulated analyst's correction of ``cell``: the reading's label, with its decisive passage."""
        from ..argue.stance.reader import align
        from ..corrections import make_correction

        name, item = cell
        source = next(s for s in self.map.sources if s.id == self.ids[name])
        hyp = next(h for h in self.map.question.hypotheses if h.id == item)
        label = self.cells[cell].label
        start = end = text = None
        if label in ("support", "oppose") and cell in self.passages:
            spans = align(self.passages[cell], source.text)
            if spans:
                start, end = max(spans, key=lambda s: s[1] - s[0])
                text = source.text[start:end]
        return make_correction("position", source_id=source.id, start=start, end=end, text=text, hypothesis=hyp,
                               value=label, who="simulated analyst", when="2026-01-01T00:00:00+00:00")

    def curve(self, teaching: bool, limit: int) -> tuple[list[float], int | None]:
        """Accuracy after 0, 1, … corrections (up to ``limit``) and how many reached ``TARGET``."""
        corrections: list = []
        accuracies, reached = [], None
        while True:
            table = self.table(corrections, teaching)
            predicted = {k: v[0] for k, v in table.items()}
            acc = score(predicted, self.cells)["accuracy"]
            accuracies.append(acc)
            if acc >= TARGET and reached is None:
                reached = len(corrections)
            if len(corrections) >= limit or (reached is not None and len(corrections) >= max(STEPS)):
                return accuracies, reached
            wrong = [k for k, cell in self.cells.items() if predicted.get(k, "none") not in cell.accept]
            if not wrong:  # every cell right: the curve stays at its last value
                return accuracies + [acc] * (max(STEPS) + 1 - len(accuracies)), reached
            pick = min(wrong, key=lambda k: (-table.get(k, ("none", 0.0))[1], k))
            corrections.append(self.correction(pick))


    def reads(self, order: str) -> int | None:
        """How many cells an analyst reads, in ``order`` ("table": source by source, item by item; "review":
        ``corrections.review_order``), correcting each wrong one, until the table reaches ``TARGET``."""
        from ..corrections import review_order

        if order == "review":
            cells = [(self.names[c.source_id], c.hypothesis_id) for c in review_order(self.map)]
        else:
            cells = [(self.names[s.id], h.id) for s in self.map.sources for h in self.map.question.hypotheses]
        predicted = {k: v[0] for k, v in self.table([], False).items()}
        for n, cell in enumerate([None, *cells]):
            if cell is not None and cell in self.cells and predicted.get(cell, "none") not in self.cells[cell].accept:
                predicted[cell] = self.cells[cell].label
            if score(predicted, self.cells)["accuracy"] >= TARGET:
                return n
        return None


@quality_task("corrections")
def corrections_task(split: str, settings, stance: str | None = None, limit: int | None = None) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for rs in reading_sets(settings.data_dir, DEBATES):
        if split != "dev" or rs.missing:
            rows.append(BenchRow(task="corrections", dataset=rs.name, split=split, metric="corrections to 0.9",
                                 value=None, note=rs.missing or "the debates are development data: --split dev"))
            continue
        if rs.build is None:
            raise ValueError(f"debate {rs.name} names no folder to build its articles from")
        with tempfile.TemporaryDirectory(prefix=f"cruxmap-{rs.name}-") as tmp:
            corpus = build_articles(rs.build, Path(settings.data_dir), Path(tmp) / rs.name)
            debate_map = analyse(corpus, rs.question, settings)
        sim = Simulation(debate_map, settings, rs.cells, gold_passages(rs.build / "gold.json"))
        cap = limit or len(rs.cells)
        for order in ("table", "review"):
            rows.append(BenchRow(task="corrections", dataset=rs.name, split=split,
                                 metric=f"cells read to {TARGET} [{order} order]", value=sim.reads(order),
                                 note=None if order == "table" else "machine's sided cells first, then the empty "
                                 "cells whose source argues most about the item"))
        for mode, teaching in (("cell by cell", False), ("teaching", True)):
            accuracies, reached = sim.curve(teaching, cap)
            note = (f"{len(rs.cells)} cells; accuracy {accuracies[0]:.3f} before any correction" if not teaching
                    else "each sided correction's decisive passage becomes an example for the stance reader")
            rows.append(BenchRow(task="corrections", dataset=rs.name, split=split,
                                 metric=f"corrections to {TARGET} [{mode}]", value=reached, note=note))
            for n in STEPS:
                if n < len(accuracies):
                    rows.append(BenchRow(task="corrections", dataset=rs.name, split=split,
                                         metric=f"accuracy after {n} [{mode}]", value=round(accuracies[n], 4)))
    return rows
