"""``cruxmap bench cluster``: how the key-point clustering cost grows with the number of claims.

Sentences of a real news corpus stand in for claims (the clustering sees only their vectors,
and running claim detection over 40,000 sentences would time the wrong stage). They are
embedded once with the configured embedder (through the store's content-hash cache when one is
given, so a second run skips that), then for each size n the first n vectors are clustered
exactly as ``map/keypoints.py`` does (``cluster_vectors``) and the wall time is recorded with
``time / (n log n)`` normalised to the smallest size: a ratio that stays flat or falls means the
growth is no worse than n log n. BERTopic (the ``bertopic`` package, when installed) is timed on
the same vectors as a peer reference; it is given the embeddings, so neither side pays for them.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..argue.features import split_sentences

MIN_CHARS = 40  # shorter fragments (datelines, captions) are not claim-like


def corpus_sentences(path: Path, limit: int) -> list[str]:
    """The first ``limit`` distinct sentences of at least ``MIN_CHARS`` characters, in corpus order."""
    seen: dict[str, None] = {}
    for text in _texts(path):
        for sentence in split_sentences(text, limit=10_000):
            if len(sentence) >= MIN_CHARS:
                seen.setdefault(sentence, None)
                if len(seen) >= limit:
                    return list(seen)
    return list(seen)


def _texts(path: Path) -> Iterator[str]:
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    for file in files:
        with open(file, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    yield str(row.get("content_original") or row.get("content") or row.get("text") or row.get("body") or "")


def time_cluster(vectors: np.ndarray) -> tuple[float, int]:
    from ..map.cluster import cluster_vectors

    started = time.perf_counter()
    clustering = cluster_vectors(vectors)
    return time.perf_counter() - started, len(set(clustering.labels.tolist()))


def time_bertopic(sentences: list[str], vectors: np.ndarray) -> tuple[float | None, int | None]:
    """BERTopic's default pipeline (UMAP → HDBSCAN → c-TF-IDF) on precomputed embeddings."""
    try:
        from bertopic import BERTopic
    except ImportError:
        return None, None
    model = BERTopic(embedding_model=None, calculate_probabilities=False, verbose=False)
    started = time.perf_counter()
    topics, _ = model.fit_transform(sentences, embeddings=vectors)
    return time.perf_counter() - started, len(set(topics))


def measure_cluster_scaling(embedder, path: Path, sizes: list[int], bertopic: bool = True) -> list[dict]:
    """One row per size: seconds, clusters, normalised cost per n log n, and BERTopic's time."""
    sentences = corpus_sentences(path, max(sizes))
    vectors = np.asarray(embedder.embed(sentences), dtype=np.float32)
    rows, base = [], None
    for n in sorted(sizes):
        if n > len(sentences):
            break
        seconds, clusters = time_cluster(vectors[:n])
        per = seconds / (n * math.log(n))
        base = base or per
        row = {"claims": n, "seconds": round(seconds, 3), "clusters": clusters,
               "cost_per_nlogn_vs_smallest": round(per / base, 3),
               "bertopic_seconds": None, "bertopic_topics": None}
        if bertopic:
            bt_seconds, topics = time_bertopic(sentences[:n], vectors[:n])
            row["bertopic_seconds"] = None if bt_seconds is None else round(bt_seconds, 3)
            row["bertopic_topics"] = topics
        rows.append(row)
    return rows
