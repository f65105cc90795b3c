"""A digest of the annotate code, part of each rule-based annotate stage's version.

Quotes, dates and entities come from rules written in this package. A document stored before a rule changed
must be annotated again, not re-used with its old quotes and dates: the pipeline key holds every stage's
version, and the clean stage already keys on a digest of its own code (``clean.base.rules_fingerprint``). The
rules change far more often than the package's version number does.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def rules_fingerprint(package: Path = PACKAGE) -> str:
    """The first 12 hex digits of a SHA-256 over every module of ``cruxmap.nlp``, by name and content."""
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:12]
