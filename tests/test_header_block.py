"""Header blocks of plain-text articles: masthead, headline, dek, byline, date and syndication lines.

All header blocks and bodies here are invented. The negative cases are what matter most: a
body that opens with a short sentence, a one-line quote or a seed-like lede must keep every
word and get no title, author or date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cruxmap.clean import build_source
from cruxmap.ingest import document_from_text
from cruxmap.ingest.header import parse_date_line, parse_header_byline, read_header_block
from cruxmap.ingest.text import plain_text_document

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

BODY = (
    "The island council met again on Tuesday to discuss the new tidal barrier, and for the third\n"
    "time in a row it failed to agree on who should pay for the maintenance of the sluice gates.\n"
    "Engineers told the meeting that the gates would need new seals within five years.\n\n"
    "Residents of the low-lying villages said they had heard such promises before. Several of them\n"
    "asked why the county had spent its flood budget on a visitor centre instead.\n"
)
FIRST_BODY_WORDS = "The island council met again on Tuesday"


def header_of(text: str) -> dict:
    fields = plain_text_document(text, "test.txt")
    removed = [(text[s:e], reason) for s, e, reason in fields["pre_removed"]]
    return {
        "title": fields.get("title"),
        "author": fields.get("author"),
        "outlet": fields.get("outlet"),
        "published": fields.get("published"),
        "removed": removed,
    }


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (  # masthead with a section, two-sentence headline, byline, date line
            (
                "THE ESTUARY GAZETTE | Opinion\n\n"
                "Fix the barrier we have. Argue about the next one later.\n\n"
                "By Maren Quist\nMarch 4, 2025\n\n"
            ),
            {
                "outlet": "THE ESTUARY GAZETTE",
                "title": "Fix the barrier we have. Argue about the next one later.",
                "author": "Maren Quist",
                "published": "2025-03-04",
            },
        ),
        (  # syndicated copy: outlet with a dash, syndication note, name | date
            (
                "NORTHERN COURIER — Analysis\nDistributed by Lighthouse Features Service\n"
                "Fix the barrier we have\nMaren Quist | 6 March 2025\n\n"
            ),
            {
                "outlet": "NORTHERN COURIER",
                "title": "Fix the barrier we have",
                "author": "Maren Quist",
                "published": "2025-03-06",
            },
        ),
        (  # bare masthead, ALL CAPS headline with a dek, byline with a role, Published line
            (
                "Tide & Table\n\nTHE BARRIER, THE BILL AND THE BLAME\n"
                "Why nobody wants to own the sluice gates\n\n"
                "by Oskar Lindgren-Holm, contributing editor\nPublished 12 February 2025\n\n"
            ),
            {
                "outlet": "Tide & Table",
                "title": "THE BARRIER, THE BILL AND THE BLAME",
                "author": "Oskar Lindgren-Holm",
                "published": "2025-02-12",
            },
        ),
        (  # headline, byline with a date after a comma, no outlet
            "Who Pays for the Sluice Gates?\nBy Ada Brennan and Tom Okafor, Feb. 3, 2025\n\n",
            {
                "outlet": None,
                "title": "Who Pays for the Sluice Gates?",
                "author": "Ada Brennan, Tom Okafor",
                "published": "2025-02-03",
            },
        ),
        (  # headline and an Updated line with a time: the update is not the publication date
            "Council Delays Vote on Tidal Barrier\nUpdated 9:40 a.m. GMT, 5 March 2025\n\n",
            {
                "outlet": None,
                "title": "Council Delays Vote on Tidal Barrier",
                "author": None,
                "published": None,
            },
        ),
    ],
)
def test_header_block_layouts(header, expected):
    found = header_of(header + BODY)
    assert {k: found[k] for k in expected} == expected
    # every header line is recorded as removed, and the body starts right after the block
    removed_text = "\n".join(text for text, _ in found["removed"])
    for line in header.splitlines():
        if line.strip():
            assert line.strip() in removed_text
    assert all(FIRST_BODY_WORDS not in text for text, _ in found["removed"])


def test_header_block_reasons_and_clean_body():
    text = (
        "NORTHERN COURIER — Analysis\nDistributed by Lighthouse Features Service\n\nTHE BARRIER, THE BILL\n"
        "Why nobody wants to own the sluice gates\nBy Maren Quist | 6 March 2025\n\n" + BODY
    )
    doc = document_from_text(text, "courier.txt")
    assert [reason for _, _, reason in doc.pre_removed] == ["outlet", "syndication", "title", "dek", "byline"]
    assert doc.metadata_origin == {
        "outlet": "header",
        "title": "first-line",
        "author": "byline",
        "published": "header",
    }
    source = build_source(doc)
    assert source.text.startswith(FIRST_BODY_WORDS)
    assert "Distributed" not in source.text and "sluice gates" in source.text
    assert [r.reason for r in source.removed][:5] == ["outlet", "syndication", "title", "dek", "byline"]


def test_front_matter_values_win_over_the_header_block():
    text = (
        "---\ntitle: Barrier vote\nauthor: Ada Brennan\n---\nBarrier vote\nBy Tom Okafor\nMarch 4, 2025\n\n"
        + BODY
    )
    doc = document_from_text(text, "fm.txt")
    assert (doc.title, doc.author, doc.published) == ("Barrier vote", "Ada Brennan", "2025-03-04")


@pytest.mark.parametrize(
    "start",
    [
        "It rained.\n\n",  # a body that opens with a short sentence
        "Nobody expected the vote to fail.\n\n",
        "“We will not pay for somebody else’s gates,” the mayor said.\n\n",  # a one-line quote
        (  # a seed-like hard-wrapped lede
            "In Tuesday’s council meeting, the mayor argued that the county should pay, and that the\n"
            "villages could not be asked to carry the cost alone.\n\n"
        ),
        # a date inside a sentence
        "Short words first.\nMarch 2025 was the wettest month on record in the estuary.\n\n",
        "By the time the council met, the gates had failed twice.\n\n",  # "By" opening a sentence
    ],
)
def test_body_openings_are_not_header_blocks(start):
    text = start + BODY
    found = header_of(text)
    assert (found["title"], found["author"], found["published"], found["outlet"]) == (None, None, None, None)
    assert found["removed"] == []
    assert read_header_block(text) is None


def test_a_short_first_paragraph_before_a_date_line_is_not_taken_as_a_headline():
    # a full-stop sentence above a bare date line may be a first paragraph: read nothing
    text = "The vote was postponed again.\n\nMarch 4, 2025\n\n" + BODY
    found = header_of(text)
    assert found["title"] is None
    assert ("The vote was postponed again.", "title") not in found["removed"]


def test_caption_above_a_byline_is_not_a_headline():
    text = (
        "Workers inspect the sluice gates on Monday. Picture: Lena Moss/Estuary Images\n\nBy Ada Brennan\n\n"
        + BODY
    )
    found = header_of(text)
    assert found["title"] is None
    assert found["author"] == "Ada Brennan"  # the ordinary byline rule still finds the author


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 3, 2024", ("2024-06-03", "published")),
        ("Published on 12 Feb 2024", ("2024-02-12", "published")),
        ("Posted: Tuesday, March 4, 2025 at 10:15 am ET", ("2025-03-04", "published")),
        ("Last updated 5 March 2025, 09:40 GMT", ("2025-03-05", "updated")),
        ("June 3, 2024, was the day the council finally voted", None),
        ("Published in the spring", None),
    ],
)
def test_date_lines(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Maren Quist", ("Maren Quist", None)),
        ("by Oskar Lindgren-Holm, contributing editor", ("Oskar Lindgren-Holm", None)),
        ("Maren Quist | 6 March 2025", ("Maren Quist", "2025-03-06")),
        ("By Ada Brennan, Staff Writer", ("Ada Brennan", None)),
        ("Tide & Table", None),  # a masthead, not a person
        ("Updated: Tues. | 6 March 2025", None),
        ("Reuters | 6 March 2025", None),  # an agency alone is left for others to decide
    ],
)
def test_header_bylines(line, expected):
    assert parse_header_byline(line) == expected


def test_seeds_keep_their_openings():
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"seed articles not found at {SEEDS}")
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        assert read_header_block(text) is None, path.name
        found = header_of(text)
        assert (found["title"], found["author"], found["published"]) == (None, None, None), path.name


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    "name",
    [
        "04-keep-the-reactors-we-have.txt",
        "05-keep-the-reactors-syndicated.txt",
        "06-small-reactors-big-promises.txt",
    ],
)
def test_example_plain_text_headers_match_the_expected_metadata(name):
    import yaml

    expected = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))["files"][name]
    source = build_source(document_from_text((EXAMPLES / "corpus" / name).read_text(encoding="utf-8"), name))
    assert (source.title, source.author, source.published) == (
        expected["title"],
        expected["author"],
        expected["published"],
    )
    assert source.outlet.casefold() == expected["outlet"].casefold()  # a masthead keeps its capitals
    for noise in expected["noise"]:
        assert " ".join(noise.split()) not in source.text
    assert not source.text.startswith(source.title)


def test_example_syndicated_copy_is_still_a_near_duplicate():
    from cruxmap.clean import attach_duplicates

    names = ["04-keep-the-reactors-we-have.txt", "05-keep-the-reactors-syndicated.txt"]
    sources = [
        build_source(document_from_text((EXAMPLES / "corpus" / n).read_text(encoding="utf-8"), n))
        for n in names
    ]
    attach_duplicates(sources)
    assert [d.source_id for d in sources[0].duplicates] == [sources[1].id]
    assert "Harbour Post)" not in sources[0].text  # the wrapped, twice-printed caption is gone whole
