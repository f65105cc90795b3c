"""The SQLite store: round trips, idempotent writes, cache, migrations, concurrency, errors."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from cruxmap.errors import StoreError
from cruxmap.model import (
    Claim,
    DebateMap,
    Document,
    Failure,
    InputRecord,
    KeyPoint,
    Removal,
    RunInfo,
    Sentence,
    Source,
)
from cruxmap.store import SQLiteStore, open_store
from cruxmap.store.migrations import Migration, check_order
from cruxmap.store.migrations.sqlite import MIGRATIONS

RAW = "Photo: a harbour at dawn.\nThe treaty failed because neither side trusted the verifier.\n"


def make_document(raw: str = RAW, path: str = "a.txt") -> Document:
    """A small hand-built document whose cleaned text drops the caption line."""
    sha = hashlib.sha256(raw.encode()).hexdigest()
    caption_end = raw.index("\n") + 1
    text = raw[caption_end:].strip()
    source = Source(id=f"src-{sha[:12]}", path=path, sha256=sha, text=text, title="Treaty",
                    removed=[Removal(start=0, end=caption_end, reason="caption", text=raw[:caption_end])])
    sentence = Sentence(id="s1", source_id=source.id, start=0, end=len(text), text=text)
    claim = Claim(id="c1", sentence_id="s1", source_id=source.id, start=0, end=len(text), text=text, score=0.9)
    return Document(source=source, sentences=[sentence], claims=[claim], done=["clean", "sentences"])


def make_run(run_id: str, created: str = "2026-01-01T00:00:00Z", docs: list[Document] | None = None,
             failures: list[Failure] | None = None) -> tuple[RunInfo, DebateMap]:
    docs = docs if docs is not None else [make_document()]
    run = RunInfo(id=run_id, created=created, cruxmap_version="0.1.0",
                  inputs=[InputRecord(path=d.source.path, sha256=d.source.sha256) for d in docs])
    debate_map = DebateMap.from_documents(docs, failures=failures or [],
                                          key_points=[KeyPoint(id="k1", label="trust", claim_ids=["c1"],
                                                               source_ids=[docs[0].source.id] if docs else [])])
    return run, debate_map


def row_counts(db_path: Path) -> dict[str, int]:
    tables = ["sources", "documents", "cache", "runs", "run_sources", "failures"]
    with sqlite3.connect(db_path) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "cruxmap.db"


@pytest.fixture
def store(db_path: Path):
    with open_store(db_path) as opened:
        yield opened


# ---------------------------------------------------------------------- round trips


def test_document_round_trip_keeps_raw_text_and_source(store):
    doc = make_document()
    store.put_document(doc, "pipe-v1", raw_text=RAW)
    assert store.get_document(doc.source.sha256, "pipe-v1") == doc
    assert store.get_document(doc.source.sha256, "pipe-v2") is None
    assert store.get_document("0" * 64, "pipe-v1") is None
    assert store.get_source(doc.source.sha256) == doc.source
    assert store.get_source(doc.source.id) == doc.source
    assert store.get_raw_text(doc.source.id) == RAW
    # a later put without raw text keeps the raw text already stored
    store.put_document(doc, "pipe-v2")
    assert store.get_raw_text(doc.source.sha256) == RAW


def test_map_round_trip_records_run_info(store):
    run, debate_map = make_run("run-1", failures=[Failure(path="b.pdf", stage="ingest", error="pdf-no-text",
                                                          message="b.pdf: no text — run OCR first")])
    store.save_run(run, debate_map)
    loaded = store.load_map("run-1")
    assert loaded == debate_map.model_copy(update={"run": run})
    assert store.list_runs() == [run]
    assert store.list_failures("run-1") == debate_map.failures
    assert store.get_source(debate_map.sources[0].id) == debate_map.sources[0]


def test_stale_document_json_counts_as_a_cache_miss(store, db_path):
    doc = make_document()
    store.put_document(doc, "pipe-v1")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE documents SET doc_json = ?", ('{"source": {"unknown_field": 1}}',))
    assert store.get_document(doc.source.sha256, "pipe-v1") is None


# ---------------------------------------------------------------------- idempotence


def test_repeated_puts_never_add_rows(store, db_path):
    docs = [make_document(), make_document(RAW + "More.\n", path="b.txt")]
    run, debate_map = make_run("run-1", docs=docs, failures=[Failure(path="c.txt", stage="clean",
                                                                     error="empty-file", message="empty")])

    def write_everything() -> None:
        for doc in docs:
            store.put_document(doc, "pipe-v1", raw_text=RAW)
        store.put_cached("emb", {"k1": b"\x00\x01", "k2": b"\x02"})
        store.save_run(run, debate_map)

    write_everything()
    first = row_counts(db_path)
    assert first == {"sources": 2, "documents": 2, "cache": 2, "runs": 1, "run_sources": 2, "failures": 1}
    write_everything()
    assert row_counts(db_path) == first


def test_saving_a_run_again_replaces_it(store, db_path):
    run, debate_map = make_run("run-1", failures=[Failure(path="x", stage="clean", error="e", message="m")])
    store.save_run(run, debate_map)
    newer_map = debate_map.model_copy(update={"failures": [], "key_points": []})
    store.save_run(run, newer_map)
    assert store.load_map("run-1").key_points == []
    assert store.list_failures("run-1") == []
    assert [r.id for r in store.list_runs()] == ["run-1"]
    assert row_counts(db_path)["failures"] == 0


# ---------------------------------------------------------------------- runs


def test_list_runs_newest_first(store):
    for run_id, created in [("b", "2026-02-01T00:00:00Z"), ("a", "2026-03-01T00:00:00Z"),
                            ("c", "2026-01-01T00:00:00Z")]:
        store.save_run(*make_run(run_id, created))
    assert [r.id for r in store.list_runs()] == ["a", "b", "c"]


def test_load_map_by_unique_prefix(store):
    store.save_run(*make_run("20260101-abcd", "2026-01-01T00:00:00Z"))
    store.save_run(*make_run("20260101-abef", "2026-01-02T00:00:00Z"))
    store.save_run(*make_run("20260202-ffff", "2026-02-02T00:00:00Z"))
    assert store.load_map("20260202").run.id == "20260202-ffff"
    assert store.load_map("20260101-abc").run.id == "20260101-abcd"
    with pytest.raises(StoreError, match="several runs") as ambiguous:
        store.load_map("20260101-ab")
    assert "20260101-abcd" in str(ambiguous.value) and "20260101-abef" in str(ambiguous.value)
    for unknown in ("nope", "", "%", "2026_"):
        with pytest.raises(StoreError, match=r"cruxmap --db \S+ runs"):
            store.load_map(unknown)


# ---------------------------------------------------------------------- cache


def test_cache_with_thousands_of_keys(store):
    items = {f"key-{i}": i.to_bytes(4, "little") * 96 for i in range(5000)}
    store.put_cached("emb", items)
    asked = list(items) + [f"missing-{i}" for i in range(700)]
    assert store.get_cached("emb", asked) == items
    assert store.get_cached("other-namespace", list(items)) == {}
    assert store.get_cached("emb", []) == {}
    store.put_cached("emb", {"key-7": b"new"})
    assert store.get_cached("emb", ["key-7", "key-7", "key-8"]) == {"key-7": b"new", "key-8": items["key-8"]}


# ---------------------------------------------------------------------- search


def test_search_finds_words_and_follows_updates(store):
    doc = make_document()
    store.put_document(doc, "pipe-v1")
    hits = store.search("verifier")
    assert [source_id for source_id, _ in hits] == [doc.source.id]
    assert "[verifier]" in hits[0][1]
    assert store.search("harbour") == []  # only the cleaned text is indexed, not the removed caption
    assert store.search('"treaty" (verifier*') == store.search("treaty verifier")  # input is never FTS syntax
    assert store.search("treaty harbour") == []  # every word must occur
    assert store.search("  ") == []
    rewritten = doc.model_copy(update={"source": doc.source.model_copy(update={"text": "A new body of text."})})
    store.put_document(rewritten, "pipe-v2")
    assert store.search("verifier") == []
    assert [s for s, _ in store.search("body")] == [doc.source.id]


# ---------------------------------------------------------------------- migrations


def test_old_database_is_migrated_forward_with_data_intact(db_path):
    db_path.parent.mkdir(parents=True)
    doc = make_document()
    with sqlite3.connect(db_path) as conn:  # a database as version 1 of cruxmap left it
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "applied TEXT NOT NULL)")
        conn.executescript(MIGRATIONS[0].sql)
        conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial', '2026-01-01')")
        conn.execute("INSERT INTO sources (sha256, source_id, raw_text, text, source_json) VALUES (?, ?, ?, ?, ?)",
                     (doc.source.sha256, doc.source.id, RAW, doc.source.text,
                      doc.source.model_dump_json(exclude={"text"})))
        # cached work under the names cruxmap used before the registry named backends once (migration 7)
        conn.executemany("INSERT INTO cache (namespace, key, value) VALUES (?, ?, ?)", [
            ("emb:embedder.minilm.v1:bf16", "k1", b"v1"), ("stance:stance.offline.v2:aa:bb", "k2", b"v2"),
            ("stance:llm.v2:reader-1:http://h/v1:m", "k3", b"v3"), ("emb:hash", "k4", b"v4")])
    with open_store(db_path) as store:
        assert store.schema_version() == len(MIGRATIONS) == 7
        assert store.get_cached("embedder.minilm.v1:bf16", ["k1"]) == {"k1": b"v1"}
        assert store.get_cached("stance.offline.v2:aa:bb", ["k2"]) == {"k2": b"v2"}
        assert store.get_cached("stance.llm.v2:reader-1:http://h/v1:m", ["k3"]) == {"k3": b"v3"}
        assert store.get_cached("emb:hash", ["k4"]) == {"k4": b"v4"}  # no registry name: left as it was
        assert store.get_source(doc.source.sha256) == doc.source
        assert store.get_raw_text(doc.source.id) == RAW
        assert [s for s, _ in store.search("verifier")] == [doc.source.id]  # index built over old rows
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall() == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
    with open_store(db_path) as store:  # opening again applies nothing twice
        assert store.schema_version() == len(MIGRATIONS)


def test_failed_migration_rolls_back(db_path, monkeypatch):
    broken = check_order(MIGRATIONS + (Migration(len(MIGRATIONS) + 1, "broken", "CREATE TABLE t3 (x);\nNOT SQL AT ALL;"),))
    monkeypatch.setattr("cruxmap.store.sqlite.MIGRATIONS", broken)
    with pytest.raises(StoreError, match="write failed"):
        open_store(db_path)
    with sqlite3.connect(db_path) as conn:  # nothing of the failed attempt was kept, not even migration 1
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    monkeypatch.setattr("cruxmap.store.sqlite.MIGRATIONS", MIGRATIONS)
    with open_store(db_path) as store:
        assert store.schema_version() == len(MIGRATIONS)


def test_newer_schema_is_refused(db_path):
    open_store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')")
    with pytest.raises(StoreError, match="upgrade cruxmap"):
        open_store(db_path)


def test_migration_versions_must_be_consecutive():
    with pytest.raises(RuntimeError):
        check_order((Migration(1, "a", ""), Migration(3, "c", "")))


# ---------------------------------------------------------------------- concurrency


BATCHES = 40


def _write_from_process(db_path: str, writer: int) -> None:
    with open_store(db_path) as store:
        for batch in range(BATCHES):
            store.put_cached("emb", {f"w{writer}-{batch}-{i}": bytes([writer, batch, i]) for i in range(25)})
            run, debate_map = make_run(f"run-{writer}-{batch}", docs=[make_document(f"{writer} {batch}\nbody\n")])
            store.save_run(run, debate_map)


def test_two_processes_writing_at_once_lose_nothing(db_path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_from_process, args=(str(db_path), w)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    counts = row_counts(db_path)
    assert counts["cache"] == 2 * BATCHES * 25
    assert counts["runs"] == counts["sources"] == counts["run_sources"] == 2 * BATCHES


def test_threads_sharing_one_store_lose_nothing(store):
    def write(thread: int) -> None:
        for i in range(200):
            store.put_cached("t", {f"{thread}-{i}": b"x"})

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.get_cached("t", [f"{t}-{i}" for t in range(4) for i in range(200)])) == 800


# ---------------------------------------------------------------------- opening and errors


def test_open_store_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with open_store(None) as store:
        assert store.path == tmp_path / "home" / ".cruxmap" / "cruxmap.db"
        assert store.path.is_file()
    with open_store(f"sqlite:///{tmp_path}/viaurl.db") as store:
        assert store.path == tmp_path / "viaurl.db"
    with open_store(":memory:") as store:
        store.put_cached("n", {"k": b"v"})
        assert store.get_cached("n", ["k"]) == {"k": b"v"}
    assert isinstance(store, SQLiteStore)


def test_unreachable_postgres_names_the_url_without_its_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot connect") as err:
        open_store("postgresql://me:secret@127.0.0.1:1/cruxmap")
    assert "secret" not in str(err.value) and "me:***@127.0.0.1:1" in str(err.value)
    with pytest.raises(StoreError, match="scheme"):
        open_store("mysql://host/db")


def test_a_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"these are plain notes, not a database " * 100)
    with pytest.raises(StoreError) as err:
        open_store(bogus)
    message = str(err.value)
    assert str(bogus) in message and "--db" in message and "\n" not in message


def test_a_foreign_sqlite_database_is_left_alone(tmp_path):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="another program"):
        open_store(foreign)
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("invoices",)]


def test_a_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="--db") as err:
        open_store(blocker / "sub" / "cruxmap.db")
    assert str(blocker) in str(err.value)
    with pytest.raises(StoreError):
        open_store(tmp_path)  # a directory, not a file


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="writable"):
            open_store(locked / "cruxmap.db")
    finally:
        locked.chmod(0o700)


def test_closed_store_says_so(db_path):
    store = open_store(db_path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_runs()
