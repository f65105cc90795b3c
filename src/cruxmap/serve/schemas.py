"""The JSON API's response shapes, so /api/openapi.json types every answer (and its errors)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..model import Correction


class Error(BaseModel):
    """An error: what went wrong, naming the input, and the fix."""

    detail: str = Field(description="the message, with the fix after a dash where there is one")


class RunSummary(BaseModel):
    """One run as the runs list shows it."""

    id: str
    created: str
    cruxmap_version: str
    question: str | None = Field(description="the question file's question")
    hypotheses: int
    sources: int
    claims: int
    key_points: int
    cruxes: int
    failures: int = Field(description="inputs that could not be used")
    inputs: int
    paths: list[str] = Field(description="the input paths the run read")
    parent: str | None = Field(description="the run this one was made from")
    kind: str = Field(description="analysis, or corrections (a parent's map with the analyst's corrections)")


class Upload(BaseModel):
    name: str
    bytes: int


class Run(RunSummary):
    """One run with the files uploaded into it."""

    uploads: list[Upload]


class Uploaded(BaseModel):
    run_id: str
    saved: list[Upload]
    uploads: list[Upload]


class Job(BaseModel):
    """A re-analysis in the background."""

    id: str
    run_id: str = Field(description="the run re-analysed")
    paths: list[str]
    state: str = Field(description="queued, running, done or failed")
    created: float
    finished: float | None
    new_run_id: str | None = Field(description="the run it recorded, once done")
    sources: int | None
    failures: int | None
    progress: str | None
    error: str | None


class SourceHit(BaseModel):
    source_id: str
    title: str | None
    path: str | None
    snippet: str = Field(description="the matching passage, hits between [ and ]")
    runs: list[str]


class ClaimHit(BaseModel):
    run_id: str
    claim_id: str
    source_id: str
    source_title: str | None
    text: str
    start: int
    end: int


class RelatedClaim(ClaimHit):
    similarity: float = Field(description="cosine between the query and the claim (MiniLM), from 0.35 up")


class QuoteHit(BaseModel):
    run_id: str
    quote_id: str
    source_id: str
    source_title: str | None
    text: str
    speaker: str | None
    speaker_type: str | None
    start: int
    end: int


class RunFacet(BaseModel):
    run_id: str
    hits: int


class SourceFacet(BaseModel):
    source_id: str
    title: str | None
    hits: int


class YearFacet(BaseModel):
    year: str = Field(description="the year the sources were published")
    hits: int


class PositionFacet(BaseModel):
    position: str = Field(description="ITEM:side, the value of the search's position filter")
    item: str
    side: str = Field(description="support, oppose or mixed: the source's position on the item")
    statement: str | None = Field(description="the item's statement in the run's question")
    hits: int


class ItemFacet(BaseModel):
    item: str = Field(description="an item of the run's question; the value of the search's about filter")
    statement: str | None
    hits: int = Field(description="claims found that are about it (closest to it in meaning)")


class Facets(BaseModel):
    runs: list[RunFacet]
    sources: list[SourceFacet]
    years: list[YearFacet] = Field(default_factory=list, description="hits by the year their source was published")
    positions: list[PositionFacet] = Field(default_factory=list, description=(
        "within one run: hits by the position their source takes on an item (the source table)"))
    items: list[ItemFacet] = Field(default_factory=list, description=(
        "within one run: claims found, by the item of the question they are about"))


class SearchResult(BaseModel):
    """Sources, claims and quotes that hold every word of the query (any form of each word), and the other
    claims closest to it in meaning."""

    query: str
    sources: list[SourceHit]
    claims: list[ClaimHit]
    quotes: list[QuoteHit]
    related: list[RelatedClaim] = Field(default_factory=list, description=(
        "claims without every word of the query that come closest to it in meaning, best first"))
    facets: Facets


class Corrected(BaseModel):
    """What a correction did: the child run that holds it, and what a reader sees change."""

    run_id: str
    parent: str
    correction: Correction
    changes: list[str]
    stale: list[str] = Field(description="ids of stored corrections that match nothing in this run")
    seconds: float


class Deleted(BaseModel):
    deleted: str


class Diff(BaseModel):
    from_: str = Field(alias="from")
    to: str
    changes: list[str]


#: the error answers every run-addressed endpoint documents
RUN_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Error, "description": "no run with this id (or the prefix names several)"},
              400: {"model": Error, "description": "a bad request, with the fix"}}
