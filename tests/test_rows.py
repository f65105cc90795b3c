"""Slim rows (``cruxmap.rows``): the corpus steps read the same values in less memory, and the map they
build is the same."""

from __future__ import annotations

import pickle
import tracemalloc

from test_map_support import HashingEmbedder, event, quote, themed_map

from cruxmap.corpus import Kept, corpus_view, pack, unpack
from cruxmap.map import build_map
from cruxmap.map.build import run_reads_direction
from cruxmap.map.matcher import KeyPointMatcher
from cruxmap.model import Claim, DebateMap, Document, Event, Passage, Question, Quote, RunInfo, Stance
from cruxmap.rows import ClaimRow, EventRow, QuoteRow, SlimStance, StanceBlock

MAP_PARTS = {"key_points", "camps", "contradictions", "ach", "cruxes"}
OFFLINE = {"stance": "stance.offline.v9:abc"}
DIRECTION = {"stance": "stance.llm.v1:some-model"}


def mixed_stances() -> list[Stance]:
    """Every kind of stance row a document holds, quiet ones between the others."""
    return [
        Stance(target="claim", target_id="d:s0:c", hypothesis_id="H1", label="neutral", score=0.51),
        Stance(target="claim", target_id="d:s0:c", hypothesis_id="H2", label="support", score=0.8),
        Stance(target="claim", target_id="d:s1:c", hypothesis_id="H1", label="none", score=0.333),
        Stance(target="claim", target_id="d:s1:c", hypothesis_id="H2", label="oppose", score=0.7),
        Stance(target="claim", target_id="d:s2:c", hypothesis_id="H1", label="neutral", score=0.9,
               note="kept apart"),  # carries more than a label and score: stays a whole row
        Stance(target="claim", target_id="d:s2:c", hypothesis_id="H2", label="neutral", score=1.0, analyst=True,
               machine_label="support", machine_score=0.6),
        Stance(target="claim", target_id="d:s3:c", hypothesis_id="H3", label="neutral", score=0.125),
        Stance(target="source", target_id="d", hypothesis_id="H1", label="mixed", score=0.4,
               claim_ids=["d:s0:c", "d:s1:c"], evidence=[Passage(start=0, end=12)]),
        Stance(target="source", target_id="d", hypothesis_id="H2", label="none", score=0.0),
    ]


def test_claim_quote_and_event_rows_hold_the_same_values_as_the_models():
    items = [Claim(id="d:s0:c", source_id="d", sentence_id="d:s0", start=1200, end=1290, text="Ports need dredging.",
                   score=0.8125),
             Quote(id="d:q0", source_id="d", start=10, end=30, text="we will not wait", speaker="Ada Brun",
                   speaker_role="harbour chief", speaker_type="person", direct=False, cue="said", speaker_start=0,
                   speaker_end=8),
             Event(id="d:e0", source_id="d", start=40, end=52, date_text="last spring", date="2025-03/2025-05",
                   anchor="2025-11-02", description="the pier closed", sentence_id="d:s1")]
    for item, row_class in zip(items, (ClaimRow, QuoteRow, EventRow)):
        row = row_class(item)
        assert all(getattr(row, name) == getattr(item, name) for name in type(item).model_fields)
        assert row.model().model_dump_json() == item.model_dump_json()
        again = pickle.loads(pickle.dumps(row))
        assert type(again) is row_class and again.model().model_dump_json() == item.model_dump_json()


def test_a_stance_block_gives_back_every_row_in_the_documents_order():
    stances = mixed_stances()
    block = StanceBlock(stances)
    assert len(block) == len(stances)
    assert [s.stance().model_dump_json() for s in block.rows()] == [s.model_dump_json() for s in stances]
    assert [s.model_dump_json() for s in block.stances()] == [s.model_dump_json() for s in stances]
    # the quiet rows (claim rows that lean neither way with nothing else set) are the ones left out
    read = [s.stance().model_dump_json() for s in block.rows(quiet=False)]
    assert read == [stances[i].model_dump_json() for i in (1, 3, 4, 5, 7, 8)]
    assert len(block.slim) == 6 and list(block.scores) == [0.51, 0.333, 0.125]
    again = pickle.loads(pickle.dumps(block))
    assert [s.model_dump_json() for s in again.stances()] == [s.model_dump_json() for s in stances]
    assert [s.model_dump_json() for s in StanceBlock(list(block.rows())).stances()] == \
        [s.model_dump_json() for s in stances]  # made again from its own rows (suggested hypotheses do)


def test_quiet_stance_rows_take_a_fifth_of_the_memory_of_slot_rows():
    rows = [Stance(target="claim", target_id=f"d:s{i // 4}:c", hypothesis_id=f"H{i % 4}", label="neutral",
                   score=i / 4000) for i in range(4000)]
    sizes = []
    for slim_down in (lambda r: [SlimStance(s) for s in r], StanceBlock):
        tracemalloc.start()
        kept = slim_down(rows)
        sizes.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        del kept
    assert sizes[1] < sizes[0] / 5  # about 21 bytes a row against 128


def test_claim_rows_take_less_than_half_the_memory_of_constructed_models():
    claims = [Claim(id=f"d:s{i}:c", source_id="d", sentence_id=f"d:s{i}", start=1000 + i, end=2000 + i,
                    text="", score=i / 2000) for i in range(2000)]
    fields = set(Claim.model_fields)
    sizes = []
    for slim_down in (lambda c: Claim.model_construct(_fields_set=fields, **c.__dict__), ClaimRow):
        tracemalloc.start()
        kept = [slim_down(c) for c in claims]
        sizes.append(tracemalloc.get_traced_memory()[0])
        tracemalloc.stop()
        del kept
    assert sizes[1] < sizes[0] / 2


def kept_records(m: DebateMap) -> list[Kept]:
    """The themed map's sources as the run keeps them, through pack and unpack as a run does."""
    docs = []
    for s in m.sources:
        docs.append(Document(source=s, claims=[c for c in m.claims if c.source_id == s.id],
                             stances=[st for st in m.stances
                                      if st.target_id == s.id or st.target_id.startswith(f"c{s.id[1:]}")],
                             quotes=[q for q in m.quotes if q.source_id == s.id],
                             events=[e for e in m.events if e.source_id == s.id]))
    assert sum(len(d.stances) for d in docs) == len(m.stances)
    return [unpack(pack(Kept.of(d, stored=True))) for d in docs]


def with_evidence(m: DebateMap) -> DebateMap:
    """Quotes and events inside some claims, so that ACH rows carry them, and a claim that leans on one item
    and on the other not (its neutral row is a cell of its ACH row where the stance reader tells direction)."""
    assert (m.stances[1].target_id, m.stances[1].hypothesis_id) == ("c00", "H2")
    m.stances[1] = m.stances[1].model_copy(update={"label": "neutral", "score": 0.55})
    for c in m.claims[:6]:
        m.quotes.append(quote(f"q-{c.id}", c.source_id, c.start + 1, c.start + 8, text=c.text[1:8]))
        m.events.append(event(f"e-{c.id}", c.source_id, c.start + 2, c.start + 9, "2024-03-01", "the talks began"))
    return m


def mapped(view: DebateMap) -> str:
    matcher = KeyPointMatcher(head_file=None)
    return build_map(view, HashingEmbedder(), matcher=matcher).model_dump_json(include=MAP_PARTS)


def test_the_map_from_slim_rows_is_the_map_from_the_models():
    for backends in (OFFLINE, DIRECTION):
        whole = with_evidence(themed_map(6))
        whole.run = RunInfo(id="r", created="2026-01-01", cruxmap_version="t", backends=backends)
        kept = kept_records(whole)
        view = corpus_view(kept, question=Question(), hypotheses=whole.hypotheses, run=whole.run)
        assert [s.stance().model_dump() for s in view.stances] == [s.model_dump() for s in whole.stances]
        assert mapped(view) == mapped(whole)


def test_a_map_that_cannot_read_direction_reads_no_quiet_stance_row():
    whole = with_evidence(themed_map(6))
    whole.run = RunInfo(id="r", created="2026-01-01", cruxmap_version="t", backends=OFFLINE)
    assert not run_reads_direction(whole.run)
    quiet = sum(1 for s in whole.stances if s.target == "claim" and s.label == "neutral")
    kept = kept_records(whole)
    view = corpus_view(kept, question=Question(), hypotheses=whole.hypotheses, run=whole.run, quiet=False)
    assert len(view.stances) == len(whole.stances) - quiet > 0 and quiet > 0
    assert mapped(view) == mapped(whole)
    # where the stance reader tells direction the neutral rows rate ACH cells: leaving them out would show
    whole.run = view.run = RunInfo(id="r", created="2026-01-01", cruxmap_version="t", backends=DIRECTION)
    assert run_reads_direction(whole.run)
    assert mapped(view) != mapped(whole)


def test_each_row_class_declares_its_models_fields_with_their_types():
    from typing import get_type_hints

    for row_class in (ClaimRow, QuoteRow, EventRow, SlimStance):
        model = Stance if row_class is SlimStance else row_class.MODEL
        hints = {k: v for k, v in get_type_hints(row_class).items() if k not in ("MODEL", "__slots__")}
        assert tuple(hints) == row_class.__slots__ == tuple(model.model_fields)
        for name, field in model.model_fields.items():
            if row_class is not SlimStance or name not in ("claim_ids", "evidence"):  # lists held as tuples
                assert hints[name] == field.annotation, (row_class.__name__, name)
