"""The report's long lists (sources, quotes, dated events) as rows of data the page draws a page at a time.

In a 200-article report these three lists were 4.4 of its 5 MB of HTML, and parsing that HTML
was most of the page's load time. Here each becomes rows of plain values, embedded once in a
``<script type="application/json">`` block (``script_safe_json``); ``lists.js`` builds the first
page of each with DOM calls (article text only ever as text nodes), more on request, any row a
link or a filter reaches, and every row for printing. Every report takes this one path, small or large.
"""

from __future__ import annotations

from .sourcetext import Run
from .timeline import LABEL_W, LANE_H, TOP, Timeline

#: rows (and timeline lanes) drawn before the reader asks for more
PAGE_ROWS = 50


def truncate(text: str, limit: int) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis (Jinja's ``truncate``, for data)."""
    if len(text) <= limit + 5:  # Jinja's leeway
        return text
    return text[: limit - 3].rsplit(" ", 1)[0] + "..."


class Table:
    """Values that many rows repeat (a run's classes and hover title, a source's name), each stored once;
    rows carry their index."""

    def __init__(self, *first) -> None:
        self.values: list = []
        self._index: dict = {}
        for value in first:
            self.of(value)

    def of(self, value) -> int:
        key = tuple(value) if isinstance(value, list) else value
        if key not in self._index:
            self._index[key] = len(self.values)
            self.values.append(value)
        return self._index[key]


def _runs(runs: list[Run], styles: Table) -> list[list]:
    """[style, text] per run; the texts concatenate to the source's cleaned text. (The pieces, not offsets
    into one string: Python counts code points, JavaScript UTF-16 units.)"""
    return [[styles.of([run.classes, run.title]), run.text] for run in runs]


def _chips(stances: list[dict]) -> list[dict]:
    return [{"hyp": s["hyp"], "label": s["label"], "score": round(s["score"], 2), "analyst": bool(s.get("analyst"))}
            for s in stances[:3]]


def source_rows(sources: list[dict], styles: Table) -> list[dict]:
    rows = []
    for s in sources:
        rows.append({
            "anchor": s["anchor"], "name": s["name"], "byline": s["byline"], "url": s["url"],
            "raw_url": None if s["url"] else s["raw_url"], "path": s["path"], "words": s["words"],
            "claims": s["n_claims"], "quotes": s["n_quotes"], "events": s["n_events"], "dups": s["duplicates"],
            "runs": _runs(s["runs"], styles), "f": s["filter"],
            "removed": [{"reason": r.reason, "start": r.start, "end": r.end, "text": truncate(r.text, 400)}
                        for r in s["removed"]],
        })
    return rows


def quote_rows(groups: list[dict], names: Table) -> dict:
    """Speakers (the group headings) and their quotes in order, each quote naming its group."""
    heads, rows = [], []
    for g in groups:
        heads.append({"speaker": g["speaker"], "type": g["type"], "roles": g["roles"], "n": len(g["quotes"]),
                      "sources": g["sources"]})
        rows += [{"g": len(heads) - 1, "text": q["text"], "href": q["href"], "direct": q["direct"], "cue": q["cue"],
                  "source": names.of(q["source"]), "f": q["filter"]} for q in g["quotes"]]
    return {"groups": heads, "rows": rows}


def event_rows(timeline: Timeline, names: Table) -> dict:
    """Every event (dated first, in time order) for the list; the dated ones also carry their chart marker."""
    rows = []
    for m in timeline.markers + timeline.undated:
        row = {"date": m["date"], "how": m["how"], "href": m["href"], "text": m["date_text"],
               "desc": m["description"], "source": names.of(m["source"]), "side": m["side"], "serves": _chips(m["serves"]),
               "f": m["filter"]}
        if "lane" in m:
            row["mk"] = {"lane": m["lane"], "x": m["x"], "w": m["w"], "cx": m["cx"], "point": m["point"],
                         "label": m["label"], "lx": m["label_x"]}
        rows.append(row)
    chart = None
    if timeline.markers:
        chart = {"width": timeline.width, "top": TOP, "lane_h": LANE_H, "label_w": LABEL_W,
                 "lanes": [{"label": lane["label"], "full": lane["full"], "f": lane["filter"]}
                           for lane in timeline.lanes],
                 "ticks": timeline.ticks}
    return {"rows": rows, "chart": chart}


def list_data(views: dict) -> dict:
    """The JSON the page's list script reads (embedded with ``script_safe_json``)."""
    styles, names = Table(["", ""]), Table()  # style 0: plain text
    return {"page": PAGE_ROWS, "sources": source_rows(views["sources"], styles),
            "quotes": quote_rows(views["quotes"], names), "events": event_rows(views["timeline"], names),
            "styles": styles.values, "names": names.values}
