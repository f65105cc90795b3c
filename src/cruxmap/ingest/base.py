"""Interface of the ingest stage, and the loop that turns input paths into documents.

``iter_inputs(paths, options)`` yields one ``RawDocument`` per article, or a ``Failure``
naming the file, the reason and the fix; it never raises for a bad input, so one broken file
never stops a batch. The format readers live in ``text.py``, ``html.py``, ``pdf.py`` and
``export.py``; byte-level checks in ``files.py`` and ``encoding.py``.

Failure codes (``Failure.error``): not-found, permission-denied, unreadable, unsupported-format,
no-inputs, too-large, empty-file, binary-file, undecodable, bad-front-matter, no-main-text,
broken-html, pdf-no-text, broken-pdf, encrypted-pdf, not-english, no-text, bad-record,
empty-record, no-text-field, not-installed, unexpected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field

from ..errors import CruxmapError, InputError
from ..model import Failure
from ..settings import IngestSettings, Settings
from .dates import date_from_file_name, date_from_url
from .export import has_text_field, iter_records, missing_text_field_error, preferred_fields, record_document
from .files import SUPPORTED, decode_text_file, format_of, human_size, read_bytes, walk_folder
from .html import html_document
from .language import check_english
from .pdf import pdf_document
from .text import markdown_document, plain_text_document

STAGE = "ingest"


def _max_file_bytes() -> int:
    return _megabytes(Settings.model_fields["max_file_mb"].default)


def _megabytes(mb: float) -> int:
    return int(mb * 1_000_000)


class IngestOptions(IngestSettings):
    """The ``ingest`` section of the settings (declared there once), plus what one read decides.

    ``max_bytes`` (the ``max_file_mb`` setting) applies to each file, and to each record of an export
    (an export itself may be larger, up to ``max_export_bytes``). ``limit`` stops after that many documents.
    """

    max_bytes: int = Field(default_factory=_max_file_bytes)
    limit: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> IngestOptions:
        """The options a run reads its inputs with: the ``ingest`` section, ``max_file_mb`` and ``overrides``."""
        return cls(**{**settings.ingest.model_dump(), "max_bytes": _megabytes(settings.max_file_mb), **overrides})


@dataclass
class RawDocument:
    """One article as read from disk, before cleaning.

    ``raw_text`` is the decoded text that cleaning works on and that ``Removal`` offsets point
    into (for HTML and PDF it is the extracted text). ``sha256`` is of the raw bytes of the
    file or, for export records, of the record.
    """

    path: str
    format: str
    sha256: str
    raw_text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    #: field → where its value came from: 'front-matter', 'html-meta', 'pdf-meta', 'export-field',
    #: 'first-line' (title), 'byline' (author), 'url' or 'file-name' (a date in the URL or file name)
    metadata_origin: dict[str, str] = field(default_factory=dict)
    #: spans of raw_text that ingest already knows are not body (e.g. front matter)
    pre_removed: list[tuple[int, int, str]] = field(default_factory=list)


def iter_inputs(
    paths: Sequence[str | Path], options: IngestOptions | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield a ``RawDocument`` or a ``Failure`` for every article under ``paths``, in order.

    A path may be a file (any supported format) or a folder, read recursively in sorted order.
    """
    options = options or IngestOptions()
    produced = 0
    for given in paths:
        for item in _iter_path(Path(given), str(given), options):
            yield item
            if isinstance(item, RawDocument):
                produced += 1
                if options.limit is not None and produced >= options.limit:
                    return


def count_inputs(paths: Sequence[str | Path], options: IngestOptions | None = None) -> int:
    """About how many articles ``iter_inputs`` will give, for progress and its ETA, without reading them:
    one per file, one per non-blank line of a JSONL export, one per line after the header of a CSV (an
    over-count where a quoted field spans lines), at most ``options.limit``."""
    options = options or IngestOptions()
    total = 0
    for given in paths:
        path = Path(given)
        files = list(walk_folder(path)) if path.is_dir() else [path] if path.is_file() else []
        for file in files:
            fmt = format_of(file)
            try:
                if fmt in ("jsonl", "csv"):
                    with open(file, "rb") as handle:
                        lines = sum(1 for line in handle if line.strip())
                    total += max(0, lines - (1 if fmt == "csv" else 0))
                else:
                    total += 1
            except OSError:
                total += 1
            if options.limit is not None and total >= options.limit:
                return options.limit
    return total


def document_from_text(
    text: str, name: str = "pasted.txt", options: IngestOptions | None = None
) -> RawDocument | Failure:
    """Ingest text that did not come from a file (pasted into the web app, passed by the API).

    ``name``'s extension picks the reader (``.txt``, ``.md`` or ``.html``); the sha256 is of the
    UTF-8 bytes of ``text``.
    """
    options = options or IngestOptions()
    fmt = format_of(Path(name))
    if fmt not in ("txt", "md", "html"):
        return _failure(
            InputError(
                "pasted text must be named .txt, .md or .html",
                path=name,
                code="unsupported-format",
                fix="use a name ending in .txt, .md or .html",
            )
        )
    try:
        data = text.encode("utf-8")
        if len(data) > options.max_bytes:
            raise InputError(
                f"the text is {human_size(len(data))}, over the {human_size(options.max_bytes)} limit",
                path=name,
                code="too-large",
                fix="split it, or raise the limit (max_file_mb)",
            )
        return _document_from_bytes(data, name, fmt, options, file_name=None)
    except CruxmapError as err:
        return _failure(err, name)
    except Exception as err:
        return _unexpected(err, name)


def _iter_path(path: Path, display: str, options: IngestOptions) -> Iterator[RawDocument | Failure]:
    if path.is_dir():
        found = False
        unlisted: list[OSError] = []
        for file in walk_folder(path, unlisted):
            found = True
            yield from _iter_file(file, str(Path(display) / file.relative_to(path)), options)
        for err in unlisted:  # a sub-folder that could not be listed: its articles are not read
            where = Path(err.filename) if err.filename else path
            shown = str(Path(display) / where.relative_to(path)) if where.is_relative_to(path) else str(where)
            yield _failure(InputError(
                f"cannot list this folder ({err.strerror or err}), so none of its articles were read", path=shown,
                code="permission-denied" if isinstance(err, PermissionError) else "unreadable",
                fix="make it readable for this user (chmod u+rx) or leave it out"))
        if not found and not unlisted:
            yield _failure(
                InputError(
                    f"the folder holds no readable articles ({SUPPORTED})",
                    path=display,
                    code="no-inputs",
                    fix="put the articles in it or give another folder",
                )
            )
    elif path.exists():
        yield from _iter_file(path, display, options)
    elif path.is_symlink():
        yield _failure(InputError("a symbolic link that points nowhere or to itself (a loop)", path=display,
                                  code="broken-link", fix="point the link at the article, or give the article itself"))
    else:
        yield _failure(
            InputError(
                "no such file or folder",
                path=display,
                code="not-found",
                fix="check the path (it is relative to the current folder)",
            )
        )


def _iter_file(path: Path, display: str, options: IngestOptions) -> Iterator[RawDocument | Failure]:
    fmt = format_of(path)
    if fmt is None:
        yield _failure(
            InputError(
                f"cruxmap cannot read '{path.suffix or 'extension-less'}' files",
                path=display,
                code="unsupported-format",
                fix=f"convert it to one of {SUPPORTED}",
            )
        )
        return
    if not path.is_file() and path.is_symlink():
        yield _failure(InputError("a symbolic link that points nowhere or to itself (a loop)", path=display,
                                  code="broken-link", fix="point the link at the article, or give the article itself"))
        return
    if not path.is_file():
        yield _failure(
            InputError(
                "this is not a regular file (a device, pipe or socket)",
                path=display,
                code="unreadable",
                fix="give a file or a folder of articles",
            )
        )
        return
    try:
        if fmt in ("jsonl", "csv"):
            yield from _iter_export(path, display, fmt, options)
            return
        yield _read_article(path, display, fmt, options)
    except CruxmapError as err:
        yield _failure(err, display)
    except Exception as err:  # a bug or a library crash must not stop the batch either
        yield _unexpected(err, display)


def _read_article(path: Path, display: str, fmt: str, options: IngestOptions) -> RawDocument:
    data = read_bytes(path, display, options.max_bytes)
    return _document_from_bytes(data, display, fmt, options, file_name=path.name)


def _document_from_bytes(
    data: bytes, display: str, fmt: str, options: IngestOptions, file_name: str | None
) -> RawDocument:
    if fmt == "pdf":
        if not data:
            raise InputError(
                "the file is empty", path=display, code="empty-file", fix="give the complete PDF"
            )
        fields = pdf_document(data, display)
    else:
        text = decode_text_file(data, display)
        if fmt == "txt" and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            fmt = "html"  # a saved web page with the wrong extension
        reader = {"txt": plain_text_document, "md": markdown_document, "html": html_document}[fmt]
        fields = reader(text, display)
    if options.require_english:
        check_english(_body_sample(fields["raw_text"], fields["pre_removed"]), display)
    _infer_missing_date(fields, file_name)
    return RawDocument(path=display, format=fmt, sha256=hashlib.sha256(data).hexdigest(), **fields)


def _iter_export(
    path: Path, display: str, fmt: str, options: IngestOptions
) -> Iterator[RawDocument | Failure]:
    data = read_bytes(path, display, options.max_export_bytes)
    text = decode_text_file(data, display, newlines=False)
    del data
    preferred = preferred_fields(options)
    first = True
    for number, record in iter_records(text, fmt, display):
        record_path = f"{display}#{number}"
        if isinstance(record, InputError):
            yield _failure(record, record_path)
            continue
        if first and not has_text_field(record, preferred["text"]):
            yield _failure(missing_text_field_error(record, preferred["text"], display), display)
            return
        first = False
        try:
            fields = record_document(record, preferred, record_path)
            _infer_missing_date(fields, None)
            raw_text = fields["raw_text"]
            size = len(raw_text.encode("utf-8")) if len(raw_text) * 4 > options.max_bytes else 0
            if size > options.max_bytes:
                raise InputError(
                    f"the record's text is {human_size(size)}, over the {human_size(options.max_bytes)}"
                    " limit",
                    path=record_path,
                    code="too-large",
                    fix="raise the limit (max_file_mb) if it really is one article",
                )
            if options.require_english:
                check_english(_body_sample(fields["raw_text"], fields["pre_removed"]), record_path)
        except CruxmapError as err:
            yield _failure(err, record_path)
            continue
        except Exception as err:  # one odd record must not cost the rest of the export
            yield _unexpected(err, record_path)
            continue
        yield RawDocument(path=record_path, format=fmt, **fields)


def _infer_missing_date(fields: dict, file_name: str | None) -> None:
    """Without a dated metadata field, take the date from the article's URL, then its file name."""
    if fields.get("published"):
        return
    for origin, date in (
        ("url", date_from_url(fields.get("url"))),
        ("file-name", date_from_file_name(file_name) if file_name else None),
    ):
        if date:
            fields["published"] = date
            fields["metadata_origin"]["published"] = origin
            return


def _body_sample(raw_text: str, pre_removed: list[tuple[int, int, str]], size: int = 20_000) -> str:
    """The start of the text without the spans ingest already knows are not body."""
    if not pre_removed:
        return raw_text[:size]
    parts, position = [], 0
    for start, end, _ in sorted(pre_removed):
        parts.append(raw_text[position:start])
        position = max(position, end)
        if sum(map(len, parts)) >= size:
            break
    parts.append(raw_text[position : position + size])
    return "\n".join(parts)[:size]


def _failure(err: CruxmapError, path: str | None = None) -> Failure:
    return Failure(path=path or err.path or "", stage=STAGE, error=err.code, message=err.line())


def _unexpected(err: Exception, path: str) -> Failure:
    return _failure(
        InputError(
            f"unexpected {type(err).__name__} while reading: {err}",
            path=path,
            code="unexpected",
            fix="leave it out and report it as a cruxmap bug",
        )
    )
