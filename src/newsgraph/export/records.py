"""Per-document records as JSON Lines: documents, entities, places, events, movements."""
from __future__ import annotations

import json
from typing import IO

from newsgraph.store.protocol import Store


def _documents_jsonl(store: Store, fh: IO[str]) -> int:
    n = 0
    for doc in store.iter_documents():
        doc.pop("offset_map", None)
        fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
        n += 1
    return n


def jsonl(records, fh: IO[str]) -> int:
    n = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def _entities_jsonl(store: Store, fh: IO[str]) -> int:
    return jsonl(store.iter_entities(), fh)


PLACE_FIELDS = ("name", "geonames_id", "lat", "lon", "country_code", "admin1", "feature", "precision")


def _places_jsonl(store: Store, fh: IO[str]) -> int:
    """Resolved places with their mentions, then the place mentions left unresolved."""
    places: dict[str, dict] = {}
    unresolved: dict[str, dict] = {}
    for m in store.iter_mentions():
        place = m.get("place")
        if not place:
            continue
        mention = {"document_id": m["document_id"], "text": m["text"], "start": m["start"], "end": m["end"],
                   "role": place.get("role")}
        if place.get("resolved"):
            entry = places.setdefault(place["geonames_id"], {**{k: place[k] for k in PLACE_FIELDS},
                                                             "resolved": True, "mentions": []})
        else:
            key = " ".join(m["text"].casefold().split())
            entry = unresolved.setdefault(key, {"name": m["text"], "resolved": False,
                                                "reason": place.get("reason"), "mentions": []})
        entry["mentions"].append(mention)
    ordered = sorted(places.values(), key=lambda p: (-len(p["mentions"]), p["name"]))
    return jsonl(ordered + sorted(unresolved.values(), key=lambda p: p["name"]), fh)


def _events_jsonl(store: Store, fh: IO[str]) -> int:
    from newsgraph.export._kb import KnowledgeBase

    kb = KnowledgeBase(store)
    return jsonl((kb.resolved(e) for e in store.iter_records("events")), fh)


EXPORTS = {
    "documents": {"jsonl": _documents_jsonl},
    "entities": {"jsonl": _entities_jsonl},
    "places": {"jsonl": _places_jsonl},
    "events": {"jsonl": lambda store, fh: _events_jsonl(store, fh)},
    "movements": {"jsonl": lambda store, fh: jsonl(store.iter_records("movements"), fh)},
}
