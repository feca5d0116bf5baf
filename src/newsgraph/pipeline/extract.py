"""The per-document extraction stage.

``analyse`` is a pure function of one document's clean text and metadata plus read-only
resources (the spaCy model, alias tables, gazetteer): it can run on a process pool
unchanged. It returns plain dicts, ready for the store. The stage runs it on every document
not yet analysed with the current version, and stores each document's results in one
transaction; then it groups mentions into entities.
"""
from __future__ import annotations

from dataclasses import asdict

from spacy.tokens import Doc

from newsgraph import settings
from newsgraph.extraction.events_lexicon import ontology
from newsgraph.extraction.events_place import place_of_event
from newsgraph.pipeline.geocoding import gazetteer
from newsgraph.pipeline.stages import Stage
from newsgraph.schema.ids import entity_key, record_id
from newsgraph.schema.values import Count, DateInterval, Evidence, Money, PlaceRef

VERSION = "extract-7"


def analyse(doc: dict) -> dict:
    """Everything extraction finds in one document (an export-shaped document dict): a
    convenience over ``runner.analyse_documents`` for one document."""
    from newsgraph.pipeline.runner import analyse_documents

    return next(analyse_documents([doc]))


def doc_to_records(doc: Doc) -> dict:
    """The one serializer: a Doc that went through the pipeline -> the records to store."""
    meta = doc._.ng_meta
    notes = list(meta.notes)
    if doc._.ng_failed is not None:
        failed = doc._.ng_failed
        return {"failed": failed, "notes": notes + [f"analysis failed in {failed['component']}: {failed['reason']}"]}
    if not any(token.is_alpha for token in doc):
        return {"notes": notes + ["no sentences found"]}
    text = doc.text
    document = {"id": meta.id, "source": meta.source}
    mentions, resolutions = doc._.ng_mentions, doc._.ng_resolutions
    places = {(m["start"], m["end"]): m["place"] for m in mentions if (m.get("place") or {}).get("resolved")}
    found_events = doc._.ng_events
    events = [event_record(document, e, text, places, resolutions) for e in found_events]
    movements = [movement_record(document, mv, places) for mv in doc._.ng_movements]
    claims = [claim_record(document, c) for c in doc._.ng_claims]
    limit = settings.get("max_records_per_document")
    for kind, rows in (("events", events), ("movements", movements), ("claims", claims)):
        if len(rows) > limit:
            notes.append(f"{len(rows):,} {kind} found: only the first {limit:,} were kept "
                         "(set NEWSGRAPH_MAX_RECORDS_PER_DOCUMENT to raise the limit)")
            del rows[limit:]
    return {
        "mentions": mentions,
        "times": [asdict(t) for t in doc._.ng_times],
        "quantities": [asdict(q) for q in doc._.ng_quantities],
        "events": events,
        "movements": movements,
        "claims": claims,
        "notes": notes,
    }


def ontology_mappings(event_type: str, acled: dict | None = None) -> dict:
    """The event's codes in PLOVER and CAMEO (its type's, data/ontology.toml) and its ACLED event
    type, sub-event type and disorder type with the reason (extraction/events_taxonomy.py)."""
    t = ontology().types.get(event_type)
    return {"plover": list(t.plover), "cameo": list(t.cameo), **(acled or {})} if t else {}


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
    return _place_json(out)


def _leg_date(time: dict | None) -> dict | None:
    date = DateInterval.from_time(time) if time else None
    return date.to_json() if date else None


def _evidence(doc: dict, spans: list[dict]) -> list[dict]:
    return [Evidence(doc.get("id"), e.get("start"), e.get("end"), e.get("sentence") or "", doc.get("source")).to_json()
            for e in spans]


def _place_json(place: dict) -> dict:
    """A place in its declared form (empty gazetteer fields are unknown, not '')."""
    return PlaceRef.from_json({k: (None if v == "" else v) for k, v in place.items()}).to_json()


def _json(kind, value):
    """A value in its declared JSON form (validated), or None."""
    return kind.from_json(value).to_json() if value else None


def event_record(doc: dict, event, text: str, places: dict, resolutions) -> dict:
    """An event as stored and exported: the contract of ``export events``."""
    place = place_of_event(event, text, resolutions, gazetteer())
    if place is not None:
        place = _place_json(place)
    participants = []
    for p in event.participants:
        entry = {"role": p.get("role"), "name": p.get("canonical") or p.get("text"), "text": p.get("text"),
                 "start": p.get("start"), "end": p.get("end")}
        if p.get("label"):
            entry["entity_id"] = "ent-" + record_id(*entity_key({"label": p["label"], "text": p.get("text") or "",
                                                                  "canonical": p.get("canonical"),
                                                                  "place": places.get((p.get("start"), p.get("end")))}))
        participants.append(entry)
    date = DateInterval.from_time(event.time) if event.time else None
    return {
        "id": "evt-" + record_id(doc.get("id"), event.type, event.trigger_start),
        "type": event.type,
        "name": event.trigger,
        "trigger": {"text": event.trigger, "start": event.trigger_start, "end": event.trigger_end},
        "date": date.to_json() if date else None,
        "date_stated": (event.time or {}).get("text") if date is None else None,
        "place": place,
        "participants": participants,
        "count": _json(Count, event.count),
        "sub_counts": event.sub_counts,
        "fatalities": _json(Count, event.fatalities),
        "injured": _json(Count, getattr(event, "injured", None)),
        "money": [Money.from_json(m).to_json() for m in event.money or []],
        "factuality": event.factuality,
        "mappings": ontology_mappings(event.type, event.acled),
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
            "date": _leg_date(leg.date), "date_stated": (leg.date or {}).get("text") if not _leg_date(leg.date) else None,
            "means": leg.means, "means_all": leg.means_all, "duration": leg.duration,
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


def run(store, advance) -> str:
    """Analyse every document not yet analysed with this version (failed ones are retried),
    on ``settings.workers`` processes; one writer stores the results in input order."""
    from newsgraph.pipeline.runner import Stream, default_workers

    todo = store.documents_to_analyse(VERSION)
    workers = settings.get("workers") or default_workers()
    if not settings.explicit("workers"):
        workers = min(workers, max(1, len(todo) // 16))     # small batches: one process is faster
    documents = (store.get_document(doc_id) for doc_id in todo)
    client = _client() if todo else None
    done = skipped = 0
    failed: list[str] = []
    try:
        stream = Stream(documents, workers=workers, client=client)
        for doc_id, analysis in zip(todo, stream):
            if "failed" in analysis:
                failed.append(f"{doc_id}: {analysis['failed']['component']}: {analysis['failed']['reason']}")
                store.save_failure(doc_id, VERSION, analysis)
            else:
                store.save_analysis(doc_id, VERSION, analysis)
                done += 1
                skipped += "mentions" not in analysis
            advance(doc_id)
    finally:
        if client is not None:
            client.close()
    run.failed = failed
    where = f"the Dask cluster at {settings.get('scheduler')}" if settings.get("scheduler") else f"{workers} process{'es' * (workers > 1)}"
    summary = (f"analysed {done - skipped} documents ({skipped} not analysed, see their notes) on {where}; "
               f"peak memory per worker {stream.peak_mb:,.0f} MB")
    if failed:
        summary += f"; {len(failed)} failed (retried on the next build): " + "; ".join(failed[:5])
        if len(failed) > 5:
            summary += f"; … (newsgraph stats lists them)"
    return summary


def _client():
    """A Dask client when ``--scheduler`` (the ``scheduler`` setting) names a cluster."""
    address = settings.get("scheduler")
    if not address:
        return None
    from distributed import Client

    try:
        return Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"cannot reach the Dask scheduler at {address}: {exc}; start it with "
                         "'dask scheduler' and workers with 'dask worker ADDRESS --nthreads 1', or leave out "
                         "--scheduler to run on local processes") from exc


STAGE = Stage("extract", run, requires=("documents",), provides=("mentions", "events", "movements", "claims"))
