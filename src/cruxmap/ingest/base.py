"""Interface of the ingest stage (implementation in the format modules of this package)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Failure


@dataclass
class IngestOptions:
    """Which fields of a JSONL/CSV export hold what, and input limits."""

    text_field: str = "text"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"
    outlet_field: str = "outlet"
    author_field: str = "author"
    max_bytes: int = 20_000_000
    limit: int | None = None


@dataclass
class RawDocument:
    """One article as read from disk, before cleaning.

    ``raw_text`` is the decoded text that cleaning works on and that ``Removal`` offsets point
    into (for HTML and PDF it is the extracted text). ``sha256`` is of the raw bytes of the
    file or, for export records, of the record.
    """

    path: str
    format: str
    sha256: str
    raw_text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    metadata_origin: dict[str, str] = field(default_factory=dict)
    #: spans of raw_text that ingest already knows are not body (e.g. front matter)
    pre_removed: list[tuple[int, int, str]] = field(default_factory=list)


def iter_inputs(paths: Sequence[str | Path], options: IngestOptions | None = None) -> Iterator[RawDocument | Failure]:
    raise NotImplementedError
