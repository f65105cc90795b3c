"""Read access to the store for the web app: runs, maps (cached), and search over sources, claims and quotes.

The store's full-text index covers source texts (stemmed: Porter in SQLite, Postgres' English
configuration); claims and quotes (their words and their speaker) are matched here in the maps of the
most recent runs, by Snowball English stems, so "neutrality" finds "neutral" and "enlarged" finds
"enlargement". Every hit links to its characters; facets count the hits by run and by source.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from functools import lru_cache

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

    def search(self, query: str, limit: int = 20, run_id: str | None = None, source_id: str | None = None) -> dict:
        """Sources (from the store's full-text index), claims and quotes containing every word of ``query``
        (by stem), optionally within one run and one source, with facet counts by run and by source."""
        wanted = stems(query)
        empty = {"query": query, "sources": [], "claims": [], "quotes": [], "facets": {"runs": [], "sources": []}}
        if not wanted:
            return empty
        maps = [self.map(run_id)] if run_id else [self.map(r.id) for r in self.runs()[:SEARCH_RUNS]]
        runs_of: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for m in maps:
            for s in m.sources:
                runs_of.setdefault(s.id, []).append(m.run.id)
                titles.setdefault(s.id, s.title or s.path)
        sources = []
        for sid, snippet in self.store.search(query, limit=limit if not (run_id or source_id) else 10 * limit):
            if (run_id and sid not in runs_of) or (source_id and sid != source_id):
                continue
            source = self.store.get_source(sid)
            sources.append({"source_id": sid, "title": source.title if source else None,
                            "path": source.path if source else None, "snippet": snippet, "runs": runs_of.get(sid, [])})
            if len(sources) >= limit:
                break
        claims, quotes, seen = [], [], set()
        by_run: Counter = Counter()
        by_source: Counter = Counter()
        for m in maps:
            for kind, items in (("claim", m.claims), ("quote", m.quotes)):
                for item in items:
                    if source_id and item.source_id != source_id:
                        continue
                    words = item.text if kind == "claim" else f"{item.text} {item.speaker or ''}"
                    key = (kind, item.source_id, item.start, item.end)
                    if key in seen or not wanted <= stems(words):
                        continue
                    seen.add(key)
                    by_run[m.run.id] += 1
                    by_source[item.source_id] += 1
                    hit = {"run_id": m.run.id, "source_id": item.source_id, "source_title": titles.get(item.source_id),
                           "text": item.text, "start": item.start, "end": item.end}
                    if kind == "claim" and len(claims) < limit:
                        claims.append({**hit, "claim_id": item.id})
                    elif kind == "quote" and len(quotes) < limit:
                        quotes.append({**hit, "quote_id": item.id, "speaker": item.speaker,
                                       "speaker_type": item.speaker_type})
        facets = {"runs": [{"run_id": r, "hits": n} for r, n in by_run.most_common()],
                  "sources": [{"source_id": sid, "title": titles.get(sid), "hits": n}
                              for sid, n in by_source.most_common(20)]}
        return {"query": query, "sources": sources, "claims": claims, "quotes": quotes, "facets": facets}


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


def stems(text: str) -> set[str]:
    """The Snowball English stems of the words of ``text``."""
    return {stem(w) for w in _WORD.findall(text)}
