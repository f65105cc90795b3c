"""Scale-out engines. ``ray_engine.analyze_ray`` runs the per-document stages on a Ray cluster.

Nothing here imports Ray at import time; Ray is an optional extra (``pip install 'cruxmap[ray]'``).
"""
