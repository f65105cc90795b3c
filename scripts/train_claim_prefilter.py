"""Train the claim pre-filter of ``claims.offline.v2`` by distilling the v1 claim head on news sentences.

The pre-filter decides, before any sentence is embedded, which sentences cannot be claims. It
is a logistic regression over the cue features of ``cruxmap.argue.claims`` and the mean of
MiniLM's input token vectors (``MiniLMEmbedder.token_mean_vectors``). Its target is the v1
head's own decision (score >= the head's threshold) on sentences of news_article_bias articles
of the official *train* split (``split_random``), none of them in the hand-annotated dev set:

  * FIT articles: the regression is fitted on their sentences;
  * CUT articles (other train articles): the cut-off is the highest probability that still
    passes ``RECALL`` of the sentences the head calls claims;
  * the record then reports, on *valid*-split articles (again none of the dev set's), the share
    of head claims kept and the share of sentences ruled out, and the hand-annotated dev set's
    precision / recall with and without the pre-filter.

Writes resources/claims/prefilter.npz and adds a ``prefilter`` entry to training_record.json.

    PYTHONPATH=src nice .venv/bin/python scripts/train_claim_prefilter.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cruxmap.argue.claims import (
    PREFILTER_PATH,
    RESOURCES,
    WEIGHTS_PATH,
    ClaimDetector,
    ClaimHead,
    ClaimPrefilter,
    cue_matrix,
    file_sha256,
)
from cruxmap.argue.embed import get_embedder
from cruxmap.argue.features import split_sentences
from cruxmap.bench.claims import DEV_SETS, load_dev_set, precision_recall_f1
from cruxmap.registry import name_of

SEED = 20261124
ARTICLES = {"fit": 500, "cut": 200, "report": 200}
RECALL = 0.999
C = 1.0


def news_articles(data: Path) -> dict[str, list[str]]:
    """Article texts by split (train / valid), without the articles the dev sets annotate."""
    dev_articles = {r["article"] for _, refs in DEV_SETS if refs.is_file()
                    for r in json.loads(refs.read_text(encoding="utf-8"))}
    by_split: dict[str, list[str]] = {"train": [], "valid": []}
    with open(data / "news_article_bias" / "articles_subset.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            split = record.get("split_random")
            if split in by_split and record["ID"] not in dev_articles and record["content_original"].strip():
                by_split[split].append(record["content_original"])
    return by_split


def sentences_of(articles: list[str]) -> list[str]:
    return [s for text in articles for s in split_sentences(text, limit=10_000)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--out", default=str(RESOURCES))
    args = parser.parse_args()
    data, out = Path(args.data), Path(args.out)
    started = time.time()
    rng = random.Random(SEED)
    articles = news_articles(data)
    rng.shuffle(articles["train"])
    rng.shuffle(articles["valid"])
    parts = {"fit": sentences_of(articles["train"][: ARTICLES["fit"]]),
             "cut": sentences_of(articles["train"][ARTICLES["fit"]: ARTICLES["fit"] + ARTICLES["cut"]]),
             "report": sentences_of(articles["valid"][: ARTICLES["report"]])}
    print({k: len(v) for k, v in parts.items()}, flush=True)

    embedder = get_embedder("minilm")
    head = ClaimHead.load(WEIGHTS_PATH)
    features, target = {}, {}
    for name, texts in parts.items():
        cues = cue_matrix(texts)
        target[name] = head.probabilities(embedder.embed(texts), texts, cues) >= head.threshold
        features[name] = (embedder.token_mean_vectors(texts), cues)
        print(name, "embedded", round(time.time() - started), "s", flush=True)

    from sklearn.linear_model import LogisticRegression

    vectors, cues = features["fit"]
    mean, std = cues.mean(0), cues.std(0) + 1e-6
    x = np.hstack([vectors, (cues - mean) / std])
    model = LogisticRegression(C=C, max_iter=3000).fit(x, target["fit"])
    prefilter = ClaimPrefilter(model.coef_[0], float(model.intercept_[0]), mean, std, cutoff=0.0,
                               head_sha256=file_sha256(WEIGHTS_PATH), head_threshold=head.threshold,
                               embedder=name_of(embedder))
    cut_probs = prefilter.probabilities(*features["cut"])
    # the largest cut-off that keeps RECALL of the head's claims among the CUT sentences
    prefilter.cutoff = float(np.quantile(cut_probs[target["cut"]], 1.0 - RECALL, method="lower"))

    def effect(name: str) -> dict:
        keep = prefilter.keep(*features[name])
        claims = target[name]
        return {"sentences": len(keep), "head_claims": int(claims.sum()),
                "head_claims_kept": round(float(keep[claims].mean()), 4),
                "sentences_ruled_out": round(float(1.0 - keep.mean()), 4)}

    out.mkdir(parents=True, exist_ok=True)
    prefilter.save(out / PREFILTER_PATH.name)
    dev_scores = {}
    for dataset, refs in DEV_SETS:
        dev = load_dev_set(data, refs)
        dev_texts, dev_gold = [t for t, _ in dev], [label for _, label in dev]
        for label, use in (("without pre-filter (v1)", False), ("with pre-filter (v2)", True)):
            detector = ClaimDetector(embedder, prefilter=use, prefilter_path=out / PREFILTER_PATH.name)
            predicted = [int(s >= detector.threshold) for s in detector.score(dev_texts)]
            dev_scores.setdefault(refs.name, {})[label] = dict(zip(
                ("precision", "recall", "F1"), (round(v, 4) for v in precision_recall_f1(dev_gold, predicted))))
    record_path = out / "training_record.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    record["prefilter"] = {
        "model": "claims.offline.v2 pre-filter",
        "weights_file": PREFILTER_PATH.name,
        "weights_sha256": file_sha256(out / PREFILTER_PATH.name),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "what": "logistic regression (L2) on [mean MiniLM input-token vector, standardised cues]; "
                "target: the v1 head's decision at its threshold",
        "distilled_from": {"head": WEIGHTS_PATH.name, "sha256": prefilter.head_sha256,
                           "threshold": round(head.threshold, 4)},
        "data": "news_article_bias, split_random train (fit and cut-off) and valid (report), "
                "articles of the hand-annotated dev sets excluded",
        "articles": ARTICLES, "seed": SEED, "C": C, "recall_target": RECALL,
        "cutoff": round(prefilter.cutoff, 6),
        "fit": effect("fit"), "cut": effect("cut"), "report_valid_split": effect("report"),
        "dev_sets": dev_scores,
        "seconds": round(time.time() - started, 1),
        "command": "PYTHONPATH=src .venv/bin/python scripts/train_claim_prefilter.py",
    }
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record["prefilter"], indent=2))


if __name__ == "__main__":
    main()
