"""Stories (corpus kind "story") and merged events (kind "event"): the corpus stage at order 20.

New documents, in publication order (undated ones last), join the best existing story or start one
(``stories_cluster.StoryIndex``); then their per-document events join merged events
(``events.EventMerger``), events without a precise date and place only inside their story. Only the
stories and merged events the new documents touch are rewritten. The clustering state (story
signatures, document frequencies) is kept as corpus kinds "story_signature" and "story_model".
"""
from __future__ import annotations

from collections import Counter, defaultdict

from newsgraph.corpus.events import document_of, merged_record, redirect
from newsgraph.corpus.stories_stored import StoredEvents, StoredStories, document_redirects, event_keys, key, story_keys
from newsgraph.corpus.stories_features import document_features, published_date
from newsgraph.corpus.stories_text import STOP, jaccard
from newsgraph.pipeline.stages import Stage

VERSION = "stories-2"
BATCH = 2000  # documents per batch of a run
MODEL_ID = "tfidf"


def _origins(docs: dict[str, dict]) -> dict[str, str]:
    """Each document's origin group: near-duplicates (linked at ingest) share the earliest id."""
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc_id, doc in docs.items():
        for near in doc.get("near_duplicates") or []:
            if near.get("id") in parent:
                a, b = sorted((find(doc_id), find(near["id"])))
                parent[b] = a
    return {d: find(d) for d in docs}


def _sort_key(doc: dict) -> tuple:
    date = published_date(doc)
    return (date is None, date.isoformat() if date else "", doc["id"])


def _light(doc: dict) -> dict:
    return {k: doc.get(k) for k in ("id", "title", "source", "published", "near_duplicates")}


def run(store, advance) -> str:
    pending = store.documents_pending("stories", VERSION)
    if not pending:
        return "no new documents for stories"
    fresh = not store.has_done("stories", VERSION)
    order = sorted(({"id": d, "published": p} for d, p in store.document_dates(pending).items()), key=_sort_key)
    touched: set[str] = set()
    updated = 0
    for start in range(0, len(order), BATCH):  # batches in publication order: memory bounded by the batch
        stories, records = _batch(store, [d["id"] for d in order[start:start + BATCH]], fresh and start == 0, advance)
        touched |= stories
        updated += records
    total = store.count_corpus_records("story"), store.count_corpus_records("event")
    return (f"{len(order)} documents into {len(touched)} stories ({total[0]} in all); "
            f"{updated} merged events updated ({total[1]} in all)")


def _batch(store, ids: list[str], fresh: bool, advance) -> tuple[set[str], int]:
    """Cluster these documents (in this order) and merge their events; returns the stories touched
    and how many merged events were written."""
    docs = store.get_documents(ids)
    light = {d: _light(docs[d]) for d in ids if d in docs}
    todo = [light[d] for d in ids if d in light]
    index = StoredStories(store, fresh, None if fresh else store.get_corpus_record("story_model", MODEL_ID))
    new_ids = [d["id"] for d in todo]
    redirects = document_redirects(store, new_ids)
    events_by_doc: dict[str, list[dict]] = defaultdict(list)
    for event in store.records_of("events", new_ids):
        events_by_doc[document_of(event)].append(redirect(event, redirects))
    mentions_by_doc: dict[str, list[dict]] = defaultdict(list)
    for m in store.mentions_of(new_ids):
        mentions_by_doc[m["document_id"]].append(m)

    touched_stories: set[str] = set()
    for doc in todo:
        features = document_features(docs[doc["id"]], mentions_by_doc[doc["id"]], events_by_doc[doc["id"]], redirects)
        story_id, _, _ = index.add(features)
        touched_stories.add(story_id)
        advance(doc.get("title") or doc["id"])

    merger = StoredEvents(store, fresh, index, jaccard)
    for doc in todo:
        published = published_date(doc)
        for event in events_by_doc[doc["id"]]:
            if published is not None:
                event = {**event, "reported": published.isoformat()}
            merger.add(event, index.story_of.get(doc["id"]))

    # what the records of the touched merged events and stories need: the documents they hold
    touched = [merger.clusters[cid] for cid in sorted(merger.touched)]
    for cluster in touched:
        touched_stories.update(filter(None, index.stories_of(cluster.documents).values()))
    index.load(touched_stories)
    story_docs = {d for sid in touched_stories for d in index.stories[sid].documents}
    if not fresh:  # merged events of the touched stories' documents that this run did not touch
        others = store.corpus_keys("event", [key("doc", d) for d in story_docs])
        merger.restore_ids({cid for ids in others.values() for cid in ids})
    needed = story_docs | {d for c in merger.clusters.values() for d in c.documents}
    light.update({d: _light(doc) for d, doc in store.get_documents(needed - set(light)).items()})
    source_of = {d: light[d].get("source") for d in light}
    reliability = {s["name"]: s.get("reliability") for s in store.iter_sources()}
    origin_of = _origins(light)
    records = {c.id: merged_record(c, source_of, reliability, origin_of) for c in touched}
    events_of_story: dict[str, list[dict]] = defaultdict(list)
    for cid, cluster in merger.clusters.items():
        if cid in merger.deleted or not cluster.members:
            continue
        record = records.get(cid) or merged_record(cluster, source_of, reliability, origin_of)
        for sid in dict.fromkeys(index.story_of.get(d) for d in record["documents"]):
            if sid in touched_stories:
                events_of_story[sid].append(record)
    stories = [story_record(index.stories[sid], events_of_story[sid], light) for sid in sorted(touched_stories)]

    with store.atomic():  # the stories, events, their keys and the marks of the documents commit together
        if fresh:
            store.replace_corpus_records("event", records.values())
            store.replace_corpus_records("story", stories)
            store.replace_corpus_records("story_signature", [s.signature() for s in index.stories.values()])
        else:
            store.upsert_corpus_records("event", records.values(), delete_ids=merger.deleted)
            store.upsert_corpus_records("story", stories)
            store.upsert_corpus_records("story_signature", [index.stories[s].signature() for s in touched_stories])
        store.set_corpus_keys("event", {**{c.id: event_keys(c) for c in touched}, **{d: [] for d in merger.deleted}},
                              replace_all=fresh)
        store.set_corpus_keys("story", {sid: story_keys(index.stories[sid]) for sid in touched_stories},
                              replace_all=fresh)
        store.upsert_corpus_records("story_model", [{"id": MODEL_ID, **index.model()}])
        store.mark_done("stories", VERSION, ids)
    return touched_stories, len(records)


# ---- the story record ----

def _main_event(story_docs: list[str], events: list[dict]) -> dict | None:
    """The event most of the story's documents report (a dated, placed, precise one first)."""
    if not events:
        return None
    position = {d: i for i, d in enumerate(story_docs)}

    def rank(e: dict) -> tuple:
        docs = [d for d in e["documents"] if d in position]
        first = min(docs, key=position.get, default=None)
        offset = min((ev.get("start") or 0 for ev in e.get("evidence") or [] if ev.get("document_id") == first),
                     default=0)
        return (-len(docs), e.get("date") is None, e.get("place") is None, position.get(first, 0), offset,
                e.get("count") is None, e["id"])

    return min(events, key=rank)


def _unit(unit: str | None, value: float) -> str:
    if not unit:
        return ""
    if unit == "person":
        return "person" if value == 1 else "people"
    if value == 1 or unit.endswith("s"):
        return unit
    return {"man": "men", "woman": "women", "child": "children"}.get(unit, unit + "s")


def _amount(count: dict | None) -> str:
    if not count:
        return ""
    unit = _unit(count.get("unit"), 2)
    low, high = count.get("low"), count.get("high")
    if low is not None and high is not None and low != high:
        text = f"{low:g} to {high:g} {unit}".rstrip()
        if count["sources"]["low"] != count["sources"]["high"]:
            parts = [f"{low:g} according to {', '.join(count['sources']['low'])}",
                     f"{high:g} according to {', '.join(count['sources']['high'])}"]
            text += f" ({'; '.join(parts)})"
        return text
    value = count.get("best") if count.get("best") is not None else low if low is not None else high
    if value is None:
        return ""
    more = "more than " if count.get("best") is None and high is None and low is not None else ""
    value = (value - 1) if more else value
    return f"{more}{value:g} {_unit(count.get('unit'), value)}".rstrip()


def _when(date: dict | None) -> str:
    if not date or not date.get("start"):
        return ""
    if date.get("precision") == "day" and date["start"] == date.get("end"):
        return f" on {date['start']}"
    if date.get("precision") == "month":
        return f" in {date['start'][:7]}"
    if date.get("precision") == "year":
        return f" in {date['start'][:4]}"
    return f" between {date['start']} and {date.get('end')}"


def event_label(event: dict) -> str:
    """A short label: "Arrest in Gaziantep, 2017-10"."""
    label = (event.get("type") or "event").replace("_", " ").capitalize()
    if event.get("place"):
        label += f" in {event['place']['name']}"
    if (event.get("date") or {}).get("start"):
        label += f", {event['date']['start'][:7]}"
    return label


def _named(participant: dict) -> bool:
    """A participant worth naming in a summary: a resolved entity or a capitalised name that does not
    start with a pronoun or quantifier ("they", "Several dozen")."""
    name = participant.get("name") or ""
    words = name.split()
    return bool(words) and (bool(participant.get("entity_id")) or (name[0].isupper() and words[0].casefold() not in STOP))


def summary_sentence(event: dict) -> str:
    """One sentence from a merged event: what, by whom, where, when, how many, how many reports."""
    text = (event.get("type") or "event").replace("_", " ").capitalize()
    agents = [p["name"] for p in event.get("participants") or [] if p.get("role") == "agent" and _named(p)]
    if agents:
        text += f" by {agents[0]}"
    if event.get("place"):
        text += f" in {event['place']['name']}"
    text += _when(event.get("date"))
    amount = _amount(event.get("count"))
    if amount:
        text += f": {amount}"
    n, outlets = len(event["documents"]), len(event.get("sources") or [])
    text += f"; reported in {n} document{'s' if n != 1 else ''}"
    if outlets:
        text += f" from {outlets} outlet{'s' if outlets != 1 else ''}"
    return text + "."


def story_record(story, events: list[dict], docs: dict[str, dict]) -> dict:
    """The corpus "story" record (shape in the corpus contract)."""
    documents = list(story.documents)
    main = _main_event(documents, events)
    shared = Counter()
    for e in events:
        for d in e["documents"]:
            if d in docs:
                shared[d] += len(e["documents"]) - 1
    central = max(documents, key=lambda d: (shared[d], -documents.index(d)))
    title = docs.get(central, {}).get("title") or (event_label(main) if main else central)
    ordered = sorted(events, key=lambda e: (e is not main, -len(e["documents"]), e["id"]))
    dates = sorted(d for d in (published_date(docs[x]) for x in documents if x in docs) if d)
    if main and (main.get("date") or {}).get("start"):
        start, end, precision = main["date"]["start"], main["date"].get("end"), main["date"].get("precision")
    elif dates:
        start, end, precision = dates[0].isoformat(), dates[-1].isoformat(), "day"
    else:
        start = end = precision = None
    types = Counter(e["type"] for e in events if e.get("type"))
    if main:
        summary = summary_sentence(main)
    else:
        summary = f"{len(documents)} document{'s' if len(documents) != 1 else ''} without a merged event: {title}."
    return {
        "id": story.id, "title": title, "label": event_label(main) if main else title, "summary": summary,
        "documents": documents, "events": [e["id"] for e in ordered], "main_event": main["id"] if main else None,
        "start": start, "end": end, "precision": precision, "place": main.get("place") if main else None,
        "types": [t for t, _ in types.most_common()],
        "entities": [e for e, _ in sorted(story.entities.items(), key=lambda kv: -kv[1])[:20]],
        "size": len(documents),
    }


STAGE = Stage("stories", run, requires=("documents", "events", "entities"), provides=("stories", "merged_events"))
