"""The SQLite schema, as numbered migrations (see ``migrations/__init__.py``).

Keys are content hashes: a source is its raw bytes' sha256, a processed document is that
sha256 plus the pipeline's version key, a cache entry is (namespace, key). Re-running on
the same inputs therefore finds the rows it wrote before instead of adding new ones.
"""

from __future__ import annotations

from . import CACHE_NAMES, Migration, check_order

INITIAL = """
CREATE TABLE sources (
    pk          INTEGER PRIMARY KEY,  -- explicit, so VACUUM keeps the full-text index's rowids valid
    sha256      TEXT NOT NULL UNIQUE,
    source_id   TEXT NOT NULL,
    raw_text    TEXT,               -- the input as read, so removed material stays recoverable
    text        TEXT NOT NULL,      -- the cleaned body (Source.text)
    source_json TEXT NOT NULL,      -- the Source without its text
    created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX sources_by_id ON sources(source_id);

CREATE TABLE documents (
    sha256       TEXT NOT NULL REFERENCES sources(sha256) ON DELETE CASCADE,
    pipeline_key TEXT NOT NULL,
    doc_json     TEXT NOT NULL,
    created      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (sha256, pipeline_key)
);

CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     BLOB NOT NULL,
    PRIMARY KEY (namespace, key)
);  -- a rowid table: values (embeddings) are too large for WITHOUT ROWID to pay off

CREATE TABLE runs (
    id        TEXT PRIMARY KEY,
    created   TEXT NOT NULL,
    info_json TEXT NOT NULL,
    map_zlib  BLOB NOT NULL          -- zlib-compressed DebateMap JSON
);
CREATE INDEX runs_by_created ON runs(created);

CREATE TABLE run_sources (
    run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    sha256    TEXT NOT NULL REFERENCES sources(sha256),
    source_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (run_id, sha256)
);

CREATE TABLE failures (
    run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path     TEXT NOT NULL,
    stage    TEXT NOT NULL,
    error    TEXT NOT NULL,
    message  TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
"""

# Full-text search over the cleaned source texts, kept in step with `sources` by triggers.
SOURCE_SEARCH = """
CREATE VIRTUAL TABLE sources_fts USING fts5(text, content='sources', content_rowid='pk');
CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
    INSERT INTO sources_fts(rowid, text) VALUES (new.pk, new.text);
END;
CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
    INSERT INTO sources_fts(sources_fts, rowid, text) VALUES ('delete', old.pk, old.text);
END;
CREATE TRIGGER sources_fts_update AFTER UPDATE OF text ON sources BEGIN
    INSERT INTO sources_fts(sources_fts, rowid, text) VALUES ('delete', old.pk, old.text);
    INSERT INTO sources_fts(rowid, text) VALUES (new.pk, new.text);
END;
INSERT INTO sources_fts(sources_fts) VALUES ('rebuild');
"""

# The analyst's corrections (keyed by content: the same text in any run) and run lineage.
CORRECTIONS = """
CREATE TABLE corrections (
    id              TEXT PRIMARY KEY,   -- hash of the kind and the subject: a later correction replaces it
    kind            TEXT NOT NULL,
    source_id       TEXT NOT NULL,
    hypothesis      TEXT,
    value           TEXT,
    who             TEXT NOT NULL,
    made            TEXT NOT NULL,
    why             TEXT,
    correction_json TEXT NOT NULL
);
CREATE INDEX corrections_by_source ON corrections(source_id);
ALTER TABLE runs ADD COLUMN parent TEXT;
CREATE INDEX runs_by_parent ON runs(parent);
"""

# The map as data: every part of a run in real tables (``store/tables.py``), backfilled from the
# blobs of earlier runs when the store is opened.
MAP_TABLES = """
CREATE TABLE source_meta (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    source_id TEXT,
    sha256 TEXT,
    path TEXT,
    format TEXT,
    title TEXT,
    author TEXT,
    outlet TEXT,
    published TEXT,
    url TEXT,
    language TEXT,
    removed TEXT,
    alignment TEXT,
    duplicates TEXT,
    metadata_origin TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX source_meta_by_source_id ON source_meta(run_id, source_id);
CREATE TABLE sentences (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sentence_id TEXT,
    source_id TEXT,
    char_start INTEGER,
    char_end INTEGER,
    text TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX sentences_by_source_id ON sentences(run_id, source_id);
CREATE TABLE entities (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    source_id TEXT,
    char_start INTEGER,
    char_end INTEGER,
    text TEXT,
    label TEXT,
    canonical TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX entities_by_source_id ON entities(run_id, source_id);
CREATE TABLE quotes (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    quote_id TEXT,
    source_id TEXT,
    char_start INTEGER,
    char_end INTEGER,
    text TEXT,
    speaker TEXT,
    speaker_role TEXT,
    speaker_type TEXT,
    direct INTEGER,
    cue TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX quotes_by_source_id ON quotes(run_id, source_id);
CREATE TABLE events (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    event_id TEXT,
    source_id TEXT,
    char_start INTEGER,
    char_end INTEGER,
    date_text TEXT,
    date TEXT,
    anchor TEXT,
    description TEXT,
    sentence_id TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX events_by_source_id ON events(run_id, source_id);
CREATE TABLE claims (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    claim_id TEXT,
    source_id TEXT,
    char_start INTEGER,
    char_end INTEGER,
    sentence_id TEXT,
    text TEXT,
    score REAL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX claims_by_source_id ON claims(run_id, source_id);
CREATE TABLE hypotheses (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    hypothesis_id TEXT,
    statement TEXT,
    kind TEXT,
    suggested INTEGER,
    support_examples TEXT,
    oppose_examples TEXT,
    taught_support TEXT,
    taught_oppose TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE stances (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    target TEXT,
    target_id TEXT,
    hypothesis_id TEXT,
    label TEXT,
    score REAL,
    claim_ids TEXT,
    evidence TEXT,
    note TEXT,
    analyst INTEGER,
    machine_label TEXT,
    machine_score REAL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX stances_by_target_id_hypothesis_id ON stances(run_id, target_id, hypothesis_id);
CREATE TABLE key_points (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key_point_id TEXT,
    label TEXT,
    claim_ids TEXT,
    source_ids TEXT,
    stance_split TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE key_point_claims (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key_point_id TEXT,
    claim_id TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX key_point_claims_by_claim_id ON key_point_claims(run_id, claim_id);
CREATE TABLE contradictions (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    claim_a TEXT,
    claim_b TEXT,
    score REAL,
    kind TEXT,
    hypothesis_id TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE ach_rows (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    evidence_id TEXT,
    evidence_kind TEXT,
    source_id TEXT,
    text TEXT,
    diagnosticity REAL,
    credibility TEXT,
    relevance TEXT,
    weight_note TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE ach_cells (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    evidence_id TEXT,
    hypothesis_id TEXT,
    rating TEXT,
    score REAL,
    overridden INTEGER,
    note TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX ach_cells_by_evidence_id ON ach_cells(run_id, evidence_id);
CREATE TABLE ach_ranking (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    hypothesis_id TEXT,
    rank REAL,
    inconsistency REAL,
    consistency REAL,
    extra TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE cruxes (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    crux_id TEXT,
    statement TEXT,
    sides TEXT,
    evidence TEXT,
    diagnostic_evidence TEXT,
    kind TEXT,
    hypothesis_id TEXT,
    key_point_id TEXT,
    score REAL,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE camps (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    camp_id TEXT,
    source_ids TEXT,
    positions TEXT,
    note TEXT,
    unplaced INTEGER,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE camp_sources (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    camp_id TEXT,
    source_id TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX camp_sources_by_source_id ON camp_sources(run_id, source_id);
CREATE TABLE run_corrections (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    correction_id TEXT,
    kind TEXT,
    source_id TEXT,
    char_start INTEGER,
    char_end INTEGER,
    text TEXT,
    hypothesis_id TEXT,
    hypothesis TEXT,
    value TEXT,
    other_source_id TEXT,
    other_start INTEGER,
    other_end INTEGER,
    other_text TEXT,
    who TEXT,
    made TEXT,
    why TEXT,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX run_corrections_by_source_id ON run_corrections(run_id, source_id);
CREATE TABLE map_meta (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    schema_version TEXT,
    question TEXT,
    exclusive INTEGER,
    ach_sensitivity TEXT,
    ach_left_out INTEGER,
    PRIMARY KEY (run_id, position)
);
ALTER TABLE runs ADD COLUMN tables_written INTEGER NOT NULL DEFAULT 0;
"""

# Stemmed search: the source index again with the Porter tokenizer ("neutrality" finds "neutral").
PORTER_SEARCH = """
DROP TRIGGER sources_fts_insert;
DROP TRIGGER sources_fts_delete;
DROP TRIGGER sources_fts_update;
DROP TABLE sources_fts;
""" + SOURCE_SEARCH.replace("content_rowid='pk')", "content_rowid='pk',\n    tokenize='porter unicode61 remove_diacritics 2')")

MIGRATIONS = check_order((
    Migration(1, "initial", INITIAL),
    Migration(2, "source full-text search", SOURCE_SEARCH),
    Migration(3, "corrections and run lineage", CORRECTIONS),
    Migration(4, "the map as tables", MAP_TABLES),
    Migration(5, "stemmed source search", PORTER_SEARCH),
    Migration(6, "camp stability", "ALTER TABLE camps ADD COLUMN stability REAL;"),
    Migration(7, "cache namespaces named by the registry", CACHE_NAMES),
))
