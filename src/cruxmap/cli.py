"""The ``cruxmap`` command line: a thin shell over ``cruxmap.api``."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from . import __version__, api
from .errors import ConfigError, CruxmapError
from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="cruxmap: an evidence-backed map of a contested question from the articles that argue it.")
bench_app = typer.Typer(no_args_is_help=True, help="Quality and speed benchmarks.")
app.add_typer(bench_app, name="bench")
corrections_app = typer.Typer(no_args_is_help=True, help=(
    "The analyst's corrections kept in the store: list, delete, export as a labelled dataset, import."))
app.add_typer(corrections_app, name="corrections")

console = Console()
err_console = Console(stderr=True)


class State:
    debug = False
    config: str | None = None
    db: str | None = None


state = State()


def settings(**overrides) -> Settings:
    return Settings.load(state.config, db=state.db, **overrides)


def _print_version(value: bool) -> None:
    if value:
        console.print(f"cruxmap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[str | None, typer.Option(help="SQLite path or postgresql:// URL (default ~/.cruxmap/cruxmap.db)")] = None,
    config: Annotated[str | None, typer.Option(help="cruxmap.toml to read (default ./cruxmap.toml)")] = None,
    debug: Annotated[bool, typer.Option(help="show tracebacks")] = False,
    version: Annotated[bool, typer.Option("--version", callback=lambda v: _print_version(v), is_eager=True,
                                          help="print the version and exit")] = False,
) -> None:
    """cruxmap: an evidence-backed map of a contested question from the articles that argue it."""
    state.debug, state.config, state.db = debug, config, db


#: off a terminal, a progress line each time this share of a phase is done, or these seconds have passed
LOG_STEPS, LOG_EVERY = 20, 30.0


def _progress() -> tuple[Progress, Callable[[str, int, int], None]]:
    """A live bar on a terminal (one line per phase, the count and the rate of articles); plain,
    timestamped log lines on stderr otherwise (a pipe, a log file, CI): one when a phase starts, when it
    is done, and in between each time another ``LOG_STEPS``-th of the phase is done or ``LOG_EVERY``
    seconds have passed (the Ray engine reports every article; a log needs no line for each)."""
    terminal = err_console.is_terminal
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err_console,
                   transient=True, disable=not terminal)
    tasks: dict[str, TaskID] = {}
    started = time.perf_counter()
    logged = {"at": 0.0, "done": 0}

    def update(stage: str, done: int, total: int) -> None:
        new = stage not in tasks
        if new:
            for other in tasks.values():  # a new phase: the ones before it are over
                bar.update(other, visible=False)
            tasks[stage] = bar.add_task(stage, total=total or None)
        bar.update(tasks[stage], completed=done, total=total or None)
        elapsed = time.perf_counter() - started
        step = max(1, total // LOG_STEPS) if total else 1
        if not terminal and (new or (total and done >= total) or done - logged["done"] >= step
                             or elapsed - logged["at"] >= LOG_EVERY):
            logged.update(at=elapsed, done=done)
            count = f" {done}{f' of about {total}' if total else ''} articles" if done or total else ""
            if done and elapsed:
                rate = done / elapsed
                count += f" ({rate:.1f}/s"
                if total and total > done:
                    left = (total - done) / rate
                    count += f", about {int(left // 60)}:{int(left % 60):02d} left"
                count += ")"
            sys.stderr.write(f"cruxmap [{elapsed:7.1f}s] {stage}{count}\n")
            sys.stderr.flush()

    return bar, update


def _report_failures(debate_map) -> None:
    for f in debate_map.failures:
        err_console.print(f"[yellow]skipped[/] {escape(f.message)}", highlight=False, soft_wrap=True)


def _summary(debate_map, out: Path | None) -> None:
    run = debate_map.run
    console.print(
        f"[bold]{len(debate_map.sources)}[/] sources, {len(debate_map.sentences)} sentences, "
        f"{len(debate_map.quotes)} quotes, {len(debate_map.events)} dated events, {len(debate_map.claims)} claims; "
        f"{len(debate_map.failures)} failed" + (f"; {run.reused} re-used from the store" if run and run.reused else "")
    )
    if run:
        console.print(f"run [cyan]{run.id}[/] recorded"
                      + (f"; map written to {escape(str(out / 'map.json'))}, report to {escape(str(out / 'report.html'))}"
                         if out else ""))


def _stoppable(command):
    """Ctrl-C stops a command cleanly: the worker ends, what was stored stays, and the message says how to go on."""
    import functools

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KeyboardInterrupt:
            err_console.print("\n[yellow]stopped[/]: the articles analysed so far are stored; run the same command "
                              "again to go on from there", highlight=False)
            raise typer.Exit(130) from None

    return run


@app.command()
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
    text_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the article text")] = "text",
    title_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the title")] = "title",
    date_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the publication date")] = "date",
    url_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the URL")] = "url",
    outlet_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the outlet")] = "outlet",
    author_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the author")] = "author",
    limit: Annotated[int | None, typer.Option(help="read at most N articles", min=1)] = None,
    engine: Annotated[str, typer.Option(help="inprocess, or ray (pip install 'cruxmap\\[ray]')")] = "inprocess",
    address: Annotated[str | None, typer.Option(help="Ray cluster to join: auto or ray://host:10001")] = None,
    strict: Annotated[bool, typer.Option(help="exit non-zero if any input fails")] = False,
    no_report: Annotated[bool, typer.Option(
        "--no-report", help="large corpora: stream map.json from the store and skip report.html, so memory "
                            "does not grow with the whole map (render it later with `cruxmap report`)")] = False,
) -> None:
    """Analyse articles and write DIR/map.json; the run is recorded in the store."""
    from .ingest import IngestOptions

    s = settings(stance=stance)
    options = IngestOptions(text_field=text_field, title_field=title_field, date_field=date_field,
                            url_field=url_field, outlet_field=outlet_field, author_field=author_field,
                            max_bytes=int(s.max_file_mb * 1_000_000), limit=limit)
    plan = api.reading_plan(paths, settings=s, question=question, ingest_options=options)
    if plan:
        console.print(f"stance: {plan['model']} at {plan['endpoint']} reads each source once: "
                      f"{plan['requests']} requests, about {plan['prompt_tokens_estimate']:,} prompt tokens "
                      f"({plan['items']} items; more if answers are rejected and asked again; cached sources send nothing)",
                      highlight=False, markup=False)
    if engine == "ray":
        from .scale.ray_engine import analyze_ray

        bar, update = _progress()
        with bar:
            result = analyze_ray(paths, out, settings=s, question=question, strict=False, ingest_options=options,
                                 ach_overrides=ach_overrides, address=address, progress=update)
    elif engine == "inprocess" and no_report:
        bar, update = _progress()
        with bar:
            summary = api.analyze_to_store(paths, out, settings=s, question=question, strict=False, progress=update,
                                           ingest_options=options, ach_overrides=ach_overrides,
                                           corrections=corrections)
        _report_failures(summary)
        counts = summary.counts
        console.print(
            f"[bold]{counts['sources']}[/] sources, {counts['sentences']} sentences, {counts['quotes']} quotes, "
            f"{counts['events']} dated events, {counts['claims']} claims; {len(summary.failures)} failed"
            + (f"; {summary.run.reused} re-used from the store" if summary.run.reused else ""))
        console.print(f"run [cyan]{summary.run.id}[/] recorded"
                      + (f"; map written to {escape(str(summary.map_path))} (no report)" if summary.map_path else ""))
        if strict and summary.failures:
            raise typer.Exit(1)
        return
    elif engine == "inprocess":
        bar, update = _progress()
        with bar:
            result = api.analyze(paths, out, settings=s, question=question, strict=False, progress=update,
                                 ingest_options=options, ach_overrides=ach_overrides, corrections=corrections)
    else:
        raise ConfigError(f"unknown engine '{engine}'", fix="use --engine inprocess or --engine ray")
    _report_failures(result)
    _summary(result, out)
    if strict and result.failures:
        raise typer.Exit(1)


@app.command()
@_stoppable
def demo(out: Annotated[Path, typer.Option("--out", "-o")] = Path("cruxmap-demo")) -> None:
    """Run cruxmap on the bundled example corpus."""
    bar, update = _progress()
    with bar:
        result = api.demo(out, settings=settings(), progress=update)
    _report_failures(result)
    _print_sources(result)
    _summary(result, out)


def _print_sources(debate_map) -> None:
    """One row per source: the title with its outlet, author and date under it (three columns fit 80)."""
    table = Table(title="sources", show_lines=False)
    table.add_column("source", overflow="fold", ratio=3)
    table.add_column("words", justify="right", no_wrap=True)
    table.add_column("removed by cleaning", overflow="fold", ratio=2)
    for row in api.source_rows(debate_map):
        removed = ", ".join(f"{k}×{v}" for k, v in sorted(row["removed"].items())) or "—"
        if row["duplicates"]:
            removed += f"; near-duplicate of {', '.join(row['duplicates'])}"
        byline = " · ".join(x for x in (row["outlet"], row["author"], row["published"]) if x)
        title = escape(row["title"] or row["id"]) + (f"\n[dim]{escape(byline)}[/]" if byline else "")
        table.add_row(title, str(row["words"]), escape(removed))
    console.print(table)


@app.command("map")
def show_map(dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")]) -> None:
    """Print the key points, camps, cruxes and the ACH ranking of a run."""
    from .map import map_tables

    result = api.load_map(dir_or_run, settings())
    if result.question.question:
        console.print(f"[bold]{escape(result.question.question)}[/]")
    for h in result.hypotheses:
        console.print(f"  {h.id}{' (suggested)' if h.suggested else ''}: {h.statement}", highlight=False, markup=False)
    for name, rows in map_tables(result).items():
        if not rows:
            console.print(f"[dim]no {name.replace('_', ' ')}[/]")
            continue
        table = Table(title=name.replace("_", " "))
        for col in rows[0]:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*[f"{v:.3g}" if isinstance(v, float) else escape(str(v)) for v in row.values()])
        console.print(table)


@app.command()
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


@app.command()
def report(
    dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file (or folder) to write")] = Path("report.html"),
) -> None:
    """Write the single-file offline HTML report of a run."""
    path = api.write_report(api.load_map(dir_or_run, settings()), output)
    console.print(f"report written to {path}", markup=False)


@app.command("export")
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
        sys.stdout.write(result if str(result).endswith("\n") else f"{result}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help=(
        "address to bind (loopback by default; any other address needs the team token in $CRUXMAP_TOKEN)"))] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    no_login: Annotated[bool, typer.Option("--no-login", help=(
        "serve a shared address without a token (only behind a proxy that authenticates)"))] = False,
) -> None:
    """Serve the web UI and the JSON API (under /api/) over the runs in the store."""
    from .serve import serve as run_server

    run_server(settings(), host=host, port=port, allow_no_login=no_login)


@app.command()
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


#: what each kind of correction takes after the run id, for `cruxmap correct`
CORRECT_USAGE = {
    "position": ("SOURCE HYPOTHESIS LABEL", ("source", "hypothesis", "value")),
    "claim": ("CLAIM HYPOTHESIS LABEL", ("item", "hypothesis", "value")),
    "not-claim": ("CLAIM", ("item",)),
    "ach": ("EVIDENCE HYPOTHESIS RATING", ("item", "hypothesis", "value")),
    "credibility": ("EVIDENCE high|medium|low", ("item", "value")),
    "relevance": ("EVIDENCE high|medium|low", ("item", "value")),
    "drop-contradiction": ("CLAIM OTHER_CLAIM", ("item", "other")),
    "merge": ("CLAIM OTHER_CLAIM", ("item", "other")),
    "split": ("CLAIM", ("item",)),
}


def _default_who() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


@app.command()
def correct(
    run: Annotated[str, typer.Argument(help="the run to correct (id or unique prefix)")],
    kind: Annotated[str, typer.Argument(help=", ".join(CORRECT_USAGE))],
    args: Annotated[list[str], typer.Argument(help="what the kind takes (see below)")],
    why: Annotated[str | None, typer.Option(help="why: kept with the correction")] = None,
    who: Annotated[str | None, typer.Option(help="who corrects (default: your login name)")] = None,
    evidence: Annotated[str | None, typer.Option(help="position: the claim id that shows it (teaches the reader)")] = None,
) -> None:
    """Correct a run's map; a new run, child of RUN, holds the corrected map (nothing is re-read by a model).

    \b
    position SOURCE HYPOTHESIS support|oppose|mixed|none   a source's position (SOURCE: id or file name)
    claim CLAIM HYPOTHESIS support|oppose|neutral          a claim's stance
    not-claim CLAIM                                        the sentence is no claim
    ach EVIDENCE HYPOTHESIS CC|C|N|I|II|NA                 an ACH cell
    credibility|relevance EVIDENCE high|medium|low         an ACH row's weight
    drop-contradiction CLAIM OTHER_CLAIM                   the pair is no contradiction
    merge CLAIM OTHER_CLAIM / split CLAIM                  key points

    Corrections are kept in the store by content: every later run of the same articles applies them.
    """
    if kind not in CORRECT_USAGE:
        raise ConfigError(f"unknown correction {kind!r}", fix=f"use one of {', '.join(CORRECT_USAGE)}")
    usage, names = CORRECT_USAGE[kind]
    if len(args) != len(names):
        raise ConfigError(f"`cruxmap correct RUN {kind}` takes {usage}, got {len(args)} value(s)",
                          fix=f"cruxmap correct RUN {kind} {usage}")
    s = settings()
    parent = api.load_map(run, s)
    new_run, corrected, stale = api.correct(run, kind, settings=s, who=who or _default_who(), why=why,
                                            evidence=evidence, **dict(zip(names, args)))
    from .lineage import diff_maps

    console.print(f"run [cyan]{new_run.id}[/] recorded (corrections of {new_run.parent}, "
                  f"{len(corrected.corrections)} correction(s) applied in {new_run.timings.get('corrections', 0):.2f} s)")
    for line in diff_maps(parent, corrected).lines():
        console.print(f"  {line}", highlight=False, markup=False)
    for c in stale:
        err_console.print(f"[yellow]stale[/] correction {c.id} ({c.kind}) matches nothing in this run", highlight=False)


@corrections_app.command("list")
def corrections_list() -> None:
    """Every correction in the store, oldest first."""
    from .store import open_store

    table = Table(title="corrections")
    for col in ("id", "kind", "about", "value", "by"):
        table.add_column(col, overflow="fold")
    with open_store(settings().db) as store:
        for c in store.list_corrections():
            about = " ".join(x for x in (c.hypothesis_id, c.source_id, f"“{c.text[:50]}”" if c.text else None) if x)
            by = f"{escape(c.who)} {c.when[:16]}" + (f"\n[dim]{escape(c.why)}[/]" if c.why else "")
            table.add_row(c.id, c.kind, escape(about), escape(c.value or ""), by)
    console.print(table)


@corrections_app.command("delete")
def corrections_delete(correction_id: Annotated[str, typer.Argument(help="the correction's id (corr-…)")]) -> None:
    """Remove a correction from the store (runs made with it keep it; the next run does not apply it)."""
    from .store import open_store

    with open_store(settings().db) as store:
        if not store.delete_correction(correction_id):
            raise ConfigError(f"no correction {correction_id!r} in the store",
                              fix="`cruxmap corrections list` shows their ids")
    console.print(f"correction {correction_id} deleted", markup=False)


@corrections_app.command("export")
def corrections_export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="JSONL file (default: stdout)")] = None,
) -> None:
    """The corrections as JSONL (one per line): a labelled dataset, and the file `analyze --corrections` reads."""
    from .corrections import write_corrections
    from .store import open_store

    with open_store(settings().db) as store:
        corrections = store.list_corrections()
    if output:
        write_corrections(corrections, output)
        console.print(f"{len(corrections)} correction(s) written to {output}", markup=False)
    else:
        for c in corrections:
            sys.stdout.write(c.model_dump_json(exclude_none=True) + "\n")


@corrections_app.command("import")
def corrections_import(path: Annotated[Path, typer.Argument(help="a JSONL file of corrections")]) -> None:
    """Add the corrections of a JSONL file (from the report, a colleague or `export`) to the store."""
    from .corrections import read_corrections
    from .store import open_store

    corrections = read_corrections(path)
    with open_store(settings().db) as store:
        for c in corrections:
            store.put_correction(c)
    console.print(f"{len(corrections)} correction(s) imported; the next run of these articles applies them "
                  "(or `cruxmap correct`)")


@app.command()
def schema() -> None:
    """Print the JSON Schema of map.json."""
    sys.stdout.write(api.schema_text())


@app.command()
def config() -> None:
    """Print the resolved settings (defaults < cruxmap.toml < CRUXMAP_* env < flags); on stderr, what an
    unset setting resolves to."""
    resolved = settings()
    sys.stdout.write(json.dumps(resolved.model_dump(), indent=2) + "\n")
    if resolved.claim_threshold is None:
        from .argue.claims import ClaimHead

        try:
            threshold = ClaimHead.load().threshold
        except CruxmapError:
            return
        sys.stderr.write(f"claim_threshold unset: the claim detector's own threshold, {threshold:.3f}, applies\n")


@app.command()
def pipeline(
    question: Annotated[Path | None, typer.Option(help="question file (YAML) naming the hypotheses")] = None,
    stance: Annotated[str | None, typer.Option(help="stance backend: offline, hf, llm")] = None,
) -> None:
    """Print the steps a run would take with these settings, in order: what each requires and provides,
    its backend and version. Loads no model (model-backed steps show their backend's versioned name)."""
    steps = api.pipeline_steps(settings(**({"stance": stance} if stance else {})), question)
    width = max(len(s.name) for s in steps)
    for s in steps:
        sys.stdout.write(f"{s.scope:<8}  {s.name:<{width}}  requires {', '.join(s.requires) or '-'}; "
                         f"provides {', '.join(s.provides)}; backend {s.backend} ({s.version})\n")


@app.command()
def timeline(dir_or_run: Annotated[str, typer.Argument(help="an --out folder, a map.json, or a run id")]) -> None:
    """Print the dated events of a run in time order."""
    result = api.load_map(dir_or_run, settings())
    from .nlp.events import format_timeline

    rows = format_timeline(result.events, result.sources)
    if not rows:
        console.print("no dated events in this run")
        return
    # three columns fit 80: the date, the event with how its date was read under it, the source with the ids
    table = Table(title="timeline")
    table.add_column("date", no_wrap=True)
    table.add_column("event (as written · how the date was read)", overflow="fold", ratio=3)
    table.add_column("source", overflow="fold", ratio=1)
    for row in rows:
        how = " · ".join(escape(str(x)) for x in (f"“{row['date_text']}”" if row["date_text"] else None, row["anchor"])
                         if x)
        event = escape(row["description"] or "") + (f"\n[dim]{how}[/]" if how else "")
        table.add_row(escape(str(row["date"])), event, escape(str(row["source"])) + f"\n[dim]{escape(row['event_id'])}[/]")
    console.print(table)


@app.command()
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
        role = next((q.speaker_role for q in items if q.speaker_role), None)
        console.rule(f"[bold]{escape(name)}[/]" + (f" — {escape(role)}" if role else "") + f" ({len(items)})")
        for q in items:
            mark = "“”" if q.direct else "~"
            console.print(f"[dim]{escape(q.source_id)}[/] {mark} {escape(q.text)}", highlight=False)


@bench_app.command("quality")
def bench_quality(
    task: Annotated[str, typer.Option(help="quotes, dates, stance, claims, keypoints, source-stance, probes, map, corrections")],
    split: Annotated[str, typer.Option(help="dev (tuning) or test (report once)")] = "dev",
    stance: Annotated[str | None, typer.Option(help="stance backend to evaluate")] = None,
    limit: Annotated[int | None, typer.Option(help="evaluate at most N items per dataset (quick check)", min=1)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the rows as JSON")] = None,
) -> None:
    """Print one table: task, dataset, split, metric, ours, best published."""
    from .bench import run_quality

    rows = run_quality(task, split, settings(stance=stance), stance=stance, limit=limit)
    table = Table(title=f"cruxmap bench quality — {task} ({split})")
    for col in ("task", "dataset", "split", "metric", "ours", "best published", "note"):
        table.add_column(col, overflow="fold")
    for r in rows:
        ours = "—" if r.value is None else f"{r.value:.4g}"
        table.add_row(r.task, r.dataset, r.split, r.metric, ours, r.published_best or "—", r.note or "")
    console.print(table)
    if json_out:
        json_out.write_text(json.dumps([r.model_dump(exclude={"note"}) for r in rows], indent=1), encoding="utf-8")


@bench_app.command("fuzz")
def bench_fuzz(
    count: Annotated[int, typer.Option(help="mutated documents to run", min=1)] = 5000,
    seed: Annotated[int, typer.Option(help="random seed (the same seed gives the same documents)")] = 0,
    budget: Annotated[float, typer.Option(help="seconds one document may take", min=0.1)] = 10.0,
    annotate: Annotated[int, typer.Option(help="how many of them also go through the annotate stages", min=0)] = 200,
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the result as JSON")] = None,
) -> None:
    """Mutated articles through ingest, cleaning and annotation: crashes, broken offsets, documents over budget."""
    import dataclasses

    from .bench.fuzz import run_fuzz

    report = run_fuzz(count=count, seed=seed, budget=budget, annotate=annotate)
    if json_out:
        record = {"count": count, "seed": seed, "budget_s": budget, "annotated": annotate,
                  **dataclasses.asdict(report), "seconds": round(report.seconds, 1), "slowest": round(report.slowest, 3)}
        json_out.write_text(json.dumps(record, indent=1), encoding="utf-8")
    console.print(f"{report.documents} documents ({report.refused} refused with a message) in {report.seconds:.1f} s; "
                  f"slowest {report.slowest:.2f} s; crashes {len(report.crashes)}, offset errors "
                  f"{len(report.offset_errors)}, over budget {len(report.over_budget)}", highlight=False)
    for line in (report.crashes + report.offset_errors + report.over_budget)[:20]:
        console.print(f"  {line}", highlight=False, markup=False)
    if not report.ok:
        raise typer.Exit(1)


@bench_app.command("speed")
def bench_speed(
    limit: Annotated[int, typer.Option(help="articles to analyse", min=1)] = 200,
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    question: Annotated[Path | None, typer.Option(help="question file, so stance is timed too")] = None,
    sizes: Annotated[str | None, typer.Option(help="comma-separated sizes, e.g. 100,1000,5000: growth curve")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the record(s) as JSON")] = None,
    ray: Annotated[bool, typer.Option("--ray", help="also run the Ray engine on the same articles (pip install "
                                      "'cruxmap\\[ray]') and show both engines' articles/s")] = False,
) -> None:
    """Time every stage on a real corpus; compare with the raw embedding throughput."""
    from .bench.speed import corpus_path, engines_side_by_side, measure, measure_ray

    if ray:
        if sizes:
            raise ConfigError("--ray compares the engines at one size", fix="give --limit N instead of --sizes")
        from .scale.ray_engine import import_ray

        import_ray()  # before any work: a missing extra is reported at once
    s = settings()
    path = corpus_path(s, str(corpus) if corpus else None)
    if sizes:
        records = [_speed_in_subprocess(path, int(n), question) for n in sizes.split(",")]
        table = Table(title="cruxmap bench speed — growth with corpus size")
        for col in ("articles", "sentences", "seconds", "articles/s", "sentences/s", "peak RSS MB"):
            table.add_column(col, justify="right")
        for r in records:
            table.add_row(str(r["articles"]), str(r["sentences"]), f"{r['seconds']:.1f}", f"{r['articles_per_s']:.2f}",
                          f"{r['sentences_per_s']:.1f}", f"{r['peak_rss_mb']:.0f}")
        console.print(table)
        for r in records:
            if r.get("peak_rss_by_phase_mb"):
                console.print(f"{r['articles']} articles, peak RSS by step (MB): {_phase_memory(r)}")
        if json_out:
            json_out.write_text(json.dumps(records, indent=1), encoding="utf-8")
        return
    record = measure(s, path, limit, str(question) if question else None)
    _print_speed(record)
    if ray:
        record["engines"] = engines_side_by_side(record, measure_ray(s, path, limit, str(question) if question else None))
        _print_engines(record["engines"])
    if json_out:
        json_out.write_text(json.dumps(record, indent=1), encoding="utf-8")


@bench_app.command("correction")
def bench_correction(
    limit: Annotated[int, typer.Option(help="articles to analyse", min=1)] = 200,
    question: Annotated[Path, typer.Option(help="question file (corrections are about its items)")] = Path(
        "examples/nato/question.yaml"),
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    corrections: Annotated[int, typer.Option(help="corrections to time", min=2)] = 5,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the record as JSON")] = None,
) -> None:
    """Time how long the map takes to follow one correction made through the web API."""
    from .bench.correction_speed import measure_correction
    from .bench.speed import corpus_path

    s = settings()
    record = measure_correction(s, corpus_path(s, str(corpus) if corpus else None), limit, str(question), corrections)
    console.print(f"{record['articles']} articles, {record['claims']} claims (analysed in {record['analysis_seconds']} s): "
                  f"first correction {record['first_seconds']:.2f} s (loads the embedder), then median "
                  f"{record['median_seconds']:.2f} s, max {record['max_seconds']:.2f} s per correction")
    if json_out:
        json_out.write_text(json.dumps(record, indent=1), encoding="utf-8")


@bench_app.command("serve")
def bench_serve(
    limit: Annotated[int, typer.Option(help="articles to analyse into a throw-away store", min=1)] = 200,
    question: Annotated[Path, typer.Option(help="question file for that run")] = Path("examples/nato/question.yaml"),
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    requests: Annotated[int, typer.Option(help="GET requests to send", min=1)] = 2000,
    concurrency: Annotated[int, typer.Option(help="requests in flight at once", min=1)] = 20,
    use_db: Annotated[bool, typer.Option("--use-db", help="serve the store given with --db (its newest run) "
                                         "instead of analysing a corpus")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the record as JSON")] = None,
) -> None:
    """Many readers at once: p50/p95/p99 latency per page of `cruxmap serve`, errors and requests/s."""
    from .bench.serve_load import measure_serve
    from .bench.speed import corpus_path

    s = settings()
    path = None if use_db else corpus_path(s, str(corpus) if corpus else None)
    record = measure_serve(s, path, limit, str(question), requests, concurrency, db=s.db if use_db else None)
    table = Table(title=f"cruxmap bench serve — {record['articles']} articles, {requests} requests, "
                        f"{concurrency} at once")
    for col in ("page", "requests", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(col, justify="right")
    for name, r in [*record["pages"].items(), ("all", record["overall"])]:
        table.add_row(name, str(r["requests"]), f"{r['p50_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['p99_ms']:.0f}")
    console.print(table)
    kinds = "; ".join(f"{page}: {', '.join(k)}" for page, k in record["error_kinds"].items())
    rss = record["server_rss_mb"]
    console.print(f"{record['errors']} errors{f' ({kinds})' if kinds else ''}; {record['requests_per_s']} requests/s; "
                  f"server RSS {rss['started']:.0f} MB, warm {rss['warm']:.0f} MB, peak {rss['peak']:.0f} MB "
                  f"(+{rss['growth']:.0f} under load); first answers (ms): "
                  + ", ".join(f"{k} {v:.0f}" for k, v in record["first_answer_ms"].items()))
    if json_out:
        json_out.write_text(json.dumps(record, indent=1), encoding="utf-8")


@bench_app.command("cluster")
def bench_cluster(
    sizes: Annotated[str, typer.Option(help="comma-separated claim counts")] = "5000,10000,20000,40000",
    corpus: Annotated[Path | None, typer.Option(help="corpus (default: ../shared/data news_article_bias)")] = None,
    bertopic: Annotated[bool, typer.Option(help="also time BERTopic on the same vectors (if installed)")] = True,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the rows as JSON")] = None,
) -> None:
    """How key-point clustering time grows with the number of claims (news sentences stand in)."""
    from .argue.stages import make_embedder
    from .bench.cluster_speed import measure_cluster_scaling
    from .bench.speed import corpus_path
    from .store import open_store

    s = settings()
    path = corpus_path(s, str(corpus) if corpus else None)
    with open_store(s.db) as store:
        rows = measure_cluster_scaling(make_embedder(s, store), path, [int(n) for n in sizes.split(",")], bertopic)
    table = Table(title="cruxmap bench cluster — key-point clustering vs number of claims")
    for col in ("claims", "seconds", "clusters", "time/(n log n) vs smallest", "BERTopic s", "BERTopic topics"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(str(r["claims"]), f"{r['seconds']:.2f}", str(r["clusters"]),
                      f"{r['cost_per_nlogn_vs_smallest']:.2f}",
                      "—" if r["bertopic_seconds"] is None else f"{r['bertopic_seconds']:.2f}",
                      "—" if r["bertopic_topics"] is None else str(r["bertopic_topics"]))
    console.print(table)
    if json_out:
        json_out.write_text(json.dumps(rows, indent=1), encoding="utf-8")


def _speed_in_subprocess(corpus: Path, limit: int, question: Path | None) -> dict:
    """One size per process, so peak RSS belongs to that size alone."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        cmd = [sys.executable, "-m", "cruxmap.cli", *(["--config", state.config] if state.config else []),
               "bench", "speed", "--limit", str(limit), "--corpus", str(corpus), "--json", tmp.name]
        if question:
            cmd += ["--question", str(question)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return json.loads(Path(tmp.name).read_text())


def _print_speed(r: dict) -> None:
    table = Table(title=f"cruxmap bench speed — {r['articles']} articles, {r['sentences']} sentences")
    for col in ("stage", "seconds", "share", "articles/s"):
        table.add_column(col, justify="right")
    for name, st in r["stages"].items():
        table.add_row(name, f"{st['seconds']:.2f}", f"{(st['share'] or 0):.1%}", f"{st['articles_per_s'] or 0:.1f}")
    table.add_row("[bold]end to end", f"{r['seconds']:.2f}", "100%", f"{r['articles_per_s']:.2f}")
    console.print(table)
    raw = r["embed_raw_sentences_per_s"]
    console.print(f"sentences/s: pipeline {r['sentences_per_s']}, raw embedding {raw or '—'}"
                  + (f" (ratio {r['pipeline_to_raw_ratio']:.2f})" if r["pipeline_to_raw_ratio"] else "")
                  + f"; peak RSS {r['peak_rss_mb']:.0f} MB")
    if r.get("peak_rss_by_phase_mb"):
        console.print(f"peak RSS by step (MB): {_phase_memory(r)}")


def _print_engines(engines: dict) -> None:
    local, on_ray = engines["in_process"], engines["ray"]
    table = Table(title=f"engines side by side — {local['articles']} articles, {on_ray['cpus']} CPUs for Ray")
    for col in ("engine", "seconds", "articles/s", "vs in-process"):
        table.add_column(col, justify="right")
    table.add_row("in-process", f"{local['seconds']:.1f}", f"{local['articles_per_s']:.2f}", "1.00")
    ratio = engines["ray_to_in_process"]
    table.add_row("ray", f"{on_ray['seconds']:.1f}", f"{on_ray['articles_per_s']:.2f}", f"{ratio:.2f}" if ratio else "—")
    table.add_row("ray, with its start", f"{on_ray['seconds'] + on_ray['ray_init_s']:.1f}",
                  f"{on_ray['articles_per_s_with_init']:.2f}", "")
    console.print(table)


def _phase_memory(r: dict) -> str:
    """``chunks 2477 (main 1700 + worker 777), corpus 1848, …``: the worker only where it ran."""
    split = r.get("peak_rss_by_phase_split_mb") or {}
    parts = []
    for name, mb in r["peak_rss_by_phase_mb"].items():
        main_worker = split.get(name)
        detail = (f" (main {main_worker['main']:.0f} + worker {main_worker['worker']:.0f})"
                  if main_worker and main_worker["worker"] >= 1 else "")
        parts.append(f"{name} {mb:.0f}{detail}")
    return ", ".join(parts)


def main() -> None:
    try:
        app()
    except CruxmapError as err:
        if state.debug:
            raise
        err_console.print(f"[red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
