"""Events as CSV with every column of the ACLED codebook, plus newsgraph's ids and evidence
(docs/exports.md, "events (csv)").

One row per merged event (corpus kind "event": the same incident told by several articles is
one row); before the corpus stage has run, one row per per-document event. Actors are resolved
entity names, never pronouns or bare counts ("27 people"). ACLED's precision codes are derived
from ours by the tables below; event type, sub-event type and disorder type come from the
event's mappings (data/ontology.toml), the regions and actor types from data/acled.toml.
"""
from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import IO

from newsgraph.export._csv import write_csv
from newsgraph.export._kb import KnowledgeBase, interval, point, sentence

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
OWN_COLUMNS = (
    "newsgraph_event_id", "newsgraph_event_type", "factuality", "date_start", "date_end", "date_precision",
    "place_precision", "geonames_id", "story_id", "member_event_ids", "document_ids", "source_urls",
    "evidence",
)
COLUMNS = ACLED_COLUMNS + OWN_COLUMNS

# ACLED time_precision: 1 the day is known, 2 a week (or a few days), 3 a month or coarser.
TIME_PRECISION = {"day": 1, "week": 2}
# ACLED geo_precision: 1 the town or a point in it, 2 near a town / a district, 3 a region or coarser.
GEO_PRECISION = {"point": 1, "facility": 1, "town": 1, "city": 1, "district": 2}
# A day-precision interval spanning at most this many days is coded as a week (2).
WEEK_DAYS = 7
ACTOR_ROLES = {"agent": 1, "patient": 2}
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=1)
def codebook() -> dict:
    data = tomllib.loads(resources.files("newsgraph.data").joinpath("acled.toml").read_text(encoding="utf-8"))
    data["region_of"] = {code: region for region, codes in data["regions"].items() for code in codes}
    data["not_names"] = set(data["actors"]["not_names"])
    return data


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def time_precision(start: str | None, end: str | None, precision: str | None) -> int | None:
    if not start or not precision:
        return None
    code = TIME_PRECISION.get(precision, 3)
    first, last = _day(start), _day(end)
    if code == 1 and first and last and last != first:
        code = 2 if (last - first).days <= WEEK_DAYS else 3
    return code


def event_date(start: str | None, end: str | None) -> str:
    """ACLED codes an event known only to a period at the period's middle day."""
    first, last = _day(start), _day(end) or _day(start)
    if first is None:
        return start or ""
    return (first + timedelta(days=(last - first).days // 2)).isoformat()


def acled_types(mappings: dict | None) -> tuple[str, str, str]:
    """(disorder type, event type, sub-event type): the codebook names the events stage chose
    (extraction/events_taxonomy.py); empty for newsgraph's own types."""
    mappings = mappings or {}
    return (mappings.get("disorder_type") or "", mappings.get("acled_event_type") or "",
            mappings.get("acled_sub_event_type") or "")


def _fatalities(quantity: dict | None) -> str:
    if not quantity:
        return ""
    value = quantity.get("best") if quantity.get("best") is not None else quantity.get("low")
    return "" if value is None else str(int(value))


def is_name(phrase: str) -> bool:
    """Whether a participant phrase names someone ("Turkish police") rather than pointing at them
    ("them", "He") or counting them ("27 people")."""
    words = re.findall(r"[^\W\d_][\w'’-]*", phrase or "")
    skip = codebook()["not_names"]
    return any(w[0].isupper() and w.casefold() not in skip for w in words)


def actor_type(name: str, entity_type: str | None) -> str:
    """ACLED's actor type (inter1/inter2) of an actor: by words of its name, else by entity type."""
    book = codebook()["inter"]
    folded = " " + " ".join(_WORDS.findall(name.casefold())) + " "
    for rule in book["by_words"]:
        if any(f" {w} " in folded for w in rule["words"]):
            return rule["inter"]
    return book["by_type"].get(entity_type or "", "")


def _members(event: dict, members: dict[str, dict]) -> list[dict]:
    return [members[m] for m in event.get("members") or () if m in members] or [event]


def _actors(event: dict, kb: KnowledgeBase, members: list[dict]) -> dict[int, list[tuple[str, str]]]:
    """Side (1 agent, 2 patient) -> [(name, actor type)], each name once, resolved names first."""
    found: dict[int, list[tuple[str, str]]] = {1: [], 2: []}
    sources = [(m, (m.get("evidence") or [{}])[0].get("document_id")) for m in members if m is not event]
    sources.append((event, None))
    for record, doc_id in sources:
        for p in record.get("participants") or ():
            side = ACTOR_ROLES.get(p.get("role"))
            if side is None:
                continue
            entity = kb.entity(p.get("entity_id")) or (kb.participant_entity(doc_id, p) if doc_id else None)
            if entity:
                e = kb.entities[entity]
                if e["type"] == "PLACE" and ((e.get("attributes") or {}).get("place") or {}).get("feature") != "country":
                    continue  # a town is where it happened, not who did it
                name, etype = e["name"], ("COUNTRY" if e["type"] == "PLACE" else e["type"])
            elif doc_id is not None and is_name(p.get("name") or ""):
                name, etype = " ".join(p["name"].split()), None
            else:
                continue
            if name.casefold() in kb.outlet_names:
                continue  # "…, the Levant Ledger reported": the outlet tells, it does not act
            if all(name != n for n, _ in found[side]):
                found[side].append((name, actor_type(name, etype)))
    return found


def _evidence(event: dict) -> list[dict]:
    evidence = event.get("evidence") or []
    return evidence if isinstance(evidence, list) else [evidence]


def event_row(event: dict, kb: KnowledgeBase, members: dict[str, dict]) -> dict:
    parts = _members(event, members)
    evidence = _evidence(event)
    start, end, precision = interval(event.get("date"))
    actors = _actors(event, kb, parts)
    place = event.get("place") or {}
    coords = point(place)
    mappings = event.get("mappings") or next((m.get("mappings") for m in parts if m.get("mappings")), None)
    disorder, event_type, sub_event_type = acled_types(mappings)
    tp = time_precision(start, end, precision)
    country = kb.country(place.get("country_code")) if coords else {}
    inter1 = actors[1][0][1] if actors[1] else ""
    inter2 = actors[2][0][1] if actors[2] else ""
    doc_ids = list(dict.fromkeys(e.get("document_id") for e in evidence if e.get("document_id")))
    urls = [kb.documents.get(d, {}).get("url") or "" for d in doc_ids]
    stamps = [kb.ingested.get(d) for d in doc_ids if kb.ingested.get(d)]
    sources = list(dict.fromkeys(e.get("source") for e in evidence if e.get("source")))
    tags = [f"factuality: {event['factuality']}"] if event.get("factuality") else []
    if precision and precision != "day":
        tags.append(f"date known to the {precision}")
    if coords and place.get("precision") in ("country", "admin1", "region", "province"):
        tags.append(f"place known to the {place['precision']}")
    return {
        "event_id_cnty": f"{country.get('iso3') or 'XXX'}{int(event['id'].rsplit('-', 1)[-1][:8], 16)}"
        if re.fullmatch(r"[a-z]+-[0-9a-f]{8,}", event["id"]) else event["id"],
        "event_date": event_date(start, end), "year": (start or "")[:4],
        "time_precision": "" if tp is None else tp,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": actors[1][0][0] if actors[1] else "",
        "assoc_actor_1": "; ".join(n for n, _ in actors[1][1:]),
        "inter1": inter1,
        "actor2": actors[2][0][0] if actors[2] else "",
        "assoc_actor_2": "; ".join(n for n, _ in actors[2][1:]),
        "inter2": inter2,
        "interaction": (f"{inter1}-{inter2}" if inter2 else f"{inter1} only") if inter1 else "",
        "civilian_targeting": "Civilian targeting" if event_type == "Violence against civilians" else "",
        "iso": country.get("isonumeric", ""), "region": country.get("region", ""),
        "country": country.get("name", ""),
        "admin1": kb.admin1_name(place.get("admin1")) if coords else "",
        "admin2": place.get("admin2_name") or "", "admin3": "",
        "location": place.get("name") or "",
        "latitude": coords[1] if coords else "", "longitude": coords[0] if coords else "",
        "geo_precision": GEO_PRECISION.get(place.get("precision"), 3) if coords else "",
        "source": "; ".join(sources), "source_scale": "",
        "notes": " | ".join(dict.fromkeys(sentence(e) for e in evidence if e.get("sentence"))),
        "fatalities": _fatalities(event.get("fatalities")),
        "tags": "; ".join(tags),
        "timestamp": int(datetime.fromisoformat(max(stamps)).timestamp()) if stamps else "",
        "newsgraph_event_id": event["id"], "newsgraph_event_type": event.get("type") or "",
        "factuality": event.get("factuality") or "",
        "date_start": start or "", "date_end": end or "", "date_precision": precision or "",
        "place_precision": place.get("precision") or "", "geonames_id": place.get("geonames_id") or "",
        "story_id": event.get("story_id") or kb.merged_ids(event["id"])[1] or "",
        "member_event_ids": "; ".join(m["id"] for m in parts if m is not event),
        "document_ids": "; ".join(doc_ids), "source_urls": "; ".join(u for u in urls if u),
        "evidence": " ; ".join(f"/documents/{e['document_id']}#c-{e['start']}-{e['end']}" for e in evidence
                               if e.get("document_id") and e.get("start") is not None),
    }


def iter_event_rows(store, kb: KnowledgeBase | None = None):
    """The CSV rows: merged events when the corpus stage has run, else per-document events."""
    kb = kb or KnowledgeBase(store)
    merged = list(store.iter_corpus_records("event"))
    if merged:
        members = {e["id"]: e for e in store.iter_records("events")}
        for event in merged:
            yield event_row(event, kb, members)
    else:
        for event in store.iter_records("events"):
            yield event_row(event, kb, {})


def events_csv(store, fh: IO[str]) -> int:
    return write_csv(fh, COLUMNS, iter_event_rows(store))


EXPORTS = {"events": {"csv": events_csv}}
