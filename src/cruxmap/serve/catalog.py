"""Read access to the store for the web app: runs, maps (cached), and search over sources and claims.

The store's full-text index covers source texts; claims are matched here, word by word, in the
maps of the most recent runs, so no store change is needed.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from ..model import DebateMap, RunInfo

MAP_CACHE = 16  # maps kept in memory
SEARCH_RUNS = 20  # claims are searched in this many most recent runs (or the one run asked for)


class Catalog:
    def __init__(self, store):
        self.store = store
        self._maps: OrderedDict[str, DebateMap] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget cached maps (a re-analysis may have replaced a run under the same id)."""
        with self._lock:
            self._maps.clear()

    def runs(self) -> list[RunInfo]:
        return self.store.list_runs()

    def resolve(self, run_id: str) -> str:
        """The full id of the run ``run_id`` names (an id or a unique prefix); StoreError otherwise."""
        resolver = getattr(self.store, "resolve_run_id", None)
        return resolver(run_id) if resolver else self.map(run_id).run.id

    def map(self, run_id: str) -> DebateMap:
        with self._lock:
            if run_id in self._maps:
                self._maps.move_to_end(run_id)
                return self._maps[run_id]
        debate_map = self.store.load_map(run_id)
        if debate_map.run is None:  # maps saved before the run record was attached
            debate_map.run = RunInfo(id=run_id, created="", cruxmap_version="")
        with self._lock:
            self._maps[debate_map.run.id] = debate_map
            while len(self._maps) > MAP_CACHE:
                self._maps.popitem(last=False)
        return debate_map

    def run_summary(self, run: RunInfo, debate_map: DebateMap | None = None) -> dict:
        """What the runs list shows: the record plus the question and counts from the map."""
        if debate_map is None:
            debate_map = self.map(run.id)
        return {
            "id": run.id, "created": run.created, "cruxmap_version": run.cruxmap_version,
            "question": debate_map.question.question,
            "hypotheses": len(debate_map.hypotheses), "sources": len(debate_map.sources),
            "claims": len(debate_map.claims), "key_points": len(debate_map.key_points),
            "cruxes": len(debate_map.cruxes), "failures": len(debate_map.failures),
            "inputs": len(run.inputs), "paths": [str(p) for p in run.options.get("paths") or []],
            "parent": run.parent, "kind": run.kind,
        }

    def search(self, query: str, limit: int = 20, run_id: str | None = None) -> dict:
        """Sources (from the store's full-text index) and claims containing every word of ``query``."""
        words = [w.lower() for w in re.findall(r"\w+", query)]
        if not words:
            return {"query": query, "sources": [], "claims": []}
        maps = [self.map(run_id)] if run_id else [self.map(r.id) for r in self.runs()[:SEARCH_RUNS]]
        runs_of: dict[str, list[str]] = {}
        for m in maps:
            for s in m.sources:
                runs_of.setdefault(s.id, []).append(m.run.id)
        sources = []
        for source_id, snippet in self.store.search(query, limit=limit if not run_id else 10 * limit):
            if run_id and source_id not in runs_of:
                continue
            source = self.store.get_source(source_id)
            sources.append({"source_id": source_id, "title": source.title if source else None,
                            "path": source.path if source else None, "snippet": snippet,
                            "runs": runs_of.get(source_id, [])})
            if len(sources) >= limit:
                break
        patterns = [re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE) for w in words]
        claims, seen = [], set()
        for m in maps:
            titles = {s.id: s.title or s.path for s in m.sources}
            for claim in m.claims:
                key = (claim.source_id, claim.start, claim.end)
                if key in seen or not all(p.search(claim.text) for p in patterns):
                    continue
                seen.add(key)
                claims.append({"run_id": m.run.id, "claim_id": claim.id, "source_id": claim.source_id,
                               "source_title": titles.get(claim.source_id), "text": claim.text,
                               "start": claim.start, "end": claim.end})
                if len(claims) >= limit:
                    return {"query": query, "sources": sources, "claims": claims}
        return {"query": query, "sources": sources, "claims": claims}
