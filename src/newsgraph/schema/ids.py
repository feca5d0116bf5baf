"""Every record id of newsgraph comes from here: content-derived, stable across rebuilds."""
from __future__ import annotations

import hashlib


def record_id(*parts: object) -> str:
    """A 16-hex-digit id from the parts that make a record what it is."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def entity_key(mention: dict) -> tuple[str, str]:
    """Mentions with the same type and canonical name (or alias id, or place id) are one entity."""
    place = mention.get("place") or {}
    if mention["label"] == "PLACE" and place.get("resolved"):
        return "PLACE", "geo:" + place["geonames_id"]
    name = mention.get("alias_id") or mention.get("canonical") or mention["text"]
    return mention["label"], " ".join(name.casefold().split())


def entity_id(mention: dict) -> str:
    """The id of the document-level entity a mention belongs to."""
    return "ent-" + record_id(*entity_key(mention))
