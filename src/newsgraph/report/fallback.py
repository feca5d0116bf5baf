"""Stand-ins for corpus records the corpus stages have not written yet, built from per-document
records with the plainest rules (the report says when it shows them):

* stories: documents joined by a near-duplicate link or by the same lead event (the first event
  in the text with a date and a town-level place: same type, place and start date);
* events of a story: that story's per-document events, the ones with the same (type, place,
  start date) shown as one line, their counts kept as a low-high range;
* claims: per-document claims with the same subject, predicate, object and negation grouped,
  ungraded; the checkable ones (a quantity, date or place slot and a credited origin) first,
  then the most-reported.
"""
from __future__ import annotations

from collections import defaultdict


def _fine() -> set[str]:
    from newsgraph.report.gather import labels

    return set(labels()["place_precision"]["fine"])


def _event_key(ev: dict) -> tuple | None:
    place, date = ev.get("place") or {}, ev.get("date") or {}
    if not date.get("start") or place.get("precision") not in _fine():
        return None
    return (ev["type"], place.get("geonames_id") or place.get("name"), date["start"])


class _Union:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a, b):
        if a in self.parent and b in self.parent:
            ra, rb = sorted((self.find(a), self.find(b)))
            self.parent[rb] = ra


def _merge_count(counts: list[tuple[dict, list[str]]]) -> dict | None:
    """low/best/high over the members' counts, with the documents behind each bound."""
    counts = [(c, docs) for c, docs in counts if c and (c.get("low") is not None or c.get("best") is not None)]
    if not counts:
        return None
    lows = [(c.get("low") if c.get("low") is not None else c.get("best"), docs) for c, docs in counts]
    highs = [(c.get("high") if c.get("high") is not None else c.get("best"), docs) for c, docs in counts]
    low = min(v for v, _ in lows if v is not None)
    high = max((v for v, _ in highs if v is not None), default=None)
    bests = {c.get("best") for c, _ in counts}
    best = bests.pop() if len(bests) == 1 else None
    return {"low": low, "best": best, "high": high,
            "documents": {"low": sorted({d for v, docs in lows if v == low for d in docs}),
                          "high": sorted({d for v, docs in highs if v == high for d in docs})}}


def _group_events(events: list[dict], number: dict[str, int]) -> list[dict]:
    groups: dict[object, list[dict]] = {}
    for ev in events:
        groups.setdefault(_event_key(ev) or ev["id"], []).append(ev)
    shown = []
    for members in groups.values():
        members.sort(key=lambda e: (min((number.get(d, 10**9) for d in e["documents"]), default=10**9), e["id"]))
        docs = sorted({d for e in members for d in e["documents"]}, key=lambda d: number.get(d, 10**9))
        first = members[0]
        count = _merge_count([(e.get("count"), e["documents"]) for e in members]) if len(members) > 1 else first.get("count")
        shown.append({**first, "documents": docs, "count": count, "members": len(members),
                      "evidence": [x for e in members for x in e["evidence"]]})
    return shown


def _main_event(shown: list[dict]) -> dict | None:
    keyed = [e for e in shown if _event_key(e)]
    keyed.sort(key=lambda e: (-len(e["documents"]), -e["members"], e["date"]["start"], e["id"]))
    return keyed[0] if keyed else None


def stories(sources: list[dict], events: list[dict]) -> list[dict]:
    """Stories from documents linked by near-duplicate text or by the same lead (type, place, date) event."""
    number = {s["id"]: s["n"] for s in sources}
    union = _Union(number)
    for s in sources:
        for other in s.get("near_duplicates") or []:
            union.join(s["id"], other)
    lead: dict[str, tuple[int, tuple]] = {}
    for ev in events:
        key = _event_key(ev)
        position = min((e.get("start") or 0 for e in ev["evidence"]), default=0)
        for d in ev["documents"][:1]:
            if key and (d not in lead or position < lead[d][0]):
                lead[d] = (position, key)
    by_key: dict[tuple, set[str]] = defaultdict(set)
    for d, (_, key) in lead.items():
        by_key[key].add(d)
    for docs in by_key.values():
        first, *rest = sorted(docs)
        for other in rest:
            union.join(first, other)
    components: dict[str, list[str]] = defaultdict(list)
    for s in sources:
        components[union.find(s["id"])].append(s["id"])
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for ev in events:
        for d in ev["documents"][:1]:
            by_doc[d].append(ev)
    source_of = {s["id"]: s for s in sources}
    result = []
    for docs in components.values():
        docs.sort(key=lambda d: number[d])
        shown = _group_events([e for d in docs for e in by_doc[d]], number)
        main = _main_event(shown) if len(docs) > 1 else None
        shown.sort(key=lambda e: (0 if e is main else 1, -len(e["documents"]), (e.get("date") or {}).get("start") or "9999",
                                  e["type"], e["id"]))
        first = source_of[docs[0]]
        title = _event_title(main) if main and len(main["documents"]) > 1 else first["title"] or "(untitled article)"
        dates = sorted(source_of[d]["date"] for d in docs if source_of[d]["date"])
        outlets = sorted({source_of[d]["outlet"] for d in docs if source_of[d]["outlet"]})
        result.append({"id": "story-" + docs[0], "title": title, "label": None, "entities": [], "summary": _summary(docs, outlets, main),
                       "documents": docs, "events": shown, "start": dates[0] if dates else None,
                       "end": dates[-1] if dates else None, "precision": "day" if dates else None, "dates": "published",
                       "place": (main or {}).get("place"), "types": sorted({e["type"] for e in shown}), "size": len(docs)})
    result.sort(key=lambda s: (-len(s["documents"]), s["start"] or "9999", s["title"], s["id"]))
    return result


def type_label(event_type: str) -> str:
    return event_type.replace("_", " ").capitalize()


def _event_title(ev: dict) -> str:
    return f"{type_label(ev['type'])} in {ev['place'].get('name')}, {ev['date']['start']}"


def _summary(docs: list[str], outlets: list[str], main: dict | None) -> str:
    articles = "One article" if len(docs) == 1 else f"{len(docs)} articles"
    by = f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({', '.join(outlets)})" if outlets else ""
    text = f"{articles}{by}."
    if main:
        text += f" Main event: {type_label(main['type']).lower()} in {main['place'].get('name')} on {main['date']['start']}"
        count = main.get("count") or {}
        low, high = count.get("low"), count.get("high")
        if low is not None and high is not None and low != high:
            text += f", counts from {low:g} to {high:g}"
        elif count.get("best") is not None:
            text += f", count {count['best']:g}"
        text += "."
    return text


def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def claims(store) -> list[dict]:
    """Per-document claims grouped by (subject, predicate, object, negated), most-reported first."""
    groups: dict[tuple, dict] = {}
    for order, c in enumerate(store.iter_records("claims")):
        subject, obj = c.get("subject") or {}, c.get("object") or {}
        key = (_norm(subject.get("canonical") or subject.get("text")), c.get("predicate"), _norm(obj.get("text")),
               bool(c.get("negated")))
        group = groups.setdefault(key, {"id": c["id"], "text": c.get("text") or "", "grade": None, "label": "not graded",
                                        "attributed": bool((c.get("origin") or {}).get("name")),
                                        "computed_grade": None, "explanation": "", "override": None,
                                        "supporting": [], "contradicting": [], "origins": {}, "independent_origins": None,
                                        "documents": [], "order": order, "slots": bool(c.get("slots"))})
        for ev in c.get("evidence") or []:
            group["supporting"].append({"claim_id": c["id"], **ev})
            if ev.get("document_id") not in group["documents"]:
                group["documents"].append(ev.get("document_id"))
        origin = c.get("origin") or {}
        if origin.get("name"):
            entry = group["origins"].setdefault(origin["name"], {"name": origin["name"], "kind": origin.get("kind") or "unknown",
                                                                 "interested": False, "chain": [], "documents": []})
            entry["documents"].extend(ev.get("document_id") for ev in c.get("evidence") or [])
    result = []
    for group in groups.values():
        group["origins"] = sorted(group["origins"].values(), key=lambda o: o["name"].casefold())
        group["article_count"] = len(group["documents"])
        result.append(group)
    result.sort(key=lambda g: (0 if g["attributed"] and g["slots"] else 1, -g["article_count"], g["order"]))
    for group in result:
        del group["order"], group["slots"], group["attributed"]
    return result
