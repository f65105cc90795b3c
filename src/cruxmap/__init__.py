"""cruxmap: an evidence-backed map of a contested question from the articles that argue it.

From Python::

    import cruxmap
    m = cruxmap.analyze(["articles/"], question="question.yaml")   # a DebateMap (map.json)
    f = m.frames()                                                 # pandas DataFrames, joins done
    f.positions[f.positions.label != "none"]                       # who stands where
    m = cruxmap.load("run-1a2b")                                   # a recorded run, or an --out folder

``analyze``, ``load``, ``correct``, ``runs``, ``report`` and ``export`` are ``cruxmap.api``'s; importing
this package loads no model.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: the names ``import cruxmap`` offers, from ``cruxmap.api`` (imported on first use)
_API = {"analyze": "analyze", "load": "load_map", "correct": "correct", "runs": "list_runs",
        "report": "write_report", "export": "export", "write_map": "write_map"}

__all__ = ["__version__", *_API]  # noqa: PLE0604 (the keys of _API are the names)


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, _API[name])
    raise AttributeError(f"module 'cruxmap' has no attribute {name!r}")
