"""The SQLite schema, as numbered migrations (see ``migrations/__init__.py``).

Keys are content hashes: a source is its raw bytes' sha256, a processed document is that
sha256 plus the pipeline's version key, a cache entry is (namespace, key). Re-running on
the same inputs therefore finds the rows it wrote before instead of adding new ones.
"""

from __future__ import annotations

from . import Migration, check_order

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

MIGRATIONS = check_order((
    Migration(1, "initial", INITIAL),
    Migration(2, "source full-text search", SOURCE_SEARCH),
))
