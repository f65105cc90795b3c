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
