"""The Postgres schema, as numbered migrations (the same tables and keys as SQLite's)."""

from __future__ import annotations

from . import Migration, check_order

INITIAL = """
CREATE TABLE sources (
    pk          BIGSERIAL PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    source_id   TEXT NOT NULL,
    raw_text    TEXT,
    text        TEXT NOT NULL,
    source_json TEXT NOT NULL,
    created     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sources_by_id ON sources(source_id);

CREATE TABLE documents (
    sha256       TEXT NOT NULL REFERENCES sources(sha256) ON DELETE CASCADE,
    pipeline_key TEXT NOT NULL,
    doc_json     TEXT NOT NULL,
    created      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (sha256, pipeline_key)
);

CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     BYTEA NOT NULL,
    PRIMARY KEY (namespace, key)
);

CREATE TABLE runs (
    id        TEXT PRIMARY KEY,
    created   TEXT NOT NULL,
    info_json TEXT NOT NULL,
    map_zlib  BYTEA NOT NULL
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

# Postgres' own text search over the cleaned texts: a generated tsvector with a GIN index.
SOURCE_SEARCH = """
ALTER TABLE sources ADD COLUMN text_search tsvector
    GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;
CREATE INDEX sources_text_search ON sources USING GIN (text_search);
"""

MIGRATIONS = check_order((
    Migration(1, "initial", INITIAL),
    Migration(2, "source full-text search", SOURCE_SEARCH),
))
