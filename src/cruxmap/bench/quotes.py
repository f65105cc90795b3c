"""Quote attribution quality on PolNeAR (political news, brat standoff Source/Cue/Content gold).

A predicted quotation is *correct* when its span overlaps the Content span of a gold
attribution and its speaker mention overlaps that attribution's Source span (or the surname of
its canonical speaker is a capitalised word of the gold source text: a coreferent mention). Precision counts predicted
quotations that name a speaker mention; recall counts gold attributions found. Reported for
direct quotations (gold content holding a quote mark) and for all attributions. PolNeAR has no
system leaderboard: ``published_best`` carries the human agreement from its README.
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..model import Document, Quote, Source
from .base import BenchRow, quality_task

DATASET = "PolNeAR"
HUMAN = "human agreement: attribution 92.3 %, token α 75.4 % (Newell et al. 2018)"
QUOTE_MARKS = re.compile(r"[“”\"«»„]|''")


@dataclass
class GoldAttribution:
    source: list[tuple[int, int]]
    content: list[tuple[int, int]]
    source_text: str
    direct: bool


def _spans(field: str) -> list[tuple[int, int]]:
    out = []
    for part in field.split(";"):
        lo, hi = part.split()
        out.append((int(lo), int(hi)))
    return out


def read_ann(path: Path, text: str) -> list[GoldAttribution]:
    """Attributions of one brat .ann file (those with both a Source and a Content)."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, where = parts[1].partition(" ")
            spans[parts[0]] = (kind, _spans(where))
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    out = []
    for rel in relations:
        source = spans.get(rel.get("Source", ""), ("", []))[1]
        content = spans.get(rel.get("Content", ""), ("", []))[1]
        if not source or not content:
            continue
        content_text = " ".join(text[a:b] for a, b in content)
        out.append(
            GoldAttribution(
                source,
                content,
                " ".join(text[a:b] for a, b in source),
                bool(QUOTE_MARKS.search(content_text)),
            )
        )
    return out


def first_annotation(split_dir: Path, stem: str, annotators: list[str]) -> Path | None:
    """The first annotator's .ann file for an article (metadata order, else by name)."""
    for annotator in annotators:
        candidate = split_dir / "attributions" / f"{stem}_{annotator}.ann"
        if candidate.is_file():
            return candidate
    found = sorted((split_dir / "attributions").glob(f"{stem}_*.ann"))
    return found[0] if found else None


def _annotators(data: Path) -> dict[str, list[str]]:
    table = data / "metadata.tsv"
    if not table.is_file():
        return {}
    with table.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {Path(r.get("filename", "")).stem: (r.get("annotators") or "").split("|") for r in rows}


def _overlaps(lo: int, hi: int, spans: list[tuple[int, int]]) -> bool:
    return any(lo < b and a < hi for a, b in spans)


def matches(quote: Quote, gold: GoldAttribution) -> bool:
    """The quotation overlaps the gold content and names the gold source."""
    if not _overlaps(quote.start, quote.end, gold.content):
        return False
    if quote.speaker_start is not None and _overlaps(
        quote.speaker_start, quote.speaker_end or 0, gold.source
    ):
        return True
    names = {w.lower() for w in re.findall(r"[A-Z][\w’'-]+", gold.source_text)} - {"the", "a", "an"}
    return bool(quote.speaker and quote.speaker.split()[-1].lower() in names)


def score(pairs: list[tuple[list[Quote], list[GoldAttribution]]], direct_only: bool) -> dict[str, float]:
    """Precision, recall, F1 and counts over (predicted, gold) pairs of articles."""
    predicted = correct = gold_total = found = 0
    for quotes, golds in pairs:
        quotes = [q for q in quotes if q.speaker_start is not None and (q.direct or not direct_only)]
        golds = [g for g in golds if g.direct or not direct_only]
        predicted += len(quotes)
        gold_total += len(golds)
        correct += sum(any(matches(q, g) for g in golds) for q in quotes)
        found += sum(any(matches(q, g) for q in quotes) for g in golds)
    precision = correct / predicted if predicted else 0.0
    recall = found / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": predicted, "gold": gold_total}


def load_split(
    data: Path, split: str, limit: int | None = None
) -> list[tuple[Document, list[GoldAttribution]]]:
    split_dir = data / split
    annotators = _annotators(data)
    out = []
    for path in sorted((split_dir / "text").glob("*.txt"))[:limit]:
        ann = first_annotation(split_dir, path.stem, annotators.get(path.stem, []))
        if ann is None:
            continue
        text = path.read_text(encoding="utf-8")
        source = Source(id=path.stem, path=str(path), sha256="", text=text)
        out.append((Document(source=source), read_ann(ann, text)))
    return out


@quality_task("quotes")
def quotes_task(split: str, settings, limit: int | None = None, **options) -> list[BenchRow]:
    """Speaker-attributed quote precision/recall/F1 on PolNeAR ``split``."""
    data = Path(settings.data_dir) / "polnear"
    if not (data / split / "text").is_dir():
        return [
            BenchRow(
                task="quotes",
                dataset=DATASET,
                split=split,
                metric="direct precision",
                value=None,
                published_best=HUMAN,
                note=f"PolNeAR not found under {data}",
            )
        ]
    from ..nlp.entities import canonicalize_corpus
    from ..nlp.stages import QuoteStage, SpacyStage

    articles = load_split(data, split, int(limit) if limit else None)
    started = time.perf_counter()
    docs = list(SpacyStage(model=settings.spacy_model).pipe([d for d, _ in articles]))
    canonicalize_corpus(docs)
    docs = [QuoteStage()(d) for d in docs]
    seconds = time.perf_counter() - started
    pairs = [(d.quotes, gold) for d, (_, gold) in zip(docs, articles)]
    rows = []
    note = f"{len(docs)} articles, first annotator, {seconds:.0f}s"
    for label, direct_only in (("direct", True), ("all", False)):
        result = score(pairs, direct_only)
        counts = f"{result['predicted']} predicted, {result['gold']} gold; {note}"
        for metric in ("precision", "recall", "f1"):
            rows.append(
                BenchRow(
                    task="quotes",
                    dataset=DATASET,
                    split=split,
                    metric=f"{label} speaker {metric}",
                    value=round(result[metric], 4),
                    published_best=HUMAN,
                    note=counts,
                )
            )
    return rows
