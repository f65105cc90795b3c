"""Key-point quality rows: ArgKP-2021 matching mAP and PERSPECTRUM perspective clustering.

ArgKP-2021 (Track 1 of the KPA shared task) is scored the way the official
``track_1_kp_matching.py`` does it: each argument keeps its single highest-scoring key point
of the same topic and stance; within each (topic, stance) the top 50 % of those pairs by score
are kept and their average precision computed (sklearn's ``average_precision_score``), with
unlabelled (ambiguous) pairs counted as non-matches (*strict*) or matches (*relaxed*); mAP is the
mean over (topic, stance) groups. The scorer in the shared-task repository at the stored
commit also multiplies each AP by (positives in the top half / size of the top half); the
leaderboard numbers of the 2021 papers are plain AP. Both are reported: ``mAP strict`` /
``mAP relaxed`` (plain AP, comparable with the published numbers) and ``… ×P@50%`` (the
repository's variant).

ArgKP-2021 is also read as a *corpus*: every argument of a topic (both stances) goes through the
map's own ``build_key_points`` as a claim of its own source, and its groups are scored against
the gold matches: *pair precision* (same-group argument pairs that match one gold key point),
*mixed-stance key points* (groups holding both pro and con arguments: a key point never should),
*coverage* (arguments with a gold key point that land in a group) and key points per topic. An
argument, which the dataset gives lower-cased and unpunctuated, is capitalised and ends with a
full stop so that it can stand as a label.

PERSPECTRUM: for each claim of the split, all its gold perspectives are clustered with the
map's clustering and compared with the gold equivalence clusters (adjusted Rand index and
pairwise F1, averaged over claims); and all perspectives of the split are clustered together
(*pooled*), closer to a real corpus where most claims are unique.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

from .base import BenchRow, quality_task

ARGKP_BEST = "0.913 strict (Modern Talking); 0.921/0.982 post-eval (Enigma)"


# --------------------------------------------------------------------------- ArgKP-2021


def load_argkp(data_dir: str | Path, split: str) -> tuple[list[dict], list[dict], dict[tuple[str, str], int]]:
    """Arguments, key points and gold labels {(arg_id, key_point_id): 0/1} of one split."""
    folder = Path(data_dir) / "argkp2021"

    def rows(name: str) -> list[dict]:
        with open(folder / f"{name}_{split}.csv", encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    labels = {(r["arg_id"], r["key_point_id"]): int(r["label"]) for r in rows("labels")}
    return rows("arguments"), rows("key_points"), labels


def best_key_points(arguments: list[dict], key_points: list[dict], scores: dict[tuple[str, str], float]) -> list[dict]:
    """For each argument its highest-scoring key point of the same topic and stance ('dummy_id' when none)."""
    by_group: dict[tuple[str, str], list[str]] = defaultdict(list)
    for kp in key_points:
        by_group[(kp["topic"], kp["stance"])].append(kp["key_point_id"])
    out = []
    for arg in arguments:
        candidates = [(scores[(arg["arg_id"], k)], k) for k in by_group.get((arg["topic"], arg["stance"]), [])
                      if (arg["arg_id"], k) in scores]
        score, kp_id = max(candidates) if candidates else (0.0, "dummy_id")
        out.append({"arg_id": arg["arg_id"], "topic": arg["topic"], "stance": arg["stance"],
                    "key_point_id": kp_id, "score": float(score)})
    return out


def _group_ap(rows: list[dict], label_key: str, top_percentile: float = 0.5) -> tuple[float, float]:
    """(plain AP, AP × positives_in_top / size_of_top) on the top share of rows by score."""
    from sklearn.metrics import average_precision_score

    top = int(len(rows) * top_percentile)
    ranked = sorted(rows, key=lambda r: -r["score"])[:top]
    if not ranked:
        return 0.0, 0.0
    y_true = [r[label_key] for r in ranked]
    # as the official scorer: after the cut the dummy key point gets 0.99 so it cannot add precision
    y_score = [0.99 if r["key_point_id"] == "dummy_id" else r["score"] for r in ranked]
    if sum(y_true) == 0:
        return 0.0, 0.0
    ap = float(average_precision_score(y_true, y_score))
    return ap, ap * sum(y_true) / len(ranked)


def argkp_map(predictions: list[dict], labels: dict[tuple[str, str], int]) -> dict[str, float]:
    """Official-style mAP (strict, relaxed; plain and ×P@50%) from ``best_key_points`` rows."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in predictions:
        gold = labels.get((row["arg_id"], row["key_point_id"])) if row["key_point_id"] != "dummy_id" else 0
        groups[(row["topic"], row["stance"])].append(
            {**row, "strict": 0 if gold is None else gold, "relaxed": 1 if gold is None else gold})
    out = {}
    for variant in ("strict", "relaxed"):
        aps = [_group_ap(rows, variant) for _, rows in sorted(groups.items())]
        out[variant] = float(np.mean([a for a, _ in aps]))
        out[f"{variant}_xp"] = float(np.mean([b for _, b in aps]))
    return out


def argkp_scores(arguments: list[dict], key_points: list[dict], embedder, matcher) -> dict[tuple[str, str], float]:
    """Matcher scores for every (argument, key point) pair of the same topic and stance."""
    arg_vecs = embedder.embed([a["argument"] for a in arguments])
    kp_vecs = embedder.embed([k["key_point"] for k in key_points])
    topics = sorted({a["topic"] for a in arguments})
    topic_vecs = dict(zip(topics, embedder.embed(topics)))
    arg_groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    kp_groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, arg in enumerate(arguments):
        arg_groups[(arg["topic"], arg["stance"])].append(i)
    for j, kp in enumerate(key_points):
        kp_groups[(kp["topic"], kp["stance"])].append(j)
    out: dict[tuple[str, str], float] = {}
    for group, rows in sorted(arg_groups.items()):
        cols = kp_groups.get(group, [])
        if not cols:
            continue
        scores = matcher.score_group(arg_vecs[rows], [arguments[i]["argument"] for i in rows], kp_vecs[cols],
                                     [key_points[j]["key_point"] for j in cols], topic_vecs[group[0]])
        for r, i in enumerate(rows):
            for c, j in enumerate(cols):
                out[(arguments[i]["arg_id"], key_points[j]["key_point_id"])] = float(scores[r, c])
    return out


# --------------------------------------------------------------------------- PERSPECTRUM


def _as_sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def argkp_extraction(arguments: list[dict], labels: dict[tuple[str, str], int], embedder, matcher,
                     centre: bool = True) -> dict[str, float]:
    """Key points built by the map from each topic's arguments, scored against the gold matches
    (means over topics; see the module docstring)."""
    from ..map.keypoints import build_key_points
    from ..model import Claim

    matches: dict[str, set[str]] = defaultdict(set)
    for (arg_id, kp_id), label in labels.items():
        if label == 1:
            matches[arg_id].add(kp_id)
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for arg in arguments:
        by_topic[arg["topic"]].append(arg)
    totals: dict[str, float] = defaultdict(float)
    for topic, args in sorted(by_topic.items()):
        claims = [Claim(id=a["arg_id"], source_id=a["arg_id"], sentence_id=a["arg_id"], text=_as_sentence(a["argument"]),
                        score=1.0, start=0, end=1) for a in args]
        stance = {a["arg_id"]: a["stance"] for a in args}
        key_points = build_key_points(claims, [], [], embedder, matcher=matcher, topic=topic, centre=centre).key_points
        pairs = same = mixed = 0
        placed: set[str] = set()
        for kp in key_points:
            placed.update(kp.claim_ids)
            mixed += len({stance[c] for c in kp.claim_ids}) > 1
            for a, b in combinations(kp.claim_ids, 2):
                pairs += 1
                same += bool(matches[a] & matches[b])
        matched = [a["arg_id"] for a in args if matches[a["arg_id"]]]
        totals["pair_precision"] += same / pairs if pairs else 0.0
        totals["mixed"] += mixed / len(key_points) if key_points else 0.0
        totals["coverage"] += sum(a in placed for a in matched) / len(matched) if matched else 0.0
        totals["key_points"] += len(key_points)
    return {key: value / max(len(by_topic), 1) for key, value in totals.items()} | {"topics": float(len(by_topic))}


def load_perspectrum_clusters(data_dir: str | Path, split: str) -> list[list[list[str]]]:
    """Per claim of the split: its gold perspective clusters as lists of perspective texts."""
    folder = Path(data_dir) / "perspectrum"
    claims = json.loads((folder / "perspectrum_with_answers_v1.0.json").read_text(encoding="utf-8"))
    splits = json.loads((folder / "dataset_split_v1.0.json").read_text(encoding="utf-8"))
    pool = {p["pId"]: p["text"] for p in json.loads((folder / "perspective_pool_v1.0.json").read_text(encoding="utf-8"))}
    out = []
    for claim in sorted(claims, key=lambda c: c["cId"]):
        if splits.get(str(claim["cId"])) != split:
            continue
        clusters = [[pool[p] for p in persp["pids"] if p in pool] for persp in claim["perspectives"]]
        clusters = [c for c in clusters if c]
        if sum(len(c) for c in clusters) >= 2:
            out.append(clusters)
    return out


def pairwise_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """F1 of 'same cluster' decisions over all item pairs (1.0 when neither side pairs anything)."""
    same_gold = gold[:, None] == gold[None, :]
    same_pred = pred[:, None] == pred[None, :]
    upper = np.triu(np.ones_like(same_gold, dtype=bool), k=1)
    tp = np.sum(same_gold & same_pred & upper)
    fp = np.sum(~same_gold & same_pred & upper)
    fn = np.sum(same_gold & ~same_pred & upper)
    if tp + fp + fn == 0:
        return 1.0
    return float(2 * tp / (2 * tp + fp + fn))


def perspectrum_clustering(claims: list[list[list[str]]], embedder, threshold: float | None = None) -> dict[str, float]:
    """Mean ARI and pairwise F1 of the map's clustering against gold perspective clusters."""
    from sklearn.metrics import adjusted_rand_score

    from ..map.cluster import cluster_vectors

    aris, f1s = [], []
    for clusters in claims:
        texts = [t for c in clusters for t in c]
        gold = np.array([i for i, c in enumerate(clusters) for _ in c])
        pred = cluster_vectors(embedder.embed(texts), threshold).labels
        aris.append(adjusted_rand_score(gold, pred))
        f1s.append(pairwise_f1(gold, pred))
    # pooled: every perspective of the split clustered at once, as a corpus of many debates would be
    seen: set[str] = set()
    texts, gold_ids = [], []
    for n, cluster in enumerate(c for clusters in claims for c in clusters):
        for text in cluster:
            if text not in seen:
                seen.add(text)
                texts.append(text)
                gold_ids.append(n)
    pooled = cluster_vectors(embedder.embed(texts), threshold).labels if texts else np.zeros(0, dtype=np.int64)
    gold_all = np.array(gold_ids)
    return {"ari": float(np.mean(aris)), "pairwise_f1": float(np.mean(f1s)), "claims": len(claims),
            "pooled_ari": float(adjusted_rand_score(gold_all, pooled)) if texts else 0.0,
            "pooled_f1": pairwise_f1(gold_all, pooled) if texts else 0.0, "pooled_items": len(texts)}


# --------------------------------------------------------------------------- bench task


@quality_task("keypoints")
def keypoints_task(split: str, settings, **options) -> list[BenchRow]:
    """ArgKP-2021 mAP (head and cosine) and PERSPECTRUM clustering rows for ``split``."""
    from ..argue.embed import get_embedder
    from ..map.matcher import KeyPointMatcher

    data_dir = Path(settings.data_dir)
    rows: list[BenchRow] = []
    if not (data_dir / "argkp2021").is_dir() and not (data_dir / "perspectrum").is_dir():
        return [BenchRow(task="keypoints", dataset="argkp2021", split=split, metric="mAP strict", value=None,
                         note=f"data not found under {data_dir}")]
    embedder = options.get("embedder") or get_embedder(settings.embedder)
    if (data_dir / "argkp2021").is_dir():
        arguments, key_points, labels = load_argkp(data_dir, split)
        seen = set()
        for matcher in (KeyPointMatcher(head_file=None), KeyPointMatcher(cross=False), KeyPointMatcher()):
            if matcher.kind in seen:
                continue
            seen.add(matcher.kind)
            result = argkp_map(best_key_points(arguments, key_points,
                                               argkp_scores(arguments, key_points, embedder, matcher)), labels)
            note = f"matcher={matcher.kind}"
            for key, metric in (("strict", "mAP strict"), ("relaxed", "mAP relaxed"),
                                ("strict_xp", "mAP strict ×P@50%"), ("relaxed_xp", "mAP relaxed ×P@50%")):
                rows.append(BenchRow(task="keypoints", dataset="argkp2021", split=split, metric=metric,
                                     value=round(result[key], 4), published_best=ARGKP_BEST if key == "strict" else None,
                                     note=note))
        extraction = argkp_extraction(arguments, labels, embedder, KeyPointMatcher())
        note = f"the map's key points over each topic's arguments, mean of {int(extraction['topics'])} topics"
        for key, metric in (("pair_precision", "extraction pair precision"),
                            ("mixed", "extraction mixed-stance key points"),
                            ("coverage", "extraction coverage"), ("key_points", "extraction key points per topic")):
            rows.append(BenchRow(task="keypoints", dataset="argkp2021", split=split, metric=metric,
                                 value=round(extraction[key], 4), note=note))
    if (data_dir / "perspectrum").is_dir() and split in {"dev", "test", "train"}:
        result = perspectrum_clustering(load_perspectrum_clusters(data_dir, split), embedder)
        note = f"per claim, mean of {result['claims']} claims; automatic threshold"
        pooled = f"all {result['pooled_items']} perspectives of the split clustered together"
        for metric, key, text in (("cluster ARI", "ari", note), ("pairwise F1", "pairwise_f1", note),
                                  ("cluster ARI (pooled)", "pooled_ari", pooled),
                                  ("pairwise F1 (pooled)", "pooled_f1", pooled)):
            rows.append(BenchRow(task="keypoints", dataset="perspectrum", split=split, metric=metric,
                                 value=round(result[key], 4), note=text))
    return rows
