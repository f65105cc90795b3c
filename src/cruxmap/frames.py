"""A map as pandas DataFrames, with the joins done (``DebateMap.frames()``).

One frame per thing a reader counts or filters: sources, claims, claim stances, positions (the source ×
item table), quotes, events, key points (one row per member claim) and cruxes (one row per side and
source). Every frame that names a source carries its title, every frame that names an item carries its
statement, so a frame reads on its own. Offsets are into ``sources.text``. Needs pandas
(``pip install 'cruxmap[frames]'``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from .errors import NotInstalled

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .model import DebateMap


@dataclass
class Frames:
    """The map's tables. ``positions`` is the source × item table the report shows first."""

    sources: pd.DataFrame
    claims: pd.DataFrame
    claim_stances: pd.DataFrame
    positions: pd.DataFrame
    quotes: pd.DataFrame
    events: pd.DataFrame
    key_points: pd.DataFrame
    cruxes: pd.DataFrame

    def __iter__(self):
        return iter((f.name, getattr(self, f.name)) for f in fields(self))


def frames(m: DebateMap) -> Frames:
    """The map's DataFrames (module docstring)."""
    try:
        import pandas as pd
    except ModuleNotFoundError as err:
        raise NotInstalled("pandas", "frames", "DebateMap.frames()") from err
    from .export import source_title
    from .map.build import hypotheses_of
    from .map.keypoints import signed_score

    title = {s.id: source_title(s) for s in m.sources}
    statement = {h.id: h.statement for h in hypotheses_of(m)}
    claims = {c.id: c for c in m.claims}
    texts = {s.id: s.text for s in m.sources}

    def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=columns)

    sources = frame([{"source_id": s.id, "title": title[s.id], "path": s.path, "outlet": s.outlet, "author": s.author,
                      "published": s.published, "url": s.url, "words": len(s.text.split()),
                      "duplicate_of": ", ".join(d.source_id for d in s.duplicates) or None} for s in m.sources],
                    ["source_id", "title", "path", "outlet", "author", "published", "url", "words", "duplicate_of"])
    claim_rows = frame([{"claim_id": c.id, "source_id": c.source_id, "source": title.get(c.source_id), "start": c.start,
                         "end": c.end, "text": c.text, "score": c.score} for c in m.claims],
                       ["claim_id", "source_id", "source", "start", "end", "text", "score"])
    claim_stances, positions = [], []
    for st in m.stances:
        base = {"hypothesis_id": st.hypothesis_id, "hypothesis": statement.get(st.hypothesis_id), "label": st.label,
                "score": st.score, "signed_score": signed_score(st), "set_by": "analyst" if st.analyst
                else "machine", "machine_label": st.machine_label}
        if st.target == "claim" and st.target_id in claims:
            c = claims[st.target_id]
            claim_stances.append({"claim_id": c.id, "source_id": c.source_id, "source": title.get(c.source_id),
                                  "text": c.text, **base})
        elif st.target == "source":
            text = texts.get(st.target_id, "")
            evidence = " … ".join(text[p.start:p.end] for p in st.evidence)
            positions.append({"source_id": st.target_id, "source": title.get(st.target_id), **base,
                              "evidence": evidence or None, "note": st.note})
    stance_cols = ["hypothesis_id", "hypothesis", "label", "score", "signed_score", "set_by", "machine_label"]
    quotes = frame([{"quote_id": q.id, "source_id": q.source_id, "source": title.get(q.source_id), "speaker": q.speaker,
                     "speaker_type": q.speaker_type, "speaker_role": q.speaker_role, "text": q.text, "direct": q.direct,
                     "cue": q.cue, "start": q.start, "end": q.end} for q in m.quotes],
                   ["quote_id", "source_id", "source", "speaker", "speaker_type", "speaker_role", "text", "direct", "cue",
                    "start", "end"])
    events = frame([{"event_id": e.id, "source_id": e.source_id, "source": title.get(e.source_id), "date": e.date,
                     "date_text": e.date_text, "anchor": e.anchor, "description": e.description, "start": e.start,
                     "end": e.end} for e in m.events],
                   ["event_id", "source_id", "source", "date", "date_text", "anchor", "description", "start", "end"])
    key_points = frame([{"key_point_id": kp.id, "label": kp.label, "sources": len(kp.source_ids), "claim_id": cid,
                         "source_id": claims[cid].source_id, "source": title.get(claims[cid].source_id),
                         "text": claims[cid].text} for kp in m.key_points for cid in kp.claim_ids if cid in claims],
                       ["key_point_id", "label", "sources", "claim_id", "source_id", "source", "text"])
    cruxes = frame([{"crux_id": c.id, "statement": c.statement, "kind": c.kind, "hypothesis_id": c.hypothesis_id,
                     "score": c.score, "side": side, "source_id": sid, "source": title.get(sid)}
                    for c in m.cruxes for side, members in c.sides.items() for sid in members],
                   ["crux_id", "statement", "kind", "hypothesis_id", "score", "side", "source_id", "source"])
    return Frames(
        sources=sources, claims=claim_rows,
        claim_stances=frame(claim_stances, ["claim_id", "source_id", "source", "text", *stance_cols]),
        positions=frame(positions, ["source_id", "source", *stance_cols, "evidence", "note"]),
        quotes=quotes, events=events, key_points=key_points, cruxes=cruxes)
