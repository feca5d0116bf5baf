"""Geocoding of one document's place and nationality mentions (the ``ng_geocode`` step)."""
from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache

from newsgraph.geo import Gazetteer, resolve_mentions
from newsgraph.geo.recognize import place_mentions


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.open()


def place_dict(resolution) -> dict:
    if resolution.place is None:
        return {"resolved": False, "reason": resolution.reason, "role": resolution.role}
    return {"resolved": True, **asdict(resolution.place), "role": resolution.role,
            "score": resolution.score, "reason": resolution.reason}


def geocode(text: str, mentions: list[dict], context_hint: str | None = None) -> tuple[list[dict], list]:
    """Resolve the place and nationality mentions against the gazetteer. Places the entity layer
    missed (inside an organisation's name, datelines) are added as PLACE mentions."""
    spans = [(m["start"], m["end"], m["label"], m["sentence_start"], m["sentence_end"]) for m in mentions]
    places = place_mentions(text, spans, gazetteer=gazetteer())
    persons = [text[m["start"]:m["end"]] for m in mentions if m["label"] == "PERSON"]
    resolutions = resolve_mentions(places, text, gazetteer(), context_hint, persons=persons)
    by_span = {(m["start"], m["end"]): m for m in mentions}
    for r in resolutions:
        span = (r.mention.start, r.mention.end)
        mention = by_span.get(span)
        if mention is None:
            if r.place is None:
                continue
            mention = {"text": r.mention.text, "start": r.mention.start, "end": r.mention.end, "label": "PLACE",
                       "canonical": r.place.name, "alias_id": None, "sentence_start": r.mention.sentence_start,
                       "sentence_end": r.mention.sentence_end, "attributes": {}}
            by_span[span] = mention
        if mention["label"] in ("PLACE", "FACILITY"):
            mention["place"] = place_dict(r)
        elif mention["label"] == "NORP" and r.place is not None:
            mention["place_ref"] = place_dict(r)  # the country of a nationality
        # a person or organisation whose name is also a town stays what the entity layer found
    return sorted(by_span.values(), key=lambda m: (m["start"], m["end"])), resolutions
