"""What the scripts that write a generated file share (``readme_tables.py``, ``settings_table.py``): write it,
or with ``--check`` fail when the committed file differs from what the code gives (the test suite runs that),
so a stale generated file cannot slip through."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def write_or_check(target: Path, render: Callable[[str], str], *, description: str, rewrite: str,
                   argv: Sequence[str] | None = None) -> int:
    """``render(current text of target)`` → the fresh text; written to ``target``, or with ``--check`` compared
    with it: 1 and a line naming ``rewrite`` (the command that brings it up to date) when they differ."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help=f"fail if {target.name} is out of date")
    args = parser.parse_args(argv)
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    fresh = render(current)
    if args.check:
        if fresh != current:
            print(f"{target.name} is out of date: run {rewrite}", file=sys.stderr)
            return 1
        return 0
    target.write_text(fresh, encoding="utf-8")
    return 0
