"""Fine-tune all-MiniLM-L6-v2 as a stance cross-encoder for short texts, on 2 CPU cores.

The frozen-feature head (``scripts/train_stance.py``) tells well whether a sentence bears on a
hypothesis but poorly which way it leans: it sees the two texts only through their separate
sentence vectors, so "NATO expansion did not cause the war" and "NATO expansion caused the war"
look almost alike to it. A cross-encoder reads the text and the hypothesis together, token by
token, and can see the negation. This script fine-tunes the six transformer layers of the
bundled MiniLM (the token embeddings stay frozen and are loaded from the installed package,
so the committed file holds only the layers, int8 with a scale per row: ~11 MB) with a mean-pooled
four-class head: support, oppose, discuss (related, no position), unrelated.

Data (from ``--data-dir``, default ../shared/data; never copied into the repo) are the short-text
training splits of ``train_stance.build_splits``: IBM Claim Stance train (80 % of topics),
PERSPECTRUM train, ArgKP-2021 train (arguments vs topic), SICK train, 80 % of SNLI dev and of
ANLI dev, each binary stance set also against its negated hypothesis (labels swapped), and
texts paired with another topic's hypothesis (unrelated). FNC-1's long news bodies stay with the
frozen document head. Dev (choices only): the held-out parts, PERSPECTRUM/ArgKP dev, SICK trial,
VAST dev, and ``sides`` (ArgKP dev arguments against key points of their own and the other side).

``--opposite-sides`` (experiment, not shipped) adds ArgKP train arguments against a key point of their
own side (support) and of the other side (oppose), 3,000 of each. It teaches what it is meant to
(``sides`` dev 0.629 → 0.735) and lifts the example corpus's source table
(``bench quality --task source-stance``: 0.45 → 0.525), but costs the seeds one cell (0.56 → 0.52), leaves the
stance benchmarks where they were (dev PERSPECTRUM 0.772 → 0.781, IBM 0.572 → 0.572, VAST 0.548 → 0.538) and
starts reading "no harmful effect" as agreeing with "will harm" (``test_stance_offline``'s obvious pairs).
With ``--negate-texts`` as well: IBM dev 0.653, PERSPECTRUM 0.780, ``sides`` 0.700, but source tables 0.375
and 0.48, and the same obvious pair wrong.

Usage:
  python scripts/train_cross_encoder.py train --out /tmp/ce/model.npz   # 3 epochs, ~27 min on 2 cores
  python scripts/train_cross_encoder.py eval /tmp/ce/model.npz                     # dev table
  python scripts/train_cross_encoder.py final /tmp/ce/model.npz                    # copy into resources + record
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_stance import SEED, build_splits, head_label, negate_statement

from cruxmap.argue.cross_encoder import MAX_TOKENS, CrossEncoder, fine_tune, trainable_state
from cruxmap.argue.stance.offline import CROSS_FILE, HEAD_CLASSES, RESOURCE_DIR
from cruxmap.bench import datasets as ds
from cruxmap.bench.keypoints import load_argkp
from cruxmap.bench.stance import macro_f1

#: training sets and the most pairs taken from each (ArgKP repeats 24 topics many times over)
TRAIN_MIX = {"ibm": None, "ibmneg": None, "perspectrum": None, "perspneg": None, "argkp": 3000, "argkpneg": 3000,
             "snli": None, "anli": None, "sick": None, "shuffled": None}
DEV_SETS = ["ibm", "perspectrum", "argkp", "sick", "snli", "anli", "vast", "shuffled", "sides"]
#: with --opposite-sides: the most ArgKP (argument, key point) pairs taken of each kind (see ``side_pairs``)
SIDE_PAIRS = 3000


def side_pairs(data_dir: str, split: str, rng: np.random.Generator, cap: int | None = None) -> list[ds.LabelledPair]:
    """ArgKP-2021 arguments against key points of their own debate: the key point an argument was
    labelled as expressing (``support``) and a key point of the other side (``oppose``).

    Competing hypotheses are positions of one debate that do not negate each other in words
    ("it was about NATO" / "it was about empire"). Trained only on (text, negated statement) pairs,
    the cross-encoder reads a claim's own polarity and gives it the same direction against every
    competing hypothesis; these pairs show it two non-negated statements from opposite sides."""
    argument_rows, key_point_rows, labels = load_argkp(data_dir, split)
    arguments = {r["arg_id"]: r for r in argument_rows}
    key_points = {r["key_point_id"]: r for r in key_point_rows}
    matched = [(a, k) for (a, k), label in labels.items() if label == 1 and a in arguments and k in key_points]
    by_side: dict[tuple[str, str], list[str]] = {}
    for k in sorted(key_points):
        by_side.setdefault((key_points[k]["topic"], key_points[k]["stance"].strip()), []).append(k)
    support = [ds.LabelledPair(arguments[a]["argument"], key_points[k]["key_point"], "support", "same side",
                               f"argkp-{arguments[a]['topic']}") for a, k in matched]
    oppose = []
    for a in sorted(arguments):
        arg = arguments[a]
        other = "-1" if arg["stance"].strip() == "1" else "1"
        choices = by_side.get((arg["topic"], other), [])
        if choices:
            k = choices[int(rng.integers(len(choices)))]
            oppose.append(ds.LabelledPair(arg["argument"], key_points[k]["key_point"], "oppose", "other side",
                                          f"argkp-{arg['topic']}"))
    out = []
    for pairs in (support, oppose):
        if cap is not None and len(pairs) > cap:
            pairs = [pairs[i] for i in sorted(rng.permutation(len(pairs))[:cap])]
        out += pairs
    return out


def training_pairs(splits: dict, rng: np.random.Generator) -> list[tuple[str, str, int]]:
    rows = []
    for name, cap in TRAIN_MIX.items():
        pairs = splits[f"{name}:train"]
        if cap is not None and len(pairs) > cap:
            pairs = [pairs[i] for i in sorted(rng.permutation(len(pairs))[:cap])]
        rows += [(p.text, p.hypothesis, HEAD_CLASSES.index(head_label(p))) for p in pairs]
    return rows


#: binary stance sets whose texts are also negated (support and oppose swapped) with --negate-texts
TEXT_NEGATION = {"ibm": None, "perspectrum": 3000, "argkp": 1500}


def negated_text_pairs(splits: dict, rng: np.random.Generator) -> list[tuple[str, str, int]]:
    """Texts turned around ("X should Y" → "X should not Y") against the same hypothesis, labels swapped:
    trained on negated hypotheses only, the cross-encoder learns to read "not" there but not in the text."""
    flip = {"support": "oppose", "oppose": "support"}
    rows = []
    for name, cap in TEXT_NEGATION.items():
        pairs = [p for p in splits[f"{name}:train"] if p.label in flip and len(p.text) < 300]
        if cap is not None and len(pairs) > cap:
            pairs = [pairs[i] for i in sorted(rng.permutation(len(pairs))[:cap])]
        rows += [(negate_statement(p.text), p.hypothesis, HEAD_CLASSES.index(flip[p.label])) for p in pairs]
    return rows


def cmd_train(args) -> None:
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(SEED)
    splits = build_splits(args.data_dir)
    rows = training_pairs(splits, rng)
    if args.negate_texts:
        rows += negated_text_pairs(splits, rng)
    if args.opposite_sides:
        rows += [(p.text, p.hypothesis, HEAD_CLASSES.index(p.label))
                 for p in side_pairs(args.data_dir, "train", rng, SIDE_PAIRS)]
    model = CrossEncoder(None, HEAD_CLASSES, threads=args.threads)
    record = fine_tune(model, rows, epochs=args.epochs, batch=args.batch, lr=args.lr, rng=rng)
    np.savez(args.out, **trainable_state(model.net))
    record = {**record, "mix": TRAIN_MIX, "negated_texts": TEXT_NEGATION if args.negate_texts else None,
              "opposite_sides": SIDE_PAIRS if args.opposite_sides else None,
              "seed": SEED}
    Path(args.out).with_suffix(".train.json").write_text(json.dumps(record, indent=1))
    print(json.dumps(record), flush=True)


def dev_scores(probs: np.ndarray, y: np.ndarray, name: str) -> dict[str, float]:
    if name == "shuffled":
        return {"off-topic pairs called neutral": float((probs[:, 2] + probs[:, 3] > 0.5).mean())}
    if name in ("ibm", "perspectrum", "argkp", "sides"):
        return {f"{name} acc": float((np.where(probs[:, 0] >= probs[:, 1], 0, 1) == y).mean())}
    three = np.stack([probs[:, 0], probs[:, 1], probs[:, 2] + probs[:, 3]], 1).argmax(1)
    gold = np.minimum(y, 2)
    if name == "vast":
        names = ["s", "o", "n"]
        return {"vast F1m": macro_f1([names[g] for g in gold], [names[p] for p in three], names)}
    return {f"{name} acc": float((three == gold).mean())}


def evaluate(weights: str, data_dir: str, threads: int = 2) -> dict[str, dict[str, float]]:
    """Dev scores of the cross-encoder alone, the frozen head alone and ``stance.offline.v2`` (both)."""
    from cruxmap.argue.stance.offline import CrossStanceClassifier, OfflineStanceClassifier

    head = OfflineStanceClassifier()
    v2 = CrossStanceClassifier(embedder=head.embedder, cross_weights=weights, threads=threads)
    splits = build_splits(data_dir)
    splits["sides:dev"] = side_pairs(data_dir, "dev", np.random.default_rng(SEED))
    scores: dict[str, dict[str, float]] = {"cross-encoder": {}, "head (v1)": {}, "v2": {}}
    for name in DEV_SETS:
        pairs = splits[f"{name}:dev"]
        texts = [(p.text, p.hypothesis) for p in pairs]
        y = np.array([HEAD_CLASSES.index(head_label(p)) for p in pairs])
        scores["cross-encoder"].update(dev_scores(v2.cross.probabilities(texts), y, name))
        scores["head (v1)"].update(dev_scores(head.head_probabilities(texts), y, name))
        scores["v2"].update(dev_scores(v2.head_probabilities(texts), y, name))
    return {model: {k: round(v, 4) for k, v in values.items()} for model, values in scores.items()}


def cmd_eval(args) -> None:
    started = time.perf_counter()
    scores = evaluate(args.weights, args.data_dir, args.threads)
    print(json.dumps({"weights": args.weights, "seconds": round(time.perf_counter() - started), **scores}, indent=1),
          flush=True)


def cmd_final(args) -> None:
    from cruxmap.argue.minilm import MINILM_SHA256

    target = RESOURCE_DIR / CROSS_FILE
    shutil.copyfile(args.weights, target)
    train_record = json.loads(Path(args.weights).with_suffix(".train.json").read_text())
    record_path = RESOURCE_DIR / "training_record.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["cross_encoder"] = {
        "weights_file": CROSS_FILE,
        "weights_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "weights_bytes": target.stat().st_size,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "base": {"model": "sentence-transformers/all-MiniLM-L6-v2", "weights_sha256": MINILM_SHA256,
                 "frozen": "token, position and type embeddings (loaded from the installed package)"},
        "trained": "the 6 transformer layers (stored float16) and a mean-pooled linear head over "
                   + ", ".join(HEAD_CLASSES),
        "script": "scripts/train_cross_encoder.py",
        "hyper_parameters": {**train_record, "optimizer": "AdamW wd 0.01, 6 % linear warm-up, linear decay",
                             "precision": "bf16 autocast", "max_tokens": MAX_TOKENS},
        "dev_scores": evaluate(str(target), args.data_dir, args.threads),
    }
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record["cross_encoder"], indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    sub = parser.add_subparsers(dest="cmd", required=True)
    train = sub.add_parser("train")
    train.add_argument("--epochs", type=int, default=3)
    train.add_argument("--batch", type=int, default=32)
    train.add_argument("--lr", type=float, default=4e-5)
    train.add_argument("--out", required=True)
    train.add_argument("--negate-texts", action="store_true", help="add negated texts with swapped labels")
    train.add_argument("--opposite-sides", action="store_true",
                       help="add ArgKP arguments against key points of their own and of the other side")
    train.set_defaults(func=cmd_train)
    ev = sub.add_parser("eval")
    ev.add_argument("weights")
    ev.set_defaults(func=cmd_eval)
    final = sub.add_parser("final")
    final.add_argument("weights")
    final.set_defaults(func=cmd_final)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
