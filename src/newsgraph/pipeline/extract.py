"""The per-document extraction stage.

``analyse`` is a pure function of one document's clean text and metadata plus read-only
resources (the spaCy model, alias tables, gazetteer): it can run on a process pool
unchanged. It returns plain dicts, ready for the store. The stage runs it on every document
not yet analysed with the current version, and stores each document's results in one
transaction; then it groups mentions into entities.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from functools import lru_cache
from datetime import date

from newsgraph import settings
from newsgraph.extraction.attribution import attribute_sentences
from newsgraph.extraction.claims import extract_claims
from newsgraph.extraction.events import extract_events
from newsgraph.extraction.movements import extract_movements
from newsgraph.extraction.events_lexicon import ontology
from newsgraph.extraction.entities import extract_entities
from newsgraph.extraction.nlp import load_nlp
from newsgraph.extraction.quantities import find_quantities
from newsgraph.extraction.times import find_times
from newsgraph.geo import Gazetteer, event_place, resolve_mentions
from newsgraph.geo.recognize import place_mentions
from newsgraph.pipeline.stages import Stage

VERSION = "extract-6"


def record_id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _published(doc: dict) -> date | None:
    value = (doc.get("published") or {}).get("value")
    if not value:
        return None
    year, *rest = (int(p) for p in value.split("-"))
    return date(year, *(rest + [1] * (2 - len(rest))))


def analyse(doc: dict, context_hint: str | None = None) -> dict:
    """Everything extraction finds in one document (an export-shaped document dict).

    ``context_hint``: the corpus's countries or places for the geocoder ("SY,TR"), else the
    document's own ``context_hint`` field, else the ``geo_context`` setting; default none."""
    text = doc["text"]
    language = doc.get("language")
    if language and language != "en":
        return {"notes": [f"language '{language}': not run through the English models"]}
    if not text.strip():
        return {"notes": ["no text to analyse"]}
    published = _published(doc)
    precision = (doc.get("published") or {}).get("precision") or "day"
    notes = [] if published else ["no publication date: relative dates stay unresolved"]
    limit = settings.get("max_analysed_chars")
    if len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        text = text[:cut if cut > 0 else limit]
        notes.append(f"article has {len(doc['text']):,} characters: only the first {len(text):,} were analysed "
                     "(set NEWSGRAPH_MAX_ANALYSED_CHARS to raise the limit)")
    spacy_doc = load_nlp()(text)
    if not any(token.is_alpha for token in spacy_doc):
        return {"notes": notes + ["no sentences found"]}
    entities = extract_entities(spacy_doc)
    times = find_times(text, published, precision)
    quantities = find_quantities(text)
    mentions = [asdict(m) for m in entities]
    hint = context_hint or doc.get("context_hint") or settings.get("geo_context") or None
    mentions, resolutions = geocode(text, mentions, context_hint=hint)
    places = {(m["start"], m["end"]): m["place"] for m in mentions if (m.get("place") or {}).get("resolved")}
    found_events = extract_events(spacy_doc, entities, times, quantities, published)
    events = [event_record(doc, e, text, places, resolutions) for e in found_events]
    movements = [movement_record(doc, mv, places) for mv in extract_movements(spacy_doc, entities, times, found_events)]
    attributions = attribute_sentences(spacy_doc, entities, doc.get("source"), doc.get("credited") or [])
    claims = [claim_record(doc, c) for c in extract_claims(spacy_doc, entities, times, quantities, attributions)]
    return {
        "mentions": mentions,
        "times": [asdict(t) for t in times],
        "quantities": [asdict(q) for q in quantities],
        "events": events,
        "movements": movements,
        "claims": claims,
        "notes": notes,
    }


def ontology_mappings(event_type: str) -> dict:
    """The event type's codes in PLOVER, CAMEO and ACLED (data/ontology.toml)."""
    t = ontology().types.get(event_type)
    return {"plover": list(t.plover), "cameo": list(t.cameo), "acled": list(t.acled)} if t else {}


PLACE_KEYS = ("name", "geonames_id", "lat", "lon", "country_code", "admin1", "feature", "precision")


def _place_of(mention: dict | None, places: dict) -> dict | None:
    """A place mention of an event or leg with its gazetteer entry when it was resolved."""
    if not mention:
        return None
    out = {"mention": mention.get("text"), "start": mention.get("start"), "end": mention.get("end")}
    place = places.get((mention.get("start"), mention.get("end")))
    if place:
        out.update({k: place[k] for k in PLACE_KEYS})
    else:
        out.update({"name": mention.get("canonical") or mention.get("text"), "resolved": False})
    return out


def _evidence(doc: dict, spans: list[dict]) -> list[dict]:
    return [{"document_id": doc.get("id"), "source": doc.get("source"), "sentence": e.get("sentence"),
             "start": e.get("start"), "end": e.get("end")} for e in spans]


def event_record(doc: dict, event, text: str, places: dict, resolutions) -> dict:
    """An event as stored and exported: the contract of ``export events``."""
    place = _place_of(event.place, places)
    how = "governed by a preposition in the sentence"
    if place is None or "lat" not in place:
        fallback, how = event_place((event.sentence_start, event.sentence_end), resolutions, text)
        if fallback is not None and fallback.place is not None:
            place = {"mention": fallback.mention.text, "start": fallback.mention.start, "end": fallback.mention.end,
                     **{k: getattr(fallback.place, k) for k in PLACE_KEYS}}
    if place is not None:
        place["how"] = how
    participants = []
    for p in event.participants:
        entry = {"role": p.get("role"), "name": p.get("canonical") or p.get("text"), "text": p.get("text"),
                 "start": p.get("start"), "end": p.get("end")}
        if p.get("label"):
            entry["entity_id"] = "ent-" + record_id(*entity_key({"label": p["label"], "text": p.get("text") or "",
                                                                  "canonical": p.get("canonical"),
                                                                  "place": places.get((p.get("start"), p.get("end")))}))
        participants.append(entry)
    date = None
    if event.time:
        date = {"start": event.time.get("start_date"), "end": event.time.get("end_date"),
                "precision": event.time.get("precision"), "text": event.time.get("text")}
    return {
        "id": "evt-" + record_id(doc.get("id"), event.type, event.trigger_start),
        "type": event.type,
        "name": event.trigger,
        "trigger": {"text": event.trigger, "start": event.trigger_start, "end": event.trigger_end},
        "date": date,
        "place": place,
        "participants": participants,
        "count": event.count,
        "sub_counts": event.sub_counts,
        "fatalities": event.fatalities,
        "money": event.money,
        "factuality": event.factuality,
        "mappings": ontology_mappings(event.type),
        "evidence": _evidence(doc, event.evidence or [{"start": event.sentence_start, "end": event.sentence_end,
                                                        "sentence": text[event.sentence_start:event.sentence_end]}]),
    }


def movement_record(doc: dict, movement, places: dict) -> dict:
    """A movement as stored and exported: the contract of ``export movements``."""
    legs = []
    for leg in movement.legs:
        legs.append({
            "from": _place_of(leg.origin, places),
            "to": _place_of(leg.destination, places),
            "via": [_place_of(v, places) for v in leg.via],
            "date": leg.date, "means": leg.means, "means_all": leg.means_all, "duration": leg.duration,
            "facilitator": leg.facilitator, "cost": leg.cost, "kind": leg.kind,
            "evidence": _evidence(doc, [leg.evidence])[0] if leg.evidence else None,
        })
    person = movement.person
    first = legs[0]["evidence"] if legs and legs[0]["evidence"] else {}
    return {
        "id": "mov-" + record_id(doc.get("id"), person.get("start"), first.get("start")),
        "type": "movement",
        "name": person.get("canonical") or person.get("text"),
        "person": person,
        "legs": legs,
        "evidence": [leg["evidence"] for leg in legs if leg["evidence"]],
    }


def claim_record(doc: dict, claim) -> dict:
    """A claim as stored and exported: the contract of ``export claims``."""
    att = claim.attribution
    evidence = claim.evidence or {}
    return {
        "id": "clm-" + record_id(doc.get("id"), evidence.get("start"), evidence.get("end"), claim.predicate,
                                 (claim.subject or {}).get("start")),
        "type": claim.modality,
        "name": claim.text[:200],
        "text": claim.text,
        "subject": claim.subject,
        "predicate": claim.predicate,
        "object": claim.object,
        "slots": claim.slots,
        "modality": claim.modality,
        "negated": claim.negated,
        "publisher": att.publisher,
        "speaker": att.speaker,
        "origin": att.origin,
        "cue": att.cue,
        "hedges": att.hedges,
        "quote": att.quote,
        "evidence": [{"document_id": doc.get("id"), "source": doc.get("source"),
                      "sentence": evidence.get("sentence"), "start": evidence.get("start"),
                      "end": evidence.get("end")}],
    }


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer.open()


def _place_dict(resolution) -> dict:
    if resolution.place is None:
        return {"resolved": False, "reason": resolution.reason, "role": resolution.role}
    return {"resolved": True, **asdict(resolution.place), "role": resolution.role,
            "score": resolution.score, "reason": resolution.reason}


def geocode(text: str, mentions: list[dict], context_hint: str | None = None) -> list[dict]:
    """Resolve the place and nationality mentions against the gazetteer. Places the entity layer
    missed (inside an organisation's name, datelines) are added as PLACE mentions."""
    spans = [(m["start"], m["end"], m["label"], m["sentence_start"], m["sentence_end"]) for m in mentions]
    places = place_mentions(text, spans, gazetteer=_gazetteer())
    resolutions = resolve_mentions(places, text, _gazetteer(), context_hint)
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
            mention["place"] = _place_dict(r)
        elif mention["label"] == "NORP" and r.place is not None:
            mention["place_ref"] = _place_dict(r)  # the country of a nationality
        # a person or organisation whose name is also a town stays what the entity layer found
    return sorted(by_span.values(), key=lambda m: (m["start"], m["end"])), resolutions


def entity_key(mention: dict) -> tuple[str, str]:
    """Mentions with the same type and canonical name (or alias id, or place id) are one entity."""
    place = mention.get("place") or {}
    if mention["label"] == "PLACE" and place.get("resolved"):
        return "PLACE", "geo:" + place["geonames_id"]
    name = mention.get("alias_id") or mention.get("canonical") or mention["text"]
    return mention["label"], " ".join(name.casefold().split())


def run(store, advance) -> str:
    todo = store.documents_to_analyse(VERSION)
    skipped = 0
    for doc_id in todo:
        doc = store.get_document(doc_id)
        analysis = analyse(doc)
        if "mentions" not in analysis:
            skipped += 1
        store.save_analysis(doc_id, VERSION, analysis)
        advance(doc.get("title") or doc_id)
    return f"analysed {len(todo) - skipped} documents ({skipped} not analysed, see their notes)"


STAGE = Stage("extract", run)
