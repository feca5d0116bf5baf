"""A cached, read-only snapshot of what the overview, lists and entity pages need across the whole
knowledge base: compact event summaries (merged events when the corpus stage has made them, else
the per-document events), stories, claim clusters in brief, movements, and lookup tables.

The snapshot is rebuilt when the store's fingerprint changes (record counts and latest write
times, checked at most once a second) or when the app records an edit.
"""
from __future__ import annotations

import gc
import threading
import time

from newsgraph.store import views


def event_title(e: dict) -> str:
    """"arrest in Gaziantep, 2017-10-02": type, place and date as far as they are known."""
    title = (e.get("type") or "event").replace("_", " ")
    place = (e.get("place") or {}).get("name")
    date = e.get("date") or {}
    if place:
        title += f" in {place}"
    if date.get("start"):
        end = date.get("end")
        title += f", {date['start']}" + (f" to {end}" if end and end != date["start"] else "")
    return title


def event_summary(e: dict, merged: bool) -> dict:
    """The short form of a merged or per-document event used by lists, maps and timelines."""
    place = e.get("place") or None
    if place and place.get("lat") is None:
        place = {k: place.get(k) for k in ("name", "precision", "country_code")}
    evidence = e.get("evidence") or []
    documents = e.get("documents") or sorted({x.get("document_id") for x in evidence if x.get("document_id")})
    sources = e.get("sources") or sorted({x.get("source") for x in evidence if x.get("source")})
    date = e.get("date") or None
    return {
        "id": e["id"], "type": e.get("type"), "title": event_title(e), "merged": merged,
        "date": {k: date.get(k) for k in ("start", "end", "precision")} if date and date.get("start") else None,
        "place": {k: place.get(k) for k in ("name", "lat", "lon", "precision", "country_code", "geonames_id")}
        if place else None,
        "participants": [{"role": p.get("role"), "name": p.get("name"), "entity_id": p.get("entity_id")}
                         for p in e.get("participants") or []],
        "count": _count(e.get("count")), "factuality": e.get("factuality"),
        "documents": documents, "sources": sources, "story_id": e.get("story_id"),
    }


def _count(count: dict | None) -> dict | None:
    if not count:
        return None
    return {k: count.get(k) for k in ("low", "best", "high", "unit", "text") if count.get(k) is not None}


def point_of(summary: dict) -> dict | None:
    place = summary.get("place") or {}
    if place.get("lat") is None or place.get("lon") is None:
        return None
    return {"id": summary["id"], "lat": round(place["lat"], 5), "lon": round(place["lon"], 5),
            "label": summary["title"], "place": place.get("name"),
            "type": summary["type"], "precision": place.get("precision"), "href": f"/events/{summary['id']}"}


def span_of(summary: dict) -> dict | None:
    date = summary.get("date") or {}
    if not date.get("start"):
        return None
    return {"id": summary["id"], "start": date["start"], "end": date.get("end") or date["start"],
            "precision": date.get("precision"), "label": summary["title"], "type": summary["type"],
            "href": f"/events/{summary['id']}"}


def _sort_key(summary: dict) -> tuple:
    return ((summary.get("date") or {}).get("start") or "9999", summary["id"])


class Catalog:
    def __init__(self, store):
        self._memo: dict = {}
        self.member_event: dict[str, str] = {}
        rows = views.catalog_rows(store)
        self.merged = rows["merged"]
        events = []
        for e in rows["events"]:
            events.append(event_summary(e, self.merged))
            for m in e.get("members") or []:
                self.member_event[m] = e["id"]
        self.events = sorted(events, key=_sort_key)
        self.stories = rows["stories"]
        clusters = rows["clusters"]
        self.movements = rows["movements"]
        self.counts = rows["counts"]
        self.stories.sort(key=lambda s: (-(s.get("size") or len(s.get("documents") or [])), s["id"]))
        self.clusters = [_cluster_brief(c) for c in clusters]
        self.claim_cluster = {cid: c["id"] for c in clusters for cid in c.get("claims") or []}
        self.counts.update({"events": len(self.events), "stories": len(self.stories),
                            "claim_clusters": len(self.clusters)})
        self.by_id = {e["id"]: i for i, e in enumerate(self.events)}
        self.types = sorted({e["type"] for e in self.events if e["type"]})
        self.by_entity: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_geonames: dict[str, list[int]] = {}
        for i, e in enumerate(self.events):
            for p in e["participants"]:
                if p.get("entity_id"):
                    self.by_entity.setdefault(p["entity_id"], []).append(i)
                if p.get("name"):
                    self.by_name.setdefault(p["name"].casefold(), []).append(i)
            gid = (e.get("place") or {}).get("geonames_id")
            if gid:
                self.by_geonames.setdefault(str(gid), []).append(i)

    def memo(self, key: str, make):
        """A value computed once per snapshot (the overview, for one)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def contested(self, n: int = 10) -> list[dict]:
        ranked = sorted(self.clusters, key=lambda c: (-c["contradicting"], -c["independent_origins"],
                                                      -c["article_count"], c["id"]))
        return [c for c in ranked if c["contradicting"]][:n]

    def most_reported(self, n: int = 10) -> list[dict]:
        ranked = sorted(self.clusters, key=lambda c: (-c["independent_origins"], -c["article_count"], c["id"]))
        return [c for c in ranked if c["article_count"] > 1][:n]


def _cluster_brief(c: dict) -> dict:
    cred = c.get("credibility") or {}
    override = cred.get("override") or None
    return {
        "id": c["id"], "text": c.get("text"), "supporting": len(c.get("supporting") or []),
        "contradicting": len(c.get("contradicting") or []), "independent_origins": c.get("independent_origins") or 0,
        "article_count": c.get("article_count") or len(c.get("documents") or []),
        "grade": (override or {}).get("grade") or cred.get("grade"), "label": cred.get("label"),
        "overridden": bool(override), "story_id": c.get("story_id"),
        "sources": sorted({x.get("source") for x in (c.get("supporting") or []) + (c.get("contradicting") or [])
                           if x.get("source")}),
    }


def _build(store) -> Catalog:
    """Build a Catalog with the cyclic garbage collector paused: the snapshot is many small dicts
    and lists, and collecting while they are made doubles the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return Catalog(store)
    finally:
        if enabled:
            gc.enable()


fingerprint = views.fingerprint


class CatalogCache:
    """The current Catalog. The store's fingerprint is checked at most every ``check_every`` seconds;
    when it changed (or after an edit) a new snapshot is built in a background thread while the
    old one keeps answering, so no request waits for a rebuild except the very first."""

    def __init__(self, store, check_every: float = 1.0):
        self.store = store
        self.check_every = check_every
        self._lock = threading.Lock()
        self._first = threading.Lock()
        self._catalog: Catalog | None = None
        self._print = None
        self._checked = 0.0
        self._building: threading.Thread | None = None

    def get(self) -> Catalog:
        if self._catalog is None:
            with self._first:
                if self._catalog is None:
                    current = fingerprint(self.store)
                    self._catalog, self._print, self._checked = _build(self.store), current, time.monotonic()
            return self._catalog
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self.check_every and not self._building:
                self._checked = now
                current = fingerprint(self.store)
                if current != self._print:
                    self._start(current)
            return self._catalog

    def _start(self, current) -> None:
        def rebuild():
            try:
                catalog = _build(self.store)
                with self._lock:
                    self._catalog, self._print = catalog, current
            finally:
                self._building = None

        self._building = threading.Thread(target=rebuild, daemon=True, name="newsgraph-catalog")
        self._building.start()

    def warm(self) -> threading.Thread:
        """Build the first snapshot in the background (the server calls this at start)."""
        thread = threading.Thread(target=self.get, daemon=True, name="newsgraph-catalog-warm")
        thread.start()
        return thread

    def invalidate(self) -> None:
        """After an edit: check the fingerprint on the next request."""
        with self._lock:
            self._checked = 0.0

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a rebuild under way (tests and benchmarks)."""
        building = self._building
        if building:
            building.join(timeout)
