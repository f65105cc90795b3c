"""The corpus part of a run without the whole corpus in memory.

Once a chunk of documents is stored, a run keeps of each document only what the corpus
stages read (``Kept``): its source without the clean stage's bookkeeping (the text only until
near-duplicates are found), its claims, stances, quotes and events (key points, camps, ACH,
cruxes), and its entity mentions as ``(text, label, canonical)`` triples (one canonical name per
person across sources). Sentences and entities, most of a document's memory, are not kept.
``MapWriter`` then streams the full documents back from the store, one at a time, into the
run record and ``map.json``: the output is byte for byte what ``DebateMap.model_dump_json``
gives for the whole map, but the whole map is never built.

Kept items are slim rows (``rows.py``): the models' attribute names in slots, and a document's
stance rows that lean neither way as columns (``rows.StanceBlock``).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self, TextIO, cast

from .model import (
    Claim,
    DebateMap,
    Document,
    Event,
    Failure,
    Hypothesis,
    Question,
    Quote,
    RunInfo,
    Source,
    Stance,
)
from .rows import ClaimRow, EventRow, QuoteRow, StanceBlock, fields_set

#: the fields of DebateMap filled document by document (written in this order within the map)
DOCUMENT_LAYERS = ("sources", "sentences", "entities", "quotes", "events", "claims", "stances")


@dataclass(slots=True)
class Kept:
    """What the corpus part of a run keeps of one document after it was stored."""

    source: Source
    stored: bool  # False: a stage failed, so the store has no processed copy and ``full`` holds it
    claims: list[ClaimRow]
    stances: StanceBlock
    quotes: list[QuoteRow]
    events: list[EventRow]
    mentions: list[tuple[str, str, str]]  # (text, label, canonical) of each entity mention, in order (until
    # canonicalised: the canonical name is the one the document holds)
    canonical: dict[tuple[str, str], str] | None = None  # set by ``canonicalize_entities``: the names that changed
    speakers: dict[str, str] | None = None  # person speakers renamed by ``canonicalize_entities``
    full: Document | None = None

    @classmethod
    def of(cls, doc: Document, stored: bool) -> Kept:
        source = doc.source
        slim = Source.model_construct(_fields_set=fields_set(Source), **{
            **source.__dict__, "removed": [], "alignment": []})
        return cls(source=slim, stored=stored, claims=[ClaimRow(c) for c in doc.claims],
                   stances=StanceBlock(doc.stances), quotes=[QuoteRow(q) for q in doc.quotes],
                   events=[EventRow(e) for e in doc.events],
                   mentions=[(sys.intern(e.text), sys.intern(e.label), sys.intern(e.canonical))
                             for e in doc.entities],
                   full=None if stored else doc)


def pack(kept: Kept) -> bytes:
    """``kept`` as one pickled string (``unpack`` gives it back).

    A run keeps one record per stored document until the corpus steps, built from objects that were
    allocated among the chunk's whole documents, vectors and activations. Held as objects, those few
    survivors pin the heap pages and the allocator's arenas that the rest of the chunk freed: the main
    process's floor then rose with the corpus several times faster than the records themselves. One
    string per document lives in a block of its own, so a chunk's heap is freed whole."""
    import pickle

    return pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(packed: bytes) -> Kept:
    """The record ``pack`` pickled, its source sharing one fields-set again (pickle gives each document a copy
    of its own)."""
    import pickle

    kept = pickle.loads(packed)
    shared = fields_set(Source)
    if kept.source.__pydantic_fields_set__ == shared:
        object.__setattr__(kept.source, "__pydantic_fields_set__", shared)
    return kept


class _Mention:
    """One distinct (text, label) of a document as the canonicaliser reads an ``Entity``
    (``text``, ``label``, ``canonical``), in slots: about 70 bytes where a constructed Entity took
    about 500, across the tens of thousands of distinct mentions of a large corpus."""

    __slots__ = ("canonical", "label", "text")

    def __init__(self, text: str, label: str):
        self.text, self.label, self.canonical = text, label, text


class _SourceId:
    __slots__ = ("id",)

    def __init__(self, source_id: str):
        self.id = source_id


class _MentionView:
    """A document as ``entities.canonicalize_corpus`` reads it: ``source.id`` and ``entities``."""

    __slots__ = ("entities", "source")

    def __init__(self, source_id: str, entities: list[_Mention]):
        self.source, self.entities = _SourceId(source_id), entities


def canonicalize_entities(kept: Sequence[Kept]) -> None:
    """One canonical name per person across all sources (``entities.canonicalize_corpus``), kept per document
    as ``(text, label) → canonical`` where that is not the name the document holds for each mention of it
    (the written document keeps those as they are), and the same name for each person who speaks in a
    quote (``entities.canonical_speakers``). Each distinct mention is one short-lived ``_Mention``, repeated
    in mention order, so the canonicaliser sees the same mentions and counts as on the full documents."""
    from .nlp.entities import canonical_speakers, canonicalize_corpus

    if not any(k.mentions for k in kept):
        return
    views: list[_MentionView] = []
    distinct: list[dict[tuple[str, str], _Mention]] = []
    # the name each document holds for a distinct mention (None: not the same one for all its mentions)
    held: list[dict[tuple[str, str], str | None]] = []
    for k in kept:
        entities: dict[tuple[str, str], _Mention] = {}
        names_held: dict[tuple[str, str], str | None] = {}
        for text, label, canonical in k.mentions:
            if (text, label) not in entities:
                entities[text, label] = _Mention(text, label)
                names_held[text, label] = canonical
            elif names_held[text, label] != canonical:
                names_held[text, label] = None
        views.append(_MentionView(k.source.id, [entities[text, label] for text, label, _ in k.mentions]))
        distinct.append(entities)
        held.append(names_held)
    names = canonicalize_corpus(views)
    del views
    for k, entities, names_held in zip(kept, distinct, held):
        k.canonical = {key: entity.canonical for key, entity in entities.items()
                       if names_held[key] != entity.canonical}
        k.speakers = canonical_speakers(names, k.source.id, k.quotes) or None
        k.mentions = []  # read here only; ``canonical`` keeps what the write needs


def corpus_view(kept: Sequence[Kept], *, question: Question, hypotheses: list[Hypothesis] | None = None,
                run: RunInfo | None = None, failures: list[Failure] | None = None, quiet: bool = True) -> DebateMap:
    """A map holding only what the corpus stages read: sources (slim), claims, stances, quotes and events,
    as slim rows that read as their models (the view is never validated or dumped whole). Without ``quiet``
    the claim stances that lean neither way are left out (``rows.StanceBlock``): a map whose stance reader
    cannot tell direction reads none of them (``map.build.reads_direction``)."""
    view = DebateMap.model_construct(question=question, hypotheses=hypotheses if hypotheses is not None else [],
                                     run=run, failures=failures if failures is not None else [])
    for k in kept:
        view.sources.append(k.source)
        # the rows have their models' attributes, for read-only use
        view.quotes.extend(cast(list[Quote], k.quotes))
        view.events.extend(cast(list[Event], k.events))
        view.claims.extend(cast(list[Claim], k.claims))
        view.stances.extend(cast(Iterator[Stance], k.stances.rows(quiet)))
    return view


def finished_document(k: Kept, load: Callable[[Source], Document | None]) -> Document:
    """The whole document as it belongs in the map: stored layers plus what the corpus stages decided."""
    doc = k.full if k.full is not None else load(k.source)
    if doc is None:
        from .errors import StoreError

        raise StoreError(f"the processed document {k.source.id} vanished from the store during the run",
                         path=k.source.path, fix="re-run the same command; stored work is re-used")
    doc.source.path = k.source.path
    doc.source.duplicates = list(k.source.duplicates)
    if k.canonical is not None:
        for entity in doc.entities:
            entity.canonical = k.canonical.get((entity.text, entity.label), entity.canonical)
    if k.speakers:
        for quote in doc.quotes:
            if quote.speaker_type == "person" and quote.speaker in k.speakers:
                quote.speaker = k.speakers[quote.speaker]
    doc.stances = k.stances.stances()
    return doc


@dataclass
class _Fragments:
    """The items of one document layer, JSON-encoded into a temporary file as documents stream by."""

    path: Path
    separator: str
    count: int = 0
    handle: TextIO | None = field(default=None, repr=False)

    def add(self, items: str) -> None:
        if not items:
            return
        if self.handle is None:
            self.handle = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 (open across add() calls; close() ends it)
        handle = self.handle
        if self.count:
            handle.write(self.separator)
        handle.write(items)
        self.count += 1

    def chunks(self, size: int = 1 << 20) -> Iterator[str]:
        if self.handle is None:
            return
        self.handle.close()
        with open(self.path, encoding="utf-8") as handle:
            while block := handle.read(size):
                yield block


def _items(part: DebateMap, name: str, indent: int | None) -> str:
    """The JSON of the items of ``part.<name>`` exactly as they appear inside a whole map's list."""
    text = part.model_dump_json(indent=indent, include={name})
    if indent is None:  # {"name":[ITEMS]}
        return text[len(name) + 5:-2]
    head = f'{{\n "{name}": [\n'  # {\n "name": [\n ITEMS \n ]\n}
    return text[len(head):-len("\n ]\n}")] if text.startswith(head) else ""


class MapWriter:
    """Writes a map document by document: compact JSON (the run record) and, if asked, ``map.json``."""

    def __init__(self, pretty: bool = False):
        self._tmp = tempfile.TemporaryDirectory(prefix="cruxmap-map-")
        folder = Path(self._tmp.name)
        self._compact = {name: _Fragments(folder / f"{name}.json", ",") for name in DOCUMENT_LAYERS}
        self._pretty = {name: _Fragments(folder / f"{name}.pretty.json", ",\n") for name in DOCUMENT_LAYERS} \
            if pretty else None

    def add(self, doc: Document) -> None:
        part = DebateMap.model_construct(sources=[doc.source], sentences=doc.sentences, entities=doc.entities,
                                         quotes=doc.quotes, events=doc.events, claims=doc.claims, stances=doc.stances)
        for name in DOCUMENT_LAYERS:
            self._compact[name].add(_items(part, name, None))
            if self._pretty is not None:
                self._pretty[name].add(_items(part, name, 1))

    def _assemble(self, view: DebateMap, pretty: bool) -> Iterator[str]:
        fragments = self._pretty if pretty else self._compact
        if fragments is None:
            raise ValueError("this MapWriter keeps no pretty map.json: make it with pretty=True")
        indent = 1 if pretty else None
        yield "{\n" if pretty else "{"
        for i, name in enumerate(DebateMap.model_fields):
            if i:
                yield ",\n" if pretty else ","
            if name in fragments and fragments[name].count:
                yield f' "{name}": [\n' if pretty else f'"{name}":['
                yield from fragments[name].chunks()
                yield "\n ]" if pretty else "]"
            else:
                text = view.model_dump_json(indent=indent, include={name})
                yield text[2:-2] if pretty else text[1:-1]
        yield "\n}" if pretty else "}"

    def compact_json(self, view: DebateMap) -> Iterator[bytes]:
        """The whole map as compact JSON, in pieces: ``view`` gives every part but the document layers."""
        for piece in self._assemble(view, pretty=False):
            yield piece.encode("utf-8")

    def write_pretty(self, view: DebateMap, target: Path) -> Path:
        """``map.json`` as ``DebateMap.model_dump_json(indent=1)`` would write it."""
        from .atomic import atomic_open

        with atomic_open(target) as handle:  # a run killed here leaves the previous map.json whole
            for piece in self._assemble(view, pretty=True):
                handle.write(piece)
        return target

    def close(self) -> None:
        for fragments in (self._compact, self._pretty or {}):
            for f in fragments.values():
                if f.handle is not None and not f.handle.closed:
                    f.handle.close()
        self._tmp.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

