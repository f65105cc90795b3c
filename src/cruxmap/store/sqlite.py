"""The default store: one SQLite file (stdlib ``sqlite3``), safe for several writers at once.

WAL mode lets readers run beside a writer; every write takes the write lock up front
(``BEGIN IMMEDIATE``) and waits up to ``BUSY_TIMEOUT_S`` for it, so two cruxmap processes
writing to the same file queue instead of failing.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from ..errors import StoreError
from ..model import DebateMap, Document, Failure, RunInfo, Source
from .base import Store, default_db_path
from .migrations.sqlite import MIGRATIONS

BUSY_TIMEOUT_S = 30.0
IN_CHUNK = 500  # keys per IN (...) clause; far below SQLite's bound-parameter limit


class SQLiteStore(Store):
    """A ``Store`` in one SQLite file (or ``":memory:"``), migrated to the newest schema on open."""

    def __init__(self, path: str | Path):
        self.path = ":memory:" if str(path) == ":memory:" else Path(path)
        self._lock = threading.RLock()  # one connection, shareable between threads of one process
        self._conn: sqlite3.Connection | None = self._connect()
        try:
            self.migrate()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

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

    @staticmethod
    def _put_source(db: sqlite3.Connection, source: Source, raw_text: str | None, replace: bool) -> None:
        on_conflict = ("DO UPDATE SET source_id = excluded.source_id, text = excluded.text, "
                       "source_json = excluded.source_json, raw_text = COALESCE(excluded.raw_text, raw_text)"
                       if replace else "DO NOTHING")
        db.execute("INSERT INTO sources (sha256, source_id, raw_text, text, source_json) VALUES (?, ?, ?, ?, ?) "
                   f"ON CONFLICT (sha256) {on_conflict}",
                   (source.sha256, source.id, raw_text, source.text, source.model_dump_json(exclude={"text"})))

    def put_document(self, doc: Document, pipeline_key: str, raw_text: str | None = None) -> None:
        with self._transaction() as db:
            self._put_source(db, doc.source, raw_text, replace=True)
            db.execute("INSERT INTO documents (sha256, pipeline_key, doc_json) VALUES (?, ?, ?) "
                       "ON CONFLICT (sha256, pipeline_key) DO UPDATE SET doc_json = excluded.doc_json",
                       (doc.source.sha256, pipeline_key, doc.model_dump_json()))

    def get_document(self, sha256: str, pipeline_key: str) -> Document | None:
        """The stored document, or None; a document this model version cannot read counts as absent."""
        rows = self._query("SELECT doc_json FROM documents WHERE sha256 = ? AND pipeline_key = ?",
                           (sha256, pipeline_key))
        if not rows:
            return None
        try:
            return Document.model_validate_json(rows[0][0])
        except ValidationError:
            return None

    def get_source(self, key: str) -> Source | None:
        rows = self._query("SELECT source_json, text FROM sources WHERE sha256 = ? OR source_id = ? LIMIT 1",
                           (key, key))
        if not rows:
            return None
        return Source.model_validate({**json.loads(rows[0][0]), "text": rows[0][1]})

    def get_raw_text(self, key: str) -> str | None:
        rows = self._query("SELECT raw_text FROM sources WHERE sha256 = ? OR source_id = ? LIMIT 1", (key, key))
        return rows[0][0] if rows else None

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

    def save_run(self, run: RunInfo, debate_map: DebateMap) -> None:
        stored_map = debate_map.model_copy(update={"run": run})
        blob = zlib.compress(stored_map.model_dump_json().encode("utf-8"), 6)
        with self._transaction() as db:
            db.execute("DELETE FROM runs WHERE id = ?", (run.id,))  # cascades to members and failures
            db.execute("INSERT INTO runs (id, created, info_json, map_zlib) VALUES (?, ?, ?, ?)",
                       (run.id, run.created, run.model_dump_json(), blob))
            for position, source in enumerate(debate_map.sources):
                self._put_source(db, source, None, replace=False)
                db.execute("INSERT INTO run_sources (run_id, sha256, source_id, position) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT DO NOTHING", (run.id, source.sha256, source.id, position))
            db.executemany(
                "INSERT INTO failures (run_id, position, path, stage, error, message) VALUES (?, ?, ?, ?, ?, ?)",
                [(run.id, i, f.path, f.stage, f.error, f.message) for i, f in enumerate(debate_map.failures)])

    def list_runs(self) -> list[RunInfo]:
        rows = self._query("SELECT info_json FROM runs ORDER BY created DESC, id DESC")
        return [RunInfo.model_validate_json(info) for (info,) in rows]

    def resolve_run_id(self, run_id: str) -> str:
        """The full id of the one run whose id is ``run_id`` or starts with it."""
        if run_id and self._query("SELECT 1 FROM runs WHERE id = ?", (run_id,)):
            return run_id
        matches = [row[0] for row in self._query(
            "SELECT id FROM runs WHERE substr(id, 1, ?) = ? ORDER BY created DESC LIMIT 6",
            (len(run_id), run_id))] if run_id else []
        see_runs = "cruxmap runs" + ("" if self.path == default_db_path() else f" --db {self.path}")
        if not matches:
            raise StoreError(f"no run with id {run_id!r}", path=str(self.path),
                             fix=f"`{see_runs}` lists the recorded runs", code="unknown-run")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
            raise StoreError(f"run id prefix {run_id!r} matches several runs ({shown})", path=str(self.path),
                             fix=f"give more of the id; `{see_runs}` lists them", code="ambiguous-run")
        return matches[0]

    def load_map(self, run_id: str) -> DebateMap:
        full_id = self.resolve_run_id(run_id)
        (blob,) = self._query("SELECT map_zlib FROM runs WHERE id = ?", (full_id,))[0]
        try:
            return DebateMap.model_validate_json(zlib.decompress(blob))
        except (zlib.error, ValidationError) as err:
            raise StoreError(f"the map of run {full_id} cannot be read ({type(err).__name__})",
                             path=str(self.path), fix="re-run the analysis to record it again") from err

    def list_failures(self, run_id: str) -> list[Failure]:
        rows = self._query("SELECT path, stage, error, message FROM failures WHERE run_id = ? ORDER BY position",
                           (self.resolve_run_id(run_id),))
        return [Failure(path=p, stage=s, error=e, message=m) for p, s, e, m in rows]

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
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
