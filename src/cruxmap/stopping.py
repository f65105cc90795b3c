"""Ctrl-C as a request to stop that a run honours at its next safe point, even if the first signal was lost.

Python turns SIGINT into a ``KeyboardInterrupt`` raised wherever the main thread happens to be. Where
that is a finaliser (a ``__del__`` run by the garbage collector, a ``weakref`` callback), Python prints
"Exception ignored" and carries on, so a run could finish and exit 0 after the user pressed Ctrl-C.
Inside ``stop_on_ctrl_c`` the signal also sets a flag, and the run calls ``check`` between articles and
between corpus steps: a swallowed interrupt is raised again there, one article or one step later.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_requested = threading.Event()
_active = threading.Event()  # inside a ``stop_on_ctrl_c`` block


@contextmanager
def stop_on_ctrl_c() -> Iterator[None]:
    """Within the block Ctrl-C raises ``KeyboardInterrupt`` as usual and is remembered for ``check``.

    Off the main thread (a web app's background run) signals cannot be handled, so nothing changes.
    """
    def interrupt(signum, frame):
        _requested.set()
        raise KeyboardInterrupt

    with _on_sigint(interrupt) as handled:
        if not handled:
            yield
            return
        _requested.clear()
        _active.set()
        try:
            yield
        finally:
            _active.clear()
            _requested.clear()  # a request is the block's: code run later outside one is never stopped by it


def requested() -> bool:
    """Whether Ctrl-C was pressed inside the current ``stop_on_ctrl_c`` block."""
    return _requested.is_set()


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed: the run stops here if it has not stopped yet."""
    if _requested.is_set():
        raise KeyboardInterrupt


@contextmanager
def deferred() -> Iterator[None]:
    """Ctrl-C inside the block is held and raised as ``KeyboardInterrupt`` when the block ends.

    For short calls into code that takes locks another thread needs (handing a chunk to the annotate
    worker's process pool): an interrupt raised between a lock's acquisition and the ``try`` that
    releases it leaves the lock held, and the pool's manager thread then waits for it forever, so the
    process hangs at exit after Ctrl-C. Off the main thread nothing changes.
    """
    held: list[int] = []

    def hold(signum, frame):
        held.append(signum)
        if _active.is_set():
            _requested.set()

    with _on_sigint(hold):
        yield
    if held:
        raise KeyboardInterrupt


@contextmanager
def _on_sigint(handler) -> Iterator[bool]:
    """``handler`` takes SIGINT inside the block, the previous one after it; off the main thread, where signals
    cannot be handled, nothing changes and the block is told so (False)."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield True
    finally:
        signal.signal(signal.SIGINT, previous)
