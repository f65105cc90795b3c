"""The web app's one cache pattern: computed once per key while readers wait, bounded, no lock left behind."""

from __future__ import annotations

import threading
import time

import pytest

from cruxmap.serve.cache import OnceCache


def test_readers_arriving_together_share_one_computation():
    cache: OnceCache[int] = OnceCache(4)
    calls = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("run", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8 and len(calls) == 1 and cache.computing == 0


def test_a_failed_computation_leaves_no_lock_and_no_value_behind():
    """An unknown run asked for again and again used to leave one lock per id in the server for good."""
    cache: OnceCache[int] = OnceCache(4)

    def missing() -> int:
        raise KeyError("no such run")

    for n in range(100):
        with pytest.raises(KeyError):
            cache.get(f"run-{n}", missing)
    assert cache.computing == 0 and len(cache) == 0


def test_the_oldest_value_leaves_once_the_cache_is_full():
    cache: OnceCache[str] = OnceCache(2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key.upper())
    assert cache.peek("a") is None and cache.peek("b") == "B" and cache.peek("c") == "C"
    cache.get("b", lambda: "not computed again")
    cache.get("d", lambda: "D")  # b was used last, so c leaves
    assert cache.peek("b") == "B" and cache.peek("c") is None and len(cache) == 2


def test_the_catalog_forgets_unknown_runs_and_bounds_the_stems_it_keeps(tmp_path):
    from cruxmap.errors import StoreError
    from cruxmap.serve.catalog import MAP_CACHE, Catalog
    from cruxmap.store import open_store

    with open_store(str(tmp_path / "db.sqlite")) as store:
        catalog = Catalog(store)
        for n in range(50):
            with pytest.raises(StoreError):
                catalog.map(f"run-{n:012x}")
        assert catalog._maps.computing == 0 and len(catalog._maps) == 0
        assert catalog._stems.size == MAP_CACHE
