"""Clustering internals: nearest-centroid assignment without copying the rows it reads."""

from __future__ import annotations

import numpy as np

from cruxmap.map.cluster import _nearest


def test_nearest_centroid_of_chosen_rows_gathers_them_a_block_at_a_time():
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((50, 8)).astype(np.float32)
    centroids = rng.standard_normal((4, 8)).astype(np.float32)
    rows = np.array([3, 7, 8, 20, 21, 22, 40, 49])
    best, sims = _nearest(vectors, centroids, rows, block=3)  # blocks that cut the rows unevenly
    whole = vectors[rows] @ centroids.T
    assert best.tolist() == whole.argmax(1).tolist()
    np.testing.assert_allclose(sims, whole.max(1), rtol=1e-6)
    all_best, _ = _nearest(vectors, centroids, block=16)
    assert all_best.tolist() == (vectors @ centroids.T).argmax(1).tolist()
