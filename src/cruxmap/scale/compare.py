"""Articles per second of the in-process and the Ray engine on the same inputs, side by side.

Each engine gets its own fresh store, so neither re-uses the other's work. Ray is started
here (``ray.init(num_cpus=...)``) so its start-up time is measured apart from the analysis.
Run: ``python -m cruxmap.scale.compare FILE_OR_DIR --limit 200 --cpus 2``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ..settings import Settings


def compare_engines(paths: list[str], limit: int | None = None, cpus: int = 2) -> dict:
    """Time ``api.analyze`` and ``analyze_ray`` on the same inputs; return both rates and Ray's start-up."""
    from .. import api
    from ..ingest import IngestOptions
    from .ray_engine import analyze_ray, import_ray

    ray = import_ray()
    options = IngestOptions(limit=limit) if limit else None
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        local = api.analyze(paths, settings=Settings(db=str(Path(tmp) / "local.db")), ingest_options=options)
        local_s = time.perf_counter() - started
        started = time.perf_counter()
        ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
        init_s = time.perf_counter() - started
        try:
            started = time.perf_counter()
            on_ray = analyze_ray(paths, settings=Settings(db=str(Path(tmp) / "ray.db")), ingest_options=options)
            ray_s = time.perf_counter() - started
        finally:
            ray.shutdown()
    n = len(local.sources)
    return {
        "articles": n, "ray_articles": len(on_ray.sources), "cpus": cpus,
        "in_process_s": round(local_s, 2), "in_process_articles_per_s": round(n / local_s, 3),
        "ray_init_s": round(init_s, 2), "ray_s": round(ray_s, 2),
        "ray_articles_per_s": round(len(on_ray.sources) / ray_s, 3),
        "ray_articles_per_s_with_init": round(len(on_ray.sources) / (ray_s + init_s), 3),
        "ray_stage_timings": on_ray.run.timings,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cpus", type=int, default=2)
    args = parser.parse_args(argv)
    print(json.dumps(compare_engines(args.paths, args.limit, args.cpus), indent=1))


if __name__ == "__main__":
    main()
