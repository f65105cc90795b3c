"""Scale-out engines. ``ray_engine.RayExecutor`` runs the per-document stages on a Ray cluster
(``api.analyze(…, engine="ray")``).

Nothing here imports Ray at import time; Ray is an optional extra (``pip install 'cruxmap[ray]'``).
"""
