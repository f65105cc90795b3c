"""The document model that flows through every stage.

Every span is a pair of character offsets ``[start, end)`` into the *cleaned* text of its
source (``Source.text``), except ``Removal`` spans, which point into the *raw* text so that
removed material is never lost. Stages add layers to a ``Document``; they never rewrite
``Source.text`` once the clean stage has produced it.

``DebateMap`` is what ``map.json`` holds; its JSON Schema (``cruxmap schema``) is generated
from these classes and committed as ``schema/map.schema.json``.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.3"  # 1.3: analyst corrections, machine reading beside them, run lineage
# 1.2: ACH NA rating, row weights, left_out; contradiction item; unplaced camp

StanceLabel = Literal["support", "oppose", "neutral", "mixed", "none"]
STANCE_LABELS: tuple[StanceLabel, ...] = get_args(StanceLabel)
AchRating = Literal["CC", "C", "N", "I", "II", "NA"]
Weight = Literal["high", "medium", "low"]
EvidenceKind = Literal["claim", "quote", "event"]
CruxKind = Literal["key_point", "hypothesis"]
HypothesisKind = Literal["hypothesis", "proposition"]


def stance_label(value: str) -> StanceLabel:
    """``value`` as a stance label, for labels a backend has already checked; a ValueError otherwise."""
    if value in STANCE_LABELS:
        return value
    raise ValueError(f"stance label {value!r} is none of {', '.join(STANCE_LABELS)}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """Any item anchored to characters of a source's cleaned text."""

    source_id: str = Field(description="the id of the source whose cleaned text the offsets point into")
    start: int = Field(ge=0, description="first character, an offset into the source's cleaned text (Source.text)")
    end: int = Field(ge=0, description="one past the last character (Source.text[start:end] is the item)")


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

    clean_start: int = Field(ge=0, description="where the run starts in the cleaned text")
    raw_start: int = Field(ge=0, description="where it starts in the raw text")
    length: int = Field(ge=0, description="how many characters it spans (the same in both)")


class DuplicateOf(_Model):
    """Another source that is a near-copy of this one."""

    source_id: str = Field(description="the id of the other source")
    similarity: float = Field(description="estimated Jaccard similarity of word shingles")


class Source(_Model):
    """One article: its metadata and its cleaned text, to which every span of the map points."""

    id: str = Field(description="stable id derived from the sha256 of the raw bytes")
    path: str = Field(description="the path (or path#record) as given by the user")
    format: str = Field(default="txt", description="txt, md, html, pdf, jsonl, csv")
    title: str | None = Field(default=None, description=(
        "the article's title (from the file's metadata or its first line)"))
    author: str | None = Field(default=None, description="the byline, where the article gives one")
    outlet: str | None = Field(default=None, description=(
        "the publication, where the article names one (never an input to any reading)"))
    published: str | None = Field(default=None, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    url: str | None = Field(default=None, description="where the article was published, if known")
    language: str | None = Field(default=None, description="ISO 639-1 code of the article's language")
    sha256: str = Field(description="sha256 of the raw bytes of the file or record")
    text: str = Field(description="the cleaned article body")
    removed: list[Removal] = Field(default_factory=list, description=(
        "what cleaning took out of the raw text, with the rule that did"))
    alignment: list[Segment] = Field(default_factory=list, description="cleaned → raw character map")
    duplicates: list[DuplicateOf] = Field(default_factory=list, description=(
        "other sources that are near-copies of this one (syndication)"))
    metadata_origin: dict[str, str] = Field(
        default_factory=dict, description="where each metadata field came from (front matter, html, first line…)"
    )


# --------------------------------------------------------------------------- annotation


class Sentence(Span):
    """A sentence of a source."""

    id: str = Field(description="stable id: the source id and the sentence's number")
    text: str = Field(description="the sentence as it stands in the cleaned text")


class Entity(Span):
    """A named entity mention (spaCy's labels), with the canonical name shared across sources."""

    text: str = Field(description="the mention as written")
    label: str = Field(description="PERSON, ORG, GPE, NORP, DATE, …")
    canonical: str = Field(description="the canonical name shared by all mentions of the entity")


class Quote(Span):
    """Words a source attributes to a speaker (a person, organisation, document or group)."""

    id: str = Field(description="stable id of the quote")
    text: str = Field(description="the quoted words (start/end cover exactly these)")
    speaker: str | None = Field(default=None, description="canonical name of the speaker")
    speaker_role: str | None = Field(default=None, description="the speaker's role as the text states it")
    speaker_type: Literal["person", "organisation", "document", "group"] | None = Field(
        default=None, description="what kind of speaker: a person, an organisation, a document or an anonymous group")
    direct: bool = Field(default=True, description="True for words inside quotation marks, False for reported speech")
    cue: str | None = Field(default=None, description="the reporting verb or phrase, e.g. 'said', 'according to'")
    speaker_start: int | None = Field(default=None, description=(
        "offset of the speaker's mention in the cleaned text, where it is in the text"))
    speaker_end: int | None = Field(default=None, description="end of the speaker's mention")


class Event(Span):
    """A dated mention: the date as written, resolved to ISO where the text allows."""

    id: str = Field(description="stable id of the event")
    date_text: str = Field(description=(
        "the words that date it, as written ('last December', 'the day before the talks')"))
    date: str | None = Field(description="ISO at the precision the text gives; ranges as 'A/B'")
    anchor: str | None = Field(
        default=None, description="what a relative or year-less date was resolved against"
    )
    description: str = Field(default="", description="the sentence's words around the date: what happened")
    sentence_id: str | None = Field(default=None, description="the sentence that holds the date")


# --------------------------------------------------------------------------- argument


class Hypothesis(_Model):
    """One item of the question: a competing answer (hypothesis) or a policy claim (proposition)."""

    id: str = Field(description="short id used everywhere in the map (H1, H2, P1 …)")
    statement: str = Field(description="the hypothesis or proposition in the question file's words")
    kind: HypothesisKind = Field(default="hypothesis", description=(
        "hypothesis: one of the competing answers (they exclude each other); proposition: a policy claim"))
    suggested: bool = Field(default=False, description="proposed by cruxmap, not by the user")
    support_examples: list[str] = Field(default_factory=list, description=(
        "the user's own statements of what a source supporting this says; they steer which way a related "
        "claim leans (argue/examples.py)"))
    oppose_examples: list[str] = Field(default_factory=list, description=(
        "the user's own statements of what a source opposing this says"))
    taught_support: list[str] = Field(default_factory=list, description=(
        "passages an analyst's corrections put on the support side (corrections.py); they move only claims "
        "that say nearly the same"))
    taught_oppose: list[str] = Field(default_factory=list, description=(
        "passages an analyst's corrections put on the oppose side"))


class Question(_Model):
    """The question file: the contested question and its items."""

    question: str | None = Field(default=None, description="the contested question, in the user's words")
    hypotheses: list[Hypothesis] = Field(default_factory=list, description=(
        "the competing answers and the propositions, in the question file's order"))
    exclusive: bool = Field(default=True, description=(
        "whether the hypotheses (not the propositions) are competing answers that exclude each other: "
        "a source or a sentence then supports at most one of them"))


class Claim(Span):
    """A sentence that argues (the claim detector's score above its threshold)."""

    id: str = Field(description="stable id: the sentence id and 'c'")
    sentence_id: str = Field(description="the sentence the claim is")
    text: str = Field(description="the claim's words (the whole sentence)")
    score: float = Field(description="probability that the sentence argues")


class Passage(_Model):
    """A stretch of a source's cleaned text that decided a stance."""

    start: int = Field(ge=0, description="first character, an offset into the source's cleaned text")
    end: int = Field(ge=0, description="one past the last character")


class Stance(_Model):
    """A stance toward one item: of a claim (target claim) or of a whole source (target source)."""

    target: Literal["claim", "source"] = Field(description=(
        "claim: the stance of one claim; source: the source's own position (the report's table)"))
    target_id: str = Field(description="the claim's or the source's id")
    hypothesis_id: str = Field(description="the hypothesis or proposition the stance is towards")
    label: StanceLabel = Field(description=(
        "support / oppose / neutral for a claim; support / oppose / mixed / none for a source"))
    score: float = Field(description=(
        "how sure the reading is, 0-1. A claim: the stance model's probability of the label. A source read "
        "from its claims: erf(|z|/sqrt 2) of the weighted sign test, how unlikely a lean this far is by chance "
        "(not a calibrated probability of being right). An analyst's cell: 1.0"))
    claim_ids: list[str] = Field(default_factory=list, description=(
        "source cells: the claims that decided it, strongest first"))
    evidence: list[Passage] = Field(default_factory=list, description=(
        "source cells: the one to three passages of the source (offsets into its cleaned text) that decided "
        "the cell, strongest first"))
    note: str | None = Field(default=None, description=(
        "why a source cell was left undecided, where a reader says so; for an analyst's cell, who set it and why"))
    analyst: bool = Field(default=False, description="set by an analyst's correction, not read by the machine")
    machine_label: StanceLabel | None = Field(default=None, description=(
        "on an analyst's cell: what the machine had read (label), kept beside the correction"))
    machine_score: float | None = Field(default=None, description="on an analyst's cell: the machine's score")


# --------------------------------------------------------------------------- map


class KeyPoint(_Model):
    """A point several sources make: claims grouped by meaning."""

    id: str = Field(description="stable id of the key point")
    label: str = Field(description="the member claim that states the point best (a whole claim, never a fragment)")
    claim_ids: list[str] = Field(description="the member claims, from every source")
    source_ids: list[str] = Field(description="the sources that make the point")
    stance_split: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="hypothesis id → {support, oppose, neutral} counts of sources"
    )


class Contradiction(_Model):
    """Two claims from different sources that cannot both hold."""

    a: str = Field(description="claim id")
    b: str = Field(description="claim id")
    score: float = Field(description=(
        "how strong the contradiction is, 0-1 (the sources' lean and the claims' closeness)"))
    kind: Literal["factual", "evaluative"] = Field(description=(
        "evaluative: the sources take opposite sides of an item; factual: the claims state conflicting facts"))
    hypothesis_id: str | None = Field(default=None, description=(
        "evaluative: the item the two sources take opposite sides of in the source table"))


class AchCell(_Model):
    """One cell of the ACH matrix: how consistent one piece of evidence is with one hypothesis."""

    hypothesis_id: str = Field(description="the hypothesis the cell rates the evidence against")
    rating: AchRating = Field(description=(
        "Heuer's rating: CC/C consistent, N neutral, I/II inconsistent, NA not applicable"))
    score: float = Field(description="the rating as a number, +1 (CC) to -1 (II)")
    overridden: bool = Field(default=False, description=(
        "set by an analyst (an override or a correction), not by the machine"))
    note: str | None = Field(default=None, description="the user's note when the cell was overridden")


class AchRow(_Model):
    """One piece of evidence in the ACH matrix, rated against every hypothesis, with the analyst's weights."""

    evidence_id: str = Field(description="the claim, quote or event id")
    evidence_kind: EvidenceKind = Field(description="claim, quote or event")
    source_id: str = Field(description="the source the evidence comes from")
    text: str = Field(description="the evidence's words")
    cells: list[AchCell] = Field(description="one rating per hypothesis")
    diagnosticity: float = Field(description=(
        "how much the row separates the hypotheses (spread of its ratings); 0 = no help"))
    credibility: Weight = Field(default="medium", description="how far the item can be believed (analyst's weight)")
    relevance: Weight = Field(default="medium", description=(
        "how much the item matters to the question (analyst's weight)"))
    weight_note: str | None = Field(default=None, description="the analyst's note when a weight was set")


class AchMatrix(_Model):
    """Heuer's Analysis of Competing Hypotheses: evidence × hypotheses, and the ranking it gives."""

    rows: list[AchRow] = Field(default_factory=list, description="the evidence rows, most diagnostic first")
    ranking: list[dict[str, float | str]] = Field(default_factory=list, description=(
        "the hypotheses some evidence is rated on (CC/C/I/II), from least to most inconsistent evidence: "
        "hypothesis_id, rank (equal inconsistency shares a rank), inconsistency (weighted count of I/II), "
        "consistency; empty when fewer than two hypotheses were rated"))
    sensitivity: list[str] = Field(default_factory=list, description="evidence ids that could change the ranking")
    left_out: int = Field(default=0, description="claims that bear on no hypothesis and so are no row")


class Crux(_Model):
    """A point the sources split on, with each side's sources and the evidence that would settle it."""

    id: str = Field(description="stable id of the crux")
    statement: str = Field(description="what the sources split on: a hypothesis' statement or a key point's label")
    sides: dict[str, list[str]] = Field(description="side label → source ids")
    evidence: dict[str, list[str]] = Field(default_factory=dict, description="side label → evidence ids")
    diagnostic_evidence: list[str] = Field(default_factory=list, description=(
        "the ACH evidence ids that would best settle it"))
    kind: CruxKind = Field(default="hypothesis", description=(
        "hypothesis: sources on opposite sides of an answer; key_point: sources split on a key point"))
    hypothesis_id: str | None = Field(default=None, description="the hypothesis the sides take opposite stances on")
    key_point_id: str | None = Field(default=None, description="the key point the crux is about (kind key_point)")
    score: float = Field(default=0.0, description="how strongly the point divides the sources (0-1)")


class Camp(_Model):
    """Sources that take the same positions."""

    id: str = Field(description="stable id of the camp")
    source_ids: list[str] = Field(description="the sources in the camp")
    positions: list[str] = Field(default_factory=list, description="key point ids that distinguish the camp")
    note: str | None = Field(default=None, description=(
        "why the grouping is as it is (e.g. too few placed sources to group)"))
    unplaced: bool = Field(default=False, description="the sources whose position on no item could be read")
    stability: float | None = Field(default=None, description=(
        "how often the camp is found again when the grouping is redone on random 80 % subsets of its sources: "
        "the mean best Jaccard overlap (Hennig's clusterboot; above 0.75 stable, below 0.5 it dissolves); "
        "None where no grouping was made"))


# --------------------------------------------------------------------------- run record


CorrectionKind = Literal["position", "claim_stance", "not_claim", "ach_rating", "credibility", "relevance",
                         "drop_contradiction", "merge_key_points", "split_key_point"]


class Correction(_Model):
    """One judgement of an analyst's, keyed by content so that it applies to the same text in any run.

    The subject is a stretch of a source's cleaned text (``source_id`` is derived from the raw bytes, so
    the same article has the same id in every run; ``start``/``end``/``text`` name the claim, quote,
    event or passage). Kinds and their ``value``:

    * ``position``: the source's position on ``hypothesis`` (support / oppose / mixed / none); the
      span, if given, is the passage that shows it, and teaches the stance reader;
    * ``claim_stance``: the claim's stance on ``hypothesis`` (support / oppose / neutral); teaches too;
    * ``not_claim``: the sentence is not a claim (no value);
    * ``ach_rating``: the ACH cell of this evidence and ``hypothesis`` (CC, C, N, I, II, NA);
    * ``credibility`` / ``relevance``: the ACH row's weight (high / medium / low);
    * ``drop_contradiction``: the pair of this claim and the ``other_*`` claim is no contradiction;
    * ``merge_key_points``: the key point holding this claim and the one holding the ``other_*`` claim
      are one point;
    * ``split_key_point``: this claim leaves its key point and stands as a point of its own.
    """

    id: str = Field(description="hash of the kind and the subject: a later correction of the same thing replaces it")
    kind: CorrectionKind = Field(description="what is corrected (see the class docstring)")
    source_id: str = Field(description="the source the subject is in (an id derived from the article's raw bytes)")
    start: int | None = Field(default=None, ge=0, description=(
        "the subject's first character in the source's cleaned text"))
    end: int | None = Field(default=None, ge=0, description="one past its last character")
    text: str | None = Field(default=None, description="the subject's characters when the correction was made")
    hypothesis_id: str | None = Field(default=None, description=(
        "the hypothesis, for position, claim_stance and ach_rating"))
    hypothesis: str | None = Field(default=None, description="the hypothesis' statement (matched when ids change)")
    value: str | None = Field(default=None, description="the label, rating or weight the analyst set")
    other_source_id: str | None = Field(default=None, description=(
        "drop_contradiction, merge_key_points: the other claim's source"))
    other_start: int | None = Field(default=None, ge=0, description="the other claim's first character")
    other_end: int | None = Field(default=None, ge=0, description="one past the other claim's last character")
    other_text: str | None = Field(default=None, description=(
        "the other claim's characters when the correction was made"))
    who: str = Field(default="analyst", description="who made the correction")
    when: str = Field(description="ISO time the correction was made")
    why: str | None = Field(default=None, description="the analyst's reason, kept with the correction")


class Failure(_Model):
    """An input that could not be used, and how to fix it."""

    path: str = Field(description="the input (file, file#record) that failed")
    stage: str = Field(description="the stage it failed in (ingest, clean, annotate, argue, map, corrections …)")
    error: str = Field(description="short error code, e.g. 'empty-file'")
    message: str = Field(description="one line naming the input and the fix")


class InputRecord(_Model):
    """One input of a run and the hash of its bytes."""

    path: str = Field(description="the input as given")
    sha256: str = Field(description="sha256 of its raw bytes")


class RunInfo(_Model):
    """How a map was made: inputs, backends, options, timings and the run it was made from."""

    id: str = Field(description="run-<hash>: the same inputs, pipeline and overrides give the same id")
    created: str = Field(description="ISO time the run was recorded")
    cruxmap_version: str = Field(description="the cruxmap version that made it")
    inputs: list[InputRecord] = Field(default_factory=list, description="every input read, with its content hash")
    backends: dict[str, str] = Field(default_factory=dict, description=(
        "stage → the version string of the backend it ran (model weights' hashes included)"))
    options: dict[str, object] = Field(default_factory=dict, description=(
        "the options the run was made with (paths, question file, overrides …)"))
    timings: dict[str, float] = Field(default_factory=dict, description="stage → seconds")
    reused: int = Field(default=0, description="sources whose results came from the store's cache")
    libraries: dict[str, str] = Field(default_factory=dict, description=(
        "versions of Python and of the libraries that read the text (torch, transformers, spaCy and its model …)"))
    settings: dict[str, object] = Field(default_factory=dict, description=(
        "the resolved settings the run was made with, sections included (as `cruxmap config --json` prints "
        "them, without the local paths db and data_dir)"))
    weights: dict[str, str] = Field(default_factory=dict, description=(
        "every model weight file the run read (claim head and pre-filter, stance head and cross-encoder, "
        "key-point matcher, MiniLM …) → its SHA-256"))
    parent: str | None = Field(default=None, description="the run this one was made from (corrections, re-analysis)")
    kind: Literal["analysis", "corrections"] = Field(default="analysis", description=(
        "analysis: the models read the articles; corrections: a parent's map with the analyst's corrections applied"))


class Document(_Model):
    """One source with every layer the per-document stages add."""

    source: Source = Field(description="the source with its cleaned text")
    sentences: list[Sentence] = Field(default_factory=list, description="its sentences")
    entities: list[Entity] = Field(default_factory=list, description="its named entities")
    quotes: list[Quote] = Field(default_factory=list, description="its quotes")
    events: list[Event] = Field(default_factory=list, description="its dated events")
    claims: list[Claim] = Field(default_factory=list, description="its claims")
    stances: list[Stance] = Field(default_factory=list, description="claim and source stances toward each item")
    done: list[str] = Field(default_factory=list, description="names of the stages already applied")


class DebateMap(_Model):
    """The content of map.json."""

    schema_version: str = Field(default=SCHEMA_VERSION, description=(
        "the map.json schema version (schema/map.schema.json)"))
    question: Question = Field(default_factory=Question, description=(
        "the question file as read (hypotheses with any examples)"))
    sources: list[Source] = Field(default_factory=list, description="every article, cleaned")
    sentences: list[Sentence] = Field(default_factory=list, description="every sentence")
    entities: list[Entity] = Field(default_factory=list, description="named entities")
    quotes: list[Quote] = Field(default_factory=list, description="attributed quotes")
    events: list[Event] = Field(default_factory=list, description="dated events (the timeline)")
    claims: list[Claim] = Field(default_factory=list, description="sentences that argue")
    hypotheses: list[Hypothesis] = Field(default_factory=list, description=(
        "the items stances are towards (the question's, or suggested ones)"))
    stances: list[Stance] = Field(default_factory=list, description="claim × item and source × item stances")
    key_points: list[KeyPoint] = Field(default_factory=list, description=(
        "claims grouped across sources by what they say"))
    contradictions: list[Contradiction] = Field(default_factory=list, description=(
        "pairs of claims from different sources that conflict"))
    ach: AchMatrix = Field(default_factory=AchMatrix, description=(
        "the Analysis-of-Competing-Hypotheses matrix and ranking"))
    cruxes: list[Crux] = Field(default_factory=list, description=(
        "what the sources split on, and the evidence that would settle it"))
    camps: list[Camp] = Field(default_factory=list, description="sources grouped by the positions they share")
    corrections: list[Correction] = Field(default_factory=list, description="the analyst's corrections applied")
    run: RunInfo | None = Field(default=None, description="how the map was made (inputs, backends, lineage)")
    failures: list[Failure] = Field(default_factory=list, description=(
        "inputs that could not be used, each with the fix"))

    def frames(self):
        """The map as pandas DataFrames with the joins done: ``sources``, ``claims``, ``claim_stances``,
        ``positions`` (the source × item table), ``quotes``, ``events``, ``key_points``, ``cruxes``
        (``cruxmap.frames``; needs pandas)."""
        from .frames import frames

        return frames(self)

    @classmethod
    def from_documents(cls, docs: list[Document], **fields: Any) -> DebateMap:
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
