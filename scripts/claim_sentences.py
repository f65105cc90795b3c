"""Draw sentences for hand annotation of claims, or strip an annotated file down to references.

Annotation files are JSON Lines, one sentence per line, with the reference keys of
``resources/claims/dev_refs.json`` (``dataset``, ``article``, ``start``, ``end`` and, for
ukraine_news_bias, ``sentence``), the sentence ``text`` for the annotator, and the ``label``
(1 claim, 0 not) the annotator adds by the guideline in ``resources/claims/GUIDELINE.md``.
Only references and labels are committed (``refs``); the text stays in ../shared/data.
Sentences of a whole corpus folder (the example corpus, the seeds) are referenced by file name
and offsets into cruxmap's cleaned text, with a short digest of the sentence instead of its text.

    # whole articles of the training side (news_article_bias split_random=train, ukraine_news_bias
    # articles whose number is not a multiple of 5), disjoint from the dev set's articles
    python scripts/claim_sentences.py sample --side train --articles 20 --out /tmp/train.jsonl
    # only sentences that explain a past event by a cause, motive or purpose (see EXPLANATORY)
    python scripts/claim_sentences.py sample --side dev --explanatory 120 --out /tmp/dev_expl.jsonl
    # every sentence of a corpus folder, split as the pipeline splits it
    python scripts/claim_sentences.py corpus examples/corpus --dataset "example corpus" --out /tmp/demo.jsonl
    python scripts/claim_sentences.py refs /tmp/train.jsonl --out src/cruxmap/resources/claims/train_refs.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cruxmap.argue.claims import EXPLANATORY
from cruxmap.bench.claims import DEV_REFS, text_digest

OPINION_URL = re.compile(r"/opinion|/commentary|/columnists", re.IGNORECASE)
SENTENCE = re.compile(r"[^\n]+?(?:[.!?][”\"’)]?(?=\s+[“\"A-Z0-9(])|$)", re.MULTILINE)
REF_KEYS = ("dataset", "article", "sentence", "start", "end", "label")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (a plain splitter: annotation needs offsets,
    not the pipeline's sentence boundaries; the detector scores whatever span it is given)."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        if 25 <= end - start <= 400:
            spans.append((start, end))
    return spans


def side_of_news(record: dict) -> str | None:
    return {"train": "train", "valid": "dev"}.get(record["split_random"])


def side_of_ukraine(path: Path) -> str:
    return "dev" if int(path.stem.split("_")[1]) % 5 == 0 else "train"


def candidates(data: Path, side: str, taken: set[tuple[str, str]]) -> dict[tuple[str, str], list[dict]]:
    """(dataset, article) → its sentences as annotation rows, for the articles of ``side``."""
    out: dict[tuple[str, str], list[dict]] = {}
    with open(data / "news_article_bias" / "articles_subset.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            key = ("news_article_bias", record["ID"])
            if side_of_news(record) != side or key in taken:
                continue
            text = record["content_original"]
            kind = "opinion" if OPINION_URL.search(record["url"] or "") else "news"
            out[key] = [{"dataset": key[0], "article": key[1], "start": s, "end": e, "kind": kind,
                         "text": text[s:e]} for s, e in sentence_spans(text)]
    for path in sorted((data / "ukraine_news_bias" / "all-data-as-json").glob("article_*.json")):
        key = ("ukraine_news_bias", path.stem)
        if side_of_ukraine(path) != side or key in taken:
            continue
        rows = []
        for sentence in json.loads(path.read_text(encoding="utf-8"))["sentences"]:
            text = sentence["content"]
            if 25 <= len(text.strip()) <= 400:
                rows.append({"dataset": key[0], "article": key[1], "sentence": sentence["id"], "start": 0,
                             "end": len(text), "kind": "ukraine", "text": text})
        out[key] = rows
    return out


def sample(args) -> None:
    rng = random.Random(args.seed)
    taken = {(r["dataset"], r["article"]) for r in json.loads(DEV_REFS.read_text(encoding="utf-8"))}
    for extra in args.exclude:
        taken |= {(r["dataset"], r["article"]) for r in map(json.loads, Path(extra).read_text().splitlines())}
    pool = candidates(Path(args.data), args.side, taken)
    rows: list[dict] = []
    if args.explanatory:
        hits = [r for sentences in pool.values() for r in sentences
                if EXPLANATORY.search(r["text"]) and r["kind"] != "news" or
                (r["kind"] == "news" and EXPLANATORY.search(r["text"]) and rng.random() < 0.3)]
        rng.shuffle(hits)
        rows = hits[: args.explanatory]
    else:
        keys = sorted(pool)
        rng.shuffle(keys)
        by_kind = {"opinion": [], "news": [], "ukraine": []}
        for key in keys:
            if pool[key]:
                by_kind[pool[key][0]["kind"]].append(key)
        quota = {"opinion": args.articles // 2, "news": args.articles // 4}
        quota["ukraine"] = args.articles - quota["opinion"] - quota["news"]
        for kind, keys_of_kind in by_kind.items():
            for key in keys_of_kind[: quota[kind]]:
                rows.extend(pool[key][: args.per_article])
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    print(f"{len(rows)} sentences → {args.out}")


def corpus(args) -> None:
    """Every sentence of a folder of articles, as cruxmap's ingest, cleaning and spaCy split them."""
    from cruxmap.clean.base import build_source
    from cruxmap.ingest import RawDocument, iter_inputs
    from cruxmap.model import Document
    from cruxmap.nlp.stages import annotate_stages

    spacy_stage = annotate_stages()[0]
    docs = [Document(source=build_source(item)) for item in iter_inputs([args.folder])
            if isinstance(item, RawDocument)]
    with open(args.out, "w", encoding="utf-8") as handle:
        n = 0
        for doc in spacy_stage.pipe(docs):
            name = Path(doc.source.path).name
            for sentence in sorted(doc.sentences, key=lambda s: s.start):
                row = {"dataset": args.dataset, "file": name, "start": sentence.start, "end": sentence.end,
                       "text": sentence.text}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} sentences of {len(docs)} articles → {args.out}")


def refs(args) -> None:
    rows = [json.loads(line) for path in args.files for line in Path(path).read_text().splitlines() if line.strip()]
    unlabelled = [r for r in rows if r.get("label") not in (0, 1)]
    if unlabelled:
        sys.exit(f"{len(unlabelled)} rows have no 0/1 label (first: {unlabelled[0].get('text', '')[:80]!r})")
    out = [{k: r[k] for k in REF_KEYS if k in r} if "file" not in r else
           {"dataset": r["dataset"], "file": r["file"], "start": r["start"], "end": r["end"],
            "digest": text_digest(r["text"]), "label": r["label"]} for r in rows]
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out)} references ({sum(r['label'] for r in out)} claims) → {args.out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    draw = commands.add_parser("sample")
    draw.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    draw.add_argument("--side", choices=("train", "dev"), required=True)
    draw.add_argument("--articles", type=int, default=20)
    draw.add_argument("--per-article", type=int, default=25)
    draw.add_argument("--explanatory", type=int, default=0, help="draw this many explanatory sentences instead")
    draw.add_argument("--exclude", nargs="*", default=[], help="annotation files whose articles to skip")
    draw.add_argument("--seed", type=int, default=20261124)
    draw.add_argument("--out", required=True)
    draw.set_defaults(run=sample)
    whole = commands.add_parser("corpus")
    whole.add_argument("folder")
    whole.add_argument("--dataset", required=True, help="name in the references (e.g. seeds)")
    whole.add_argument("--out", required=True)
    whole.set_defaults(run=corpus)
    strip = commands.add_parser("refs")
    strip.add_argument("files", nargs="+")
    strip.add_argument("--out", required=True)
    strip.set_defaults(run=refs)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
