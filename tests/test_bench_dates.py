"""The dates benchmark: gold files are well-formed references, and the scores hold."""

import json
import re
from pathlib import Path

import pytest

from cruxmap.bench import run_quality
from cruxmap.bench.dates import DEV_FILE, SEEDS_FILE, TEST_FILE, score_gold, score_seeds
from cruxmap.settings import Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ISO = re.compile(r"^(?:\d{4}(?:-\d\d(?:-\d\d)?)?|\d{4}-W\d\d)(?:/\d{4}(?:-\d\d(?:-\d\d)?)?)?$")


@pytest.mark.parametrize("gold_file, articles, expressions", [(DEV_FILE, 25, 150), (TEST_FILE, 15, 100)])
def test_gold_stores_references_only_and_enough_expressions(gold_file, articles, expressions):
    records = [json.loads(line) for line in gold_file.read_text().splitlines()]
    total = 0
    for rec in records:
        assert set(rec) == {"dataset", "id", "sha256", "dates"}
        for start, end, iso, precision in rec["dates"]:
            assert 0 <= start < end and (iso is None or ISO.match(iso)), (rec["id"], iso)
            assert precision in {"day", "month", "year", "week", "range"} or (iso is None and precision is None)
            total += 1
    assert len(records) >= articles and total >= expressions


def test_relative_gold_is_references_only_split_before_use_and_typed_by_kind():
    from cruxmap.bench.dates import RELATIVE_FILE, RELATIVE_KINDS

    records = [json.loads(line) for line in RELATIVE_FILE.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == [r["id"] for r in records]  # split by sorted id
    assert [r["split"] for r in records] == ["dev"] * 16 + ["test"] * 8
    kinds = set()
    for rec in records:
        assert set(rec) == {"dataset", "id", "sha256", "split", "dates"}
        for start, end, iso, precision, kind in rec["dates"]:
            assert 0 <= start < end and (iso is None or ISO.match(iso)) and kind in RELATIVE_KINDS
            kinds.add(kind)
    assert kinds == set(RELATIVE_KINDS) and sum(len(r["dates"]) for r in records) >= 150


def test_seed_gold_is_keyed_by_text_and_occurrence():
    for line in SEEDS_FILE.read_text().splitlines():
        rec = json.loads(line)
        for date_text, occurrence, iso in rec["dates"]:
            assert len(date_text) < 40 and occurrence >= 0 and ISO.match(iso)


def test_train_split_says_there_is_none():
    rows = run_quality("dates", "train", Settings())
    assert rows[0].value is None and "--split dev" in rows[0].note


@pytest.mark.skipif(not (SHARED / "data" / "news_article_bias").is_dir(), reason="../shared/data not present")
def test_dev_scores_meet_the_target():
    scores = score_gold(SHARED / "data")
    news = scores["news_article_bias"]
    assert news.gold >= 150
    assert news.found / news.gold >= 0.9
    assert news.year / news.gold >= 0.9
    assert news.predicted_matched / news.predicted >= 0.9


@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(), reason="../shared/corpus/seeds not present")
def test_seed_scores():
    seeds = score_seeds(SHARED / "corpus" / "seeds")
    assert seeds.gold >= 40
    assert seeds.found / seeds.gold >= 0.9
    # the seeds carry no date: their relative and year-less dates are bounds (right in neither), so the year
    # score is what the text itself dates; what is not right in its year is given only as a bound
    assert seeds.year / seeds.gold >= 0.6
    assert (seeds.year + seeds.bounded) / seeds.gold >= 0.95


def test_an_undated_gold_left_undated_is_right_in_year_as_in_full():
    from types import SimpleNamespace

    from cruxmap.bench.dates import Score

    text = "They met in 2014. Years later, they met again. Four days later it rained."
    score = Score()
    predicted = [SimpleNamespace(start=12, end=16, date="2014"), SimpleNamespace(start=18, end=29, date=None),
                 SimpleNamespace(start=47, end=62, date="2014-05")]
    score.add(text, [(12, 16, "2014"), (18, 29, None), (47, 62, None)], predicted)
    assert (score.exact, score.year) == (2, 2)  # the dated "Four days later" is wrong in full and in year


def test_a_bound_names_neither_the_date_nor_the_year():
    from types import SimpleNamespace

    from cruxmap.bench.dates import Score

    text = "Today they met. Last year it rained."
    score = Score()
    predicted = [SimpleNamespace(start=0, end=5, date="[2019..]"), SimpleNamespace(start=16, end=25, date="[..2017]")]
    score.add(text, [(0, 5, "2019-03-04"), (16, 25, "2018")], predicted)
    assert (score.exact, score.year) == (0, 0)  # "2019 or later" is not the year 2019
    assert (score.bounded, score.bound_holds) == (2, 1)  # 2018 is not "2017 or earlier"


@pytest.mark.skipif(not (SHARED / "data" / "news_article_bias").is_dir(), reason="../shared/data not present")
def test_the_random_narrative_sample_loads_and_is_scored():
    from cruxmap.bench.dates import NARRATIVE_SAMPLE_FILE, score_relative

    sample = score_relative(SHARED / "data", "dev", NARRATIVE_SAMPLE_FILE)["narrative"]
    assert sample.gold >= 35  # every article found with its annotated text (hash checked)
    assert sample.found / sample.gold >= 0.9
    assert "narrative" not in score_relative(SHARED / "data", "test", NARRATIVE_SAMPLE_FILE)  # dev only
