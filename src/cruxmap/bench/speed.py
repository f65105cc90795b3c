"""``cruxmap bench speed``: how fast the whole pipeline runs on a real corpus, stage by stage.

Each measurement analyses the first N articles of a corpus into a fresh store (so nothing is
re-used from an earlier run), then embeds the same sentences again with the bare embedder to
give the raw model throughput the pipeline is compared with. Peak RSS is read from the OS.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from ..settings import Settings

DEFAULT_CORPUS = "news_article_bias/articles_subset.jsonl"


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def corpus_path(settings: Settings, corpus: str | None) -> Path:
    from ..errors import InputError

    path = Path(corpus) if corpus else Path(settings.data_dir) / DEFAULT_CORPUS
    if not path.exists():
        raise InputError("benchmark corpus not found", path=str(path),
                         fix="pass --corpus PATH or put ../shared/data beside the checkout")
    return path


def raw_embed_rate(settings: Settings, sentences: list[str]) -> float | None:
    """Sentences/s of the embedder alone on the same sentences (no store, no pipeline)."""
    from ..argue.embed import get_embedder

    if not sentences:
        return None
    embedder = get_embedder(settings.embedder)
    embedder.embed(sentences[:64])  # warm-up: weights loaded, kernels chosen
    started = time.perf_counter()
    embedder.embed(sentences)
    return len(sentences) / (time.perf_counter() - started)


def measure(settings: Settings, corpus: Path, limit: int, question: str | None = None,
            embed_baseline: bool = True) -> dict:
    """Analyse the first ``limit`` articles of ``corpus`` and return the speed record."""
    from .. import api
    from ..ingest import IngestOptions

    with tempfile.TemporaryDirectory(prefix="cruxmap-bench-") as tmp:
        run_settings = settings.model_copy(update={"db": str(Path(tmp) / "bench.db")})
        options = IngestOptions(max_bytes=int(settings.max_file_mb * 1_000_000), limit=limit)
        started = time.perf_counter()
        result = api.analyze([corpus], settings=run_settings, question=question, ingest_options=options)
        seconds = time.perf_counter() - started
    articles = len(result.sources)
    sentences = len(result.sentences)
    timings = dict(result.run.timings) if result.run else {}
    record = {
        "articles": articles,
        "sentences": sentences,
        "claims": len(result.claims),
        "failures": len(result.failures),
        "seconds": round(seconds, 3),
        "articles_per_s": round(articles / seconds, 3) if seconds else None,
        "sentences_per_s": round(sentences / seconds, 2) if seconds else None,
        "stages": {
            name: {"seconds": round(t, 3), "share": round(t / seconds, 4) if seconds else None,
                   "articles_per_s": round(articles / t, 2) if t else None}
            for name, t in timings.items()
        },
    }
    raw = None
    if embed_baseline and sentences:
        try:
            raw = raw_embed_rate(settings, [s.text for s in result.sentences])
        except ModuleNotFoundError:
            raw = None
    record["embed_raw_sentences_per_s"] = round(raw, 2) if raw else None
    record["pipeline_to_raw_ratio"] = (
        round(record["sentences_per_s"] / raw, 4) if raw and record["sentences_per_s"] else None
    )
    record["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return record
