"""Write an output file so that a reader never sees it half-written.

The text goes to a temporary file beside the target, is flushed to disk, and replaces the
target in one rename (``os.replace``, atomic on POSIX and Windows). A run killed while writing
leaves the previous ``map.json``, report or export intact, plus at most a stray ``.<name>.*.tmp``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def atomic_open(target: str | Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text handle whose content becomes ``target`` only when the block ends without error."""
    target = Path(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_text_atomic(target: str | Path, text: str, newline: str | None = None) -> Path:
    with atomic_open(target, newline=newline) as handle:
        handle.write(text)
    return Path(target)
