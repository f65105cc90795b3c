"""``bench quality --task claims``: claim detection P/R/F1 on hand-annotated sets.

Every set holds *references only*, labelled claim / not-claim by ``resources/claims/GUIDELINE.md``;
the text is read at run time, so no article text lives in the repository.

- ``dev_refs.json``: 346 sentences of 18 whole articles — news_article_bias articles of the
  official ``valid`` split (opinion columns and news reports) and ukraine_news_bias articles
  whose number is a multiple of 5, none of which the training scripts use.
- ``dev_explanatory_refs.json``: 120 single sentences of those splits that explain why something
  happened ("because", "mainly", "led to", …: ``argue.claims.EXPLANATORY``), the kind of claim
  a detector trained on argument corpora and narration misses most.
- ``example_corpus_refs.json``: every sentence of ``examples/corpus`` (209) as cruxmap's own
  ingest, cleaning and splitter cut them, by file, character offsets and a digest of the text.
- ``seeds_refs.json``: every sentence of ``../shared/corpus/seeds`` (213), the same way. Held
  out: the training script reports it but chooses no weight or threshold by it.

The first three choose the head's hand-label weight, C and threshold (scripts/train_claims.py),
so their numbers are dev numbers; the seeds are the out-of-sample check.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial
from pathlib import Path

from .base import BenchRow, quality_task

REFS_DIR = Path(__file__).resolve().parent.parent / "resources" / "claims"
DEV_REFS = REFS_DIR / "dev_refs.json"
DEV_EXPLANATORY_REFS = REFS_DIR / "dev_explanatory_refs.json"
TRAIN_REFS = REFS_DIR / "train_refs.json"


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


DEV_SETS = (("cruxmap news claims (hand-annotated)", DEV_REFS),
            ("cruxmap explanatory sentences (hand-annotated)", DEV_EXPLANATORY_REFS))
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EXAMPLE_CORPUS_REFS = REFS_DIR / "example_corpus_refs.json"
SEEDS_REFS = REFS_DIR / "seeds_refs.json"
#: whole corpora whose every sentence is labelled: (dataset, references, where the corpus lies)
CORPUS_SETS = (("example corpus claims (hand-annotated)", EXAMPLE_CORPUS_REFS,
                lambda data_dir: EXAMPLES / "corpus"),
               ("seeds claims (hand-annotated, held out)", SEEDS_REFS,
                lambda data_dir: Path(data_dir).parent / "corpus" / "seeds"))


def text_digest(text: str) -> str:
    """A short digest of a sentence, kept with a corpus reference to notice when cleaning moves it."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load_corpus_set(corpus: str | Path, refs_path: str | Path) -> list[tuple[str, int]]:
    """(sentence text, label) for references into a folder of articles, read through cruxmap's own
    ingest and cleaning (the offsets are into the cleaned text). ``FileNotFoundError`` when the
    folder is absent; ``ValueError`` when a referenced span no longer holds the sentence that was
    labelled (the cleaning changed: re-draw the references with scripts/claim_sentences.py)."""
    from ..clean.base import build_source
    from ..ingest import RawDocument, iter_inputs

    corpus = Path(corpus)
    if not corpus.is_dir():
        raise FileNotFoundError(2, "corpus not found", str(corpus))
    texts = {Path(item.path).name: build_source(item).text
             for item in iter_inputs([corpus]) if isinstance(item, RawDocument)}
    out = []
    for ref in json.loads(Path(refs_path).read_text(encoding="utf-8")):
        text = texts.get(ref["file"], "")[ref["start"] : ref["end"]]
        if text_digest(text) != ref["digest"]:
            raise ValueError(f"{ref['file']}[{ref['start']}:{ref['end']}] no longer holds the labelled sentence")
        out.append((text, int(ref["label"])))
    return out


@quality_task("claims")
def claims_quality(split: str, settings, detector=None, **_options) -> list[BenchRow]:
    """Precision, recall and F1 of the claim detector against each annotated dev set."""
    if split != "dev":
        return [BenchRow(task="claims", dataset=DEV_SETS[0][0], split=split, metric="F1", value=None,
                         note="only a dev split is annotated; the threshold was tuned on it, so treat as dev")]
    rows: list[BenchRow] = []
    sets = [(dataset, refs, partial(load_dev_set, settings.data_dir, refs)) for dataset, refs in DEV_SETS]
    sets += [(dataset, refs, partial(load_corpus_set, where(settings.data_dir), refs))
             for dataset, refs, where in CORPUS_SETS]
    for dataset, refs, load in sets:
        if not refs.is_file():
            continue
        try:
            examples = load()
        except FileNotFoundError as err:
            rows.append(BenchRow(task="claims", dataset=dataset, split=split, metric="F1", value=None,
                                 note=f"data not found ({err.filename}); set data_dir to ../shared/data"))
            continue
        if detector is None:
            from ..argue.stages import make_claim_detector, make_embedder

            detector = make_claim_detector(settings, make_embedder(settings))
        scores = detector.score([text for text, _ in examples])
        gold = [label for _, label in examples]
        predicted = [int(s >= detector.threshold) for s in scores]
        precision, recall, f1 = precision_recall_f1(gold, predicted)
        note = f"threshold {detector.threshold:.3f}, {sum(gold)} claims / {len(gold)} sentences"
        if refs == SEEDS_REFS:
            note += "; held out: chose no weight or threshold"
        rows.extend(BenchRow(task="claims", dataset=dataset, split=split, metric=name, value=round(value, 4),
                             note=note if name == "precision" else None)
                    for name, value in (("precision", precision), ("recall", recall), ("F1", f1),
                                        ("sentences", float(len(gold))), ("claims", float(sum(gold)))))
    return rows
