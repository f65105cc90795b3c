"""Fine-tune all-MiniLM-L6-v2 as an argument ↔ key-point cross-encoder on ArgKP-2021 train.

The matching head (``scripts/train_keypoints.py``) sees each pair through frozen sentence
vectors and a few lexical counts. A cross-encoder reads the argument and the key point
together; the published ArgKP-2021 leaders were cross-encoders. This script fine-tunes the six
transformer layers of the bundled MiniLM (token embeddings frozen, as for the stance
cross-encoder) on the labelled train pairs (match / no match) and reports dev mAP for the
cross-encoder alone and blended with the matching head.

Usage:
  python scripts/train_keypoint_cross.py train --out /tmp/kp/kp.npz      # 2 epochs (as shipped), ~6 min each on 2 cores
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


def cmd_train(args) -> None:
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rows = labelled_pairs(args.data_dir, "train")
    print(f"{sum(r[2] == 0 for r in rows)} of {len(rows)} pairs match", flush=True)
    model = CrossEncoder(None, CROSS_CLASSES, threads=args.threads)
    record = fine_tune(model, rows, epochs=args.epochs, batch=args.batch, lr=args.lr,
                       rng=np.random.default_rng(SEED), by_length=False)
    np.savez(args.out, **trainable_state(model.net))
    record = {**record, "seed": SEED}
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
