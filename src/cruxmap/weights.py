"""The model weight files a run read, each with its SHA-256, for the run record (``RunInfo.weights``).

A component that loads weights says which (``weight_files() -> {name: sha256}``); the engine gathers
them from the embedder, each stage and the map stage. Files under ``resources/`` are named by their
path there (``claims/claims_head.npz``), the same names their training records and
``tests/test_weight_records.py`` use.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"


def file_sha256(path: str | Path) -> str:
    """The file's SHA-256, hashed once per process for as long as its size and time stamp stay the same."""
    stat = Path(path).stat()
    return _sha256(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _sha256(path: str, _size: int, _mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weight_name(path: str | Path) -> str:
    """``resources/``-relative path of a packaged weight file, else its folder and file name."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(RESOURCES).as_posix()
    except ValueError:
        return f"{resolved.parent.name}/{resolved.name}"


def hashed(*paths: str | Path | None) -> dict[str, str]:
    """``{weight_name: sha256}`` of the given files that exist (None and missing files are left out)."""
    return {weight_name(p): file_sha256(p) for p in paths if p is not None and Path(p).is_file()}


def weights_of(*parts: object) -> dict[str, str]:
    """The weight files of each part that names them (``weight_files()``), merged."""
    found: dict[str, str] = {}
    for part in parts:
        method = getattr(part, "weight_files", None)
        if callable(method):
            found.update(method())
    return found
