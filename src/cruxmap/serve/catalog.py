"""Read access to the store for the web app: runs, maps (cached), and search over sources, claims and quotes.

The store's full-text index covers source texts (stemmed: Porter in SQLite, Postgres' English
configuration); claims and quotes (their words and their speaker) are matched here in the maps of the
most recent runs, by Snowball English stems, so "neutrality" finds "neutral" and "enlarged" finds
"enlargement". Every hit links to its characters; facets count the hits by run and by source.

Words are not meaning: "NATO enlargement" does not hold the words of "NATO's eastward expansion".
Where the catalog has settings to make the run's embedder, a search also lists the claims **closest
in meaning** to the query (MiniLM cosine, the vectors the run already stored), each with its
similarity, from ``RELATED_MIN`` up. A query of several words works best: a single word is a poor
sentence ("enlargement" alone comes nearest to nothing above 0.25 on the seeds). The first such
search of a run reads its claim vectors from the store's cache (or computes them) once.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..model import Claim, DebateMap, Quote, RunInfo
from .cache import OnceCache

MAP_CACHE = 16  # maps kept in memory
#: the lowest cosine between a query and a claim listed as close in meaning. Chosen on the seeds and the
#: example corpus with queries written for them: multi-word queries reach 0.55-0.71 on the claims that
#: answer them ("small modular reactors" 0.71, "Putin's motives" 0.63, "NATO enlargement" 0.59); "cost
#: overruns" meets "New nuclear plants arrive years late and over budget" at 0.36; claims about something
#: else mostly stay below. Single words rarely pass it ("enlargement" alone: 0.22 at best)
RELATED_MIN = 0.35
RELATED_LIMIT = 10  # claims listed as close in meaning
JSON_CACHE = 2  # serialised maps kept in memory
SEARCH_RUNS = 20  # claims are searched in this many most recent runs (or the one run asked for)


def loaded_run(debate_map: DebateMap) -> RunInfo:
    """The run record of a map from ``Catalog.map``, which gives every map it loads one."""
    assert debate_map.run is not None, "Catalog.map attaches a run record to every map"
    return debate_map.run


class Catalog:
    def __init__(self, store, settings=None):
        self.store = store
        self.settings = settings  # to make an embedder for meaning search; None: word search only
        self._embedder = None
        self._embedding = threading.Lock()  # one embedder, one call at a time
        self._vectors: OnceCache[np.ndarray] = OnceCache(MAP_CACHE)  # run → unit claim vectors
        self._facts: OnceCache[dict] = OnceCache(MAP_CACHE)  # run → source → (year, positions)
        self._items: OnceCache[list] = OnceCache(MAP_CACHE)  # run → per claim, the items it is about
        self._maps: OnceCache[DebateMap] = OnceCache(MAP_CACHE)  # run id (or the prefix asked for) → map
        self._json: OnceCache[bytes] = OnceCache(JSON_CACHE)  # run → map.json
        self._stems: OnceCache[tuple[list[set[str]], list[set[str]]]] = OnceCache(MAP_CACHE)  # run → stems

    def clear(self) -> None:
        """Forget cached maps (a re-analysis may have replaced a run under the same id)."""
        for cache in (self._maps, self._json, self._stems, self._vectors, self._facts, self._items):
            cache.clear()

    def runs(self) -> list[RunInfo]:
        return self.store.list_runs()

    def resolve(self, run_id: str) -> str:
        """The full id of the run ``run_id`` names (an id or a unique prefix); StoreError otherwise."""
        resolver = getattr(self.store, "resolve_run_id", None)
        return resolver(run_id) if resolver else loaded_run(self.map(run_id)).id

    def map(self, run_id: str) -> DebateMap:
        """The run's map, from memory after the first load; readers who ask for a run being loaded wait for
        that one load instead of each reading and parsing the map again."""
        def load() -> DebateMap:
            debate_map = self.store.load_map(run_id)
            if debate_map.run is None:  # maps saved before the run record was attached
                debate_map.run = RunInfo(id=run_id, created="", cruxmap_version="")
            return debate_map

        debate_map = self._maps.get(run_id, load)
        if loaded_run(debate_map).id != run_id and self._maps.peek(loaded_run(debate_map).id) is None:
            self._maps.put(loaded_run(debate_map).id, debate_map)  # asked by a prefix: the full id finds it too
        return debate_map

    def map_json(self, run_id: str) -> bytes:
        """The run's map.json, serialised once per run (a 200-article map is tens of MB: serialising it per
        request cost each reader a second of CPU and the server that much memory per request in flight)."""
        debate_map = self.map(run_id)
        return self._json.get(loaded_run(debate_map).id, lambda: debate_map.model_dump_json().encode("utf-8"))

    @property
    def meaning(self) -> bool:
        """Whether searches also read meaning (an embedder can be made and ``serve.search_meaning`` is on)."""
        return self.settings is not None and self.settings.serve.search_meaning

    def embedder(self):
        """The run-wide embedder (MiniLM), made on first use; it reads vectors the runs stored before computing
        any. Shared with the web app's corrections."""
        with self._embedding:
            if self._embedder is None:
                from ..api import run_embedder

                self._embedder = run_embedder(self.settings, self.store)
            return self._embedder

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (float32)."""
        embedder = self.embedder()
        with self._embedding:
            vectors = np.asarray(embedder.embed(texts), dtype=np.float32).reshape(len(texts), -1)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def claim_vectors(self, debate_map: DebateMap) -> np.ndarray:
        """The unit vectors of the run's claims, in claim order, computed (looked up) once per run."""
        return self._vectors.get(loaded_run(debate_map).id, lambda: self.embed([c.text for c in debate_map.claims])
                                 if debate_map.claims else np.zeros((0, 1), dtype=np.float32))

    def related_claims(self, query: str, maps: list[DebateMap], titles: dict[str, str], seen: set, limit: int,
                       keep=None) -> list[dict]:
        """The claims closest in meaning to ``query`` (cosine at least ``RELATED_MIN``), best first, leaving out
        those the word search found (``seen``) and those whose source ``keep(run_id, source_id)`` refuses;
        [] without settings for an embedder."""
        if not self.meaning or not any(m.claims for m in maps):
            return []
        target = self.embed([query])[0]
        scored = []
        for m in maps:
            if not m.claims:
                continue
            sims = self.claim_vectors(m) @ target
            for i in np.flatnonzero(sims >= RELATED_MIN):
                claim = m.claims[int(i)]
                if keep is not None and not keep(loaded_run(m).id, claim.source_id):
                    continue
                scored.append((float(sims[i]), loaded_run(m).id, claim))
        scored.sort(key=lambda s: (-s[0], s[1], s[2].id))
        out = []
        for similarity, run_id, claim in scored:
            key = ("claim", claim.source_id, claim.start, claim.end)
            if key in seen:
                continue
            seen.add(key)
            out.append({"run_id": run_id, "claim_id": claim.id, "source_id": claim.source_id,
                        "source_title": titles.get(claim.source_id), "text": claim.text, "start": claim.start,
                        "end": claim.end, "similarity": round(similarity, 3)})
            if len(out) >= limit:
                break
        return out

    def stems_of(self, debate_map: DebateMap) -> tuple[list[set[str]], list[set[str]]]:
        """The stems of every claim and of every quote (its words and its speaker), computed once per run."""
        return self._stems.get(loaded_run(debate_map).id, lambda: (
            [stems(c.text) for c in debate_map.claims],
            [stems(f"{q.text} {q.speaker or ''}") for q in debate_map.quotes]))

    def run_summary(self, run: RunInfo, debate_map: DebateMap | None = None) -> dict:
        """What the runs list shows: the record plus the question and counts from the map."""
        if debate_map is None:
            debate_map = self.map(run.id)
        paths = run.options.get("paths")  # a list of strings in every run record
        return {
            "id": run.id, "created": run.created, "cruxmap_version": run.cruxmap_version,
            "question": debate_map.question.question,
            "hypotheses": len(debate_map.hypotheses), "sources": len(debate_map.sources),
            "claims": len(debate_map.claims), "key_points": len(debate_map.key_points),
            "cruxes": len(debate_map.cruxes), "failures": len(debate_map.failures),
            "inputs": len(run.inputs), "paths": [str(p) for p in paths] if isinstance(paths, list) else [],
            "parent": run.parent, "kind": run.kind,
        }

    def claim_items(self, debate_map: DebateMap) -> list[set[str]]:
        """Per claim (in claim order), the items of the run's question it is about: those closest to it in
        meaning (MiniLM cosine; ties keep all), as the offline reader decides which claims speak to an item.
        Empty sets without meaning search."""
        if not self.meaning or not debate_map.hypotheses or not debate_map.claims:
            return [set() for _ in debate_map.claims]

        def nearest() -> list[set[str]]:
            from ..argue.aggregate import nearest_hypotheses

            ids = [h.id for h in debate_map.hypotheses]
            items = self.embed([h.statement for h in debate_map.hypotheses])
            return [{ids[k] for k in ks} for ks in nearest_hypotheses(self.claim_vectors(debate_map), items)]

        return self._items.get(loaded_run(debate_map).id, nearest)

    def source_facts(self, debate_map: DebateMap) -> dict[str, tuple[str | None, dict[str, str]]]:
        """Per source of the run: its publication year, and its position on each item where it takes one
        (support, oppose or mixed, from the source table)."""
        def facts():
            out = {s.id: ((s.published or "")[:4] or None, {}) for s in debate_map.sources}
            for st in debate_map.stances:
                if st.target == "source" and st.target_id in out and st.label in ("support", "oppose", "mixed"):
                    out[st.target_id][1][st.hypothesis_id] = st.label
            return out

        return self._facts.get(loaded_run(debate_map).id, facts)

    def search(self, query: str, limit: int = 20, run_id: str | None = None, source_id: str | None = None,
               year: str | None = None, position: str | None = None, about: str | None = None) -> dict:
        """Sources (from the store's full-text index), claims and quotes containing every word of ``query``
        (by stem), and the claims closest in meaning; optionally within one run, one source, the sources
        published in one ``year``, and (within one run) the sources that take one ``position`` ("H1:support")
        and the claims ``about`` one item (those closest to it in meaning; quotes are left out then).
        Facets count the hits by run, source, year and, within one run, position and item."""
        wanted = stems(query)
        empty = {"query": query, "sources": [], "claims": [], "quotes": [], "related": [],
                 "facets": {"runs": [], "sources": [], "years": [], "positions": [], "items": []}}
        if not wanted:
            return empty
        maps = [self.map(run_id)] if run_id else [self.map(r.id) for r in self.runs()[:SEARCH_RUNS]]
        facts = {loaded_run(m).id: self.source_facts(m) for m in maps}
        item, label = (position.split(":", 1) + [""])[:2] if position else ("", "")

        def keep(run: str, sid: str) -> bool:
            """Whether a hit of source ``sid`` in run ``run`` passes the source, year and position filters."""
            if source_id and sid != source_id:
                return False
            published, positions = facts[run].get(sid, (None, {}))
            if year and published != year:
                return False
            return not position or positions.get(item) == label

        runs_of: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for m in maps:
            for s in m.sources:
                runs_of.setdefault(s.id, []).append(loaded_run(m).id)
                titles.setdefault(s.id, s.title or s.path)
        paths = {s.id: s.path for m in maps for s in m.sources}
        narrowed = run_id or source_id or year or position
        sources = []
        for sid, snippet in self.store.search(query, limit=10 * limit if narrowed else limit):
            if (run_id and sid not in runs_of) or (
                    (year or position) and not any(keep(r, sid) for r in runs_of.get(sid, []))) or (
                    source_id and sid != source_id):
                continue
            title: str | None
            path: str | None
            if sid in paths:  # named from the maps in memory, not by reading the stored article again
                title, path = titles.get(sid), paths[sid]
            else:
                source = self.store.get_source(sid)
                title, path = (source.title, source.path) if source else (None, None)
            sources.append({"source_id": sid, "title": title, "path": path, "snippet": snippet,
                            "runs": runs_of.get(sid, [])})
            if len(sources) >= limit:
                break
        claims: list[dict] = []
        quotes: list[dict] = []
        seen: set = set()
        by_run: Counter = Counter()
        by_source: Counter = Counter()
        by_year: Counter = Counter()
        by_position: Counter = Counter()
        by_item: Counter = Counter()
        one_run = len(maps) == 1
        for m in maps:
            claim_stems, quote_stems = self.stems_of(m)
            about_items = self.claim_items(m) if one_run else [set() for _ in m.claims]
            groups: tuple[tuple[str, Sequence[Claim | Quote], list[set[str]]], ...] = (
                ("claim", m.claims, claim_stems), ("quote", m.quotes, quote_stems))
            for kind, items, item_stems in groups:
                for n, (item_, found) in enumerate(zip(items, item_stems)):
                    if not wanted <= found or not keep(loaded_run(m).id, item_.source_id):
                        continue
                    if about and (kind != "claim" or about not in about_items[n]):
                        continue
                    key = (kind, item_.source_id, item_.start, item_.end)
                    if key in seen:
                        continue
                    seen.add(key)
                    by_run[loaded_run(m).id] += 1
                    by_source[item_.source_id] += 1
                    published, positions = facts[loaded_run(m).id].get(item_.source_id, (None, {}))
                    if published:
                        by_year[published] += 1
                    for hid, side in positions.items():
                        by_position[f"{hid}:{side}"] += 1
                    if kind == "claim":
                        for hid in about_items[n]:
                            by_item[hid] += 1
                    hit = {"run_id": loaded_run(m).id, "source_id": item_.source_id,
                           "source_title": titles.get(item_.source_id),
                           "text": item_.text, "start": item_.start, "end": item_.end}
                    if kind == "claim" and len(claims) < limit:
                        claims.append({**hit, "claim_id": item_.id})
                    elif isinstance(item_, Quote) and len(quotes) < limit:
                        quotes.append({**hit, "quote_id": item_.id, "speaker": item_.speaker,
                                       "speaker_type": item_.speaker_type})
        statements = {h.id: h.statement for h in maps[0].hypotheses} if len(maps) == 1 else {}
        facets = {"runs": [{"run_id": r, "hits": n} for r, n in by_run.most_common()],
                  "sources": [{"source_id": sid, "title": titles.get(sid), "hits": n}
                              for sid, n in by_source.most_common(20)],
                  "years": [{"year": y, "hits": n} for y, n in sorted(by_year.items())],
                  # items are a run's own (H1 of one question is not H1 of another): only within one run
                  "positions": [{"position": p, "item": p.split(":")[0], "side": p.split(":")[1],
                                 "statement": statements.get(p.split(":")[0]), "hits": n}
                                for p, n in sorted(by_position.items())] if one_run else [],
                  "items": [{"item": hid, "statement": statements.get(hid), "hits": n}
                            for hid, n in sorted(by_item.items())]}
        shown = min(limit, RELATED_LIMIT)
        related = self.related_claims(query, maps, titles, seen, 3 * shown if about else shown, keep)
        if about:  # the claims about that item among those closest in meaning
            claim_about = dict(zip((c.id for c in maps[0].claims), self.claim_items(maps[0]))) if one_run else {}
            related = [r for r in related if about in claim_about.get(r["claim_id"], set())][:shown]
        return {"query": query, "sources": sources, "claims": claims, "quotes": quotes, "related": related,
                "facets": facets}

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
