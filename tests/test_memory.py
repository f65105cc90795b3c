"""Freed heap memory goes back to the OS between chunks (glibc keeps it otherwise)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cruxmap.memory import _malloc_trim, release_free_memory


@pytest.mark.skipif(_malloc_trim() is None, reason="needs glibc's malloc_trim (Linux)")
def test_freed_heap_blocks_leave_resident_memory():
    script = textwrap.dedent("""
        from cruxmap.memory import release_free_memory

        def rss_mb():
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

        blocks = [bytearray(64 * 1024) for _ in range(3000)]  # ~190 MB from the heap, under the mmap threshold
        last = blocks[-1]  # the block at the top of the heap stays, so glibc cannot shrink the heap by itself
        del blocks
        before = rss_mb()
        release_free_memory()
        print(before, rss_mb())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    before, after = map(int, out.split())
    assert before > 150 and after < before - 100


def test_release_is_a_no_op_without_glibc(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    _malloc_trim.cache_clear()
    try:
        assert release_free_memory() is False
    finally:
        _malloc_trim.cache_clear()
