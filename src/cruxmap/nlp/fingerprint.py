"""A digest of the annotate code, part of each rule-based annotate stage's version.

Quotes, dates and entities come from rules written in this package. A document stored before a rule changed
must be annotated again, not re-used with its old quotes and dates: the pipeline key holds every stage's
version, and the clean stage already keys on a digest of its own code (``clean.base.rules_fingerprint``). The
rules change far more often than the package's version number does.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..clean.base import code_digest

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def rules_fingerprint(package: Path = PACKAGE) -> str:
    """The digest of every module of ``cruxmap.nlp`` (``clean.base.code_digest``)."""
    return code_digest(package)
