"""What every command shares: the consoles, the global options, progress, and the printed summary of a run."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

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

from .. import api, stopping
from ..settings import Settings

console = Console()
err_console = Console(stderr=True)


class State:
    """The global options (``cruxmap --db … --config … --debug COMMAND``), set before any command runs."""

    debug = False
    config: str | None = None
    db: str | None = None


state = State()


def settings(**overrides) -> Settings:
    return Settings.load(state.config, db=state.db, **overrides)


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
            with stopping.stop_on_ctrl_c():
                result = command(*args, **kwargs)
                stopping.check()
            return result
        except KeyboardInterrupt:
            pass
        # Ctrl-C, raised where it was pressed or, if something swallowed it, at the run's next safe point
        err_console.print("\n[yellow]stopped[/]: the articles analysed so far are stored; run the same command "
                          "again to go on from there", highlight=False)
        raise typer.Exit(130)

    return run


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
