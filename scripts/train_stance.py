"""Train the offline stance head (``stance.offline.v1``) on frozen MiniLM pair features.

Data (from ``--data-dir``, default ../shared/data; never copied into the repo):
  FNC-1 train (80 % of bodies; 20 % held out as dev), IBM Claim Stance train (80 % of topics),
  PERSPECTRUM train, ArgKP-2021 train, SICK train, SNLI dev and ANLI dev (80 % of premises each:
  no SNLI/ANLI train split is available here, so their *test* sets are the held-out numbers).
Dev (choices only): the held-out 20 %s above, PERSPECTRUM dev, ArgKP dev, SICK trial.

Labels inside the head: support, oppose, discuss (related, no position), unrelated.
NLI neutral → discuss; FNC keeps its 4 labels; binary stance data has support/oppose only.

Usage:
  python scripts/train_stance.py features            # embed everything once, cache under /tmp
  python scripts/train_stance.py sweep               # compare heads on dev, print a table
  python scripts/train_stance.py final --hidden 512  # train the chosen head, write the weight file + record
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cruxmap.argue.features import pair_features
from cruxmap.argue.stance.offline import HEAD_CLASSES, RESOURCE_DIR, WEIGHTS_FILE, fnc_label
from cruxmap.bench import datasets as ds
from cruxmap.bench.stance import fnc_score, macro_f1

CACHE = Path("/tmp/cruxmap-stance-cache")
FEATURES = CACHE / "features-v2"  # v2: raw hypothesis and text vectors added to the interactions
SEED = 13


class DictStore:
    """The two store methods ``Embedder.embed`` needs, backed by one .npz file under /tmp."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict[str, bytes] = {}
        if path.is_file():
            loaded = np.load(path)
            self.data = {k: loaded[k].tobytes() for k in loaded.files}

    def get_cached(self, namespace, keys):
        return {k: self.data[k] for k in keys if k in self.data}

    def put_cached(self, namespace, items):
        self.data.update(items)

    def save(self):
        np.savez(self.path, **{k: np.frombuffer(v, dtype=np.float32) for k, v in self.data.items()})


def head_label(pair: ds.LabelledPair) -> str:
    """Map a dataset label onto the head's four classes."""
    if pair.fine_label in ("agree", "disagree", "discuss", "unrelated"):
        return {"agree": "support", "disagree": "oppose"}.get(pair.fine_label, pair.fine_label)
    return "discuss" if pair.label == "neutral" else pair.label


_AUXILIARY = re.compile(r"\b(should|would|will|must|can|could|is|are|was|were|does|do|has|have)\b", re.IGNORECASE)


def negate_statement(statement: str) -> str:
    """The opposite claim: 'not' after the first auxiliary verb, else 'It is not true that …'."""
    match = _AUXILIARY.search(statement)
    if match and not statement[match.end():].lstrip().lower().startswith("not "):
        return f"{statement[:match.end()]} not{statement[match.end():]}"
    return f"It is not true that {statement[:1].lower()}{statement[1:]}"


def negated_pairs(pairs: list[ds.LabelledPair]) -> list[ds.LabelledPair]:
    """Augment binary stance data: against the negated hypothesis, support and oppose swap."""
    flip = {"support": "oppose", "oppose": "support"}
    return [ds.LabelledPair(p.text, negate_statement(p.hypothesis), flip[p.label], p.fine_label, p.group)
            for p in pairs if p.label in flip]


def unrelated_pairs(pairs: list[ds.LabelledPair], per_source: int = 2000, seed: int = SEED) -> list[ds.LabelledPair]:
    """Texts paired with a hypothesis from another topic, labelled unrelated (as FNC-1 built its class).

    Without them the general head sees no short unrelated pairs and calls any off-topic sentence 'oppose'.
    """
    rng = np.random.default_rng(seed)
    chosen = [pairs[i] for i in rng.permutation(len(pairs))[:per_source]]
    out = []
    for pair in chosen:
        for _ in range(10):
            other = pairs[int(rng.integers(len(pairs)))]
            if other.group != pair.group:
                out.append(ds.LabelledPair(pair.text, other.hypothesis, "neutral", "unrelated", pair.group))
                break
    return out


def build_splits(data_dir: str) -> dict[str, list[ds.LabelledPair]]:
    """Named pair lists: ``<dataset>:train`` for fitting and ``<dataset>:dev`` for choices."""
    fnc_train, fnc_dev = ds.hold_out_groups(ds.load_fnc1(data_dir, "train"))
    ibm_train, ibm_dev = ds.hold_out_groups(ds.load_ibm_claim_stance(data_dir, "train"))
    snli_train, snli_dev = ds.hold_out_groups(ds.load_snli(data_dir, "dev"))
    anli_train, anli_dev = ds.hold_out_groups(ds.load_anli(data_dir, "dev"))
    persp_train, persp_dev = ds.load_perspectrum(data_dir, "train"), ds.load_perspectrum(data_dir, "dev")
    argkp_train = ds.load_argkp(data_dir, "train")
    sick_train = ds.load_sick(data_dir, "train")
    return {
        "shuffled:train": [p for source in (ibm_train, persp_train, argkp_train, snli_train, sick_train)
                           for p in unrelated_pairs(source)],
        "shuffled:dev": [p for source in (ibm_dev, persp_dev, snli_dev) for p in unrelated_pairs(source, 500)],
        "fnc1:train": fnc_train, "fnc1:dev": fnc_dev,
        "ibm:train": ibm_train, "ibm:dev": ibm_dev,
        "perspectrum:train": ds.load_perspectrum(data_dir, "train"),
        "perspectrum:dev": ds.load_perspectrum(data_dir, "dev"),
        "argkp:train": ds.load_argkp(data_dir, "train"), "argkp:dev": ds.load_argkp(data_dir, "dev"),
        "sick:train": ds.load_sick(data_dir, "train"), "sick:dev": ds.load_sick(data_dir, "trial"),
        "snli:train": snli_train, "snli:dev": snli_dev,
        "anli:train": anli_train, "anli:dev": anli_dev,
        "vast:dev": ds.load_vast(data_dir, "dev"),
        "ibmneg:train": negated_pairs(ibm_train),
        "perspneg:train": negated_pairs(ds.load_perspectrum(data_dir, "train")),
        "argkpneg:train": negated_pairs(ds.load_argkp(data_dir, "train")),
    }


def make_embedder():
    from cruxmap.argue.minilm import MiniLMEmbedder

    FEATURES.mkdir(parents=True, exist_ok=True)
    return MiniLMEmbedder(store=DictStore(CACHE / "embeddings.npz"))


def cmd_features(args) -> None:
    """Embed every split once and cache its feature matrix and labels under /tmp."""
    embedder = make_embedder()
    splits = build_splits(args.data_dir)
    for name, pairs in splits.items():
        target = FEATURES / f"{name.replace(':', '_')}.npz"
        if target.is_file():
            continue
        started = time.perf_counter()
        x = pair_features([(p.text, p.hypothesis) for p in pairs], embedder)
        y = np.array([HEAD_CLASSES.index(head_label(p)) for p in pairs])
        np.savez(target, x=x, y=y)
        embedder.store.save()
        print(f"{name}: {len(pairs)} pairs, {x.shape[1]} features, {time.perf_counter() - started:.0f}s, "
              f"{embedder.computed} strings embedded so far", flush=True)


def load_features(name: str) -> tuple[np.ndarray, np.ndarray]:
    data = np.load(FEATURES / f"{name.replace(':', '_')}.npz")
    return data["x"], data["y"]


def train_head(datasets: dict[str, float], hidden: int, epochs: int, oppose_weight: float, lr: float = 1e-3,
               weight_decay: float = 1e-4, dropout: float = 0.3) -> dict[str, np.ndarray]:
    """Fit standardisation + MLP (hidden=0: logistic regression) with per-dataset and class weights."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    xs, ys, ws = [], [], []
    for name, share in datasets.items():
        x, y = load_features(f"{name}:train")
        xs.append(x)
        ys.append(y)
        # every dataset contributes `share` of the total weight whatever its size
        ws.append(np.full(len(y), share / len(y)))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    w = np.concatenate(ws)
    w = w / w.mean()
    class_weight = np.ones(len(HEAD_CLASSES))
    class_weight[HEAD_CLASSES.index("oppose")] = oppose_weight
    w = w * class_weight[y]
    mean = x.mean(0)
    scale = x.std(0) + 1e-6
    xt = torch.tensor((x - mean) / scale, dtype=torch.float32)
    yt = torch.tensor(y)
    wt = torch.tensor(w, dtype=torch.float32)
    if hidden:
        net = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                                  torch.nn.Dropout(dropout), torch.nn.Linear(hidden, len(HEAD_CLASSES)))
    else:
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], len(HEAD_CLASSES)))
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    generator = torch.Generator().manual_seed(SEED)
    for _ in range(epochs):
        net.train()
        for batch in torch.randperm(len(yt), generator=generator).split(256):
            loss = (torch.nn.functional.cross_entropy(net(xt[batch]), yt[batch], reduction="none") * wt[batch]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    params = {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32)}
    for i, layer in enumerate(linears):
        params[f"w{i}"] = layer.weight.detach().numpy().T.copy()
        params[f"b{i}"] = layer.bias.detach().numpy().copy()
    return params


def evaluate_dev(params: dict[str, np.ndarray]) -> dict[str, float]:
    """Dev scores of a head, per dataset, computed from the cached features."""
    from cruxmap.argue.stance.offline import head_probabilities

    scores = {}
    for name in ["fnc1", "ibm", "perspectrum", "argkp", "sick", "snli", "anli", "vast", "shuffled"]:
        if not (FEATURES / f"{name}_dev.npz").is_file():
            continue
        x, y = load_features(f"{name}:dev")
        probs = head_probabilities(params, x)
        if name == "fnc1":
            gold = [HEAD_CLASSES[i] for i in y]
            pred = [HEAD_CLASSES[i] for i in probs.argmax(1)]
            gold4, pred4 = [fnc_label(g) for g in gold], [fnc_label(p) for p in pred]
            scores["fnc1 score"] = fnc_score(gold4, pred4)
            f1s = macro_f1(gold4, pred4, ["agree", "disagree", "discuss", "unrelated"], per_class=True)
            scores["fnc1 F1m"] = f1s["macro"]
            scores["fnc1 F1 disagree"] = f1s["disagree"]
        elif name == "shuffled":
            scores["off-topic pairs called neutral"] = float((probs[:, 2] + probs[:, 3] > 0.5).mean())
        elif name in ("ibm", "perspectrum", "argkp"):
            pred = np.where(probs[:, 0] >= probs[:, 1], 0, 1)
            scores[f"{name} acc"] = float((pred == y).mean())
        else:
            three = np.stack([probs[:, 0], probs[:, 1], probs[:, 2] + probs[:, 3]], 1).argmax(1)
            gold = np.minimum(y, 2)
            if name == "vast":
                names = ["s", "o", "n"]
                scores["vast F1m"] = macro_f1([names[g] for g in gold], [names[p] for p in three], names)
            else:
                scores[f"{name} acc"] = float((three == gold).mean())
    return scores


MIXES = {
    "fnc-only": {"fnc1": 1.0},
    "claims-only": {"ibm": 1.0, "perspectrum": 1.0, "argkp": 1.0},
    "all+unrelated": {"fnc1": 1.0, "ibm": 0.3, "perspectrum": 0.5, "argkp": 0.4, "sick": 0.3, "snli": 0.4,
                      "anli": 0.3, "shuffled": 0.4},
    "all+neg": {"fnc1": 1.0, "ibm": 0.3, "perspectrum": 0.5, "argkp": 0.4, "sick": 0.3, "snli": 0.4, "anli": 0.3,
                "ibmneg": 0.2, "perspneg": 0.3, "argkpneg": 0.3},
    "all": {"fnc1": 1.0, "ibm": 0.3, "perspectrum": 0.5, "argkp": 0.4, "sick": 0.3, "snli": 0.4, "anli": 0.3},
    "all-fnc-heavy": {"fnc1": 2.0, "ibm": 0.3, "perspectrum": 0.5, "argkp": 0.4, "sick": 0.3, "snli": 0.4,
                      "anli": 0.3},
}


def routed(doc: dict[str, np.ndarray], general: dict[str, np.ndarray], min_sentences: int) -> dict[str, np.ndarray]:
    """One head file holding the document head and the general head (see stance.offline)."""
    params = {f"doc_{k}": v for k, v in doc.items()}
    params.update({f"gen_{k}": v for k, v in general.items()})
    params["route_min_sentences"] = np.array(min_sentences, dtype=np.float32)
    return params


def cmd_sweep(args) -> None:
    """Dev table for each general-head config, alone and routed with a FNC-trained document head."""
    doc = train_head(MIXES[args.doc_mix], args.doc_hidden, args.epochs, args.doc_oppose_weight) if args.doc_mix else None
    for mix in args.mixes:
        for hidden in args.hidden:
            for oppose_weight in args.oppose_weight:
                started = time.perf_counter()
                general = train_head(MIXES[mix], hidden, args.epochs, oppose_weight)
                seconds = round(time.perf_counter() - started)
                variants = {"single": general}
                if doc is not None:
                    variants.update({f"routed>={n}": routed(doc, general, n) for n in args.route})
                for variant, params in variants.items():
                    scores = evaluate_dev(params)
                    print(json.dumps({"mix": mix, "hidden": hidden, "oppose_weight": oppose_weight, "epochs": args.epochs,
                                      "variant": variant, "doc": args.doc_mix, "seconds": seconds,
                                      **{k: round(v, 4) for k, v in scores.items()}}), flush=True)


def cmd_final(args) -> None:
    from cruxmap.argue.minilm import MINILM_SHA256

    started = time.perf_counter()
    mix = MIXES[args.mix]
    params = train_head(mix, args.hidden, args.epochs, args.oppose_weight)
    route_scores = {}
    if args.doc_mix:
        doc = train_head(MIXES[args.doc_mix], args.doc_hidden, args.epochs, args.doc_oppose_weight)
        # the routing threshold trades FNC-1 (long news bodies) against VAST (multi-sentence comments):
        # keep the one with the best mean dev macro-F1 of the two
        candidates = {n: routed(doc, params, n) for n in args.route}
        route_scores = {n: evaluate_dev(c) for n, c in candidates.items()}
        best = max(route_scores, key=lambda n: route_scores[n]["fnc1 F1m"] + route_scores[n]["vast F1m"])
        args.route = [best]
        params = candidates[best]
    seconds = time.perf_counter() - started
    dev = evaluate_dev(params)
    RESOURCE_DIR.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(RESOURCE_DIR / WEIGHTS_FILE, **params)
    weights_sha = hashlib.sha256((RESOURCE_DIR / WEIGHTS_FILE).read_bytes()).hexdigest()
    record = {
        "backend": "stance.offline.v1",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "weights_file": WEIGHTS_FILE,
        "weights_sha256": weights_sha,
        "weights_bytes": (RESOURCE_DIR / WEIGHTS_FILE).stat().st_size,
        "embedder": {"name": "embedder.minilm.v1", "model": "sentence-transformers/all-MiniLM-L6-v2",
                     "weights_sha256": MINILM_SHA256, "precision": "bf16 autocast",
                     "throughput_sentences_per_s_2_cores": args.embed_throughput},
        "head_classes": list(HEAD_CLASSES),
        "document_head": {"mix": MIXES[args.doc_mix], "hidden": args.doc_hidden,
                          "oppose_class_weight": args.doc_oppose_weight,
                          "route_min_sentences": args.route[0]} if args.doc_mix else None,
        "hyper_parameters": {"hidden": args.hidden, "epochs": args.epochs, "oppose_class_weight": args.oppose_weight,
                             "dataset_weights": mix, "optimizer": "AdamW lr 1e-3 wd 1e-4 cosine", "batch": 256,
                             "dropout": [0.1, 0.3], "seed": SEED},
        "data": {name: len(load_features(f"{name}:train")[1]) for name in mix},
        "splits": ("dev = 20 % of groups held out with cruxmap.bench.datasets.hold_out_groups(seed=1): FNC-1 train "
                   "bodies, IBM train topics, SNLI dev premises, ANLI dev contexts; PERSPECTRUM/ArgKP official dev; "
                   "SICK trial. The head never saw a dev or test pair. SNLI and ANLI have no train split here: 80 % "
                   "of their dev sets were trained on, so only their test sets are held-out numbers."),
        "dev_scores": {k: round(v, 4) for k, v in dev.items()},
        "dev_scores_by_route_min_sentences": {n: {k: round(v, 4) for k, v in sc.items()}
                                              for n, sc in route_scores.items()},
        "training_seconds": round(seconds, 1),
        "command": " ".join(sys.argv),
    }
    (RESOURCE_DIR / "training_record.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["features", "sweep", "final"])
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--mixes", nargs="+", default=["all"])
    parser.add_argument("--mix", default="all")
    parser.add_argument("--hidden", nargs="+", type=int, default=[512])
    parser.add_argument("--oppose-weight", nargs="+", type=float, default=[1.0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--doc-mix", default=None, help="train a document head on this mix and route long texts to it")
    parser.add_argument("--doc-hidden", type=int, default=512)
    parser.add_argument("--doc-oppose-weight", type=float, default=1.0)
    parser.add_argument("--route", nargs="+", type=int, default=[6], help="min sentences for the document head")
    parser.add_argument("--embed-throughput", type=str, default=None)
    args = parser.parse_args()
    if args.command == "final":
        args.hidden = args.hidden[0]
        args.oppose_weight = args.oppose_weight[0]
    {"features": cmd_features, "sweep": cmd_sweep, "final": cmd_final}[args.command](args)


if __name__ == "__main__":
    main()
