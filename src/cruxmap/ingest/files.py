"""Finding input files and reading their bytes, with the checks every format shares.

Folders are walked recursively in a sorted, platform-independent order; hidden files and
folders (``.git``, ``.DS_Store``) and files of unsupported types are skipped silently, while
a file named explicitly with an unsupported type is an error the user should see.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .encoding import decode_bytes, sniff_binary

#: file extension → format name (``RawDocument.format``)
FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
SUPPORTED = ", ".join(sorted({ext for ext in FORMATS}))


def format_of(path: Path) -> str | None:
    """The format of ``path`` by its extension, or ``None`` when cruxmap cannot read it."""
    return FORMATS.get(path.suffix.lower())


def walk_folder(folder: Path, errors: list[OSError] | None = None) -> Iterator[Path]:
    """Supported files under ``folder``, recursively, in sorted order of their relative paths. A
    sub-folder that cannot be listed is added to ``errors`` (``os.walk`` would skip it silently)."""
    found: list[tuple[tuple[str, ...], Path]] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append if errors is not None else None):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            if name.startswith(".") or format_of(path) is None:
                continue
            found.append((path.relative_to(folder).parts, path))
    for _, path in sorted(found):
        yield path


def read_bytes(path: Path, display: str, max_bytes: int | None) -> bytes:
    """Read a whole file, refusing it early when it is larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(
                f"the file is {human_size(size)}, over the {human_size(max_bytes)} limit",
                path=display,
                code="too-large",
                fix="split it, or raise the limit (max_file_mb) if it really is one article",
            )
        with path.open("rb") as handle:
            return handle.read()
    except PermissionError as err:
        raise InputError(
            "permission denied",
            path=display,
            code="permission-denied",
            fix="make the file readable for this user (chmod u+r) or leave it out",
        ) from err
    except FileNotFoundError as err:
        raise InputError(
            "the file disappeared while reading", path=display, code="not-found", fix="check the path"
        ) from err
    except IsADirectoryError as err:
        raise InputError(
            "this is a folder, not a file",
            path=display,
            code="unreadable",
            fix="give the folder itself as an input",
        ) from err
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError("a symbolic link that points to itself (a loop)", path=display, code="broken-link",
                             fix="point the link at the article, or leave it out") from err
        raise InputError(
            f"cannot read the file ({err.strerror or err})",
            path=display,
            code="unreadable",
            fix="check the disk and the path",
        ) from err


def human_size(size: int) -> str:
    """``20.0 MB``, ``512 kB``, ``90 bytes``."""
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    if size >= 1_000:
        return f"{size / 1e3:.0f} kB"
    return f"{size} bytes"


def decode_text_file(data: bytes, display: str, *, newlines: bool = True) -> str:
    """Bytes of a text-based article → newline-normalised text; empty, blank or binary files fail."""
    if not data:
        raise InputError(
            "the file is empty",
            path=display,
            code="empty-file",
            fix="save the article's text into it or leave it out",
        )
    sniff_binary(data, display)
    text, _ = decode_bytes(data, display, newlines=newlines)
    if not text.strip():
        raise InputError(
            "the file holds only whitespace",
            path=display,
            code="empty-file",
            fix="save the article's text into it or leave it out",
        )
    return text
