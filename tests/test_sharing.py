"""Model batches shared with the annotate worker (``argue/sharing.py``): the protocol with a fake model on a thread,
then a real run whose map must be the map of the run that shares nothing."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from cruxmap.argue.sharing import WORKER_ANNOTATING, BatchHelper, serve, shared_batches, sharing

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class FakeModels:
    """What ``serve`` builds from a request, without torch: a batch's result is its numbers doubled."""

    def __init__(self, delay: float = 0.0, fail_on: int | None = None):
        self.delay = delay
        self.fail_on = fail_on
        self.computed: list[float] = []

    def warm(self) -> None:
        pass

    def for_spec(self, spec):
        if spec[0] != "fake":
            return None

        def compute(batch):
            if self.fail_on is not None and batch[0] == self.fail_on:
                raise RuntimeError("the worker's model failed")
            time.sleep(self.delay)
            self.computed.append(batch[0])
            return np.asarray(batch, dtype=np.float32) * 2
        return compute


@pytest.fixture
def pair():
    """A helper in this thread and ``serve`` on another, joined by a real pipe and shared counters."""
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe()
    counters = context.Array("q", 3)
    models = FakeModels(delay=0.02)
    thread = threading.Thread(target=serve, args=(there, counters, None, models), daemon=True)
    thread.start()
    helper = BatchHelper(here, counters, thread.is_alive)
    yield helper, models, thread
    helper.close()
    thread.join(timeout=5)


def slow_here(batch):
    time.sleep(0.02)
    return np.asarray(batch, dtype=np.float32) * 2


def test_both_sides_compute_and_every_result_is_in_order(pair):
    helper, models, _ = pair
    batches = [[float(i), float(i) + 0.5] for i in range(40)]
    with sharing(helper):
        results = list(shared_batches(("fake",), slow_here, batches))
    assert [r.tolist() for r in results] == [[2 * a, 2 * b] for a, b in batches]
    assert helper.batches["worker"] == len(models.computed) > 0  # the worker took batches from the back
    assert helper.batches["here"] + helper.batches["worker"] == len(batches)
    taken = sorted(models.computed)
    assert taken == [float(i) for i in range(40 - len(taken), 40)]  # a block at the end, never the front


def test_nothing_is_shared_outside_the_context_or_for_a_model_the_worker_cannot_build(pair):
    helper, models, _ = pair
    batches = [[1.0], [2.0], [3.0]]
    assert [r.tolist() for r in shared_batches(("fake",), slow_here, batches)] == [[2.0], [4.0], [6.0]]
    assert helper.batches == {"here": 0, "worker": 0}  # no helper in effect here
    with sharing(helper):
        list(shared_batches(("unknown",), slow_here, batches * 5))
        assert helper.batches["worker"] == 0
        list(shared_batches(None, slow_here, batches))  # a model with no spec (being trained) is never sent
    assert models.computed == []


def test_a_batch_the_worker_fails_on_is_computed_here(pair):
    helper, models, _ = pair
    models.fail_on = 39.0  # the first batch the worker claims, from the back
    batches = [[float(i)] for i in range(40)]
    with sharing(helper):
        results = list(shared_batches(("fake",), slow_here, batches))
    assert [r.tolist() for r in results] == [[2.0 * i] for i in range(40)]
    assert ("fake",) in helper.refused  # the failure is remembered: later calls compute here
    assert helper.batches["here"] == 40


def test_the_worker_claims_nothing_while_it_annotates(pair):
    helper, models, _ = pair
    WORKER_ANNOTATING.set()
    try:
        with sharing(helper):
            results = list(shared_batches(("fake",), slow_here, [[float(i)] for i in range(10)]))
    finally:
        WORKER_ANNOTATING.clear()
    assert [r.tolist() for r in results] == [[2.0 * i] for i in range(10)]
    assert models.computed == [] and helper.batches == {"here": 10, "worker": 0}


def test_a_dead_worker_leaves_every_batch_to_this_process():
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe()
    there.close()  # the worker is gone, and its end of the pipe with it
    helper = BatchHelper(here, context.Array("q", 3), lambda: False)
    with sharing(helper):
        results = list(shared_batches(("fake",), slow_here, [[1.0], [2.0]]))
    assert [r.tolist() for r in results] == [[2.0], [4.0]] and helper.broken
    helper.close()


@pytest.mark.models
def test_a_run_that_shares_its_batches_gives_the_map_of_one_that_does_not(tmp_path):
    """Chunks of 3 of the demo articles, an annotate worker in both runs; one shares the model batches with it."""
    from cruxmap import api
    from cruxmap.settings import Settings

    maps = {}
    for share in (False, True):
        settings = Settings(db=str(tmp_path / f"s{share}.db"), chunk_size=3, annotate_workers=1, torch_threads=1,
                            share_model_batches=share)
        maps[share] = api.analyze([EXAMPLES / "corpus"], question=EXAMPLES / "question.yaml", settings=settings)
    counts = maps[True].run.options["model_batches"]
    assert "model_batches" not in maps[False].run.options
    assert counts["here"] + counts["worker"] > 0

    def comparable(m):
        data = json.loads(m.model_dump_json())
        data.pop("run")
        return data

    assert comparable(maps[True]) == comparable(maps[False])
