"""User overrides of ACH cells, kept in a small YAML or JSON file that survives re-runs.

The file is a list of ``{evidence_id, hypothesis_id, rating, note}`` (a cell's rating) and
``{evidence_id, credibility, relevance, note}`` (a row's weights, each high / medium / low), or
``{"overrides": [...]}`` holding them.
Overrides are applied after automatic scoring, so a re-run re-scores everything and then
re-applies the user's judgement; an override whose evidence or hypothesis no longer exists is
returned as *stale* (and reported by the caller) rather than silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..model import AchRating, Weight

RATINGS: tuple[AchRating, ...] = ("CC", "C", "N", "I", "II", "NA")
WEIGHTS: tuple[Weight, ...] = ("high", "medium", "low")
#: the score an overridden cell shows (the nominal value of its rating)
RATING_SCORE = {"CC": 1.0, "C": 0.5, "N": 0.0, "I": -0.5, "II": -1.0, "NA": 0.0}


@dataclass(frozen=True)
class Override:
    evidence_id: str
    hypothesis_id: str | None = None  # with ``rating``: one cell
    rating: AchRating | None = None
    note: str | None = None
    credibility: Weight | None = None  # a row's weights
    relevance: Weight | None = None


def checked_rating(value: str | None) -> AchRating:
    """``value`` as an ACH rating, for values checked where they were entered."""
    if value in RATINGS:
        return value
    raise ValueError(f"ACH rating {value!r} is none of {', '.join(RATINGS)}")


def checked_weight(value: str | None) -> Weight:
    """``value`` as a row's weight, for values checked where they were entered."""
    if value in WEIGHTS:
        return value
    raise ValueError(f"weight {value!r} is none of {', '.join(WEIGHTS)}")


def _parse(text: str, path: Path) -> object:
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            import yaml
        except ImportError as err:
            raise ConfigError("YAML override files need PyYAML", path=str(path),
                              fix="pip install pyyaml, or write the overrides as JSON") from err
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise ConfigError(f"invalid YAML: {str(err).splitlines()[0]}", path=str(path),
                              fix="fix the syntax of the overrides file") from err
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"invalid JSON: {err.msg} at line {err.lineno}", path=str(path),
                          fix="fix the syntax of the overrides file") from err


def load_overrides(path: str | Path) -> list[Override]:
    """Read and check an overrides file; errors name the entry and the fix."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("ACH overrides file not found", path=str(path), fix="give an existing JSON or YAML file")
    data = _parse(path.read_text(encoding="utf-8"), path) or []
    if isinstance(data, dict):
        data = data.get("overrides", [])
    if not isinstance(data, list):
        raise ConfigError("overrides must be a list of {evidence_id, hypothesis_id, rating, note}", path=str(path),
                          fix="put the entries in a top-level list")
    out = []
    for n, entry in enumerate(data, start=1):
        weighted = isinstance(entry, dict) and (entry.get("credibility") or entry.get("relevance"))
        if not isinstance(entry, dict) or not entry.get("evidence_id") or not (entry.get("hypothesis_id") or weighted):
            raise ConfigError(f"entry {n} needs evidence_id and hypothesis_id (a cell) or credibility/relevance "
                              "(a row's weights)", path=str(path),
                              fix="copy the ids from map.json (ach.rows[].evidence_id, hypotheses[].id)")
        rating: AchRating | None = None
        if entry.get("hypothesis_id"):
            given = str(entry.get("rating", "")).upper().replace("N/A", "NA")
            if given not in RATINGS:
                raise ConfigError(f"entry {n} has rating {entry.get('rating')!r}", path=str(path),
                                  fix=f"use one of {', '.join(RATINGS)} (NA: not applicable)")
            rating = given
        note = entry.get("note")
        hypothesis = entry.get("hypothesis_id")
        out.append(Override(str(entry["evidence_id"]), str(hypothesis) if hypothesis else None, rating,
                            str(note) if note is not None else None,
                            credibility=_weight(entry, "credibility", n, path),
                            relevance=_weight(entry, "relevance", n, path)))
    return out


def _weight(entry: dict, name: str, n: int, path: Path) -> Weight | None:
    """Entry ``n``'s credibility or relevance, if it sets one."""
    value = entry.get(name)
    if value is None:
        return None
    weight = str(value).lower()
    if weight not in WEIGHTS:
        raise ConfigError(f"entry {n} has {name} {value!r}", path=str(path), fix=f"use one of {', '.join(WEIGHTS)}")
    return weight


def save_overrides(overrides: list[Override], path: str | Path) -> None:
    """Write overrides as JSON (sorted, so the file diffs cleanly)."""
    rows = [{k: v for k, v in (("evidence_id", o.evidence_id), ("hypothesis_id", o.hypothesis_id), ("rating", o.rating),
                               ("credibility", o.credibility), ("relevance", o.relevance), ("note", o.note))
             if v is not None or k == "note"}
            for o in sorted(overrides, key=lambda o: (o.evidence_id, o.hypothesis_id or ""))]
    Path(path).write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
