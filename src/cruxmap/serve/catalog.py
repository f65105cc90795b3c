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
JSON_CACHE = 2  # serialised maps kept in memory
SEARCH_RUNS = 20  # claims are searched in this many most recent runs (or the one run asked for)


class Catalog:
    def __init__(self, store):
        self.store = store
        self._maps: OrderedDict[str, DebateMap] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}  # one load per run at a time (many readers arrive at once)
        self._stems: dict[str, tuple[list[set[str]], list[set[str]]]] = {}  # run → claim and quote stems
        self._json: OrderedDict[str, bytes] = OrderedDict()  # run → map.json

    def clear(self) -> None:
        """Forget cached maps (a re-analysis may have replaced a run under the same id)."""
        with self._lock:
            self._maps.clear()
            self._stems.clear()
            self._json.clear()

    def runs(self) -> list[RunInfo]:
        return self.store.list_runs()

    def resolve(self, run_id: str) -> str:
        """The full id of the run ``run_id`` names (an id or a unique prefix); StoreError otherwise."""
        resolver = getattr(self.store, "resolve_run_id", None)
        return resolver(run_id) if resolver else self.map(run_id).run.id

    def map(self, run_id: str) -> DebateMap:
        """The run's map, from memory after the first load; readers who ask for a run being loaded wait for
        that one load instead of each reading and parsing the map again."""
        with self._lock:
            if run_id in self._maps:
                self._maps.move_to_end(run_id)
                return self._maps[run_id]
            loading = self._loading.setdefault(run_id, threading.Lock())
        with loading:
            with self._lock:
                if run_id in self._maps:
                    return self._maps[run_id]
            debate_map = self.store.load_map(run_id)
            if debate_map.run is None:  # maps saved before the run record was attached
                debate_map.run = RunInfo(id=run_id, created="", cruxmap_version="")
            with self._lock:
                self._maps[debate_map.run.id] = debate_map
                self._maps[run_id] = debate_map  # a prefix finds it too
                while len(self._maps) > MAP_CACHE:
                    self._maps.popitem(last=False)
                self._loading.pop(run_id, None)
        return debate_map

    def map_json(self, run_id: str) -> bytes:
        """The run's map.json, serialised once per run (a 200-article map is tens of MB: serialising it per
        request cost each reader a second of CPU and the server that much memory per request in flight)."""
        debate_map = self.map(run_id)
        key = debate_map.run.id
        with self._lock:
            found = self._json.get(key)
        if found is None:
            found = debate_map.model_dump_json().encode("utf-8")
            with self._lock:
                self._json[key] = found
                while len(self._json) > JSON_CACHE:
                    self._json.popitem(last=False)
        return found

    def stems_of(self, debate_map: DebateMap) -> tuple[list[set[str]], list[set[str]]]:
        """The stems of every claim and of every quote (its words and its speaker), computed once per run."""
        key = debate_map.run.id
        with self._lock:
            found = self._stems.get(key)
        if found is None:
            found = ([stems(c.text) for c in debate_map.claims],
                     [stems(f"{q.text} {q.speaker or ''}") for q in debate_map.quotes])
            with self._lock:
                self._stems[key] = found
        return found

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
        paths = {s.id: s.path for m in maps for s in m.sources}
        sources = []
        for sid, snippet in self.store.search(query, limit=limit if not (run_id or source_id) else 10 * limit):
            if (run_id and sid not in runs_of) or (source_id and sid != source_id):
                continue
            if sid in paths:  # named from the maps in memory, not by reading the stored article again
                title, path = titles.get(sid), paths[sid]
            else:
                source = self.store.get_source(sid)
                title, path = (source.title, source.path) if source else (None, None)
            sources.append({"source_id": sid, "title": title, "path": path, "snippet": snippet,
                            "runs": runs_of.get(sid, [])})
            if len(sources) >= limit:
                break
        claims, quotes, seen = [], [], set()
        by_run: Counter = Counter()
        by_source: Counter = Counter()
        for m in maps:
            claim_stems, quote_stems = self.stems_of(m)
            for kind, items, item_stems in (("claim", m.claims, claim_stems), ("quote", m.quotes, quote_stems)):
                for item, found in zip(items, item_stems):
                    if (source_id and item.source_id != source_id) or not wanted <= found:
                        continue
                    key = (kind, item.source_id, item.start, item.end)
                    if key in seen:
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


_LOCAL = threading.local()


def _stemmer():
    """This thread's stemmer: a Snowball stemmer keeps its word in itself, so threads must not share one."""
    found = getattr(_LOCAL, "stemmer", None)
    if found is None:
        import snowballstemmer

        found = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return found


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


def stems(text: str) -> set[str]:
    """The Snowball English stems of the words of ``text``."""
    return {stem(w) for w in _WORD.findall(text)}
