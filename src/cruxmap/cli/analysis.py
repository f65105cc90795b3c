"""Analyse articles, and read a run back: its map, sources, report, exports, timeline and quotes; the store's
runs, the settings, the schema and the steps of a run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .. import api
from .common import _print_sources, _progress, _report_failures, _stoppable, _summary, console, settings


@_stoppable
def analyze(
    paths: Annotated[list[str], typer.Argument(help="article files or folders (txt, md, html, pdf, jsonl, csv)")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for map.json")] = None,
    question: Annotated[Path | None, typer.Option(help="question file (YAML) naming the hypotheses")] = None,
    stance: Annotated[str | None, typer.Option(help="stance backend: offline, hf, llm")] = None,
    ach_overrides: Annotated[Path | None, typer.Option(help="YAML/JSON file of ACH cell overrides")] = None,
    corrections: Annotated[Path | None, typer.Option(help=(
        "JSONL file of analyst corrections (from the report or `cruxmap corrections export`): recorded in the "
        "store, then applied"))] = None,
    text_field: Annotated[str | None, typer.Option(
        help="JSONL/CSV field holding the article text (setting ingest.text_field)")] = None,
    title_field: Annotated[str | None, typer.Option(
        help="JSONL/CSV field holding the title (setting ingest.title_field)")] = None,
    date_field: Annotated[str | None, typer.Option(
        help="JSONL/CSV field holding the publication date (setting ingest.date_field)")] = None,
    url_field: Annotated[str | None, typer.Option(
        help="JSONL/CSV field holding the URL (setting ingest.url_field)")] = None,
    outlet_field: Annotated[str | None, typer.Option(
        help="JSONL/CSV field holding the outlet (setting ingest.outlet_field)")] = None,
    author_field: Annotated[str | None, typer.Option(
        help="JSONL/CSV field holding the author (setting ingest.author_field)")] = None,
    limit: Annotated[int | None, typer.Option(help="read at most N articles", min=1)] = None,
    engine: Annotated[str, typer.Option(help="inprocess, or ray (pip install 'cruxmap\\[ray]')")] = "inprocess",
    address: Annotated[str | None, typer.Option(help="Ray cluster to join: auto or ray://host:10001")] = None,
    strict: Annotated[bool, typer.Option(help="exit non-zero if any input fails")] = False,
    no_report: Annotated[bool, typer.Option(
        "--no-report", help="large corpora: stream map.json from the store and skip report.html, so memory "
                            "does not grow with the whole map (render it later with `cruxmap report`)")] = False,
) -> None:
    """Analyse articles and write DIR/map.json; the run is recorded in the store."""
    s = settings(**{"stance.backend": stance}, ingest={"text_field": text_field, "title_field": title_field, "date_field": date_field,
                                        "url_field": url_field, "outlet_field": outlet_field,
                                        "author_field": author_field})
    options = api.ingest_options(s, limit=limit)
    plan = api.reading_plan(paths, settings=s, question=question, ingest_options=options)
    if plan:
        console.print(f"stance: {plan['model']} at {plan['endpoint']} reads each source once: "
                      f"{plan['requests']} requests, about {plan['prompt_tokens_estimate']:,} prompt tokens "
                      f"({plan['items']} items; more if answers are rejected and asked again; cached sources send nothing)",
                      highlight=False, markup=False)
    bar, update = _progress()
    with bar:
        result = api.analyze(paths, out, keep_map=not no_report, settings=s, question=question, strict=False,
                             progress=update, ingest_options=options, ach_overrides=ach_overrides,
                             corrections=corrections, engine=engine, address=address)
    _report_failures(result)
    if isinstance(result, api.RunSummary):
        _streamed_summary(result)
    else:
        _summary(result, out)
    if strict and result.failures:
        raise typer.Exit(1)


def _streamed_summary(summary: api.RunSummary) -> None:
    """What a run that kept no map prints: its counts, its id and where the streamed map went."""
    counts = summary.counts
    console.print(
        f"[bold]{counts['sources']}[/] sources, {counts['sentences']} sentences, {counts['quotes']} quotes, "
        f"{counts['events']} dated events, {counts['claims']} claims; {len(summary.failures)} failed"
        + (f"; {summary.run.reused} re-used from the store" if summary.run.reused else ""))
    console.print(f"run [cyan]{summary.run.id}[/] recorded"
                  + (f"; map written to {escape(str(summary.map_path))} (no report)" if summary.map_path else ""))


@_stoppable
def demo(out: Annotated[Path, typer.Option("--out", "-o")] = Path("cruxmap-demo")) -> None:
    """Run cruxmap on the bundled example corpus."""
    bar, update = _progress()
    with bar:
        result = api.demo(out, settings=settings(), progress=update)
    _report_failures(result)
    _print_sources(result)
    _summary(result, out)


def show_map(dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")]) -> None:
    """Print the key points, camps, cruxes and the ACH ranking of a run."""
    result = api.load_map(dir_or_run, settings())
    if result.question.question:
        console.print(f"[bold]{escape(result.question.question)}[/]")
    for h in result.hypotheses:
        console.print(f"  {h.id}{' (suggested)' if h.suggested else ''}: {h.statement}", highlight=False, markup=False)
    for name, rows in api.map_tables(result).items():
        if not rows:
            console.print(f"[dim]no {name.replace('_', ' ')}[/]")
            continue
        table = Table(title=name.replace("_", " "))
        for col in rows[0]:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*[f"{v:.3g}" if isinstance(v, float) else escape(str(v)) for v in row.values()])
        console.print(table)


def sources(
    dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")],
    removed: Annotated[bool, typer.Option("--removed", help="also print every removed piece")] = False,
) -> None:
    """List the sources of a run with their metadata and what cleaning removed."""
    result = api.load_map(dir_or_run, settings())
    _print_sources(result)
    if removed:
        for s in result.sources:
            console.rule(escape(f"{s.id} {s.path}"))
            for r in s.removed:
                text = r.text.strip().replace("\n", " ⏎ ")
                console.print(f"[dim]{r.start}-{r.end}[/] [yellow]{escape(r.reason)}[/] {escape(text[:160])}", highlight=False)
    _report_failures(result)


def report(
    dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file (or folder) to write")] = Path("report.html"),
) -> None:
    """Write the single-file offline HTML report of a run."""
    path = api.write_report(api.load_map(dir_or_run, settings()), output)
    console.print(f"report written to {path}", markup=False)


def export_cmd(
    dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=(
        "json, csv (claim × item stances), positions (source × item table with its evidence), argdown or aif"))] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: stdout)")] = None,
) -> None:
    """Export a run's map: JSON, claim × hypothesis stances as CSV, Argdown, or AIF JSON."""
    result = api.export(api.load_map(dir_or_run, settings()), fmt, output)
    if output:
        console.print(f"{fmt} written to {result}", markup=False)
    else:
        text = str(result)  # without --output, the export itself
        sys.stdout.write(text if text.endswith("\n") else f"{text}\n")


def serve(
    host: Annotated[str, typer.Option(help=(
        "address to bind (loopback by default; any other address needs the team token in $CRUXMAP_TOKEN)"))] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    no_login: Annotated[bool, typer.Option("--no-login", help=(
        "serve a shared address without a token (only behind a proxy that authenticates)"))] = False,
) -> None:
    """Serve the web UI and the JSON API (under /api/) over the runs in the store."""
    api.serve(settings(), host=host, port=port, allow_no_login=no_login)


def runs() -> None:
    """List the runs recorded in the store, newest first."""
    table = Table(title="runs")
    for col in ("id", "created", "sources", "made from", "inputs"):
        table.add_column(col, overflow="fold")
    for r in api.list_runs(settings()):
        paths = ", ".join(r.options.get("paths", []))  # type: ignore[arg-type]
        made = f"corrections of {r.parent}" if r.kind == "corrections" else (f"after {r.parent}" if r.parent else "—")
        table.add_row(r.id, r.created, str(len(r.inputs)), made, escape(paths))
    console.print(table)


def schema() -> None:
    """Print the JSON Schema of map.json."""
    sys.stdout.write(api.schema_text())


def config(as_json: Annotated[bool, typer.Option("--json", help=(
        'print {"settings": the resolved tree, "origins": setting → where its value came from} as JSON'))] = False,
           ) -> None:
    """Print each resolved setting (defaults < cruxmap.toml < CRUXMAP_* env < flags) and where its value came
    from: default, the file, the variable or the command line (a deprecated name is named), then the versioned
    backend of each model-backed step; on stderr, what an unset setting resolves to."""
    resolved = settings()
    origins = resolved.origins()
    backends = api.backends(resolved)
    if as_json:
        sys.stdout.write(json.dumps({"settings": resolved.model_dump(), "origins": origins, "backends": backends},
                                    indent=2) + "\n")
    else:
        rows = [(name, "unset" if (v := resolved.value(name)) is None else json.dumps(v), origin)
                for name, origin in origins.items()]
        name_width, value_width = (max(len(row[i]) for row in rows) for i in (0, 1))
        for name, value, origin in [("setting", "value", "from"), *rows]:
            sys.stdout.write(f"{name:<{name_width}}  {value:<{value_width}}  {origin}\n")
        kind_width = max(len(kind) for kind in [*backends, "backend of"])
        for kind, name in [("backend of", "resolved name"), *backends.items()]:
            sys.stdout.write(f"{kind:<{kind_width}}  {name}\n")
    if resolved.claims.threshold is None:
        threshold = api.default_claim_threshold()
        if threshold is None:
            return
        sys.stderr.write(f"claims.threshold unset: the claim detector's own threshold, {threshold:.3f}, applies\n")


def pipeline(
    question: Annotated[Path | None, typer.Option(help="question file (YAML) naming the hypotheses")] = None,
    stance: Annotated[str | None, typer.Option(help="stance backend: offline, hf, llm")] = None,
) -> None:
    """Print the steps a run would take with these settings, in order: what each requires and provides,
    its backend and version. Loads no model (model-backed steps show their backend's versioned name)."""
    steps = api.pipeline_steps(settings(**({"stance.backend": stance} if stance else {})), question)
    width = max(len(s.name) for s in steps)
    for s in steps:
        sys.stdout.write(f"{s.scope:<8}  {s.name:<{width}}  requires {', '.join(s.requires) or '-'}; "
                         f"provides {', '.join(s.provides)}; backend {s.backend} ({s.version})\n")


def timeline(dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")]) -> None:
    """Print the dated events of a run in time order."""
    result = api.load_map(dir_or_run, settings())
    rows = api.timeline_rows(result)
    if not rows:
        console.print("no dated events in this run")
        return
    # three columns fit 80: the date, the event with how its date was read under it, the source with the ids
    table = Table(title="timeline")
    table.add_column("date", no_wrap=True)
    table.add_column("event (as written · how the date was read)", overflow="fold", ratio=3)
    table.add_column("source", overflow="fold", ratio=1)
    for row in rows:
        how = " · ".join(escape(str(x)) for x in (f"“{row['date_text']}”" if row["date_text"] else None, row["how"])
                         if x)
        event = escape(row["description"] or "") + (f"\n[dim]{how}[/]" if how else "")
        table.add_row(escape(str(row["date_in_words"])), event, escape(str(row["source"])) + f"\n[dim]{escape(row['event_id'])}[/]")
    console.print(table)


def quotes(
    dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")],
    speaker: Annotated[str | None, typer.Option(help="only quotes whose speaker contains this name")] = None,
) -> None:
    """Print the quotes of a run, grouped by speaker."""
    result = api.load_map(dir_or_run, settings())
    wanted = speaker.casefold() if speaker else None
    by_speaker: dict[str, list] = {}
    for q in result.quotes:
        name = q.speaker or "(unknown speaker)"
        if wanted and wanted not in name.casefold():
            continue
        by_speaker.setdefault(name, []).append(q)
    if not by_speaker:
        console.print("no quotes" + (f" by a speaker matching '{speaker}'" if speaker else ""), markup=False)
        return
    for name in sorted(by_speaker, key=lambda n: (-len(by_speaker[n]), n)):
        items = by_speaker[name]
        role = next((q.speaker_role for q in items  # a group named by its own words ("NATO allies"): no role
                     if q.speaker_role and q.speaker_role.casefold() != name.casefold()), None)
        console.rule(f"[bold]{escape(name)}[/]" + (f" — {escape(role)}" if role else "") + f" ({len(items)})")
        for q in items:
            mark = "“”" if q.direct else "~"
            console.print(f"[dim]{escape(q.source_id)}[/] {mark} {escape(q.text)}", highlight=False)
