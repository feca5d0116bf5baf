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
from datetime import date

from newsgraph import settings
from newsgraph.extraction.entities import extract_entities
from newsgraph.extraction.nlp import load_nlp
from newsgraph.extraction.quantities import find_quantities
from newsgraph.extraction.times import find_times
from newsgraph.pipeline.stages import Stage

VERSION = "extract-1"


def record_id(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _published(doc: dict) -> date | None:
    value = (doc.get("published") or {}).get("value")
    if not value:
        return None
    year, *rest = (int(p) for p in value.split("-"))
    return date(year, *(rest + [1] * (2 - len(rest))))


def analyse(doc: dict) -> dict:
    """Everything extraction finds in one document (an export-shaped document dict)."""
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
    return {
        "mentions": mentions,
        "times": [asdict(t) for t in times],
        "quantities": [asdict(q) for q in quantities],
        "events": [],
        "movements": [],
        "claims": [],
        "notes": notes,
    }


def entity_key(mention: dict) -> tuple[str, str]:
    """Mentions with the same type and canonical name (or alias id) are one entity."""
    name = mention.get("alias_id") or mention.get("canonical") or mention["text"]
    return mention["label"], " ".join(name.casefold().split())


def build_entities(mentions: list[dict]) -> tuple[list[dict], dict[int, str]]:
    groups: dict[tuple[str, str], list[dict]] = {}
    for m in mentions:
        groups.setdefault(entity_key(m), []).append(m)
    entities, links = [], {}
    for (label, key), items in sorted(groups.items()):
        entity_id = "ent-" + record_id(label, key)
        names = [m.get("canonical") or m["text"] for m in items]
        name = max(set(names), key=lambda n: (names.count(n), len(n)))
        attributes: dict = {}
        for m in items:
            for k, v in (m.get("attributes") or {}).items():
                attributes.setdefault(k, v)
        entities.append({
            "id": entity_id, "type": label, "name": name,
            "aliases": sorted({m["text"] for m in items} | {name}),
            "attributes": attributes, "mention_count": len(items),
            "documents": sorted({m["document_id"] for m in items}),
            "alias_id": next((m["alias_id"] for m in items if m.get("alias_id")), None),
        })
        for m in items:
            links[m["mention_id"]] = entity_id
    return entities, links


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
    entities, links = build_entities(list(store.iter_mentions()))
    store.replace_entities(entities, links)
    return (f"analysed {len(todo) - skipped} documents ({skipped} not analysed, see their notes); "
            f"{len(entities)} entities")


STAGE = Stage("extract", run)
