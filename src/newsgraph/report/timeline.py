"""The report's timeline: one inline SVG of the dated events, a lane per event type.

Each event is a bar from the first to the last day its date can mean (a day is a thin bar, "early
September 2017" spans 1-10 September, "2015" the whole year), so the bar's length shows the date's
precision. Bars that overlap in a lane go on separate rows. Text is escaped.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape

from newsgraph.report.fallback import type_label
from newsgraph.report.gather import labels

WIDTH = 960
LEFT, RIGHT, TOP, AXIS = 130, 16, 8, 26
BAR, PITCH, LANE_GAP = 8, 11, 8


@dataclass
class TimelineResult:
    svg: str
    bars: int
    undated: int


def parse_day(value: str | None) -> dt.date | None:
    """A date from ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (the first day it can mean)."""
    if not value:
        return None
    parts = str(value)[:10].split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def interval(date: dict | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of an event date (end inclusive), from its start, end and precision."""
    start = parse_day((date or {}).get("start"))
    if start is None:
        return None
    end = parse_day(date.get("end"))
    if end is None or end < start:
        days = labels()["precision_days"].get(date.get("precision") or "day", 1)
        end = start + dt.timedelta(days=days - 1)
    return start, end


def _ticks(t0: dt.date, t1: dt.date) -> list[tuple[dt.date, str]]:
    span = (t1 - t0).days
    if span > 3 * 365:
        return [(dt.date(y, 1, 1), str(y)) for y in range(t0.year + (t0 > dt.date(t0.year, 1, 1)), t1.year + 1)]
    months = []
    y, m = t0.year, t0.month
    while dt.date(y, m, 1) <= t1:
        if dt.date(y, m, 1) >= t0:
            months.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    step = max(1, -(-len(months) // 12))
    if months:
        return [(d, d.strftime("%Y-%m")) for d in months[::step]]
    return [(t0, t0.isoformat()), (t1, t1.isoformat())]


def draw_timeline(events: list[dict], cite_text) -> TimelineResult:
    colours = labels()["event_colours"]
    dated = [(ev, span) for ev in events if (span := interval(ev.get("date")))]
    if not dated:
        return TimelineResult(svg="", bars=0, undated=len(events))
    t0 = min(s for _, (s, _) in dated)
    t1 = max(e for _, (_, e) in dated) + dt.timedelta(days=1)
    pad = dt.timedelta(days=max(1, (t1 - t0).days // 40))
    t0, t1 = t0 - pad, t1 + pad
    plot = WIDTH - LEFT - RIGHT
    total = max((t1 - t0).days, 1)

    def x_of(day: dt.date) -> float:
        return LEFT + (day - t0).days / total * plot

    lanes: dict[str, list[list[float]]] = {}
    placed = []
    for ev, (start, end) in sorted(dated, key=lambda item: (type_label(item[0]["type"]), item[1], item[0]["id"])):
        x = x_of(start)
        w = max(3.0, x_of(end + dt.timedelta(days=1)) - x)
        rows = lanes.setdefault(ev["type"], [])
        row = next((i for i, last in enumerate(rows) if last[0] + 2 <= x), None)
        if row is None:
            rows.append([0.0])
            row = len(rows) - 1
        rows[row][0] = x + w
        placed.append((ev, start, end, x, w, row))
    lane_top, y = {}, TOP
    for kind in sorted(lanes, key=type_label):
        lane_top[kind] = y
        y += len(lanes[kind]) * PITCH + LANE_GAP
    height = y + AXIS
    out = [f'<svg id="timeline" class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="timeline-title">',
           '<title id="timeline-title">Timeline of dated events</title>', '<g class="lanes">']
    for kind, top in lane_top.items():
        rows = len(lanes[kind])
        out.append(f'<rect class="lane" x="{LEFT}" y="{top - 2}" width="{plot}" height="{rows * PITCH + 2}"/>')
        out.append(f'<text class="lane-label" x="{LEFT - 6}" y="{top + BAR}" text-anchor="end">{escape(type_label(kind))}</text>')
    out.append('</g><g class="ticks">')
    for day, label in _ticks(t0, t1):
        x = x_of(day)
        out.append(f'<line class="tick" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{height - AXIS + 4}"/>'
                   f'<text class="tick-label" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    out.append('</g><g class="bars">')
    for ev, start, end, x, w, row in placed:
        date = ev["date"]
        when = start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
        place = (ev.get("place") or {}).get("name") or "no place"
        tip = f"{type_label(ev['type'])} · {when} ({date.get('precision') or 'precision unknown'}) · {place} · {cite_text(ev['documents'])}"
        precision = re.sub(r"[^a-z0-9_-]", "", str(date.get("precision") or "unknown").lower()) or "unknown"
        out.append(f'<rect class="bar prec-{precision}" data-type="{escape(ev["type"])}" x="{x:.1f}" '
                   f'y="{lane_top[ev["type"]] + row * PITCH}" width="{w:.1f}" height="{BAR}" '
                   f'fill="{colours.get(ev["type"], colours["other"])}"><title>{escape(tip)}</title></rect>')
    out.append("</g></svg>")
    return TimelineResult(svg="\n".join(out), bars=len(placed), undated=len(events) - len(placed))
