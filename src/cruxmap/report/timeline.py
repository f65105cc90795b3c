"""Layout of the timeline: dated events on a time axis, one lane per source.

Computed in Python so the report needs no charting library. An event's date keeps the
precision the text gave: a day is a dot, a month or a year is a bar spanning it, a range
``A/B`` is a bar from A to B. Marker colour is the side of the strongest stance among the
claims in the event's sentence (support / oppose / none).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from ..nlp.date_values import date_interval
from ..nlp.events import resolved_how, timeline_date_words
from .index import MapIndex

WIDTH = 1000
LABEL_W = 230
LANE_H = 30
TOP = 34
MIN_BAR = 7.0

def _ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    span = hi - lo
    if span > 3:
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 12)
        first = int(lo) + (-int(lo)) % step
        return [(float(y), str(y)) for y in range(first, int(hi) + 1, step) if lo <= y <= hi]
    step = next(s for s in (1, 2, 3, 6, 12) if span * 12 / s <= 12)
    out = []
    month_index = int(lo * 12)
    while month_index / 12 <= hi:
        if month_index % step == 0 and month_index / 12 >= lo:
            year, month = divmod(month_index, 12)
            out.append((month_index / 12, f"{calendar.month_abbr[month + 1]} {year}"))
        month_index += 1
    return out


@dataclass
class Timeline:
    width: int
    height: int
    lanes: list[dict]
    ticks: list[dict]
    markers: list[dict]
    undated: list[dict]
    axis_y: int


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label_markers(markers: list[dict]) -> None:
    """Give each marker a short text label when there is room before the next marker in its lane."""
    by_lane: dict[int, list[dict]] = {}
    for m in markers:
        by_lane.setdefault(m["y"], []).append(m)
    for lane in by_lane.values():
        lane.sort(key=lambda m: m["x"])
        for m, nxt in zip(lane, [*lane[1:], None]):
            room = (nxt["x"] if nxt else WIDTH - 10) - (m["x"] + m["w"]) - 12
            chars = int(room / 6.3)
            serves = " ".join(("+" if s["label"] == "support" else "−") + s["hyp"] for s in m["serves"][:2])
            text = m["description"] or m["date_text"]
            if serves and chars >= 8 + len(serves):
                m["label"] = f"{_short(text, chars - len(serves) - 1)} {serves}"
            else:
                m["label"] = _short(text, chars) if chars >= 8 and text else ""
            m["label_x"] = round(m["x"] + m["w"] + 5, 1)


def build_timeline(index: MapIndex) -> Timeline:
    dated: list[tuple] = []
    undated: list[tuple] = []
    for e in index.debate_map.events:
        ev = index.evidence[e.id]
        item = index.evidence_item(ev)
        sides = index.related_sides(ev)
        item["side"] = sides[0]["label"] if sides else "none"
        item["date"] = timeline_date_words(e.date, e.date_text) if e.date else None  # a bound is no date: no place on the axis
        item["date_text"] = e.date_text
        item["description"] = e.description
        item["how"] = resolved_how(e.date, e.anchor, e.date_text)
        item["serves"] = sides
        span = date_interval(e.date)
        (dated if span else undated).append((span, item))
    if not dated:
        return Timeline(WIDTH, 0, [], [], [], [item for _, item in undated], 0)

    lo = min(s[0] for s, _ in dated)
    hi = max(s[1] for s, _ in dated)
    pad = max((hi - lo) * 0.03, 1 / 24)
    lo, hi = lo - pad, hi + pad
    plot_w = WIDTH - LABEL_W - 20

    def x(t: float) -> float:
        return round(LABEL_W + (t - lo) / (hi - lo) * plot_w, 1)

    lane_of: dict[str, int] = {}
    for source in index.debate_map.sources:
        if any(item["source_id"] == source.id for _, item in dated):
            lane_of[source.id] = len(lane_of)
    for _, item in dated:  # events whose source is missing from the map still get a lane
        lane_of.setdefault(item["source_id"], len(lane_of))
    lanes = [{"y": TOP + i * LANE_H + LANE_H // 2, "label": _short(index.source_name(sid)),
              "full": index.source_name(sid), "filter": index.filters(sources=[sid]),
              "band_y": TOP + i * LANE_H, "odd": i % 2 == 1} for sid, i in lane_of.items()]
    markers = []
    for (start, end), item in sorted(dated, key=lambda d: d[0]):
        x0, x1 = x(start), x(end)
        if x1 - x0 < MIN_BAR:
            mid = (x0 + x1) / 2
            x0, x1 = mid - MIN_BAR / 2, mid + MIN_BAR / 2
            item["point"] = end == start
        else:
            item["point"] = False
        item.update(x=round(x0, 1), w=round(x1 - x0, 1), cx=round((x0 + x1) / 2, 1), lane=lane_of[item["source_id"]],
                    y=TOP + lane_of[item["source_id"]] * LANE_H + LANE_H // 2)
        markers.append(item)
    _label_markers(markers)
    axis_y = TOP + len(lanes) * LANE_H + 4
    ticks = [{"x": x(t), "label": label} for t, label in _ticks(lo, hi)]
    return Timeline(WIDTH, axis_y + 26, lanes, ticks, markers, [item for _, item in undated], axis_y)
