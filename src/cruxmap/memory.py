"""Give freed heap memory back to the operating system between chunks of a long run.

glibc's allocator keeps memory that Python and the native libraries (torch, tokenizers, spaCy)
have freed, in many per-thread arenas, and returns little of it to the OS on its own. A long
run frees a whole chunk of documents, vectors and activations every 64 articles, so its
resident memory grew with the corpus although the live data did not, until ``malloc_trim(0)``
gave it back (at no measurable cost; the figures are in ``docs/performance.md``). Dask's workers
do the same (``distributed``'s memory trimming). Elsewhere (macOS, musl) this is a no-op.

A chunk runs several stages (claims, then stance); the pipeline trims after each one, so the
stance stage does not start on top of what the claim stage's activations left behind.

Within a stage glibc serves a large block from ``mmap`` (and gives it back on ``free``) only
above a threshold that it raises every time such a block is freed, up to 32 MB, so after the
first batches the model activations come from the heap and stay resident until the next trim.
``return_large_blocks`` pins the threshold (``mallopt(3)``), but only when the setting
``memory.mmap_threshold`` (or the older variable ``CRUXMAP_MMAP_THRESHOLD``) asks for it: it lowers the
peak and slows the run, since every activation then costs fresh page faults (``docs/performance.md``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

#: a threshold worth giving ``memory.mmap_threshold`` (1 MB: model activations are larger)
MMAP_THRESHOLD = 1 << 20
_M_MMAP_THRESHOLD = -3  # mallopt parameter number (malloc.h)

#: what the run is doing now, for ``bench speed``'s memory sampler (read from its thread)
_PHASE = ["chunks"]


def _malloc_trim():
    libc = _libc()
    return None if libc is None else libc.malloc_trim


@lru_cache(maxsize=1)
def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None  # glibc only
    except (OSError, AttributeError):
        return None


def return_large_blocks(threshold: int = 0) -> bool:
    """Serve blocks of ``threshold`` bytes or more from ``mmap`` for the rest of the process (glibc
    ``mallopt(M_MMAP_THRESHOLD)``), so freed activations leave at once; False where unavailable or
    ``threshold`` is 0. Runs pass the setting ``memory.mmap_threshold`` (off by default: the module
    docstring says what it costs)."""
    if threshold <= 0:
        return False
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, int(threshold)))


def release_free_memory() -> bool:
    """Return freed heap pages to the OS (glibc ``malloc_trim(0)``); False where that is not available."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Label the run's current step (``map: key points``…) so sampled memory can be told apart by step."""
    before = _PHASE[0]
    _PHASE[0] = name
    try:
        yield
    finally:
        _PHASE[0] = before


def current_phase() -> str:
    return _PHASE[0]
