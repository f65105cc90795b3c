"""Plain-text and Markdown articles.

``raw_text`` is the whole decoded file. Metadata comes from Markdown front matter (YAML
between ``---`` lines, or TOML between ``+++`` lines), from a Markdown ``# heading``, or from
a block of masthead, headline, byline and date lines at the top (see ``header.py``), or a first
line that clearly is a title (see ``title.py``); the front matter, the header lines, a title
line (inferred, or repeating the front matter's title) and a ``By …`` byline (which gives the
author) are recorded in ``pre_removed`` so that cleaning leaves them out of the body.
"""

from __future__ import annotations

import re
import tomllib

from ..errors import InputError
from .byline import find_byline
from .fields import metadata_from_mapping
from .header import read_header_block
from .title import infer_title

_YAML_FRONT = re.compile(r"\A(?:[ \t]*\n)*---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TOML_FRONT = re.compile(r"\A(?:[ \t]*\n)*\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.S)
_ATX_HEADING = re.compile(r"(?:[ \t]*\n)*[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$", re.M)
_SETEXT_HEADING = re.compile(r"(?:[ \t]*\n)*[ \t]{0,3}(\S[^\n]*?)[ \t]*\n[ \t]{0,3}=+[ \t]*$", re.M)


#: ``Title: …`` / ``Author: …`` lines at the top of a plain-text file, as some tools save articles
_HEADER_LINE = re.compile(
    r"[ \t]*(title|headline|author|authors|by|byline|date|published|source|outlet|"
    r"publisher|publication|url|link)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*(?:\n|\Z)",
    re.I,
)


def plain_text_document(text: str, display: str) -> dict:
    """Fields of a ``RawDocument`` for a ``.txt`` article (everything but path, format, sha256).

    Front matter is read only when it parses into metadata (a ``---`` line opening a plain
    text is otherwise just text); a block of two or more ``Key: value`` lines at the top is
    read as metadata too.
    """
    fields = _empty_fields(text)
    body_start = _read_front_matter(fields, text, display, strict=False) or _read_header_block(fields, text)
    body_start = _read_masthead_block(fields, text, body_start)
    _title_from_first_line(fields, text, body_start)
    _author_from_byline(fields, text, body_start)
    return fields


def markdown_document(text: str, display: str) -> dict:
    """Fields of a ``RawDocument`` for a ``.md`` article, reading its front matter if any."""
    fields = _empty_fields(text)
    body_start = _read_front_matter(fields, text, display, strict=True)
    heading = _ATX_HEADING.match(text, body_start) or _SETEXT_HEADING.match(text, body_start)
    if heading is None:
        _title_from_first_line(fields, text, body_start)
    else:
        title = heading.group(1).strip()
        if fields.get("title") is None:
            fields["title"] = title
            fields["metadata_origin"]["title"] = "first-line"
        if (
            title.casefold() == fields["title"].casefold()
        ):  # not when it differs from the front matter's title
            fields["pre_removed"].append((_skip_blank(text, heading.start()), heading.end(), "title"))
    _author_from_byline(fields, text, body_start)
    return fields


def _empty_fields(text: str) -> dict:
    return {"raw_text": text, "metadata_origin": {}, "pre_removed": []}


def _read_front_matter(fields: dict, text: str, display: str, *, strict: bool) -> int:
    """Read YAML/TOML front matter into ``fields``; return where the body starts (0 without one).

    ``strict``: a broken block is an error (Markdown); otherwise it is left as text.
    """
    front = _YAML_FRONT.match(text) or _TOML_FRONT.match(text)
    if front is None:
        return 0
    try:
        meta = _parse_front_matter(front.group(1) or "", toml=front.re is _TOML_FRONT, display=display)
    except InputError:
        if strict:
            raise
        return 0
    values, origins = metadata_from_mapping(meta, "front-matter")
    if not values and not strict:
        return 0
    _set_metadata(fields, values, origins)
    fields["pre_removed"].append((front.start(), front.end(), "front-matter"))
    return front.end()


def _read_header_block(fields: dict, text: str) -> int:
    """Read two or more ``Key: value`` lines that open the text and end at a blank line."""
    position, pairs = _skip_blank(text, 0), {}
    start = position
    while match := _HEADER_LINE.match(text, position):
        pairs[match.group(1).lower()] = match.group(2)
        position = match.end()
    ends_at_blank = (
        position >= len(text) or text[position : position + 1] == "\n" or not text[position:].strip()
    )
    if len(pairs) < 2 or not ends_at_blank or position == start:
        return 0
    values, origins = metadata_from_mapping(pairs, "front-matter")
    _set_metadata(fields, values, origins)
    fields["pre_removed"].append((start, position, "front-matter"))
    return position


#: where a header block's values came from, in the words the other plain-text readers use
_HEADER_ORIGINS = {"title": "first-line", "author": "byline"}


def _read_masthead_block(fields: dict, text: str, offset: int) -> int:
    """Outlet, headline, dek, byline and date lines at the top (``header.py``); fill what is missing.

    Return where the body starts: after the block, or ``offset`` when there is none.
    """
    block = read_header_block(text, offset, known_title=fields.get("title"))
    if block is None:
        return offset
    for name, value in block.values.items():
        if not fields.get(name):
            fields[name] = value
            fields["metadata_origin"][name] = _HEADER_ORIGINS.get(name, "header")
    fields["pre_removed"].extend(block.spans)
    return block.end


def _set_metadata(fields: dict, values: dict, origins: dict) -> None:
    fields.update(values)
    fields["metadata_origin"].update(origins)


def _title_from_first_line(fields: dict, text: str, offset: int) -> None:
    """Infer the title from the first body line, or mark that line when it repeats a known title."""
    if fields.get("title"):
        repeated = title_repeat_span(text, offset, fields["title"])
        if repeated:
            fields["pre_removed"].append((*repeated, "title"))
        return
    found = infer_title(text[offset:])
    if found is None:
        return
    fields["title"] = found.title
    fields["metadata_origin"]["title"] = "first-line"
    fields["pre_removed"].append((offset + found.start, offset + found.end, "title"))


def _author_from_byline(fields: dict, text: str, offset: int) -> None:
    """A ``By …`` line near the top gives the author (when no metadata did) and is marked as not body."""
    found = find_byline(text, offset, fields["pre_removed"])
    if found is None:
        return
    if not fields.get("author"):
        fields["author"] = found.author
        fields["metadata_origin"]["author"] = "byline"
    fields["pre_removed"].append((found.start, found.end, "byline"))


def title_repeat_span(text: str, offset: int, title: str) -> tuple[int, int] | None:
    """The span of the first non-blank line after ``offset`` when it repeats ``title``."""
    start = _skip_blank(text, offset)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end].rstrip()
    if line and _comparable(line) == _comparable(title):
        return start, start + len(line)
    return None


def _comparable(title: str) -> str:
    return " ".join(title.casefold().strip().rstrip(".").split())


def _skip_blank(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def _parse_front_matter(block: str, *, toml: bool, display: str) -> dict:
    """Parse YAML (or TOML) front matter; a mapping is required, a broken block is an error."""
    try:
        if toml:
            data = tomllib.loads(block)
        else:
            import yaml

            data = yaml.safe_load(block) if block.strip() else {}
    except Exception as err:  # yaml.YAMLError / tomllib.TOMLDecodeError, both carry the position
        kind = "TOML" if toml else "YAML"
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(
            f"the front matter is not valid {kind} ({first_line})",
            path=display,
            code="bad-front-matter",
            fix="fix the block between the --- lines or remove it",
        ) from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            "the front matter is not a list of 'key: value' lines",
            path=display,
            code="bad-front-matter",
            fix="fix the block between the --- lines or remove it",
        )
    return data
