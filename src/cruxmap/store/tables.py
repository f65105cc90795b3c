"""The map as data: every part of a run in real, indexed SQL tables, the same in SQLite and Postgres.

map.json stays the exchange format and the run's blob stays what ``load_map`` reads; these tables are
a second, queryable copy written with each run, so datasette, pandas, BI tools or plain SQL see
sources, claims, stances, quotes, events, key points, camps, contradictions, the ACH matrix, cruxes
and the analyst's corrections. Every row carries ``run_id`` and ``position`` (its place in map.json's
list). Offsets are ``char_start`` / ``char_end`` (``end`` is an SQL keyword); list- and dict-valued
fields are JSON text. Source texts are in ``sources.text`` (join on ``source_id``).

``MAP_TABLES`` is frozen with the migration that created it (4): a model field added later needs a
new migration that adds its column (``tests/test_map_tables.py`` fails until it has one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from pydantic import BaseModel

from ..model import DebateMap, Document

T, I, R, B, J = "TEXT", "INTEGER", "REAL", "BOOLEAN", "JSON"
SPAN = [("source_id", "source_id", T), ("char_start", "start", I), ("char_end", "end", I)]

#: table → (the map.json list it holds, [(column, model field, type)]); derived tables have no field list
MAP_TABLES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "source_meta": ("sources", [
        ("source_id", "id", T), ("sha256", "sha256", T), ("path", "path", T), ("format", "format", T),
        ("title", "title", T), ("author", "author", T), ("outlet", "outlet", T), ("published", "published", T),
        ("url", "url", T), ("language", "language", T), ("removed", "removed", J), ("alignment", "alignment", J),
        ("duplicates", "duplicates", J), ("metadata_origin", "metadata_origin", J)]),
    "sentences": ("sentences", [("sentence_id", "id", T), *SPAN, ("text", "text", T)]),
    "entities": ("entities", [*SPAN, ("text", "text", T), ("label", "label", T), ("canonical", "canonical", T)]),
    "quotes": ("quotes", [
        ("quote_id", "id", T), *SPAN, ("text", "text", T), ("speaker", "speaker", T),
        ("speaker_role", "speaker_role", T), ("speaker_type", "speaker_type", T), ("direct", "direct", B),
        ("cue", "cue", T), ("speaker_start", "speaker_start", I), ("speaker_end", "speaker_end", I)]),
    "events": ("events", [
        ("event_id", "id", T), *SPAN, ("date_text", "date_text", T), ("date", "date", T), ("anchor", "anchor", T),
        ("description", "description", T), ("sentence_id", "sentence_id", T)]),
    "claims": ("claims", [
        ("claim_id", "id", T), *SPAN, ("sentence_id", "sentence_id", T), ("text", "text", T), ("score", "score", R)]),
    "hypotheses": ("hypotheses", [
        ("hypothesis_id", "id", T), ("statement", "statement", T), ("kind", "kind", T), ("suggested", "suggested", B),
        ("support_examples", "support_examples", J), ("oppose_examples", "oppose_examples", J),
        ("taught_support", "taught_support", J), ("taught_oppose", "taught_oppose", J)]),
    "stances": ("stances", [
        ("target", "target", T), ("target_id", "target_id", T), ("hypothesis_id", "hypothesis_id", T),
        ("label", "label", T), ("score", "score", R), ("claim_ids", "claim_ids", J), ("evidence", "evidence", J),
        ("note", "note", T), ("analyst", "analyst", B), ("machine_label", "machine_label", T),
        ("machine_score", "machine_score", R)]),
    "key_points": ("key_points", [
        ("key_point_id", "id", T), ("label", "label", T), ("claim_ids", "claim_ids", J),
        ("source_ids", "source_ids", J), ("stance_split", "stance_split", J)]),
    "key_point_claims": ("key_points[].claim_ids", []),
    "contradictions": ("contradictions", [
        ("claim_a", "a", T), ("claim_b", "b", T), ("score", "score", R), ("kind", "kind", T),
        ("hypothesis_id", "hypothesis_id", T)]),
    "ach_rows": ("ach.rows", [
        ("evidence_id", "evidence_id", T), ("evidence_kind", "evidence_kind", T), ("source_id", "source_id", T),
        ("text", "text", T), ("diagnosticity", "diagnosticity", R), ("credibility", "credibility", T),
        ("relevance", "relevance", T), ("weight_note", "weight_note", T)]),
    "ach_cells": ("ach.rows[].cells", [
        ("hypothesis_id", "hypothesis_id", T), ("rating", "rating", T), ("score", "score", R),
        ("overridden", "overridden", B), ("note", "note", T)]),
    "ach_ranking": ("ach.ranking", []),
    "cruxes": ("cruxes", [
        ("crux_id", "id", T), ("statement", "statement", T), ("sides", "sides", J), ("evidence", "evidence", J),
        ("diagnostic_evidence", "diagnostic_evidence", J), ("kind", "kind", T), ("hypothesis_id", "hypothesis_id", T),
        ("key_point_id", "key_point_id", T), ("score", "score", R)]),
    "camps": ("camps", [
        ("camp_id", "id", T), ("source_ids", "source_ids", J), ("positions", "positions", J), ("note", "note", T),
        ("unplaced", "unplaced", B), ("stability", "stability", R)]),
    "camp_sources": ("camps[].source_ids", []),
    "run_corrections": ("corrections", [
        ("correction_id", "id", T), ("kind", "kind", T), ("source_id", "source_id", T), ("char_start", "start", I),
        ("char_end", "end", I), ("text", "text", T), ("hypothesis_id", "hypothesis_id", T),
        ("hypothesis", "hypothesis", T), ("value", "value", T), ("other_source_id", "other_source_id", T),
        ("other_start", "other_start", I), ("other_end", "other_end", I), ("other_text", "other_text", T),
        ("who", "who", T), ("made", "when", T), ("why", "why", T)]),
    "map_meta": ("the map's own fields", []),
}

#: the derived tables' columns (no model behind them)
DERIVED = {
    "key_point_claims": [("key_point_id", T), ("claim_id", T)],
    "camp_sources": [("camp_id", T), ("source_id", T)],
    "ach_ranking": [("hypothesis_id", T), ("rank", R), ("inconsistency", R), ("consistency", R), ("extra", J)],
    "map_meta": [("schema_version", T), ("question", T), ("exclusive", B), ("ach_sensitivity", J),
                 ("ach_left_out", I)],
}
#: extra leading columns of a table (besides run_id and position)
LEADING = {"ach_cells": [("evidence_id", T)]}
#: indexes worth having: table → columns after run_id
INDEXES = {"source_meta": ["source_id"], "sentences": ["source_id"], "entities": ["source_id"],
           "quotes": ["source_id"], "events": ["source_id"], "claims": ["source_id"],
           "stances": ["target_id", "hypothesis_id"], "key_point_claims": ["claim_id"],
           "ach_cells": ["evidence_id"], "camp_sources": ["source_id"], "run_corrections": ["source_id"]}
#: the per-document tables (written a document at a time); the rest come from the corpus steps
DOCUMENT_TABLES = ("source_meta", "sentences", "entities", "quotes", "events", "claims", "stances")


def columns(table: str) -> list[tuple[str, str]]:
    """(column, type) of a table, after run_id and position."""
    if table in DERIVED:
        return DERIVED[table]
    return [*LEADING.get(table, []), *((c, t) for c, _f, t in MAP_TABLES[table][1])]


def ddl(engine: str) -> str:
    """CREATE TABLE / INDEX statements of the map tables for ``sqlite`` or ``postgres``."""
    types = {T: "TEXT", I: "INTEGER", R: "REAL" if engine == "sqlite" else "DOUBLE PRECISION",
             B: "INTEGER" if engine == "sqlite" else "BOOLEAN", J: "TEXT"}
    out = []
    for table in MAP_TABLES:
        cols = ",\n    ".join(f"{c} {types[t]}" for c, t in columns(table))
        out.append(f"CREATE TABLE {table} (\n    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
                   f"    position INTEGER NOT NULL,\n    {cols},\n    PRIMARY KEY (run_id, position)\n);")
        if table in INDEXES:
            out.append(f"CREATE INDEX {table}_by_{'_'.join(INDEXES[table])} ON {table}"
                       f"(run_id, {', '.join(INDEXES[table])});")
    out.append("ALTER TABLE runs ADD COLUMN tables_written INTEGER NOT NULL DEFAULT 0;")
    return "\n".join(out) + "\n"


def _value(value, kind: str):
    if kind == J:
        if isinstance(value, BaseModel):
            value = value.model_dump()
        elif isinstance(value, list):
            value = [v.model_dump() if isinstance(v, BaseModel) else v for v in value]
        return json.dumps(value, ensure_ascii=False)
    if kind == B:
        return None if value is None else bool(value)
    return value


def _rows(items: Iterable[BaseModel], table: str, start: int = 0) -> Iterator[tuple]:
    spec = MAP_TABLES[table][1]
    for n, item in enumerate(items, start=start):
        yield (n, *(_value(getattr(item, field), kind) for _c, field, kind in spec))


class Positions:
    """The next position per table, so rows written a document at a time follow map.json's order."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str, count: int) -> int:
        at = self.next.get(table, 0)
        self.next[table] = at + count
        return at


def document_rows(doc: Document, positions: Positions) -> dict[str, list[tuple]]:
    """Rows of one document's layers (sources, sentences, entities, quotes, events, claims, stances)."""
    layers: dict[str, Sequence[BaseModel]] = {
        "source_meta": [doc.source], "sentences": doc.sentences, "entities": doc.entities, "quotes": doc.quotes,
        "events": doc.events, "claims": doc.claims, "stances": doc.stances}
    return {table: list(_rows(items, table, positions.take(table, len(items)))) for table, items in layers.items()}


def corpus_rows(m: DebateMap) -> dict[str, list[tuple]]:
    """Rows of the corpus-level parts: hypotheses, key points, contradictions, ACH, cruxes, camps, corrections."""
    from ..map.build import hypotheses_of

    out = {
        "hypotheses": list(_rows(hypotheses_of(m), "hypotheses")),
        "key_points": list(_rows(m.key_points, "key_points")),
        "contradictions": list(_rows(m.contradictions, "contradictions")),
        "ach_rows": list(_rows(m.ach.rows, "ach_rows")),
        "cruxes": list(_rows(m.cruxes, "cruxes")),
        "camps": list(_rows(m.camps, "camps")),
        "run_corrections": list(_rows(m.corrections, "run_corrections")),
    }
    cells, n = [], 0
    for row in m.ach.rows:
        for (pos, *values) in _rows(row.cells, "ach_cells", n):
            cells.append((pos, row.evidence_id, *values))
        n += len(row.cells)
    out["ach_cells"] = cells
    out["key_point_claims"] = [(n, kp.id, cid) for n, (kp, cid) in
                               enumerate((kp, c) for kp in m.key_points for c in kp.claim_ids)]
    out["camp_sources"] = [(n, camp.id, sid) for n, (camp, sid) in
                           enumerate((camp, s) for camp in m.camps for s in camp.source_ids)]
    known = {"hypothesis_id", "rank", "inconsistency", "consistency"}
    out["ach_ranking"] = [(n, str(r.get("hypothesis_id")), r.get("rank"), r.get("inconsistency"),
                           r.get("consistency"), json.dumps({k: v for k, v in r.items() if k not in known}))
                          for n, r in enumerate(m.ach.ranking)]
    out["map_meta"] = [(0, m.schema_version, m.question.question, bool(m.question.exclusive),
                        json.dumps(m.ach.sensitivity), m.ach.left_out)]
    return out


def insert_statement(table: str) -> str:
    names = ["run_id", "position", *(c for c, _t in columns(table))]
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"


def map_rows(m: DebateMap) -> Iterator[tuple[str, list[tuple]]]:
    """Every table's rows for a whole map (the per-document tables from its lists, in map.json's order)."""
    layers: dict[str, Sequence[BaseModel]] = {
        "source_meta": m.sources, "sentences": m.sentences, "entities": m.entities, "quotes": m.quotes,
        "events": m.events, "claims": m.claims, "stances": m.stances}
    for table, items in layers.items():
        yield table, list(_rows(items, table))
    yield from corpus_rows(m).items()


def streamed_rows(docs: Iterable[Document], corpus: DebateMap) -> Iterator[tuple[str, list[tuple]]]:
    """The same rows for a run whose documents arrive one at a time (memory stays flat)."""
    positions = Positions()
    for doc in docs:
        yield from document_rows(doc, positions).items()
    yield from corpus_rows(corpus).items()
