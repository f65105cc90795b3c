"""The store interface that the SQLite (and later Postgres) implementations satisfy."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from ..model import DebateMap, Document, RunInfo


def default_db_path() -> Path:
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
    def put_document(self, doc: Document, pipeline_key: str, raw_text: str | None = None) -> None: ...

    # generic content-hash cache (embeddings, model outputs)
    @abstractmethod
    def get_cached(self, namespace: str, keys: list[str]) -> dict[str, bytes]: ...

    @abstractmethod
    def put_cached(self, namespace: str, items: dict[str, bytes]) -> None: ...

    # runs
    @abstractmethod
    def save_run(self, run: RunInfo, debate_map: DebateMap) -> None:
        """Record a finished run and its map (re-saving the same run id replaces it)."""

    @abstractmethod
    def list_runs(self) -> list[RunInfo]: ...

    @abstractmethod
    def load_map(self, run_id: str) -> DebateMap: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | Path | None = None) -> Store:
    raise NotImplementedError
