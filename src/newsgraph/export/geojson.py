"""GeoJSON (RFC 7946): events as Points, movement legs as LineStrings, with their properties.

Coordinates are [longitude, latitude] (WGS 84). An event without a located place, or a leg with
fewer than two distinct located points, is left out: GeoJSON cannot draw it.
"""
from __future__ import annotations

import json
from typing import IO

from newsgraph.export._kb import ACTOR_ROLES, KnowledgeBase, first_evidence, interval, point, sentence


def _number(quantity: dict | None):
    """The best figure of a count ({low, best, high}), else its low bound; None when not stated."""
    if not quantity:
        return None
    value = quantity.get("best") if quantity.get("best") is not None else quantity.get("low")
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _write(fh: IO[str], features) -> int:
    """Stream a FeatureCollection, one feature per line."""
    fh.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for feature in features:
        fh.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        n += 1
    fh.write("\n]}\n")
    return n


def event_feature(event: dict, kb: KnowledgeBase) -> dict | None:
    place = event.get("place") or {}
    coords = point(place)
    if coords is None:
        return None
    evidence = first_evidence(event)
    doc_id = evidence.get("document_id")
    start, end, precision = interval(event.get("date"))
    merged_id, story_id = kb.merged_ids(event["id"])
    participants = []
    for p in event.get("participants") or ():
        entity_id = kb.participant_entity(doc_id, p)
        participants.append({"role": p.get("role"), "name": kb.name(entity_id, p.get("name")),
                             "text": p.get("text"), "entity_id": entity_id})
    count = event.get("count")
    return {
        "type": "Feature",
        "id": event["id"],
        "geometry": {"type": "Point", "coordinates": list(coords)},
        "properties": {
            "id": event["id"],
            "type": event.get("type"),
            "date_start": start, "date_end": end, "date_precision": precision,
            "place_name": place.get("name"),
            "geonames_id": place.get("geonames_id"),
            "country_code": place.get("country_code") or None,
            "precision": place.get("precision"),
            "participants": participants,
            "actors": "; ".join(p["name"] for p in participants if p["role"] in ACTOR_ROLES and p["name"]),
            "count": _number(count),
            "count_low": _number({"best": (count or {}).get("low")}),
            "count_high": _number({"best": (count or {}).get("high")}),
            "fatalities": _number(event.get("fatalities")),
            "factuality": event.get("factuality"),
            "source": evidence.get("source"),
            "document_id": doc_id,
            "sentence": sentence(evidence),
            "merged_event_id": merged_id,
            "story_id": story_id,
        },
    }


def events_geojson(store, fh: IO[str]) -> int:
    kb = KnowledgeBase(store)
    features = (event_feature(e, kb) for e in store.iter_records("events"))
    return _write(fh, (f for f in features if f is not None))


def leg_features(movement: dict, kb: KnowledgeBase):
    """One LineString per leg: from, the via points in order, to (the located ones)."""
    evidence_all = first_evidence(movement)
    person = movement.get("person") or {}
    for index, leg in enumerate(movement.get("legs") or ()):
        evidence = first_evidence(leg) or evidence_all
        doc_id = evidence.get("document_id")
        stops = [leg.get("from"), *(leg.get("via") or ()), leg.get("to")]
        coords = []
        for stop in stops:
            c = point(stop)
            if c is not None and (not coords or coords[-1] != list(c)):
                coords.append(list(c))
        if len({tuple(c) for c in coords}) < 2:
            continue
        start, end, precision = interval(leg.get("date"))
        person_id = kb.person_entity(doc_id, person)
        yield {
            "type": "Feature",
            "id": f"{movement['id']}/{index}",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {
                "movement_id": movement["id"],
                "leg_index": index,
                "person": kb.name(person_id, movement.get("name")),
                "person_entity_id": person_id,
                "from": (leg.get("from") or {}).get("name"),
                "to": (leg.get("to") or {}).get("name"),
                "via": [v.get("name") for v in leg.get("via") or ()],
                "date_start": start, "date_end": end, "date_precision": precision,
                "means": leg.get("means"),
                "kind": leg.get("kind"),
                "source": evidence.get("source"),
                "document_id": doc_id,
                "sentence": sentence(evidence),
            },
        }


def movements_geojson(store, fh: IO[str]) -> int:
    kb = KnowledgeBase(store)
    return _write(fh, (f for m in store.iter_records("movements") for f in leg_features(m, kb)))


EXPORTS = {
    "events": {"geojson": events_geojson},
    "movements": {"geojson": movements_geojson},
}
