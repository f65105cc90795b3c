"""``cruxmap bench quality --task map``: the parts of the map built on the positions, read against a reading.

Each reading set of ``--task source-stance`` (the three debates of ``../shared/debates/``, the
example corpus, the five reference articles) is analysed once and its map scored:

* **crux consistency** — share of cruxes whose every placed source sits on a side its reading
  accepts for the crux's item (a crux that puts an article on the side opposite its own position
  is wrong, whatever else it gets right);
* **camp purity** — share of same-camp source pairs that never take opposite sides (support vs
  oppose, the reader's own labels) of an item, where the map splits the sources it places into
  two or more camps (one group is no grouping, and the group of unplaced sources is no camp);
* **key-point side purity** — share of the key points made by two or more independent sources
  none of whose sources the reading puts on opposite sides of an item (a group of claims that
  answer an item both ways is a topic, not a point; two sides that state one shared fact also
  count against it, so this is a floor);
* **contradiction precision (positions)** — share of the evaluative contradictions (two sources on
  opposite sides of an item) whose two sources the reading puts on opposite sides of that item;
* **contradictions against a labelled list** (``resources/contradictions/labels.json``: every clear
  cross-source contradiction a careful reader lists in the example corpus and the reference
  articles, by character span and hash, never by text): precision = listed pairs found / pairs
  shown (a pair not on the list counts as wrong, as a reader would count it), recall = listed
  pairs found / listed pairs, and how many shown pairs are on the list of look-alikes that do not
  contradict.

Where a part is empty (no crux, no camp of two sources, no contradiction) its value is left empty
with a note saying so: an empty map is consistent only vacuously. The pair reader of the factual
contradictions is also scored alone on SICK (trial for dev, test for test) and SNLI test:
precision and recall of the factual rules, with and without the reader, on the contradiction class.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import TypedDict

from .base import BenchRow, quality_task
from .source_stance import Cell, ReadingSet, analyse_set, file_names, reading_sets

LABELS_FILE = Path(__file__).resolve().parents[1] / "resources" / "contradictions" / "labels.json"
ROOT = Path(__file__).resolve().parents[3]
MATCH = 0.6  # Jaccard of content words between a claim and a listed sentence for the two to be one
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9]+")


def _row(dataset: str, split: str, metric: str, value: float | None, note: str | None = None) -> BenchRow:
    return BenchRow(task="map", dataset=dataset, split=split, metric=metric,
                    value=None if value is None else round(float(value), 4), note=note)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_TAG.sub(" ", text).lower()) if len(w) > 2}


def crux_consistency(debate_map, cells: dict[tuple[str, str], Cell]) -> tuple[int, int]:
    """(consistent cruxes, cruxes): every placed source's reading accepts its side of the crux's item."""
    names = file_names(debate_map)
    good = 0
    for crux in debate_map.cruxes:
        placed = [(names.get(sid, ""), side) for side, ids in crux.sides.items() for sid in ids]
        good += all(side in cells.get((name, crux.hypothesis_id or ""), Cell("none", ["none"])).accept
                    for name, side in placed)
    return good, len(debate_map.cruxes)


def camp_purity(debate_map, cells: dict[tuple[str, str], Cell]) -> tuple[int, int]:
    """(pure pairs, same-camp source pairs): a pair is pure when no item has one on each side."""
    names = file_names(debate_map)
    items = {item for _, item in cells}
    pure = pairs = 0
    for camp in debate_map.camps:
        if camp.unplaced:
            continue
        for a, b in combinations(sorted(camp.source_ids), 2):
            pairs += 1
            labels = [{cells.get((names.get(s, ""), item), Cell("none", ["none"])).label for s in (a, b)}
                      for item in items]
            pure += not any(pair == {"support", "oppose"} for pair in labels)
    return pure, pairs


def key_point_purity(debate_map, cells: dict[tuple[str, str], Cell]) -> tuple[int, int]:
    """(pure, shared key points): a key point of two or more independent sources is pure when no
    two of its sources take opposite sides of one item in the reading."""
    from ..map.keypoints import independent_sources

    names = file_names(debate_map)
    items = {item for _, item in cells}
    canonical = independent_sources(debate_map.sources)
    pure = shared = 0
    for kp in debate_map.key_points:
        if len({canonical.get(s, s) for s in kp.source_ids}) < 2:
            continue
        shared += 1
        labels = [[cells.get((names.get(s, ""), item), Cell("none", ["none"])).label for s in kp.source_ids]
                  for item in items]
        pure += not any("support" in row and "oppose" in row for row in labels)
    return pure, shared


def position_precision(debate_map, cells: dict[tuple[str, str], Cell]) -> tuple[int, int]:
    """(right, evaluative contradictions): the reading accepts opposite sides for the pair's sources."""
    names = file_names(debate_map)
    claims = {c.id: c for c in debate_map.claims}
    right = total = 0
    for c in debate_map.contradictions:
        if c.kind != "evaluative" or c.hypothesis_id is None:
            continue
        total += 1
        a, b = (cells.get((names.get(claims[x].source_id, ""), c.hypothesis_id)) for x in (c.a, c.b))
        right += bool(a and b and (("support" in a.accept and "oppose" in b.accept)
                                   or ("oppose" in a.accept and "support" in b.accept)))
    return right, total


def load_labels(path: Path = LABELS_FILE) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))["sets"] if path.is_file() else {}


def listed_spans(spec: dict, base: Path) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]], list[str]]:
    """The listed pairs and look-alikes with each span's words read from its file; problems found."""
    root = (base / spec["root"]).resolve()
    problems: list[str] = []
    texts: dict[str, str] = {}

    def read(span: dict) -> dict:
        name = span["file"]
        if name not in texts:
            path = root / name
            texts[name] = path.read_text(encoding="utf-8") if path.is_file() else ""
        piece = texts[name][span["start"]:span["end"]]
        if hashlib.sha1(piece.encode("utf-8")).hexdigest() != span["sha1"]:
            problems.append(f"{name}:{span['start']}-{span['end']} no longer holds the listed sentence")
        return {"file": name, "words": _words(piece)}

    pairs = [(read(p["a"]), read(p["b"])) for p in spec.get("pairs", [])]
    near = [(read(p["a"]), read(p["b"])) for p in spec.get("near_misses", [])]
    return pairs, near, problems


def _same(span: dict, name: str, words: set[str]) -> bool:
    if span["file"] != name or not span["words"] or not words:
        return False
    return len(span["words"] & words) / len(span["words"] | words) >= MATCH


def _matches(listed: tuple[dict, dict], shown: tuple[tuple[str, set[str]], tuple[str, set[str]]]) -> bool:
    (fa, wa), (fb, wb) = shown
    x, y = listed
    return (_same(x, fa, wa) and _same(y, fb, wb)) or (_same(x, fb, wb) and _same(y, fa, wa))


#: ``listed_scores``: the labelled list's numbers for one set, and what no longer matches its files
ListedScores = TypedDict("ListedScores", {
    "precision": float | None, "recall": float | None, "shown": float, "listed": float,
    "look-alikes shown": float, "problems": list[str]})


def listed_scores(debate_map, spec: dict, base: Path = ROOT) -> ListedScores:
    """Precision, recall and look-alikes shown, against one set of the labelled list."""
    pairs, near, problems = listed_spans(spec, base)
    names = file_names(debate_map)
    claims = {c.id: c for c in debate_map.claims}

    def claim_words(claim_id: str) -> tuple[str, set[str]]:
        return names.get(claims[claim_id].source_id, ""), _words(claims[claim_id].text)

    shown = [(claim_words(c.a), claim_words(c.b))
             for c in debate_map.contradictions if c.a in claims and c.b in claims]
    hits = [any(_matches(p, s) for p in pairs) for s in shown]
    found = sum(any(_matches(p, s) for s in shown) for p in pairs)
    return {"precision": sum(hits) / len(shown) if shown else None,
            "recall": found / len(pairs) if pairs else None,
            "shown": float(len(shown)), "listed": float(len(pairs)),
            "look-alikes shown": float(sum(any(_matches(p, s) for p in near) for s in shown)),
            "problems": problems}


def set_rows(rs: ReadingSet, debate_map, split: str, labels: dict[str, dict]) -> list[BenchRow]:
    rows: list[BenchRow] = []
    good, cruxes = crux_consistency(debate_map, rs.cells)
    rows.append(_row(rs.name, split, "crux consistency", good / cruxes if cruxes else None,
                     None if cruxes else "no crux in this map"))
    rows.append(_row(rs.name, split, "cruxes", cruxes))
    camps = [c for c in debate_map.camps if not c.unplaced]
    pure, pairs = camp_purity(debate_map, rs.cells) if len(camps) > 1 else (0, 0)
    rows.append(_row(rs.name, split, "camp purity", pure / pairs if pairs else None,
                     None if pairs else "no grouping: the map keeps the sources it places in one group"
                     if len(camps) <= 1 else "no camp holds two sources"))
    rows.append(_row(rs.name, split, "same-camp source pairs", pairs))
    pure, shared = key_point_purity(debate_map, rs.cells)
    rows.append(_row(rs.name, split, "key-point side purity", pure / shared if shared else None,
                     None if shared else "no key point of two independent sources"))
    rows.append(_row(rs.name, split, "shared key points", shared))
    right, total = position_precision(debate_map, rs.cells)
    rows.append(_row(rs.name, split, "contradiction precision (positions)", right / total if total else None,
                     None if total else "no evaluative contradiction"))
    rows.append(_row(rs.name, split, "contradictions", len(debate_map.contradictions)))
    rows.append(_row(rs.name, split, "factual contradictions",
                     sum(c.kind == "factual" for c in debate_map.contradictions)))
    if rs.name in labels:
        scores = listed_scores(debate_map, labels[rs.name])
        note = "; ".join(scores["problems"]) or None
        rows.append(_row(rs.name, split, "contradiction precision (listed)", scores["precision"], note))
        rows.append(_row(rs.name, split, "contradiction recall (listed)", scores["recall"]))
        rows.append(_row(rs.name, split, "contradictions shown", scores["shown"]))
        rows.append(_row(rs.name, split, "contradictions listed", scores["listed"]))
        rows.append(_row(rs.name, split, "contradictions look-alikes shown", scores["look-alikes shown"]))
    return rows


def reader_rows(split: str, settings, limit: int | None) -> list[BenchRow]:
    """The factual rules with and without the pair reader on NLI contradiction pairs."""
    import numpy as np

    from ..map.contradictions import FACTUAL_MIN, default_reader, text_mismatch
    from ..run import make_embedder
    from . import datasets as ds

    sets = {"dev": [("sick", "trial")], "test": [("sick", "test"), ("snli", "test")]}.get(split, [])
    reader = default_reader()
    if not sets or reader is None:
        return []
    embedder = make_embedder(settings)
    rows = []
    for name, part in sets:
        pairs = (ds.load_sick if name == "sick" else ds.load_snli)(settings.data_dir, part)[:limit]
        a, b = [p.text for p in pairs], [p.hypothesis for p in pairs]
        sims = (np.asarray(embedder.embed(a)) * np.asarray(embedder.embed(b))).sum(1)
        gold = np.array([p.fine_label == "contradiction" for p in pairs])
        rule = np.array([text_mismatch(x, y, float(s)) > 0 for x, y, s in zip(a, b, sims)])
        kept = rule.copy()
        if rule.any():
            idx = np.nonzero(rule)[0]
            probs = reader.probabilities([(a[i], b[i]) for i in idx])
            kept[idx] = probs >= FACTUAL_MIN
        dataset = f"{name} {part}"
        note = f"{int(gold.sum())} contradictions among {len(pairs)} pairs"
        for label, pred in (("rules", rule), ("rules + reader", kept)):
            tp = int((pred & gold).sum())
            rows.append(_row(dataset, split, f"factual precision [{label}]", tp / pred.sum() if pred.any() else None,
                             note if label == "rules" else None))
            rows.append(_row(dataset, split, f"factual recall [{label}]", tp / gold.sum() if gold.any() else None))
    return rows


@quality_task("map")
def map_task(split: str, settings, stance: str | None = None, limit: int | None = None,
             sets: Sequence[ReadingSet] | None = None) -> list[BenchRow]:
    labels = load_labels()
    rows: list[BenchRow] = []
    for rs in sets if sets is not None else reading_sets(settings.data_dir):
        if split != "dev":
            rows.append(_row(rs.name, split, "crux consistency", None,
                             "no held-out set: these readings were used while the rules were developed"))
            continue
        if rs.missing or (rs.build is None and not rs.corpus.is_dir()):
            rows.append(_row(rs.name, split, "crux consistency", None, rs.missing or f"corpus not found at {rs.corpus}"))
            continue
        rows.extend(set_rows(rs, analyse_set(rs, settings), split, labels))
    rows.extend(reader_rows(split, settings, limit))
    return rows
