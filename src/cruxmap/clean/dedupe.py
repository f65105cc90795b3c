"""Near-duplicate detection between cleaned sources (syndicated copies, re-posts).

Each source's body is reduced to its set of word 5-shingles and sketched with MinHash;
locality-sensitive hashing proposes candidate pairs and the MinHash estimate of their
Jaccard similarity decides. Duplicates are *reported* (``Source.duplicates``), never
dropped: two outlets running the same wire story is itself information for the map.
"""

from __future__ import annotations

import re

from datasketch import MinHash, MinHashLSH

from ..model import DuplicateOf, Source

SHINGLE_WORDS = 5
NUM_PERM = 128
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word ``size``-grams of ``text`` (the whole text when it is shorter)."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def sketch(text: str, num_perm: int = NUM_PERM) -> MinHash:
    minhash = MinHash(num_perm=num_perm)
    minhash.update_batch([s.encode("utf-8") for s in shingles(text)])
    return minhash


def find_near_duplicates(sources: list[Source], threshold: float = 0.8) -> dict[str, list[DuplicateOf]]:
    """Map each source id that has near-copies to them, most similar first.

    Two sources are near-duplicates when the estimated Jaccard similarity of their word
    5-shingle sets is at least ``threshold``. Empty bodies are never duplicates, and
    entries with the same id (the very same input twice) are not paired with each other.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sketches: dict[int, MinHash] = {}
    for index, source in enumerate(sources):
        if not shingles(source.text):
            continue
        sketches[index] = sketch(source.text)
        lsh.insert(str(index), sketches[index])

    found: dict[str, dict[str, float]] = {}
    for index, minhash in sketches.items():
        for key in lsh.query(minhash):
            other = int(key)
            if other <= index or sources[other].id == sources[index].id:
                continue
            similarity = minhash.jaccard(sketches[other])
            if similarity < threshold:
                continue
            a, b = sources[index].id, sources[other].id
            found.setdefault(a, {})[b] = max(similarity, found.get(a, {}).get(b, 0.0))
            found.setdefault(b, {})[a] = max(similarity, found.get(b, {}).get(a, 0.0))
    return {
        source_id: [
            DuplicateOf(source_id=other, similarity=round(sim, 4))
            for other, sim in sorted(others.items(), key=lambda item: (-item[1], item[0]))
        ]
        for source_id, others in found.items()
    }


def attach_duplicates(sources: list[Source], threshold: float = 0.8) -> list[Source]:
    """Fill ``Source.duplicates`` of every source from ``find_near_duplicates``; returns the sources."""
    duplicates = find_near_duplicates(sources, threshold)
    for source in sources:
        source.duplicates = list(duplicates.get(source.id, []))
    return sources
