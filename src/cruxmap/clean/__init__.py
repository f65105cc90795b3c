"""Clean: from a ``RawDocument`` to a ``Source`` whose ``text`` is the article body.

Every removal is recorded with its reason and raw offsets; the words of the body are never
changed (only whitespace is re-flowed and a space is inserted between glued sentences).
"""

from .base import CleanResult, build_source, clean_text, find_near_duplicates
from .dedupe import attach_duplicates

__all__ = ["CleanResult", "attach_duplicates", "build_source", "clean_text", "find_near_duplicates"]
