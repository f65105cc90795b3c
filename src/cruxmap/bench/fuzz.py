"""``cruxmap bench fuzz``: mutated articles through ingest and cleaning, checked for crashes and broken offsets.

Seeded and bounded: ``count`` documents, each a mutation of one of the bundled example articles
(``examples/corpus``) or of a small generated one, written as ``.txt``, ``.md`` or ``.html`` and
read the way an upload is (``document_from_text``), then cleaned (``build_source``). Mutations are
the shapes hostile input takes: control characters and NULs, stray and unbalanced quote marks,
byte-order marks, a 20,000-letter word, a very long line, runs of blank lines, tag soup, duplicated
and dropped lines, mixed scripts. Checked for every document:

* no exception escapes (a refused document is a ``Failure`` with a message, never a crash);
* every alignment segment copies characters that are equal in the raw and the cleaned text, in order;
* every removal's text is exactly the raw text at its offsets;
* no document takes longer than ``budget`` seconds;
* with ``annotate`` > 0, that many of the cleaned documents also go through the annotate stages
  (sentences, entities, dated events, quotes) in one pipeline, and every span they give lies in
  the cleaned text and holds the words it names; a document over its time budget there is a
  failure of the run.

A test runs a few hundred documents; the command runs thousands and prints the counts.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "corpus"
GENERATED = ("The council met on Tuesday. “We will not raise the fee,” the mayor said.\n\n"
             "Critics say the plan is late; supporters say it is overdue.\n")
INSERTS = ["\x00", "\x07", "\x1b[31m", "\ufeff", "\u200b", "\u202e", "“", "”", '"', "'", "«", "»", "<", ">",
           "&amp;", "<p>", "</div>", "<script>alert(1)</script>", "\r", "\r\n", "\t", "\n\n\n\n", "—", "…",
           "Привет", "中文", "🙂", "\\", "{{", "}}", "%s", "\u00ad"]


@dataclass
class FuzzReport:
    documents: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    offset_errors: list[str] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)
    slowest: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.crashes or self.offset_errors or self.over_budget)


def _bases() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*")) if p.is_file()]
    return texts or [GENERATED]


def mutate(text: str, rng: random.Random) -> str:
    """One to six of the mutations of the module doc, at random places."""
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(text) + 1)
        kind = rng.randrange(9)
        if kind == 0:
            text = text[:at] + rng.choice(INSERTS) * rng.randint(1, 5) + text[at:]
        elif kind == 1:
            text = text[:at] + " " + "a" * rng.choice((500, 5_000, 20_000)) + " " + text[at:]
        elif kind == 2:
            text = text[:at] + text[at:].replace("\n", " ", rng.randint(1, 50))
        elif kind == 3:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i:i] = [lines[i]] * rng.randint(1, 5)
            text = "\n".join(lines)
        elif kind == 4:
            lines = text.split("\n")
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        elif kind == 5:
            cut = rng.randint(0, 200)
            text = text[:at] + text[at + cut:]
        elif kind == 6:
            text = text[:at] + "<div><p><b>" * rng.randint(1, 30) + text[at:]
        elif kind == 7:
            text = text[:at] + "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 200))) + text[at:]
        else:
            text = text[:at] + "\n" * rng.randint(2, 50) + text[at:]
    return text


def check_offsets(raw: str, source) -> list[str]:
    """Broken alignment or removal offsets of one cleaned source (empty when all hold)."""
    problems = []
    for seg in source.alignment:
        clean = source.text[seg.clean_start:seg.clean_start + seg.length]
        if clean != raw[seg.raw_start:seg.raw_start + seg.length] or len(clean) != seg.length:
            problems.append(f"segment at clean {seg.clean_start} / raw {seg.raw_start} (+{seg.length}) differs")
    for rem in source.removed:
        if raw[rem.start:rem.end] != rem.text:
            problems.append(f"removal {rem.start}-{rem.end} ({rem.reason}) is not the raw text there")
    return problems


def check_spans(doc) -> list[str]:
    """Annotation spans outside the cleaned text, or not holding the words they name."""
    text, problems = doc.source.text, []
    for kind, items in (("sentence", doc.sentences), ("entity", doc.entities), ("quote", doc.quotes),
                        ("event", doc.events)):
        for item in items:
            if not 0 <= item.start <= item.end <= len(text):
                problems.append(f"{kind} {item.start}-{item.end} outside the text")
                continue
            words = getattr(item, "date_text", None) if kind == "event" else getattr(item, "text", None)
            if words is not None and text[item.start:item.end] != words:
                problems.append(f"{kind} {item.start}-{item.end} does not hold {words[:40]!r}")
    return problems


def run_fuzz(count: int, seed: int = 0, budget: float = 10.0, time_limit: float | None = None,
             annotate: int = 0) -> FuzzReport:
    from ..clean.base import build_source
    from ..ingest.base import RawDocument, document_from_text
    from ..model import Document

    rng = random.Random(seed)
    bases = _bases()
    report = FuzzReport()
    cleaned: list[Document] = []
    started = time.perf_counter()
    for n in range(count):
        if time_limit is not None and time.perf_counter() - started > time_limit:
            break
        text = mutate(rng.choice(bases), rng)
        name = f"fuzz-{seed}-{n}.{rng.choice(('txt', 'md', 'html'))}"
        t0 = time.perf_counter()
        try:
            item = document_from_text(text, name)
            if isinstance(item, RawDocument):
                source = build_source(item)
                report.offset_errors += [f"{name}: {p}" for p in check_offsets(item.raw_text, source)]
                if len(cleaned) < annotate and source.text.strip():
                    cleaned.append(Document(source=source))
            else:
                report.refused += 1
        except Exception as err:  # the point of the exercise: nothing may escape
            report.crashes.append(f"{name}: {type(err).__name__}: {err}")
        took = time.perf_counter() - t0
        report.slowest = max(report.slowest, took)
        if took > budget:
            report.over_budget.append(f"{name}: {took:.1f} s")
        report.documents += 1
    if cleaned:
        _annotate(cleaned, budget, report)
    report.seconds = time.perf_counter() - started
    return report


def _annotate(docs: list, budget: float, report: FuzzReport) -> None:
    from ..nlp.entities import canonicalize_corpus
    from ..nlp.stages import annotate_stages
    from ..pipeline import Pipeline

    pipeline = Pipeline(annotate_stages(), time_budget=budget)
    try:
        done = pipeline.run(docs)
    except Exception as err:
        report.crashes.append(f"annotate: {type(err).__name__}: {err}")
        return
    canonicalize_corpus(done)
    for failure in pipeline.failures:
        (report.over_budget if failure.error == "time-budget" else report.crashes).append(failure.message)
    for doc in done:
        report.offset_errors += [f"{doc.source.path}: {p}" for p in check_spans(doc)]
