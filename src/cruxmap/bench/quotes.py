"""Quote attribution quality on PolNeAR (political news, brat standoff Source/Cue/Content gold) and on
our own labelled news articles.

A predicted quotation is *correct* when its span overlaps the Content span of a gold
attribution and its speaker mention overlaps that attribution's Source span (or the surname of
its canonical speaker is a capitalised word of the gold source text: a coreferent mention). Precision counts predicted
quotations that name a speaker mention, each checked against every gold attribution; recall counts gold
attributions found. Reported for direct quotations (recall over gold content holding a quote mark) and for all
attributions. PolNeAR has no
system leaderboard: ``published_best`` carries the human agreement from its README.

On our labelled sets a gold pronoun carries its referent (``he = Ana Ruiz``), and a quotation is right only when its
speaker is that referent; PolNeAR names no referent, so there a pronoun is right by its mention.
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
        # (an attribution may hold more than one content: ``Content:T18 Content2:T22``, words before and after a cue)
        content = [span for key in sorted(rel) if re.fullmatch(r"Content\d*", key)
                   for span in spans.get(rel[key], ("", []))[1]]
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
    for quotes, every_gold in pairs:
        quotes = [q for q in quotes if q.speaker_start is not None and (q.direct or not direct_only)]
        golds = [g for g in every_gold if g.direct or not direct_only]
        predicted += len(quotes)
        gold_total += len(golds)
        # a quotation is right when it is one of the gold attributions, whether or not the gold's content holds a
        # quote mark (a transcript's ``PENCE: …`` turn is verbatim speech without one)
        correct += sum(any(matches(q, g) for g in every_gold) for q in quotes)
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


LABELLED_FILE = Path(__file__).resolve().parents[1] / "resources" / "quotes_labelled.jsonl"
LABELLED = "labelled news (ours)"
#: drawn by scripts/draw_quotes_set.py, each labelled before it was scored
LATER_DEV_SETS = ("dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10")


@dataclass
class LabelledQuote:
    start: int
    end: int
    speaker_text: str | None  # "he = Joe Biden" for a pronoun: the mention, then the referent
    speaker: tuple[int, int] | None
    speaker_type: str | None
    kind: str  # direct, partial, scare, unattributed


def load_labelled(data_dir: Path, split: str) -> list[tuple[Document, list[LabelledQuote]]]:
    """The labelled articles of ``split`` found in the dataset (text by id, checked by hash)."""
    import hashlib
    import json

    if not LABELLED_FILE.is_file():
        return []
    records = [json.loads(line) for line in LABELLED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if r["split"] == split]
    wanted = {r["id"] for r in records}
    rows: dict[str, dict] = {}
    news = data_dir / "news_article_bias" / "articles_subset.jsonl"
    if news.is_file():
        with news.open(encoding="utf-8") as fh:
            for line in fh:
                if any(f'"{i}"' in line[:40] for i in wanted):
                    row = json.loads(line)
                    rows[row["ID"]] = row
    out = []
    for rec in records:
        row = rows.get(rec["id"])
        if row is None or hashlib.sha256(row["content_original"].encode("utf-8")).hexdigest() != rec["sha256"]:
            continue
        source = Source(id=rec["id"], path=f"{rec['id']}.txt", sha256=rec["sha256"], text=row["content_original"])
        gold = [LabelledQuote(a, b, who, (ws, we) if ws is not None else None, kind_of, kind)
                for a, b, who, ws, we, kind_of, kind in rec["quotes"]]
        out.append((Document(source=source), gold))
    return out


def _names(speaker_text: str | None) -> set[str]:
    words = re.findall(r"[A-Z][\w’'-]+", speaker_text or "")
    return {w.lower() for w in words} - {"the", "a", "an", "he", "she", "it", "they", "we", "i"}


#: the mentions a gold speaker may be that name nobody by themselves
_PRONOUNS = frozenset("he she it they we i him her his them its their us you".split())


def _referent(speaker_text: str | None) -> set[str] | None:
    """The words of the referent a gold pronoun stands for (``he = Ana Ruiz`` → ana, ruiz), lower case; None for a
    speaker named in the text, or described there (``the Vermont senator = …``: the description names a speaker a
    reader can find in the article, so it is scored by its mention)."""
    if not speaker_text or " = " not in speaker_text:
        return None
    mention, referent = speaker_text.split(" = ", 1)
    if mention.strip().lower() not in _PRONOUNS:
        return None
    return {w.lower() for w in re.findall(r"[\w’'-]+", referent)} - {"the", "a", "an"}


def labelled_scores(pairs: list[tuple[list[Quote], list[LabelledQuote]]]) -> dict[str, float]:
    """Direct and partial quotes with the right speaker (precision over the quotations cruxmap attributes,
    recall by kind), scare quotes given a speaker, and speaker types right among the matched. A gold pronoun
    (``he = Ana Ruiz``) is right only when the quotation's speaker is its referent, whatever the mention:
    ``he`` resolved to someone else, or to nobody, is a wrong speaker."""
    attributed = right = typed = typed_right = scare_total = scare_given = 0
    found = {"direct": 0, "partial": 0}
    total = {"direct": 0, "partial": 0}
    for quotes, gold in pairs:
        shown = [q for q in quotes if q.direct and q.speaker_start is not None]
        attributed += len(shown)

        def same(q: Quote, g: LabelledQuote) -> bool:
            if not (q.start < g.end and g.start < q.end) or g.speaker is None:
                return False
            referent = _referent(g.speaker_text)
            if referent is not None:  # ``he = Ana Ruiz``: the mention is right only when it is resolved to her
                return any(w.lower() in referent for w in (q.speaker or "").split()[-1:])
            if q.speaker_start is not None and q.speaker_start < g.speaker[1] and g.speaker[0] < (q.speaker_end or 0):
                return True
            return bool(q.speaker and q.speaker.split()[-1].lower() in _names(g.speaker_text))

        for q in shown:
            match = next((g for g in gold if g.kind in total and same(q, g)), None)
            right += match is not None
            if match is not None and match.speaker_type:
                typed += 1
                typed_right += q.speaker_type == match.speaker_type
        for g in gold:
            if g.kind in total and g.speaker is not None:
                total[g.kind] += 1
                found[g.kind] += any(same(q, g) for q in shown)
            if g.kind == "scare":
                scare_total += 1
                scare_given += any(q.start < g.end and g.start < q.end for q in shown)
    recall_all = (found["direct"] + found["partial"]) / max(total["direct"] + total["partial"], 1)
    return {"speaker precision": right / attributed if attributed else 0.0,
            "direct speaker recall": found["direct"] / total["direct"] if total["direct"] else 0.0,
            "partial speaker recall": found["partial"] / total["partial"] if total["partial"] else 0.0,
            "direct+partial speaker recall": recall_all,
            "scare quotes given a speaker": scare_given / scare_total if scare_total else 0.0,
            "speaker type right": typed_right / typed if typed else 0.0,
            "attributed": float(attributed), "labelled": float(total["direct"] + total["partial"])}


def labelled_rows(split: str, settings) -> list[BenchRow]:
    from ..nlp.entities import canonicalize_corpus
    from ..nlp.stages import QuoteStage, SpacyStage

    articles = load_labelled(Path(settings.data_dir), split)
    if not articles:
        return [BenchRow(task="quotes", dataset=LABELLED, split=split, metric="speaker precision", value=None,
                         note="labelled articles not found (needs ../shared/data)")]
    docs = list(SpacyStage(model=settings.annotate.spacy.model).pipe([d for d, _ in articles]))
    canonicalize_corpus(docs)
    docs = [QuoteStage()(d) for d in docs]
    result = labelled_scores([(d.quotes, gold) for d, (_, gold) in zip(docs, articles)])
    note = (f"{len(docs)} articles, {int(result['labelled'])} attributed direct/partial quotes, "
            f"{int(result['attributed'])} attributed by cruxmap")
    return [BenchRow(task="quotes", dataset=LABELLED, split=split, metric=metric, value=round(value, 4),
                     note=note if i == 0 else None)
            for i, (metric, value) in enumerate(result.items()) if metric not in ("attributed", "labelled")]


@quality_task("quotes")
def quotes_task(split: str, settings, limit: int | None = None, **options) -> list[BenchRow]:
    """Speaker-attributed quote precision/recall/F1 on PolNeAR ``split``, then our labelled articles; a dev run
    also scores the later labelled dev sets (``dev2`` to ``dev10``) on their own rows, so rules fitted to one
    show."""
    rows = polnear_rows(split, settings, limit) + labelled_rows(split, settings)
    if split == "dev":
        for later in LATER_DEV_SETS:
            rows += labelled_rows(later, settings)
    return rows


def polnear_rows(split: str, settings, limit: int | None = None) -> list[BenchRow]:
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
    docs = list(SpacyStage(model=settings.annotate.spacy.model).pipe([d for d, _ in articles]))
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
