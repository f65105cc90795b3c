"""The team store: PostgreSQL through psycopg 3, same interface and keys as the SQLite store.

Writes are upserts on content-hash keys, so two analyze runs writing at once lose nothing
and never duplicate rows. Migrations take a transaction-scoped advisory lock so that two
processes opening a fresh database at once apply each migration once. Search uses
Postgres' own text search (``to_tsvector('english', …)`` with a GIN index).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import NotInstalled, StoreError
from .base import _hide_password
from .migrations.postgres import MIGRATIONS
from .sql import SQLStore

MIGRATION_LOCK = 0x63727578  # "crux": advisory lock id held while migrating


class PostgresStore(SQLStore):
    placeholder = "%s"

    def __init__(self, url: str):
        try:
            import psycopg
        except ModuleNotFoundError as err:
            raise NotInstalled("psycopg", "postgres", "a postgresql:// store") from err
        self._psycopg = psycopg
        self.url = url
        self._shown = _hide_password(url)
        self._lock = threading.RLock()
        try:
            self._conn: psycopg.Connection | None = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            raise StoreError(f"cannot connect: {str(err).strip().splitlines()[0]}", path=self._shown,
                             fix="check that the server runs and the URL, user and password are right") from err
        try:
            self.migrate()
            self.backfill_tables()  # runs recorded before the map tables existed get theirs
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({self._shown!r})"

    @property
    def where(self) -> str:
        return self._shown

    def _see_runs(self) -> str:
        return f"cruxmap --db {self._shown} runs"

    # ------------------------------------------------------------------ plumbing

    @property
    def _db(self):
        if self._conn is None:
            raise StoreError("the store is closed", path=self._shown, fix="open it again with open_store()")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator:
        with self._lock:
            try:
                with self._db.transaction():
                    yield self._db
            except self._psycopg.Error as err:
                raise StoreError(f"write failed: {str(err).strip().splitlines()[0]}", path=self._shown,
                                 fix="check the server's log; retry when it is reachable") from err

    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except self._psycopg.Error as err:
                raise StoreError(f"read failed: {str(err).strip().splitlines()[0]}", path=self._shown,
                                 fix="check the server's log; retry when it is reachable") from err

    # ------------------------------------------------------------------ schema

    def migrate(self) -> None:
        with self._transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())")
            current = db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
            if current > len(MIGRATIONS):
                raise StoreError(f"the database has schema version {current}, newer than this cruxmap knows "
                                 f"({len(MIGRATIONS)})", path=self._shown, fix="upgrade cruxmap")
            for migration in MIGRATIONS[current:]:
                db.execute(migration.sql)
                db.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                           (migration.version, migration.name))

    def schema_version(self) -> int:
        return self._query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0]

    # ------------------------------------------------------------------ sources and documents

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        rows = self._query(
            "SELECT source_id, ts_headline('english', text, q, "
            "'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…') "
            "FROM sources, plainto_tsquery('english', %s) AS q WHERE text_search @@ q "
            "ORDER BY ts_rank(text_search, q) DESC, source_id LIMIT %s",
            (" ".join(words), limit))
        return [(source_id, snippet) for source_id, snippet in rows]

    # ------------------------------------------------------------------ cache

    def get_cached(self, namespace: str, keys: list[str]) -> dict[str, bytes]:
        unique = list(dict.fromkeys(keys))
        if not unique:
            return {}
        rows = self._query("SELECT key, value FROM cache WHERE namespace = %s AND key = ANY(%s)", (namespace, unique))
        return {key: bytes(value) for key, value in rows}

    def put_cached(self, namespace: str, items: dict[str, bytes]) -> None:
        if not items:
            return
        with self._transaction() as db, db.cursor() as cur:
            cur.executemany("INSERT INTO cache (namespace, key, value) VALUES (%s, %s, %s) "
                            "ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
                            [(namespace, key, bytes(value)) for key, value in sorted(items.items())])

    # ------------------------------------------------------------------ runs

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
