"""map stage: key points, camps, contradictions, the ACH matrix and cruxes over the whole corpus.

Entry points: ``build_map(debate_map, embedder, overrides_path=..., settings=...)`` and
``map_tables(debate_map)``. Importing this package does not import torch.
"""

from .build import MapOptions, build_map, map_tables

__all__ = ["MapOptions", "build_map", "map_tables"]
