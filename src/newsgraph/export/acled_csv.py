"""Events as CSV in ACLED-like columns, plus newsgraph's ids (docs/exports.md, "events (csv)").

One row per per-document event, in document and text order. ACLED's codes are derived from our
precisions by the tables below; ``event_type``/``sub_event_type`` come from the ontology's ACLED
mapping (data/ontology.toml) and stay empty for types ACLED does not code.
"""
from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import IO

from newsgraph.export._kb import KnowledgeBase, first_evidence, interval, point, sentence

COLUMNS = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
    "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
    "newsgraph_event_id", "document_id", "merged_event_id", "story_id", "newsgraph_event_type", "factuality",
    "date_start", "date_end", "date_precision", "place_precision", "geonames_id",
)

# ACLED time_precision: 1 the day is known, 2 a week (or a few days), 3 a month or coarser.
TIME_PRECISION = {"day": 1, "week": 2}
# ACLED geo_precision: 1 the town or a point in it, 2 near a town / a district, 3 a region or coarser.
GEO_PRECISION = {"point": 1, "facility": 1, "town": 1, "city": 1, "district": 2}
# A day-precision interval spanning at most this many days is coded as a week (2).
WEEK_DAYS = 7


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def time_precision(start: str | None, end: str | None, precision: str | None) -> int | None:
    if not start or not precision:
        return None
    code = TIME_PRECISION.get(precision, 3)
    first, last = _day(start), _day(end)
    if code == 1 and first and last and last != first:
        code = 2 if (last - first).days <= WEEK_DAYS else 3
    return code


def event_date(start: str | None, end: str | None) -> str:
    """ACLED codes an event known only to a period at the period's middle day."""
    first, last = _day(start), _day(end) or _day(start)
    if first is None:
        return start or ""
    return (first + timedelta(days=(last - first).days // 2)).isoformat()


def acled_types(mappings: dict | None) -> tuple[str, str]:
    """("Strategic developments", "Arrests") from the ontology's first ACLED code of the type."""
    codes = (mappings or {}).get("acled") or []
    if not codes:
        return "", ""
    event_type, _, sub = codes[0].partition("/")
    return event_type, sub


def _fatalities(quantity: dict | None) -> str:
    if not quantity:
        return ""
    value = quantity.get("best") if quantity.get("best") is not None else quantity.get("low")
    return "" if value is None else str(int(value))


def event_row(event: dict, kb: KnowledgeBase) -> dict:
    evidence = first_evidence(event)
    doc_id = evidence.get("document_id")
    start, end, precision = interval(event.get("date"))
    actors: dict[str, list[str]] = {"agent": [], "patient": []}
    for p in event.get("participants") or ():
        if p.get("role") in actors:
            name = kb.name(kb.participant_entity(doc_id, p), p.get("name"))
            if name and name not in actors[p["role"]]:
                actors[p["role"]].append(name)
    place = event.get("place") or {}
    coords = point(place)
    event_type, sub_event_type = acled_types(event.get("mappings"))
    merged_id, story_id = kb.merged_ids(event["id"])
    tp = time_precision(start, end, precision)
    return {
        "event_date": event_date(start, end),
        "time_precision": "" if tp is None else tp,
        "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": "; ".join(actors["agent"]), "actor2": "; ".join(actors["patient"]),
        "country": kb.country_name(place.get("country_code")) if coords else "",
        "admin1": kb.admin1_name(place.get("admin1")) if coords else "",
        "location": place.get("name") or "",
        "latitude": coords[1] if coords else "", "longitude": coords[0] if coords else "",
        "geo_precision": GEO_PRECISION.get(place.get("precision"), 3) if coords else "",
        "source": evidence.get("source") or "",
        "notes": sentence(evidence),
        "fatalities": _fatalities(event.get("fatalities")),
        "newsgraph_event_id": event["id"], "document_id": doc_id or "",
        "merged_event_id": merged_id or "", "story_id": story_id or "",
        "newsgraph_event_type": event.get("type") or "", "factuality": event.get("factuality") or "",
        "date_start": start or "", "date_end": end or "", "date_precision": precision or "",
        "place_precision": place.get("precision") or "", "geonames_id": place.get("geonames_id") or "",
    }


def events_csv(store, fh: IO[str]) -> int:
    kb = KnowledgeBase(store)
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in store.iter_records("events"):
        writer.writerow(event_row(event, kb))
        n += 1
    return n


EXPORTS = {"events": {"csv": events_csv}}
