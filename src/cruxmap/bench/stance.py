"""Quality bench ``stance``: any stance backend on FNC-1, IBM Claim Stance, PERSPECTRUM, VAST and NLI.

The backend is the one named by ``--stance`` (or ``settings.stance.backend``) and is created through
``get_stance_classifier``, so the offline, Hugging Face and LLM backends are measured the same way.

How backend labels are scored (label mappings of the data: ``cruxmap.bench.datasets``):

* FNC-1 needs four labels. A backend with ``classify_fnc(pairs)`` gives them directly; for any
  other backend support→agree, oppose→disagree and neutral→unrelated (noted in the row).
* Binary datasets (IBM, PERSPECTRUM) are scored as the task is defined — PRO or CON: the
  larger of the support/oppose probabilities wins (label alone when a backend gives no probabilities).
* VAST and NLI are 3-way: support/oppose/neutral ↔ pro/con/neutral, entailment/contradiction/neutral.

Dev splits never touch test data: FNC-1 dev = 20 % of train bodies held out, IBM dev = 20 % of
train topics, SNLI/ANLI dev = 20 % of their dev sets (the offline head trained on the other 80 %).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..argue.stance.base import StanceResult, get_stance_classifier
from . import datasets as ds
from .base import BenchRow, quality_task

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")

PUBLISHED = {
    "fnc1 score": "UCLMR 81.72 %; top team ≈82.0 %*; RoBERTa ≈90 %*",
    "fnc1 F1m": "≈0.61* (stackLSTM, Hanselowski et al. 2018)",
    "ibm": "majority 51.7 %; fine-tuned cross-encoders mid-80s*",
    "perspectrum": "STANCY ≈0.77–0.78*; BERT ≈0.75*; majority 0.530",
    "vast": "TATA 0.771 zero-shot; TGA-Net ≈0.666*",
    "snli": "≈93 %* (RoBERTa-large class); ESIM 88.0 %*",
    "anli": "InfoBERT 75.5 / 51.4 / 49.8 (R1/R2/R3)",
    "sick": "84.6 %* (SemEval-14 best)",
}


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """Official FNC-1 score as % of the best possible: +0.25 related/unrelated right, +0.75 stance right."""
    def points(g: str, p: str) -> float:
        score = 0.0
        if (g == "unrelated") == (p == "unrelated"):
            score += 0.25
        if g != "unrelated" and g == p:
            score += 0.75
        return score

    best = sum(points(g, g) for g in gold)
    return 100.0 * sum(points(g, p) for g, p in zip(gold, pred)) / best if best else 0.0


def macro_f1(gold: list[str], pred: list[str], labels, per_class: bool = False):
    """Macro-averaged F1 over ``labels``; with ``per_class`` a dict label → F1 plus ``macro``."""
    scores = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        scores[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    scores["macro"] = sum(scores[label] for label in labels) / len(labels)
    return scores if per_class else scores["macro"]


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0


def _sample(pairs: list[ds.LabelledPair], limit: int | None) -> list[ds.LabelledPair]:
    if limit and len(pairs) > limit:
        return random.Random(7).sample(pairs, limit)
    return pairs


def _binary(results) -> list[str]:
    out = []
    for res in results:
        if res.probs:
            out.append("support" if res.probs[0] >= res.probs[1] else "oppose")
        else:
            out.append(res.label)
    return out


def _fnc_rows(classifier, pairs, split) -> list[BenchRow]:
    inputs = [(p.text, p.hypothesis) for p in pairs]
    note = None
    if hasattr(classifier, "classify_fnc"):
        pred = classifier.classify_fnc(inputs)
    else:
        to_fnc = {"support": "agree", "oppose": "disagree"}
        pred = [to_fnc.get(r.label, "unrelated") for r in classifier.classify(inputs)]
        note = "backend has no relatedness output: neutral counted as unrelated"
    gold = [p.fine_label for p in pairs]
    f1 = macro_f1(gold, pred, FNC_LABELS, per_class=True)
    rows = [BenchRow(task="stance", dataset="fnc1", split=split, metric="FNC score %",
                     value=round(fnc_score(gold, pred), 2), published_best=PUBLISHED["fnc1 score"], note=note),
            BenchRow(task="stance", dataset="fnc1", split=split, metric="macro-F1", value=round(f1["macro"], 4),
                     published_best=PUBLISHED["fnc1 F1m"], note=note)]
    rows += [BenchRow(task="stance", dataset="fnc1", split=split, metric=f"F1 {label}", value=round(f1[label], 4))
             for label in FNC_LABELS]
    return rows


def _binary_rows(name: str, classifier, pairs, split) -> list[BenchRow]:
    results = classifier.classify([(p.text, p.hypothesis) for p in pairs])
    pred = _binary(results)
    gold = [p.label for p in pairs]
    rows = [BenchRow(task="stance", dataset=name, split=split, metric="accuracy", value=round(accuracy(gold, pred), 4),
                     published_best=PUBLISHED[name])]
    rows.append(BenchRow(task="stance", dataset=name, split=split, metric="macro-F1",
                         value=round(macro_f1(gold, pred, ("support", "oppose")), 4)))
    return rows + _example_rows(name, classifier, pairs, results, split)


def few_shot_split(pairs, shots: int, seed: int = 3) -> tuple[dict[str, tuple[list[int], list[int]]], list[int]]:
    """Per hypothesis, ``shots`` support and ``shots`` oppose pairs (seeded) to serve as its examples, and
    the indices of the remaining pairs, which are scored. Hypotheses with too few of either label are skipped."""
    by_hypothesis: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by_hypothesis.setdefault(p.hypothesis, []).append(i)
    rng = random.Random(seed)
    examples, scored = {}, []
    for hypothesis in sorted(by_hypothesis):
        idx = by_hypothesis[hypothesis]
        support = [i for i in idx if pairs[i].label == "support"]
        oppose = [i for i in idx if pairs[i].label == "oppose"]
        rng.shuffle(support)
        rng.shuffle(oppose)
        if len(support) <= shots or len(oppose) <= shots:
            continue
        examples[hypothesis] = (support[:shots], oppose[:shots])
        scored += support[shots:] + oppose[shots:]
    return examples, sorted(scored)


def _example_rows(name: str, classifier, pairs, results, split) -> list[BenchRow]:
    """Accuracy when each topic has ``SHOTS`` written examples per side (``argue/examples.py``): the
    examples are pairs of the same topic, left out of the scoring; the note gives the same pairs without."""
    from ..argue.examples import SHOTS, apply_examples

    embedder = getattr(classifier, "embedder", None)
    if getattr(classifier, "example_temperature", None) is None or embedder is None:
        return []
    examples, scored = few_shot_split(pairs, SHOTS)
    if not scored:
        return []
    vectors = embedder.embed([p.text for p in pairs])
    shifted: dict[int, StanceResult] = {}
    for hypothesis, (support, oppose) in examples.items():
        members = [i for i in scored if pairs[i].hypothesis == hypothesis]
        moved = apply_examples([results[i] for i in members], vectors[members], vectors[support], vectors[oppose],
                               classifier.example_temperature)
        shifted.update(zip(members, moved))
    gold = [pairs[i].label for i in scored]
    before = accuracy(gold, _binary([results[i] for i in scored]))
    after = accuracy(gold, _binary([shifted[i] for i in scored]))
    return [BenchRow(task="stance", dataset=name, split=split, metric=f"accuracy, {SHOTS}+{SHOTS} examples",
                     value=round(after, 4),
                     note=f"{len(scored)} pairs of {len(examples)} topics; same pairs without examples {before:.4f}")]


def _vast_rows(classifier, pairs, split) -> list[BenchRow]:
    pred = [r.label for r in classifier.classify([(p.text, p.hypothesis) for p in pairs])]
    rows = []
    for subset, keep in (("all", lambda p: True), ("zero-shot", lambda p: p.extra.get("zero_shot")),
                         ("few-shot", lambda p: not p.extra.get("zero_shot"))):
        chosen = [(p.label, y) for p, y in zip(pairs, pred) if keep(p)]
        labels = ("support", "oppose", "neutral")
        value = macro_f1([g for g, _ in chosen], [y for _, y in chosen], labels) if chosen else None
        rows.append(BenchRow(task="stance", dataset="vast", split=split, metric=f"macro-F1 {subset}",
                             value=None if value is None else round(value, 4),
                             published_best=PUBLISHED["vast"] if subset == "zero-shot" else None,
                             note="no VAST train here: every topic is unseen by the offline head"
                             if subset == "all" else None))
    return rows


def _nli_rows(name: str, classifier, pairs, split, by_round: bool = False) -> list[BenchRow]:
    pred = [r.label for r in classifier.classify([(p.text, p.hypothesis) for p in pairs])]
    groups = {"all": list(range(len(pairs)))}
    if by_round:
        groups = {}
        for i, p in enumerate(pairs):
            groups.setdefault(p.extra["round"], []).append(i)
    note = "entailment→support, contradiction→oppose, neutral→neutral"
    if split == "dev" and name in ("snli", "anli"):
        note += "; dev = 20 % of the dev set held out from offline training"
    return [BenchRow(task="stance", dataset=name if key == "all" else f"{name} {key}", split=split, metric="accuracy",
                     value=round(accuracy([pairs[i].label for i in idx], [pred[i] for i in idx]), 4),
                     published_best=PUBLISHED[name], note=note)
            for key, idx in sorted(groups.items())]


def _dev_or(split: str, loader: Callable, data_dir: str, held_out_from: str) -> list[ds.LabelledPair]:
    """``split``'s pairs, where dev means the 20 % of ``held_out_from`` kept out of training."""
    if split == "dev":
        return ds.hold_out_groups(loader(data_dir, held_out_from))[1]
    return loader(data_dir, split)


def stance_suites(split: str, data_dir: str) -> dict[str, tuple[Callable, Callable]]:
    """Dataset name → (load pairs, turn predictions into rows)."""
    return {
        "fnc1": (lambda: _dev_or(split, ds.load_fnc1, data_dir, "train"), _fnc_rows),
        "ibm": (lambda: _dev_or(split, ds.load_ibm_claim_stance, data_dir, "train"),
                lambda c, p, s: _binary_rows("ibm", c, p, s)),
        "perspectrum": (lambda: ds.load_perspectrum(data_dir, split),
                        lambda c, p, s: _binary_rows("perspectrum", c, p, s)),
        "vast": (lambda: ds.load_vast(data_dir, split), _vast_rows),
        "snli": (lambda: _dev_or(split, ds.load_snli, data_dir, "dev"),
                 lambda c, p, s: _nli_rows("snli", c, p, s)),
        "anli": (lambda: _dev_or(split, ds.load_anli, data_dir, "dev"),
                 lambda c, p, s: _nli_rows("anli", c, p, s, by_round=True)),
        "sick": (lambda: ds.load_sick(data_dir, split), lambda c, p, s: _nli_rows("sick", c, p, s)),
    }


def make_classifier(settings, name: str, store=None):
    """The backend named ``name`` with the options ``settings`` holds for it (``stance.hf``, ``stance.llm``)."""
    chosen = settings.updated(**{"stance.backend": name})
    try:
        from ..argue.stages import make_stance_classifier
    except ImportError:
        return get_stance_classifier(name, store=store)
    return make_stance_classifier(chosen, store=store)


@quality_task("stance")
def stance_task(split: str, settings, stance: str | None = None, limit: int | None = None,
                datasets: list[str] | None = None, classifier=None, cache: bool = True,
                **_options) -> list[BenchRow]:
    """Rows for every stance dataset; ``limit`` caps pairs per dataset (seeded sample) for quick runs.

    With ``cache`` the store at ``settings.db`` keeps embeddings and stance results, so a second
    run of the same backend on the same data costs seconds instead of minutes.
    """
    if split == "train":
        return [BenchRow(task="stance", dataset="-", split=split, metric="-", value=None,
                         note="the stance bench reports --split dev (tuning) or --split test")]
    if classifier is not None or not cache:
        return _run_suites(split, settings, classifier or make_classifier(settings, stance or settings.stance.backend),
                           limit, datasets)
    from ..store import open_store

    with open_store(settings.db) as store:
        return _run_suites(split, settings, make_classifier(settings, stance or settings.stance.backend, store),
                           limit, datasets)


def _run_suites(split, settings, classifier, limit, datasets) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for name, (load, score) in stance_suites(split, settings.data_dir).items():
        if datasets and name not in datasets:
            continue
        try:
            pairs = _sample(load(), limit)
        except ds.DataMissing as err:
            rows.append(BenchRow(task="stance", dataset=name, split=split, metric="-", value=None, note=err.line()))
            continue
        produced = score(classifier, pairs, split)
        if limit:
            for row in produced:
                row.note = "; ".join(filter(None, [row.note, f"sample of {len(pairs)} pairs"]))
        rows += produced
    return rows
