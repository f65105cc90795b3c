"""Quality benchmark rows and the registry of tasks that produce them.

A task is a function ``(split, settings, **options) -> list[BenchRow]`` registered with
``@quality_task("quotes")``. Missing data gives a row whose ``note`` says so instead of an error.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from pydantic import BaseModel

from ..errors import ConfigError


class BenchRow(BaseModel):
    task: str
    dataset: str
    split: str
    metric: str
    value: float | None
    published_best: str | None = None
    note: str | None = None


_TASKS: dict[str, Callable[..., list[BenchRow]]] = {}

#: modules that register quality tasks when imported (kept lazy: they may need heavy extras)
TASK_MODULES = {
    "quotes": "cruxmap.bench.quotes",
    "dates": "cruxmap.bench.dates",
    "stance": "cruxmap.bench.stance",
    "claims": "cruxmap.bench.claims",
    "keypoints": "cruxmap.bench.keypoints",
    "source-stance": "cruxmap.bench.source_stance",
    "probes": "cruxmap.bench.probes",
    "map": "cruxmap.bench.map_quality",
    "corrections": "cruxmap.bench.corrections",
}


def quality_task(name: str) -> Callable[[Callable[..., list[BenchRow]]], Callable[..., list[BenchRow]]]:
    def decorate(fn: Callable[..., list[BenchRow]]) -> Callable[..., list[BenchRow]]:
        _TASKS[name] = fn
        return fn

    return decorate


def run_quality(task: str, split: str, settings, **options) -> list[BenchRow]:
    if task not in _TASKS and task in TASK_MODULES:
        try:
            import_module(TASK_MODULES[task])
        except ModuleNotFoundError as err:
            if not err.name or not err.name.startswith("cruxmap"):
                raise
    if task not in _TASKS:
        raise ConfigError(f"unknown bench task '{task}'", fix=f"use one of: {', '.join(sorted(TASK_MODULES))}")
    if split not in {"dev", "test", "train"}:
        raise ConfigError(f"unknown split '{split}'", fix="use --split dev (tuning) or --split test (report once)")
    return _TASKS[task](split, settings, **options)
