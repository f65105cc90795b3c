"""PDF articles: the text layer via pypdf, pages separated by a blank line.

A scanned PDF has no text layer; pypdf then returns nothing and the user is told to run OCR
first. The PDF's own title/author metadata is used only when it is not a tool's placeholder
(``Microsoft Word - draft3.docx``, ``untitled``).
"""

from __future__ import annotations

import io
import logging
import re

from ..errors import InputError
from .fields import as_text

_PLACEHOLDER_TITLE = re.compile(
    r"^(microsoft (word|powerpoint)|untitled|document\d*$|slide\d*$)|\.(docx?|pdf|odt|"
    r"rtf|txt|indd|tex)$",
    re.I,
)
_FIX_OCR = "it is probably a scan: run OCR first (e.g. `ocrmypdf in.pdf out.pdf`) or give the article as text"


def pdf_document(data: bytes, display: str) -> dict:
    """Fields of a ``RawDocument`` for a ``.pdf`` file (everything but path, format, sha256)."""
    reader = _open(data, display)
    pages = []
    try:
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    except Exception as err:  # pypdf raises many types on damaged content streams
        raise InputError(
            f"the PDF's pages cannot be read ({type(err).__name__}: {err})",
            path=display,
            code="broken-pdf",
            fix="re-export the PDF, or give the article as text",
        ) from err
    text = "\n\n".join(p for p in pages if p.strip())
    if not text.strip():
        raise InputError(
            f"the PDF has {len(pages)} page(s) but no text layer",
            path=display,
            code="pdf-no-text",
            fix=_FIX_OCR,
        )
    fields: dict = {"raw_text": text, "metadata_origin": {}, "pre_removed": []}
    meta = reader.metadata or {}
    for field, key in (("title", "/Title"), ("author", "/Author")):
        value = as_text(meta.get(key))
        if value and not _PLACEHOLDER_TITLE.search(value):
            fields[field] = value
            fields["metadata_origin"][field] = "pdf-meta"
    return fields


def _open(data: bytes, display: str):
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every slightly odd file
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                "the PDF is password-protected",
                path=display,
                code="encrypted-pdf",
                fix="save an unprotected copy of the PDF and use that",
            )
        len(reader.pages)  # forces the page tree to load, so damage shows up here
    except InputError:
        raise
    except Exception as err:
        raise InputError(
            f"this is not a readable PDF ({type(err).__name__}: {err})",
            path=display,
            code="broken-pdf",
            fix="re-export the PDF, or give the article as text",
        ) from err
    return reader
