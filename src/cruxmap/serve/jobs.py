"""Re-analysis in the background: one worker thread, one job per run at a time, status by id.

Analysis is CPU-bound and loads models, so jobs run one after another on a single worker
thread instead of blocking the web server; the API returns a job id at once and the page
polls ``/api/jobs/{id}``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import DebateMap

#: called as analyze(paths, settings=..., question=..., progress=...) -> DebateMap, like cruxmap.api.analyze
AnalyzeFn = Callable[..., "DebateMap"]


@dataclass
class Job:
    id: str
    run_id: str
    paths: list[str]
    state: str = "queued"  # queued → running → done | failed
    created: float = field(default_factory=time.time)
    finished: float | None = None
    new_run_id: str | None = None
    sources: int | None = None
    failures: int | None = None
    progress: str | None = None
    error: str | None = None

    def public(self) -> dict:
        return asdict(self)


class JobRunner:
    """Queues re-analysis jobs on one worker thread and keeps their status in memory."""

    def __init__(self, analyze: AnalyzeFn, settings, on_finish: Callable[[Job], None] | None = None):
        self._analyze, self._settings, self._on_finish = analyze, settings, on_finish
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cruxmap-analyze")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, run_id: str, paths: Sequence[str | Path], question: str | None) -> Job:
        """Queue a re-analysis of ``paths``; an unfinished job for the same run is returned instead."""
        with self._lock:
            for job in self._jobs.values():
                if job.run_id == run_id and job.state in ("queued", "running"):
                    return job
            job = Job(id=f"job-{uuid.uuid4().hex[:12]}", run_id=run_id, paths=[str(p) for p in paths])
            self._jobs[job.id] = job
        self._pool.submit(self._work, job, question)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def _work(self, job: Job, question: str | None) -> None:
        job.state = "running"

        def progress(stage: str, done: int, total: int) -> None:
            job.progress = f"{stage}: {done}" + (f"/{total}" if total else "")

        state = "failed"
        try:
            result = self._analyze(job.paths, settings=self._settings, question=question, progress=progress)
            job.new_run_id = result.run.id if result.run is not None else None
            job.sources = len(result.sources)
            job.failures = len(result.failures)
            state = "done"
        except Exception as err:  # the job records any failure; the server keeps running
            job.error = str(err).splitlines()[0] if str(err) else type(err).__name__
        finally:
            job.finished = time.time()
            if self._on_finish:  # before the state changes: whoever waits for the job sees what it recorded
                self._on_finish(job)
            job.state = state

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until the job has finished (tests and scripts)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            job = self.get(job_id)
            if job is None or job.state in ("done", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
