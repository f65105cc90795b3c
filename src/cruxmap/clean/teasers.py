"""Rules for teasers of other articles: related-publication blocks and trailing titles.

A related-publications block is a run of lines made of other articles' titles (often
twice), dates, bylines (``By: …``), content-type tags (``Type: Podcast``), short
summaries and a ``View All …`` link, usually under a heading such as ``Related
Publications``. It is recognised by the density of such markers, so a summary paragraph
inside the block goes with it, while body paragraphs far from any marker stay.

Trailing titles are headlines of other articles that a scraper glued onto the end of the
last paragraph (``…and beyond.Next Headline Here``) or left as short title-cased lines
after the body.
"""

from __future__ import annotations

import re

from .glue import glue_points
from .lines import Line, ends_sentence

_RELATED_HEADING = re.compile(
    r"^(?:related(?: (?:publications|articles|stories|content|coverage|reading|posts|links|news|videos|topics))?"
    r"|more (?:from|on|in|stories|articles|publications|news)\b[^.!?]{0,40}|recommended(?: for you| reading| stories)?"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|(?:most|more) (?:read|popular|viewed|shared)"
    r"|trending(?: now| stories)?|further reading|latest (?:news|stories|articles|publications)|read next"
    r"|what to read next|also on [\w .]{1,40}|around the web|from (?:our|the) (?:network|archives?)"
    r"|(?:recent|other|latest) publications)\s*:?$",
    re.I,
)
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_LINE = re.compile(
    rf"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago)$",
    re.I,
)
_BYLINE = re.compile(r"^By:?\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)")
_TYPE_TAG = re.compile(r"^(?:Type|Category|Format|Content type|Topics?|Section|Tags?)\s*:\s*\S.{0,50}$", re.I)
_VIEW_ALL = re.compile(r"^(?:view|see|show|load|browse|read) (?:all|more)\b.{0,40}$", re.I)

#: kinds of marker that only teaser blocks have (a dateline or a byline alone is not enough)
_TEASER_ONLY = {"heading", "type", "view-all", "repeated-title"}
MAX_GAP = 3
MIN_MARKERS = 3
MAX_BYLINE_WORDS = 25
TITLE_CASE_SHARE = 0.75
MAX_TAIL_TITLES = 12


def _marker(lines: list[Line], index: int) -> str | None:
    line = lines[index]
    text = line.text
    if _RELATED_HEADING.match(text):
        return "heading"
    if _TYPE_TAG.match(text):
        return "type"
    if _VIEW_ALL.match(text):
        return "view-all"
    if _DATE_LINE.match(text):
        return "date"
    if _BYLINE.match(text) and line.word_count() <= MAX_BYLINE_WORDS and (
        not ends_sentence(text) or re.search(r"\b(?:Ph\.D|Jr|Sr|M\.D)\.$", text)
    ):
        return "byline"
    if index > 0 and lines[index - 1].text == text and line.word_count() <= 25 and not ends_sentence(text):
        return "repeated-title"
    return None


def mark_related_blocks(lines: list[Line]) -> None:
    """Remove runs of teaser lines (see module doc) as ``related``."""
    markers = [(i, kind) for i in range(len(lines)) if lines[i].kept and (kind := _marker(lines, i))]
    _remove_heading_with_title_list(lines, [i for i, kind in markers if kind == "heading"])
    markers = [(i, kind) for i, kind in markers if lines[i].kept]
    group: list[tuple[int, str]] = []
    for item in markers:
        if group and _kept_between(lines, group[-1][0], item[0]) > MAX_GAP:
            _remove_block_if_teasers(lines, group)
            group = []
        group.append(item)
    if group:
        _remove_block_if_teasers(lines, group)


def _remove_heading_with_title_list(lines: list[Line], headings: list[int]) -> None:
    """A related-content heading followed only by a few short lines up to the end of the page."""
    for index in headings:
        tail = [line for line in lines[index + 1 :] if line.kept]
        if 1 <= len(tail) <= MAX_TAIL_TITLES and all(
            line.word_count() <= MAX_BYLINE_WORDS and not ends_sentence(line.text) for line in tail
        ):
            for line in [lines[index], *tail]:
                line.removed = "related"
            return


def _kept_between(lines: list[Line], a: int, b: int) -> int:
    return sum(1 for line in lines[a + 1 : b] if line.kept)


def _remove_block_if_teasers(lines: list[Line], group: list[tuple[int, str]]) -> None:
    kinds = {kind for _, kind in group}
    if len(group) < MIN_MARKERS or len(kinds) < 2 or not kinds & _TEASER_ONLY:
        return
    first, last = group[0][0], group[-1][0]
    # the title that opens the first teaser sits just before its first marker
    if group[0][1] != "heading":
        back = first - 1
        while back >= 0 and first - back <= 2 and lines[back].kept and not ends_sentence(lines[back].text) \
                and lines[back].word_count() <= 25:
            first = back
            back -= 1
        if back >= 0 and lines[back].kept and _RELATED_HEADING.match(lines[back].text):
            first = back
    # a block that runs to the end of the document takes its last teaser with it
    tail = [line for line in lines[last + 1 :] if line.kept]
    if len(tail) <= MAX_GAP and all(line.word_count() <= 120 for line in tail):
        last = len(lines) - 1
    for line in lines[first : last + 1]:
        if line.kept:
            line.removed = "related"


_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to v vs with is are be".split())


def _title_like(text: str) -> bool:
    """Most significant words capitalised and no sentence-ending punctuation at the end."""
    if ends_sentence(text) or text.endswith((",", ";", ":")):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant or len(words) > 30:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= TITLE_CASE_SHARE


def mark_trailing_titles(lines: list[Line]) -> list[tuple[int, int, str]]:
    """Remove headlines of other articles at the end of the document.

    Returns raw spans cut from inside the last line (titles glued onto its last sentence);
    whole title lines after the body are marked on the lines themselves.
    """
    kept = [line for line in lines if line.kept]
    # short title-like lines after the last body paragraph (two or more, to spare a sign-off)
    run = 0
    while run < len(kept) - 1 and _title_like(kept[-1 - run].text) and kept[-1 - run].word_count() <= 16:
        run += 1
    if run >= 2 and ends_sentence(kept[-1 - run].text):
        for line in kept[len(kept) - run :]:
            line.removed = "trailing-titles"
        kept = kept[: len(kept) - run]
    if not kept:
        return []
    last = kept[-1]
    points = glue_points(last.text)
    if not points:
        return []
    cut = points[-1]
    tail = last.text[cut:]
    if cut < 20 or not _title_like(tail):
        return []
    start = last.start + cut
    end = last.end
    last.trim_end(start)
    return [(start, end, "trailing-titles")]
