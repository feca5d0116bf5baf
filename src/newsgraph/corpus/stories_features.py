"""What story clustering reads from a document: content words, entities, event types, places,
publication date and main event (``StoryDoc``), from the store or from plain text."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from newsgraph.corpus.stories_cluster import StoryDoc
from newsgraph.corpus.stories_eventmatch import compare_place, compare_time, has_place
from newsgraph.corpus.stories_text import term_counts
from newsgraph.pipeline.extract import entity_key, record_id

ENTITY_LABELS = frozenset({"PERSON", "GROUP", "ORG", "PLACE", "FACILITY", "NORP", "GPE", "LOC", "FAC"})
EVENT_KEYS = ("id", "type", "date", "place", "participants", "factuality", "count")


def published_date(doc: dict) -> dt.date | None:
    published = doc.get("published") or {}
    if isinstance(published, dict):
        value = published.get("value")
    else:
        value = published
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def local_entity_id(mention: dict) -> str:
    return mention.get("entity_id") or "ent-" + record_id(*entity_key(mention))


def compact_event(event: dict) -> dict:
    """The parts of an event that matching needs (kept in a story's signature)."""
    out = {k: event.get(k) for k in EVENT_KEYS}
    out["participants"] = [{"role": p.get("role"), "entity_id": p.get("entity_id")}
                           for p in event.get("participants") or [] if p.get("entity_id")]
    return out


def main_event(events: list[dict]) -> dict | None:
    """The document's main event: the first whose date and place are precise enough to identify it
    (a strong match of itself), else none."""
    for event in events:
        time = compare_time(event.get("date"), event.get("date"))
        place = compare_place(event.get("place"), event.get("place"))
        if time and place and time.strong and place.strong:
            return compact_event(event)
    return None


def story_date(doc: dict, events: list[dict]) -> dt.date | None:
    """The date a document is placed at in time: its publication date, else the day of the first of
    its events dated to the day from its own text (an undated wire copy that says "on 5 April 2017")."""
    date = published_date(doc)
    if date is not None:
        return date
    for event in events:
        d = event.get("date") or {}
        if d.get("precision") == "day" and d.get("start"):
            try:
                return dt.date.fromisoformat(d["start"][:10])
            except ValueError:
                continue
    return None


def document_features(doc: dict, mentions: list[dict], events: list[dict], redirects: dict | None = None) -> StoryDoc:
    """A stored document with its mentions and (redirected) per-document events."""
    redirects = redirects or {}
    title = doc.get("title") or ""
    terms = term_counts(doc.get("text") or "")
    for term, n in term_counts(title).items():
        terms[term] += 2 * n
    entities: Counter = Counter()
    places: dict[str, dict] = {}
    place_counts: Counter = Counter()
    for m in mentions:
        if m.get("label") not in ENTITY_LABELS:
            continue
        local = local_entity_id(m)
        entities[redirects.get((doc["id"], local)) or redirects.get(local) or local] += 1
        place = m.get("place") or {}
        if place.get("resolved") and has_place(place):
            places.setdefault(place["geonames_id"], {k: place.get(k) for k in
                                                     ("name", "geonames_id", "lat", "lon", "country_code", "precision")})
            place_counts[place["geonames_id"]] += 1
    return StoryDoc(id=doc["id"], title=title, date=story_date(doc, events), terms=terms, entities=entities,
                    types={e["type"] for e in events if e.get("type")},
                    places=[places[g] for g, _ in place_counts.most_common()],
                    main_event=main_event(events))


def text_features(doc_id: str, text: str, title: str = "", date: dt.date | None = None,
                  entities: list[str] = ()) -> StoryDoc:
    """A document known only by its text (and optionally a title, a date and entity names)."""
    terms = term_counts(text)
    for term, n in term_counts(title).items():
        terms[term] += 2 * n
    return StoryDoc(id=doc_id, title=title, date=date, terms=terms,
                    entities=Counter(" ".join(e.casefold().split()) for e in entities))
