"""The document model that flows through every stage.

Every span is a pair of character offsets ``[start, end)`` into the *cleaned* text of its
source (``Source.text``), except ``Removal`` spans, which point into the *raw* text so that
removed material is never lost. Stages add layers to a ``Document``; they never rewrite
``Source.text`` once the clean stage has produced it.

``DebateMap`` is what ``map.json`` holds; its JSON Schema (``cruxmap schema``) is generated
from these classes and committed as ``schema/map.schema.json``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.2"  # 1.2: ACH NA rating, row weights, left_out; contradiction item; unplaced camp

StanceLabel = Literal["support", "oppose", "neutral", "mixed", "none"]
AchRating = Literal["CC", "C", "N", "I", "II", "NA"]
Weight = Literal["high", "medium", "low"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """Any item anchored to characters of a source's cleaned text."""

    source_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


# --------------------------------------------------------------------------- sources


class Removal(_Model):
    """A piece of the raw text that the clean stage took out of the body, and why."""

    start: int = Field(ge=0, description="offset into the raw text")
    end: int = Field(ge=0, description="offset into the raw text (exclusive)")
    reason: str = Field(description="rule that removed it, e.g. 'caption', 'url-list', 'promo'")
    text: str = Field(description="the removed characters, for display")


class Segment(_Model):
    """A run of characters copied verbatim from the raw text into the cleaned text.

    Characters of the cleaned text that are not covered by a segment were inserted by the
    clean stage (a space between glued sentences, a space replacing a hard line break).
    """

    clean_start: int = Field(ge=0)
    raw_start: int = Field(ge=0)
    length: int = Field(ge=0)


class DuplicateOf(_Model):
    source_id: str
    similarity: float = Field(description="estimated Jaccard similarity of word shingles")


class Source(_Model):
    id: str = Field(description="stable id derived from the sha256 of the raw bytes")
    path: str = Field(description="the path (or path#record) as given by the user")
    format: str = Field(default="txt", description="txt, md, html, pdf, jsonl, csv")
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = Field(default=None, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    url: str | None = None
    language: str | None = None
    sha256: str = Field(description="sha256 of the raw bytes of the file or record")
    text: str = Field(description="the cleaned article body")
    removed: list[Removal] = Field(default_factory=list)
    alignment: list[Segment] = Field(default_factory=list, description="cleaned → raw character map")
    duplicates: list[DuplicateOf] = Field(default_factory=list)
    metadata_origin: dict[str, str] = Field(
        default_factory=dict, description="where each metadata field came from (front matter, html, first line…)"
    )


# --------------------------------------------------------------------------- annotation


class Sentence(Span):
    id: str
    text: str


class Entity(Span):
    text: str
    label: str = Field(description="PERSON, ORG, GPE, NORP, DATE, …")
    canonical: str = Field(description="the canonical name shared by all mentions of the entity")


class Quote(Span):
    id: str
    text: str = Field(description="the quoted words (start/end cover exactly these)")
    speaker: str | None = Field(default=None, description="canonical name of the speaker")
    speaker_role: str | None = Field(default=None, description="the speaker's role as the text states it")
    speaker_type: Literal["person", "organisation", "document", "group"] | None = Field(
        default=None, description="what kind of speaker: a person, an organisation, a document or an anonymous group")
    direct: bool = True
    cue: str | None = Field(default=None, description="the reporting verb or phrase, e.g. 'said', 'according to'")
    speaker_start: int | None = None
    speaker_end: int | None = None


class Event(Span):
    id: str
    date_text: str
    date: str | None = Field(description="ISO at the precision the text gives; ranges as 'A/B'")
    anchor: str | None = Field(
        default=None, description="what a relative or year-less date was resolved against"
    )
    description: str = ""
    sentence_id: str | None = None


# --------------------------------------------------------------------------- argument


class Hypothesis(_Model):
    id: str
    statement: str
    kind: Literal["hypothesis", "proposition"] = "hypothesis"
    suggested: bool = Field(default=False, description="proposed by cruxmap, not by the user")
    support_examples: list[str] = Field(default_factory=list, description=(
        "the user's own statements of what a source supporting this says; they steer which way a related "
        "claim leans (argue/examples.py)"))
    oppose_examples: list[str] = Field(default_factory=list, description=(
        "the user's own statements of what a source opposing this says"))


class Question(_Model):
    question: str | None = None
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    exclusive: bool = Field(default=True, description=(
        "whether the hypotheses (not the propositions) are competing answers that exclude each other: "
        "a source or a sentence then supports at most one of them"))


class Claim(Span):
    id: str
    sentence_id: str
    text: str
    score: float = Field(description="probability that the sentence argues")


class Passage(_Model):
    """A stretch of a source's cleaned text that decided a stance."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Stance(_Model):
    target: Literal["claim", "source"]
    target_id: str
    hypothesis_id: str
    label: StanceLabel
    score: float
    claim_ids: list[str] = Field(default_factory=list)
    evidence: list[Passage] = Field(default_factory=list, description=(
        "source cells: the one to three passages of the source (offsets into its cleaned text) that decided "
        "the cell, strongest first"))
    note: str | None = Field(default=None, description="why a source cell was left undecided, where a reader says so")


# --------------------------------------------------------------------------- map


class KeyPoint(_Model):
    id: str
    label: str
    claim_ids: list[str]
    source_ids: list[str]
    stance_split: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="hypothesis id → {support, oppose, neutral} counts of sources"
    )


class Contradiction(_Model):
    a: str = Field(description="claim id")
    b: str = Field(description="claim id")
    score: float
    kind: Literal["factual", "evaluative"]
    hypothesis_id: str | None = Field(default=None, description=(
        "evaluative: the item the two sources take opposite sides of in the source table"))


class AchCell(_Model):
    hypothesis_id: str
    rating: AchRating
    score: float
    overridden: bool = False
    note: str | None = Field(default=None, description="the user's note when the cell was overridden")


class AchRow(_Model):
    evidence_id: str
    evidence_kind: Literal["claim", "quote", "event"]
    source_id: str
    text: str
    cells: list[AchCell]
    diagnosticity: float
    credibility: Weight = Field(default="medium", description="how far the item can be believed (analyst's weight)")
    relevance: Weight = Field(default="medium", description="how much the item matters to the question (analyst's weight)")
    weight_note: str | None = Field(default=None, description="the analyst's note when a weight was set")


class AchMatrix(_Model):
    rows: list[AchRow] = Field(default_factory=list)
    ranking: list[dict[str, float | str]] = Field(default_factory=list)
    sensitivity: list[str] = Field(default_factory=list, description="evidence ids that could change the ranking")
    left_out: int = Field(default=0, description="claims that bear on no hypothesis and so are no row")


class Crux(_Model):
    id: str
    statement: str
    sides: dict[str, list[str]] = Field(description="side label → source ids")
    evidence: dict[str, list[str]] = Field(default_factory=dict, description="side label → evidence ids")
    diagnostic_evidence: list[str] = Field(default_factory=list)
    kind: Literal["key_point", "hypothesis"] = "hypothesis"
    hypothesis_id: str | None = Field(default=None, description="the hypothesis the sides take opposite stances on")
    key_point_id: str | None = Field(default=None, description="the key point the crux is about (kind key_point)")
    score: float = Field(default=0.0, description="how strongly the point divides the sources (0-1)")


class Camp(_Model):
    id: str
    source_ids: list[str]
    positions: list[str] = Field(default_factory=list, description="key point ids that distinguish the camp")
    note: str | None = None
    unplaced: bool = Field(default=False, description="the sources whose position on no item could be read")


# --------------------------------------------------------------------------- run record


class Failure(_Model):
    path: str
    stage: str
    error: str = Field(description="short error code, e.g. 'empty-file'")
    message: str = Field(description="one line naming the input and the fix")


class InputRecord(_Model):
    path: str
    sha256: str


class RunInfo(_Model):
    id: str
    created: str
    cruxmap_version: str
    inputs: list[InputRecord] = Field(default_factory=list)
    backends: dict[str, str] = Field(default_factory=dict)
    options: dict[str, object] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict, description="stage → seconds")
    reused: int = Field(default=0, description="sources whose results came from the store's cache")


class Document(_Model):
    """One source with every layer the per-document stages add."""

    source: Source
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    done: list[str] = Field(default_factory=list, description="names of the stages already applied")


class DebateMap(_Model):
    """The content of map.json."""

    schema_version: str = SCHEMA_VERSION
    question: Question = Field(default_factory=Question)
    sources: list[Source] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    hypotheses: list[Hypothesis] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    key_points: list[KeyPoint] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    ach: AchMatrix = Field(default_factory=AchMatrix)
    cruxes: list[Crux] = Field(default_factory=list)
    camps: list[Camp] = Field(default_factory=list)
    run: RunInfo | None = None
    failures: list[Failure] = Field(default_factory=list)

    @classmethod
    def from_documents(cls, docs: list[Document], **fields: object) -> "DebateMap":
        """Gather the per-document layers into one map, in document order."""
        out = cls(**fields)
        for doc in docs:
            out.sources.append(doc.source)
            out.sentences.extend(doc.sentences)
            out.entities.extend(doc.entities)
            out.quotes.extend(doc.quotes)
            out.events.extend(doc.events)
            out.claims.extend(doc.claims)
            out.stances.extend(doc.stances)
        return out


def map_json_schema() -> dict:
    """The JSON Schema of map.json, as committed in schema/map.schema.json."""
    schema = DebateMap.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cruxmap map.json"
    return schema
