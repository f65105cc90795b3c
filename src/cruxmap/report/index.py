"""Look-ups over a DebateMap that every report section needs.

``MapIndex`` resolves any evidence id (claim, quote or event) to its source and characters,
gives each source, hypothesis and speaker a short opaque key for the filter controls (ids and
names are untrusted text, so they never become attribute syntax or CSS selectors), and
summarises stances per claim and per source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import quote as url_quote

from ..map.build import reads_direction
from ..model import DebateMap, Hypothesis, Source, Stance

SIDES = ("support", "oppose")


@dataclass(frozen=True)
class Evidence:
    """One linkable item: where it is and what it says."""

    id: str
    kind: str  # claim, quote, event
    source_id: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    scope: tuple[int, int] | None = None  # the sentence an event sits in, for finding the claims it serves


def span_href(source_id: str, start: int, end: int) -> str:
    """The link that opens a source scrolled to characters [start, end) of its cleaned text."""
    return f"#src-{url_quote(source_id, safe='')}@{start}-{end}"


def source_anchor(source_id: str) -> str:
    """The element id of a source's section (the JS resolves hash links against it)."""
    return f"src-{url_quote(source_id, safe='')}"


@dataclass
class MapIndex:
    """Indexes built once per report."""

    debate_map: DebateMap
    hypotheses: list[Hypothesis] = field(init=False)
    sources: dict[str, Source] = field(init=False)
    source_keys: dict[str, str] = field(init=False)
    hyp_keys: dict[str, str] = field(init=False)
    speaker_keys: dict[str, str] = field(init=False)
    evidence: dict[str, Evidence] = field(init=False)
    claim_stances: dict[str, list[Stance]] = field(init=False)
    source_stances: dict[tuple[str, str], Stance] = field(init=False)
    source_speakers: dict[str, set[str]] = field(init=False)
    claims_by_source: dict[str, list] = field(init=False)

    def __post_init__(self) -> None:
        m = self.debate_map
        self.hypotheses = list(m.hypotheses or m.question.hypotheses)
        self.sources = {s.id: s for s in m.sources}
        self.source_keys = {s.id: f"s{i}" for i, s in enumerate(m.sources)}
        self.hyp_keys = {h.id: f"h{i}" for i, h in enumerate(self.hypotheses)}
        speakers = sorted({q.speaker for q in m.quotes if q.speaker}, key=str.casefold)
        self.speaker_keys = {name: f"p{i}" for i, name in enumerate(speakers)}
        self.evidence = {}
        for c in m.claims:
            self.evidence[c.id] = Evidence(c.id, "claim", c.source_id, c.start, c.end, c.text)
        for q in m.quotes:
            self.evidence[q.id] = Evidence(q.id, "quote", q.source_id, q.start, q.end, q.text, q.speaker)
        sentence_spans = {s.id: (s.start, s.end) for s in m.sentences}
        for e in m.events:
            label = f"{e.date_text}: {e.description}" if e.description else e.date_text
            self.evidence[e.id] = Evidence(e.id, "event", e.source_id, e.start, e.end, label,
                                           scope=sentence_spans.get(e.sentence_id or ""))
        self.claims_by_source = {}
        for c in m.claims:
            self.claims_by_source.setdefault(c.source_id, []).append(c)
        self.claim_stances = {}
        self.source_stances = {}
        for st in m.stances:
            if st.target == "source":
                self.source_stances[(st.target_id, st.hypothesis_id)] = st
        # a backend that cannot read direction (offline) shows a claim's side only where its source takes it
            trusted = reads_direction(m)
        source_of = {c.id: c.source_id for c in m.claims}
        for st in m.stances:
            if st.target != "claim":
                continue
            if not trusted and st.label in SIDES:
                position = self.source_stances.get((source_of.get(st.target_id, ""), st.hypothesis_id))
                if position is None or position.label != st.label:
                    continue
            self.claim_stances.setdefault(st.target_id, []).append(st)
        self.source_speakers = {}
        for q in m.quotes:
            if q.speaker:
                self.source_speakers.setdefault(q.source_id, set()).add(q.speaker)

    # ------------------------------------------------------------------ naming

    def source_name(self, source_id: str) -> str:
        """A short human name for a source: its title, else its path, else its id."""
        s = self.sources.get(source_id)
        if s is None:
            return source_id
        return s.title or PurePath(s.path).name or s.path or s.id

    def source_byline(self, source_id: str) -> str:
        s = self.sources.get(source_id)
        if s is None:
            return ""
        return " · ".join(part for part in (s.outlet, s.author, s.published) if part)

    # ------------------------------------------------------------------ items

    def item(self, evidence_id: str) -> dict | None:
        """Template-ready dict for one evidence id (None when the id is unknown)."""
        ev = self.evidence.get(evidence_id)
        return self.evidence_item(ev) if ev is not None else None

    def evidence_item(self, ev: Evidence) -> dict:
        """Template-ready dict for one piece of evidence of this map."""
        return {
            "id": ev.id, "kind": ev.kind, "text": ev.text, "speaker": ev.speaker,
            "source_id": ev.source_id, "source": self.source_name(ev.source_id),
            "href": span_href(ev.source_id, ev.start, ev.end),
            "stances": self.stance_marks(ev.id),
            "filter": self.filters(sources=[ev.source_id], hyps=self.related_hyps(ev),
                                   speakers=[ev.speaker] if ev.speaker else []),
        }

    def stance_marks(self, claim_id: str) -> list[dict]:
        """The claim's support/oppose stances, strongest first, as small labelled chips."""
        marks = [{"hyp": st.hypothesis_id, "label": st.label, "score": st.score, "analyst": st.analyst}
                 for st in self.claim_stances.get(claim_id, []) if st.label in SIDES]
        return sorted(marks, key=lambda m: -m["score"])

    def _claims_around(self, ev: Evidence) -> list[str]:
        if ev.kind == "claim":
            return [ev.id]
        start, end = ev.scope or (ev.start, ev.end)
        return [c.id for c in self.claims_by_source.get(ev.source_id, []) if c.start < end and start < c.end]

    def related_hyps(self, ev: Evidence) -> list[str]:
        """Hypotheses an item bears on: its own stances, or those of the claims overlapping it."""
        claim_ids = self._claims_around(ev)
        return [st.hypothesis_id for cid in claim_ids for st in self.claim_stances.get(cid, []) if st.label in SIDES]

    def related_sides(self, ev: Evidence) -> list[dict]:
        """The support/oppose stances of the claims an item sits in (for timeline markers)."""
        claim_ids = self._claims_around(ev)
        return sorted((m for cid in claim_ids for m in self.stance_marks(cid)), key=lambda m: -m["score"])

    def dominant_side(self, claim_id: str) -> str | None:
        """support/oppose of the claim's strongest stance, or None."""
        marks = self.stance_marks(claim_id)
        return marks[0]["label"] if marks else None

    def filters(self, *, sources: list[str] | None = None, hyps: list[str] | None = None,
                speakers: list[str] | None = None) -> dict[str, str]:
        """data-* attribute values for the client-side filter (opaque keys, space separated).

        A missing dimension means "not restricted by that filter"; an empty list for speakers
        means "has no speaker" (hidden while a speaker is selected).
        """
        out = {}
        if sources is not None:
            out["src"] = " ".join(self.source_keys[s] for s in dict.fromkeys(sources) if s in self.source_keys)
        if hyps is not None:
            out["hyp"] = " ".join(self.hyp_keys[h] for h in dict.fromkeys(hyps) if h in self.hyp_keys)
        if speakers is not None:
            out["spk"] = " ".join(self.speaker_keys[p] for p in dict.fromkeys(speakers) if p in self.speaker_keys)
        return out

    def source_filters(self, source_id: str) -> dict[str, str]:
        """Filters for a whole source: its stances' hypotheses and the speakers it quotes."""
        hyps = [h.id for h in self.hypotheses
                if (st := self.source_stances.get((source_id, h.id))) and st.label in SIDES]
        return self.filters(sources=[source_id], hyps=hyps, speakers=sorted(self.source_speakers.get(source_id, ())))
