"""The store contract, run against every engine: SQLite and a real PostgreSQL server.

Anything a user of ``cruxmap.store.Store`` relies on is asserted here once, for both.
"""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from test_store import make_document, make_run

from cruxmap.errors import StoreError
from cruxmap.model import Failure
from cruxmap.store import open_store

TABLES = ["sources", "documents", "cache", "runs", "run_sources", "failures"]


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def any_store(store_url):
    with open_store(store_url) as store:
        yield store


def counts(store) -> dict[str, int]:
    return {t: store._query(f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


def test_documents_round_trip_with_raw_text(any_store):
    doc = make_document()
    any_store.put_document(doc, "key1", raw_text="RAW")
    assert any_store.get_document(doc.source.sha256, "key1") == doc
    assert any_store.get_document(doc.source.sha256, "other-key") is None
    assert any_store.get_source(doc.source.id).text == doc.source.text
    assert any_store.get_raw_text(doc.source.sha256) == "RAW"
    any_store.put_document(doc, "key1")  # without raw text: the stored one stays
    assert any_store.get_raw_text(doc.source.id) == "RAW"


def test_rewriting_the_same_content_adds_no_rows(any_store):
    doc = make_document()
    run, debate_map = make_run("run-aaa", failures=[Failure(path="x", stage="ingest", error="e", message="m")])

    def write_everything() -> None:
        any_store.put_document(doc, "k", raw_text="raw")
        any_store.put_cached("emb", {"a": b"1", "b": b"2"})
        any_store.save_run(run, debate_map)

    write_everything()
    first = counts(any_store)
    write_everything()
    assert counts(any_store) == first
    assert first["runs"] == 1 and first["failures"] == 1


def test_runs_newest_first_prefix_lookup_and_failures(any_store):
    for run_id, created in [("run-abc111", "2026-01-01T00:00:00Z"), ("run-abd222", "2026-02-01T00:00:00Z")]:
        any_store.save_run(*make_run(run_id, created,
                                     failures=[Failure(path="p", stage="ingest", error="empty-file", message="p: x")]))
    assert [r.id for r in any_store.list_runs()] == ["run-abd222", "run-abc111"]
    assert any_store.load_map("run-abc1").run.id == "run-abc111"
    assert any_store.load_map("run-abc1").key_points[0].label == "trust"
    assert any_store.list_failures("run-abd")[0].error == "empty-file"
    with pytest.raises(StoreError, match="several runs"):
        any_store.load_map("run-ab")
    with pytest.raises(StoreError, match="cruxmap.*runs"):
        any_store.load_map("run-zzz")


def test_cache_with_thousands_of_keys(any_store):
    items = {f"k{i}": bytes([i % 256]) * 384 for i in range(3000)}
    any_store.put_cached("emb:test", items)
    asked = [f"k{i}" for i in range(0, 3500, 7)]
    found = any_store.get_cached("emb:test", asked)
    assert set(found) == {k for k in asked if k in items}
    assert all(found[k] == items[k] for k in found)
    assert any_store.get_cached("emb:other", asked) == {}


def test_search_over_cleaned_texts(any_store):
    any_store.put_document(make_document(), "k")
    hits = any_store.search("verifier trusted")
    assert [source_id for source_id, _ in hits] == [make_document().source.id]
    assert "[" in hits[0][1]
    assert any_store.search("harbour caption") == []  # removed text is not searchable
    assert any_store.search('"); DROP TABLE sources; --') == []


def _writer(url: str, writer: int, n: int) -> None:
    with open_store(url) as store:
        for i in range(n):
            store.put_cached("w", {f"{writer}-{i}": b"x"})
            store.save_run(*make_run(f"run-{writer}-{i}", f"2026-01-01T00:00:{i:02d}Z"))


def test_two_processes_writing_at_once_lose_nothing(store_url):
    with open_store(store_url):
        pass  # migrate first, as a running analyze would have
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(store_url, w, 20)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with open_store(store_url) as store:
        assert len(store.list_runs()) == 40
        assert len(store.get_cached("w", [f"{w}-{i}" for w in range(2) for i in range(20)])) == 40


def test_threads_sharing_one_store(any_store):
    threads = [threading.Thread(target=lambda t=t: [any_store.put_cached("t", {f"{t}-{i}": b"v"}) for i in range(25)])
               for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(any_store.get_cached("t", [f"{t}-{i}" for t in range(4) for i in range(25)])) == 100


def test_schema_is_at_the_newest_version(any_store):
    assert any_store.schema_version() >= 2
    any_store.migrate()  # idempotent
    assert any_store.schema_version() >= 2


def test_corrections_are_kept_replaced_by_subject_listed_by_source_and_deleted(any_store):
    from cruxmap.corrections import make_correction
    from cruxmap.model import Hypothesis

    h1 = Hypothesis(id="H1", statement="Trust matters.")
    first = make_correction("position", source_id="src-1", hypothesis=h1, value="oppose", who="ana",
                            when="2026-01-01T00:00:00+00:00")
    again = make_correction("position", source_id="src-1", hypothesis=h1, value="support", who="bo", why="closing line",
                            when="2026-01-02T00:00:00+00:00")
    other = make_correction("not_claim", source_id="src-2", start=3, end=9, text="abcdef", when="2026-01-03T00:00:00+00:00")
    for c in (first, again, other):
        any_store.put_correction(c)
    assert any_store.list_corrections() == [again, other]
    assert any_store.list_corrections(["src-2"]) == [other]
    assert any_store.delete_correction(other.id) and not any_store.delete_correction(other.id)
    assert any_store.list_corrections() == [again]


def test_a_run_names_its_parent(any_store):
    run, debate_map = make_run("run-parent1")
    any_store.save_run(run, debate_map)
    child = run.model_copy(update={"id": "run-child1", "parent": "run-parent1", "kind": "corrections"})
    any_store.save_run(child, debate_map)
    assert any_store.load_map("run-child1").run.parent == "run-parent1"
    third = run.model_copy(update={"id": "run-third1"})
    any_store.save_run(third, debate_map)
    any_store.set_parent("run-third1", "run-child1")
    assert any_store.load_map("run-third1").run.parent == "run-child1"
    assert {r.id: r.parent for r in any_store.list_runs()}["run-third1"] == "run-child1"
    assert any_store._query("SELECT parent FROM runs WHERE id = 'run-third1'")[0][0] == "run-child1"


def test_the_cache_migration_keeps_work_cached_under_the_old_backend_names(any_store):
    """Migration 7: cached vectors and stance results move to the backend's registry name alone
    (``emb:embedder.minilm.v1:bf16`` → ``embedder.minilm.v1:bf16``), on either engine; a row whose new name
    is taken already stays as it was, and a name that is no registry name is left alone."""
    any_store.put_cached("emb:embedder.minilm.v1:bf16", {"k1": b"v1"})
    any_store.put_cached("stance:stance.offline.v2:aa:bb", {"k2": b"old", "k5": b"v5"})
    any_store.put_cached("stance.offline.v2:aa:bb", {"k2": b"new"})
    any_store.put_cached("stance:llm.v2:reader-1:http://h/v1:m", {"k3": b"v3"})
    any_store.put_cached("emb:hash", {"k4": b"v4"})
    with any_store._transaction() as db:
        db.execute("DELETE FROM schema_migrations WHERE version = 7")
    any_store.migrate()
    assert any_store.schema_version() == 7
    assert any_store.get_cached("embedder.minilm.v1:bf16", ["k1"]) == {"k1": b"v1"}
    assert any_store.get_cached("stance.offline.v2:aa:bb", ["k2", "k5"]) == {"k2": b"new", "k5": b"v5"}
    assert any_store.get_cached("stance:stance.offline.v2:aa:bb", ["k2", "k5"]) == {"k2": b"old"}
    assert any_store.get_cached("stance.llm.v2:reader-1:http://h/v1:m", ["k3"]) == {"k3": b"v3"}
    assert any_store.get_cached("emb:hash", ["k4"]) == {"k4": b"v4"}
