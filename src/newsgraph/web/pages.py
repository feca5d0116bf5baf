"""What each page shows, as plain JSON-ready dicts (the ``.json`` twins); templates render the same dicts.

Every function takes the store and the cached catalog and raises ``NotFound`` for an unknown id.
Corpus-level records (stories, merged events, claim clusters) are used when the corpus stages have
made them; a kind without records gives an empty list, never an error.
"""
from __future__ import annotations

from newsgraph.geo.outlines import bbox_of
from newsgraph.schema.values import DateInterval
from newsgraph.store import views
from newsgraph.web.catalog import Catalog, event_summary, point_of, span_of
from newsgraph.web.text import anchor, blocks, in_context, locate

MAP_LIMIT = 2000


class NotFound(Exception):
    """An unknown id; the message tells people what to try instead."""


_doc_briefs = views.document_briefs
_texts = views.document_texts


def _map(points: list[dict], lines: list[dict] = ()) -> dict:
    coords = [(p["lon"], p["lat"]) for p in points] + [tuple(c) for line in lines for c in line["coords"]]
    return {"points": points, "lines": list(lines), "bbox": list(bbox_of(coords, pad=1.0, min_span=5.0))}


def _timeline(summaries: list[dict]) -> dict:
    items = [s for s in (span_of(e) for e in summaries) if s]
    return {"items": items, "undated": len(summaries) - len(items)}


def _sample(items: list, limit: int) -> list:
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


# -- overview and lists ------------------------------------------------------------------------

def overview(store, cat: Catalog) -> dict:
    shown = _sample(cat.events, MAP_LIMIT)
    notes = []
    if not cat.merged:
        notes.append("no merged events yet: showing the events of each document")
    if len(shown) < len(cat.events):
        notes.append(f"the map and timeline show {len(shown):,} of {len(cat.events):,} events, spread over time")
    stories = [{k: s.get(k) for k in ("id", "title", "label", "summary", "size", "start", "end", "precision", "types")}
               | {"place": (s.get("place") or {}).get("name")} for s in cat.stories[:10]]
    return {
        "counts": cat.counts | {"merged_events": cat.merged},
        "stories": stories,
        "contested": cat.contested(10),
        "most_reported": cat.most_reported(10),
        "events": {"total": len(cat.events), "shown": len(shown)},
        "map": _map([p for p in (point_of(e) for e in shown) if p]),
        "timeline": _timeline(shown) | {"undated": sum(1 for e in cat.events if not e.get("date"))},
        "notes": notes,
    }


def _page(items: list, offset: int, limit: int) -> dict:
    offset, limit = max(0, offset), max(1, limit)  # the routes bound limit (CSV twins allow more)
    return {"total": len(items), "offset": offset, "limit": limit, "items": items[offset:offset + limit]}


FACET_SIZE = 30


def _facet(values) -> list[dict]:
    """[{value, count}] most frequent first (ties by value), at most FACET_SIZE."""
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{"value": v, "count": n} for v, n in ranked[:FACET_SIZE]]


def _year(e: dict) -> str | None:
    return ((e.get("date") or {}).get("start") or "")[:4] or None


def events_list(store, cat: Catalog, offset: int = 0, limit: int = 100, type: str | None = None,
                place: str | None = None, source: str | None = None, year: str | None = None,
                dated: bool | None = None) -> dict:
    """Events filtered by type, place name, source, year of their start and dated or not, with
    the counts of each facet over the filtered events."""
    filters = {"type": type, "place": place, "source": source, "year": year, "dated": dated}

    def select() -> tuple[list, dict]:
        items = cat.events
        if type:
            items = [e for e in items if e["type"] == type]
        if place:
            folded = place.casefold()
            items = [e for e in items if ((e.get("place") or {}).get("name") or "").casefold() == folded]
        if source:
            items = [e for e in items if source in (e.get("sources") or ())]
        if year:
            items = [e for e in items if _year(e) == year]
        if dated is not None:
            items = [e for e in items if bool(e.get("date")) == dated]
        facets = {
            "type": _facet(e["type"] for e in items),
            "place": _facet((e.get("place") or {}).get("name") for e in items if (e.get("place") or {}).get("name")),
            "source": _facet(s for e in items for s in e.get("sources") or ()),
            "year": sorted(_facet(_year(e) for e in items if _year(e)), key=lambda f: f["value"]),
            "undated": sum(1 for e in items if not e.get("date")),
        }
        return items, facets

    # the unfiltered list and each type's are kept with the snapshot (a bounded set of keys)
    if place is None and source is None and year is None and dated is None and (not type or type in cat.types):
        items, facets = cat.memo(("events", type), select)
    else:
        items, facets = select()
    out = _page(items, offset, limit)
    out["types"] = cat.types
    out["merged"] = cat.merged
    out["filters"] = {k: v for k, v in filters.items() if v is not None}
    out["facets"] = facets
    return out


def stories_list(store, cat: Catalog, offset: int = 0, limit: int = 100) -> dict:
    return _page([{k: s.get(k) for k in ("id", "title", "summary", "size", "start", "end", "precision", "types")}
                  for s in cat.stories], offset, limit)


def claims_list(store, cat: Catalog, offset: int = 0, limit: int = 100, grade: int | None = None,
                contradicted: bool | None = None) -> dict:
    """Claim clusters (by grade, the analyst's when overridden, and contradicted or not) with the
    counts of each facet; per-document claims before clustering."""
    if cat.clusters:
        ranked = sorted(cat.clusters, key=lambda c: (-c["article_count"], -c["contradicting"], c["id"]))
        if grade is not None:
            ranked = [c for c in ranked if c["grade"] == grade]
        if contradicted is not None:
            ranked = [c for c in ranked if bool(c["contradicting"]) == contradicted]
        facets = {"grade": sorted(_facet(c["grade"] for c in ranked), key=lambda f: f["value"] or 0),
                  "contradicted": sum(1 for c in ranked if c["contradicting"])}
        filters = {k: v for k, v in (("grade", grade), ("contradicted", contradicted)) if v is not None}
        return _page(ranked, offset, limit) | {"clusters": True, "facets": facets, "filters": filters}
    rows = views.records(store, "claims")
    return _page([{"id": c["id"], "text": c.get("text"), "publisher": c.get("publisher"),
                   "origin": (c.get("origin") or {}).get("name")} for c in rows], offset, limit) | {"clusters": False}


def entities_list(store, cat: Catalog, offset: int = 0, limit: int = 100, type: str | None = None) -> dict:
    items, types = views.entity_rows(store, type)
    items.sort(key=lambda e: (-e["mention_count"], e["name"], e["id"]))
    return _page(items, offset, limit) | {"types": types}


def sources_list(store, cat: Catalog) -> dict:
    items = list(store.iter_sources())
    return {"total": len(items), "items": items}


def documents_list(store, cat: Catalog, offset: int = 0, limit: int = 100) -> dict:
    page = _page(views.document_ids(store), offset, limit)
    briefs = _doc_briefs(store, page["items"])
    page["items"] = [briefs[i] for i in page["items"]]
    return page


# -- one record --------------------------------------------------------------------------------

def _evidence_items(store, evidence: list[dict], terms=(), extra: tuple[str, ...] = ()) -> list[dict]:
    texts = _texts(store, [e.get("document_id") for e in evidence])
    briefs = _doc_briefs(store, texts)
    out = []
    for e in evidence:
        doc = e.get("document_id")
        ctx = in_context(texts.get(doc, ""), e.get("sentence") or "", e.get("start"), e.get("end"),
                         terms=[t for t in terms if t], spans=[(e.get("start"), e.get("end"))])
        fragment = anchor(texts.get(doc, ""), e.get("sentence") or "", e.get("start"), e.get("end"))
        item = {"document_id": doc, "document_title": (briefs.get(doc) or {}).get("title"),
                "source": e.get("source") or (briefs.get(doc) or {}).get("source"), **ctx,
                "anchor": fragment, "href": f"/documents/{doc}#{fragment}"}
        for key in extra:
            if e.get(key) is not None:
                item[key] = e[key]
        out.append(item)
    return out


def event_page(store, cat: Catalog, event_id: str) -> dict:
    record, merged = store.get_corpus_record("event", event_id), True
    if record is None:
        record, merged = _per_document("events", store, event_id), False
    if record is None:
        raise NotFound(f"no event {event_id!r} in this knowledge base: find events at /events or /search")
    summary = event_summary(record, merged)
    terms = [p.get("name") for p in record.get("participants") or []] + \
        [(record.get("place") or {}).get("name"), (record.get("place") or {}).get("mention"),
         (record.get("count") or {}).get("text"), (record.get("trigger") or {}).get("text")]
    count = record.get("count")
    members = []
    if merged and record.get("members"):
        members = record["members"]
    return {
        "event": summary | {
            "fatalities": record.get("fatalities"), "money": record.get("money") or [],
            "count": count, "sub_counts": record.get("sub_counts") or [], "mappings": record.get("mappings"),
            "place": record.get("place"), "date": record.get("date"), "merge": record.get("merge"),
            "members": members, "merged_into": None if merged else cat.member_event.get(event_id),
        },
        "evidence": _evidence_items(store, record.get("evidence") or [], terms),
        "documents": list(_doc_briefs(store, summary["documents"]).values()),
        "map": _map([p for p in [point_of(summary)] if p]),
        "timeline": _timeline([summary]),
    }


def _per_document(kind: str, store, record_id: str) -> dict | None:
    return views.record(store, kind, record_id)


def _graph(origins: list[dict], publishers: list[str] = ()) -> dict:
    """Nodes and edges of the origin chains: publisher -> ... -> first-hand origin."""
    nodes: dict[str, dict] = {}
    edges: list[list[str]] = []
    for o in origins:
        chain = [c for c in (o.get("chain") or [o.get("name")]) if c]
        for depth, name in enumerate(chain):
            last = depth == len(chain) - 1
            node = nodes.setdefault(name, {"id": name, "label": name, "depth": depth,
                                           "kind": "outlet" if depth == 0 and not last else None,
                                           "interested": False, "side": o.get("side")})
            node["depth"] = max(node["depth"], depth)
            if last:
                node["kind"] = o.get("kind") or node["kind"] or "unknown"
                node["interested"] = node["interested"] or bool(o.get("interested"))
                node["origin"] = True
            if depth:
                edge = [chain[depth - 1], name]
                if edge not in edges and edge[0] != edge[1]:
                    edges.append(edge)
    for name in publishers:
        nodes.setdefault(name, {"id": name, "label": name, "depth": 0, "kind": "outlet", "interested": False})
    return {"nodes": sorted(nodes.values(), key=lambda n: (n["depth"], n["id"])), "edges": edges}


def claim_page(store, cat: Catalog, claim_id: str) -> dict:
    cluster = store.get_corpus_record("claim_cluster", claim_id)
    if cluster is None:
        claim = _per_document("claims", store, claim_id)
        if claim is None:
            raise NotFound(f"no claim {claim_id!r} in this knowledge base: find claims at /claims or /search")
        return _single_claim(store, cat, claim)
    terms = [cluster.get("subject"), cluster.get("object")]
    cred = cluster.get("credibility") or {}
    return {
        "cluster": {k: cluster.get(k) for k in ("id", "text", "subject", "predicate", "object", "claims", "documents",
                                                  "independent_origins", "article_count", "story_id", "hedged",
                                                  "slots", "event_type")},
        "credibility": cred or None,
        "supporting": _evidence_items(store, cluster.get("supporting") or [], terms, ("claim_id", "text")),
        "contradicting": _evidence_items(store, cluster.get("contradicting") or [], terms,
                                         ("claim_id", "text", "reason")),
        "related": _evidence_items(store, cluster.get("related") or [], terms, ("claim_id", "text", "reason")),
        "origins": cluster.get("origins") or [],
        "graph": _graph(cluster.get("origins") or []),
        "documents": list(_doc_briefs(store, cluster.get("documents") or []).values()),
    }


def _single_claim(store, cat: Catalog, claim: dict) -> dict:
    origin = claim.get("origin") or {}
    speaker = (claim.get("speaker") or {}).get("text")
    chain = [claim.get("publisher") or "unknown publisher"]
    if speaker and speaker not in chain and speaker != origin.get("name"):
        chain.append(speaker)
    if origin.get("name") and origin["name"] not in chain:
        chain.append(origin["name"])
    origins = [{"name": chain[-1], "kind": origin.get("kind") or ("outlet" if len(chain) == 1 else "unknown"),
                "chain": chain, "interested": False}]
    evidence = [dict(e, text=claim.get("text")) for e in claim.get("evidence") or []]
    terms = [(claim.get("subject") or {}).get("text"), (claim.get("object") or {}).get("text")]
    return {
        "claim": {k: claim.get(k) for k in ("id", "text", "type", "subject", "predicate", "object", "slots",
                                              "modality", "negated", "publisher", "speaker", "origin", "cue",
                                              "hedges", "quote")},
        "cluster_id": cat.claim_cluster.get(claim["id"]),
        "credibility": None,
        "supporting": _evidence_items(store, evidence, terms, ("text",)),
        "contradicting": [], "related": [],
        "origins": origins, "graph": _graph(origins),
        "documents": list(_doc_briefs(store, [e.get("document_id") for e in evidence]).values()),
    }


def entity_page(store, cat: Catalog, entity_id: str) -> dict:
    entity = views.record(store, "entities", entity_id)
    if entity is None:
        from newsgraph.corpus.entities import entity_redirects

        target = entity_redirects(store).get(entity_id)
        if target and target != entity_id:
            return {"redirect": f"/entities/{target}", "entity": {"id": target}}
        raise NotFound(f"no entity {entity_id!r} in this knowledge base (it may have been merged): "
                       "find people, groups and places at /entities or /search")
    ids = {entity_id, *(entity.get("local_ids") or [])}
    names = {a.casefold() for a in (entity.get("aliases") or [])} | {(entity.get("name") or "").casefold()}
    docs = set(entity.get("documents") or [])
    found: set[int] = set()
    for i in ids:
        found.update(cat.by_entity.get(i, []))
    for n in names:
        found.update(i for i in cat.by_name.get(n, []) if set(cat.events[i]["documents"]) & docs)
    gid = ((entity.get("attributes") or {}).get("place") or {}).get("geonames_id")
    if gid:
        found.update(cat.by_geonames.get(str(gid), []))
    events = [cat.events[i] for i in sorted(found)]
    legs, movements = _legs(cat, ids, names, docs)
    leg_texts = _texts(store, [(leg.get("evidence") or {}).get("document_id") for leg in legs])
    for leg in legs:
        ev = leg.get("evidence") or {}
        if ev.get("document_id"):
            fragment = anchor(leg_texts.get(ev["document_id"], ""), ev.get("sentence") or "", ev.get("start"),
                              ev.get("end"))
            leg["href"] = f"/documents/{ev['document_id']}#{fragment}"
    mentions = _mentions(store, entity_id)
    lines = [{"coords": leg["coords"], "label": leg["label"], "seq": leg["seq"], "href": leg["href"]}
             for leg in legs if len(leg["coords"]) >= 2]
    points = [p for p in (point_of(e) for e in events) if p]
    for leg in legs:
        if leg["coords"]:
            lon, lat = leg["coords"][-1]
            points.append({"id": f"leg-{leg['seq']}", "lat": lat, "lon": lon, "type": "stop",
                           "label": f"{leg['seq']}. {leg['label']}", "href": leg["href"]})
    place = (entity.get("attributes") or {}).get("place") or {}
    if place.get("lat") is not None and not points and not lines:
        points = [{"id": entity_id, "lat": place["lat"], "lon": place["lon"], "label": entity.get("name"),
                   "type": "place", "href": f"/entities/{entity_id}"}]
    return {
        "entity": entity,
        "mentions": mentions,
        "events": events,
        "movements": movements,
        "legs": legs,
        "documents": sorted(_doc_briefs(store, docs).values(), key=lambda d: (d["published"]["value"] or "", d["id"])),
        "decisions": [d for d in store.iter_decisions() if d["kind"].startswith("entity_") and
                      (d["subject"] == entity_id or (d["data"] or {}).get("other") == entity_id)],
        "map": _map(points, lines),
        "timeline": _timeline(events),
    }


def _place_point(p: dict | None) -> list | None:
    if p and p.get("lat") is not None and p.get("lon") is not None:
        return [p["lon"], p["lat"]]
    return None


def _leg_date(date: dict | None) -> dict | None:
    d = DateInterval.from_json(date) if date else None
    return d.to_json() if d else None


def _legs(cat: Catalog, ids: set, names: set, docs: set) -> tuple[list[dict], list[dict]]:
    chosen = []
    for m in cat.movements:
        person = m.get("person") or {}
        doc = ((m.get("evidence") or [{}])[0]).get("document_id")
        if person.get("entity_id") in ids or (
                doc in docs and {(person.get(k) or "").casefold() for k in ("canonical", "text")} & names):
            chosen.append(m)
    legs = []
    for order, m in enumerate(chosen):
        previous = None
        for n, leg in enumerate(m.get("legs") or []):
            stops = [leg.get("from")] + list(leg.get("via") or []) + [leg.get("to")]
            coords = [c for c in (_place_point(s) for s in stops) if c]
            if _place_point(leg.get("from")) is None and previous and coords and previous != coords[0]:
                coords.insert(0, previous)
            previous = coords[-1] if coords else previous
            date = _leg_date(leg.get("date"))
            names_ = " → ".join((s or {}).get("name") or "?" for s in stops if s)
            legs.append({"movement_id": m["id"], "date": date, "means": leg.get("means"),
                         "from": (leg.get("from") or {}).get("name"), "to": (leg.get("to") or {}).get("name"),
                         "via": [(v or {}).get("name") for v in leg.get("via") or []],
                         "facilitator": leg.get("facilitator"), "cost": leg.get("cost"), "kind": leg.get("kind"),
                         "label": names_, "coords": coords, "evidence": leg.get("evidence"),
                         "href": f"/documents/{(leg.get('evidence') or {}).get('document_id', '')}",
                         "_order": ((date or {}).get("start") or "9999", order, n)})
    legs.sort(key=lambda leg: leg.pop("_order"))
    for seq, leg in enumerate(legs, 1):
        leg["seq"] = seq
    return legs, [{"id": m["id"], "person": (m.get("person") or {}).get("text"), "legs": len(m.get("legs") or [])}
                  for m in chosen]


def _mentions(store, entity_id: str, limit: int = 200) -> dict:
    total, rows = views.mentions(store, entity_id=entity_id, limit=limit)
    texts = _texts(store, [r["document_id"] for r in rows])
    briefs = _doc_briefs(store, texts)
    items = []
    for r in rows:
        text = texts.get(r["document_id"], "")
        s0 = r["sentence_start"] if r["sentence_start"] is not None else max(0, r["start"] - 120)
        s1 = r["sentence_end"] if r["sentence_end"] is not None else r["end"] + 120
        anchor_ = f"#c-{r['sentence_start']}-{r['sentence_end']}" if r["sentence_start"] is not None else ""
        items.append({"document_id": r["document_id"], "href": f"/documents/{r['document_id']}{anchor_}",
                      "document_title": (briefs.get(r["document_id"]) or {}).get("title"),
                      "start": r["start"], "end": r["end"], "text": r["text"], "label": r["label"],
                      "sentence": text[s0:s1], "marks": [[r["start"] - s0, r["end"] - s0]]})
    return {"total": total, "items": items}


def source_page(store, cat: Catalog, source_id: str) -> dict:
    source = next((s for s in store.iter_sources() if s["id"] == source_id), None)
    if source is None:
        raise NotFound(f"no source {source_id!r} in this knowledge base: see every outlet at /sources")
    ids = views.document_ids(store, source_id)
    name = source["name"]
    if cat.clusters:
        claims = [c for c in cat.clusters if name in c["sources"]]
    else:
        rows = views.records(store, "claims", ids)
        claims = [{"id": c["id"], "text": c.get("text"), "origin": (c.get("origin") or {}).get("name")} for c in rows]
    briefs = _doc_briefs(store, ids)
    return {
        "source": source,
        "documents": [briefs[i] for i in ids if i in briefs],
        "claims": claims[:200], "claims_total": len(claims),
        "decisions": [d for d in store.iter_decisions("source_reliability") if d["subject"] == source_id],
    }


def document_page(store, cat: Catalog, doc_id: str) -> dict:
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFound(f"no document {doc_id!r} in this knowledge base: see the documents at /documents")
    doc.pop("offset_map", None)
    _, rows = views.mentions(store, document_id=doc_id)
    events = views.records(store, "events", [doc_id])
    claims = views.records(store, "claims", [doc_id])
    source_id = None
    if doc.get("source"):
        source_id = next((s["id"] for s in store.iter_sources() if s["name"] == doc["source"]), None)
    dups = _doc_briefs(store, [d["id"] for d in doc.get("near_duplicates") or []])
    summaries = [event_summary(e, False) | {"merged_into": cat.member_event.get(e["id"])} for e in events]
    text = doc["text"] or ""
    cited = []
    movements = views.records(store, "movements", [doc_id])
    for kind, records in (("event", events), ("claim", claims), ("movement", movements)):
        for r in records:
            if kind == "event":
                href, label = f"/events/{cat.member_event.get(r['id']) or r['id']}", \
                    "event: " + (r.get("type") or "").replace("_", " ")
            elif kind == "claim":
                href, label = f"/claims/{cat.claim_cluster.get(r['id']) or r['id']}", \
                    "claim: " + (r.get("text") or r["id"])[:80]
            else:
                person = r.get("person") or {}
                href = f"/entities/{person['entity_id']}" if person.get("entity_id") else None
                label = "movement: " + (person.get("text") or r.get("name") or "")
            evidence = list(r.get("evidence") or [])
            if kind == "movement":
                evidence = [leg.get("evidence") for leg in r.get("legs") or [] if leg.get("evidence")]
            for e in evidence:
                s0, s1 = locate(text, e.get("sentence") or "", e.get("start"), e.get("end"))
                if s1 > s0 and href:
                    cited.append({"start": s0, "end": s1, "anchor": f"c-{s0}-{s1}", "href": href, "label": label,
                                  "kind": kind, "record_id": r["id"]})
    # every sentence naming an entity can be linked to as well (entity pages link their mentions)
    for r in rows:
        if r.get("sentence_start") is not None and r.get("sentence_end", 0) > r["sentence_start"]:
            cited.append({"start": r["sentence_start"], "end": r["sentence_end"],
                          "anchor": f"c-{r['sentence_start']}-{r['sentence_end']}", "href": None, "label": None,
                          "kind": "mention", "record_id": None})
    return {
        "document": {k: v for k, v in doc.items() if k != "text"} | {"source_id": source_id},
        "text": doc["text"],
        "mentions": [{k: r[k] for k in ("start", "end", "label", "text", "entity_id")} for r in rows],
        "near_duplicates": [dict(d, title=(dups.get(d["id"]) or {}).get("title"))
                            for d in doc.get("near_duplicates") or []],
        "events": summaries,
        "claims": [{"id": c["id"], "text": c.get("text"), "cluster_id": cat.claim_cluster.get(c["id"]),
                    "origin": (c.get("origin") or {}).get("name")} for c in claims],
        "map": _map([p for p in (point_of(e) for e in summaries) if p]),
        "cited": cited,
    }


def story_page(store, cat: Catalog, story_id: str) -> dict:
    story = store.get_corpus_record("story", story_id)
    if story is None:
        raise NotFound(f"no story {story_id!r} in this knowledge base: see the stories at /stories")
    wanted = set(story.get("events") or [])
    events = [e for e in cat.events if e["id"] in wanted or e.get("story_id") == story_id]
    claims = [c for c in cat.clusters if c.get("story_id") == story_id]
    return {
        "story": story, "events": events, "claims": claims,
        "documents": sorted(_doc_briefs(store, story.get("documents") or []).values(),
                            key=lambda d: (d["published"]["value"] or "", d["id"])),
        "map": _map([p for p in (point_of(e) for e in events) if p]),
        "timeline": _timeline(events),
    }


def document_segments(page: dict) -> list[dict]:
    """The document text cut into blocks: the sentences events and claims cite (with their
    ``c-START-END`` anchor and links back to those records) and the text between, each holding
    its plain and highlighted pieces (mentions link to their entity)."""
    marks, labels = [], []
    for m in page["mentions"]:
        marks.append([m["start"], m["end"]])
        labels.append({"label": m["label"], "href": f"/entities/{m['entity_id']}" if m.get("entity_id") else None})
    return blocks(page["text"] or "", page.get("cited") or [], marks, labels)

