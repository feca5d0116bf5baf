"""The place of an extracted event, as stored and exported (``event_record``'s ``place``).

The choice itself is :func:`newsgraph.geo.event_place` (over the document's resolved place
mentions); this module hands it the event's sentence, trigger and the place its phrase names, and
writes the answer with ``how`` it was found and the ``reason``.
"""
from __future__ import annotations

from newsgraph.geo import event_place
from newsgraph.geo.resources import agency_names

PLACE_KEYS = ("name", "geonames_id", "lat", "lon", "country_code", "admin1", "feature", "precision")


def place_of_event(event, text: str, resolutions, gazetteer=None) -> dict | None:
    """The event's place as a plain dict (mention, span, gazetteer fields, how, reason), or None."""
    arg = event.place or None
    argument = (arg["start"], arg["end"]) if arg and arg.get("start") is not None else None
    found, how = event_place((event.sentence_start, event.sentence_end), resolutions, text,
                             trigger=(event.trigger_start, event.trigger_end), argument=argument,
                             gazetteer=gazetteer, relation=(arg or {}).get("relation"))
    if found is None or found.place is None:
        if not arg or (arg.get("text") or "").strip() in agency_names():
            return None
        return {"name": arg.get("canonical") or arg.get("text"), "mention": arg.get("text"), "start": arg.get("start"),
                "end": arg.get("end"), "resolved": False, "how": "argument",
                "reason": "the event's phrase names this place; the gazetteer does not know it"}
    return {"mention": found.mention.text, "start": found.mention.start, "end": found.mention.end,
            **{k: getattr(found.place, k) for k in PLACE_KEYS}, "how": how, "reason": found.reason}
