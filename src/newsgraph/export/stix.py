"""The knowledge base as one STIX 2.1 bundle (``newsgraph export all --format stix``).

Objects (docs/exports.md, "all (stix)"): a report per dated document (a grouping for an undated
one), an identity per source and per person, organisation or group, a location per resolved
place, an incident per event with relationships to its participants and places, a note per claim,
an opinion per graded claim cluster, a grouping per story. newsgraph's own fields ride in one
property extension (an extension-definition object in the bundle), so the bundle is plain STIX
2.1 without custom properties. Ids are uuid5 of newsgraph's ids: the same record always gets the
same STIX id.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import IO

from newsgraph import settings
from newsgraph.export._kb import KnowledgeBase, first_evidence, interval, sentence

NAMESPACE = uuid.UUID("6f1c2a4e-3d5b-5e8f-9a7c-1b2d3e4f5a6b")
IDENTITY_CLASS = {"PERSON": "individual", "ORG": "organization", "GROUP": "group"}
PLACE_TYPES = ("PLACE", "FACILITY")
# Credibility grade (1-6, Admiralty) -> STIX opinion; 6 (cannot be judged) gives no opinion.
OPINION = {1: "strongly-agree", 2: "agree", 3: "neutral", 4: "disagree", 5: "strongly-disagree"}
# Admiralty credibility (1-6) -> STIX confidence (STIX 2.1, appendix "Confidence scales":
# the Admiralty Credibility scale); 6, "truth cannot be judged", carries no confidence.
CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
# The TLP marking-definitions predefined by STIX 2.1 (section 7.2.1.4); setting "tlp" chooses one.
TLP = {"white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
       "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
       "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
       "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"}
# Source reliability as OpenCTI's reliability vocabulary names it (x_opencti_reliability).
OPENCTI_RELIABILITY = {"A": "A - Completely reliable", "B": "B - Usually reliable", "C": "C - Fairly reliable",
                       "D": "D - Not usually reliable", "E": "E - Unreliable", "F": "F - Reliability cannot be judged"}
# A participant's role -> the standard STIX relationship from the incident.
RELATIONSHIP = {"agent": "attributed-to"}
EXTENSION_SCHEMA = ("newsgraph properties: the record's newsgraph id and fields (event type, date interval "
                    "with precision, counts, factuality, claim slots, credibility, place precision). "
                    "See docs/exports.md, section 'all (stix)', of the newsgraph project.")


def sid(kind: str, key: str) -> str:
    """A deterministic STIX id: ``kind--uuid5(NAMESPACE, key)``."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def timestamp(value: str | None) -> str:
    """A STIX timestamp (UTC, milliseconds) from an ISO date or date-time."""
    if not value:
        value = "1970-01-01"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "", [], {})}


def tlp_marking(level: str) -> dict:
    """The STIX 2.1 predefined TLP marking-definition object for ``level`` (white, green, amber, red)."""
    level = level.strip().lower()
    if level not in TLP:
        raise ValueError(f"TLP level must be one of {', '.join(TLP)}, not {level!r} (setting NEWSGRAPH_TLP)")
    return {"type": "marking-definition", "spec_version": "2.1", "id": TLP[level], "created": "2017-01-20T00:00:00.000Z",
            "definition_type": "tlp", "name": f"TLP:{level.upper()}", "definition": {"tlp": level}}


class _Bundle:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.objects: dict[str, dict] = {}
        self.marking = tlp_marking(str(settings.get("tlp")))
        self.objects[self.marking["id"]] = self.marking
        stamps = sorted(timestamp(t) for t in kb.ingested.values()) or [timestamp(None)]
        self.first, self.last = stamps[0], stamps[-1]
        self.tool = sid("identity", "newsgraph")
        self.ext = sid("extension-definition", "newsgraph-properties-1")
        self.add({"type": "identity", "id": self.tool, "created": self.first, "modified": self.first,
                  "name": "newsgraph", "identity_class": "system",
                  "description": "Knowledge base built by newsgraph from news articles."})
        self.add({"type": "extension-definition", "id": self.ext, "created": self.first, "modified": self.first,
                  "created_by_ref": self.tool, "name": "newsgraph properties", "schema": EXTENSION_SCHEMA,
                  "version": "1.0", "extension_types": ["property-extension"]})

    def stamps(self, documents) -> tuple[str, str]:
        times = sorted(timestamp(self.kb.ingested[d]) for d in documents if d in self.kb.ingested)
        return (times[0], times[-1]) if times else (self.first, self.first)

    def add(self, obj: dict, documents=(), **ext) -> str:
        if obj["id"] in self.objects:
            return obj["id"]
        obj = {"type": obj["type"], "spec_version": "2.1", **obj, "object_marking_refs": [self.marking["id"]]}
        if "created" not in obj:
            obj["created"], obj["modified"] = self.stamps(documents)
        ext = _clean(ext)
        if ext:
            obj["extensions"] = {self.ext: {"extension_type": "property-extension", **ext}}
        self.objects[obj["id"]] = obj
        return obj["id"]


def _external(doc: dict) -> list[dict]:
    ref = _clean({"source_name": doc.get("source") or "unknown source", "external_id": doc.get("id")})
    if doc.get("url") and "://" in doc["url"]:
        ref["url"] = doc["url"]
    return [ref]


def build_bundle(store) -> dict:
    """The bundle as a dict: {"type": "bundle", "id", "objects"}."""
    kb = KnowledgeBase(store)
    b = _Bundle(kb)
    refs: dict[str, list[str]] = {doc_id: [] for doc_id in kb.documents}

    sources = {s["name"]: s for s in store.iter_sources()}
    source_ids = {}
    docs_of: dict[str, list[str]] = {}
    for doc_id, doc in kb.documents.items():
        docs_of.setdefault(doc.get("source"), []).append(doc_id)
    for name, s in sorted(sources.items()):
        docs = docs_of.get(name, [])
        source_ids[name] = b.add({"type": "identity", "id": sid("identity", "source:" + s["id"]), "name": name,
                                  "identity_class": "organization", "sectors": ["communications"],
                                  "x_opencti_reliability": OPENCTI_RELIABILITY.get(s.get("reliability") or "F")}, docs,
                                 source_id=s["id"], reliability=s.get("reliability"),
                                 reliability_basis=s.get("reliability_basis"), interested=s.get("interested"))

    stix_of: dict[str, str] = {}
    for e in kb.entities.values():
        place = (e.get("attributes") or {}).get("place")
        if e["type"] in IDENTITY_CLASS:
            stix_of[e["id"]] = b.add({"type": "identity", "id": sid("identity", "entity:" + e["id"]),
                                      "name": e["name"], "identity_class": IDENTITY_CLASS[e["type"]],
                                      "description": (e.get("attributes") or {}).get("role")}, e["documents"],
                                     entity_id=e["id"], entity_type=e["type"], aliases=e.get("aliases"),
                                     mention_count=e.get("mention_count"),
                                     nationality=(e.get("attributes") or {}).get("nationality"))
        elif e["type"] in PLACE_TYPES and place and place.get("lat") is not None:
            stix_of[e["id"]] = _location(b, place, e["documents"], entity_id=e["id"])
        else:
            continue
        for d in e["documents"]:
            refs.setdefault(d, []).append(stix_of[e["id"]])

    incident_of: dict[str, str] = {}
    for event in store.iter_records("events"):
        evidence = first_evidence(event)
        doc_id = evidence.get("document_id")
        start, end, precision = interval(event.get("date"))
        place = event.get("place") or {}
        merged_id, story_id = kb.merged_ids(event["id"])
        doc = kb.documents.get(doc_id, {"id": doc_id})
        title = ", ".join(x for x in (event.get("type"), place.get("name"), start if precision == "day" else None) if x)
        inc = b.add({"type": "incident", "id": sid("incident", event["id"]), "name": title,
                     "description": sentence(evidence), "external_references": _external(doc)}, [doc_id],
                    newsgraph_id=event["id"], event_type=event.get("type"),
                    date=_clean({"start": start, "end": end, "precision": precision}),
                    factuality=event.get("factuality"), count=event.get("count"),
                    fatalities=event.get("fatalities"), money=event.get("money"), mappings=event.get("mappings"),
                    document_id=doc_id, source=evidence.get("source"), merged_event_id=merged_id,
                    story_id=story_id)
        incident_of[event["id"]] = inc
        refs.setdefault(doc_id, []).append(inc)
        links = []
        if place.get("lat") is not None:
            links.append(("located-at", _location(b, place, [doc_id], entity_id=kb.place_entity(doc_id, place)),
                          None))
        for p in event.get("participants") or ():
            entity_id = kb.participant_entity(doc_id, p)
            target = stix_of.get(entity_id)
            if target:
                if target.startswith("location--"):  # a place as destination, origin… (or a state as agent)
                    rel_type = "related-to" if p.get("role") in RELATIONSHIP else "located-at"
                else:
                    rel_type = RELATIONSHIP.get(p.get("role"), "related-to")
                links.append((rel_type, target, f"{p.get('role') or 'participant'}: {p.get('text')}"))
        for rel_type, target, description in links:
            rel = b.add({"type": "relationship", "id": sid("relationship", f"{inc}|{rel_type}|{target}"),
                         "relationship_type": rel_type, "source_ref": inc, "target_ref": target,
                         "description": description}, [doc_id])
            refs[doc_id].extend((rel, target))

    grade_of: dict[str, int] = {}
    for cluster in store.iter_corpus_records("claim_cluster"):
        cred = cluster.get("credibility") or {}
        grade = ((cred.get("override") or {}).get("grade")) or cred.get("grade")
        for c in cluster.get("claims") or ():
            grade_of[c] = grade
    note_of: dict[str, str] = {}
    for claim in store.iter_records("claims"):
        evidence = first_evidence(claim)
        doc_id = evidence.get("document_id")
        targets = []
        for part in ("subject", "object"):
            x = claim.get(part) or {}
            entity_id = kb.entity_at(doc_id, x.get("start"), x.get("end"), x.get("canonical"))
            if entity_id in stix_of:
                targets.append(stix_of[entity_id])
        speaker = (claim.get("speaker") or {}).get("canonical") or (claim.get("speaker") or {}).get("text")
        note = b.add({"type": "note", "id": sid("note", claim["id"]), "abstract": claim.get("text"),
                      "confidence": CONFIDENCE.get(grade_of.get(claim["id"])),
                      "content": sentence(evidence) or claim.get("text") or claim["id"],
                      "authors": [a for a in (claim.get("publisher"), speaker) if a],
                      "object_refs": [sid("report" if kb.documents.get(doc_id, {}).get("published", {}).get("value")
                                          else "grouping", "document:" + doc_id), *targets]}, [doc_id],
                     claim_id=claim["id"], predicate=claim.get("predicate"),
                     subject=(claim.get("subject") or {}).get("text"), object=(claim.get("object") or {}).get("text"),
                     modality=claim.get("modality"), negated=claim.get("negated"), slots=claim.get("slots"),
                     speaker=claim.get("speaker"), origin=claim.get("origin"), document_id=doc_id,
                     source=evidence.get("source"))
        note_of[claim["id"]] = note
        refs.setdefault(doc_id, []).append(note)

    for cluster in store.iter_corpus_records("claim_cluster"):
        cred = cluster.get("credibility") or {}
        grade = ((cred.get("override") or {}).get("grade")) or cred.get("grade")
        notes = [note_of[c] for c in cluster.get("claims") or () if c in note_of]
        if grade not in OPINION or not notes:
            continue
        b.add({"type": "opinion", "id": sid("opinion", cluster["id"]), "opinion": OPINION[grade],
               "confidence": CONFIDENCE.get(grade),
               "explanation": cred.get("explanation"), "authors": ["newsgraph"], "object_refs": notes},
              cluster.get("documents") or (), cluster_id=cluster["id"], grade=grade, label=cred.get("label"),
              independent_origins=cluster.get("independent_origins"), override=cred.get("override"))

    members_of: dict[str, list[str]] = {}
    for member, merged in kb.merged.items():
        members_of.setdefault(merged.get("id"), []).append(member)
    for story in store.iter_corpus_records("story"):
        members = [incident_of[m] for e in story.get("events") or ()
                   for m in members_of.get(e, ()) if m in incident_of]
        if members:
            b.add({"type": "grouping", "id": sid("grouping", "story:" + story["id"]), "context": "unspecified",
                   "name": story.get("title") or story["id"], "description": story.get("summary"),
                   "object_refs": sorted(set(members))}, story.get("documents") or (), story_id=story["id"])

    for doc_id, doc in kb.documents.items():
        published = (doc.get("published") or {}).get("value")
        source = source_ids.get(doc.get("source"))
        objects = sorted(set(refs.get(doc_id, []) + ([source] if source else []))) or [b.tool]
        common = {"name": doc.get("title") or doc_id, "object_refs": objects, "external_references": _external(doc),
                  "created_by_ref": source}
        ext = {"document_id": doc_id, "published_precision": (doc.get("published") or {}).get("precision"),
               "author": doc.get("author"), "language": doc.get("language")}
        if published:
            b.add({"type": "report", "id": sid("report", "document:" + doc_id),
                   "published": timestamp(_first_day(published)), "report_types": ["unspecified"], **common},
                  [doc_id], **ext)
        else:
            b.add({"type": "grouping", "id": sid("grouping", "document:" + doc_id), "context": "unspecified",
                   **common}, [doc_id], **ext)

    ids = sorted(b.objects)
    for obj in b.objects.values():
        for key in [k for k, v in obj.items() if v in (None, "", [])]:
            del obj[key]
    return {"type": "bundle", "id": sid("bundle", "|".join(ids)), "objects": list(b.objects.values())}


def _first_day(value: str) -> str:
    """"2017-10" -> "2017-10-01", "2017" -> "2017-01-01"."""
    parts = value.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _location(b: _Bundle, place: dict, documents, entity_id: str | None = None) -> str:
    key = place.get("geonames_id") or f"{place.get('name')}@{place.get('lat')},{place.get('lon')}"
    country = place.get("country_code") or None
    return b.add({"type": "location", "id": sid("location", "place:" + key), "name": place.get("name"),
                  "latitude": float(place["lat"]), "longitude": float(place["lon"]),
                  "country": country if country and len(country) == 2 else None}, documents,
                 geonames_id=place.get("geonames_id"), feature=place.get("feature"),
                 precision=place.get("precision"), admin1=place.get("admin1"), entity_id=entity_id)


def all_stix(store, fh: IO[str]) -> int:
    bundle = build_bundle(store)
    fh.write('{"type": "bundle", "id": ' + json.dumps(bundle["id"]) + ', "objects": [')
    for i, obj in enumerate(bundle["objects"]):
        fh.write(("," if i else "") + "\n" + json.dumps(obj, ensure_ascii=False))
    fh.write("\n]}\n")
    return len(bundle["objects"])


EXPORTS = {"all": {"stix": all_stix}}
