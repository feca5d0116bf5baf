"""Country outlines for offline maps, from the geoJSON shipped with the ``countryinfo`` package.

``country_outlines(tolerance)`` returns one dict per country::

    {"iso2": "SY", "name": "Syria", "polygons": [[[lon, lat], ...], ...]}

Each polygon is an outer ring (holes are dropped), simplified with Douglas-Peucker at ``tolerance``
degrees, coordinates rounded to 3 decimals. Rings that simplify to fewer than 3 distinct points are
dropped, except that every country keeps its largest ring so small states still show.
Results are cached per tolerance.

``project(lon, lat, bbox, width, height)`` maps a point to SVG pixels with an equirectangular
projection that keeps the aspect ratio of ``bbox`` (``(min_lon, min_lat, max_lon, max_lat)``) and
centres it in the ``width`` x ``height`` box; y grows downwards.
"""

from __future__ import annotations

import functools
import glob
import json
from importlib import resources
from pathlib import Path

from newsgraph.geo.build import countryinfo_value

Point = tuple[float, float]
BBox = tuple[float, float, float, float]


def _data_dir() -> Path | None:
    try:
        return Path(str(resources.files("countryinfo"))) / "data"
    except ModuleNotFoundError:
        return None


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon geometry."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coords[0]] if coords else []
    if kind == "MultiPolygon":
        return [poly[0] for poly in coords if poly]
    return []


def _perp_distance(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker simplification (iterative, keeps both end points)."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perp_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def _area(ring: list[Point]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def _simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    points = [(float(p[0]), float(p[1])) for p in ring]
    if len(points) > 3 and points[0] == points[-1]:
        # split the closed ring in two halves so the end points of each run are far apart
        half = len(points) // 2
        simple = simplify(points[: half + 1], tolerance)[:-1] + simplify(points[half:], tolerance)
    else:
        simple = simplify(points, tolerance)
    out: list[list[float]] = []
    for x, y in simple:
        q = [round(x, 3), round(y, 3)]
        if not out or out[-1] != q:
            out.append(q)
    return out


@functools.lru_cache(maxsize=8)
def _outlines(tolerance: float) -> tuple[dict, ...]:
    directory = _data_dir()
    if directory is None:
        return ()
    result: dict[str, dict] = {}
    for path in sorted(glob.glob(str(directory / "*.json"))):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        iso = countryinfo_value(data.get("ISO")) or {}
        iso2 = iso.get("alpha2") if isinstance(iso, dict) else None
        geo = countryinfo_value(data.get("geoJSON")) or {}
        if not iso2 or not isinstance(geo, dict) or iso2 in result:
            continue
        rings = [ring for feature in geo.get("features") or [] for ring in _rings(feature.get("geometry") or {})]
        if not rings:
            continue
        simple = [_simplify_ring(ring, tolerance) for ring in rings]
        largest = max(range(len(rings)), key=lambda i: _area([tuple(p) for p in rings[i]]))
        polygons = [ring for i, ring in enumerate(simple)
                    if len({tuple(p) for p in ring}) >= 3 or (i == largest and len(ring) >= 2)]
        result[iso2] = {"iso2": iso2, "name": data.get("name") or iso2, "polygons": polygons}
    return tuple(result[k] for k in sorted(result))


def country_outlines(tolerance: float = 0.1) -> list[dict]:
    """Every country with a shipped outline, sorted by ISO code; see the module docstring."""
    return [dict(o, polygons=[[list(p) for p in ring] for ring in o["polygons"]])
            for o in _outlines(float(tolerance))]


def bbox_of(points: list[Point], pad: float = 0.5, min_span: float = 2.0) -> BBox:
    """(min_lon, min_lat, max_lon, max_lat) around ``points`` (lon, lat), padded by ``pad`` degrees
    and widened to at least ``min_span`` degrees each way; the whole world when there are none."""
    if not points:
        return (-180.0, -90.0, 180.0, 90.0)
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    box = [min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad]
    for lo, hi in ((0, 2), (1, 3)):
        short = min_span - (box[hi] - box[lo])
        if short > 0:
            box[lo] -= short / 2
            box[hi] += short / 2
    return (max(box[0], -180.0), max(box[1], -90.0), min(box[2], 180.0), min(box[3], 90.0))


def project(lon: float, lat: float, bbox: BBox, width: float, height: float) -> tuple[float, float]:
    """Equirectangular projection of (lon, lat) into a width x height box showing ``bbox``
    (aspect ratio kept, content centred, y downwards); returns (x, y) rounded to 0.1 px."""
    min_lon, min_lat, max_lon, max_lat = bbox
    span_x = max(max_lon - min_lon, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = min(width / span_x, height / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    return (round(off_x + (lon - min_lon) * scale, 1), round(off_y + (max_lat - lat) * scale, 1))
