"""JSONL and CSV exports: one article per record.

Each record becomes its own ``RawDocument`` with path ``file.jsonl#<line>`` (1-based line of
the file) or ``file.csv#<row>`` (1-based data row, header not counted), and a sha256 of the
record's canonical bytes (its JSON with sorted keys), so the same article gets the same hash
whether it came from a JSONL or a CSV export. Which field holds what is configurable
(``IngestOptions.*_field``); when a configured field is missing, common aliases are tried
(``content``/``body`` for the text, ``source`` for the outlet, ``authors`` for the author …).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterator, Mapping

from ..errors import InputError
from .encoding import normalise_newlines
from .fields import FIELD_ALIASES, metadata_from_mapping
from .text import title_repeat_span
from .title import infer_title

_FIX_FIELDS = "set the field names (text_field, title_field, …) to the export's columns"


def iter_records(
    text: str, fmt: str, display: str
) -> Iterator[tuple[int, Mapping[str, object] | InputError]]:
    """Yield ``(record number, record)`` or ``(number, error)`` for each record of an export."""
    if fmt == "jsonl":
        yield from _jsonl_records(text, display)
    else:
        yield from _csv_records(text, display)


def _jsonl_records(text: str, display: str) -> Iterator[tuple[int, Mapping[str, object] | InputError]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield (
                number,
                InputError(
                    f"line {number} is not valid JSON ({err.msg} at column {err.colno})",
                    path=f"{display}#{number}",
                    code="bad-record",
                    fix="fix or remove that line (one JSON object per line)",
                ),
            )
            continue
        if not isinstance(record, dict):
            yield (
                number,
                InputError(
                    f"line {number} is a JSON {type(record).__name__}, not an object",
                    path=f"{display}#{number}",
                    code="bad-record",
                    fix="write one JSON object per line",
                ),
            )
            continue
        yield number, record


DELIMITERS = ",;\t|"


def csv_delimiter(header: str) -> str:
    """The delimiter of a CSV export, read from its header line: the candidate that occurs most often
    outside quotes (a comma when none does). Only the delimiter is guessed; quoting is always the
    standard one (RFC 4180: ``"`` quotes a cell, ``""`` inside it is one quotation mark), because
    guessing the rest from one line turns off ``""`` escaping and shreds quoted article bodies."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Export(csv.excel):
    """Standard CSV quoting with the export's own delimiter."""


def _csv_records(text: str, display: str) -> Iterator[tuple[int, Mapping[str, object] | InputError]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article bodies exceed the 128 kB default
    dialect = type("ExportDialect", (_Export,), {"delimiter": csv_delimiter(text.split("\n", 1)[0])})
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, strict=True)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if None in row:  # more cells than header columns
                extra = row.pop(None)
                if any(str(v).strip() for v in extra or []):
                    yield (
                        number,
                        InputError(
                            f"row {number} has more cells than the header has columns",
                            path=f"{display}#{number}",
                            code="bad-record",
                            fix="quote cells that contain the delimiter",
                        ),
                    )
                    continue
            yield number, {k: v for k, v in row.items() if k is not None}
    except csv.Error as err:
        yield (
            number + 1,
            InputError(
                f"the CSV breaks at row {number + 1} ({err})",
                path=f"{display}#{number + 1}",
                code="bad-record",
                fix="check the quoting of that row",
            ),
        )


def record_document(record: Mapping[str, object], preferred: Mapping[str, str], record_path: str) -> dict:
    """Fields of a ``RawDocument`` for one export record (everything but path and format)."""
    text, _ = _record_text(record, preferred.get("text"))
    if text is None:
        raise InputError(
            "the record has no article text",
            path=record_path,
            code="empty-record",
            fix=f"fill its text field or leave the record out ({_FIX_FIELDS})",
        )
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError(
            "the record's text is only whitespace",
            path=record_path,
            code="empty-record",
            fix="fill its text field or leave the record out",
        )
    values, origins = metadata_from_mapping(record, "export-field", preferred)
    fields: dict = {
        "raw_text": text,
        "metadata_origin": origins,
        "pre_removed": [],
        **values,
        "sha256": record_sha256(record),
    }
    if "title" in values:
        repeated = title_repeat_span(text, 0, values["title"])
        if repeated:
            fields["pre_removed"].append((*repeated, "title"))
    else:
        found = infer_title(text)
        if found is not None:
            fields["title"] = found.title
            fields["metadata_origin"]["title"] = "first-line"
            fields["pre_removed"].append((found.start, found.end, "title"))
    return fields


def _record_text(record: Mapping[str, object], preferred: str | None) -> tuple[str | None, str | None]:
    """The article text keeps its line breaks, unlike other fields (``pick_field`` flattens them)."""
    lowered = {str(k).lower(): k for k in record}
    for name in ([preferred] if preferred else []) + list(FIELD_ALIASES["text"]):
        key = lowered.get(name.lower())
        value = record[key] if key is not None else None
        if isinstance(value, str) and value.strip():
            return value, str(key)
    return None, None


def has_text_field(record: Mapping[str, object], preferred: str | None) -> bool:
    """Whether ``record`` has a key that could hold the text (even if empty in this record)."""
    lowered = {str(k).lower() for k in record}
    return any(
        name.lower() in lowered for name in ([preferred] if preferred else []) + list(FIELD_ALIASES["text"])
    )


def missing_text_field_error(record: Mapping[str, object], preferred: str | None, display: str) -> InputError:
    keys = ", ".join(str(k) for k in list(record)[:15])
    return InputError(
        f"no text field '{preferred}' (nor content/body/…) in the records; they have: {keys}",
        path=display,
        code="no-text-field",
        fix="name the text column with text_field",
    )


def record_sha256(record: Mapping[str, object]) -> str:
    """sha256 of the record's canonical JSON (sorted keys, UTF-8, no extra whitespace)."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def preferred_fields(options) -> dict[str, str]:
    """The user's field names from ``IngestOptions``, keyed by metadata field."""
    return {
        "text": options.text_field,
        "title": options.title_field,
        "published": options.date_field,
        "url": options.url_field,
        "outlet": options.outlet_field,
        "author": options.author_field,
    }
