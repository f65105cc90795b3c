"""Freed heap memory goes back to the OS between chunks (glibc keeps it otherwise)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cruxmap.memory import MMAP_THRESHOLD, _libc, _malloc_trim, release_free_memory, return_large_blocks


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
    _libc.cache_clear()
    try:
        assert release_free_memory() is False
        assert return_large_blocks() is False
    finally:
        _libc.cache_clear()


@pytest.mark.skipif(_malloc_trim() is None, reason="needs glibc's mallopt (Linux)")
@pytest.mark.parametrize("pinned", [False, True])
def test_pinned_mmap_threshold_returns_freed_large_blocks_at_once(pinned):
    script = textwrap.dedent(f"""
        from cruxmap.memory import return_large_blocks

        def rss_mb():
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

        def touched(n):
            block = bytearray(n)
            block[::4096] = b"\\x01" * len(block[::4096])
            return block

        if {pinned}:
            assert return_large_blocks({MMAP_THRESHOLD})
        else:
            assert not return_large_blocks()  # off unless CRUXMAP_MMAP_THRESHOLD asks for it
        first = touched(8 << 20)
        del first  # glibc now raises its mmap threshold to 8 MB unless it was pinned
        blocks, keep = [], []
        for _ in range(40):  # 160 MB, like a run of model activations, each followed by a live
            blocks.append(touched(4 << 20))  # small block, so the heap cannot shrink by itself
            keep.append(touched(1024))
        before = rss_mb()
        del blocks
        print(before, rss_mb())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    before, after = map(int, out.split())
    if pinned:
        assert before > 150 and after < before - 140
    else:  # what the pin is for: without it the freed blocks stay resident until a trim
        assert before > 150 and after > before - 20


def test_the_mmap_pin_is_opt_in_through_the_setting_and_its_old_variable(monkeypatch, tmp_path):
    calls = []

    class FakeLibc:
        def malloc_trim(self, pad):
            return 1

        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    from cruxmap import memory
    from cruxmap.errors import ConfigError
    from cruxmap.settings import Settings

    monkeypatch.setattr(memory, "_libc", lambda: FakeLibc())
    monkeypatch.chdir(tmp_path)  # no cruxmap.toml
    monkeypatch.delenv("CRUXMAP_MMAP_THRESHOLD", raising=False)
    monkeypatch.delenv("CRUXMAP_MEMORY__MMAP_THRESHOLD", raising=False)
    assert return_large_blocks(Settings.load().memory.mmap_threshold) is False and calls == []
    monkeypatch.setenv("CRUXMAP_MMAP_THRESHOLD", "2097152")  # the variable before memory was a section
    settings = Settings.load()
    assert settings.origins()["memory.mmap_threshold"] == "CRUXMAP_MMAP_THRESHOLD"
    assert return_large_blocks(settings.memory.mmap_threshold) is True and calls == [(-3, 2097152)]
    monkeypatch.setenv("CRUXMAP_MEMORY__MMAP_THRESHOLD", "0")  # the section's own name wins over the alias
    assert Settings.load().memory.mmap_threshold == 0
    monkeypatch.setenv("CRUXMAP_MEMORY__MMAP_THRESHOLD", "not a number")
    with pytest.raises(ConfigError, match="^CRUXMAP_MEMORY__MMAP_THRESHOLD: setting memory.mmap_threshold"):
        Settings.load()


def test_the_pipeline_calls_after_stage_once_per_stage_that_ran():
    from cruxmap.model import Document, Source
    from cruxmap.pipeline import Pipeline, Stage

    class Mark(Stage):
        requires = ()

        def __init__(self, name):
            self.name, self.provides = name, ()

        def __call__(self, doc):
            return doc

    calls = []
    doc = Document(source=Source(id="s", path="s.txt", sha256="0" * 64, text="x"), done=["b"])
    Pipeline([Mark("a"), Mark("b")], after_stage=lambda: calls.append(1)).run([doc])
    assert calls == [1]  # stage b had nothing to do
