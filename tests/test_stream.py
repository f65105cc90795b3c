"""Runs that do not hold the corpus: slim records for the corpus stages, the map streamed from the store."""

from __future__ import annotations

import json

import pytest

from cruxmap import api
from cruxmap.corpus import (
    Kept,
    MapWriter,
    canonicalize_entities,
    corpus_view,
    finished_document,
)
from cruxmap.model import (
    Claim,
    Crux,
    DebateMap,
    Document,
    DuplicateOf,
    Entity,
    Event,
    Failure,
    Hypothesis,
    KeyPoint,
    Question,
    Quote,
    Removal,
    RunInfo,
    Segment,
    Sentence,
    Source,
    Stance,
)
from cruxmap.nlp.entities import canonicalize_corpus

TEXTS = [
    "Mayor Ines Varga said the ferry “must stay public”. Varga spoke on 3 May 2024.",
    "The ferry costs too much, Ms. Varga's critics say. Ines Vargas disagrees.",
    "Nobody asked the crews.",
]


def mention(source_id: str, text: str, whole: str, label: str = "PERSON") -> Entity:
    start = whole.index(text)
    return Entity(source_id=source_id, start=start, end=start + len(text), text=text, label=label, canonical=text)


def make_documents() -> list[Document]:
    docs = []
    for n, text in enumerate(TEXTS):
        sid = f"src-{n:012d}"
        end = text.index(".") + 1
        source = Source(id=sid, path=f"/in/{n}.txt", sha256=f"{n:064d}", text=text, title=f"Piece {n}",
                        removed=[Removal(start=0, end=3, reason="promo", text="Ad ")] if n == 0 else [],
                        alignment=[Segment(clean_start=0, raw_start=3, length=len(text))])
        doc = Document(source=source, done=["clean"])
        doc.sentences = [Sentence(id=f"{sid}:s0", source_id=sid, start=0, end=end, text=text[:end])]
        if n < 2:
            names = ["Ines Varga", "Varga"] if n == 0 else ["Varga", "Ines Vargas"]
            doc.entities = [mention(sid, name, text) for name in names]
            doc.claims = [Claim(id=f"{sid}:s0:c", source_id=sid, sentence_id=f"{sid}:s0", start=0, end=end,
                                text=text[:end], score=0.75)]
            doc.stances = [Stance(target="claim", target_id=f"{sid}:s0:c", hypothesis_id="H1",
                                  label="support" if n == 0 else "oppose", score=0.6),
                           Stance(target="source", target_id=sid, hypothesis_id="H1", label="mixed", score=0.5,
                                  claim_ids=[f"{sid}:s0:c"])]
        if n == 0:
            doc.quotes = [Quote(id=f"{sid}:q0", source_id=sid, start=25, end=42, text=text[25:42], speaker="Ines Varga")]
            doc.events = [Event(id=f"{sid}:e0", source_id=sid, start=65, end=75, date_text="3 May 2024",
                                date="2024-05-03", description="Varga spoke")]
        docs.append(doc)
    docs[1].source.duplicates = [DuplicateOf(source_id=docs[0].source.id, similarity=0.9)]
    return docs


def whole_map(docs: list[Document]) -> DebateMap:
    return DebateMap.from_documents(
        docs, question=Question(question="Keep the ferry public?",
                                hypotheses=[Hypothesis(id="H1", statement="The ferry should stay public.")]),
        key_points=[KeyPoint(id="kp-1", label="The ferry must stay public.", claim_ids=["a"], source_ids=["b"],
                             stance_split={"H1": {"support": 1, "oppose": 0, "neutral": 0}})],
        cruxes=[Crux(id="x-1", statement="Who pays?", sides={"support": ["a"], "oppose": ["b"]})],
        run=RunInfo(id="run-1", created="2026-01-01T00:00:00+00:00", cruxmap_version="test", timings={"map": 0.5}),
        failures=[Failure(path="/in/bad.txt", stage="ingest", error="empty-file", message="/in/bad.txt: empty")])


def streamed(docs: list[Document], whole: DebateMap, tmp_path) -> tuple[str, bytes]:
    parts = {name: getattr(whole, name) for name in DebateMap.model_fields
             if name not in ("sources", "sentences", "entities", "quotes", "events", "claims", "stances")}
    view = DebateMap(**parts)
    with MapWriter(pretty=True) as writer:
        for doc in docs:
            writer.add(doc)
        compact = b"".join(writer.compact_json(view))
        pretty = writer.write_pretty(view, tmp_path / "map.json").read_text(encoding="utf-8")
    return pretty, compact


def test_streamed_map_is_byte_identical_to_the_whole_map(tmp_path):
    docs = make_documents()
    whole = whole_map(docs)
    pretty, compact = streamed(docs, whole, tmp_path)
    assert pretty == whole.model_dump_json(indent=1)
    assert compact == whole.model_dump_json().encode("utf-8")


def test_streamed_map_of_documents_without_layers(tmp_path):
    docs = [Document(source=Source(id="src-1", path="/a", sha256="1" * 64, text="Plain words here."))]
    whole = whole_map(docs)
    pretty, compact = streamed(docs, whole, tmp_path)
    assert pretty == whole.model_dump_json(indent=1)
    assert compact == whole.model_dump_json().encode("utf-8")


def test_kept_records_give_back_the_full_documents_with_corpus_decisions():
    docs = make_documents()
    stored = {d.source.sha256: d.model_copy(deep=True) for d in docs}
    kept = [Kept.of(d, stored=True) for d in docs]
    assert all(k.full is None and not k.source.alignment for k in kept)  # no layer the corpus stages do not read

    canonicalize_entities(kept)
    canonicalize_corpus(docs)  # what the whole-corpus path does
    assert len({e.canonical for d in docs for e in d.entities}) == 1  # surnames and the variant spelling merge
    # only the names that changed are kept for the write, and the mentions are let go
    merged = docs[0].entities[0].canonical
    for k, d in zip(kept, docs):  # each mention held its own words as its name
        assert k.canonical == {(e.text, "PERSON"): merged for e in d.entities if e.text != merged}
        assert not k.mentions
    assert kept[0].canonical and kept[1].canonical

    finished = [finished_document(k, lambda source: stored[source.sha256].model_copy(deep=True)) for k in kept]
    assert [d.model_dump() for d in finished] == [d.model_dump() for d in docs]
    view = corpus_view(kept, question=Question())
    assert [c.id for c in view.claims] == [c.id for d in docs for c in d.claims]
    assert len(view.stances) == 4 and not view.sentences and not view.entities



def test_a_mention_the_document_names_two_ways_takes_the_corpus_name_in_each_place():
    docs = make_documents()[:2]
    whole = [d.model_copy(deep=True) for d in docs]
    canonicalize_corpus(whole)
    merged = whole[0].entities[0].canonical
    for e in docs[0].entities:
        e.canonical = merged
    docs[0].entities.append(docs[0].entities[1].model_copy(update={"canonical": "Varga"}))  # "Varga" named twice
    stored = {d.source.sha256: d.model_copy(deep=True) for d in docs}
    kept = [Kept.of(d, stored=True) for d in docs]
    canonicalize_entities(kept)
    assert kept[0].canonical == {("Varga", "PERSON"): merged}  # one of its two mentions held another name
    finished = finished_document(kept[0], lambda source: stored[source.sha256].model_copy(deep=True))
    assert [e.canonical for e in finished.entities] == [merged] * 3


def test_packed_kept_records_unpack_to_the_same_records():
    from cruxmap.corpus import pack, unpack
    from cruxmap.rows import fields_set

    docs = make_documents()
    stored = {d.source.sha256: d.model_copy(deep=True) for d in docs}
    kept = [Kept.of(d, stored=True) for d in docs]
    packed = [pack(k) for k in kept]
    assert all(isinstance(p, bytes) for p in packed)
    back = [unpack(p) for p in packed]
    for before, after in zip(kept, back):
        assert after.source.model_dump() == before.source.model_dump()
        assert [c.model().model_dump() for c in after.claims] == [c.model().model_dump() for c in before.claims]
        assert [s.model_dump() for s in after.stances.stances()] == [s.model_dump() for s in before.stances.stances()]
        assert after.mentions == before.mentions and after.full is None
        assert after.source.__pydantic_fields_set__ is fields_set(Source)  # shared, as Kept.of made it
    canonicalize_entities(back)
    canonicalize_corpus(docs)
    finished = [finished_document(k, lambda source: stored[source.sha256].model_copy(deep=True)) for k in back]
    assert [d.model_dump() for d in finished] == [d.model_dump() for d in docs]

def test_kept_stances_are_slim_and_give_back_the_same_stance():
    import tracemalloc

    from cruxmap.rows import SlimStance

    full = Stance(target="source", target_id="s-1", hypothesis_id="H1", label="mixed", score=0.61,
                  claim_ids=["c-1", "c-2"])
    slim = SlimStance(full)
    assert (slim.target, slim.hypothesis_id, slim.claim_ids) == ("source", "H1", ("c-1", "c-2"))
    assert slim.stance().model_dump() == full.model_dump()
    assert slim.stance().model_dump_json() == full.model_dump_json()

    rows = [Stance(target="claim", target_id=f"c-{i}", hypothesis_id="H1", label="support", score=i / 1000,
                   claim_ids=[]) for i in range(2000)]
    fields = set(Stance.model_fields)
    sizes = []
    # the pydantic copy kept before, and the slots row
    for slim_down in (lambda r: Stance.model_construct(_fields_set=fields, **r.__dict__), SlimStance):
        tracemalloc.start()
        kept = [slim_down(r) for r in rows]
        sizes.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        del kept
    assert sizes[1] < sizes[0] / 3


def test_a_document_missing_from_the_store_is_an_error_that_says_what_to_do():
    from cruxmap.errors import StoreError

    kept = Kept.of(make_documents()[0], stored=True)
    with pytest.raises(StoreError, match="re-run"):
        finished_document(kept, lambda source: None)


ARTICLES = {
    "pier.txt": "The council should repair the old pier before summer. Repairs cost less than a new pier. "
                "Harbour master Ana Silva said the pier is safe for now.\n",
    "buses.txt": "Night buses must run every hour, riders argue. The transport board says money is short. "
                 "Ana Silva backed the riders on Monday.\n",
    "market.txt": "The market hall is a waste of money. Traders disagree and want a longer lease. "
                  "Silva did not comment.\n",
}


@pytest.mark.models
def test_analyze_without_keeping_the_map_streams_the_same_map(tmp_path, settings):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    small_chunks = settings.model_copy(update={"chunk_size": 2})
    whole = api.analyze([corpus], tmp_path / "whole", settings=small_chunks)

    streamed_settings = small_chunks.model_copy(update={"db": str(tmp_path / "streamed.db")})
    summary = api.analyze([corpus], tmp_path / "streamed", keep_map=False, settings=streamed_settings)
    assert isinstance(summary, api.RunSummary) and summary.debate_map is None and not summary.failures
    assert not (tmp_path / "streamed" / "report.html").exists()  # rendering a report needs the whole map
    assert summary.counts == {name: len(getattr(whole, name)) for name in summary.counts}

    def comparable(text: str) -> dict:
        data = json.loads(text)
        data.pop("run")
        return data

    written = (tmp_path / "streamed" / "map.json").read_text(encoding="utf-8")
    assert comparable(written) == comparable((tmp_path / "whole" / "map.json").read_text(encoding="utf-8"))
    from cruxmap.store import open_store

    with open_store(streamed_settings.db) as store:
        assert comparable(store.load_map(summary.run.id).model_dump_json()) == comparable(written)


@pytest.mark.models
def test_annotate_worker_gives_the_map_of_the_single_process_run(tmp_path):
    """Chunks of 3 of the 8 demo articles: spaCy for chunk k+1 runs in the worker while chunk k is embedded."""
    from pathlib import Path

    from cruxmap.settings import Settings

    examples = Path(__file__).resolve().parents[1] / "examples"
    maps = {}
    for workers in (0, 1):
        settings = Settings(db=str(tmp_path / f"w{workers}.db"), chunk_size=3, annotate_workers=workers,
                            torch_threads=1)  # the thread count changes the vectors' last digits
        maps[workers] = api.analyze([examples / "corpus"], question=examples / "question.yaml", settings=settings)
    single, overlapped = maps[0], maps[1]
    assert "annotate_wait" in overlapped.run.timings and "annotate_wait" not in single.run.timings
    assert overlapped.run.timings["annotate"] > 0 and overlapped.run.timings["ingest"] >= 0
    assert len(single.sources) == 8 and single.claims

    def comparable(m):
        data = json.loads(m.model_dump_json())
        data.pop("run")
        return data

    assert comparable(overlapped) == comparable(single)


@pytest.mark.models
def test_a_worker_that_cannot_run_leaves_the_work_to_this_process(tmp_path, monkeypatch):
    """A script that starts a run at import time cannot spawn the worker: the run goes on here, nothing lost."""
    from concurrent.futures.process import BrokenProcessPool
    from pathlib import Path

    from cruxmap.run import overlap
    from cruxmap.settings import Settings
    from cruxmap.store import open_store

    def broken(future):
        future.cancel()
        raise BrokenProcessPool("the worker died while starting")

    monkeypatch.setattr(overlap.AnnotateWorker, "result", staticmethod(broken))
    examples = Path(__file__).resolve().parents[1] / "examples"
    settings = Settings(db=str(tmp_path / "broken.db"), chunk_size=3, annotate_workers=1, torch_threads=1)
    result = api.analyze([examples / "corpus"], question=examples / "question.yaml", settings=settings)
    assert len(result.sources) == 8 and not result.failures and result.claims
    with open_store(settings.db) as store:  # every document was stored, so a re-run re-uses them
        assert all(store.get_document(s.sha256, result.run.options["pipeline_key"]) for s in result.sources)


def test_a_person_speaker_takes_the_name_the_corpus_knows_in_the_kept_view_and_the_written_document():
    docs = make_documents()
    text = docs[1].source.text
    start = text.index("The ferry")
    said = [Quote(id=f"{docs[1].source.id}:q0", source_id=docs[1].source.id, start=start, end=start + 25,
                  text=text[start:start + 25], speaker="Varga", speaker_type="person"),
            Quote(id=f"{docs[1].source.id}:q1", source_id=docs[1].source.id, start=0, end=9, text=text[:9],
                  speaker="critics", speaker_type="group")]
    docs[1].entities = [mention(docs[1].source.id, "Varga", text)]  # this article never gives her first name
    docs[1].quotes = said
    stored = {d.source.sha256: d.model_copy(deep=True) for d in docs}
    kept = [Kept.of(d, stored=True) for d in docs]

    canonicalize_entities(kept)

    assert [q.speaker for q in kept[1].quotes] == ["Ines Varga", "critics"]  # what the map steps read
    assert kept[0].speakers is None  # the first article already named her in full
    finished = finished_document(kept[1], lambda source: stored[source.sha256].model_copy(deep=True))
    assert [q.speaker for q in finished.quotes] == ["Ines Varga", "critics"]  # what map.json and the store get
    assert [e.canonical for e in finished.entities] == ["Ines Varga"]
