"""Check the timeline's event descriptions of analysed runs, and compare them with the current code's.

Usage: ``python scripts/event_descriptions.py RUN/map.json [...] [--pairs N] [--seed S]``
or ``python scripts/event_descriptions.py --articles FILE.jsonl [--limit N]``

For every event of each ``map.json`` it counts the descriptions the run stored and the ones
:func:`cruxmap.nlp.event_phrase.describe` makes now from the same sentence and date span, by the
kinds of :func:`cruxmap.nlp.event_phrase.description_flaws`: ending on a function word, a quote mark
or bracket left unbalanced, a dangling hyphen, a leading stray mark, a hole in a quotation, a stray
comma, a stump. ``--pairs N`` prints N stored/current pairs drawn at random (seeded) for reading.
``--articles`` runs :func:`cruxmap.nlp.events.extract_events` (no sentence layer, no publication
date) on the first ``--limit`` articles of a JSONL file (text in ``content_original`` or ``text``)
and counts the current code's descriptions only.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from cruxmap.nlp.event_phrase import describe, description_flaws
from cruxmap.nlp.events import extract_events

KINDS = ("function word end", "unbalanced quote", "dangling hyphen", "leading stray mark", "hole in a quotation",
         "stray comma", "stump")


def pairs_of(path: Path) -> list[tuple[str, str, str]]:
    """(date text, stored description, current description) for every event of one run's map."""
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = {s["id"]: s["text"] for s in data["sources"]}
    sentences = {s["id"]: s for s in data["sentences"]}
    out = []
    for event in data["events"]:
        sentence = sentences.get(event.get("sentence_id") or "")
        start, end = (sentence["start"], sentence["end"]) if sentence else (event["start"], event["end"])
        now = describe(texts[event["source_id"]], start, end, event["start"], event["end"])
        out.append((event["date_text"], event["description"] or "", now))
    return out


def count_articles(path: Path, limit: int) -> None:
    """Flaw counts of the current code's descriptions for the first ``limit`` articles of a JSONL file."""
    counts: Counter[str] = Counter()
    events = broken = 0
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n >= limit:
                break
            article = json.loads(line)
            text = article.get("content_original") or article.get("text") or ""
            for event in extract_events(text, str(n), None):
                flaws = description_flaws(event.description or "")
                counts.update(flaws)
                events += 1
                broken += bool(flaws)
    print(f"| articles | events | {' | '.join(KINDS)} | any |")
    print("|---|---:|" + "---:|" * (len(KINDS) + 1))
    print(f"| {min(n + 1, limit)} | {events} | {' | '.join(str(counts[k]) for k in KINDS)} | {broken} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("maps", nargs="*", type=Path)
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--limit", type=int, default=600)
    parser.add_argument("--pairs", type=int, default=0)
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    if args.articles:
        count_articles(args.articles, args.limit)
        return
    print(f"| run | events | {' | '.join(f'{k} (stored → now)' for k in KINDS)} | any (stored → now) | changed |")
    print("|---|---:|" + "---:|" * (len(KINDS) + 2))
    everything = []
    for path in args.maps:
        pairs = pairs_of(path)
        everything += pairs
        before = [set(description_flaws(old)) for _, old, _ in pairs]
        after = [set(description_flaws(new)) for _, _, new in pairs]
        counts_before = Counter(k for flaws in before for k in flaws)
        counts_after = Counter(k for flaws in after for k in flaws)
        cells = " | ".join(f"{counts_before[k]} → {counts_after[k]}" for k in KINDS)
        changed = sum(old != new for _, old, new in pairs)
        print(f"| {path.parent.name} | {len(pairs)} | {cells} | {sum(map(bool, before))} → {sum(map(bool, after))} "
              f"| {changed} |")
    if args.pairs:
        random.Random(args.seed).shuffle(everything)
        for date_text, old, new in everything[: args.pairs]:
            print(f"\n[{date_text}]\n  stored: {old}\n  now:    {new}")


if __name__ == "__main__":
    main()
