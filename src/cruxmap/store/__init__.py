"""Store: runs, sources, processed documents and caches, keyed by content hash.

``open_store(url)`` returns a ``Store``: SQLite for a path or ``sqlite:///…`` URL (the
default, ``~/.cruxmap/cruxmap.db``), Postgres for ``postgresql://…`` (later).
"""

from .base import Store, default_db_path, open_store
from .sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store", "default_db_path", "open_store"]
