"""Turn a DebateMap into the plain dicts the report template prints, one builder per section.

Nothing here produces markup: every string stays raw and the template escapes it, so an
article's text can never become HTML. Items that link to a source carry an ``href`` of the
form ``#src-ID@start-end`` and the ``filter`` keys the client-side search uses.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from ..map.ach import assessed_ids, competing_ids, row_shares
from ..map.build import reads_direction
from ..map.keypoints import independent_count, independent_sources
from ..model import DebateMap, KeyPoint
from .index import SIDES, MapIndex, source_anchor, span_href
from .sourcetext import source_runs
from .timeline import build_timeline

SYMBOLS = {"support": "+", "oppose": "−", "mixed": "±", "neutral": "0", "none": ""}
ACH_ROWS_SHOWN = 30  # rows beyond this (the least diagnostic) stay folded until asked for or filtered
RATING_TEXT = {"CC": "very consistent", "C": "consistent", "N": "neutral", "I": "inconsistent",
               "II": "very inconsistent", "NA": "not applicable (the item does not bear on it)"}
WEIGHT_MARK = {"high": "H", "medium": "M", "low": "L"}


def _level(score: float) -> int:
    """1-3 intensity of a stance colour."""
    return 3 if score >= 0.7 else 2 if score >= 0.4 else 1


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are printed as links; anything else (javascript:, data:) stays text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summary(idx: MapIndex) -> dict:
    m = idx.debate_map
    outlets = Counter(s.outlet for s in m.sources if s.outlet)
    dates = sorted(s.published for s in m.sources if s.published)
    ranking = {str(r.get("hypothesis_id")): r for r in m.ach.ranking}
    hyps: list[dict[str, Any]] = []
    for h in idx.hypotheses:
        counts = Counter(st.label for (sid, hid), st in idx.source_stances.items() if hid == h.id)
        rank = ranking.get(h.id, {})
        hyps.append({"id": h.id, "key": idx.hyp_keys[h.id], "statement": h.statement, "kind": h.kind, "suggested": h.suggested,
                     "support": counts["support"], "oppose": counts["oppose"],
                     "other": counts["mixed"] + counts["neutral"],
                     "rank": int(rank["rank"]) if "rank" in rank else None,
                     "inconsistency": rank.get("inconsistency")})
    best = min((h for h in hyps if h["rank"] is not None), key=lambda h: h["rank"], default=None)
    top_crux = max(m.cruxes, key=lambda c: c.score, default=None)
    return {
        "question": m.question.question, "n_sources": len(m.sources), "outlets": outlets.most_common(),
        "date_from": dates[0] if dates else None, "date_to": dates[-1] if dates else None,
        "undated_sources": len(m.sources) - len(dates),
        "counts": [_plural(len(m.claims), "claim"), _plural(len(m.quotes), "quote"),
                   _plural(len(m.events), "dated event"), _plural(len(m.key_points), "key point"),
                   _plural(len(m.contradictions), "contradiction")],
        "hypotheses": hyps, "best": best, "top_crux": top_crux,
        "run": m.run, "failures": m.failures, "positions_unread": _positions_unread(idx),
        "analyst_cells": sum(1 for s in m.stances if s.target == "source" and s.analyst),
    }


def _positions_unread(idx: MapIndex) -> bool:
    """Whether most source cells are empty because the offline reader could not read them (say so)."""
    cells = list(idx.source_stances.values())
    return (bool(cells) and not reads_direction(idx.debate_map)
            and sum(st.label == "none" for st in cells) > len(cells) / 2)


def _key_claim(idx: MapIndex, source_id: str) -> dict | None:
    """The source's claim with the strongest support/oppose stance: its position in one sentence. Where
    no claim's direction could be read (the offline reader), the whole-statement claim the detector is
    surest argues (the article's most argumentative sentence, without a stance chip)."""
    claims = idx.claims_by_source.get(source_id, [])
    best = max(((m[0]["score"], -c.start, c.id) for c in claims if (m := idx.stance_marks(c.id))), default=None)
    if best is None:
        from ..map.keypoints import label_worthy

        best = max(((c.score, -c.start, c.id) for c in claims if label_worthy(c.text)), default=None)
    return idx.item(best[2]) if best else None


def why_anchor(source_id: str, hypothesis_id: str) -> str:
    return f"why-{source_id}-{hypothesis_id}"


def _why(idx: MapIndex, st) -> list[dict]:
    """The passages that decided a source cell, as text with a link to their place in the source."""
    source = idx.sources.get(st.target_id)
    if source is None:
        return []
    return [{"text": source.text[p.start:p.end], "href": span_href(st.target_id, p.start, p.end)}
            for p in st.evidence if 0 <= p.start < p.end <= len(source.text)]


def why_cells(idx: MapIndex) -> list[dict]:
    """Every decided (or annotated) source cell with its confidence and deciding passages, by source."""
    out = []
    for s in idx.debate_map.sources:
        for h in idx.hypotheses:
            st = idx.source_stances.get((s.id, h.id))
            if st is None or (st.label == "none" and not st.note):
                continue
            out.append({"anchor": why_anchor(s.id, h.id), "source": idx.source_name(s.id), "hyp": h.id,
                        "statement": h.statement, "label": st.label, "score": st.score, "note": st.note,
                        "passages": _why(idx, st), "claims": len(st.claim_ids)})
    return out


def heatmap(idx: MapIndex) -> list[dict]:
    """One row per source, grouped by camp (so agreeing sources sit together), with a cell per hypothesis."""
    camp_of = {sid: i for i, camp in enumerate(idx.debate_map.camps, 1) for sid in camp.source_ids}
    several_camps = len(idx.debate_map.camps) > 1
    order = sorted(range(len(idx.debate_map.sources)),
                   key=lambda i: (camp_of.get(idx.debate_map.sources[i].id, 10**6) if several_camps else 0, i))
    rows = []
    for s in (idx.debate_map.sources[i] for i in order):
        cells = []
        for h in idx.hypotheses:
            st = idx.source_stances.get((s.id, h.id))
            if st is None:
                cells.append({"hyp": h.id, "label": "none", "level": 0, "symbol": "", "href": None, "analyst": False,
                              "title": f"no stance on {h.id}"})
                continue
            why = _why(idx, st)
            title = f"{st.label} {h.id} (confidence {st.score:.2f})"
            if st.analyst:
                title = (f"{st.label} {h.id}, {st.note or 'set by an analyst'} (the machine read "
                         f"{st.machine_label or 'none'})")
            if why:
                title += ": \u201c" + why[0]["text"][:160] + "\u201d"
            elif st.note:
                title += f": {st.note}"
            decided = st.label != "none" or st.note
            cells.append({"hyp": h.id, "label": st.label, "level": _level(st.score), "symbol": SYMBOLS[st.label],
                          "score": st.score, "title": title, "analyst": st.analyst,
                          "href": "#" + why_anchor(s.id, h.id) if decided else None})
        rows.append({"name": idx.source_name(s.id), "byline": idx.source_byline(s.id), "key_claim": _key_claim(idx, s.id),
                     "href": "#" + source_anchor(s.id), "cells": cells, "duplicate": bool(s.duplicates),
                     "camp": camp_of.get(s.id) if several_camps else None,
                     "claims": len(idx.claims_by_source.get(s.id, [])), "filter": idx.source_filters(s.id)})
    return rows


def _source_ref(idx: MapIndex, source_id: str) -> dict:
    return {"name": idx.source_name(source_id), "byline": idx.source_byline(source_id),
            "href": "#" + source_anchor(source_id), "filter": idx.filters(sources=[source_id])}


def _speakers(items: list[dict]) -> list[str]:
    """Speakers of the quotes among ``items`` (an empty list hides the item under a speaker filter)."""
    return [i["speaker"] for i in items if i.get("speaker")]


def _items(idx: MapIndex, ids: list[str]) -> list[dict]:
    return [item for i in ids if (item := idx.item(i))]


def cruxes(idx: MapIndex) -> list[dict]:
    kp_labels = {k.id: k.label for k in idx.debate_map.key_points}
    statements = {h.id: h.statement for h in idx.hypotheses}
    out = []
    for c in sorted(idx.debate_map.cruxes, key=lambda c: -c.score):
        order = [s for s in SIDES if s in c.sides] + [s for s in c.sides if s not in SIDES]
        sides: list[dict[str, Any]] = [
            {"label": label, "sources": [_source_ref(idx, s) for s in c.sides.get(label, [])],
             "evidence": _items(idx, c.evidence.get(label, []))} for label in order]
        all_sources = [s for members in c.sides.values() for s in members]
        out.append({"id": c.id, "statement": c.statement, "kind": c.kind, "score": c.score,
                    "hypothesis": c.hypothesis_id, "hyp_statement": statements.get(c.hypothesis_id or "", ""),
                    "key_point": kp_labels.get(c.key_point_id or ""),
                    "sides": sides, "diagnostic": _items(idx, c.diagnostic_evidence),
                    "filter": idx.filters(sources=all_sources, hyps=[c.hypothesis_id] if c.hypothesis_id else None,
                                          speakers=_speakers([*(i for s in sides for i in s["evidence"])]))})
    return out


def ach(idx: MapIndex) -> dict:
    m = idx.debate_map
    statements = {h.id: h.statement for h in idx.hypotheses}
    ranking = [{"hyp": str(r.get("hypothesis_id")), "statement": statements.get(str(r.get("hypothesis_id")), ""),
                "rank": int(r["rank"]) if "rank" in r else None, "inconsistency": _whole(r.get("inconsistency")),
                "consistency": _whole(r.get("consistency"))}
               for r in sorted(m.ach.ranking, key=lambda r: float(r.get("rank", 1e9)))]
    sensitive = set(m.ach.sensitivity)
    hyp_order = [h.id for h in idx.hypotheses]
    shares = row_shares(m.ach.rows, m.claims, m.quotes, m.events)
    rows: list[dict[str, Any]] = []
    weights: list[dict[str, Any]] = []
    for n, row in enumerate(m.ach.rows):
        item = idx.item(row.evidence_id) or {
            "id": row.evidence_id, "kind": row.evidence_kind, "text": row.text, "source": idx.source_name(row.source_id),
            "source_id": row.source_id, "href": "#" + source_anchor(row.source_id), "stances": [],
            "filter": idx.filters(sources=[row.source_id])}
        item = {**item, "text": row.text or item["text"]}
        by_hyp = {c.hypothesis_id: c for c in row.cells}
        cells: list[dict[str, Any]] = []
        for hid in hyp_order:
            cell = by_hyp.get(hid)
            if cell is None:
                cells.append({"hyp": hid, "rating": "", "title": "not rated"})
                continue
            note = f" — overridden: {cell.note}" if cell.overridden and cell.note else (
                " — overridden" if cell.overridden else "")
            cells.append({"hyp": hid, "rating": cell.rating, "overridden": cell.overridden,
                          "title": f"{hid}: {RATING_TEXT[cell.rating]} ({cell.score:.2f}){note}"})
        bearing = [c.hypothesis_id for c in row.cells if c.rating not in ("N", "NA")]
        item["filter"] = {**item["filter"], **idx.filters(hyps=bearing)}
        weight_title = f"credibility {row.credibility}, relevance {row.relevance}" + (
            f" — set by an analyst: {row.weight_note}" if row.weight_note else "")
        subject = _weight_subject(idx, row.evidence_id)
        weights.append({"id": row.evidence_id, "share": shares[row.evidence_id], "credibility": row.credibility,
                        "relevance": row.relevance, "diagnosticity": row.diagnosticity,
                        "cells": {c.hypothesis_id: c.rating for c in row.cells}, "subject": subject})
        rows.append({"item": item, "cells": cells, "diagnosticity": row.diagnosticity, "n": n,
                     "sensitive": row.evidence_id in sensitive, "editable": subject is not None,
                     "credibility": row.credibility, "relevance": row.relevance,
                     "weights": f"{WEIGHT_MARK[row.credibility]}·{WEIGHT_MARK[row.relevance]}",
                     "weights_title": weight_title})
    rows.sort(key=lambda r: (not r["sensitive"], -r["diagnosticity"]))  # stable: map order among equals
    competing = competing_ids(idx.hypotheses)
    assessed = set(assessed_ids(m.ach.rows, competing))
    return {"ranking": ranking, "rows": rows, "hyps": hyp_order, "shown": ACH_ROWS_SHOWN,
            "unassessed": [h for h in hyp_order if h in competing and h not in assessed],
            "left_out": m.ach.left_out, "sensitive": len(sensitive),
            # what the page needs to rank again when an analyst changes a weight (``ach.js``), rows in map order
            "data": {"competing": [h for h in hyp_order if h in competing], "rows": weights if ranking else [],
                     "statements": statements}}


def _weight_subject(idx: MapIndex, evidence_id: str) -> dict | None:
    """The characters a weight correction names (``Correction``: source, start, end, text), or None when the
    item is not in this map's text."""
    ev = idx.evidence.get(evidence_id)
    source = idx.sources.get(ev.source_id) if ev is not None else None
    if ev is None or source is None or not 0 <= ev.start < ev.end <= len(source.text):
        return None
    return {"source_id": ev.source_id, "start": ev.start, "end": ev.end, "text": source.text[ev.start:ev.end]}


def _whole(value) -> int | None:
    """Weighted counts are shown as whole numbers (every weight medium: the count itself)."""
    return None if value is None else round(float(value))


def key_points(idx: MapIndex) -> list[dict]:
    """Key points in the map's order (most independent sources first). Prevalence counts independent
    sources, so an article and its syndicated copy are one source (the copies are named beside the
    count), and a point only one source makes is marked as that source's: the map lists such points
    only to fill a corpus with too few shared ones."""
    canonical = independent_sources(idx.debate_map.sources)
    total = max(len(set(canonical.values())), 1)

    def independent(kp: KeyPoint) -> int:
        return independent_count(kp.source_ids, canonical)

    out = []
    for kp in sorted(idx.debate_map.key_points, key=lambda k: -independent(k)):  # stable: the map's order
        split: list[dict[str, Any]] = []
        for h in idx.hypotheses:
            counts = kp.stance_split.get(h.id)
            if counts and (counts.get("support") or counts.get("oppose")):  # all-neutral splits are noise
                n = sum(counts.values())
                split.append({"hyp": h.id, "support": counts.get("support", 0), "oppose": counts.get("oppose", 0),
                              "neutral": counts.get("neutral", 0), "total": n})
        claims = _items(idx, kp.claim_ids)
        n = independent(kp)
        out.append({"id": kp.id, "label": kp.label, "n_sources": n, "copies": len(kp.source_ids) - n,
                    "total": total, "share": n / total, "one_source": n < 2, "split": split, "claims": claims,
                    "filter": idx.filters(sources=kp.source_ids, hyps=[s["hyp"] for s in split],
                                          speakers=_speakers(claims))})
    return out


def camps(idx: MapIndex) -> list[dict]:
    kp_labels = {k.id: k.label for k in idx.debate_map.key_points}
    out = []
    for i, camp in enumerate(idx.debate_map.camps, 1):
        lean = []
        for h in idx.hypotheses:
            labels = Counter(st.label for s in camp.source_ids if (st := idx.source_stances.get((s, h.id))))
            if labels["support"] or labels["oppose"]:
                lean.append({"hyp": h.id, "support": labels["support"], "oppose": labels["oppose"]})
        out.append({"name": "Not placed" if camp.unplaced else f"Camp {i}", "note": camp.note,
                    "stability": camp.stability, "sources": [_source_ref(idx, s) for s in camp.source_ids],
                    "positions": [kp_labels.get(p, p) for p in camp.positions], "lean": lean,
                    "filter": idx.filters(sources=camp.source_ids)})
    return out


def contradictions(idx: MapIndex) -> list[dict]:
    out = []
    for c in sorted(idx.debate_map.contradictions, key=lambda c: -c.score):
        a, b = idx.item(c.a), idx.item(c.b)
        if a is None or b is None:
            continue
        hyps = idx.related_hyps(idx.evidence[c.a]) + idx.related_hyps(idx.evidence[c.b])
        if c.hypothesis_id:
            hyps.append(c.hypothesis_id)
        statement = next((h.statement for h in idx.hypotheses if h.id == c.hypothesis_id), None)
        out.append({"a": a, "b": b, "kind": c.kind, "score": c.score, "item": c.hypothesis_id,
                    "item_statement": statement,
                    "filter": idx.filters(sources=[a["source_id"], b["source_id"]], hyps=hyps,
                                          speakers=_speakers([a, b]))})
    return out


def quotes_by_speaker(idx: MapIndex) -> list[dict]:
    """The quotes under one heading per speaker (the quotes stage gives a group one name whatever its capitals:
    ``Critics`` at a sentence start and ``critics`` inside one are both ``critics``)."""
    groups: dict[str | None, list] = {}
    for q in idx.debate_map.quotes:
        groups.setdefault(q.speaker, []).append(q)
    out: list[dict[str, Any]] = []
    for speaker, quotes in groups.items():
        roles = [r for r in dict.fromkeys(q.speaker_role for q in quotes if q.speaker_role)
                 if r.casefold() != (speaker or "").casefold()]  # a group named by its own words: no role beside
        items = []
        for q in quotes:
            item = idx.evidence_item(idx.evidence[q.id])
            item.update(direct=q.direct, cue=q.cue)
            items.append(item)
        kinds = [q.speaker_type for q in quotes if q.speaker_type]
        out.append({"speaker": speaker, "roles": roles, "quotes": items,
                    "type": max(set(kinds), key=kinds.count) if kinds else None,
                    "sources": len({q.source_id for q in quotes})})
    out.sort(key=lambda g: (g["speaker"] is None, -len(g["quotes"]), (g["speaker"] or "").casefold()))
    return out


def sources(idx: MapIndex) -> list[dict]:
    out = []
    for s in idx.debate_map.sources:
        dup_names = [f"{idx.source_name(d.source_id)} ({d.similarity:.2f})" for d in s.duplicates]
        out.append({"id": s.id, "anchor": source_anchor(s.id), "name": idx.source_name(s.id),
                    "byline": idx.source_byline(s.id), "url": safe_url(s.url), "raw_url": s.url, "path": s.path,
                    "runs": source_runs(s, idx), "removed": s.removed, "duplicates": dup_names,
                    "n_claims": len(idx.claims_by_source.get(s.id, [])),
                    "n_quotes": sum(q.source_id == s.id for q in idx.debate_map.quotes),
                    "n_events": sum(e.source_id == s.id for e in idx.debate_map.events),
                    "words": len(s.text.split()), "filter": idx.source_filters(s.id)})
    return out


def filter_options(idx: MapIndex) -> dict:
    return {
        "hypotheses": [{"key": idx.hyp_keys[h.id], "label": f"{h.id}: {h.statement}"} for h in idx.hypotheses],
        "sources": [{"key": idx.source_keys[s.id], "label": idx.source_name(s.id)} for s in idx.debate_map.sources],
        "speakers": [{"key": key, "label": name} for name, key in idx.speaker_keys.items()],
    }


def correction_data(idx: MapIndex) -> dict:
    """What the offline report's corrections form needs: sources, items and the machine's reading of each cell."""
    return {
        "sources": [{"id": s.id, "name": idx.source_name(s.id)} for s in idx.debate_map.sources],
        "hypotheses": [{"id": h.id, "statement": h.statement} for h in idx.hypotheses],
        "cells": {f"{sid}|{hid}": st.label for (sid, hid), st in idx.source_stances.items()},
    }


def build_views(debate_map: DebateMap) -> dict:
    """Everything the template needs, keyed by section."""
    idx = MapIndex(debate_map)
    return {
        "summary": summary(idx), "hypotheses": idx.hypotheses, "heatmap": heatmap(idx), "why": why_cells(idx),
        "cruxes": cruxes(idx),
        "ach": ach(idx), "key_points": key_points(idx), "camps": camps(idx),
        "contradictions": contradictions(idx), "quotes": quotes_by_speaker(idx),
        "timeline": build_timeline(idx), "sources": sources(idx), "options": filter_options(idx),
        "correction": correction_data(idx),
    }
