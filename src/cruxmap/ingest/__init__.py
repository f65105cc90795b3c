"""Ingest: turn paths (files, folders, exports) into ``RawDocument``s or ``Failure``s.

The public entry point is ``iter_inputs(paths, options)``; it never raises for a bad
article: it yields a ``Failure`` naming the file and the fix, and goes on.
"""

from .base import IngestOptions, RawDocument, count_inputs, document_from_text, iter_inputs

__all__ = ["IngestOptions", "RawDocument", "count_inputs", "document_from_text", "iter_inputs"]
