"""The team store: PostgreSQL through psycopg 3, same interface and keys as the SQLite store.

Writes are upserts on content-hash keys, so two analyze runs writing at once lose nothing
and never duplicate rows. Migrations take a transaction-scoped advisory lock so that two
processes opening a fresh database at once apply each migration once. Search uses
Postgres' own text search (``to_tsvector('english', …)`` with a GIN index).
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError

from ..errors import NotInstalled, StoreError
from ..model import DebateMap, Document, Failure, RunInfo, Source
from .base import Store, _hide_password
from .migrations.postgres import MIGRATIONS

MIGRATION_LOCK = 0x63727578  # "crux": advisory lock id held while migrating


class PostgresStore(Store):
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
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            raise StoreError(f"cannot connect: {str(err).strip().splitlines()[0]}", path=self._shown,
                             fix="check that the server runs and the URL, user and password are right") from err
        try:
            self.migrate()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({self._shown!r})"

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

    @staticmethod
    def _put_source(db, source: Source, raw_text: str | None, replace: bool) -> None:
        on_conflict = ("DO UPDATE SET source_id = excluded.source_id, text = excluded.text, "
                       "source_json = excluded.source_json, raw_text = COALESCE(excluded.raw_text, sources.raw_text)"
                       if replace else "DO NOTHING")
        db.execute("INSERT INTO sources (sha256, source_id, raw_text, text, source_json) VALUES (%s, %s, %s, %s, %s) "
                   f"ON CONFLICT (sha256) {on_conflict}",
                   (source.sha256, source.id, raw_text, source.text, source.model_dump_json(exclude={"text"})))

    def put_document(self, doc: Document, pipeline_key: str, raw_text: str | None = None) -> None:
        with self._transaction() as db:
            self._put_source(db, doc.source, raw_text, replace=True)
            db.execute("INSERT INTO documents (sha256, pipeline_key, doc_json) VALUES (%s, %s, %s) "
                       "ON CONFLICT (sha256, pipeline_key) DO UPDATE SET doc_json = excluded.doc_json",
                       (doc.source.sha256, pipeline_key, doc.model_dump_json()))

    def get_document(self, sha256: str, pipeline_key: str) -> Document | None:
        rows = self._query("SELECT doc_json FROM documents WHERE sha256 = %s AND pipeline_key = %s",
                           (sha256, pipeline_key))
        if not rows:
            return None
        try:
            return Document.model_validate_json(rows[0][0])
        except ValidationError:
            return None

    def get_source(self, key: str) -> Source | None:
        rows = self._query("SELECT source_json, text FROM sources WHERE sha256 = %s OR source_id = %s LIMIT 1",
                           (key, key))
        if not rows:
            return None
        return Source.model_validate({**json.loads(rows[0][0]), "text": rows[0][1]})

    def get_raw_text(self, key: str) -> str | None:
        rows = self._query("SELECT raw_text FROM sources WHERE sha256 = %s OR source_id = %s LIMIT 1", (key, key))
        return rows[0][0] if rows else None

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

    def save_run(self, run: RunInfo, debate_map: DebateMap) -> None:
        blob = zlib.compress(debate_map.model_copy(update={"run": run}).model_dump_json().encode("utf-8"), 6)
        with self._transaction() as db, db.cursor() as cur:
            cur.execute("DELETE FROM runs WHERE id = %s", (run.id,))
            cur.execute("INSERT INTO runs (id, created, info_json, map_zlib) VALUES (%s, %s, %s, %s)",
                        (run.id, run.created, run.model_dump_json(), blob))
            for position, source in enumerate(debate_map.sources):
                self._put_source(cur, source, None, replace=False)
                cur.execute("INSERT INTO run_sources (run_id, sha256, source_id, position) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT DO NOTHING", (run.id, source.sha256, source.id, position))
            if debate_map.failures:
                cur.executemany(
                    "INSERT INTO failures (run_id, position, path, stage, error, message) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [(run.id, i, f.path, f.stage, f.error, f.message) for i, f in enumerate(debate_map.failures)])

    def list_runs(self) -> list[RunInfo]:
        rows = self._query("SELECT info_json FROM runs ORDER BY created DESC, id DESC")
        return [RunInfo.model_validate_json(info) for (info,) in rows]

    def resolve_run_id(self, run_id: str) -> str:
        if run_id and self._query("SELECT 1 FROM runs WHERE id = %s", (run_id,)):
            return run_id
        matches = [row[0] for row in self._query(
            "SELECT id FROM runs WHERE left(id, %s) = %s ORDER BY created DESC LIMIT 6",
            (len(run_id), run_id))] if run_id else []
        see_runs = f"cruxmap --db {self._shown} runs"
        if not matches:
            raise StoreError(f"no run with id {run_id!r}", path=self._shown,
                             fix=f"`{see_runs}` lists the recorded runs", code="unknown-run")
        if len(matches) > 1:
            raise StoreError(f"run id prefix {run_id!r} matches several runs ({', '.join(matches[:5])})",
                             path=self._shown, fix=f"give more of the id; `{see_runs}` lists them",
                             code="ambiguous-run")
        return matches[0]

    def load_map(self, run_id: str) -> DebateMap:
        full_id = self.resolve_run_id(run_id)
        (blob,) = self._query("SELECT map_zlib FROM runs WHERE id = %s", (full_id,))[0]
        try:
            return DebateMap.model_validate_json(zlib.decompress(bytes(blob)))
        except (zlib.error, ValidationError) as err:
            raise StoreError(f"the map of run {full_id} cannot be read ({type(err).__name__})",
                             path=self._shown, fix="re-run the analysis to record it again") from err

    def list_failures(self, run_id: str) -> list[Failure]:
        rows = self._query(
            "SELECT path, stage, error, message FROM failures WHERE run_id = %s ORDER BY position",
            (self.resolve_run_id(run_id),))
        return [Failure(path=p, stage=s, error=e, message=m) for p, s, e, m in rows]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
