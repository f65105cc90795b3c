"""Interface of the clean stage."""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest.base import RawDocument
from ..model import DuplicateOf, Removal, Segment, Source


@dataclass
class CleanResult:
    text: str
    removed: list[Removal]
    alignment: list[Segment]


def clean_text(raw_text: str, *, title: str | None = None, pre_removed=()) -> CleanResult:
    raise NotImplementedError


def build_source(raw: RawDocument) -> Source:
    raise NotImplementedError


def find_near_duplicates(sources: list[Source], threshold: float = 0.8) -> dict[str, list[DuplicateOf]]:
    raise NotImplementedError
