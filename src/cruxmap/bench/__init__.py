"""Benchmarks: ``cruxmap bench quality`` (one table of task × dataset × metric) and ``bench speed``."""

from .base import BenchRow, quality_task, run_quality

__all__ = ["BenchRow", "quality_task", "run_quality"]
