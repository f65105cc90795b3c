"""The labelled quotes sets: well-formed rows, disjoint articles, and a draw that the script reproduces."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

from cruxmap.bench.quotes import LABELLED_FILE, LATER_DEV_SETS

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"direct", "partial", "scare", "unattributed"}
TYPES = {"person", "organisation", "document", "group"}


def _records() -> list[dict]:
    return [json.loads(line) for line in LABELLED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_labelled_row_is_well_formed_and_each_article_is_in_one_split():
    records = _records()
    splits = {r["split"] for r in records}
    assert splits == {"dev", "test", *LATER_DEV_SETS}
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for record in records:
        spans = record["quotes"]
        assert spans == sorted(spans, key=lambda q: q[0])
        for start, end, who, speaker_start, speaker_end, kind_of, kind in spans:
            assert 0 <= start < end and kind in KINDS
            if kind in ("direct", "partial"):
                assert who and kind_of in TYPES
                assert speaker_start < speaker_end and (speaker_end <= start or speaker_start >= end)
            if kind == "scare":
                assert who is None and speaker_start is None


def _draw_module():
    spec = importlib.util.spec_from_file_location("draw_quotes_set", ROOT / "scripts" / "draw_quotes_set.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("split", "seed", "commit", "articles"),
                         [("dev3", 1919, "2f2f520", 10), ("dev4", 20, "0ea6e84", 10), ("dev5", 21, "a7d59d1", 10),
                          ("dev6", 22, "55e9a94", 10), ("dev7", 23, "b847c63", 10), ("dev8", 24, "5d7028f", 15),
                          ("dev9", 25, "17ab2d5", 11), ("dev10", 26, "c98835a", 10)])
def test_the_draw_reproduces_a_set_from_the_project_files_before_it(split: str, seed: int, commit: str,
                                                                   articles: int):
    draw = _draw_module()
    if not draw.DATA.is_file():
        pytest.skip("needs ../shared/data/news_article_bias")
    known = subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT, capture_output=True,
                           check=False)
    if known.returncode != 0:
        pytest.skip("needs the project's git history")
    drawn = [row["ID"] for row in draw.draw(seed, articles, 8000, draw.DATA, commit=commit)]
    assert drawn == [r["id"] for r in _records() if r["split"] == split]
