"""``cruxmap correct`` and the ``cruxmap corrections`` commands: the analyst's corrections of a run's map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .. import api
from ..errors import ConfigError
from .common import console, err_console, settings

corrections_app = typer.Typer(no_args_is_help=True, help=(
    "The analyst's corrections kept in the store: list, delete, export as a labelled dataset, import."))


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
    console.print(f"run [cyan]{new_run.id}[/] recorded (corrections of {new_run.parent}, "
                  f"{len(corrected.corrections)} correction(s) applied in {new_run.timings.get('corrections', 0):.2f} s)")
    for line in api.map_changes(parent, corrected):
        console.print(f"  {line}", highlight=False, markup=False)
    for c in stale:
        err_console.print(f"[yellow]stale[/] correction {c.id} ({c.kind}) matches nothing in this run", highlight=False)


@corrections_app.command("list")
def corrections_list() -> None:
    """Every correction in the store, oldest first."""
    table = Table(title="corrections")
    for col in ("id", "kind", "about", "value", "by"):
        table.add_column(col, overflow="fold")
    for c in api.list_corrections(settings()):
        about = " ".join(x for x in (c.hypothesis_id, c.source_id, f"“{c.text[:50]}”" if c.text else None) if x)
        by = f"{escape(c.who)} {c.when[:16]}" + (f"\n[dim]{escape(c.why)}[/]" if c.why else "")
        table.add_row(c.id, c.kind, escape(about), escape(c.value or ""), by)
    console.print(table)


@corrections_app.command("delete")
def corrections_delete(correction_id: Annotated[str, typer.Argument(help="the correction's id (corr-…)")]) -> None:
    """Remove a correction from the store (runs made with it keep it; the next run does not apply it)."""
    api.delete_correction(correction_id, settings())
    console.print(f"correction {correction_id} deleted", markup=False)


@corrections_app.command("export")
def corrections_export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="JSONL file (default: stdout)")] = None,
) -> None:
    """The corrections as JSONL (one per line): a labelled dataset, and the file `analyze --corrections` reads."""
    corrections = api.list_corrections(settings())
    if output:
        api.write_corrections(corrections, output)
        console.print(f"{len(corrections)} correction(s) written to {output}", markup=False)
    else:
        for c in corrections:
            sys.stdout.write(c.model_dump_json(exclude_none=True) + "\n")


@corrections_app.command("import")
def corrections_import(path: Annotated[Path, typer.Argument(help="a JSONL file of corrections")]) -> None:
    """Add the corrections of a JSONL file (from the report, a colleague or `export`) to the store."""
    corrections = api.import_corrections(path, settings())
    console.print(f"{len(corrections)} correction(s) imported; the next run of these articles applies them "
                  "(or `cruxmap correct`)")
