"""The default store: one SQLite file (stdlib ``sqlite3``), safe for several writers at once.

WAL mode lets readers run beside a writer; every write takes the write lock up front
(``BEGIN IMMEDIATE``) and waits up to ``BUSY_TIMEOUT_S`` for it, so two cruxmap processes
writing to the same file queue instead of failing.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError
from .base import default_db_path
from .migrations.sqlite import MIGRATIONS
from .sql import SQLStore

BUSY_TIMEOUT_S = 30.0
IN_CHUNK = 500  # keys per IN (...) clause; far below SQLite's bound-parameter limit


class SQLiteStore(SQLStore):
    """A ``Store`` in one SQLite file (or ``":memory:"``), migrated to the newest schema on open."""

    def __init__(self, path: str | Path):
        self.path = ":memory:" if str(path) == ":memory:" else Path(path)
        self._lock = threading.RLock()  # one connection, shareable between threads of one process
        self._conn: sqlite3.Connection | None = self._connect()
        try:
            self.migrate()
            self.backfill_tables()  # runs recorded before the map tables existed get theirs
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    @property
    def where(self) -> str:
        return str(self.path)

    def _see_runs(self) -> str:
        return "cruxmap runs" if self.path == default_db_path() else f"cruxmap --db {self.path} runs"

    # ------------------------------------------------------------------ plumbing

    def _connect(self) -> sqlite3.Connection:
        if isinstance(self.path, Path):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create the database folder ({err.strerror})", path=str(self.path),
                                 fix="choose a writable location with --db") from err
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as err:
            raise self._error(err, "cannot open the database") from err
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if isinstance(self.path, Path):
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL, much faster
        except sqlite3.Error as err:
            conn.close()
            raise self._error(err, "cannot open the database") from err
        return conn

    def _error(self, err: sqlite3.Error, doing: str) -> StoreError:
        """Turn an sqlite3 error into one line naming the file and the fix."""
        text = str(err)
        if "not a database" in text or "malformed" in text:
            fix = "this file is not a usable cruxmap database; move it aside or pass another --db path"
        elif "readonly" in text or "unable to open" in text or "disk I/O" in text:
            fix = "make sure the file and its folder are writable, or pass another --db path"
        elif "locked" in text or "busy" in text:
            fix = "another process held the database too long; retry when it has finished"
        else:
            fix = "check the database file, or pass another --db path"
        return StoreError(f"{doing}: {text}", path=str(self.path), fix=fix, code="store")

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the store is closed", path=str(self.path), fix="open it again with open_store()")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from its start (no upgrade deadlocks)."""
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as err:
                raise self._error(err, "cannot write to the database") from err
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc, "write failed") from exc
                raise

    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as err:
                raise self._error(err, "read failed") from err

    # ------------------------------------------------------------------ schema

    def migrate(self) -> None:
        with self._transaction() as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "schema_migrations" not in tables:
                raise StoreError("this SQLite file belongs to another program", path=str(self.path),
                                 fix="pass another --db path for cruxmap")
            db.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)")
            current = db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
            if current > len(MIGRATIONS):
                raise StoreError(f"the database has schema version {current}, newer than this cruxmap knows "
                                 f"({len(MIGRATIONS)})", path=str(self.path), fix="upgrade cruxmap")
            for migration in MIGRATIONS[current:]:
                for statement in _statements(migration.sql):
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)",
                           (migration.version, migration.name, _now()))

    def schema_version(self) -> int:
        return self._query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0]

    # ------------------------------------------------------------------ sources and documents

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Sources containing every word of ``query``; snippets mark hits with ``[`` ``]``."""
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " ".join(f'"{word}"' for word in words)  # quoted terms: no FTS syntax from user input
        return [tuple(row) for row in self._query(
            "SELECT s.source_id, snippet(sources_fts, 0, '[', ']', '…', 12) FROM sources_fts "
            "JOIN sources s ON s.pk = sources_fts.rowid WHERE sources_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit))]

    # ------------------------------------------------------------------ cache

    def get_cached(self, namespace: str, keys: list[str]) -> dict[str, bytes]:
        unique = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        for start in range(0, len(unique), IN_CHUNK):
            chunk = unique[start:start + IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for key, value in self._query(
                    f"SELECT key, value FROM cache WHERE namespace = ? AND key IN ({marks})", [namespace, *chunk]):
                found[key] = bytes(value)
        return found

    def put_cached(self, namespace: str, items: dict[str, bytes]) -> None:
        if not items:
            return
        with self._transaction() as db:
            db.executemany("INSERT INTO cache (namespace, key, value) VALUES (?, ?, ?) "
                           "ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
                           [(namespace, key, bytes(value)) for key, value in items.items()])

    # ------------------------------------------------------------------ runs

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _statements(script: str) -> Iterator[str]:
    """Split a SQL script into statements (``executescript`` would commit our transaction)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
