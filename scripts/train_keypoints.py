"""Train the argument ↔ key-point matching head on ArgKP-2021 train pairs; evaluate on dev.

Usage (from the repo root):
    PYTHONPATH=src .venv/bin/python scripts/train_keypoints.py [--data ../shared/data] [--test]

Embeds arguments and key points with the offline MiniLM embedder (frozen), builds the pair
features of ``cruxmap.map.matcher.pair_features`` and fits a one-hidden-layer MLP
(scikit-learn, fixed seed, early stopping on a held-out tenth of train). The hidden size is
picked on the dev split by official-style mAP strict. Writes ``head.npz`` (numpy weights) and
``training_record.json`` to ``src/cruxmap/resources/keypoints/``. ``--test`` scores the chosen
head on the test split once and records it. No data is written into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from cruxmap.argue.embed import get_embedder  # noqa: E402
from cruxmap.bench.keypoints import argkp_map, argkp_scores, best_key_points, load_argkp  # noqa: E402
from cruxmap.map.matcher import HEAD_FILE, LEXICAL_NAMES, KeyPointMatcher, pair_features  # noqa: E402


def labelled_features(split_data, embedder):
    arguments, key_points, labels = split_data
    arg_text = {a["arg_id"]: a["argument"] for a in arguments}
    kp_text = {k["key_point_id"]: k["key_point"] for k in key_points}
    pairs = sorted(labels)
    a_texts = [arg_text[a] for a, _ in pairs]
    b_texts = [kp_text[k] for _, k in pairs]
    u = embedder.embed(a_texts)
    v = embedder.embed(b_texts)
    y = np.array([labels[p] for p in pairs], dtype=np.int64)
    return pair_features(u, v, a_texts, b_texts), y


def save_head(model, scaler, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, mean=scaler.mean_.astype(np.float32), scale=scaler.scale_.astype(np.float32),
             w1=model.coefs_[0].astype(np.float32), b1=model.intercepts_[0].astype(np.float32),
             w2=model.coefs_[1].astype(np.float32), b2=model.intercepts_[1].astype(np.float32))


def evaluate(split_data, embedder, matcher) -> dict[str, float]:
    arguments, key_points, labels = split_data
    scores = argkp_scores(arguments, key_points, embedder, matcher)
    return argkp_map(best_key_points(arguments, key_points, scores), labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--hidden", default="32,64,128", help="hidden sizes tried (picked on dev)")
    parser.add_argument("--test", action="store_true", help="score the chosen head on the test split (once)")
    args = parser.parse_args()

    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    started = time.time()
    embedder = get_embedder("minilm")
    train, dev = load_argkp(args.data, "train"), load_argkp(args.data, "dev")
    x_train, y_train = labelled_features(train, embedder)
    scaler = StandardScaler().fit(x_train)
    cosine = KeyPointMatcher(head_file=None)
    dev_cosine = evaluate(dev, embedder, cosine)
    print("dev cosine", dev_cosine, flush=True)

    tmp = HEAD_FILE.with_name("head.candidate.npz")
    trials = []
    best = None
    for hidden in [int(h) for h in args.hidden.split(",")]:
        model = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, early_stopping=True, validation_fraction=0.1,
                              max_iter=200, random_state=0)
        model.fit(scaler.transform(x_train), y_train)
        save_head(model, scaler, tmp)
        result = evaluate(dev, embedder, KeyPointMatcher(head_file=tmp))
        trials.append({"hidden": hidden, "epochs": int(model.n_iter_), "dev": result})
        print("hidden", hidden, result, flush=True)
        if best is None or result["strict"] > best[0]["strict"]:
            best = (result, hidden, model)
    tmp.unlink(missing_ok=True)
    dev_head, hidden, model = best
    save_head(model, scaler, HEAD_FILE)
    record = {
        "task": "ArgKP-2021 argument ↔ key-point matching head",
        "data": "ArgKP-2021 train pairs (labels_train.csv); chosen on dev by mAP strict",
        "embedder": getattr(embedder, "registry_name", embedder.name),
        "embedder_precision": getattr(embedder, "precision", None),
        "features": ["cosine", "u*v (384)", "|u-v| (384)", *LEXICAL_NAMES],
        "model": {"type": "MLP, 1 hidden layer, ReLU, logistic output", "hidden": hidden, "alpha": 1e-3,
                  "early_stopping": True, "random_state": 0},
        "train_pairs": int(len(y_train)), "train_positives": int(y_train.sum()),
        "dev_cosine": dev_cosine, "dev_head": dev_head, "trials": trials,
        "weights_sha256": hashlib.sha256(HEAD_FILE.read_bytes()).hexdigest(),
        "seconds": round(time.time() - started, 1),
        "metric_note": "strict/relaxed = plain AP on the top 50% (published form); *_xp = × positives/size of top 50%",
    }
    if args.test:
        record["test_head"] = evaluate(load_argkp(args.data, "test"), embedder, KeyPointMatcher(head_file=HEAD_FILE))
        record["test_cosine"] = evaluate(load_argkp(args.data, "test"), embedder, cosine)
        print("test", record["test_head"], "cosine", record["test_cosine"], flush=True)
    HEAD_FILE.with_name("training_record.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: record[k] for k in ("dev_cosine", "dev_head", "hidden")}, indent=1))


if __name__ == "__main__":
    main()
