"""Saved web pages: the article's main text and metadata via trafilatura.

trafilatura drops navigation, footers and comments and returns one block per line; cruxmap's
raw text separates blocks with a blank line, as a plain-text article would. When the page's
first block repeats its title, that block is recorded in ``pre_removed`` as the title.
"""

from __future__ import annotations

import warnings

from ..errors import CruxmapError, InputError
from .dates import normalise_date
from .fields import as_text

#: fewer words than this after extraction means the page has no article in it
MIN_MAIN_TEXT_WORDS = 20


def html_document(html: str, display: str) -> dict:
    """Fields of a ``RawDocument`` for an ``.html`` page (everything but path, format, sha256)."""
    extracted = _extract(html, display)
    blocks = [" ".join(line.split()) for line in (extracted.text or "").split("\n")]
    blocks = [b for b in blocks if b]
    text = "\n\n".join(blocks)
    if len(text.split()) < MIN_MAIN_TEXT_WORDS:
        raise InputError(
            f"no article text found in the page ({len(text.split())} words after removing "
            "navigation and boilerplate): the HTML is broken, truncated or holds no article",
            path=display,
            code="no-main-text",
            fix="save the complete article page (or its text as .txt) and try again",
        )
    fields: dict = {"raw_text": text, "metadata_origin": {}, "pre_removed": []}
    values = {
        "title": as_text(extracted.title),
        "author": as_text(extracted.author),
        "outlet": as_text(extracted.sitename),
        "published": normalise_date(extracted.date),
        "url": as_text(extracted.url),
    }
    for field, value in values.items():
        if value:
            fields[field] = value
            fields["metadata_origin"][field] = "html-meta"
    title = fields.get("title")
    if title and blocks and blocks[0].casefold() == title.casefold():
        fields["pre_removed"].append((0, len(blocks[0]), "title"))
    return fields


def _extract(html: str, display: str):
    try:
        import trafilatura
    except ImportError as err:  # lxml_html_clean is the usual culprit with current lxml
        raise CruxmapError(
            f"reading HTML pages needs trafilatura, which cannot be imported ({err})",
            code="not-installed",
            fix="pip install trafilatura lxml_html_clean",
        ) from err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lxml's FutureWarnings on odd markup are not the user's business
            extracted = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except Exception as err:  # trafilatura/lxml raise assorted errors on malformed markup
        raise InputError(
            f"the HTML cannot be parsed ({type(err).__name__})",
            path=display,
            code="broken-html",
            fix="save the complete article page (or its text as .txt) and try again",
        ) from err
    # trafilatura annotates bare_extraction "Document | dict | None", with no overload for as_dict: without it,
    # a Document or None
    if extracted is None or not (extracted.text or "").strip():  # type: ignore[union-attr]
        raise InputError(
            "no article text found in the page: the HTML is broken, truncated or holds no article",
            path=display,
            code="no-main-text",
            fix="save the complete article page (or its text as .txt) and try again",
        )
    return extracted
