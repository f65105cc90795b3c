"""Metadata values from front matter, HTML or export records, tidied into ``RawDocument`` fields.

One table of field-name aliases serves Markdown front matter and JSONL/CSV exports, so that
``authors``, ``byline`` and ``author`` all land in ``author``, whatever tool wrote the file.
"""

from __future__ import annotations

from collections.abc import Mapping

from .dates import normalise_date

#: metadata field → names it goes by in front matter and exports, in order of preference
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "content",
        "content_original",
        "body",
        "article",
        "full_text",
        "fulltext",
        "maintext",
        "article_text",
        "story",
        "content_text",
    ),
    "title": ("title", "headline", "heading", "name_of_article"),
    "author": ("author", "authors", "byline", "by", "creator", "creators", "writer", "writers"),
    "outlet": (
        "outlet",
        "source",
        "publisher",
        "publication",
        "site_name",
        "sitename",
        "source_name",
        "site",
        "media",
        "newspaper",
        "journal",
    ),
    "published": (
        "published",
        "date",
        "publish_date",
        "published_date",
        "publication_date",
        "date_published",
        "published_at",
        "publishedat",
        "pubdate",
        "datetime",
        "created",
        "created_at",
    ),
    "url": ("url", "link", "canonical_url", "canonical", "permalink", "article_url", "href"),
}

METADATA_FIELDS = ("title", "author", "outlet", "published", "url")


def pick_field(
    record: Mapping[str, object], preferred: str | None, field: str
) -> tuple[str | None, str | None]:
    """Return ``(value, key)`` for ``field``: the ``preferred`` key first, then the aliases.

    Keys match case-insensitively; empty values are skipped so that an empty ``date``
    column does not hide a filled ``published`` one.
    """
    lowered = {str(k).lower(): k for k in record}
    names = ([preferred] if preferred else []) + [a for a in FIELD_ALIASES[field] if a != preferred]
    for name in names:
        key = lowered.get(name.lower())
        if key is None:
            continue
        value = as_text(record[key])
        if value:
            return value, str(key)
    return None, None


def as_text(value: object) -> str | None:
    """Flatten a metadata value: lists are joined with commas, ``{"name": …}`` gives the name."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Mapping):
        for key in ("name", "title", "value", "text"):
            if key in value:
                return as_text(value[key])
        return None
    if isinstance(value, list | tuple):
        parts = [p for p in (as_text(v) for v in value) if p]
        return ", ".join(parts) or None
    text = " ".join(str(value).split())
    return text or None


def metadata_from_mapping(
    record: Mapping[str, object], origin: str, preferred: Mapping[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Return ``(values, origins)`` for the metadata fields present in ``record``.

    Dates keep their original type until ``normalise_date`` (YAML gives ``datetime.date``);
    an unparseable date is dropped rather than kept as free text.
    """
    preferred = preferred or {}
    values: dict[str, str] = {}
    for field in METADATA_FIELDS:
        if field == "published":
            value = _pick_date(record, preferred.get(field))
        else:
            value, _ = pick_field(record, preferred.get(field), field)
        if value:
            values[field] = value
    return values, {field: origin for field in values}


def _pick_date(record: Mapping[str, object], preferred: str | None) -> str | None:
    lowered = {str(k).lower(): k for k in record}
    names = ([preferred] if preferred else []) + list(FIELD_ALIASES["published"])
    for name in names:
        key = lowered.get(name.lower())
        if key is not None:
            date = normalise_date(record[key])
            if date:
                return date
    return None
