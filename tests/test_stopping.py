"""Ctrl-C stops a run even when the KeyboardInterrupt it raised was swallowed on the way (a finaliser).

A SIGINT that lands while the garbage collector runs a ``__del__`` raises KeyboardInterrupt there, and
Python prints "Exception ignored" and goes on. Without a remembered request the run then finished and
exited 0 (a rare failure of ``test_resume.py``'s Ctrl-C test under load).
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import typer

from cruxmap import stopping
from cruxmap.cli.common import _stoppable
from cruxmap.run.executor import InProcessExecutor
from cruxmap.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


class PressesCtrlCWhileCollected:
    """An object whose finaliser is running when the user presses Ctrl-C."""

    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here, inside the finaliser, where Python ignores what it raises


def swallow_a_ctrl_c() -> None:
    obj = PressesCtrlCWhileCollected()
    del obj  # "Exception ignored in ... __del__": KeyboardInterrupt does not reach this frame


def test_a_ctrl_c_swallowed_by_a_finaliser_is_raised_again_at_the_next_check():
    before = signal.getsignal(signal.SIGINT)
    with stopping.stop_on_ctrl_c():
        swallow_a_ctrl_c()  # returns normally: the interrupt was lost
        assert stopping.requested()
        with pytest.raises(KeyboardInterrupt):
            stopping.check()
    assert signal.getsignal(signal.SIGINT) is before
    assert not stopping.requested()
    stopping.check()  # outside the block the request is forgotten: later code is never stopped by it


def test_a_new_block_forgets_the_last_ctrl_c():
    with stopping.stop_on_ctrl_c():
        swallow_a_ctrl_c()
    with stopping.stop_on_ctrl_c():
        assert not stopping.requested()
        stopping.check()  # nothing pressed in this block: no interrupt


def test_a_command_that_finished_after_a_lost_ctrl_c_still_reports_stopped(capsys):
    finished = []

    @_stoppable
    def command():
        swallow_a_ctrl_c()
        finished.append(True)
        return "map"

    with pytest.raises(typer.Exit) as raised:
        command()
    assert raised.value.exit_code == 130 and finished == [True]
    assert "stopped" in capsys.readouterr().err


def test_a_command_without_ctrl_c_returns_its_result():
    assert _stoppable(lambda: "map")() == "map"


class Counting:
    """The part of a run's Batch that the reading loop uses before the first chunk is full."""

    def __init__(self):
        self.added: list[int] = []

    def add(self, item) -> None:
        self.added.append(item)
        if len(self.added) == 3:
            swallow_a_ctrl_c()  # the user presses Ctrl-C while the third article is read

    def pending_full(self, size: int) -> bool:
        return False


def test_the_reading_loop_stops_at_the_next_article_after_a_lost_ctrl_c():
    executor = InProcessExecutor(Settings(annotate_workers=0))
    batch = Counting()
    with stopping.stop_on_ctrl_c(), pytest.raises(KeyboardInterrupt):
        executor.documents(batch, range(10), setup=None, progress=None, expected=10)  # type: ignore[arg-type]
    assert batch.added == [0, 1, 2]


def test_a_ctrl_c_inside_a_deferred_block_is_raised_when_the_block_ends_never_inside_it():
    reached = []
    with pytest.raises(KeyboardInterrupt), stopping.deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # without deferral the interrupt would be raised here
        reached.append("end of the block")
    assert reached == ["end of the block"]


def test_a_deferred_block_without_ctrl_c_changes_nothing_and_restores_the_handler():
    before = signal.getsignal(signal.SIGINT)
    with stopping.deferred():
        pass
    assert signal.getsignal(signal.SIGINT) is before


def test_a_held_ctrl_c_inside_a_command_is_remembered_for_the_next_check():
    with stopping.stop_on_ctrl_c():
        with pytest.raises(KeyboardInterrupt), stopping.deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
        assert stopping.requested()
    with pytest.raises(KeyboardInterrupt), stopping.deferred():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
    assert not stopping.requested()  # outside a command's block a held Ctrl-C leaves no request behind


def test_waiting_for_the_workers_chunk_stops_at_ctrl_c_between_two_short_waits():
    from concurrent.futures import Future

    from cruxmap.run.overlap import RESULT_POLL_SECONDS, AnnotateWorker

    never = Future()  # a chunk the worker never finishes
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    previous = signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            AnnotateWorker.result(never)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 0.3 + 2 * RESULT_POLL_SECONDS + 0.5
