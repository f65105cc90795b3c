"""Runs have a lineage: what changed between two runs of one corpus (positions, sources, cruxes).

A re-analysis, an upload or a set of corrections makes a new run that names its parent
(``RunInfo.parent``); ``diff_maps`` says what a reader would see change between any two maps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import DebateMap


@dataclass
class PositionChange:
    source_id: str
    source: str  # the file name, for reading
    hypothesis_id: str
    before: str
    after: str
    analyst: bool  # the new cell was set by an analyst


@dataclass
class MapDiff:
    positions: list[PositionChange] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    cruxes_added: list[str] = field(default_factory=list)
    cruxes_removed: list[str] = field(default_factory=list)
    ranking_before: list[str] = field(default_factory=list)
    ranking_after: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.positions or self.sources_added or self.sources_removed or self.cruxes_added
                    or self.cruxes_removed or self.ranking_before != self.ranking_after)

    def lines(self) -> list[str]:
        """The difference in plain sentences, one per change."""
        out = [f"{p.source}: {p.hypothesis_id} {p.before} → {p.after}" + (" (analyst)" if p.analyst else "")
               for p in self.positions]
        out += [f"new source {s}" for s in self.sources_added] + [f"source gone: {s}" for s in self.sources_removed]
        out += [f"new crux: {c}" for c in self.cruxes_added] + [f"crux gone: {c}" for c in self.cruxes_removed]
        if self.ranking_before != self.ranking_after:
            out.append(f"ACH ranking {' > '.join(self.ranking_before) or '—'} → {' > '.join(self.ranking_after) or '—'}")
        return out


def _positions(m: DebateMap) -> dict[tuple[str, str], tuple[str, bool]]:
    return {(s.target_id, s.hypothesis_id): (s.label, s.analyst) for s in m.stances if s.target == "source"}


def _ranking(m: DebateMap) -> list[str]:
    return [str(r["hypothesis_id"]) for r in sorted(m.ach.ranking, key=lambda r: float(r["rank"]))]


def diff_maps(before: DebateMap, after: DebateMap) -> MapDiff:
    """What changed from ``before`` to ``after``: source positions, sources, cruxes and the ACH ranking."""
    names = {s.id: Path(s.path).name for s in [*before.sources, *after.sources]}
    old, new = _positions(before), _positions(after)
    diff = MapDiff()
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key, ("none", False)), new.get(key, ("none", False))
        if a[0] != b[0]:
            diff.positions.append(PositionChange(key[0], names.get(key[0], key[0]), key[1], a[0], b[0], b[1]))
    ids_a, ids_b = {s.id for s in before.sources}, {s.id for s in after.sources}
    diff.sources_added = sorted(names[i] for i in ids_b - ids_a)
    diff.sources_removed = sorted(names[i] for i in ids_a - ids_b)
    cruxes_a, cruxes_b = {c.statement for c in before.cruxes}, {c.statement for c in after.cruxes}
    diff.cruxes_added = sorted(cruxes_b - cruxes_a)
    diff.cruxes_removed = sorted(cruxes_a - cruxes_b)
    diff.ranking_before, diff.ranking_after = _ranking(before), _ranking(after)
    return diff
