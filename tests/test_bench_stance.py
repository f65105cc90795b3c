"""Stance bench: metrics, data loaders on tiny synthetic files, and the row format with a fake backend."""

from __future__ import annotations

import json

import pytest

from cruxmap.argue.stance.base import StanceClassifier, StanceResult
from cruxmap.bench import datasets as ds
from cruxmap.bench.base import BenchRow, run_quality
from cruxmap.bench.stance import fnc_score, macro_f1
from cruxmap.settings import Settings


def test_fnc_score_weights_related_decisions_and_stance():
    gold = ["agree", "unrelated", "disagree", "discuss"]
    assert fnc_score(gold, gold) == 100.0
    # unrelated right (0.25); agree→discuss gets only the related part (0.25 of 1.0)
    assert fnc_score(["agree", "unrelated"], ["discuss", "unrelated"]) == pytest.approx(100 * 0.5 / 1.25)
    assert fnc_score(["agree"], ["unrelated"]) == 0.0


def test_macro_f1_per_class():
    scores = macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"], per_class=True)
    assert scores["a"] == pytest.approx(2 / 3) and scores["b"] == pytest.approx(0.8)
    assert scores["macro"] == pytest.approx((2 / 3 + 0.8) / 2)


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tiny_data(tmp_path):
    """A data folder with a few hand-written rows in each benchmark's real file format."""
    d = tmp_path / "data"
    _write(d / "fnc1/train_bodies.csv", 'Body ID,articleBody\n1,"The river flooded. Roads closed."\n2,Cats nap a lot.\n')
    _write(d / "fnc1/train_stances.csv", "Headline,Body ID,Stance\nRiver floods town,1,agree\n"
                                         "River floods town,2,unrelated\nNo flood at all,1,disagree\n")
    _write(d / "fnc1/competition_test_bodies.csv", "Body ID,articleBody\n5,Snow fell.\n")
    _write(d / "fnc1/competition_test_stances.csv", "Headline,Body ID,Stance\nIt snowed,5,discuss\n")
    _write(d / "ibm_claim_stance/claim_stance_dataset_v1.csv",
           "topicId,split,topicText,claims.stance,claims.claimCorrectedText\n"
           "1,train,This house would ban cars,PRO,Cars pollute cities\n2,test,This house would tax sugar,CON,Taxes hurt the poor\n")
    _write(d / "perspectrum/perspectrum_with_answers_v1.0.json", json.dumps([
        {"cId": 1, "text": "Homework should be banned", "perspectives": [
            {"pids": [10, 11], "stance_label_3": "SUPPORT"}, {"pids": [12], "stance_label_3": "UNDERMINE"}]}]))
    _write(d / "perspectrum/perspective_pool_v1.0.json", json.dumps(
        [{"pId": 10, "text": "Kids need rest"}, {"pId": 11, "text": "Children need free time"},
         {"pId": 12, "text": "Practice builds skill"}]))
    _write(d / "perspectrum/dataset_split_v1.0.json", json.dumps({"1": "test"}))
    _write(d / "vast/vast_test.csv", "Tweet,Target 1,Stance 1,seen?\nI love trains,trains,FAVOR,0\nMeh,taxes,NONE,1\n")
    _write(d / "nli/snli/snli_test.jsonl", json.dumps({"premise": "A dog runs .", "hypothesis": "An animal moves .",
                                                       "label": "entailment"}) + "\n")
    for rnd in (1, 2, 3):
        _write(d / f"nli/anli/R{rnd}_test.jsonl", json.dumps(
            {"context": "Paris is in France.", "hypothesis": "Paris is in Spain.", "label": "c"}) + "\n")
    _write(d / "nli/sick/SICK.txt", "pair_ID\tsentence_A\tsentence_B\tentailment_label\tSemEval_set\n"
                                    "1\tA man sings\tA man is silent\tCONTRADICTION\tTEST\n")
    _write(d / "argkp2021/arguments_dev.csv", "arg_id,argument,topic,stance\na1,Trains are clean,We should fund trains,1\n")
    return d


def test_loaders_map_labels_and_groups(tiny_data):
    fnc = ds.load_fnc1(tiny_data, "train")
    assert [(p.label, p.fine_label) for p in fnc] == [("support", "agree"), ("neutral", "unrelated"),
                                                      ("oppose", "disagree")]
    assert fnc[0].text.startswith("The river flooded") and fnc[0].group == "fnc-body-1"
    assert [p.label for p in ds.load_ibm_claim_stance(tiny_data, "test")] == ["oppose"]
    persp = ds.load_perspectrum(tiny_data, "test")
    assert [(p.text, p.label) for p in persp] == [("Kids need rest", "support"), ("Children need free time", "support"),
                                                  ("Practice builds skill", "oppose")]
    assert ds.load_perspectrum(tiny_data, "train") == []
    vast = ds.load_vast(tiny_data, "test")
    assert [(p.label, p.extra["zero_shot"]) for p in vast] == [("support", True), ("neutral", False)]
    snli = ds.load_snli(tiny_data, "test")[0]
    assert (snli.text, snli.label) == ("A dog runs.", "support")
    anli = ds.load_anli(tiny_data, "test", rounds=(1,))[0]
    assert (anli.label, anli.extra["round"]) == ("oppose", "R1")
    assert ds.load_sick(tiny_data, "test")[0].label == "oppose"
    assert ds.load_argkp(tiny_data, "dev")[0].label == "support"


def test_hold_out_keeps_each_group_on_one_side(tiny_data):
    train, dev = ds.hold_out_groups(ds.load_fnc1(tiny_data, "train"), fraction=0.5)
    assert {p.group for p in train}.isdisjoint({p.group for p in dev}) and len(train) + len(dev) == 3


def test_missing_file_raises_data_missing(tmp_path):
    with pytest.raises(ds.DataMissing, match="data_dir"):
        ds.load_vast(tmp_path, "test")


class KeywordStance(StanceClassifier):
    """Support when the text shares a word with the hypothesis, oppose when it says 'not'."""

    name = "keyword"

    def classify_batch(self, pairs):
        out = []
        for text, hypothesis in pairs:
            shared = set(text.lower().split()) & set(hypothesis.lower().split())
            label = "oppose" if " not " in f" {text.lower()} " else "support" if shared else "neutral"
            probs = {"support": (0.8, 0.1, 0.1), "oppose": (0.1, 0.8, 0.1), "neutral": (0.3, 0.2, 0.5)}[label]
            out.append(StanceResult(label, max(probs), probs))
        return out


def test_stance_bench_rows_with_any_backend(tiny_data):
    settings = Settings.load(data_dir=str(tiny_data))
    rows = run_quality("stance", "test", settings, classifier=KeywordStance())
    assert all(isinstance(r, BenchRow) and r.task == "stance" and r.split == "test" for r in rows)
    by_key = {(r.dataset, r.metric): r for r in rows}
    fnc = by_key[("fnc1", "FNC score %")]
    assert fnc.note and "unrelated" in fnc.note  # a backend without classify_fnc is scored and told so
    assert ("fnc1", "F1 disagree") in by_key
    assert by_key[("ibm", "accuracy")].value == 0.0  # "Taxes hurt the poor" shares no word → neutral → support
    assert by_key[("perspectrum", "accuracy")].published_best
    assert ("vast", "macro-F1 zero-shot") in by_key
    assert by_key[("snli", "accuracy")].value == 0.0  # no shared word
    assert by_key[("anli R1", "accuracy")].value == 0.0  # shares words → support, gold oppose
    assert ("sick", "accuracy") in by_key


def test_stance_bench_notes_missing_data(tmp_path):
    settings = Settings.load(data_dir=str(tmp_path))
    rows = run_quality("stance", "dev", settings, classifier=KeywordStance())
    assert rows and all(r.value is None and "not found" in r.note for r in rows)
