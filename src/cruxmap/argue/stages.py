"""The argue stages: claims per sentence, then stance of every claim and source per hypothesis.

``ClaimStage`` (requires sentences, provides claims) scores all sentences of a batch of
documents in one embedder call. ``StanceStage`` (requires claims, provides stances) asks the
stance backend about every claim × hypothesis pair of the batch at once, then aggregates the
claim-level stances into one source-level stance per hypothesis (``aggregate.py``).
Backends are chosen by name from the settings (``settings.embedder``, ``settings.stance.backend``)
through the registry; one embedder instance is shared, so with a store each sentence is
embedded once per run and re-used across runs (the Embedder's content-hash cache).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from .. import registry
from ..model import Document, Hypothesis, Question, Stance, stance_label
from ..pipeline import Stage
from ..settings import backend_options, option_settings
from ..weights import weights_of
from .aggregate import RULE_VERSION, aggregate_source_stances, nearest_hypotheses
from .claims import ClaimDetector
from .embed import Embedder
from .examples import TAUGHT_FLOOR
from .stance.base import StanceClassifier

if TYPE_CHECKING:
    from .stance.reader import Position


@runtime_checkable
class SourceReader(Protocol):
    """A stance backend that reads each source once (``reads_sources``), like ``stance.llm.v2``."""

    def read_sources(self, docs: Sequence[Document], items: Sequence[Hypothesis],
                     exclusive: bool = True) -> list[list[Position]]: ...


class ClaimStage(Stage):
    """The argumentative sentences of each document, as ``Claim`` items with a probability."""

    name = "claims"
    requires = ("sentences",)
    provides = ("claims",)

    def __init__(self, detector: ClaimDetector):
        self.detector = detector

    @property
    def registry_name(self) -> str:
        return registry.name_of(self.detector)

    def version(self) -> str:
        prefilter = [f"pre{self.detector.prefilter.cutoff:.4f}"] if self.detector.prefilter is not None else []
        return registry.version_of(self.detector, registry.name_of(self.detector.embedder),
                                   f"t{self.detector.threshold:.3f}", f"h{self.detector.head.digest}", *prefilter)

    def weight_files(self) -> dict[str, str]:
        return weights_of(self.detector)

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        for doc, claims in zip(docs, self.detector.detect_many(docs)):
            doc.claims = claims
            yield doc


class StanceStage(Stage):
    """Claim-level stance for every claim × hypothesis, then one source-level stance per hypothesis."""

    name = "stance"
    requires = ("sentences", "quotes", "claims")
    provides = ("stances",)

    def __init__(self, classifier: StanceClassifier, hypotheses: Sequence[Hypothesis],
                 embedder: Embedder | None = None, claim_threshold: float = 0.0, exclusive: bool = True):
        self.classifier = classifier
        self.hypotheses = list(hypotheses)
        #: whether the hypotheses exclude each other (the question file's ``exclusive``)
        self.exclusive = bool(exclusive)
        #: the claim detector's threshold: source positions weigh claims by their score above it
        self.claim_threshold = float(claim_threshold)
        self.embedder = embedder if embedder is not None else getattr(classifier, "embedder", None)
        self._hypothesis_vectors: np.ndarray | None = None

    def version(self) -> str:
        # the cache namespace is the backend's version: its name with its weights or its endpoint and model
        backend = self.classifier.cache_namespace()
        hyps = ";".join(f"{h.id}={h.statement}" for h in self.hypotheses)
        if self._uses_examples():
            examples = ";".join(f"{h.id}+{'|'.join(h.support_examples)}-{'|'.join(h.oppose_examples)}"
                                for h in self.hypotheses if h.support_examples or h.oppose_examples)
            taught = ";".join(f"{h.id}+{'|'.join(h.taught_support)}-{'|'.join(h.taught_oppose)}"
                              for h in self.hypotheses if h.taught_support or h.taught_oppose)
            hyps += f":examples:{examples}" + (f":taught@{TAUGHT_FLOOR}:{taught}" if taught else "")
        if self._uses_nearest():
            hyps += ":addressed-by-nearest"
        exclusive = ":exclusive" if self.exclusive else ""
        return f"{backend}:{hyps}:claims-from-t{self.claim_threshold:.3f}:{RULE_VERSION}{exclusive}"

    def weight_files(self) -> dict[str, str]:
        return weights_of(self.classifier)

    def aggregation(self) -> dict[str, object]:
        """How source positions come about, for the run record (corrections re-derive positions by it):
        ``{"from": "claims", "claim_threshold": t, "addressed_by_nearest": bool}``, or ``{"from":
        "reading"}`` for a backend that reads each source once."""
        if getattr(self.classifier, "reads_sources", False):
            return {"from": "reading"}
        return {"from": "claims", "claim_threshold": self.claim_threshold, "addressed_by_nearest": self._uses_nearest()}

    def _uses_nearest(self) -> bool:
        """Whether source positions are read from each claim's nearest hypotheses (``aggregate.py``)."""
        return (getattr(self.classifier, "addressed_by_nearest", False) and self.embedder is not None
                and len(self.hypotheses) > 1)

    def _addressed(self, claims: list, vectors: np.ndarray) -> dict[str, set[str]]:
        """Claim id → ids of the hypotheses it counts towards in its source's position."""
        if self._hypothesis_vectors is None:
            self._hypothesis_vectors = self._embed([h.statement for h in self.hypotheses])
        nearest = nearest_hypotheses(vectors, self._hypothesis_vectors)
        return {c.id: {self.hypotheses[k].id for k in ks} for c, ks in zip(claims, nearest)}

    def _embed(self, texts: list[str]) -> np.ndarray:
        """The texts' vectors, for the examples and the nearest hypotheses (used only where there is an embedder)."""
        if self.embedder is None:
            raise RuntimeError("the stance stage has no embedder for the examples or the nearest hypotheses")
        return self.embedder.embed(texts)

    def _uses_examples(self) -> bool:
        """Whether the backend takes the question file's examples into account (the offline head does)."""
        return (getattr(self.classifier, "example_temperature", None) is not None and self.embedder is not None
                and any(h.support_examples or h.oppose_examples or h.taught_support or h.taught_oppose
                        for h in self.hypotheses))

    def _with_examples(self, vectors: np.ndarray, results: list) -> list:
        """Shift each hypothesis' results by the examples written for it, then by the passages an analyst's
        corrections taught (``examples.py``); ``vectors`` are the claims' embeddings, in result order."""
        from .examples import apply_examples

        def embedded(texts: list[str]) -> np.ndarray:
            return self._embed(texts) if texts else np.zeros((0, vectors.shape[1]))

        results = list(results)
        n = len(self.hypotheses)
        temperature = self.classifier.example_temperature
        if temperature is None:
            raise RuntimeError(f"stance backend {registry.name_of(self.classifier)!r} takes no examples (no example_temperature)")
        for k, h in enumerate(self.hypotheses):
            if h.support_examples or h.oppose_examples:
                results[k::n] = apply_examples(results[k::n], vectors, embedded(h.support_examples),
                                               embedded(h.oppose_examples), temperature)
            if h.taught_support or h.taught_oppose:
                results[k::n] = apply_examples(results[k::n], vectors, embedded(h.taught_support),
                                               embedded(h.taught_oppose), temperature, floor=TAUGHT_FLOOR)
        return results

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        if getattr(self.classifier, "reads_sources", False):
            yield from self._read_sources(docs)
            return
        pairs = [(c.text, h.statement) for d in docs for c in d.claims for h in self.hypotheses]
        results = self.classifier.classify(pairs) if pairs else []
        claims = [c for d in docs for c in d.claims]
        examples, nearest = bool(results) and self._uses_examples(), bool(claims) and self._uses_nearest()
        addressed = None
        if examples or nearest:
            vectors = self._embed([c.text for c in claims])
            if examples:
                results = self._with_examples(vectors, results)
            if nearest:
                addressed = self._addressed(claims, vectors)
        at = 0
        rivals = [k for k, h in enumerate(self.hypotheses) if h.kind == "hypothesis"] if self.exclusive else []
        for doc in docs:
            claim_stances = []
            for claim in doc.claims:
                row = [Stance(target="claim", target_id=claim.id, hypothesis_id=h.id, label=stance_label(res.label),
                              score=round(float(res.score), 4))
                       for h, res in zip(self.hypotheses, results[at:at + len(self.hypotheses)])]
                at += len(self.hypotheses)
                claim_stances.extend(one_supported_rival(row, rivals))
            source_stances = aggregate_source_stances(doc.source, doc.sentences, doc.claims, claim_stances,
                                                      self.hypotheses, addressed, self.claim_threshold,
                                                      doc.quotes, self.exclusive)
            doc.stances = claim_stances + source_stances
            yield doc


    def _read_sources(self, docs: list[Document]) -> Iterator[Document]:
        """A backend that reads each source once (``stance.llm.v2``): positions and evidence from its reading."""
        from .stance.reader import reading_stances

        if not isinstance(self.classifier, SourceReader):
            raise TypeError(f"stance backend {registry.name_of(self.classifier)!r} says it reads sources but has no read_sources")
        readings = self.classifier.read_sources(docs, self.hypotheses, self.exclusive)
        for doc, positions in zip(docs, readings):
            doc.stances = reading_stances(doc, self.hypotheses, positions)
            yield doc


def one_supported_rival(row: list[Stance], rivals: list[int]) -> list[Stance]:
    """One claim's stances, one per item: among the competing hypotheses (indices ``rivals``) a
    sentence supports at most one, the one it supports most confidently; the others become neutral."""
    supported = [k for k in rivals if row[k].label == "support"]
    if len(supported) < 2:
        return row
    keep = max(supported, key=lambda k: (row[k].score, -k))
    return [st.model_copy(update={"label": "neutral"}) if k in supported and k != keep else st
            for k, st in enumerate(row)]


def claims_backend(settings) -> str:
    """The claim detector ``settings`` ask for: ``offline.v2`` with the pre-filter, ``offline.v1`` without."""
    return "offline.v2" if settings.claims.prefilter else "offline.v1"


def make_claim_detector(settings, embedder: Embedder) -> ClaimDetector:
    """The claim detector named by ``claims_backend(settings)`` with its options (``claims.threshold``),
    built by the registry on ``embedder``."""
    return _from_settings(settings, "claims", "claims", claims_backend(settings), embedder=embedder)


def make_embedder(settings, store=None) -> Embedder:
    """The embedder named by ``settings.embedder`` (shared by claims, stance and suggestions) with its options
    (``embed.minilm``, a plugin's ``embed.options``), and the store for its cache if its factory takes one."""
    return _from_settings(settings, "embedder", "embed", settings.embedder, store=store)


def make_stance_classifier(settings, store=None, embedder: Embedder | None = None) -> StanceClassifier:
    """The stance backend named by ``settings.stance.backend`` with its typed options from the settings tree
    (``stance.offline``, ``stance.hf``, ``stance.llm``, a plugin's ``stance.options``), and the store and the
    shared embedder if its factory takes them."""
    name = settings.stance.backend
    wiring: dict[str, Any] = {"store": store}
    if "embedder" in registry.options_of(registry.factory("stance", name)):
        wiring["embedder"] = embedder if embedder is not None else make_embedder(settings, store)
    if name.split(".")[0] == "hf":
        wiring["batch_size"] = min(settings.batch_size, 32)
    return _from_settings(settings, "stance", "stance", name, **wiring)


def _from_settings(settings, kind: str, section: str, name: str, **wiring: Any) -> Any:
    """Backend ``name`` of ``kind`` built by the registry with its options from the settings section
    ``section`` (checked by the model it declares; an error names the setting to fix) and those of
    ``wiring`` (the store, the run's embedder) that its factory takes."""
    tree = getattr(settings, section)
    takes = registry.options_of(registry.factory(kind, name))
    given = {key: value for key, value in wiring.items() if key in takes}
    return registry.create(kind, name, option_settings(section, tree, name), **backend_options(tree, name), **given)


def argue_stages(settings, question: Question, store=None, *, embedder: Embedder | None = None,
                 stance: StanceClassifier | None = None) -> list[Stage]:
    """[ClaimStage, StanceStage] for the pipeline; only ClaimStage when the question names no hypotheses
    (then call ``suggest_hypotheses`` after the run and ``StanceStage`` with what it returns)."""
    embedder = embedder if embedder is not None else make_embedder(settings, store)
    detector = make_claim_detector(settings, embedder)
    stages: list[Stage] = [ClaimStage(detector)]
    if question.hypotheses:
        classifier = stance if stance is not None else make_stance_classifier(settings, store, embedder)
        stages.append(StanceStage(classifier, question.hypotheses, embedder, detector.threshold, question.exclusive))
    return stages
