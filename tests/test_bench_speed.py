"""``bench speed``'s memory measure: what the main process and its worker hold at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cruxmap.bench.speed import TreeMemory, _rss_mb
from cruxmap.memory import current_phase, phase

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")

CHILD = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1.5)"


def test_a_child_processs_memory_counts_while_it_runs():
    before = _rss_mb(os.getpid())
    with TreeMemory(interval=0.05) as memory:
        subprocess.run([sys.executable, "-c", CHILD], check=True)
    assert memory.sampled >= before + 150  # the child's 200 MB, seen beside this process's own


def test_memory_is_told_apart_by_the_step_of_the_run():
    import time

    import numpy as np

    with TreeMemory(interval=0.02) as memory:
        time.sleep(0.1)
        with phase("map: key points"):
            assert current_phase() == "map: key points"
            block = np.ones(200 * 1024 * 1024 // 8)  # 200 MB, touched
            time.sleep(0.2)
            del block
        assert current_phase() == "chunks"
        time.sleep(0.1)
    assert memory.by_phase["map: key points"] >= memory.by_phase["chunks"] + 150


def test_a_spawned_child_does_not_count_its_parents_memory_twice():
    import multiprocessing

    # the pool reports this process's RSS as its peak
    with TreeMemory(interval=0.05) as memory, multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(len, ("abc",)) == 3
    own = _rss_mb(os.getpid())
    assert memory.sampled < own + 150  # a bare interpreter, not a second copy of this process
