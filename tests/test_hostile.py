"""A hostile corpus end to end: every kind of bad input mixed with good articles in one batch.

The corpus is generated here (nothing committed). Every bad file must give one failure line that
names it and says what to do; every good article, however awkward its encoding or shape, must be
in the map; and the batch must finish in a time bound proportional to its size.
"""

from __future__ import annotations

import io
import json
import os
import time

from cruxmap import api

GOOD = ("The harbour board voted on Tuesday to delay the new tariff on fishing boats until the spring. "
        "Members said the fleet could not absorb another cost this year, and the port director warned "
        "that the delay would leave a gap in the budget for dredging. A final vote is expected in March.\n\n"
        "Critics of the tariff argue that it punishes the smallest boats, which land the least fish but "
        "pay the same fee. Supporters reply that the port cannot keep subsidising the fleet forever.\n")


def hostile_corpus(folder):
    """(bad file names, good file names) of a corpus written into ``folder``."""
    from pypdf import PdfWriter

    folder.mkdir()
    good, bad = [], []

    def write(name, data, is_good):
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        (good if is_good else bad).append(name)

    write("good-plain.txt", "Harbour tariff delayed\n\n" + GOOD, True)
    write("good-markdown.md", "---\ntitle: Tariff fight\n---\n\n" + GOOD, True)
    write("good-page.html", f"<html><head><title>Tariff</title></head><body><article><p>{GOOD}</p></article>"
                            "</body></html>", True)
    write("good-latin1.txt", ("Café owners and the tariff\n\n" + GOOD).encode("latin-1"), True)
    write("good-utf16-bom.txt", ("Tariff vote\n\n" + GOOD).encode("utf-16"), True)
    write("good-long-word.txt", "A very long word\n\n" + GOOD + " " + "a" * 20_000 + ".\n\n" + GOOD, True)
    write("good-long-line.txt", "One long line\n\n" + " ".join([GOOD.replace("\n", " ")] * 400), True)
    write("good-broken.html", f"<html><body><div><p>{GOOD}<p>Unclosed <b>tags everywhere", True)
    write("empty.txt", b"", False)
    write("blank.txt", "   \n\n\t  \n", False)
    write("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(3000), False)
    write("nav-only.html", "<html><body><nav><a href='/'>Home</a><a href='/a'>About</a></nav></body></html>", False)
    write("french.txt", "Le conseil du port a voté mardi pour reporter la nouvelle taxe sur les bateaux de pêche "
                        "jusqu'au printemps. Les membres ont dit que la flotte ne pouvait pas absorber un autre "
                        "coût cette année, et le directeur a averti que le report laisserait un trou.\n", False)
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    write("scan.pdf", buffer.getvalue(), False)
    write("damaged.pdf", b"%PDF-1.7\n%broken beyond repair", False)
    write("records.jsonl", "\n".join([json.dumps({"title": "Record one", "text": GOOD}), "{not json at all",
                                      json.dumps({"title": "no text field"})]) + "\n", False)
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    bad += ["loop-a.txt", "loop-b.txt"]
    return bad, good


def test_a_hostile_batch_loses_no_good_article_and_names_every_bad_file(tmp_path, settings):
    bad, good = hostile_corpus(tmp_path / "corpus")
    started = time.perf_counter()
    result = api.analyze([tmp_path / "corpus"], tmp_path / "out", settings=settings)
    seconds = time.perf_counter() - started
    mapped = {os.path.basename(s.path.split("#", 1)[0]) for s in result.sources}
    assert set(good) <= mapped, f"good articles lost: {set(good) - mapped}"
    assert "records.jsonl" in mapped  # its good record is kept
    failed: dict[str, list] = {}
    for f in result.failures:
        failed.setdefault(os.path.basename(f.path.split("#", 1)[0]), []).append(f)
    for name in bad:
        assert name in failed, f"{name}: no failure recorded (a silent failure)"
    for name, failures in failed.items():
        assert name in bad, f"{name} failed but is a good article: {failures}"
        for f in failures:
            assert name in f.message and " — " in f.message and "\n" not in f.message, f.message
    by_name = {n: len(fs) for n, fs in failed.items()}
    assert by_name["records.jsonl"] == 2  # one line per bad record, the good one mapped
    assert all(count == 1 for n, count in by_name.items() if n != "records.jsonl"), by_name
    assert seconds < 60 * (1 + len(good) / 4), f"{seconds:.0f} s for {len(good) + len(bad)} files"


def test_a_sub_folder_that_cannot_be_listed_is_named_not_skipped(tmp_path, monkeypatch):
    """As root the permission bits are not enforced here, so the listing error is simulated."""
    from cruxmap.ingest import IngestOptions, iter_inputs
    from cruxmap.model import Failure

    folder = tmp_path / "corpus"
    (folder / "locked").mkdir(parents=True)
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        for root, dirs, files in real_walk(top, onerror=onerror, **kw):
            if "locked" in dirs:
                dirs.remove("locked")
                if onerror is not None:
                    onerror(PermissionError(13, "Permission denied", str(folder / "locked")))
            yield root, dirs, files

    monkeypatch.setattr(os, "walk", walk)
    items = list(iter_inputs([str(folder)], IngestOptions()))
    [failure] = [i for i in items if isinstance(i, Failure)]
    assert failure.path.endswith("locked") and "cannot list this folder" in failure.message
    assert failure.error == "permission-denied" and "chmod" in failure.message
    assert any(not isinstance(i, Failure) and i.path.endswith("ok.txt") for i in items)


def test_a_symlink_loop_is_called_what_it_is(tmp_path):
    from cruxmap.ingest import IngestOptions, iter_inputs

    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    for item in list(iter_inputs([str(tmp_path / "a.txt")], IngestOptions())) + [
            i for i in iter_inputs([str(tmp_path)], IngestOptions())]:
        assert item.error == "broken-link" and "loop" in item.message, item
