"""Bench result files stamped with what made them, as MTEB's result files are.

Every row (or record) a ``cruxmap bench … --json FILE`` writes carries ``cruxmap_version``, ``commit`` (the
checkout's ``git`` commit, with ``+dirty`` when tracked files differ from it; None outside a checkout) and
``date`` (UTC, the day the file was written), so a README figure printed from the file says which code
measured it. Files written before the stamp existed are plain rows; readers take both (``unstamped``).
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: the fields ``stamp`` adds to each row
STAMP_FIELDS = ("cruxmap_version", "commit", "date")


def source_commit(where: Path | None = None) -> str | None:
    """The commit of the git checkout holding ``where`` (cruxmap's own source by default), ``+dirty`` when its
    tracked files have changes; None when it is no checkout or git is missing."""
    folder = where or Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    except Exception:  # no git, no checkout, a stand-in for subprocess: the stamp is then None
        return None
    return f"{head}+dirty" if changed else head or None


def stamp(result: Any, commit: str | None = None, day: str | None = None) -> Any:
    """``result`` (a row, a record, or a list of them) with ``STAMP_FIELDS`` added to each dict."""
    from .. import __version__

    fields = {"cruxmap_version": __version__, "commit": commit if commit is not None else source_commit(),
              "date": day or datetime.now(UTC).date().isoformat()}
    if isinstance(result, list):
        return [{**item, **fields} if isinstance(item, dict) else item for item in result]
    return {**result, **fields} if isinstance(result, dict) else result


def write_result(path: Path, result: Any) -> None:
    """Write ``result`` stamped (``stamp``) as indented JSON."""
    path.write_text(json.dumps(stamp(result), indent=1), encoding="utf-8")


def unstamped(result: Any) -> Any:
    """``result`` without the stamp's fields: what a file written before the stamp holds."""
    if isinstance(result, list):
        return [unstamped(item) for item in result]
    return {k: v for k, v in result.items() if k not in STAMP_FIELDS} if isinstance(result, dict) else result
