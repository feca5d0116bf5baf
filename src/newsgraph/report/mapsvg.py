"""The report's map: one inline SVG drawn here, no tiles or scripts needed.

Country outlines come from ``newsgraph.geo.outlines``; every event with coordinates is one
``<circle class="event">`` (solid for a town-level place or finer, hollow and larger for the
centre of a province, region or country) and every movement leg with two or more located
points one ``<polyline class="leg">`` (faint when one end is only a province, region or country). All points are projected into one plane covering them
all; the SVG's viewBox first frames the "main area" (the town-level points near their median
point) and the report's script can widen it to every point. Text (place names, people) is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from newsgraph.geo.outlines import bbox_of, country_outlines, project
from newsgraph.report.fallback import type_label
from newsgraph.report.gather import labels

WIDTH, HEIGHT = 960, 540
TOLERANCES = (0.02, 0.05, 0.1, 0.2, 0.5)


@dataclass
class MapResult:
    svg: str
    circles: int
    legs: int
    off_frame: list[dict]          # events whose point lies outside the main area
    types: list[str]               # event types drawn, for the legend


def _point(place: dict | None) -> tuple[float, float] | None:
    if not place or place.get("lat") is None or place.get("lon") is None:
        return None
    return (float(place["lon"]), float(place["lat"]))


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def event_points(events: list[dict]) -> list[tuple[dict, tuple[float, float]]]:
    return [(ev, p) for ev in events if (p := _point(ev.get("place")))]


def leg_lines(movements: list[dict]) -> list[tuple[dict, dict, list[tuple[float, float]]]]:
    lines = []
    for mov in movements:
        for leg in mov.get("legs") or []:
            stops = [leg.get("from"), *(leg.get("via") or []), leg.get("to")]
            points = [p for p in map(_point, stops) if p]
            if len(points) >= 2:
                lines.append((mov, leg, points))
    return lines


def main_area(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points within ``[map] core_radius`` degrees of their median point (all when that leaves none)."""
    if not points:
        return points
    radius = labels()["map"]["core_radius"]
    lon = sorted(p[0] for p in points)[len(points) // 2]
    lat = sorted(p[1] for p in points)[len(points) // 2]
    near = [p for p in points if abs(p[0] - lon) <= radius and abs(p[1] - lat) <= radius]
    return near or points


def _intersects(ring: list[list[float]], box) -> bool:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs) <= box[2] and max(xs) >= box[0] and min(ys) <= box[3] and max(ys) >= box[1]


def draw_map(events: list[dict], movements: list[dict], cite_text) -> MapResult:
    """The map SVG; ``cite_text(document_ids)`` gives the "[1][3]" text put in each tooltip."""
    words = labels()
    colours, fine = words["event_colours"], set(words["place_precision"]["fine"])
    points = event_points(events)
    lines = leg_lines(movements)
    everything = [p for _, p in points] + [p for *_, pts in lines for p in pts]
    core = bbox_of(main_area([p for ev, p in points if ev["place"].get("precision") in fine] or everything),
                   pad=1.5, min_span=4.0)
    full = bbox_of(everything + [(core[0], core[1]), (core[2], core[3])], pad=1.0, min_span=4.0)
    scale = min(WIDTH / (core[2] - core[0]), HEIGHT / (core[3] - core[1]))
    plane_w, plane_h = (full[2] - full[0]) * scale, (full[3] - full[1]) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return project(lon, lat, full, plane_w, plane_h)

    view_core = _frame(xy(core[0], core[3]), xy(core[2], core[1]))
    view_full = _frame((0.0, 0.0), (plane_w, plane_h))
    tolerance = next((t for t in TOLERANCES if t * scale >= 1.0), TOLERANCES[-1])
    margin = (full[0] - 2, full[1] - 2, full[2] + 2, full[3] + 2)

    out = [f'<svg id="map" class="map" viewBox="{view_core}" '
           f'data-view-core="{view_core}" data-view-full="{view_full}" role="img" aria-labelledby="map-title">',
           '<title id="map-title">Map of events and movements</title>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>',
           f'<rect class="sea" x="{_num(-plane_w)}" y="{_num(-plane_h)}" width="{_num(plane_w * 3)}" height="{_num(plane_h * 3)}"/>',
           '<g class="countries">']
    for country in country_outlines(tolerance):
        rings = [r for r in country["polygons"] if len(r) >= 2 and _intersects(r, margin)]
        if not rings:
            continue
        d = " ".join("M" + " L".join(f"{_num(x)},{_num(y)}" for x, y in (xy(*p) for p in ring)) + " Z" for ring in rings)
        out.append(f'<path class="country" d="{d}"><title>{escape(country["name"])}</title></path>')
    out.append('</g><g class="legs">')
    for mov, leg, pts in lines:
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in (xy(*p) for p in pts))
        names = " → ".join((s or {}).get("name") or "?" for s in [leg.get("from"), *(leg.get("via") or []), leg.get("to")]
                           if _point(s))
        date = (leg.get("date") or {}).get("text") or ""
        person = mov.get("name") or (mov.get("person") or {}).get("text") or "someone"
        docs = [e.get("document_id") for e in [leg.get("evidence") or {}] + (mov.get("evidence") or []) if e.get("document_id")]
        tip = f"{person}: {names}" + (f", {date}" if date else "") + (f" ({leg['means']})" if leg.get("means") else "")
        tip += f" {cite_text(list(dict.fromkeys(docs)))}"
        stops = [st for st in [leg.get("from"), *(leg.get("via") or []), leg.get("to")] if _point(st)]
        kind = "fine" if all(st.get("precision") in fine for st in stops) else "coarse"
        out.append(f'<polyline class="leg {kind}" points="{coords}" marker-end="url(#arrow)">'
                   f'<title>{escape(tip.strip())}</title></polyline>')
    out.append('</g><g class="events">')
    off_frame, types = [], []
    x0, y0, w0, h0 = (float(v) for v in view_core.split())
    for ev, (lon, lat) in points:
        x, y = xy(lon, lat)
        place = ev["place"]
        is_fine = place.get("precision") in fine
        colour = colours.get(ev["type"], colours["other"])
        if ev["type"] not in types:
            types.append(ev["type"])
        date = (ev.get("date") or {}).get("start")
        tip = (f"{type_label(ev['type'])} · {place.get('name')} ({place.get('precision') or 'precision unknown'})"
               f" · {date or 'undated'} · {cite_text(ev['documents'])}")
        kind = "fine" if is_fine else "coarse"
        style = f'fill="{colour}"' if is_fine else f'fill="none" stroke="{colour}"'
        out.append(f'<circle class="event {kind}" data-type="{escape(ev["type"])}" cx="{_num(x)}" cy="{_num(y)}" '
                   f'r="{5 if is_fine else 9}" {style}><title>{escape(tip)}</title></circle>')
        if not (x0 <= x <= x0 + w0 and y0 <= y <= y0 + h0):
            off_frame.append(ev)
    out.append('</g><g class="places">')
    out.extend(_labels(points, fine, xy, scale_px=w0 / WIDTH))
    out.append("</g></svg>")
    return MapResult(svg="\n".join(out), circles=len(points), legs=len(lines), off_frame=off_frame, types=sorted(types))


def _labels(points, fine: set[str], xy, scale_px: float) -> list[str]:
    """Names of the town-level places, the most eventful first, skipping a label that would
    overlap one already placed (sizes in plane units for an 11 px font at the first frame)."""
    counts: dict[str, list] = {}
    for ev, (lon, lat) in points:
        name = ev["place"].get("name")
        if ev["place"].get("precision") in fine and name:
            counts.setdefault(name, [0, lon, lat])[0] += 1
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for name, (_, lon, lat) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0])):
        x, y = xy(lon, lat)
        box = (x + 7 * scale_px, y - 16 * scale_px, x + (7 + 6.5 * len(name)) * scale_px, y - 3 * scale_px)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        out.append(f'<text class="place" x="{_num(x + 7 * scale_px)}" y="{_num(y - 6 * scale_px)}" '
                   f'font-size="{_num(11 * scale_px)}">{escape(name)}</text>')
    return out


def _frame(top_left: tuple[float, float], bottom_right: tuple[float, float]) -> str:
    """A viewBox around the two corners, widened to the map's aspect ratio."""
    (xa, ya), (xb, yb) = top_left, bottom_right
    w, h = max(xb - xa, 1.0), max(yb - ya, 1.0)
    if w / h < WIDTH / HEIGHT:
        grow = h * WIDTH / HEIGHT - w
        xa, w = xa - grow / 2, w + grow
    else:
        grow = w * HEIGHT / WIDTH - h
        ya, h = ya - grow / 2, h + grow
    return f"{_num(xa)} {_num(ya)} {_num(w)} {_num(h)}"
