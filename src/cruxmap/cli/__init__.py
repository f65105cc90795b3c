"""The ``cruxmap`` command line: a thin shell over ``cruxmap.api``, one module per group of commands.

``analysis`` analyses articles and reads runs back, ``corrections`` holds ``correct`` and ``cruxmap corrections``,
``bench`` the benchmarks; ``common`` what they share (the consoles, the global options, progress, the summary).
This module builds the app from them and runs it.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from .. import __version__
from ..errors import CruxmapError
from . import analysis, bench, corrections
from .common import _progress, console, err_console, settings, state

__all__ = ["_progress", "app", "console", "err_console", "main", "settings", "state"]

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="cruxmap: an evidence-backed map of a contested question from the articles that argue it.")
app.add_typer(bench.bench_app, name="bench")
app.add_typer(corrections.corrections_app, name="corrections")


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



# the commands in the order `cruxmap --help` lists them
app.command()(analysis.analyze)
app.command()(analysis.demo)
app.command("map")(analysis.show_map)
app.command()(analysis.sources)
app.command()(analysis.report)
app.command("export")(analysis.export_cmd)
app.command()(analysis.serve)
app.command()(analysis.runs)
app.command()(corrections.correct)
app.command()(analysis.schema)
app.command()(analysis.config)
app.command()(analysis.pipeline)
app.command()(analysis.timeline)
app.command()(analysis.quotes)


def main() -> None:
    try:
        app()
    except CruxmapError as err:
        if state.debug:
            raise
        err_console.print(f"[red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
        sys.exit(2)

