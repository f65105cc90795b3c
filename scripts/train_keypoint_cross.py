"""Fine-tune all-MiniLM-L6-v2 as an argument ↔ key-point cross-encoder on ArgKP-2021 train.

The matching head (``scripts/train_keypoints.py``) sees each pair through frozen sentence
vectors and a few lexical counts. A cross-encoder reads the argument and the key point
together; the published ArgKP-2021 leaders were cross-encoders. This script fine-tunes the six
transformer layers of the bundled MiniLM (token embeddings frozen, as for the stance
cross-encoder) on the labelled train pairs (match / no match) and reports dev mAP for the
cross-encoder alone and blended with the matching head.

ArgKP labels only pairs of one stance, so the model never sees an argument beside a key point that
states the opposite side of its subject. ``--opposite N`` adds, for each train argument, N key points
of its topic with the other stance (drawn with the seed) as "no match"; ``--init`` continues from a
weight file instead of the bundled MiniLM.

Usage:
  python scripts/train_keypoint_cross.py train --out /tmp/kp/kp.npz      # 2 epochs (as shipped), ~6 min each on 2 cores
  python scripts/train_keypoint_cross.py train --out /tmp/kp/opp.npz --opposite 1 --argument-share 0.3 \
      --labelled-share 0.08 --epochs 1 --lr 3e-5 --init src/cruxmap/resources/keypoints/cross_encoder.npz --by-length
  python scripts/train_keypoint_cross.py eval /tmp/kp/kp.npz             # dev mAP table
  python scripts/train_keypoint_cross.py final /tmp/kp/kp.npz --blend W  # copy into resources + record
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cruxmap.argue.cross_encoder import CrossEncoder, fine_tune, trainable_state
from cruxmap.bench.keypoints import argkp_map, argkp_scores, best_key_points, load_argkp
from cruxmap.map.matcher import CROSS_CLASSES, CROSS_FILE, RESOURCE_DIR, KeyPointMatcher, blend_scores

SEED = 17


def labelled_pairs(data_dir: str, split: str) -> list[tuple[str, str, int]]:
    arguments, key_points, labels = load_argkp(data_dir, split)
    arg_text = {a["arg_id"]: a["argument"] for a in arguments}
    kp_text = {k["key_point_id"]: k["key_point"] for k in key_points}
    return [(arg_text[a], kp_text[k], 1 - label) for (a, k), label in sorted(labels.items())
            if a in arg_text and k in kp_text]  # class 0 = match


def opposite_stance_pairs(data_dir: str, split: str, per_argument: int, rng: np.random.Generator,
                          argument_share: float = 1.0) -> list[tuple[str, str, int]]:
    """For each argument (or a share of them, drawn with ``rng``), ``per_argument`` key points of its topic
    with the other stance, as "no match" (class 1): the opposite claim on the same subject is another point."""
    arguments, key_points, _ = load_argkp(data_dir, split)
    if argument_share < 1.0:
        keep = set(rng.choice(len(arguments), size=round(argument_share * len(arguments)), replace=False).tolist())
        arguments = [a for i, a in enumerate(arguments) if i in keep]
    by_side: dict[tuple[str, str], list[str]] = {}
    for kp in sorted(key_points, key=lambda k: k["key_point_id"]):
        by_side.setdefault((kp["topic"], kp["stance"]), []).append(kp["key_point"])
    out = []
    for arg in sorted(arguments, key=lambda a: a["arg_id"]):
        other = "1" if arg["stance"].strip() == "-1" else "-1"
        pool = by_side.get((arg["topic"], other), [])
        for i in rng.choice(len(pool), size=min(per_argument, len(pool)), replace=False) if pool else []:
            out.append((arg["argument"], pool[int(i)], 1))
    return out


def load_into(model: CrossEncoder, weights: str) -> None:
    """Start training from a weight file's arrays (the model was built untrained, so it keeps its own
    token embeddings and their training-mode dropout, as a fresh run has)."""
    import torch

    from cruxmap.argue.cross_encoder import load_state

    with np.load(weights, allow_pickle=False) as data:
        state = {k: torch.from_numpy(v) for k, v in load_state(data).items()}
    missing = {n for n, p in model.net.named_parameters() if p.requires_grad} - set(state)
    if missing:
        raise SystemExit(f"{weights} lacks {len(missing)} trained arrays")
    model.net.load_state_dict(state, strict=False)


def cmd_train(args) -> None:
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rows = labelled_pairs(args.data_dir, "train")
    print(f"{sum(r[2] == 0 for r in rows)} of {len(rows)} pairs match", flush=True)
    rng = np.random.default_rng(SEED)
    if args.labelled_share < 1.0:  # a continued run may re-read only part of what the model was trained on
        keep = np.sort(rng.choice(len(rows), size=round(args.labelled_share * len(rows)), replace=False))
        rows = [rows[i] for i in keep]
        print(f"{len(rows)} labelled pairs kept ({args.labelled_share:.0%})", flush=True)
    opposite = opposite_stance_pairs(args.data_dir, "train", args.opposite, rng, args.argument_share) \
        if args.opposite else []
    if opposite:
        print(f"+ {len(opposite)} opposite-stance key points as no match ({args.opposite} per argument, "
              f"{args.argument_share:.0%} of the arguments)", flush=True)
    model = CrossEncoder(None, CROSS_CLASSES, threads=args.threads)
    if args.init:
        load_into(model, args.init)
    record = fine_tune(model, rows + opposite, epochs=args.epochs, batch=args.batch, lr=args.lr,
                       rng=rng, by_length=args.by_length)
    np.savez(args.out, **trainable_state(model.net))
    record = {**record, "seed": SEED, "labelled_pairs": len(rows), "labelled_share": args.labelled_share, "opposite_per_argument": args.opposite,
              "opposite_argument_share": args.argument_share,
              "opposite_pairs": len(opposite), "by_length": args.by_length}
    if args.init:
        record["init"] = {"file": Path(args.init).name,
                          "sha256": hashlib.sha256(Path(args.init).read_bytes()).hexdigest()}
    Path(args.out).with_suffix(".train.json").write_text(json.dumps(record, indent=1))
    print(json.dumps(record), flush=True)


def split_scores(weights: str, data_dir: str, split: str, blends: list[float], threads: int = 2) -> dict:
    """mAP of the head, the cross-encoder and their blends on one split."""
    from cruxmap.argue.minilm import MiniLMEmbedder

    arguments, key_points, labels = load_argkp(data_dir, split)
    head = argkp_scores(arguments, key_points, MiniLMEmbedder(), KeyPointMatcher(cross=False))
    keys = sorted(head)
    arg_text = {a["arg_id"]: a["argument"] for a in arguments}
    kp_text = {k["key_point_id"]: k["key_point"] for k in key_points}
    model = CrossEncoder(weights=weights, threads=threads, classes=CROSS_CLASSES)
    cross = model.probabilities([(arg_text[a], kp_text[k]) for a, k in keys])[:, 0]
    head_values = np.array([head[k] for k in keys])
    out = {}
    for weight in blends:
        mixed = blend_scores(head_values, cross, weight)
        out[f"blend {weight}"] = {k: round(v, 4) for k, v in argkp_map(
            best_key_points(arguments, key_points, dict(zip(keys, mixed.tolist()))), labels).items()}
    return out


def cmd_eval(args) -> None:
    print(json.dumps(split_scores(args.weights, args.data_dir, "dev", [0.0, 0.25, 0.5, 0.75, 1.0], args.threads),
                     indent=1))


def cmd_final(args) -> None:
    target = RESOURCE_DIR / CROSS_FILE
    shutil.copyfile(args.weights, target)
    record_path = RESOURCE_DIR / "training_record.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    dev = split_scores(str(target), args.data_dir, "dev", [0.0, args.blend, 1.0], args.threads)
    record["cross_encoder"] = {
        "weights_file": CROSS_FILE,
        "weights_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "weights_bytes": target.stat().st_size,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "script": "scripts/train_keypoint_cross.py",
        "data": "ArgKP-2021 train labelled pairs (argument, key point, match)",
        "hyper_parameters": json.loads(Path(args.weights).with_suffix(".train.json").read_text()),
        "blend": args.blend,
        "dev": dev,
    }
    if args.test:
        record["cross_encoder"]["test"] = split_scores(str(target), args.data_dir, "test", [0.0, args.blend],
                                                       args.threads)
    record_path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(record["cross_encoder"], indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    sub = parser.add_subparsers(dest="cmd", required=True)
    train = sub.add_parser("train")
    train.add_argument("--epochs", type=int, default=2)
    train.add_argument("--batch", type=int, default=32)
    train.add_argument("--lr", type=float, default=4e-5)
    train.add_argument("--out", required=True)
    train.add_argument("--opposite", type=int, default=0,
                       help="key points of the other stance added per train argument as no match")
    train.add_argument("--init", help="continue from this weight file")
    train.add_argument("--argument-share", type=float, default=1.0,
                       help="share of the train arguments given opposite-stance key points (drawn with the seed)")
    train.add_argument("--labelled-share", type=float, default=1.0,
                       help="share of the labelled train pairs used (drawn with the seed)")
    train.add_argument("--by-length", action="store_true", help="batch pairs of similar length (faster)")
    train.set_defaults(func=cmd_train)
    ev = sub.add_parser("eval")
    ev.add_argument("weights")
    ev.set_defaults(func=cmd_eval)
    final = sub.add_parser("final")
    final.add_argument("weights")
    final.add_argument("--blend", type=float, required=True)
    final.add_argument("--test", action="store_true", help="also score the test split (once, at the end)")
    final.set_defaults(func=cmd_final)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
