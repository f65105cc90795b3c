"""The store interface that the SQLite (and later Postgres) implementations satisfy.

Nothing engine-specific crosses this interface: keys are strings, payloads are model
objects or bytes, and errors are ``StoreError`` with the path and the fix.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self

from ..errors import StoreError
from ..model import Correction, DebateMap, Document, Failure, RunInfo, Source


def default_db_path() -> Path:
    """``~/.cruxmap/cruxmap.db``: where runs are kept when no ``--db`` is given."""
    return Path.home() / ".cruxmap" / "cruxmap.db"


class Store(ABC):
    """Everything cruxmap persists. Writes are idempotent: the same content never makes a second row."""

    @abstractmethod
    def migrate(self) -> None:
        """Bring the schema to the newest version (called by ``open_store``)."""

    @abstractmethod
    def schema_version(self) -> int: ...

    # processed documents, cached by raw content hash and the pipeline's version key
    @abstractmethod
    def get_document(self, sha256: str, pipeline_key: str) -> Document | None: ...

    @abstractmethod
    def put_document(self, doc: Document, pipeline_key: str, raw_text: str | None = None) -> None:
        """Store the document and its source; ``raw_text`` keeps what cleaning removed recoverable."""

    # sources, by sha256 of the raw bytes or by Source.id
    @abstractmethod
    def get_source(self, key: str) -> Source | None: ...

    @abstractmethod
    def get_raw_text(self, key: str) -> str | None:
        """The source's text as read, before cleaning (None when it was never stored)."""

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search over cleaned source texts: ``(source_id, snippet)``, best first."""

    # generic content-hash cache (embeddings, model outputs)
    @abstractmethod
    def get_cached(self, namespace: str, keys: list[str]) -> dict[str, bytes]:
        """The values present for ``keys`` (missing keys are simply absent from the result)."""

    @abstractmethod
    def put_cached(self, namespace: str, items: dict[str, bytes]) -> None:
        """Insert or replace each key's value."""

    # runs
    def save_run(self, run: RunInfo, debate_map: DebateMap) -> None:
        """Record a finished run and its map (re-saving the same run id replaces it)."""
        map_json = debate_map.model_copy(update={"run": run}).model_dump_json().encode("utf-8")
        self.save_run_stream(run, [map_json], debate_map.sources, debate_map.failures)

    @abstractmethod
    def save_run_stream(self, run: RunInfo, map_json: Iterable[bytes], sources: Sequence[Source],
                        failures: Sequence[Failure]) -> None:
        """``save_run`` for a map that arrives as pieces of its compact JSON (``run`` included), so a
        large map is never held whole; ``sources`` in map order (sources already stored may be slim)."""

    @abstractmethod
    def list_runs(self) -> list[RunInfo]:
        """Every recorded run, newest first."""

    @abstractmethod
    def resolve_run_id(self, run_id: str) -> str:
        """The full id of the one run whose id is ``run_id`` or starts with it (StoreError otherwise)."""

    @abstractmethod
    def load_map(self, run_id: str) -> DebateMap:
        """The map of a run, given its id or a unique prefix of it."""

    @abstractmethod
    def set_parent(self, run_id: str, parent: str) -> None:
        """Record the run ``run_id`` was made from (lineage)."""

    @abstractmethod
    def list_failures(self, run_id: str) -> list[Failure]:
        """The failures recorded for a run (id or unique prefix), in the order they happened."""

    # the analyst's corrections, keyed by content (``cruxmap.corrections``)
    @abstractmethod
    def put_correction(self, correction: Correction) -> None:
        """Record a correction; one of the same subject (same id) is replaced."""

    @abstractmethod
    def list_corrections(self, source_ids: Sequence[str] | None = None) -> list[Correction]:
        """Every correction (or those about ``source_ids``), oldest first."""

    @abstractmethod
    def delete_correction(self, correction_id: str) -> bool:
        """Remove a correction; False when there was none with that id."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | Path | None = None) -> Store:
    """Open (creating and migrating as needed) the store that ``url`` names.

    ``None`` → ``~/.cruxmap/cruxmap.db``; a path or ``sqlite:///path`` → SQLite
    (``sqlite:////abs/path`` for an absolute path, as in SQLAlchemy); ``:memory:`` → a
    throwaway in-memory SQLite store; ``postgresql://…`` → Postgres (``pip install 'cruxmap[postgres]'``).
    """
    from .sqlite import SQLiteStore

    if url is None:
        return SQLiteStore(default_db_path())
    if isinstance(url, Path):
        return SQLiteStore(url)
    text = url.strip()
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(text)
    if text.startswith("sqlite:///"):
        rest = text[len("sqlite:///"):]
        return SQLiteStore(Path(rest).expanduser() if rest else ":memory:")
    if text in ("sqlite://", ":memory:"):
        return SQLiteStore(":memory:")
    if "://" in text:
        raise StoreError("unknown database URL scheme", path=_hide_password(text),
                         fix="give a file path, sqlite:///path or postgresql://…", code="bad-db-url")
    return SQLiteStore(Path(text).expanduser())


def _hide_password(url: str) -> str:
    """``scheme://user:secret@host`` → ``scheme://user:***@host``, for error messages."""
    head, sep, tail = url.partition("://")
    creds, at, host = tail.rpartition("@")
    if not at or ":" not in creds:
        return url
    return f"{head}{sep}{creds.split(':', 1)[0]}:***@{host}"
