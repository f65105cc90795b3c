"""The PolNeAR quotes bench: brat reading, scoring rules, missing data, and a small real run."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruxmap.bench.base import run_quality
from cruxmap.bench.quotes import GoldAttribution, matches, read_ann, score
from cruxmap.model import Quote

TEXT = "Officials met on Monday. “The dam will hold,” said Ana Ruiz. She left."


def _quote(start: int, end: int, speaker_start: int | None, speaker: str | None = None) -> Quote:
    return Quote(
        id="q",
        source_id="d",
        start=start,
        end=end,
        text=TEXT[start:end],
        speaker=speaker,
        speaker_start=speaker_start,
        speaker_end=None if speaker_start is None else speaker_start + 3,
    )


def _gold() -> GoldAttribution:
    content = (TEXT.index("“"), TEXT.index("”") + 1)
    source = (TEXT.index("Ana"), TEXT.index("Ruiz") + 4)
    return GoldAttribution(source=[source], content=[content], source_text="Ana Ruiz", direct=True)


def test_read_ann_ties_source_cue_and_content(tmp_path: Path):
    content = (TEXT.index("“"), TEXT.index("”") + 1)
    source = (TEXT.index("Ana"), TEXT.index("Ruiz") + 4)
    cue = (TEXT.index("said"), TEXT.index("said") + 4)
    ann = tmp_path / "a.ann"
    ann.write_text(
        f"T1\tContent {content[0]} {content[1]}\t{TEXT[content[0] : content[1]]}\n"
        f"T2\tSource {source[0]} {source[1]}\tAna Ruiz\n"
        f"T3\tCue {cue[0]} {cue[1]}\tsaid\n"
        f"T4\tAttribution {cue[0]} {cue[1]}\tsaid\n"
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n",
        encoding="utf-8",
    )
    (gold,) = read_ann(ann, TEXT)
    assert gold.source == [source] and gold.content == [content]
    assert gold.direct and gold.source_text == "Ana Ruiz"


def test_a_quote_counts_only_with_the_right_speaker():
    start, end = TEXT.index("The dam"), TEXT.index(",”")
    right = _quote(start, end, TEXT.index("Ana"))
    wrong = _quote(start, end, TEXT.index("Officials"))
    by_name = _quote(start, end, TEXT.index("She"), speaker="Ana Ruiz")
    elsewhere = _quote(0, 10, TEXT.index("Ana"))
    assert matches(right, _gold()) and matches(by_name, _gold())
    assert not matches(wrong, _gold()) and not matches(elsewhere, _gold())
    result = score([([right, wrong], [_gold()])], direct_only=True)
    assert result["precision"] == 0.5 and result["recall"] == 1.0


def test_missing_data_gives_a_row_with_a_note(settings, tmp_path: Path):
    settings.data_dir = str(tmp_path)
    rows = run_quality("quotes", "dev", settings)
    assert rows[0].value is None and "not found" in rows[0].note


@pytest.mark.models
@pytest.mark.shared
def test_small_dev_run_attributes_direct_quotes_precisely(settings):
    if not (Path(settings.data_dir) / "polnear" / "dev" / "text").is_dir():
        pytest.skip("PolNeAR not found under ../shared/data")
    rows = {r.metric: r for r in run_quality("quotes", "dev", settings, limit=12)}
    assert rows["direct speaker precision"].value >= 0.8
    assert rows["direct speaker recall"].value >= 0.5
    assert rows["all speaker recall"].value > 0.2
    assert "92.3" in rows["direct speaker precision"].published_best


def test_labelled_scores_count_speakers_by_kind_and_scare_quotes_given_a_speaker():
    from cruxmap.bench.quotes import LabelledQuote, labelled_scores
    from cruxmap.model import Quote

    gold = [LabelledQuote(0, 10, "Ana Ruiz", (20, 28), "person", "direct"),
            LabelledQuote(40, 45, "he = Tom Reyes", (50, 52), "person", "partial"),
            LabelledQuote(60, 65, None, None, None, "scare")]
    quotes = [Quote(id="q0", source_id="s", start=0, end=10, text="x", speaker="Ana Ruiz", speaker_type="person",
                    speaker_start=20, speaker_end=28),
              Quote(id="q1", source_id="s", start=60, end=65, text="y", speaker="Bo", speaker_start=70,
                    speaker_end=72)]
    scores = labelled_scores([(quotes, gold)])
    assert scores["speaker precision"] == 0.5  # the scare quote given a speaker is wrong
    assert scores["direct speaker recall"] == 1.0 and scores["partial speaker recall"] == 0.0
    assert scores["scare quotes given a speaker"] == 1.0 and scores["speaker type right"] == 1.0


def test_a_gold_pronoun_is_right_only_when_the_quotation_names_its_referent():
    from cruxmap.bench.quotes import LabelledQuote, labelled_scores
    from cruxmap.model import Quote

    gold = [LabelledQuote(0, 10, "he = Tom Reyes", (12, 14), "person", "direct")]

    def scored(speaker: str | None) -> float:
        quote = Quote(id="q", source_id="s", start=0, end=10, text="x", speaker=speaker, speaker_start=12,
                      speaker_end=14)
        return labelled_scores([([quote], gold)])["speaker precision"]

    assert scored("Tom Reyes") == 1.0
    assert scored("Ana Ruiz") == 0.0  # the mention ``he`` is found, but resolved to someone else
    assert scored(None) == 0.0  # or to nobody


def test_read_ann_keeps_every_content_of_one_attribution(tmp_path: Path):
    text = "“The dam will hold,” said Ana Ruiz. “It was built to last.” She left."
    first = (text.index("“"), text.index("”") + 1)
    second = (text.index("“It"), text.index("last.”") + 6)
    source = (text.index("Ana"), text.index("Ruiz") + 4)
    ann = tmp_path / "a.ann"
    ann.write_text(
        f"T1\tContent {first[0]} {first[1]}\t{text[first[0] : first[1]]}\n"
        f"T2\tSource {source[0]} {source[1]}\tAna Ruiz\n"
        f"T3\tContent {second[0]} {second[1]}\t{text[second[0] : second[1]]}\n"
        "E1\tAttribution:T4 Content:T1 Source:T2 Content2:T3\n",
        encoding="utf-8",
    )
    (gold,) = read_ann(ann, text)
    assert gold.content == [first, second]
