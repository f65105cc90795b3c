"""Bad input: each case yields one Failure naming the file, the reason and the fix, and the batch goes on."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from cruxmap.ingest import IngestOptions, RawDocument, iter_inputs
from cruxmap.model import Failure

GOOD = (
    "The committee held its third hearing on the proposal this week. Members asked whether the new rules "
    "would cost more than the old ones, and the officials who wrote them said they did not know yet. A "
    "report is due in the spring, and a vote is expected before the summer break.\n"
)

FRENCH = (
    "Le gouvernement a annoncé hier une nouvelle série de mesures pour soutenir les agriculteurs touchés par "
    "la sécheresse. Selon le ministre, ces aides seront versées avant la fin du mois, mais les syndicats "
    "estiment qu'elles restent insuffisantes. Dans plusieurs régions, les récoltes ont baissé de moitié.\n"
)
GERMAN = (
    "Die Regierung hat gestern ein neues Paket zur Unterstützung der Landwirte vorgestellt, die unter der "
    "Dürre leiden. Nach Angaben des Ministers sollen die Hilfen noch vor Ende des Monats ausgezahlt werden, "
    "doch die Verbände halten sie für zu gering. Was die Bauern jetzt brauchen, ist Planungssicherheit.\n"
)
RUSSIAN = "Правительство вчера представило новый план помощи фермерам, пострадавшим от засухи.\n"
ENGLISH_WITH_FOREIGN_NAMES = (
    "Volodymyr Zelensky met Olaf Scholz and Emmanuel Macron in Kyiv, where Dmytro Kuleba and "
    "Annalena Baerbock had prepared a draft on the Zaporizhzhia plant. In Kharkiv, Ihor Terekhov "
    "said the city of Chuhuiv was still without power, and the mayor of Mykolaiv, Oleksandr "
    "Senkevych, asked for generators. The text quoted the phrase «ни шагу назад» and a line from "
    "Le Monde, «la paix n'est pas pour demain», before it turned to the talks.\n"
)


def ingest(*paths, **options) -> list[RawDocument | Failure]:
    return list(iter_inputs(list(paths), IngestOptions(**options)))


def single_failure(items: list, code: str, path: Path | str) -> Failure:
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(failures) == 1, items
    failure = failures[0]
    assert failure.stage == "ingest"
    assert failure.error == code, failure
    assert failure.path == str(path)
    assert str(path) in failure.message  # names the file
    assert " — " in failure.message  # … and says what to do
    assert "\n" not in failure.message
    return failure


def assert_batch_goes_on(tmp_path: Path, bad: Path, code: str) -> Failure:
    """The bad file fails with ``code`` and a good file after it is still read."""
    good = tmp_path / "zz_good.txt"
    good.write_text(GOOD, encoding="utf-8")
    items = ingest(bad, good)
    assert isinstance(items[-1], RawDocument) and items[-1].path == str(good), items
    return single_failure(items, code, bad)


def test_empty_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert "empty" in assert_batch_goes_on(tmp_path, bad, "empty-file").message


def test_whitespace_only_file(tmp_path):
    bad = tmp_path / "blank.md"
    bad.write_text(" \n\t\n\r\n   \n", encoding="utf-8")
    assert "whitespace" in assert_batch_goes_on(tmp_path, bad, "empty-file").message


def test_png_named_txt(tmp_path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "PNG" in assert_batch_goes_on(tmp_path, bad, "binary-file").message


def test_nul_bytes(tmp_path):
    bad = tmp_path / "dump.txt"
    bad.write_bytes(b"some words\x00\x00\x01\x02 more words \x00\xff" * 50)
    assert "NUL" in assert_batch_goes_on(tmp_path, bad, "binary-file").message


def test_file_over_max_bytes(tmp_path):
    bad = tmp_path / "huge.txt"
    with bad.open("wb") as handle:  # 50 MB of text, written in 50 cheap chunks
        chunk = (GOOD.encode("ascii") * (1_000_000 // len(GOOD) + 1))[:1_000_000]
        for _ in range(50):
            handle.write(chunk)
    assert bad.stat().st_size == 50_000_000
    failure = assert_batch_goes_on(tmp_path, bad, "too-large")
    assert "50.0 MB" in failure.message and "limit" in failure.message


def test_max_bytes_is_configurable(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text(GOOD, encoding="utf-8")
    single_failure(ingest(path, max_bytes=100), "too-large", path)


def test_undecodable_bytes(tmp_path):
    bad = tmp_path / "mangled.txt"
    bad.write_bytes(b"The committee held a hearing \x81\x8d on the \x8f\x90 proposal \x9d this week.\n" * 5)
    assert "UTF-8" in assert_batch_goes_on(tmp_path, bad, "undecodable").message


def test_broken_utf16(tmp_path):
    bad = tmp_path / "half.txt"
    bad.write_bytes(b"\xff\xfe" + "The committee met.".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert_batch_goes_on(tmp_path, bad, "undecodable")


def test_truncated_html_without_text(tmp_path):
    bad = tmp_path / "cut.html"
    bad.write_text("<html><head><title>The Hearing</title></head><body><div class=", encoding="utf-8")
    assert "no article text" in assert_batch_goes_on(tmp_path, bad, "no-main-text").message


def test_html_with_only_navigation(tmp_path):
    bad = tmp_path / "index.html"
    bad.write_text(
        "<html><body><nav><a href='/'>Home</a><a href='/news'>News</a><a href='/about'>About us</a>"
        "</nav><script>var page = 1;</script></body></html>",
        encoding="utf-8",
    )
    assert_batch_goes_on(tmp_path, bad, "no-main-text")


def test_pdf_without_text_layer(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(buffer.getvalue())
    assert "OCR" in assert_batch_goes_on(tmp_path, bad, "pdf-no-text").message


def test_damaged_pdf(tmp_path):
    bad = tmp_path / "damaged.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage that ends here")
    assert_batch_goes_on(tmp_path, bad, "broken-pdf")


def test_password_protected_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    bad = tmp_path / "locked.pdf"
    bad.write_bytes(buffer.getvalue())
    assert_batch_goes_on(tmp_path, bad, "encrypted-pdf")


def test_nonexistent_path(tmp_path):
    missing = tmp_path / "nowhere" / "article.txt"
    assert_batch_goes_on(tmp_path, missing, "not-found")


def test_permission_denied_simulated(tmp_path, monkeypatch):
    """Tests may run as root, which can read mode-000 files; the OS refusal is simulated here."""
    bad = tmp_path / "locked.txt"
    bad.write_text(GOOD, encoding="utf-8")
    real_open = Path.open

    def refusing_open(self, *args, **kwargs):
        if self == bad:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    assert "chmod" in assert_batch_goes_on(tmp_path, bad, "permission-denied").message


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads mode-000 files")
def test_permission_denied_real(tmp_path):
    bad = tmp_path / "locked.txt"
    bad.write_text(GOOD, encoding="utf-8")
    bad.chmod(0)
    try:
        assert_batch_goes_on(tmp_path, bad, "permission-denied")
    finally:
        bad.chmod(0o644)


def test_unsupported_extension_named_explicitly(tmp_path):
    bad = tmp_path / "report.docx"
    bad.write_bytes(b"PK\x03\x04 not really a document")
    assert ".docx" in assert_batch_goes_on(tmp_path, bad, "unsupported-format").message


def test_unsupported_extension_in_folder_is_skipped(tmp_path):
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "article.txt").write_text(GOOD, encoding="utf-8")
    items = ingest(tmp_path)
    assert [type(i) for i in items] == [RawDocument]


def test_folder_without_articles(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    single_failure(ingest(folder), "no-inputs", folder)


@pytest.mark.parametrize("text", [FRENCH, GERMAN, RUSSIAN * 3], ids=["french", "german", "russian"])
def test_not_english(tmp_path, text):
    bad = tmp_path / "foreign.txt"
    bad.write_text(text, encoding="utf-8")
    failure = assert_batch_goes_on(tmp_path, bad, "not-english")
    assert "not English" in failure.message and "translate" in failure.message


def test_english_with_foreign_names_and_quotes_passes(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text(ENGLISH_WITH_FOREIGN_NAMES, encoding="utf-8")
    assert isinstance(ingest(path)[0], RawDocument)


def test_language_check_can_be_turned_off(tmp_path):
    path = tmp_path / "foreign.txt"
    path.write_text(FRENCH, encoding="utf-8")
    assert isinstance(ingest(path, require_english=False)[0], RawDocument)


def test_cyrillic_code_page_is_decoded_then_refused_as_not_english(tmp_path):
    bad = tmp_path / "cp1251.txt"
    bad.write_bytes((RUSSIAN * 3).encode("cp1251"))
    assert_batch_goes_on(tmp_path, bad, "not-english")


def test_broken_front_matter(tmp_path):
    bad = tmp_path / "post.md"
    bad.write_text("---\ntitle: [unclosed\nauthor: Jane Roe\n---\n" + GOOD, encoding="utf-8")
    assert "YAML" in assert_batch_goes_on(tmp_path, bad, "bad-front-matter").message


def test_export_bad_lines_fail_alone(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [
        json.dumps({"text": GOOD}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"text": "  "}),
        json.dumps({"text": FRENCH}),
        json.dumps({"text": GOOD.replace("third", "fourth")}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = ingest(path)
    assert [(i.path, type(i).__name__, getattr(i, "error", None)) for i in items] == [
        (f"{path}#1", "RawDocument", None),
        (f"{path}#2", "Failure", "bad-record"),
        (f"{path}#3", "Failure", "bad-record"),
        (f"{path}#4", "Failure", "empty-record"),
        (f"{path}#5", "Failure", "not-english"),
        (f"{path}#6", "RawDocument", None),
    ]
    assert all(f"{path}#" in i.message for i in items if isinstance(i, Failure))


def test_export_without_any_text_field(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(
        "".join(json.dumps({"headline": "A", "summary": GOOD}) + "\n" for _ in range(3)), encoding="utf-8"
    )
    failure = single_failure(ingest(path), "no-text-field", path)
    assert "headline, summary" in failure.message and "text_field" in failure.message


def test_export_record_over_max_bytes(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(
        json.dumps({"text": GOOD * 20}) + "\n" + json.dumps({"text": GOOD}) + "\n", encoding="utf-8"
    )
    items = ingest(path, max_bytes=2000)
    assert [type(i).__name__ for i in items] == ["Failure", "RawDocument"]
    assert items[0].error == "too-large" and items[0].path == f"{path}#1"


def test_unexpected_error_is_a_failure_not_a_crash(tmp_path, monkeypatch):
    from cruxmap.ingest import base

    def explode(text, display):
        raise RuntimeError("boom")

    monkeypatch.setattr(base, "plain_text_document", explode)
    bad = tmp_path / "a.txt"
    bad.write_text(GOOD, encoding="utf-8")
    items = ingest(bad, tmp_path / "b.md")
    assert items[0].error == "unexpected" and "RuntimeError" in items[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_read(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert_batch_goes_on(tmp_path, pipe, "unreadable")  # reading it would block forever


def test_unexpected_error_in_one_record_spares_the_others(tmp_path, monkeypatch):
    from cruxmap.ingest import base

    real = base.record_document

    def explode_on_second(record, preferred, record_path):
        if record_path.endswith("#2"):
            raise KeyError("boom")
        return real(record, preferred, record_path)

    monkeypatch.setattr(base, "record_document", explode_on_second)
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps({"text": GOOD + str(i)}) + "\n" for i in range(3)), encoding="utf-8")
    items = ingest(path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "Failure", "RawDocument"]
    assert items[1].error == "unexpected" and items[1].path == f"{path}#2"
