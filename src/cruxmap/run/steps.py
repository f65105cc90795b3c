"""The corpus steps of a run, after every document went through the stages: near-duplicates, the
hypotheses (suggested ones get their stances here), canonical entities, the map (key points, camps,
contradictions, ACH, cruxes), then the write (run record, stored map and tables, ``map.json``).

Each step declares the layers it ``requires`` and ``provides`` like a document stage, so the set-up
checks the whole run's order before any model loads. They read only the slim per-document records
(``corpus.Kept``); whole documents are streamed back from the store one at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, stopping
from ..errors import InputError
from ..memory import phase, release_free_memory
from ..model import DebateMap, Document, Failure, RunInfo, Source
from ..pipeline import WHOLE_MAP, Stage
from ..settings import Settings
from ..weights import weights_of
from .batch import Batch
from .record import RunSummary, file_digest, library_versions, run_id, stance_aggregation
from .setup import RunSetup

if TYPE_CHECKING:
    from ..store.base import Store
    from .executor import Progress


@dataclass
class CorpusState:
    """What the corpus steps share: the run's parts, and what each step adds for the next."""

    store: Store
    batch: Batch
    setup: RunSetup
    settings: Settings
    timings: dict[str, float]
    failures: list[Failure]
    options: dict
    ach_overrides: str | Path | None
    out: str | Path | None
    keep_map: bool
    load: Callable[[Source], Document | None]  # a kept source's whole document, from the store
    kept: list = field(default_factory=list)
    hypotheses: list = field(default_factory=list)
    #: stages a corpus step ran besides the set-up's (the stance stage on suggested hypotheses), for the run record
    late_stages: list[Stage] = field(default_factory=list)
    view: DebateMap | None = None
    summary: RunSummary | None = None


class CorpusStep:
    """A step over the whole corpus, after every document went through the stages. Like a ``Stage`` it
    declares the layers it ``requires`` and ``provides``, so ``prepare_run`` checks the whole run —
    document stages and corpus steps — before any model loads. ``label`` is what progress shows (steps
    with the same label run as one phase); ``timing`` the run record's timing it adds to ("": the step
    records its own)."""

    name: str = "corpus-step"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    label: str = ""
    timing: str = ""

    def __call__(self, state: CorpusState) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class Duplicates(CorpusStep):
    name, requires, provides = "duplicates", ("source", "text"), ("duplicates",)
    label, timing = "corpus: near-duplicates, hypotheses, entities", "dedupe"

    def __call__(self, state: CorpusState) -> None:
        from ..clean import attach_duplicates

        attach_duplicates([k.source for k in state.kept])
        for k in state.kept:  # the text was kept for duplicates only
            k.source.text = ""


class Hypotheses(CorpusStep):
    """The question's hypotheses (the stance stage took positions on them), or without a question the most
    contested claims, with stances taken on them here."""

    name, requires, provides = "hypotheses", ("claims", "sentences"), ("hypotheses", "stances")
    label, timing = Duplicates.label, "corpus"

    def __call__(self, state: CorpusState) -> None:
        setup = state.setup
        state.hypotheses = list(setup.question.hypotheses) or suggested_hypotheses(
            state.kept, state.load, state.settings, state.store, setup.embedder, setup.stages, state.late_stages)


class Entities(CorpusStep):
    name, requires, provides = "entities", ("entities",), ("entities.canonical",)
    label, timing = Duplicates.label, "corpus"

    def __call__(self, state: CorpusState) -> None:
        from ..corpus import canonicalize_entities

        canonicalize_entities(state.kept)
        release_free_memory()


class MapSteps(CorpusStep):
    """Key points, camps, contradictions, the ACH matrix and the cruxes (``map.build``), on the run record."""

    name = "map"
    requires = ("claims", "stances", "quotes", "events", "hypotheses", "entities.canonical", "duplicates")
    provides = ("key points", "camps", "contradictions", "ach", "cruxes")
    label, timing = "map: key points, camps, contradictions, ACH, cruxes", "map"

    def __call__(self, state: CorpusState) -> None:
        from ..corpus import corpus_view
        from ..map.build import map_version, map_weights, run_reads_direction

        setup, settings, batch = state.setup, state.settings, state.batch
        run = RunInfo(
            id=run_id(batch.inputs, setup.key, file_digest(state.ach_overrides)),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            cruxmap_version=__version__,
            inputs=batch.inputs,
            # the stance stage on suggested hypotheses is left out of backends: map.build.reads_direction reads it
            backends={**{s.name: s.version() for s in setup.stages}, "map": map_version(settings)},
            options={**state.options, **stance_aggregation(setup.stages)},
            libraries=library_versions(),
            settings=settings.model_dump(exclude={"db", "data_dir"}),
            weights={**weights_of(setup.embedder, *setup.stages, *state.late_stages), **map_weights(settings)},
            timings={},
            reused=batch.reused,
        )
        # the claim stances that lean neither way are read only where the stance reader tells direction
        state.view = corpus_view(state.kept, question=setup.question, hypotheses=state.hypotheses, run=run,
                                 failures=state.failures, quiet=run_reads_direction(run))
        if state.kept:
            from ..map import build_map

            build_map(state.view, setup.embedder, overrides_path=state.ach_overrides, settings=settings)
            release_free_memory()  # the clustering's vectors and similarity blocks


class Write(CorpusStep):
    """The run record, the stored map and its tables, and ``map.json``: one whole document in memory at a time."""

    name, requires, provides = "write", ("sentences", "key points", "cruxes"), (WHOLE_MAP,)
    label = "write: store and map.json"  # it splits its own time between writing and the store

    def __call__(self, state: CorpusState) -> None:
        from ..corpus import DOCUMENT_LAYERS, MapWriter, finished_document

        view, store, kept, load, timings = state.view, state.store, state.kept, state.load, state.timings
        if view is None or view.run is None:
            raise RuntimeError("the write step runs after the map steps, which make the corpus view and its run")
        run = view.run
        t0 = time.perf_counter()
        counts = dict.fromkeys(DOCUMENT_LAYERS, 0)
        with phase("write"), MapWriter(pretty=state.out is not None) as writer:
            for k in kept:
                doc = finished_document(k, load)
                writer.add(doc)
                for name in DOCUMENT_LAYERS:
                    counts[name] += 1 if name == "sources" else len(getattr(doc, name))
            timings["write"] = timings.get("write", 0.0) + time.perf_counter() - t0
            run.timings = {name: round(seconds, 4) for name, seconds in timings.items()}
            t0 = time.perf_counter()
            whole = b"".join(writer.compact_json(view)) if state.keep_map else None  # parsed below into the map
            sources = [k.full.source if k.full is not None else k.source for k in kept]
            store.save_run_stream(run, [whole] if whole is not None else writer.compact_json(view), sources,
                                  view.failures)
            save_tables = getattr(store, "save_tables", None)
            if save_tables is not None:  # the map as SQL tables, one document in memory at a time
                from ..store.tables import streamed_rows

                save_tables(run.id, streamed_rows((finished_document(k, load) for k in kept), view))
            run.timings["store"] = round(run.timings.get("store", 0.0) + time.perf_counter() - t0, 4)
            map_path = writer.write_pretty(view, map_target(state.out)) if state.out is not None else None
        debate_map = DebateMap.model_validate_json(whole) if whole is not None else None
        if debate_map is not None:
            debate_map.run = run
        state.summary = RunSummary(run=run, failures=list(view.failures), counts=counts, map_path=map_path,
                                   debate_map=debate_map)


#: the corpus part of every run, in order (``prepare_run`` checks their contracts with the document stages')
CORPUS_STEPS: tuple[CorpusStep, ...] = (Duplicates(), Hypotheses(), Entities(), MapSteps(), Write())


def run_corpus_steps(state: CorpusState, progress: Progress | None = None) -> RunSummary:
    """Run ``CORPUS_STEPS`` in order on ``state``; each phase tells ``progress`` when it starts (it can
    take minutes) and adds its seconds to the run's timings. Returns the write step's summary."""
    release_free_memory()  # what the last chunks left behind, before the corpus-wide steps add theirs
    shown = None
    for step in CORPUS_STEPS:
        stopping.check()  # Ctrl-C between two steps stops the run, even if the signal was swallowed on the way
        if progress and step.label != shown:
            progress(step.label, 0, 0)
            shown = step.label
        t0 = time.perf_counter()
        step(state)
        if step.timing:
            state.timings[step.timing] = state.timings.get(step.timing, 0.0) + time.perf_counter() - t0
    if state.summary is None:
        raise RuntimeError("the corpus steps ended without the write step's summary")
    return state.summary


def stored_document(store, key: str, source: Source) -> Document | None:
    """A kept source's whole document, as the store holds it under the pipeline key."""
    return store.get_document(source.sha256, key)


def map_target(out: str | Path) -> Path:
    """``out/map.json``, the folder made if need be (an unwritable one is an InputError with the fix)."""
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot write the map: {err.strerror}", path=str(out_dir),
                         fix="choose an --out folder you can write to") from err
    return out_dir / "map.json"


def suggested_hypotheses(kept: list, load, settings: Settings, store, embedder, stages: Sequence[Stage],
                         ran: list[Stage]) -> list:
    """Without a question file: propose the most contested claims as hypotheses and take stances on them
    (the stance stage is added to ``ran``, for the run record).

    Suggesting reads the kept claims; the stances need each whole document (sentences, text),
    so the documents are loaded back from the store a chunk at a time.
    """
    from ..argue.stages import ClaimStage, StanceStage, make_stance_classifier
    from ..argue.suggest import suggest_hypotheses
    from ..corpus import finished_document
    from ..rows import StanceBlock

    if not any(k.claims for k in kept):
        return []
    classifier = make_stance_classifier(settings, store, embedder)
    claims_only = [Document.model_construct(source=k.source, claims=k.claims) for k in kept]
    suggested = suggest_hypotheses(claims_only, embedder, classifier, spacy_model=settings.annotate.spacy.model)
    if suggested:
        # source positions weigh claims from the threshold the run's claim stage kept them at
        threshold = next((s.detector.threshold for s in stages if isinstance(s, ClaimStage)), 0.0)
        stage = StanceStage(classifier, suggested, claim_threshold=threshold, exclusive=False)
        ran.append(stage)
        chunk = max(1, settings.chunk_size)
        for start in range(0, len(kept), chunk):
            part = kept[start:start + chunk]
            docs = [finished_document(k, load) for k in part]
            for k, doc in zip(part, stage.pipe(docs)):
                k.stances = StanceBlock(doc.stances)
    return suggested

