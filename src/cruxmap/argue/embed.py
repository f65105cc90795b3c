"""Sentence embeddings behind an ``Embedder`` backend.

The base class does the plumbing (input checks, de-duplication, the content-hash cache in
the store, batching by length, timing); a backend implements one method, ``embed_batch``.
Backends are found through ``cruxmap.registry`` as ``embedder.<name>.vN``. Importing this module does not import torch.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

import numpy as np

from ..registry import RegistryName, version_of
from .sharing import shared_batches

#: cached vectors read from the store per query (bounds the blobs held at once)
CACHE_SLICE = 8192


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Embedder:
    """Base embedder. Subclasses set ``name``/``dim`` and implement ``embed_batch``."""

    name = "embedder"
    dim = 0
    batch_size = 64

    def __init__(self, store=None):
        self.store = store
        self.seconds = 0.0
        self.computed = 0

    def embed_batch(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - interface
        """Return a float32 array (len(texts), dim) of L2-normalised vectors."""
        raise NotImplementedError

    def token_lengths(self, texts: list[str]) -> list[int] | None:
        """Token count of each text, if the backend can tell; used to batch without padding."""
        return None

    def _batches(self, keys: list[str], texts: dict[str, str]) -> list[list[str]]:
        """Batches of keys. With token counts, each batch holds texts of one length only, so no
        text is padded. A text's vector still depends a little on how many texts share its batch
        (the CPU kernels accumulate in another order; how much: ``docs/performance.md``). The same
        input with the same settings gives the same vectors; another chunk size or claim pre-filter
        may move a score in its 3rd-4th decimal."""
        lengths = self.token_lengths([texts[k] for k in keys]) if keys else None
        if lengths is None:
            ordered = sorted(keys, key=lambda k: len(texts[k]))  # similar lengths: less padding
            return [ordered[i : i + self.batch_size] for i in range(0, len(ordered), self.batch_size)]
        groups: dict[int, list[str]] = {}
        for key, n in zip(keys, lengths):
            groups.setdefault(n, []).append(key)
        return [group[i : i + self.batch_size] for _, group in sorted(groups.items())
                for i in range(0, len(group), self.batch_size)]

    #: the backend's one name (``embedder.minilm.v1``), from the registry (``registry.name_of``)
    registry_name = RegistryName()

    def cache_namespace(self) -> str:
        """The backend's version (``registry.version_of``): its name, and in subclasses what else makes
        its vectors differ; cached vectors are kept apart by it."""
        return version_of(self)

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """One batch's vectors as a float32 array (``embed_batch``, whatever the backend returns)."""
        return np.asarray(self.embed_batch(texts), dtype=np.float32)

    def sharing_spec(self) -> tuple | None:
        """What the annotate worker needs to compute this embedder's batches itself (``argue/sharing.py``), or
        ``None`` where it cannot (the default: a backend says so by overriding this)."""
        return None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, computing each distinct text once and re-using the store's cache.

        Vectors are written straight into the result, and cached ones are read from the store
        ``CACHE_SLICE`` keys at a time, so a corpus-sized read holds the result once, not a dict of
        blobs and a stacked copy beside it. Which texts share an embedding batch does not change."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        unique: dict[str, str] = dict(zip(keys, texts))
        rows: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            rows.setdefault(key, []).append(i)
        result: list[np.ndarray] = []  # allocated when the first vector shows its length

        def put(key: str, vector: np.ndarray) -> None:
            if not result:
                result.append(np.empty((len(texts), len(vector)), dtype=np.float32))
            result[0][rows[key]] = vector

        found: set[str] = set()
        if self.store is not None:
            names = list(unique)
            for start in range(0, len(names), CACHE_SLICE):
                for key, blob in self.store.get_cached(self.cache_namespace(), names[start:start + CACHE_SLICE]).items():
                    put(key, np.frombuffer(blob, dtype=np.float32))
                    found.add(key)
        todo = [k for k in unique if k not in found]
        started = time.perf_counter()
        fresh: dict[str, bytes] = {}
        chunks = self._batches(todo, unique)
        computed = shared_batches(self.sharing_spec(), self.embed_texts, [[unique[k] for k in c] for c in chunks])
        for chunk, batch in zip(chunks, computed):
            for key, vec in zip(chunk, batch):
                put(key, vec)
                fresh[key] = vec.tobytes()
        self.seconds += time.perf_counter() - started
        self.computed += len(todo)
        if self.store is not None and fresh:
            self.store.put_cached(self.cache_namespace(), fresh)
        return result[0]


def get_embedder(name: str = "minilm", **options) -> Embedder:
    """Create an embedder backend by name (``minilm`` → newest ``minilm.vN``); unknown names list the known ones."""
    from .. import registry

    return registry.create("embedder", name, **options)
