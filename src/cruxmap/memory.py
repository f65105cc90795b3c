"""Give freed heap memory back to the operating system between chunks of a long run.

glibc's allocator keeps memory that Python and the native libraries (torch, tokenizers, spaCy)
have freed, in many per-thread arenas, and returns little of it to the OS on its own. A long
run frees a whole chunk of documents, vectors and activations every 64 articles, so its
resident memory grew with the corpus although the live data did not: 1,280 news articles,
main process 1,423 → 1,730 MB between chunks 6 and 21, but 1,157 → 1,060 MB after
``malloc_trim(0)`` (which took no measurable time). Dask's workers do the same
(``distributed``'s memory trimming). Elsewhere (macOS, musl) this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

#: what the run is doing now, for ``bench speed``'s memory sampler (read from its thread)
_PHASE = ["chunks"]


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None


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
