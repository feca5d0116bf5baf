"""Entities across documents: mentions of all documents grouped into entities."""
from __future__ import annotations

from newsgraph.pipeline.extract import entity_key, record_id
from newsgraph.pipeline.stages import Stage


def build_entities(mentions: list[dict]) -> tuple[list[dict], dict[int, str]]:
    groups: dict[tuple[str, str], list[dict]] = {}
    for m in mentions:
        groups.setdefault(entity_key(m), []).append(m)
    entities, links = [], {}
    for (label, key), items in sorted(groups.items()):
        entity_id = "ent-" + record_id(label, key)
        names = [m.get("canonical") or m["text"] for m in items]
        name = max(set(names), key=lambda n: (names.count(n), len(n)))
        attributes: dict = {}
        for m in items:
            for k, v in (m.get("attributes") or {}).items():
                attributes.setdefault(k, v)
        place = next((m["place"] for m in items if (m.get("place") or {}).get("resolved")), None)
        if place:
            name = place["name"]
            attributes["place"] = {k: place[k] for k in ("name", "geonames_id", "lat", "lon", "country_code",
                                                       "admin1", "feature", "precision")}
        entities.append({
            "id": entity_id, "type": label, "name": name,
            "aliases": sorted({m["text"] for m in items} | {name}),
            "attributes": attributes, "mention_count": len(items),
            "documents": sorted({m["document_id"] for m in items}),
            "alias_id": next((m["alias_id"] for m in items if m.get("alias_id")), None),
        })
        for m in items:
            links[m["mention_id"]] = entity_id
    return entities, links


def run(store, advance) -> str:
    entities, links = build_entities(list(store.iter_mentions()))
    store.replace_entities(entities, links)
    return f"{len(entities)} entities"


STAGE = Stage("entities", run, order=10)
