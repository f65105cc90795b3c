"""What the SQL stores share: the same tables and keys, so the same statements.

Statements are written with ``?`` placeholders; an engine whose driver uses another style
sets ``placeholder``. An engine supplies its connection plumbing (``_query``,
``_transaction``), how it names itself in errors (``where``), search, the cache and
migrations; everything else lives here once.
"""

from __future__ import annotations

import json
import zlib
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager

from pydantic import ValidationError

from ..errors import StoreError
from ..model import Correction, DebateMap, Document, Failure, RunInfo, Source
from .base import Store


class SQLStore(Store):
    placeholder = "?"

    @property
    def where(self) -> str:
        """How errors name the database (a path, or a URL without its password)."""
        return ""

    @abstractmethod
    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]: ...

    @abstractmethod
    def _transaction(self) -> AbstractContextManager: ...

    @abstractmethod
    def _see_runs(self) -> str:
        """The command that lists this store's runs, for error messages."""

    def _sql(self, statement: str) -> str:
        return statement if self.placeholder == "?" else statement.replace("?", self.placeholder)

    def _read(self, statement: str, params: tuple | list = ()) -> list[tuple]:
        return self._query(self._sql(statement), params)

    # ------------------------------------------------------------------ sources and documents

    def _put_source(self, db, source: Source, raw_text: str | None, replace: bool) -> None:
        on_conflict = ("DO UPDATE SET source_id = excluded.source_id, text = excluded.text, "
                       "source_json = excluded.source_json, raw_text = COALESCE(excluded.raw_text, sources.raw_text)"
                       if replace else "DO NOTHING")
        db.execute(self._sql("INSERT INTO sources (sha256, source_id, raw_text, text, source_json) "
                             f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) {on_conflict}"),
                   (source.sha256, source.id, raw_text, source.text, source.model_dump_json(exclude={"text"})))

    def put_document(self, doc: Document, pipeline_key: str, raw_text: str | None = None) -> None:
        with self._transaction() as db:
            self._put_source(db, doc.source, raw_text, replace=True)
            db.execute(self._sql("INSERT INTO documents (sha256, pipeline_key, doc_json) VALUES (?, ?, ?) "
                                 "ON CONFLICT (sha256, pipeline_key) DO UPDATE SET doc_json = excluded.doc_json"),
                       (doc.source.sha256, pipeline_key, doc.model_dump_json()))

    def get_document(self, sha256: str, pipeline_key: str) -> Document | None:
        """The stored document, or None; a document this model version cannot read counts as absent."""
        rows = self._read("SELECT doc_json FROM documents WHERE sha256 = ? AND pipeline_key = ?",
                          (sha256, pipeline_key))
        if not rows:
            return None
        try:
            return Document.model_validate_json(rows[0][0])
        except ValidationError:
            return None

    def get_source(self, key: str) -> Source | None:
        rows = self._read("SELECT source_json, text FROM sources WHERE sha256 = ? OR source_id = ? LIMIT 1",
                          (key, key))
        if not rows:
            return None
        return Source.model_validate({**json.loads(rows[0][0]), "text": rows[0][1]})

    def get_raw_text(self, key: str) -> str | None:
        rows = self._read("SELECT raw_text FROM sources WHERE sha256 = ? OR source_id = ? LIMIT 1", (key, key))
        return rows[0][0] if rows else None

    # ------------------------------------------------------------------ runs

    def save_run_stream(self, run: RunInfo, map_json: Iterable[bytes], sources: Sequence[Source],
                        failures: Sequence[Failure]) -> None:
        compressor = zlib.compressobj(6)
        blob = b"".join([*(compressor.compress(piece) for piece in map_json), compressor.flush()])
        with self._transaction() as db:
            db.execute(self._sql("DELETE FROM runs WHERE id = ?"), (run.id,))  # cascades to members and failures
            db.execute(self._sql("INSERT INTO runs (id, created, info_json, map_zlib, parent) VALUES (?, ?, ?, ?, ?)"),
                       (run.id, run.created, run.model_dump_json(), blob, run.parent))
            for position, source in enumerate(sources):
                self._put_source(db, source, None, replace=False)
                db.execute(self._sql("INSERT INTO run_sources (run_id, sha256, source_id, position) "
                                     "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"),
                           (run.id, source.sha256, source.id, position))
            for i, f in enumerate(failures):
                db.execute(self._sql("INSERT INTO failures (run_id, position, path, stage, error, message) "
                                     "VALUES (?, ?, ?, ?, ?, ?)"), (run.id, i, f.path, f.stage, f.error, f.message))

    def list_runs(self) -> list[RunInfo]:
        rows = self._read("SELECT info_json FROM runs ORDER BY created DESC, id DESC")
        return [RunInfo.model_validate_json(info) for (info,) in rows]

    def resolve_run_id(self, run_id: str) -> str:
        """The full id of the one run whose id is ``run_id`` or starts with it."""
        if run_id and self._read("SELECT 1 FROM runs WHERE id = ?", (run_id,)):
            return run_id
        matches = [row[0] for row in self._read(
            "SELECT id FROM runs WHERE substr(id, 1, ?) = ? ORDER BY created DESC LIMIT 6",
            (len(run_id), run_id))] if run_id else []
        see_runs = self._see_runs()
        if not matches:
            raise StoreError(f"no run with id {run_id!r}", path=self.where,
                             fix=f"`{see_runs}` lists the recorded runs", code="unknown-run")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
            raise StoreError(f"run id prefix {run_id!r} matches several runs ({shown})", path=self.where,
                             fix=f"give more of the id; `{see_runs}` lists them", code="ambiguous-run")
        return matches[0]

    def load_map(self, run_id: str) -> DebateMap:
        full_id = self.resolve_run_id(run_id)
        blob, info = self._read("SELECT map_zlib, info_json FROM runs WHERE id = ?", (full_id,))[0]
        try:
            debate_map = DebateMap.model_validate_json(zlib.decompress(bytes(blob)))
            debate_map.run = RunInfo.model_validate_json(info)  # the record is kept up to date (lineage)
            return debate_map
        except (zlib.error, ValidationError) as err:
            raise StoreError(f"the map of run {full_id} cannot be read ({type(err).__name__})",
                             path=self.where, fix="re-run the analysis to record it again") from err

    def set_parent(self, run_id: str, parent: str) -> None:
        """Record that ``run_id`` was made from ``parent`` (a re-analysis with uploads, say)."""
        full_id = self.resolve_run_id(run_id)
        (info,) = self._read("SELECT info_json FROM runs WHERE id = ?", (full_id,))[0]
        run = RunInfo.model_validate_json(info).model_copy(update={"parent": parent})
        with self._transaction() as db:
            db.execute(self._sql("UPDATE runs SET info_json = ?, parent = ? WHERE id = ?"),
                       (run.model_dump_json(), parent, full_id))

    def list_failures(self, run_id: str) -> list[Failure]:
        rows = self._read("SELECT path, stage, error, message FROM failures WHERE run_id = ? ORDER BY position",
                          (self.resolve_run_id(run_id),))
        return [Failure(path=p, stage=s, error=e, message=m) for p, s, e, m in rows]

    # ------------------------------------------------------------------ the map as tables

    def save_run(self, run: RunInfo, debate_map: DebateMap) -> None:
        from .tables import map_rows

        super().save_run(run, debate_map)
        self.save_tables(run.id, map_rows(debate_map.model_copy(update={"run": run})))

    def save_tables(self, run_id: str, rows: Iterable[tuple[str, list[tuple]]]) -> None:
        """Write a run's map tables (``tables.py``) in one transaction, replacing what the run had."""
        from .tables import MAP_TABLES, insert_statement

        with self._transaction() as db:
            for table in MAP_TABLES:
                db.execute(self._sql(f"DELETE FROM {table} WHERE run_id = ?"), (run_id,))
            for table, table_rows in rows:
                if table_rows:
                    self._insert_many(db, self._sql(insert_statement(table)), [(run_id, *r) for r in table_rows])
            db.execute(self._sql("UPDATE runs SET tables_written = 1 WHERE id = ?"), (run_id,))

    def _insert_many(self, db, statement: str, rows: list[tuple]) -> None:
        many = getattr(db, "executemany", None)
        if many is not None:
            many(statement, rows)
        else:
            with db.cursor() as cursor:
                cursor.executemany(statement, rows)

    def backfill_tables(self) -> int:
        """Write the map tables of runs recorded before they existed (or whose write was cut short)."""
        from .tables import map_rows

        pending = [run_id for (run_id,) in self._read("SELECT id FROM runs WHERE tables_written = 0 ORDER BY created")]
        for run_id in pending:
            try:
                self.save_tables(run_id, map_rows(self.load_map(run_id)))
            except StoreError:
                continue  # an unreadable map keeps its blob; `load_map` says what to do with it
        return len(pending)

    # ------------------------------------------------------------------ corrections

    def put_correction(self, correction: Correction) -> None:
        c = correction
        with self._transaction() as db:
            db.execute(self._sql(
                "INSERT INTO corrections (id, kind, source_id, hypothesis, value, who, made, why, correction_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value, "
                "who = excluded.who, made = excluded.made, why = excluded.why, "
                "correction_json = excluded.correction_json"),
                (c.id, c.kind, c.source_id, c.hypothesis, c.value, c.who, c.when, c.why,
                 c.model_dump_json(exclude_none=True)))

    def list_corrections(self, source_ids: Sequence[str] | None = None) -> list[Correction]:
        rows = self._read("SELECT correction_json, source_id FROM corrections ORDER BY made, id")
        wanted = set(source_ids) if source_ids is not None else None
        return [Correction.model_validate_json(js) for js, sid in rows if wanted is None or sid in wanted]

    def delete_correction(self, correction_id: str) -> bool:
        if not self._read("SELECT 1 FROM corrections WHERE id = ?", (correction_id,)):
            return False
        with self._transaction() as db:
            db.execute(self._sql("DELETE FROM corrections WHERE id = ?"), (correction_id,))
        return True
