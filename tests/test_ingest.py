"""Ingest: every format, every encoding, metadata, title inference, export fields, folder order.

All articles here are written for these tests; the seed and export tests read ../shared and
skip when it is absent.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from pathlib import Path

import pytest

from cruxmap.ingest import IngestOptions, RawDocument, document_from_text, iter_inputs
from cruxmap.ingest.dates import normalise_date
from cruxmap.ingest.title import infer_title
from cruxmap.model import Failure

SHARED = Path(__file__).resolve().parents[2] / "shared"

BODY = (
    "The negotiators met again on Tuesday in a hotel by the lake. Both delegations said that the talks "
    "had been useful, but neither side would say what had been offered. One official, who asked not to "
    "be named, said the question of guarantees was still open and that it would take weeks to settle.\n\n"
    "Critics of the process argue that a promise of neutrality is worth little without a power that is "
    "willing to enforce it. They point to earlier agreements that were signed with great ceremony and "
    "then ignored when they became inconvenient for one of the parties.\n"
)


def ingest(*paths: Path | str, **options) -> list[RawDocument | Failure]:
    return list(iter_inputs(list(paths), IngestOptions(**options)))


def only_document(items: list) -> RawDocument:
    assert len(items) == 1, items
    assert isinstance(items[0], RawDocument), items[0]
    return items[0]


def make_pdf(lines: list[str], title: str | None = None, author: str | None = None) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica, one line each)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    shown = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 11 Tf 72 720 Td {shown} ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    meta = {k: v for k, v in (("/Title", title), ("/Author", author)) if v}
    if meta:
        writer.add_metadata(meta)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- plain text


def test_txt_with_title_line(tmp_path):
    path = tmp_path / "talks.txt"
    text = "Why Neutrality Will Not Save Ukraine\n\n" + BODY
    path.write_text(text, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.format == "txt"
    assert doc.path == str(path)
    assert doc.raw_text == text
    assert doc.title == "Why Neutrality Will Not Save Ukraine"
    assert doc.metadata_origin == {"title": "first-line"}
    assert doc.pre_removed == [(0, len("Why Neutrality Will Not Save Ukraine"), "title")]
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.author is doc.outlet is doc.published is doc.url is None


def test_txt_starting_with_body_has_no_title(tmp_path):
    path = tmp_path / "body.txt"
    path.write_text(BODY, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.title is None
    assert doc.pre_removed == []
    assert doc.metadata_origin == {}


TITLE_POSITIVE = [
    ("Why Neutrality Will Not Save Ukraine\n\n", "Why Neutrality Will Not Save Ukraine"),
    ("Kyiv weighs a neutrality offer as talks resume\n\n", "Kyiv weighs a neutrality offer as talks resume"),
    ("  The Limits of Security Guarantees.\n\n", "The Limits of Security Guarantees."),
    ("Is NATO Enlargement to Blame?\n\n", "Is NATO Enlargement to Blame?"),
    ("The Case Against a Neutral Ukraine\n", "The Case Against a Neutral Ukraine"),  # body follows directly
    ("U.S. and Allies Weigh New Guarantees for Kyiv\n\n", "U.S. and Allies Weigh New Guarantees for Kyiv"),
]


@pytest.mark.parametrize("first, title", TITLE_POSITIVE)
def test_title_inferred_from_a_first_line_that_is_one(first, title):
    found = infer_title(first + BODY)
    assert found is not None
    assert found.title == title
    assert (first + BODY)[found.start : found.end] == title


TITLE_NEGATIVE = [
    # a hard-wrapped first sentence, continuing on the next line
    ("Given how little either side trusts the other, any deal must test whether the\n"
    "guarantees would be honoured.\n\n"),
    # hard-wrapped, and the next line happens to start with a capital
    "Diplomats have spent weeks arguing over the wording of talks between\nRussia and Ukraine.\n\n",
    # a lede sentence of its own paragraph
    "Ministers met in Geneva on Friday to discuss the proposal.\n\n",
    # two sentences
    "Talks resumed. Nobody expected much\n\n",
    # bylines, dates and captions
    "By Jane Roe and John Doe\n\n",
    "Jane Roe, and John Q. Doe\n\n",
    "March 3, 2022\n\n",
    "Delegates arrive at the venue. Photo: Jane Roe\n\n",
    "Read more at https://example.org/talks\n\n",
    # too short, lowercase start, trailing connector, pull quote
    "Opinion\n\n",
    "the talks went on without a break\n\n",
    "Why neutral states need friends and\n\n",
    "\u201cWe will not give up an inch of our land\u201d\n\n",
    # a long sentence-case deck
    ("The alliance says it has no plans to expand further east but several members want firm commitments "
    "written down before any vote\n\n"),
]


@pytest.mark.parametrize("first", TITLE_NEGATIVE)
def test_title_not_inferred_when_first_line_is_not_a_title(first):
    assert infer_title(first + BODY) is None


def test_single_line_text_is_body_not_title():
    assert infer_title("Ukraine Weighs Neutrality Offer") is None
    assert infer_title("Ukraine Weighs Neutrality Offer\n\nToo short.") is None


def test_txt_title_and_byline(tmp_path):
    path = tmp_path / "byline.txt"
    text = "Kyiv weighs a neutrality offer\nBy Jane Roe and John Q. Doe\n\n" + BODY
    path.write_text(text, encoding="utf-8")
    doc = only_document(ingest(path))
    assert (doc.title, doc.author) == ("Kyiv weighs a neutrality offer", "Jane Roe, John Q. Doe")
    assert doc.metadata_origin == {"title": "first-line", "author": "byline"}
    assert [(text[s:e], r) for s, e, r in doc.pre_removed] == [
        ("Kyiv weighs a neutrality offer", "title"),
        ("By Jane Roe and John Q. Doe", "byline"),
    ]


def test_sentence_starting_with_by_is_not_a_byline(tmp_path):
    path = tmp_path / "by.txt"
    path.write_text(
        "By the time the talks ended, nobody in the room believed the guarantees.\n\n" + BODY,
        encoding="utf-8",
    )
    doc = only_document(ingest(path))
    assert doc.author is None and doc.pre_removed == []


def test_txt_key_value_header_block(tmp_path):
    path = tmp_path / "saved.txt"
    header = "Title: Talks by the Lake\nAuthor: Jane Roe\nSource: Example Daily\nDate: 15 February 2022\n"
    text = header + "\nTalks by the Lake\n\n" + BODY
    path.write_text(text, encoding="utf-8")
    doc = only_document(ingest(path))
    assert (doc.title, doc.author, doc.outlet, doc.published) == (
        "Talks by the Lake",
        "Jane Roe",
        "Example Daily",
        "2022-02-15",
    )
    assert set(doc.metadata_origin.values()) == {"front-matter"}
    assert doc.pre_removed[0] == (0, len(header), "front-matter")
    start, end, reason = doc.pre_removed[1]  # the body's first line repeats the title
    assert (text[start:end], reason) == ("Talks by the Lake", "title")


def test_txt_colon_lines_in_body_are_not_a_header(tmp_path):
    path = tmp_path / "body.txt"
    path.write_text("Note: the talks resumed.\n" + BODY, encoding="utf-8")  # one line, no blank after
    doc = only_document(ingest(path))
    assert doc.title is None and doc.pre_removed == []


def test_txt_yaml_front_matter_only_when_it_is_metadata(tmp_path):
    with_meta = tmp_path / "meta.txt"
    with_meta.write_text("---\ntitle: A Plan for the Summit\n---\n" + BODY, encoding="utf-8")
    assert only_document(ingest(with_meta)).title == "A Plan for the Summit"
    rule = tmp_path / "rule.txt"
    rule.write_text("---\nA line between two rules, not metadata\n---\n" + BODY, encoding="utf-8")
    doc = only_document(ingest(rule))
    assert doc.title is None and doc.pre_removed == []


def test_date_from_url_then_file_name(tmp_path):
    from_url = tmp_path / "a.md"
    from_url.write_text(
        "---\nurl: https://example.org/world/2021/12/14/talks-by-the-lake\n---\n" + BODY, encoding="utf-8"
    )
    from_name = tmp_path / "example_2015-11-16_talks.txt"
    from_name.write_text(BODY, encoding="utf-8")
    first, second = ingest(from_url, from_name)
    assert (first.published, first.metadata_origin["published"]) == ("2021-12-14", "url")
    assert (second.published, second.metadata_origin["published"]) == ("2015-11-16", "file-name")


# --------------------------------------------------------------------------- markdown


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "post.md"
    front = (
        "---\n"
        'title: "Guarantees, Not Promises"\n'
        "authors: [Jane Roe, John Doe]\n"
        "publisher: The Example Review\n"
        "date: March 3, 2022\n"
        "url: https://example.org/guarantees\n"
        "---\n"
    )
    text = front + "\n# Guarantees, Not Promises\n\n" + BODY
    path.write_text(text, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.format == "md"
    assert doc.raw_text == text
    assert doc.title == "Guarantees, Not Promises"
    assert doc.author == "Jane Roe, John Doe"
    assert doc.outlet == "The Example Review"
    assert doc.published == "2022-03-03"
    assert doc.url == "https://example.org/guarantees"
    assert set(doc.metadata_origin.values()) == {"front-matter"}
    assert set(doc.metadata_origin) == {"title", "author", "outlet", "published", "url"}
    assert doc.pre_removed[0] == (0, len(front), "front-matter")
    start, end, reason = doc.pre_removed[1]  # the heading repeats the title
    assert (text[start:end], reason) == ("# Guarantees, Not Promises", "title")


def test_markdown_yaml_date_object_and_source_alias(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        "---\ntitle: A Plan for the Summit\ndate: 2023-07-11\nsource: Example Daily\n---\n" + BODY,
        encoding="utf-8",
    )
    doc = only_document(ingest(path))
    assert doc.published == "2023-07-11"
    assert doc.outlet == "Example Daily"
    assert doc.title == "A Plan for the Summit"
    assert [r[2] for r in doc.pre_removed] == ["front-matter"]


def test_markdown_toml_front_matter(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        '+++\ntitle = "Notes From the Border"\nauthor = "Jane Roe"\n+++\n' + BODY, encoding="utf-8"
    )
    doc = only_document(ingest(path))
    assert (doc.title, doc.author) == ("Notes From the Border", "Jane Roe")
    assert doc.metadata_origin == {"title": "front-matter", "author": "front-matter"}


def test_markdown_heading_gives_title(tmp_path):
    path = tmp_path / "post.md"
    text = "\n# What the Treaty Left Out\n\n" + BODY
    path.write_text(text, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.title == "What the Treaty Left Out"
    assert doc.metadata_origin == {"title": "first-line"}
    start, end, reason = doc.pre_removed[0]
    assert (text[start:end], reason) == ("# What the Treaty Left Out", "title")


def test_markdown_without_metadata(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(BODY, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.title is None and doc.pre_removed == []


# --------------------------------------------------------------------------- html


HTML = """<!doctype html><html><head><title>Guarantees Without Teeth | Example Review</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="Example Review">
<meta property="og:title" content="Guarantees Without Teeth">
<meta property="article:published_time" content="2022-02-03T10:00:00Z">
<link rel="canonical" href="https://example.org/guarantees-without-teeth"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/opinion">Opinion</a></nav>
<article><h1>Guarantees Without Teeth</h1>
<p>The negotiators met again on Tuesday in a hotel by the lake, and both delegations said that the
talks had been useful.</p>
<p>Critics of the process argue that a promise of neutrality is worth little without a power that is
willing to enforce it when the moment comes.</p>
<p>They point to earlier agreements that were signed with great ceremony and then ignored when they became
inconvenient for one of the parties.</p></article>
<footer>Copyright 2022 Example Review. All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.format == "html"
    assert doc.title == "Guarantees Without Teeth"
    assert doc.author == "Jane Roe"
    assert doc.outlet == "Example Review"
    assert doc.published == "2022-02-03"
    assert doc.url == "https://example.org/guarantees-without-teeth"
    assert set(doc.metadata_origin.values()) == {"html-meta"}
    paragraphs = doc.raw_text.split("\n\n")
    assert paragraphs[0] == "Guarantees Without Teeth"
    assert paragraphs[1].startswith("The negotiators met again") and paragraphs[1].endswith(
        "had been useful."
    )
    assert paragraphs[3].startswith("They point to earlier agreements")
    assert "Home" not in doc.raw_text and "Copyright" not in doc.raw_text
    assert doc.pre_removed == [(0, len("Guarantees Without Teeth"), "title")]


def test_truncated_html_with_article_text_is_still_read(tmp_path):
    path = tmp_path / "cut.htm"
    path.write_text(HTML[: HTML.index("They point to")] + "They point to earl", encoding="utf-8")
    doc = only_document(ingest(path))
    assert "promise of neutrality" in doc.raw_text


def test_web_page_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(HTML, encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.format == "html"
    assert doc.title == "Guarantees Without Teeth" and "<p>" not in doc.raw_text


def test_html_in_windows_1252_with_entities(tmp_path):
    path = tmp_path / "old.htm"
    page = HTML.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "useful.</p>", "useful &mdash; &ldquo;very useful&rdquo;, said the minister\u2019s aide.</p>"
    )
    path.write_bytes(page.encode("cp1252"))
    doc = only_document(ingest(path))
    assert "useful \u2014 \u201cvery useful\u201d, said the minister\u2019s aide." in doc.raw_text


# --------------------------------------------------------------------------- pdf


def test_pdf_text_layer_and_metadata(tmp_path):
    path = tmp_path / "paper.pdf"
    lines = [
        "The negotiators met again on Tuesday in a hotel by the lake.",
        "Both delegations said that the talks had been useful for them.",
        "Critics argue that a promise of neutrality is worth little",
        "without a power that is willing to enforce it when it matters.",
    ]
    path.write_bytes(make_pdf(lines, title="Talks by the Lake", author="Jane Roe"))
    doc = only_document(ingest(path))
    assert doc.format == "pdf"
    assert doc.raw_text.split("\n") == lines
    assert (doc.title, doc.author) == ("Talks by the Lake", "Jane Roe")
    assert doc.metadata_origin == {"title": "pdf-meta", "author": "pdf-meta"}


def test_pdf_placeholder_title_is_ignored(tmp_path):
    path = tmp_path / "draft.pdf"
    lines = [
        "The negotiators met again on Tuesday in a hotel by the lake, and both",
        "delegations said that the talks had been useful for them and for the region.",
    ]
    path.write_bytes(make_pdf(lines, title="Microsoft Word - draft3.docx"))
    assert only_document(ingest(path)).title is None


# --------------------------------------------------------------------------- exports


RECORDS = [
    {
        "headline": "Talks Resume by the Lake",
        "body": BODY,
        "published_at": "2022-02-15T08:00:00Z",
        "link": "https://example.org/1",
        "source": {"id": "ex", "name": "Example Daily"},
        "authors": ["Jane Roe"],
    },
    {
        "headline": "Guarantees Debated Again",
        "body": BODY.replace("Tuesday", "Friday"),
        "published_at": "3/17/22",
        "link": "https://example.org/2",
        "source": "Example Weekly",
        "authors": "John Doe",
    },
]


def test_jsonl_with_configured_fields(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n\n" + json.dumps(RECORDS[1]) + "\n", encoding="utf-8")
    docs = ingest(
        path, text_field="body", title_field="headline", date_field="published_at", url_field="link"
    )
    assert [d.path for d in docs] == [f"{path}#1", f"{path}#3"]  # line numbers, blank line counted
    first, second = docs
    assert first.format == "jsonl"
    assert first.raw_text == BODY
    assert (first.title, first.published, first.url) == (
        "Talks Resume by the Lake",
        "2022-02-15",
        "https://example.org/1",
    )
    assert (first.outlet, first.author) == ("Example Daily", "Jane Roe")  # dict and list values flattened
    assert (second.outlet, second.author, second.published) == ("Example Weekly", "John Doe", "2022-03-17")
    assert set(first.metadata_origin.values()) == {"export-field"}
    canonical = json.dumps(RECORDS[0], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert first.sha256 == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert first.sha256 != second.sha256


def test_jsonl_aliases_when_configured_fields_are_missing(tmp_path):
    path = tmp_path / "export.jsonl"
    record = {
        "title": "A Quiet Summit",
        "content_original": BODY,
        "source": "Example Daily",
        "authors": "Jane Roe, John Doe",
        "date": "2019-05-02",
        "url": "https://example.org/3",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    doc = only_document(ingest(path))  # default field names: text, title, date, url, outlet, author
    assert doc.raw_text == BODY
    assert (doc.title, doc.outlet, doc.author, doc.published, doc.url) == (
        "A Quiet Summit",
        "Example Daily",
        "Jane Roe, John Doe",
        "2019-05-02",
        "https://example.org/3",
    )


def test_jsonl_title_repeated_in_text_and_date_from_url(tmp_path):
    path = tmp_path / "export.jsonl"
    record = {
        "title": "A Quiet Summit",
        "text": "A Quiet Summit\n\n" + BODY,
        "date": "",
        "url": "https://example.org/2019/05/02/a-quiet-summit",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    doc = only_document(ingest(path))
    assert doc.pre_removed == [(0, len("A Quiet Summit"), "title")]
    assert (doc.published, doc.metadata_origin["published"]) == ("2019-05-02", "url")


def test_jsonl_record_without_title_field_infers_it(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(
        json.dumps({"text": "Why Guarantees Fail in Practice\n\n" + BODY}) + "\n", encoding="utf-8"
    )
    doc = only_document(ingest(path))
    assert doc.title == "Why Guarantees Fail in Practice"
    assert doc.metadata_origin == {"title": "first-line"}
    assert doc.pre_removed == [(0, len(doc.title), "title")]


def test_csv_export_and_same_record_same_hash(tmp_path):
    import csv

    rows = [
        {"title": "A Quiet Summit", "text": BODY, "date": "May 2, 2019", "outlet": "Example Daily"},
        {"title": "A Louder Summit", "text": BODY.replace("hotel", "palace"), "date": "", "outlet": ""},
    ]
    csv_path = tmp_path / "export.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    jsonl_path = tmp_path / "same.jsonl"
    jsonl_path.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    first, second, from_jsonl = ingest(csv_path, jsonl_path)
    assert [first.path, second.path] == [f"{csv_path}#1", f"{csv_path}#2"]
    assert first.format == "csv"
    assert first.raw_text == BODY  # the quoted multi-line cell keeps its paragraphs
    assert (first.title, first.published, first.outlet) == ("A Quiet Summit", "2019-05-02", "Example Daily")
    assert (second.published, second.outlet) == (None, None)  # empty cells are unknown, not ""
    assert first.sha256 == from_jsonl.sha256


def test_csv_semicolon_delimiter_and_custom_columns(tmp_path):
    path = tmp_path / "excel.csv"
    body = BODY.replace("\n", " ").replace('"', "'")
    path.write_text(f'Kop;Tekst;Datum\n"Guarantees on Paper";"{body}";21.03.2022\n', encoding="utf-8")
    doc = only_document(ingest(path, text_field="Tekst", title_field="Kop", date_field="Datum"))
    assert doc.title == "Guarantees on Paper"
    assert doc.raw_text == body
    assert doc.published == "2022-03-21"


def test_csv_quoted_body_with_doubled_quotes_stays_one_article(tmp_path):
    """A standard export (Python's csv, Excel, pandas) doubles quotation marks inside quoted cells; the
    header line alone does not show that, so guessing the dialect from it shredded such a row into
    fragment 'articles' and lost the real one."""
    import csv

    body = ('Today, the board met.\n"We will not sell," said Rupert Murdoch, who added: "Never."\n'
            'The shares, however, fell 3%; analysts said ""sell"".\n\n' + BODY)
    path = tmp_path / "news.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "author", "text"])
        writer.writerow(["Murdoch keeps the papers", "Jane Roe", body])
        writer.writerow(["Second story", "J. Doe", BODY])
    first, second = ingest(path)
    assert (first.title, first.author, first.raw_text) == ("Murdoch keeps the papers", "Jane Roe", body)
    assert second.title == "Second story"


def test_csv_with_broken_quoting_names_the_row(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(f'title,text\nFine,"{BODY}"\nBroken,"an unterminated cell, with ""quotes\n', encoding="utf-8")
    fine, failure = ingest(path)
    assert fine.title == "Fine"
    assert failure.path.endswith("broken.csv#2") and "quoting" in failure.message


def test_limit_stops_after_n_documents(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps({"text": BODY + str(i)}) + "\n" for i in range(5)), encoding="utf-8")
    assert [d.path for d in ingest(path, limit=2)] == [f"{path}#1", f"{path}#2"]


# --------------------------------------------------------------------------- encodings


ACCENTED = (
    "The envoy’s café in Zürich served crème brûlée — “naïve” "
    "diplomacy, he said, had failed before and would fail again.\n\n" + BODY
)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252"]
)
def test_encodings_decode_to_the_same_text(tmp_path, encoding):
    path = tmp_path / "article.txt"
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + ACCENTED.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + ACCENTED.encode("utf-16-be")
    else:
        data = ACCENTED.encode(encoding)
    path.write_bytes(data)
    doc = only_document(ingest(path))
    assert doc.raw_text == ACCENTED
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_latin1_decodes(tmp_path):
    text = (
        "The caf\u00e9 in Z\u00fcrich served cr\u00e8me br\u00fbl\u00e9e to the na\u00efve envoy.\n\n" + BODY
    )
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    assert only_document(ingest(path)).raw_text == text


def test_cp1252_smart_quotes_and_dashes(tmp_path):
    path = tmp_path / "quotes.txt"
    path.write_bytes(
        b"He called it \x93a bad deal\x94 \x97 and the minister\x92s aides agreed\x85\n\n"
        + BODY.encode("ascii")
    )
    doc = only_document(ingest(path))
    assert doc.raw_text.startswith(
        "He called it \u201ca bad deal\u201d \u2014 and the minister\u2019s aides agreed\u2026\n\n"
    )


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_are_normalised(tmp_path, newline):
    path = tmp_path / "windows.txt"
    path.write_bytes(
        ("Why Neutrality Will Not Save Ukraine\n\n" + BODY).replace("\n", newline).encode("utf-8")
    )
    doc = only_document(ingest(path))
    assert "\r" not in doc.raw_text
    assert doc.raw_text == "Why Neutrality Will Not Save Ukraine\n\n" + BODY
    assert doc.title == "Why Neutrality Will Not Save Ukraine"


def test_document_from_pasted_text():
    doc = document_from_text("Why Neutrality Will Not Save Ukraine\r\n\r\n" + BODY)
    assert isinstance(doc, RawDocument)
    assert (doc.path, doc.format, doc.title) == ("pasted.txt", "txt", "Why Neutrality Will Not Save Ukraine")
    assert "\r" not in doc.raw_text
    page = document_from_text(HTML, name="page.html")
    assert page.format == "html" and page.author == "Jane Roe"
    assert document_from_text("   ").error == "empty-file"
    assert document_from_text(BODY, name="x.pdf").error == "unsupported-format"


# --------------------------------------------------------------------------- folders


def test_folder_recursion_sorted_and_hidden_skipped(tmp_path):
    files = [
        "b/d/e.md",
        "b/c.txt",
        "a.txt",
        "z.html",
        "B2.txt",
        "b/notes.docx",
        "README",
        ".hidden.txt",
        ".git/config.txt",
        "b/.cache/x.txt",
    ]
    for name in files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(HTML if name.endswith(".html") else BODY, encoding="utf-8")
    docs = ingest(tmp_path)
    assert all(isinstance(d, RawDocument) for d in docs), docs
    assert [Path(d.path).relative_to(tmp_path).as_posix() for d in docs] == [
        "B2.txt",
        "a.txt",
        "b/c.txt",
        "b/d/e.md",
        "z.html",
    ]
    assert docs[0].path == str(tmp_path / "B2.txt")  # paths keep the folder as given


def test_several_paths_keep_their_order(tmp_path):
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(BODY, encoding="utf-8")
    docs = ingest(tmp_path / "two.txt", tmp_path / "one.txt")
    assert [Path(d.path).name for d in docs] == ["two.txt", "one.txt"]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2022-02-21", "2022-02-21"),
        ("2022-02-21T09:30:00Z", "2022-02-21"),
        ("2022/2/21", "2022-02-21"),
        ("20220221", "2022-02-21"),
        ("Feb. 21, 2022", "2022-02-21"),
        ("February 21st, 2022", "2022-02-21"),
        ("Monday, February 21, 2022", "2022-02-21"),
        ("21 February 2022", "2022-02-21"),
        ("Sept. 3, 2021", "2021-09-03"),
        ("4/18/18", "2018-04-18"),
        ("21/02/2022", "2022-02-21"),
        ("21.03.2022", "2022-03-21"),
        ("10/10/18", "2018-10-10"),
        ("3/4/2022", "2022"),
        ("February 2022", "2022-02"),
        ("2022-02", "2022-02"),
        ("2022", "2022"),
        ("", None),
        ("soon", None),
        ("2022-02-30", None),
        ("13/13/2022", None),
        (None, None),
    ],
)
def test_normalise_date(value, iso):
    assert normalise_date(value) == iso


# --------------------------------------------------------------------------- real data


@pytest.mark.shared
def test_seed_articles_ingest_with_empty_titles():
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is absent (shared corpus not available)")
    docs = ingest(seeds)
    assert len(docs) == 5
    for doc in docs:
        assert isinstance(doc, RawDocument), doc
        expected = Path(doc.path).read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        assert doc.raw_text == expected
        assert doc.title is None and doc.pre_removed == [] and doc.metadata_origin == {}
        assert doc.sha256 == hashlib.sha256(Path(doc.path).read_bytes()).hexdigest()


@pytest.mark.shared
def test_real_export_reads_all_articles_quickly():
    export = SHARED / "data" / "news_article_bias" / "articles_subset.jsonl"
    if not export.is_file():
        pytest.skip(f"{export} is absent (shared data not available)")
    started = time.perf_counter()
    docs = ingest(export)
    seconds = time.perf_counter() - started
    failures = [d for d in docs if isinstance(d, Failure)]
    assert failures == []
    assert len(docs) == 5922
    assert all(d.outlet and d.title and d.raw_text.strip() for d in docs)
    assert sum(d.published is not None for d in docs) >= 5922 - 852  # the export leaves 852 dates empty
    assert seconds < 30, f"reading the 38 MB export took {seconds:.1f} s"


def test_count_inputs_estimates_the_articles_without_reading_them(tmp_path):
    from cruxmap.ingest import IngestOptions, count_inputs

    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("two", encoding="utf-8")
    (tmp_path / "sub" / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"text": "z"}\n', encoding="utf-8")
    (tmp_path / "d.csv").write_text("title,text\na,b\nc,d\n", encoding="utf-8")
    assert count_inputs([tmp_path]) == 2 + 3 + 2
    assert count_inputs([tmp_path / "c.jsonl", tmp_path / "missing.txt"]) == 3
    assert count_inputs([tmp_path], IngestOptions(limit=4)) == 4
