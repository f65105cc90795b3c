"""The annotate stages: spaCy sentences + entities, then quotations (and events when available).

``SpacyStage`` runs the spaCy pipeline with ``nlp.pipe`` over a batch of documents (the model
is loaded once per process, see ``parse.py``); ``QuoteStage`` needs only the sentence and
entity layers. ``annotate_stages(settings)`` builds them through the registry, in order for the pipeline. Entity
names are canonicalised per document here; call ``entities.canonicalize_corpus(docs)`` after
the stages to make them consistent across sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import registry
from ..model import Document
from ..pipeline import Stage
from ..settings import QuoteRulesOptions, SpacyOptions
from .entities import canonicalize_document, entities_from_spacy
from .fingerprint import rules_fingerprint
from .parse import memory_zone, parse_texts
from .quotes import extract_quotes
from .sentences import sentences_from_spacy

#: the options' defaults, declared once in the settings (``annotate.spacy``, ``annotate.quote_rules``)
_SPACY, _QUOTES = SpacyOptions(), QuoteRulesOptions()


class SpacyStage(Stage):
    """Sentences (boundaries repaired around quotes and paragraphs) and named entities."""

    name = "annotate"
    requires = ("text",)
    provides = ("sentences", "entities")
    options_model = SpacyOptions

    def __init__(
        self,
        model: str = _SPACY.model,
        batch_size: int = _SPACY.batch_size,  # articles per spaCy batch (``settings.batch_size`` counts sentences)
        sentence_component: str = _SPACY.sentence_component,
        n_process: int = _SPACY.n_process,
    ):
        self.model = model
        self.batch_size = batch_size
        self.sentence_component = sentence_component
        self.n_process = n_process

    def version(self) -> str:
        return registry.version_of(self, self.model, self.sentence_component, rules_fingerprint())

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        texts = (d.source.text for d in docs)
        n_process = self.n_process if len(docs) >= 50 else 1  # workers cost more than they save on few docs
        # spaCy's vocabulary and tokenizer cache keep every new word they meet for the life of the process;
        # inside a memory zone what a batch added is dropped once its layers are copied out of the spaCy docs
        with memory_zone(self.model, self.sentence_component):
            parsed_docs = parse_texts(texts, self.model, self.batch_size, self.sentence_component, n_process)
            for doc, parsed in zip(docs, parsed_docs, strict=True):
                yield annotate_from_spacy(doc, parsed)


def annotate_from_spacy(doc: Document, parsed: Any) -> Document:
    """Fill the sentence and entity layers of ``doc`` from a spaCy ``Doc`` of its text."""
    source = doc.source
    doc.sentences = sentences_from_spacy(source.id, source.text, parsed)
    doc.entities = entities_from_spacy(source.id, _WithText(parsed, source.text))
    canonicalize_document(doc)
    return doc


class _WithText:
    """A spaCy ``Doc`` whose ``text`` is the string it was parsed from.

    ``Doc.text`` re-joins every token on each access; read once per entity, it would make entity
    extraction quadratic in article length (``docs/performance.md``). spaCy's tokenisation is
    lossless, so the string is the same.
    """

    __slots__ = ("_doc", "text")

    def __init__(self, doc: Any, text: str):
        self._doc, self.text = doc, text

    def __getattr__(self, name: str) -> Any:
        return getattr(self._doc, name)


class QuoteStage(Stage):
    """Direct and indirect quotations with canonical speakers and roles."""

    name = "quotes"
    requires = ("sentences", "entities")
    provides = ("quotes",)
    options_model = QuoteRulesOptions

    def __init__(self, indirect: bool = _QUOTES.indirect):
        self.indirect = indirect

    def version(self) -> str:
        return registry.version_of(self, rules_fingerprint(), *registry.changed_options(self))

    def __call__(self, doc: Document) -> Document:
        doc.quotes = [q for q in extract_quotes(doc) if self.indirect or q.direct]
        return doc


def annotate_stages(settings: Any = None) -> list[Stage]:
    """The annotate stages in pipeline order, built by the registry from the backends ``settings.annotate``
    names (``annotate.spacy.v1`` with its ``annotate.spacy`` options, ``events.rules.v2``, ``quotes.rules.v2``
    by default), each with its options (``annotate.event_rules``, ``annotate.quote_rules``). Building them
    loads no model."""
    from ..settings import AnnotateSettings, backend_options, option_settings

    section = getattr(settings, "annotate", None) or AnnotateSettings()
    built = [("annotate", section.backend, None), ("events", section.events, "event_rules"),
             ("quotes", section.quotes, "quote_rules")]
    return [registry.create(kind, backend, option_settings("annotate", section, backend, held),
                            **backend_options(section, backend, held)) for kind, backend, held in built]
