"""Interface of the clean stage: raw article text in, article body with its removals out.

``clean_text`` runs the removal rules over the raw lines (each rule marks lines with the
reason it removes them), re-flows what is left into paragraphs and records every copied
run in ``alignment`` and every removed run in ``removed``. The body's words are never
changed: apart from whitespace, the cleaned text is a subsequence of the raw text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..ingest.base import RawDocument
from ..model import DuplicateOf, Removal, Segment, Source
from .align import TextBuilder
from .boilerplate import mark_furniture, mark_promos, mark_separators, mark_title, mark_url_lines
from .captions import mark_captions, mark_repeated
from .dedupe import find_near_duplicates as _find_near_duplicates
from .lines import Line, split_lines
from .reflow import paragraphs, write_paragraphs
from .teasers import mark_related_blocks, mark_trailing_titles
from .wrapped import mark_repeated_paragraphs, mark_wrapped_captions


@dataclass
class CleanResult:
    text: str
    removed: list[Removal]
    alignment: list[Segment]


def _line_removals(raw: str, lines: list[Line], pre: list[tuple[int, int, str]]) -> list[Removal]:
    """One removal per run of consecutive lines removed for the same reason.

    A run never spans a ``pre_removed`` span, so that removals do not overlap.
    """
    removals: list[Removal] = []
    run: list[Line] = []
    for line in lines + [Line(start=len(raw), end=len(raw), text="")]:
        split = run and any(run[-1].end <= s < line.start for s, _, _ in pre)
        if run and (line.removed != run[-1].removed or split):
            start, end = run[0].start, run[-1].end
            removals.append(Removal(start=start, end=end, reason=run[0].removed or "", text=raw[start:end]))
            run = []
        if line.removed:
            run.append(line)
    return removals


def clean_text(
    raw_text: str, *, title: str | None = None, pre_removed: Iterable[tuple[int, int, str]] = ()
) -> CleanResult:
    """Turn a page's text into the article body, recording every removal with its reason.

    ``title``: the article's title, removed when the text repeats it as its first line.
    ``pre_removed``: ``(start, end, reason)`` raw spans that ingest already knows are not
    body (front matter, a title line); they are listed in ``removed`` too.
    """
    pre = sorted((int(s), int(e), str(r)) for s, e, r in pre_removed if e > s)
    lines = split_lines(raw_text, [(s, e) for s, e, _ in pre])
    mark_title(lines, title)
    mark_url_lines(lines)
    mark_captions(lines)
    mark_wrapped_captions(lines)
    mark_related_blocks(lines)
    inline = mark_promos(lines)
    mark_furniture(lines)
    mark_repeated(lines)
    mark_repeated_paragraphs(lines)
    mark_separators(lines)
    inline += mark_trailing_titles(lines)

    builder = TextBuilder(raw_text)
    write_paragraphs(builder, paragraphs(lines))

    removed = [Removal(start=s, end=e, reason=r, text=raw_text[s:e]) for s, e, r in pre]
    removed += _line_removals(raw_text, lines, pre)
    removed += [Removal(start=s, end=e, reason=r, text=raw_text[s:e]) for s, e, r in inline]
    removed.sort(key=lambda removal: (removal.start, removal.end))
    return CleanResult(text=builder.text(), removed=removed, alignment=builder.segments())


PACKAGE = Path(__file__).resolve().parent.parent


def code_digest(*folders: Path) -> str:
    """The first 12 hex digits of a SHA-256 over the Python modules of ``folders``, by name and content, in name order."""
    digest = hashlib.sha256()
    for path in sorted(path for folder in folders for path in folder.glob("*.py")):
        digest.update(path.name.encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def rules_fingerprint(package: Path = PACKAGE) -> str:
    """A digest of the ingest and clean code: part of the pipeline key, so that documents stored
    before a rule changed are cleaned again rather than re-used with their old text."""
    return code_digest(package / "ingest", package / "clean")


def source_id(sha256: str) -> str:
    """The stable id of a source: ``src-`` and the first 12 hex digits of its raw sha256."""
    return "src-" + sha256[:12]


def build_source(raw: RawDocument) -> Source:
    """Clean one ingested document into a ``Source`` (metadata copied, body cleaned)."""
    result = clean_text(raw.raw_text, title=raw.title, pre_removed=raw.pre_removed)
    return Source(
        id=source_id(raw.sha256),
        path=raw.path,
        format=raw.format,
        title=raw.title,
        author=raw.author,
        outlet=raw.outlet,
        published=raw.published,
        url=raw.url,
        sha256=raw.sha256,
        text=result.text,
        removed=result.removed,
        alignment=result.alignment,
        metadata_origin=dict(raw.metadata_origin),
    )


def find_near_duplicates(sources: list[Source], threshold: float = 0.8) -> dict[str, list[DuplicateOf]]:
    """Sources whose bodies are near-copies of each other (MinHash over word 5-shingles).

    Duplicates are reported, never dropped: the map keeps every source and says which ones
    repeat which. Only sources with at least one duplicate appear as keys.
    """
    return _find_near_duplicates(sources, threshold=threshold)
