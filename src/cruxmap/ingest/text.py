"""Plain-text and Markdown articles.

``raw_text`` is the whole decoded file. Metadata comes from Markdown front matter (YAML
between ``---`` lines, or TOML between ``+++`` lines), from a Markdown ``# heading``, or from
a first line that clearly is a title (see ``title.py``); the front matter and a title line
are recorded in ``pre_removed`` so that cleaning leaves them out of the body.
"""

from __future__ import annotations

import re
import tomllib

from ..errors import InputError
from .fields import metadata_from_mapping
from .title import infer_title

_YAML_FRONT = re.compile(r"\A(?:[ \t]*\n)*---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TOML_FRONT = re.compile(r"\A(?:[ \t]*\n)*\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.S)
_ATX_HEADING = re.compile(r"(?:[ \t]*\n)*[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$", re.M)
_SETEXT_HEADING = re.compile(r"(?:[ \t]*\n)*[ \t]{0,3}(\S[^\n]*?)[ \t]*\n[ \t]{0,3}=+[ \t]*$", re.M)


def plain_text_document(text: str, display: str) -> dict:
    """Fields of a ``RawDocument`` for a ``.txt`` article (everything but path, format, sha256)."""
    fields: dict = {"raw_text": text, "metadata_origin": {}, "pre_removed": []}
    _add_first_line_title(fields, text, 0)
    return fields


def markdown_document(text: str, display: str) -> dict:
    """Fields of a ``RawDocument`` for a ``.md`` article, reading its front matter if any."""
    fields: dict = {"raw_text": text, "metadata_origin": {}, "pre_removed": []}
    body_start = 0
    front = _YAML_FRONT.match(text) or _TOML_FRONT.match(text)
    if front:
        meta = _parse_front_matter(front.group(1) or "", toml=front.re is _TOML_FRONT, display=display)
        values, origins = metadata_from_mapping(meta, "front-matter")
        fields.update(values)
        fields["metadata_origin"].update(origins)
        fields["pre_removed"].append((front.start(), front.end(), "front-matter"))
        body_start = front.end()
    heading = _ATX_HEADING.match(text, body_start) or _SETEXT_HEADING.match(text, body_start)
    if heading:
        title = heading.group(1).strip()
        if fields.get("title") is None:
            fields["title"] = title
            fields["metadata_origin"]["title"] = "first-line"
            fields["pre_removed"].append((_skip_blank(text, heading.start()), heading.end(), "title"))
        elif title.casefold() == fields["title"].casefold():  # the heading repeats the front-matter title
            fields["pre_removed"].append((_skip_blank(text, heading.start()), heading.end(), "title"))
    elif fields.get("title") is None:
        _add_first_line_title(fields, text, body_start)
    return fields


def _add_first_line_title(fields: dict, text: str, offset: int) -> None:
    found = infer_title(text[offset:])
    if found is None:
        return
    fields["title"] = found.title
    fields["metadata_origin"]["title"] = "first-line"
    fields["pre_removed"].append((offset + found.start, offset + found.end, "title"))


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
        raise InputError(f"the front matter is not valid {kind} ({first_line})", path=display,
                         code="bad-front-matter", fix="fix the block between the --- lines or remove it") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("the front matter is not a list of 'key: value' lines", path=display,
                         code="bad-front-matter", fix="fix the block between the --- lines or remove it")
    return data
