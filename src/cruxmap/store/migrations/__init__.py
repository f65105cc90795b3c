"""Numbered schema migrations, one list per database engine.

A migration is applied once, in order, inside a transaction, and recorded in the
``schema_migrations`` table. Never edit a released migration: add the next number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def check_order(migrations: tuple[Migration, ...]) -> tuple[Migration, ...]:
    """Fail at import time if the versions are not 1, 2, 3, … without gaps."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(migrations) + 1)):
        raise RuntimeError(f"migration versions must be 1..n in order, got {versions}")
    return migrations


# Migration 7 of both engines (the same SQL on SQLite and PostgreSQL): cached embeddings and stance results under
# the backend's registry name alone (``registry.version_of``): ``emb:embedder.minilm.v1:bf16`` → ``embedder.minilm.v1:bf16``, ``stance:stance.offline.v2:…`` →
# ``stance.offline.v2:…``, ``stance:llm.v2:…`` → ``stance.llm.v2:…``. The values do not change, so the
# work they hold is kept; a row whose new name is already taken is left under its old one.
CACHE_NAMES = """
UPDATE cache SET namespace = substr(namespace, 5) WHERE namespace LIKE 'emb:embedder.%'
    AND NOT EXISTS (SELECT 1 FROM cache AS other WHERE other.namespace = substr(cache.namespace, 5)
                    AND other.key = cache.key);
UPDATE cache SET namespace = substr(namespace, 8) WHERE namespace LIKE 'stance:stance.%'
    AND NOT EXISTS (SELECT 1 FROM cache AS other WHERE other.namespace = substr(cache.namespace, 8)
                    AND other.key = cache.key);
UPDATE cache SET namespace = 'stance.llm.v2:' || substr(namespace, 15) WHERE namespace LIKE 'stance:llm.v2:%'
    AND NOT EXISTS (SELECT 1 FROM cache AS other
                    WHERE other.namespace = 'stance.llm.v2:' || substr(cache.namespace, 15) AND other.key = cache.key);
"""
