"""Write the README's benchmark tables from the committed bench results, so they cannot drift.

Each table sits between two markers in README.md::

    <!-- table:source-stance -->
    ...generated...
    <!-- /table:source-stance -->

and is printed from a JSON file of bench rows (``cruxmap bench quality --task source-stance --json
docs/bench/source-stance.json``). ``--check`` exits non-zero when README.md differs from what the
JSON gives (the test suite runs it). A file whose rows carry the stamp ``cruxmap bench`` writes
(``cruxmap.bench.results``: version, commit, date) gets a line under its table saying what measured it;
files written before the stamp existed print as before.

Usage:
  python scripts/readme_tables.py           # rewrite the tables in README.md
  python scripts/readme_tables.py --check   # fail if README.md is out of date
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from generated import write_or_check  # scripts/generated.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BENCH = ROOT / "docs" / "bench"

SYSTEMS = (("cruxmap", ""), ("all none", " [all none]"), ("outlet lean", " [outlet lean]"))


def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _by_set(rows: list[dict]) -> dict[str, dict[str, float | None]]:
    """dataset → metric → value, in the order the bench wrote them."""
    by_set: dict[str, dict[str, float | None]] = {}
    for r in rows:
        by_set.setdefault(r["dataset"], {})[r["metric"]] = r["value"]
    return by_set


def _count(m: dict, key: str) -> str:
    return "—" if m.get(key) is None else str(int(m[key]))


def source_stance_table(rows: list[dict]) -> str:
    """Per set and system: accuracy, strict accuracy, macro-F1, sided accuracy (n), strict, flips, mixed."""
    by_set = _by_set(rows)
    lines = [("| set | reader | accuracy | strict | macro-F1 | sided cells: accuracy (n) | sided, strict "
             "| flips (share of sided) | `mixed` predicted / in reading |"),
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for dataset, m in by_set.items():
        for system, suffix in SYSTEMS:
            if f"accuracy{suffix}" not in m or m[f"accuracy{suffix}"] is None:
                continue
            sided = int(m.get(f"sided cells{suffix}") or 0)
            lines.append(
                f"| {dataset} ({int(m.get(f'cells{suffix}') or 0)} cells) | {system} | {_f(m[f'accuracy{suffix}'])} "
                f"| {_f(m.get(f'strict accuracy{suffix}'))} | {_f(m.get(f'macro-F1{suffix}'))} "
                f"| {_f(m.get(f'accuracy on sided cells{suffix}'))} ({sided}) "
                f"| {_f(m.get(f'strict accuracy on sided cells{suffix}'))} "
                f"| {int(m.get(f'flips{suffix}') or 0)} ({_f(m.get(f'flips (share of sided cells){suffix}'), 2)}) "
                f"| {int(m.get(f'mixed predicted{suffix}') or 0)} / {int(m.get(f'mixed in the reading{suffix}') or 0)} |")
    return "\n".join(lines)


def map_table(rows: list[dict]) -> str:
    """Per set: shared key points and their side purity, cruxes and their consistency, camp purity,
    contradictions and their precision/recall."""
    by_set = _by_set([r for r in rows if r["task"] == "map" and not r["dataset"].startswith(("sick", "snli"))])
    count = _count

    lines = [("| set | shared key points | key-point side purity | cruxes | crux consistency | same-camp pairs "
              "| camp purity | contradictions (factual) | precision, positions | precision, listed "
              "| recall, listed (listed pairs) |"),
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for dataset, m in by_set.items():
        lines.append(
            f"| {dataset} | {count(m, 'shared key points')} | {_f(m.get('key-point side purity'))} "
            f"| {count(m, 'cruxes')} | {_f(m.get('crux consistency'))} | {count(m, 'same-camp source pairs')} "
            f"| {_f(m.get('camp purity'))} | {count(m, 'contradictions')} ({count(m, 'factual contradictions')}) "
            f"| {_f(m.get('contradiction precision (positions)'))} | {_f(m.get('contradiction precision (listed)'))} "
            f"| {_f(m.get('contradiction recall (listed)'))} ({count(m, 'contradictions listed')}) |")
    return "\n".join(lines)


def dates_table(rows: list[dict]) -> str:
    """Per set: gold expressions, expressions found, right value, right year, given only as a bound on an unknown
    writing time (and precision where the set has one)."""
    by_set = _by_set(rows)
    lines = ["| set | expressions | found | date right | year right | only a bound | precision |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for dataset, m in by_set.items():
        lines.append(f"| {dataset} | {_count(m, 'gold expressions')} | {_f(m.get('found (recall)'))} "
                     f"| {_f(m.get('iso exact'))} | {_f(m.get('year'))} | {_f(m.get('only a bound'))} "
                     f"| {_f(m.get('precision'))} |")
    return "\n".join(lines)


#: the dates sets whose narrative offsets were drawn at random from ordinary news ("narrative offsets, … random
#: sample"), and the set chosen for its kinds
RANDOM_NARRATIVE = re.compile(r"^narrative offsets, .*random.*sample$")
CHOSEN_NARRATIVE = "relative and named dates: narrative"


def dates_narrative_prose(rows: list[dict]) -> str:
    """The README's sentence on narrative offsets, its figures pooled from the random draws' rows (each share
    times its gold count), so that no figure in it is typed by hand."""
    by_set = _by_set(rows)
    drawn = [m for name, m in by_set.items() if RANDOM_NARRATIVE.match(name) and m.get("gold expressions")]
    total = sum(int(m["gold expressions"]) for m in drawn)
    if not total:
        return "Narrative offsets are the weak kind; no random draw of them is in the committed results."

    def pooled(metric: str) -> float:
        return sum((m.get(metric) or 0.0) * int(m["gold expressions"]) for m in drawn) / total

    chosen = by_set.get(CHOSEN_NARRATIVE, {})
    chosen_part = (f"; on the {_count(chosen, 'gold expressions')} chosen for their kinds (the `narrative` row) "
                   f"{_f(chosen.get('year'), 2)} and {_f(chosen.get('iso exact'), 2)}" if chosen.get("year") is not None else "")
    return (f"Narrative offsets are the weak kind. On the {total} drawn at random from ordinary news in "
            f"{len(drawn)} draws (the `random` rows) the year is right for {pooled('year'):.2f} of them and the full "
            f"date for {pooled('iso exact'):.2f}{chosen_part}.")


def quotes_table(rows: list[dict]) -> str:
    """One row per set and metric (the quote sets measure different things)."""
    lines = ["| set | metric | value |", "|---|---|---:|"]
    for r in rows:
        if r["task"] == "quotes":
            lines.append(f"| {r['dataset']}, {r['split']} | {r['metric']} | {_f(r['value'])} |")
    return "\n".join(lines)


#: the README's names for the claim sets of ``bench quality --task claims``
CLAIM_SETS = {
    "cruxmap news claims (hand-annotated)": "whole news articles, dev split",
    "cruxmap explanatory sentences (hand-annotated)": "explanatory news sentences, dev split",
    "example corpus claims (hand-annotated)": "`examples/corpus`, every sentence",
    "seeds claims (hand-annotated, held out)": "the five reference articles, held out",
}


def claims_table(rows: list[dict]) -> str:
    by_set = _by_set(rows)
    lines = ["| set (labelled by the guideline) | sentences | claims | precision | recall | F1 |",
             "|---|---:|---:|---:|---:|---:|"]
    for dataset, m in by_set.items():
        lines.append(f"| {CLAIM_SETS.get(dataset, dataset)} | {_count(m, 'sentences')} | {_count(m, 'claims')} "
                     f"| {_f(m.get('precision'))} | {_f(m.get('recall'))} | {_f(m.get('F1'))} |")
    return "\n".join(lines)


def corrections_table(rows: list[dict]) -> str:
    """Per debate: accuracy before any correction, corrections to 0.9 for each simulated analyst, the curve."""
    by_set = _by_set(rows)
    lines = [("| debate | accuracy before | corrections to 0.9, cell by cell | corrections to 0.9, teaching "
             "| after 5 / 10 / 20 (teaching) | cells read to 0.9: table order | review order |"),
             "|---|---:|---:|---:|---|---:|---:|"]
    for dataset, m in by_set.items():
        curve = " / ".join(_f(m.get(f"accuracy after {n} [teaching]"), 2) for n in (5, 10, 20))
        lines.append(f"| {dataset} | {_f(m.get('accuracy after 0 [cell by cell]'))} "
                     f"| {_count(m, 'corrections to 0.9 [cell by cell]')} | {_count(m, 'corrections to 0.9 [teaching]')} "
                     f"| {curve} | {_count(m, 'cells read to 0.9 [table order]')} "
                     f"| {_count(m, 'cells read to 0.9 [review order]')} |")
    return "\n".join(lines)


def correction_speed_table(record: dict) -> str:
    """One row: corpus size, first correction (embedder loaded) and the median and worst of the rest."""
    return ("| articles | claims | first correction (loads the embedder) | median per correction | slowest |\n"
            "|---:|---:|---:|---:|---:|\n"
            f"| {record['articles']} | {record['claims']} | {record['first_seconds']:.2f} s "
            f"| {record['median_seconds']:.2f} s | {record['max_seconds']:.2f} s |")


def serve_table(record: dict) -> str:
    """Per page: requests, p50, p95, p99; then all of them, the errors and the rate."""
    rss = record["server_rss_mb"]
    lines = [(f"{record['articles']} articles, {record['requests']} requests, {record['concurrency']} in flight: "
             f"{record['requests_per_s']} requests/s, {record['errors']} errors; server memory {rss['started']:.0f} MB "
             f"at the start, {rss['warm']:.0f} MB once each page was opened, peak {rss['peak']:.0f} MB under the "
             f"load (+{rss['growth']:.0f} MB)."), "",
             "| page | first answer ms | requests | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"]
    first = record.get("first_answer_ms", {})
    for name, r in [*record["pages"].items(), ("all", record["overall"])]:
        cold = f"{first[name]:.0f}" if name in first else ""
        lines.append(f"| {name} | {cold} | {r['requests']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} |")
    return "\n".join(lines)


def serve_without_meaning(record: dict) -> str:
    """The same load with meaning search left out (``serve.search_meaning = false``)."""
    rss = record["server_rss_mb"]
    return (f"With `serve.search_meaning = false`, the same load kept the server at {rss['warm']:.0f} MB once warm "
            f"and {rss['peak']:.0f} MB at its peak, at {record['requests_per_s']} requests/s; its first search "
            f"answered in {record['first_answer_ms']['search']:.0f} ms.")


def speed_table(records: list[dict]) -> str:
    """Per corpus size: throughput, the pipeline's share of the bare embedder's rate, and peak memory;
    then where the time went."""
    lines = [("| articles | sentences | claims | seconds | articles/s | sentences/s | pipeline / raw embedding "
             "| peak RSS MB (main + worker at once) | peak PSS MB (shared pages once) | main process alone |"),
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in records:
        pss = f"{r['peak_pss_mb']:,.0f}" if r.get("peak_pss_mb") else "—"
        lines.append(f"| {r['articles']:,} | {r['sentences']:,} | {r['claims']:,} | {r['seconds']:.1f} | "
                     f"{r['articles_per_s']:.2f} | {r['sentences_per_s']:.0f} | {r['pipeline_to_raw_ratio']:.2f} | "
                     f"{r['peak_rss_mb']:,.0f} | {pss} | {r['peak_rss_main_mb']:,.0f} |")
    r = records[-1]
    stages = sorted(r["stages"].items(), key=lambda kv: -kv[1]["seconds"])
    lines += ["", f"Stage seconds for {r['articles']:,} articles (the annotate worker's spaCy, events and quotes "
              "run alongside the main process's claims and stance): "
              + ", ".join(f"{name} {st['seconds']:.0f}" for name, st in stages if st["seconds"] >= 1) + "."]
    return "\n".join(lines)


TABLES = {"source-stance": (BENCH / "source-stance.json", source_stance_table),
          "speed": (BENCH / "speed.json", speed_table),
          "serve": (BENCH / "serve.json", serve_table),
          "serve-no-meaning": (BENCH / "serve-no-meaning.json", serve_without_meaning),
          "correction-speed": (BENCH / "correction-speed.json", correction_speed_table),
          "corrections": (BENCH / "corrections.json", corrections_table),
          "claims": (BENCH / "claims.json", claims_table),
          "quotes": (BENCH / "quotes.json", quotes_table),
          "dates": (BENCH / "dates.json", dates_table),
          "dates-narrative": (BENCH / "dates.json", dates_narrative_prose),
          "map": (BENCH / "map.json", map_table)}


def provenance(result: list[dict] | dict) -> str:
    """``Measured by cruxmap 0.1.0 at commit 1a2b3c4d5e6f on 2026-12-07.`` when every row (or the record) of
    ``result`` carries one and the same stamp; empty for a file written before the stamp existed."""
    items = result if isinstance(result, list) else [result]
    stamps = {(r.get("cruxmap_version"), r.get("commit"), r.get("date")) for r in items if isinstance(r, dict)}
    if len(stamps) != 1:
        return ""
    version, commit, day = next(iter(stamps))
    if version is None or day is None:
        return ""
    at = f" at commit {commit[:12]}{' (uncommitted changes)' if commit.endswith('+dirty') else ''}" if commit else ""
    return f"\n\n*Measured by cruxmap {version}{at} on {day}.*"


def render(readme: str) -> str:
    for name, (path, build) in TABLES.items():
        rows = json.loads(path.read_text(encoding="utf-8"))
        pattern = re.compile(rf"(<!-- table:{re.escape(name)} -->\n).*?(<!-- /table:{re.escape(name)} -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no <!-- table:{name} --> … <!-- /table:{name} --> markers")
        table = build(rows) + provenance(rows)
        readme = pattern.sub(lambda m, table=table: m.group(1) + table + "\n" + m.group(2), readme)
    return readme


def main() -> int:
    return write_or_check(README, render, description=__doc__.split("\n")[0],
                          rewrite="python scripts/readme_tables.py")


if __name__ == "__main__":
    sys.exit(main())
