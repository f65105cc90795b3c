"""``bench quality --task claims``: claim detection P/R/F1 on a hand-annotated dev set.

The dev set (``resources/claims/dev_refs.json``) holds *references only* — dataset, article
id, sentence id or character offsets, and a claim / not-claim label — for 346 sentences of
articles that are not seeds and that the training script never uses: news_article_bias
articles of the official ``valid`` split (opinion columns and news reports) and
ukraine_news_bias articles whose number is a multiple of 5. The text is read from
``../shared/data`` at run time, so no article text lives in the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from .base import BenchRow, quality_task

DEV_REFS = Path(__file__).resolve().parent.parent / "resources" / "claims" / "dev_refs.json"


def load_dev_set(data_dir: str | Path, refs_path: str | Path = DEV_REFS) -> list[tuple[str, int]]:
    """(sentence text, label) for every reference; ``FileNotFoundError`` when the data is absent."""
    data_dir = Path(data_dir)
    refs = json.loads(Path(refs_path).read_text(encoding="utf-8"))
    news_ids = {r["article"] for r in refs if r["dataset"] == "news_article_bias"}
    news: dict[str, str] = {}
    if news_ids:
        with open(data_dir / "news_article_bias" / "articles_subset.jsonl", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["ID"] in news_ids:
                    news[record["ID"]] = record["content_original"]
    ukraine: dict[str, dict[str, str]] = {}
    out = []
    for ref in refs:
        if ref["dataset"] == "news_article_bias":
            text = news[ref["article"]][ref["start"] : ref["end"]]
        else:
            if ref["article"] not in ukraine:
                path = data_dir / "ukraine_news_bias" / "all-data-as-json" / f"{ref['article']}.json"
                article = json.loads(path.read_text(encoding="utf-8"))
                ukraine[ref["article"]] = {s["id"]: s["content"] for s in article["sentences"]}
            text = ukraine[ref["article"]][ref["sentence"]][ref["start"] : ref["end"]]
        out.append((text, int(ref["label"])))
    return out


def precision_recall_f1(gold: list[int], predicted: list[int]) -> tuple[float, float, float]:
    tp = sum(1 for g, p in zip(gold, predicted) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@quality_task("claims")
def claims_quality(split: str, settings, detector=None, **_options) -> list[BenchRow]:
    """Precision, recall and F1 of the claim detector against the annotated dev set."""
    dataset = "cruxmap news claims (hand-annotated)"
    if split != "dev":
        return [BenchRow(task="claims", dataset=dataset, split=split, metric="F1", value=None,
                         note="only a dev split is annotated; the threshold was tuned on it, so treat as dev")]
    try:
        examples = load_dev_set(settings.data_dir)
    except FileNotFoundError as err:
        return [BenchRow(task="claims", dataset=dataset, split=split, metric="F1", value=None,
                         note=f"data not found ({err.filename}); set data_dir to ../shared/data")]
    if detector is None:
        from ..argue.claims import ClaimDetector
        from ..argue.embed import get_embedder

        detector = ClaimDetector(get_embedder(settings.embedder), prefilter=settings.claim_prefilter)
    scores = detector.score([text for text, _ in examples])
    gold = [label for _, label in examples]
    predicted = [int(s >= detector.threshold) for s in scores]
    precision, recall, f1 = precision_recall_f1(gold, predicted)
    note = f"threshold {detector.threshold:.2f}, {sum(gold)} claims / {len(gold)} sentences"
    return [BenchRow(task="claims", dataset=dataset, split=split, metric=name, value=round(value, 4), note=note)
            for name, value in (("precision", precision), ("recall", recall), ("F1", f1))]
