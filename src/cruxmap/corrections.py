"""The analyst in the loop: corrections that stick, re-compute the map, and teach the stance reader.

A ``Correction`` (``model.py``) names its subject by content: the source's id (derived from the
article's raw bytes, so the same article has the same id in every run) and the characters of the
claim, quote, event or passage, with the hypothesis named by id and statement. So a correction made
on one run applies to the same text in any later run, whatever ids the items get there; one whose
text is gone is returned as *stale* and reported, never silently dropped.

``apply_corrections`` re-computes what depends on the corrections without running a model: claim
stances, the touched sources' positions (by the same aggregation rule as the stance stage), then the
evaluative contradictions, camps, the ACH matrix and ranking and the cruxes. Corrected cells carry
``analyst=True`` with the machine's reading beside them (``machine_label``, ``machine_score``).

``teach`` turns corrections into worked examples for the stance reader of a question (the
``support_examples`` / ``oppose_examples`` of ``argue/examples.py``): a corrected claim, or the
passage an analyst marks as showing a source's position, moves similar claims of every source on the
next analysis. ``docs/corrections.md`` measures how many corrections it takes on the dev debates.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, TypeGuard

from . import registry
from .errors import ConfigError
from .model import (
    Claim,
    Correction,
    CorrectionKind,
    DebateMap,
    Event,
    Failure,
    Hypothesis,
    KeyPoint,
    Passage,
    Question,
    Quote,
    Stance,
    StanceLabel,
)

POSITION_LABELS = ("support", "oppose", "mixed", "none")
CLAIM_LABELS = ("support", "oppose", "neutral")
RATINGS = ("CC", "C", "N", "I", "II", "NA")
WEIGHTS = ("high", "medium", "low")
#: the values each kind takes (None: the kind takes no value)
VALUES: dict[str, tuple[str, ...] | None] = {
    "position": POSITION_LABELS, "claim_stance": CLAIM_LABELS, "not_claim": None, "ach_rating": RATINGS,
    "credibility": WEIGHTS, "relevance": WEIGHTS, "drop_contradiction": None, "merge_key_points": None,
    "split_key_point": None,
}
#: kinds about a hypothesis
WITH_HYPOTHESIS = ("position", "claim_stance", "ach_rating")
#: kinds about a pair of claims
WITH_OTHER = ("drop_contradiction", "merge_key_points")


def _known_kind(kind: str) -> TypeGuard[CorrectionKind]:
    return kind in VALUES


def correction_id(kind: str, source_id: str, start: int | None, end: int | None, hypothesis: str | None,
                  other: tuple | None = None) -> str:
    """The id of a correction's subject: a later correction of the same thing has the same id and replaces it."""
    key = json.dumps([kind, source_id, start, end, hypothesis, list(other) if other else None])
    return "corr-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def make_correction(kind: str, *, source_id: str, start: int | None = None, end: int | None = None,
                    text: str | None = None, hypothesis: Hypothesis | None = None, value: str | None = None,
                    other_source_id: str | None = None, other_start: int | None = None,
                    other_end: int | None = None, other_text: str | None = None, who: str = "analyst",
                    why: str | None = None, when: str | None = None) -> Correction:
    """A checked correction; errors say which field is wrong and what it takes."""
    if not _known_kind(kind):
        raise ConfigError(f"unknown correction kind {kind!r}", fix=f"use one of {', '.join(VALUES)}")
    allowed = VALUES[kind]
    if allowed is None:
        value = None
    else:
        value = (value or "").strip()
        value = value.upper().replace("N/A", "NA") if kind == "ach_rating" else value.lower()
        if value not in allowed:
            raise ConfigError(f"a {kind} correction needs a value", fix=f"use one of {', '.join(allowed)}")
    if kind in WITH_HYPOTHESIS and hypothesis is None:
        raise ConfigError(f"a {kind} correction names a hypothesis", fix="give the hypothesis id (H1, P2, …)")
    if kind != "position" and (start is None or end is None):
        raise ConfigError(f"a {kind} correction names the characters of its item",
                          fix="give the claim's (quote's, event's) start and end in the source's cleaned text")
    if kind in WITH_OTHER and (other_source_id is None or other_start is None or other_end is None):
        raise ConfigError(f"a {kind} correction names a second claim", fix="give the other claim too")
    other = (other_source_id, other_start, other_end) if kind in WITH_OTHER else None
    hid = hypothesis.id if hypothesis is not None else None
    return Correction(
        id=correction_id(kind, source_id, start, end, hypothesis.statement if hypothesis else None, other),
        kind=kind, source_id=source_id, start=start, end=end, text=text, hypothesis_id=hid,
        hypothesis=hypothesis.statement if hypothesis is not None else None, value=value,
        other_source_id=other[0] if other else None, other_start=other[1] if other else None,
        other_end=other[2] if other else None, other_text=other_text if other else None,
        who=who or "analyst", when=when or datetime.now(UTC).isoformat(timespec="seconds"), why=why or None)


def latest(corrections: Iterable[Correction]) -> list[Correction]:
    """One correction per subject, the newest (``when``; ties: the later in the list), in time order."""
    chosen: dict[str, tuple[str, int, Correction]] = {}
    for n, c in enumerate(corrections):
        if c.id not in chosen or (c.when, n) >= chosen[c.id][:2]:
            chosen[c.id] = (c.when, n, c)
    return [c for _, _, c in sorted(chosen.values(), key=lambda t: (t[0], t[1]))]


# --------------------------------------------------------------------------- files


def read_corrections(path: str | Path) -> list[Correction]:
    """Corrections from a JSONL file (one per line, as ``write_corrections`` and the report write them)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("corrections file not found", path=str(path),
                          fix="give the JSONL file that `cruxmap corrections export` or the report wrote")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(Correction.model_validate(_completed(json.loads(line))))
        except ValueError as err:
            first = str(err).splitlines()[1:3] or [str(err)]
            raise ConfigError(f"line {n} is not a correction ({'; '.join(s.strip() for s in first)})",
                              path=str(path), fix="fix or delete that line; each line is one JSON correction") from err
    return out


def _completed(entry: object) -> object:
    """A correction as the offline report writes it: without an id (computed here) and with the browser's
    time format (``…T10:00:00.000Z``), normalised to the store's."""
    if not isinstance(entry, dict):
        return entry
    entry = dict(entry)
    when = entry.get("when")
    if isinstance(when, str) and when.endswith("Z"):
        try:
            entry["when"] = datetime.fromisoformat(when).isoformat(timespec="seconds")
        except ValueError:
            pass
    if not entry.get("id") and entry.get("kind") and entry.get("source_id"):
        other = ((entry.get("other_source_id"), entry.get("other_start"), entry.get("other_end"))
                 if entry.get("kind") in WITH_OTHER else None)
        entry["id"] = correction_id(entry["kind"], entry["source_id"], entry.get("start"), entry.get("end"),
                                    entry.get("hypothesis"), other)
    return entry


def write_corrections(corrections: Iterable[Correction], path: str | Path) -> Path:
    """Write corrections as JSONL (one per line, time order)."""
    from .atomic import write_text_atomic

    path = Path(path)
    write_text_atomic(path, "".join(c.model_dump_json(exclude_none=True) + "\n" for c in corrections))
    return path


# --------------------------------------------------------------------------- finding the subject


@dataclass
class _Located:
    start: int
    end: int


def locate(debate_map: DebateMap, source_id: str | None, start: int | None, end: int | None,
           text: str | None) -> _Located | None:
    """Where a correction's characters are in this map's copy of the source (None: the text is gone)."""
    source = next((s for s in debate_map.sources if s.id == source_id), None)
    if source is None or start is None or end is None:
        return None
    if not text or source.text[start:end] == text:
        return _Located(start, end) if end <= len(source.text) else None
    found = [m.start() for m in re.finditer(re.escape(text), source.text)]
    if not found:
        return None
    at = min(found, key=lambda i: abs(i - start))
    return _Located(at, at + len(text))


def claim_at(debate_map: DebateMap, source_id: str, span: _Located) -> Claim | None:
    """The claim with exactly these characters, else the one that overlaps them most (half at least)."""
    best, overlap = None, 0
    for c in debate_map.claims:
        if c.source_id != source_id:
            continue
        if (c.start, c.end) == (span.start, span.end):
            return c
        shared = min(c.end, span.end) - max(c.start, span.start)
        if shared > overlap and shared * 2 >= min(c.end - c.start, span.end - span.start):
            best, overlap = c, shared
    return best


def item_at(debate_map: DebateMap, source_id: str, span: _Located) -> str | None:
    """The id of the claim, quote or event at exactly these characters (an ACH row's evidence id), else of
    the claim that overlaps them most: a quote or an event is its own row, not the claim it sits in."""
    items: list[Claim | Quote | Event] = [*debate_map.claims, *debate_map.quotes, *debate_map.events]
    for item in items:
        if item.source_id == source_id and (item.start, item.end) == (span.start, span.end):
            return item.id
    claim = claim_at(debate_map, source_id, span)
    return claim.id if claim is not None else None


def hypothesis_in(hyps: Sequence[Hypothesis], correction: Correction) -> Hypothesis | None:
    """The hypothesis a correction names: same id and statement, else the same statement (ids renumbered)."""
    for h in hyps:
        if h.id == correction.hypothesis_id and correction.hypothesis in (None, h.statement):
            return h
    return next((h for h in hyps if correction.hypothesis and h.statement == correction.hypothesis), None)


def hypothesis_for(debate_map: DebateMap, correction: Correction) -> Hypothesis | None:
    """The map's hypothesis a correction names (``hypothesis_in``)."""
    from .map.build import hypotheses_of

    return hypothesis_in(hypotheses_of(debate_map), correction)


def span_of(debate_map: DebateMap, item_id: str) -> tuple[str, int, int, str] | None:
    """(source id, start, end, text) of a claim, quote or event of the map, to key a correction by."""
    items: list[Claim | Quote | Event] = [*debate_map.claims, *debate_map.quotes, *debate_map.events]
    for item in items:
        if item.id == item_id:
            source = next((s for s in debate_map.sources if s.id == item.source_id), None)
            text = source.text[item.start:item.end] if source is not None else getattr(item, "text", "")
            return item.source_id, item.start, item.end, text
    return None


# --------------------------------------------------------------------------- applying


def _analyst_note(c: Correction) -> str:
    return f"set by {c.who} on {c.when[:10]}" + (f": {c.why}" if c.why else "")


def _mark(stance: Stance, label: str | None, c: Correction, evidence: list[Passage] | None = None) -> Stance:
    """``stance`` as the analyst set it, the machine's reading kept beside it."""
    machine_label = stance.machine_label if stance.analyst else stance.label
    machine_score = stance.machine_score if stance.analyst else stance.score
    update: dict[str, object] = {"label": label, "score": 1.0, "analyst": True, "machine_label": machine_label,
                                 "machine_score": machine_score, "note": _analyst_note(c)}
    if evidence is not None:
        update["evidence"] = evidence
    return stance.model_copy(update=update)


def position_aggregation(debate_map: DebateMap) -> tuple[float, bool] | None:
    """(claim threshold, addressed by nearest) of a run whose positions come from its claim stances;
    None when a reader took positions from the whole source (``stance.llm.v2``): then corrected claims
    change no position on their own. Read from the run record's ``stance_aggregation``; runs recorded
    before it was kept say it only in their stance stage's version string."""
    recorded = (debate_map.run.options if debate_map.run else {}).get("stance_aggregation")
    if isinstance(recorded, dict):
        if recorded.get("from") != "claims":
            return None
        return float(recorded.get("claim_threshold", 0.0)), bool(recorded.get("addressed_by_nearest"))
    backend = (debate_map.run.backends if debate_map.run else {}).get("stance", "")
    if not backend or registry.full_name("stance", "llm.v2") in backend:
        return None
    threshold = re.search(r":claims-from-t([0-9.]+)", backend)
    return (float(threshold.group(1)) if threshold else 0.0), ":addressed-by-nearest" in backend


def apply_corrections(debate_map: DebateMap, corrections: Sequence[Correction], embedder=None,
                      settings: object | None = None) -> list[Correction]:
    """Apply ``corrections`` to ``debate_map`` (in place) and re-compute what depends on them, without
    running a model (``embedder`` only looks vectors up; it may be None). Returns the stale ones, which
    are also listed under ``failures`` (``stale-correction``)."""
    from .map.build import MapOptions, hypotheses_of

    corrections = latest(corrections)
    stale: list[Correction] = []
    applied: list[Correction] = []
    hyps = hypotheses_of(debate_map)
    touched: set[str] = set()

    def resolve(c: Correction) -> tuple[Hypothesis | None, _Located | None] | None:
        h = hypothesis_for(debate_map, c) if c.kind in WITH_HYPOTHESIS else None
        if c.kind in WITH_HYPOTHESIS and h is None:
            return None
        span = locate(debate_map, c.source_id, c.start, c.end, c.text)
        if c.kind != "position" and span is None:
            return None
        if c.kind == "position" and not any(s.id == c.source_id for s in debate_map.sources):
            return None
        return h, span

    def claim_of(c: Correction) -> tuple[Hypothesis | None, Claim] | None:
        """The corrected claim (and hypothesis), or None with the correction recorded as stale."""
        found = resolve(c)
        span = found[1] if found is not None else None
        claim = claim_at(debate_map, c.source_id, span) if span is not None else None
        if found is None or claim is None:
            stale.append(c)
            return None
        return found[0], claim

    def put(target: Literal["claim", "source"], target_id: str, h: Hypothesis, c: Correction,
            default_label: StanceLabel,
            evidence: list[Passage] | None = None) -> None:
        """Set the (target, item) stance as the analyst did, the machine's reading kept beside it."""
        at = index.get((target, target_id, h.id))
        old = debate_map.stances[at] if at is not None else Stance(
            target=target, target_id=target_id, hypothesis_id=h.id, label=default_label, score=0.0)
        new = _mark(old, c.value, c, evidence)
        if at is None:
            index[(target, target_id, h.id)] = len(debate_map.stances)
            debate_map.stances.append(new)
        else:
            debate_map.stances[at] = new

    removed = set()
    for c in [c for c in corrections if c.kind == "not_claim"]:
        found = claim_of(c)
        if found is None:
            continue
        claim = found[1]
        removed.add(claim.id)
        touched.add(claim.source_id)
        applied.append(c)
    if removed:
        _drop_claims(debate_map, removed)

    index: dict[tuple[str, str, str], int] = {
        (s.target, s.target_id, s.hypothesis_id): i for i, s in enumerate(debate_map.stances)}
    for c in [c for c in corrections if c.kind == "claim_stance"]:
        found = claim_of(c)
        if found is None:
            continue
        h, claim = found
        assert h is not None  # resolve finds a claim_stance's hypothesis or nothing
        put("claim", claim.id, h, c, "neutral")
        touched.add(claim.source_id)
        applied.append(c)

    if touched:
        _reaggregate(debate_map, touched, embedder)
        index = {(s.target, s.target_id, s.hypothesis_id): i for i, s in enumerate(debate_map.stances)}

    exclusive = debate_map.question.exclusive
    rivals = {h.id for h in hyps if h.kind == "hypothesis"}
    for c in [c for c in corrections if c.kind == "position"]:
        resolved = resolve(c)
        if resolved is None:
            stale.append(c)
            continue
        h, span = resolved
        assert h is not None  # resolve finds a position's hypothesis or nothing
        put("source", c.source_id, h, c, "none", [Passage(start=span.start, end=span.end)] if span else None)
        if exclusive and c.value == "support" and h.id in rivals:  # a source supports one competing answer
            for other in rivals - {h.id}:
                j = index.get(("source", c.source_id, other))
                if j is not None and debate_map.stances[j].label == "support" and not debate_map.stances[j].analyst:
                    debate_map.stances[j] = debate_map.stances[j].model_copy(update={
                        "label": "none", "score": 0.0, "claim_ids": [], "evidence": [],
                        "note": f"the analyst placed this source on {h.id}, a competing answer"})
        applied.append(c)

    for c in [c for c in corrections if c.kind in ("merge_key_points", "split_key_point")]:
        if _change_key_points(debate_map, c):
            applied.append(c)
        else:
            stale.append(c)

    dropped: set[tuple[str, str]] = set()
    for c in [c for c in corrections if c.kind == "drop_contradiction"]:
        pair = _claim_pair(debate_map, c)
        if pair is None:
            stale.append(c)
            continue
        dropped.add((min(pair), max(pair)))
        applied.append(c)

    overrides = []
    from .map.overrides import Override, checked_rating, checked_weight

    for c in [c for c in corrections if c.kind in ("ach_rating", "credibility", "relevance")]:
        resolved = resolve(c)
        h, span = resolved if resolved is not None else (None, None)
        row = item_at(debate_map, c.source_id, span) if span is not None else None
        if row is None:
            stale.append(c)
            continue
        if c.kind == "ach_rating":
            assert h is not None  # resolve finds an ach_rating's hypothesis or nothing
            overrides.append(Override(row, h.id, checked_rating(c.value), _analyst_note(c)))
        else:
            weight = checked_weight(c.value)
            overrides.append(Override(row, note=_analyst_note(c),
                                      credibility=weight if c.kind == "credibility" else None,
                                      relevance=weight if c.kind == "relevance" else None))
        applied.append(c)

    options = MapOptions.from_settings(settings)
    recompute_map(debate_map, embedder, overrides, dropped, options)
    debate_map.corrections = applied
    debate_map.failures = [f for f in debate_map.failures if f.error != "stale-correction"]
    for c in stale:
        what = c.text or f"{c.source_id} {c.hypothesis_id or ''}".strip()
        debate_map.failures.append(Failure(
            path=c.source_id, stage="corrections", error="stale-correction",
            message=(f"correction {c.id} ({c.kind}{' ' + c.value if c.value else ''}) of {what[:80]!r} matches "
                     "nothing in this map — the article or the item is gone; delete it with "
                     f"`cruxmap corrections delete {c.id}`")))
    return stale


def _drop_claims(debate_map: DebateMap, removed: set[str]) -> None:
    debate_map.claims = [c for c in debate_map.claims if c.id not in removed]
    debate_map.stances = [s for s in debate_map.stances if not (s.target == "claim" and s.target_id in removed)]
    debate_map.contradictions = [c for c in debate_map.contradictions if c.a not in removed and c.b not in removed]
    claims = {c.id: c for c in debate_map.claims}
    kept = []
    for kp in debate_map.key_points:
        ids = [c for c in kp.claim_ids if c not in removed]
        if ids:
            kept.append(kp.model_copy(update={"claim_ids": ids,
                                              "source_ids": sorted({claims[c].source_id for c in ids})}))
    debate_map.key_points = kept


def _reaggregate(debate_map: DebateMap, source_ids: set[str], embedder) -> None:
    """The positions of ``source_ids`` again from their (corrected) claim stances, by the stance stage's rule."""
    how = position_aggregation(debate_map)
    if how is None:
        return
    from .argue.aggregate import aggregate_source_stances, nearest_hypotheses
    from .map.build import hypotheses_of

    threshold, by_nearest = how
    hyps = hypotheses_of(debate_map)
    sources = {s.id: s for s in debate_map.sources}
    layers: dict[str, dict[str, list]] = {sid: {"claims": [], "sentences": [], "quotes": []} for sid in source_ids}
    for name in ("claims", "sentences", "quotes"):  # one pass over each layer, not one per touched source
        for item in getattr(debate_map, name):
            if item.source_id in layers:
                layers[item.source_id][name].append(item)
    for sid in sorted(source_ids):
        source = sources[sid]
        claims = layers[sid]["claims"]
        ids = {c.id for c in claims}
        addressed = None
        if by_nearest and embedder is not None and claims and len(hyps) > 1:
            nearest = nearest_hypotheses(embedder.embed([c.text for c in claims]),
                                         embedder.embed([h.statement for h in hyps]))
            addressed = {c.id: {hyps[k].id for k in ks} for c, ks in zip(claims, nearest)}
        claim_stances = [s for s in debate_map.stances if s.target == "claim" and s.target_id in ids]
        fresh = aggregate_source_stances(source, layers[sid]["sentences"], claims, claim_stances, hyps, addressed,
                                         threshold, layers[sid]["quotes"], debate_map.question.exclusive)
        by_hyp = {s.hypothesis_id: s for s in fresh}
        debate_map.stances = [by_hyp.pop(s.hypothesis_id) if s.target == "source" and s.target_id == sid
                              and s.hypothesis_id in by_hyp else s for s in debate_map.stances] + list(by_hyp.values())


def _claim_pair(debate_map: DebateMap, c: Correction) -> tuple[str, str] | None:
    a_span = locate(debate_map, c.source_id, c.start, c.end, c.text)
    b_span = locate(debate_map, c.other_source_id, c.other_start, c.other_end, c.other_text)
    a = claim_at(debate_map, c.source_id, a_span) if a_span else None
    b = claim_at(debate_map, c.other_source_id, b_span) if b_span and c.other_source_id else None
    return (a.id, b.id) if a is not None and b is not None else None


def _change_key_points(debate_map: DebateMap, c: Correction) -> bool:
    """Merge two key points or split a claim out of one (True when the subject was found)."""
    holder = {cid: kp for kp in debate_map.key_points for cid in kp.claim_ids}
    claims = {cl.id: cl for cl in debate_map.claims}
    if c.kind == "merge_key_points":
        pair = _claim_pair(debate_map, c)
        if pair is None or pair[0] not in holder or pair[1] not in holder:
            return False
        into, other = holder[pair[0]], holder[pair[1]]
        if into.id == other.id:
            return True
        ids = list(dict.fromkeys([*into.claim_ids, *other.claim_ids]))
        merged = into.model_copy(update={"claim_ids": ids, "source_ids": sorted({claims[i].source_id for i in ids})})
        debate_map.key_points = [merged if kp.id == into.id else kp for kp in debate_map.key_points
                                 if kp.id != other.id]
        return True
    span = locate(debate_map, c.source_id, c.start, c.end, c.text)
    claim = claim_at(debate_map, c.source_id, span) if span else None
    if claim is None or claim.id not in holder:
        return False
    kp = holder[claim.id]
    if len(kp.claim_ids) == 1:
        return True
    rest = [i for i in kp.claim_ids if i != claim.id]
    from .map.keypoints import key_point_id

    alone = KeyPoint(id=key_point_id(claim.id), label=claim.text, claim_ids=[claim.id], source_ids=[claim.source_id])
    shrunk = kp.model_copy(update={"claim_ids": rest, "source_ids": sorted({claims[i].source_id for i in rest})})
    if kp.label == claim.text:  # the label leaves with its claim: the next claim names the point
        shrunk = shrunk.model_copy(update={"label": claims[rest[0]].text})
    out = []
    for k in debate_map.key_points:
        out.extend([shrunk, alone] if k.id == kp.id else [k])
    debate_map.key_points = out
    return True


def recompute_map(debate_map: DebateMap, embedder, overrides: list, dropped: set[tuple[str, str]],
                  options) -> None:
    """Camps, evaluative contradictions, the ACH matrix and the cruxes again from the (corrected) stances
    and key points; the key points' side counts too. Factual contradictions are kept as they were read."""
    import numpy as np

    from .map.ach import build_ach
    from .map.build import crux_vectors, hypotheses_of, reads_direction
    from .map.camps import build_camps
    from .map.contradictions import position_pairs
    from .map.cruxes import find_cruxes
    from .map.keypoints import independent_sources, source_positions, stance_split

    hyps = hypotheses_of(debate_map)
    hyp_ids = [h.id for h in hyps]
    claims, stances = debate_map.claims, debate_map.stances
    by_id = {c.id: c for c in claims}
    canonical = independent_sources(debate_map.sources)
    positions = source_positions(stances)
    debate_map.key_points = [kp.model_copy(update={"stance_split": stance_split(
        [by_id[i] for i in kp.claim_ids if i in by_id], hyp_ids, positions, canonical)})
        for kp in debate_map.key_points]
    source_ids = [s.id for s in debate_map.sources] or sorted({c.source_id for c in claims})
    debate_map.camps = build_camps(source_ids, debate_map.key_points, claims, stances, hyp_ids)
    vectors = (np.asarray(embedder.embed([c.text for c in claims]), dtype=np.float32)
               if embedder is not None and claims else np.zeros((len(claims), 1), dtype=np.float32))
    factual = [c for c in debate_map.contradictions if c.kind == "factual"]
    evaluative = position_pairs(claims, vectors, stances, hyp_ids, debate_map.sources) if embedder is not None else [
        c for c in debate_map.contradictions if c.kind == "evaluative"]
    found = {(c.a, c.b): c for c in [*factual, *evaluative] if (c.a, c.b) not in dropped}
    debate_map.contradictions = sorted(found.values(), key=lambda c: (-c.score, c.kind, c.a, c.b))[
        :options.max_contradictions]
    debate_map.ach, _stale = build_ach(claims, debate_map.quotes, debate_map.events, stances, hyps, overrides,
                                       positions_only=not reads_direction(debate_map))
    row_vectors, kp_vectors = (crux_vectors(debate_map.ach, debate_map.key_points, claims, vectors, embedder)
                               if embedder is not None else ({}, {}))
    debate_map.cruxes = find_cruxes(hyps, debate_map.key_points, claims, stances, debate_map.ach,
                                    n_sources=len(source_ids), limit=options.max_cruxes,
                                    row_vectors=row_vectors, key_point_vectors=kp_vectors)


# --------------------------------------------------------------------------- teaching


def teach(question: Question, corrections: Iterable[Correction], max_per_side: int = 50) -> Question:
    """``question`` with corrected claims, and the passages analysts marked as showing a position, added
    to its items' ``taught_support`` / ``taught_oppose`` (newest first, at most ``max_per_side`` per side
    and item). The stance stage moves claims that say nearly the same towards that side
    (``argue/examples.py``, ``TAUGHT_FLOOR``). ``neutral``/``none``/``mixed`` teach nothing."""
    extra: dict[str, dict[str, list[str]]] = {}
    for c in reversed(latest(corrections)):
        if c.kind not in ("position", "claim_stance") or c.value not in ("support", "oppose") or not c.text:
            continue
        h = hypothesis_in(question.hypotheses, c)
        if h is not None:
            side = extra.setdefault(h.id, {"support": [], "oppose": []})[c.value]
            text = " ".join(c.text.split())
            if text not in side and len(side) < max_per_side:
                side.append(text)
    if not extra:
        return question
    hyps = []
    for h in question.hypotheses:
        more = extra.get(h.id)
        if more:
            h = h.model_copy(update={"taught_support": list(dict.fromkeys([*h.taught_support, *more["support"]])),
                                     "taught_oppose": list(dict.fromkeys([*h.taught_oppose, *more["oppose"]]))})
        hyps.append(h)
    return question.model_copy(update={"hypotheses": hyps})


def labelled_rows(debate_map: DebateMap) -> list[dict]:
    """The map's corrections as a labelled dataset: one row per correction with its text, the hypothesis'
    statement, the analyst's label and the machine's, for training or auditing a reader."""
    machine: dict[tuple[str, str, str | None], Stance] = {
        (s.target, s.target_id, s.hypothesis_id): s for s in debate_map.stances if s.analyst}
    rows = []
    for c in debate_map.corrections:
        row = {"id": c.id, "kind": c.kind, "source_id": c.source_id, "start": c.start, "end": c.end, "text": c.text,
               "hypothesis_id": c.hypothesis_id, "hypothesis": c.hypothesis, "label": c.value, "who": c.who,
               "when": c.when, "why": c.why}
        if c.kind == "position":
            st = machine.get(("source", c.source_id, c.hypothesis_id))
            row["machine_label"] = st.machine_label if st else None
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


# --------------------------------------------------------------------------- from the ids a reader sees

#: the names a reader types (CLI, web form) → correction kinds
KIND_NAMES = {"position": "position", "claim": "claim_stance", "claim_stance": "claim_stance",
              "not-claim": "not_claim", "not_claim": "not_claim", "ach": "ach_rating", "ach_rating": "ach_rating",
              "credibility": "credibility", "relevance": "relevance", "drop-contradiction": "drop_contradiction",
              "drop_contradiction": "drop_contradiction", "merge": "merge_key_points",
              "merge_key_points": "merge_key_points", "split": "split_key_point", "split_key_point": "split_key_point"}


def find_source(debate_map: DebateMap, name: str):
    """The source a reader names by id, id prefix, path or file name (ConfigError naming the choices)."""
    hits = [s for s in debate_map.sources if name in (s.id, s.path, Path(s.path).name)]
    hits = hits or [s for s in debate_map.sources if s.id.startswith(name)]
    if len(hits) != 1:
        shown = ", ".join(f"{s.id} ({Path(s.path).name})" for s in debate_map.sources[:5])
        raise ConfigError(f"{'no' if not hits else 'more than one'} source matches {name!r}",
                          fix=f"give a source id or file name of this run, e.g. {shown}")
    return hits[0]


def _hypothesis(debate_map: DebateMap, hid: str | None) -> Hypothesis:
    from .map.build import hypotheses_of

    hyps = hypotheses_of(debate_map)
    for h in hyps:
        if h.id == hid:
            return h
    raise ConfigError(f"no hypothesis {hid!r} in this run", fix=f"use one of {', '.join(h.id for h in hyps) or '(none)'}")


def _item(debate_map: DebateMap, item_id: str | None, what: str = "claim") -> tuple[str, int, int, str]:
    found = span_of(debate_map, item_id) if item_id else None
    if found is None:
        raise ConfigError(f"no {what} {item_id!r} in this run",
                          fix=f"copy the id from the report or map.json ({what}s[].id)")
    return found


def correction_for(debate_map: DebateMap, kind: str, *, item: str | None = None, other: str | None = None,
                   source: str | None = None, hypothesis: str | None = None, value: str | None = None,
                   evidence: str | None = None, who: str = "analyst", why: str | None = None) -> Correction:
    """A correction from the ids shown in the report, the web UI and map.json, keyed by content.

    ``position``: ``source`` (id or file name), ``hypothesis``, ``value``, optional ``evidence`` (a claim
    id: the passage that shows the position); ``claim_stance``: ``item`` (claim id), ``hypothesis``,
    ``value``; ``not_claim`` / ``split_key_point``: ``item``; ``ach_rating``: ``item`` (an ACH row's
    evidence id), ``hypothesis``, ``value``; ``credibility`` / ``relevance``: ``item``, ``value``;
    ``drop_contradiction`` / ``merge_key_points``: ``item`` and ``other`` (claim ids)."""
    kind = KIND_NAMES.get(kind, kind)
    if kind not in VALUES:
        raise ConfigError(f"unknown correction {kind!r}", fix=f"use one of {', '.join(sorted(set(KIND_NAMES) - set(VALUES)))}")
    hyp = _hypothesis(debate_map, hypothesis) if kind in WITH_HYPOTHESIS else None
    if kind == "position":
        src = find_source(debate_map, source or "")
        span = _item(debate_map, evidence) if evidence else None
        if span is not None and span[0] != src.id:
            raise ConfigError(f"{evidence} is not a passage of {Path(src.path).name}",
                              fix="give a claim of the same source as the evidence")
        return make_correction("position", source_id=src.id, start=span[1] if span else None,
                               end=span[2] if span else None, text=span[3] if span else None, hypothesis=hyp,
                               value=value, who=who, why=why)
    sid, start, end, text = _item(debate_map, item, "claim" if kind != "ach_rating" else "ACH evidence item")
    o_sid, o_start, o_end, o_text = (_item(debate_map, other) if kind in WITH_OTHER
                                     else (None, None, None, None))
    return make_correction(kind, source_id=sid, start=start, end=end, text=text, hypothesis=hyp, value=value,
                           who=who, why=why, other_source_id=o_sid, other_start=o_start, other_end=o_end,
                           other_text=o_text)


# --------------------------------------------------------------------------- what to read first


@dataclass
class ReviewCell:
    source_id: str
    hypothesis_id: str
    label: str  # the machine's reading
    mass: float  # how much the source's own claims argue about the item (either way)
    claim_ids: list[str]  # its claims that argue about the item most, strongest first


def review_order(debate_map: DebateMap, claims_per_cell: int = 2) -> list[ReviewCell]:
    """The source × item cells in the order an analyst should read them: the machine's sided cells first
    (camps, the ACH matrix and the cruxes are built on them), strongest first; then the empty cells whose
    source argues most about the item (the summed confidence of its claims' support and oppose stances,
    whichever way: the offline reader cannot tell the way, but it can tell that the source argues);
    cells an analyst already set come last. ``cruxmap bench quality --task corrections`` measures how
    many cells an analyst reads to reach 0.9 in this order and in the table's order."""
    from .map.build import hypotheses_of

    hyps = [h.id for h in hypotheses_of(debate_map)]
    cells = {(s.target_id, s.hypothesis_id): s for s in debate_map.stances if s.target == "source"}
    source_of = {c.id: c.source_id for c in debate_map.claims}
    mass: dict[tuple[str, str], float] = {}
    strongest: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for st in debate_map.stances:
        if st.target == "claim" and st.label in ("support", "oppose") and st.target_id in source_of:
            key = (source_of[st.target_id], st.hypothesis_id)
            mass[key] = mass.get(key, 0.0) + st.score
            strongest.setdefault(key, []).append((st.score, st.target_id))
    out = []
    for source in debate_map.sources:
        for hid in hyps:
            cell = cells.get((source.id, hid))
            label = cell.label if cell else "none"
            ranked = [cid for _s, cid in sorted(strongest.get((source.id, hid), []), key=lambda x: (-x[0], x[1]))]
            out.append(ReviewCell(source.id, hid, label, round(mass.get((source.id, hid), 0.0), 4),
                                  ranked[:claims_per_cell]))

    def reading_order(cell: ReviewCell) -> tuple:
        st = cells.get((cell.source_id, cell.hypothesis_id))
        if st is not None and st.analyst:
            return (2, 0.0, 0.0)
        if cell.label != "none":
            return (0, -(st.score if st else 0.0), 0.0)
        return (1, -cell.mass, 0.0)

    return sorted(out, key=reading_order)  # stable: ties keep the table's order
