"""``cruxmap bench quality --task dates``: dated-event finding and normalisation.

Gold sets (hand-annotated for cruxmap, references only — no article text is stored):

* ``resources/dates_dev.jsonl`` — one line per article of ``../shared/data``:
  ``{"dataset", "id", "sha256" (of the article text), "dates": [[start, end, iso, precision]]}``.
  ``news_article_bias`` articles carry a publication date; ``ukraine_news_bias`` articles
  (text = the sentences joined by one space, in ``position_in_article`` order) carry none.
* ``resources/dates_test.jsonl`` — the same format, 16 further ``news_article_bias`` articles
  annotated after the rules were tuned on the dev set and never used for tuning.
* ``resources/dates_relative.jsonl`` — the harder kinds only, in 24 further ``news_article_bias``
  articles chosen because they have them (16 ``dev``, 8 ``test``, split by id before any rule was
  written): ``narrative`` offsets counted from a time the story gives ("four years later", "the
  next day", "the day before the vote"), ``named`` periods and events used as times ("World War
  II", "the Cold War", "9/11") and ``deictic`` expressions counted from the writing time
  ("today", "next week"). Entries ``[start, end, iso or null, precision, kind]``; null where the
  text does not allow a date, which the system must then also leave empty. Only these kinds are
  annotated there, so that set has no precision row.
* ``resources/dates_narrative_sample.jsonl`` — narrative offsets only, in 27 short ``news_article_bias``
  articles drawn at random (seeded) from those outside every other date set that hold at least one,
  annotated before the system's values were looked at (session 18, ``dev`` only): 38 expressions, null
  where the text gives no date. Durations ("for days after the bombings", "it took weeks before")
  are not annotated. It measures what the 43 narrative expressions of the relative set, chosen for
  their kinds, cannot: how the offsets of ordinary news fare.
* ``resources/dates_narrative_sample2.jsonl`` — a second such draw (session 22, seed 22, ``dev`` only): 30
  offsets in 27 further short articles outside every other date set, found by a pattern of their own (a unit with
  later/earlier/after/before, "the next/previous day", "that night", …), annotated from the text before the system
  was run on them. Matches that are no offset ("last week after …"), durations ("for three months after") and
  comparisons ("several months later than we would want") were dropped. It checks the rules chosen on the other
  sets on offsets that chose none of them.
* ``resources/dates_narrative_sample3.jsonl`` — a third draw (session 22, seed 2222, ``dev`` only): 21 offsets in
  15 further articles, drawn and annotated the same way after this session's rules were fixed, because the second
  draw's misses had been read while choosing two of them; it is the clean check of that session's rules.
* ``resources/dates_narrative_sample4.jsonl`` — a fourth draw (session 23, seed 23, ``dev`` only): 31 offsets in 26
  further articles, drawn and annotated the same way before the system was run on them; main's figure on it was taken
  first, then its misses were read while choosing that session's rules.
* ``resources/dates_narrative_sample7.jsonl`` — a seventh draw (session 24, seed 2424, ``dev`` only): 30 offsets in 22
  further articles, drawn and annotated the same way after that session's rules were fixed: their clean check.
* ``resources/dates_narrative_sample5.jsonl`` — a fifth draw (session 23, seed 2323, ``dev`` only): 34 offsets in 26
  further articles, drawn and annotated the same way after that session's rules were fixed: their clean check.
* ``resources/dates_narrative_sample6.jsonl`` — a sixth draw (session 24, seed 24, ``dev`` only): 31 offsets in 27
  further articles, drawn and annotated the same way before the system was run on them; main's figure on it was taken
  first, then its misses were read while choosing that session's rules.
* ``resources/dates_narrative_sample8.jsonl`` — an eighth draw (session 25, seed 25, ``dev`` only): 24 offsets in 22
  further articles, drawn and annotated the same way before the system was run on them; main's figure on it was taken
  first, then its misses were read while choosing that session's rules.
* ``resources/dates_narrative_sample9.jsonl`` — a ninth draw (session 25, seed 2525, ``dev`` only): 23 offsets in 20
  further articles, drawn and annotated the same way after that session's rules were fixed: their clean check.
* ``resources/dates_narrative_sample10.jsonl`` — a tenth draw (session 26, seed 26, ``dev`` only): 20 offsets in 18
  further articles, drawn and annotated the same way before the system was run on them; main's figure on it was taken
  first, then its misses were read while choosing that session's rules.
* ``resources/dates_narrative_sample11.jsonl`` — an eleventh draw (session 26, seed 2626, ``dev`` only): 17 offsets in
  12 further articles, drawn and annotated the same way after that session's rules were fixed: their clean check.
* ``resources/dates_seeds.jsonl`` — per seed file of ``../shared/corpus/seeds``:
  ``{"seed", "dates": [[date_text, occurrence, iso]]}``, keyed by the expression's text and
  its occurrence index so that it survives the clean stage's offset changes.

Annotation guideline: every expression that places something in time — full, month and
year dates, year-less dates, bare years (also as modifiers: "the 2013 bill"), ranges,
decades, seasons with a year or last/this/next, quarters, and relative dates (today,
yesterday, last week, N years ago, earlier this year, weekdays), and since the named periods and
narrative offsets were added, those too (World War II, the Cold War, 9/11 — "on 9/11" being that
day of its own year —, "the day before", "four years later"). Not annotated: durations
("for the last year", "the next two weeks"), vague spans ("decades ago", "recently"),
times of day, ages, counts, centuries, show names ("Fox News Sunday"), page furniture
("7 years ago" of a crawled page). The gold value is the true date as the text and its
publication date establish it, in the conventions of :mod:`cruxmap.nlp.dates`.

Metrics: ``gold expressions`` (how many the set annotates, so that a README figure can say what it is of),
``found`` (recall: gold spans overlapped by a predicted event), ``precision``
(predicted events that overlap a gold span), ``iso exact`` and ``year`` (share of *all*
gold expressions whose value — or whose first year — the system got right; missed ones
count as wrong, and an expression whose gold is null is right in both when left undated); ``only a bound``
(share of gold expressions given only as a bound on a writing time the article does not state, "[2021..]":
such a value names neither the date nor the year, so it is right in neither; the note says how many
bounds hold the right year).
``news_article_bias, no metadata`` re-runs the dated articles without their publication date to
measure the article-"now" rule where the truth is known.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..nlp.date_values import bound_ends
from ..nlp.events import extract_events
from .base import BenchRow, quality_task

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
DEV_FILE = RESOURCES / "dates_dev.jsonl"
TEST_FILE = RESOURCES / "dates_test.jsonl"
SEEDS_FILE = RESOURCES / "dates_seeds.jsonl"
RELATIVE_FILE = RESOURCES / "dates_relative.jsonl"
RELATIVE_KINDS = ("narrative", "named", "deictic")
NARRATIVE_SAMPLE_FILE = RESOURCES / "dates_narrative_sample.jsonl"
NARRATIVE_SAMPLE2_FILE = RESOURCES / "dates_narrative_sample2.jsonl"
NARRATIVE_SAMPLE3_FILE = RESOURCES / "dates_narrative_sample3.jsonl"
NARRATIVE_SAMPLE4_FILE = RESOURCES / "dates_narrative_sample4.jsonl"
NARRATIVE_SAMPLE5_FILE = RESOURCES / "dates_narrative_sample5.jsonl"
NARRATIVE_SAMPLE6_FILE = RESOURCES / "dates_narrative_sample6.jsonl"
NARRATIVE_SAMPLE7_FILE = RESOURCES / "dates_narrative_sample7.jsonl"
NARRATIVE_SAMPLE8_FILE = RESOURCES / "dates_narrative_sample8.jsonl"
NARRATIVE_SAMPLE9_FILE = RESOURCES / "dates_narrative_sample9.jsonl"
NARRATIVE_SAMPLE10_FILE = RESOURCES / "dates_narrative_sample10.jsonl"
NARRATIVE_SAMPLE11_FILE = RESOURCES / "dates_narrative_sample11.jsonl"


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    exact: int = 0
    year: int = 0
    predicted: int = 0
    predicted_matched: int = 0
    #: gold expressions given only as a bound on the writing time ("2021 or later"), and how many of
    #: those bounds hold the gold year
    bounded: int = 0
    bound_holds: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, text: str, gold: list[tuple[int, int, str | None]], predicted) -> None:
        self.predicted += len(predicted)
        self.predicted_matched += sum(any(p.start < e and s < p.end for s, e, _ in gold) for p in predicted)
        for start, end, iso in gold:
            self.gold += 1
            hits = [p for p in predicted if p.start < end and start < p.end]
            if not hits:
                self.misses.append(f"missed {text[start:end]!r} ({iso})")
                continue
            self.found += 1
            values = [p.date for p in hits]
            bounds = [ends for v in values if (ends := bound_ends(v)) is not None]
            if bounds:  # a date known only as a bound names no date nor year: right in neither
                self.bounded += 1
                self.bound_holds += any(_within(iso, ends) for ends in bounds)
                values = [v for v in values if bound_ends(v) is None]
            if iso in values:
                self.exact += 1
            else:
                self.misses.append(f"{text[start:end]!r}: gold {iso}, got {values}")
            # a value right in full is right in its year too: an expression the text gives no date
            # (gold None) left undated counts for both
            if iso in values or any(_year(v) is not None and _year(v) == _year(iso) for v in values):
                self.year += 1

    def rows(self, dataset: str, split: str, note: str | None = None) -> list[BenchRow]:
        def share(n: int, d: int) -> float | None:
            return round(n / d, 4) if d else None

        common = {"task": "dates", "dataset": dataset, "split": split}
        return [
            BenchRow(**common, metric="gold expressions", value=float(self.gold)),
            BenchRow(**common, metric="found (recall)", value=share(self.found, self.gold), note=f"{self.gold} gold expressions" + (f"; {note}" if note else "")),
            BenchRow(**common, metric="precision", value=share(self.predicted_matched, self.predicted)),
            BenchRow(**common, metric="iso exact", value=share(self.exact, self.gold)),
            BenchRow(**common, metric="year", value=share(self.year, self.gold)),
            BenchRow(**common, metric="only a bound", value=share(self.bounded, self.gold),
                     note=f"{self.bound_holds} of {self.bounded} bounds hold the right year"),
        ]


def _within(iso: str | None, ends: tuple[str | None, str | None]) -> bool:
    """True when the gold value's year lies inside a bound's years (an open end holds every year)."""
    year = _year(iso)
    if year is None:
        return False
    first, last = (_year(end) for end in ends)
    return (first is None or first <= year) and (last is None or year <= last)


def _year(iso: str | None) -> str | None:
    if not iso:
        return None
    m = re.match(r"^(\d{4})", iso)
    return m.group(1) if m else None


def ukraine_text(path: Path) -> str:
    """The text of one ukraine_news_bias article: its sentences joined by one space."""
    record = json.loads(path.read_text(encoding="utf-8"))
    ordered = sorted(record["sentences"], key=lambda s: s["position_in_article"])
    return " ".join(s["content"] for s in ordered)


def load_articles(data_dir: Path, gold_file: Path = DEV_FILE, split: str | None = None) -> list[tuple[dict, str, str | None]]:
    """(gold record, article text, publication date) for every annotated article found on disk
    (only the records of ``split`` where the file splits its records)."""
    records = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if split is None or r.get("split", split) == split]
    wanted = {r["id"] for r in records if r["dataset"] == "news_article_bias"}
    news: dict[str, dict] = {}
    news_file = data_dir / "news_article_bias" / "articles_subset.jsonl"
    if news_file.is_file() and wanted:
        with news_file.open(encoding="utf-8") as fh:
            for line in fh:
                if any(f'"{i}"' in line[:40] for i in wanted):
                    row = json.loads(line)
                    if row["ID"] in wanted:
                        news[row["ID"]] = row
    out = []
    for rec in records:
        if rec["dataset"] == "news_article_bias":
            row = news.get(rec["id"])
            if row is None:
                continue
            text, published = row["content_original"], row.get("date") or None
        else:
            path = data_dir / "ukraine_news_bias" / "all-data-as-json" / f"{rec['id']}.json"
            if not path.is_file():
                continue
            text, published = ukraine_text(path), None
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != rec["sha256"]:
            continue  # the data changed under the annotation: skip rather than score garbage
        out.append((rec, text, published))
    return out


def score_gold(data_dir: Path, gold_file: Path = DEV_FILE) -> dict[str, Score]:
    """Scores by dataset; dated articles are also scored without their publication date."""
    scores = {name: Score() for name in ("news_article_bias", "news_article_bias, no metadata", "ukraine_news_bias")}
    for rec, text, published in load_articles(data_dir, gold_file):
        gold = [(s, e, iso) for s, e, iso, _ in rec["dates"]]
        scores[rec["dataset"]].add(text, gold, extract_events(text, rec["id"], published))
        if rec["dataset"] == "news_article_bias":
            scores["news_article_bias, no metadata"].add(text, gold, extract_events(text, rec["id"], None))
    return {name: score for name, score in scores.items() if score.gold}


def score_relative(data_dir: Path, split: str, gold_file: Path = RELATIVE_FILE) -> dict[str, Score]:
    """Scores of the hard-kinds set by kind and over all of them (publication dates given)."""
    scores = {kind: Score() for kind in ("all", *RELATIVE_KINDS)}
    for rec, text, published in load_articles(data_dir, gold_file, split):
        predicted = extract_events(text, rec["id"], published)
        for kind, score in scores.items():
            gold = [(s, e, iso) for s, e, iso, _, k in rec["dates"] if kind in ("all", k)]
            score.add(text, gold, predicted)
    return {kind: score for kind, score in scores.items() if score.gold}


def _occurrence_span(text: str, date_text: str, occurrence: int) -> tuple[int, int] | None:
    pattern = r"\s+".join(re.escape(part) for part in date_text.split())
    found = list(re.finditer(pattern, text))
    if occurrence >= len(found):
        return None
    return found[occurrence].span()


def score_seeds(seeds_dir: Path) -> Score:
    score = Score()
    for line in SEEDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        path = seeds_dir / rec["seed"]
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        gold = []
        for date_text, occurrence, iso in rec["dates"]:
            span = _occurrence_span(text, date_text, occurrence)
            if span is None:
                raise ValueError(f"{SEEDS_FILE.name}: {date_text!r} #{occurrence} not in {rec['seed']}")
            gold.append((span[0], span[1], iso))
        score.add(text, gold, extract_events(text, rec["seed"], None))
    return score


@quality_task("dates")
def run(split: str, settings, **options) -> list[BenchRow]:
    """Rows by dataset for the dev set (tuned on) or the held-out test set, plus the seeds."""
    data_dir = Path(settings.data_dir)
    if split not in {"dev", "test"}:
        return [BenchRow(task="dates", dataset="dates", split=split, metric="found (recall)", value=None,
                         note="dates are annotated for --split dev (tuning) and --split test (held out) only")]
    rows: list[BenchRow] = []
    if not data_dir.is_dir():
        return [BenchRow(task="dates", dataset="dates", split=split, metric="found (recall)", value=None,
                         note=f"benchmark data not found at {data_dir}")]
    for name, score in score_gold(data_dir, DEV_FILE if split == "dev" else TEST_FILE).items():
        rows.extend(score.rows(name, split))
    if RELATIVE_FILE.is_file():
        for kind, score in score_relative(data_dir, split).items():
            rows.extend(r for r in score.rows(f"relative and named dates: {kind}", split)
                        if r.metric not in ("precision", "only a bound"))  # publication dates given: no bounds
    for name, sample_file in (("narrative offsets, random news sample", NARRATIVE_SAMPLE_FILE),
                              ("narrative offsets, second random sample", NARRATIVE_SAMPLE2_FILE),
                              ("narrative offsets, third random sample", NARRATIVE_SAMPLE3_FILE),
                              ("narrative offsets, fourth random sample", NARRATIVE_SAMPLE4_FILE),
                              ("narrative offsets, fifth random sample", NARRATIVE_SAMPLE5_FILE),
                              ("narrative offsets, sixth random sample", NARRATIVE_SAMPLE6_FILE),
                              ("narrative offsets, seventh random sample", NARRATIVE_SAMPLE7_FILE),
                              ("narrative offsets, eighth random sample", NARRATIVE_SAMPLE8_FILE),
                              ("narrative offsets, ninth random sample", NARRATIVE_SAMPLE9_FILE),
                              ("narrative offsets, tenth random sample", NARRATIVE_SAMPLE10_FILE),
                              ("narrative offsets, eleventh random sample", NARRATIVE_SAMPLE11_FILE)):
        if sample_file.is_file() and (sample := score_relative(data_dir, split, sample_file).get("narrative")):
            rows.extend(r for r in sample.rows(name, split) if r.metric not in ("precision", "only a bound"))
    seeds_dir = data_dir.parent / "corpus" / "seeds"
    if seeds_dir.is_dir() and SEEDS_FILE.is_file():
        rows.extend(score_seeds(seeds_dir).rows("seeds (raw text, no metadata)", split))
    else:
        rows.append(BenchRow(task="dates", dataset="seeds", split=split, metric="found (recall)", value=None,
                             note=f"seed corpus not found at {seeds_dir}"))
    return rows
