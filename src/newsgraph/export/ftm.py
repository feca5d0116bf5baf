"""The knowledge base as FollowTheMoney entities, one JSON object per line (``export all --format ftm``).

Schemas (docs/exports.md, "all (ftm)"): Article per document, Person, Organization (organisations
and armed groups), Address per place (FtM has no Place schema), Event per event (involved, location,
addressEntity, date), Trip per movement leg (startLocation, endLocation, involved, date), and
Documentation linking each document to the entities, events and trips it supports. Every value
goes through FtM's own cleaning (``EntityProxy.add``), so what is written is what FtM reads back.
Ids are newsgraph's ids with an ``ng-`` prefix.
"""
from __future__ import annotations

import json
from typing import IO

from followthemoney import model

from newsgraph.export._kb import KnowledgeBase, first_evidence, interval, point, sentence

SCHEMA = {"PERSON": "Person", "ORG": "Organization", "GROUP": "Organization", "PLACE": "Address",
          "FACILITY": "Address"}


def fid(newsgraph_id: str) -> str:
    return "ng-" + newsgraph_id


class _Writer:
    def __init__(self, fh: IO[str]):
        self.fh, self.count, self.seen = fh, 0, set()

    def make(self, schema: str, entity_id: str, **props):
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        for prop, values in props.items():
            for value in values if isinstance(values, (list, tuple, set)) else [values]:
                if value not in (None, ""):
                    proxy.add(prop, str(value) if isinstance(value, (int, float)) else value, quiet=True)
        return proxy

    def emit(self, proxy) -> str:
        if proxy.id not in self.seen:
            self.seen.add(proxy.id)
            self.fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            self.count += 1
        return proxy.id


def _date(start, end, precision) -> dict:
    """FtM dates keep their precision as a prefix: a day "2017-10-02", a month "2017-10", a year "2017"."""
    cut = {"day": 10, "month": 7, "year": 4}.get(precision)
    if not start:
        return {}
    first, last = (start[:cut], (end or start)[:cut]) if cut else (start, end or start)
    return {"date": first} if first == last else {"startDate": first, "endDate": last}


def _address(w: _Writer, kb: KnowledgeBase, doc_id: str, place: dict | None) -> str | None:
    """The Address of a place: its entity's, else one keyed by the gazetteer id."""
    if not place or not place.get("name"):
        return None
    entity_id = kb.place_entity(doc_id, place)
    if entity_id and SCHEMA.get(kb.entities[entity_id]["type"]) == "Address":
        return fid(entity_id)
    coords = point(place)
    key = place.get("geonames_id") or place["name"]
    return w.emit(w.make("Address", fid("place-" + key), full=place["name"], country=place.get("country_code"),
                         latitude=coords[1] if coords else None, longitude=coords[0] if coords else None))


def _document_link(w: _Writer, doc_id: str, target: str, role: str) -> None:
    w.emit(w.make("Documentation", fid(f"doc-{doc_id}-{target}"), document=fid("doc-" + doc_id), entity=target,
                  role=role))


def write_ftm(store, fh: IO[str]) -> int:
    kb = KnowledgeBase(store)
    w = _Writer(fh)
    for doc_id, doc in kb.documents.items():
        w.emit(w.make("Article", fid("doc-" + doc_id), title=doc.get("title"), name=doc.get("title") or doc_id,
                      publisher=doc.get("source"), author=doc.get("author"),
                      publishedAt=(doc.get("published") or {}).get("value"), language=doc.get("language"),
                      sourceUrl=doc.get("url") if "://" in (doc.get("url") or "") else None,
                      bodyText=doc.get("text"), contentHash=doc_id))

    for e in kb.entities.values():
        schema = SCHEMA.get(e["type"])
        if schema is None:
            continue
        attributes = e.get("attributes") or {}
        props = {"name": e["name"], "alias": [a for a in e.get("aliases") or () if a != e["name"]]}
        if schema == "Address":
            place = attributes.get("place") or {}
            coords = point(place)
            props = {"full": e["name"], "country": place.get("country_code"),
                     "latitude": coords[1] if coords else None, "longitude": coords[0] if coords else None,
                     "region": kb.admin1_name(place.get("admin1")) if place.get("admin1") else None}
        elif schema == "Person":
            nationality = attributes.get("nationality")
            props.update(position=attributes.get("role"),
                         nationality=kb.demonyms.get(nationality.casefold()) if nationality else None)
        else:
            props.update(description=attributes.get("role"))
        entity = w.emit(w.make(schema, fid(e["id"]), **props))
        for doc_id in e.get("documents") or ():
            _document_link(w, doc_id, entity, "mentioned")

    for event in store.iter_records("events"):
        evidence = first_evidence(event)
        doc_id = evidence.get("document_id")
        doc = kb.documents.get(doc_id, {})
        place = event.get("place") or {}
        involved = [fid(x) for x in (kb.participant_entity(doc_id, p) for p in event.get("participants") or ())
                    if x and kb.entities[x]["type"] in ("PERSON", "ORG", "GROUP")]
        merged_id, story_id = kb.merged_ids(event["id"])
        notes = [f"factuality: {event.get('factuality')}"]
        notes += [f"{p.get('role')}: {p.get('text')}" for p in event.get("participants") or ()]
        notes += [f"merged event: {merged_id}"] if merged_id else []
        notes += [f"story: {story_id}"] if story_id else []
        title = ", ".join(x for x in (event.get("type"), place.get("name")) if x)
        proxy = w.make("Event", fid(event["id"]), name=title, summary=sentence(evidence), involved=involved,
                       location=place.get("name"), addressEntity=_address(w, kb, doc_id, place),
                       country=place.get("country_code"), keywords=event.get("type"), notes=notes,
                       publisher=evidence.get("source"), recordId=event["id"], proof=fid("doc-" + doc_id),
                       sourceUrl=doc.get("url") if "://" in (doc.get("url") or "") else None,
                       **_date(*interval(event.get("date"))))
        _document_link(w, doc_id, w.emit(proxy), "event")

    for movement in store.iter_records("movements"):
        for index, leg in enumerate(movement.get("legs") or ()):
            evidence = first_evidence(leg) or first_evidence(movement)
            doc_id = evidence.get("document_id")
            person = kb.person_entity(doc_id, movement.get("person"))
            via = [v.get("name") for v in leg.get("via") or () if v.get("name")]
            notes = [f"kind: {leg.get('kind')}"] + [f"via: {v}" for v in via]
            notes += [f"means: {leg['means']}"] if leg.get("means") else []
            stops = ((leg.get("from") or {}).get("name"), *via, (leg.get("to") or {}).get("name"))
            title = " → ".join(x for x in stops if x)
            proxy = w.make("Trip", fid(f"{movement['id']}-{index}"),
                           name=f"{movement.get('name')}: {title}" if title else movement.get("name"),
                           summary=sentence(evidence), involved=fid(person) if person else None,
                           startLocation=_address(w, kb, doc_id, leg.get("from")),
                           endLocation=_address(w, kb, doc_id, leg.get("to")),
                           location=via, keywords=leg.get("kind"), notes=notes, publisher=evidence.get("source"),
                           recordId=movement["id"], proof=fid("doc-" + doc_id), **_date(*interval(leg.get("date"))))
            _document_link(w, doc_id, w.emit(proxy), "movement leg")
    return w.count


EXPORTS = {"all": {"ftm": write_ftm}}
