"""Merged events: per-document events of different articles joined into one corpus event (kind "event").

Two events merge when their type agrees, their dates overlap at their precision, their places lie
within a distance that depends on precision and their participants do not conflict
(``stories_eventmatch.compare``). An event whose date or place is missing or coarse merges only with
events of the same story, and only with more evidence (the same count, a shared participant, similar
sentences); its reason says so. A merged event never holds two events of one document. Counts that
differ are kept as a range with the documents behind each bound (UCDP low/best/high), never averaged,
and figures of independent origins (documents that are not near-duplicates) whose ranges do not
overlap are flagged in ``contradictions`` with each figure and its sources.

``EventMerger`` is incremental: it is restored from the stored merged events, takes the events of
new documents, and reports which merged events it touched. Candidates come from blocking keys
(type + week + 1.5-degree cell for strong matches, type + story for weak ones, type + week of report +
cell for undated events of dated articles: ``reported_together``), never from all pairs.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsgraph.corpus.stories_eventmatch import compare, config, has_place, interval, weak_evidence
from newsgraph.corpus.stories_text import jaccard
from newsgraph.geo.model import PRECISIONS
from newsgraph.pipeline.extract import record_id

PLACE_KEYS = ("name", "geonames_id", "lat", "lon", "country_code", "admin1", "feature", "precision")


def resolve_entity(redirects: dict, document_id: str, local_id: str) -> str:
    return redirects.get((document_id, local_id)) or redirects.get(local_id) or local_id


def redirect(event: dict, redirects: dict) -> dict:
    """A copy of a per-document event whose participants carry resolved entity ids."""
    if not redirects:
        return event
    doc = document_of(event)
    participants = []
    for p in event.get("participants") or []:
        p = dict(p)
        if p.get("entity_id"):
            resolved = resolve_entity(redirects, doc, p["entity_id"])
            if resolved != p["entity_id"]:
                p["local_entity_id"], p["entity_id"] = p["entity_id"], resolved
        participants.append(p)
    return {**event, "participants": participants}


def document_of(event: dict) -> str:
    return event["evidence"][0]["document_id"]


@dataclass
class Cluster:
    id: str
    members: list[dict] = field(default_factory=list)
    stories: dict[str, str | None] = field(default_factory=dict)  # member event id -> story id
    reasons: list[str] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(document_of(m) for m in self.members))


def _weeks(event: dict) -> list[int]:
    """The week numbers an event's widened date touches (none when it is open or longer than the
    coarsest strong precision allows)."""
    iv = interval(event.get("date"))
    if iv is None or iv[0] == dt.date.min or iv[1] == dt.date.max:
        return []
    first, last = (iv[0].toordinal() - 2) // 7, (iv[1].toordinal() + 2) // 7
    return list(range(first, last + 1)) if last - first <= 6 else []


def _reported(event: dict) -> dt.date | None:
    value = event.get("reported")
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def reported_together(a: dict, b: dict) -> str | None:
    """Undated events of dated articles, at one town or district, reported within ``reported_days``
    of each other: the news reports an incident within a day or two, so such events may be one
    incident of two stories (with the weak evidence still required)."""
    ra, rb = _reported(a), _reported(b)
    if ra is None or rb is None or (a.get("date") or {}).get("start") and (b.get("date") or {}).get("start"):
        return None
    fine = config()["weak"]["reported_places"]
    if (a.get("place") or {}).get("precision") not in fine or (b.get("place") or {}).get("precision") not in fine:
        return None
    days = abs((ra - rb).days)
    if days > config()["weak"]["reported_days"]:
        return None
    return f"reported {days} day{'s' if days != 1 else ''} apart at one place"


def _cell(place: dict) -> tuple[int, int] | None:
    if place.get("lat") is None or place.get("lon") is None:
        return None
    return int(place["lat"] // GEO_CELL), int(place["lon"] // GEO_CELL)


def blocking_keys(event: dict, story_id: str | None, neighbours: bool = False) -> list[tuple]:
    """Keys under which an event is found: (type, week, geographic cell of 1.5 degrees) when it has a
    bounded date and a located place, and (type, story). ``neighbours`` adds the eight cells around
    (for looking up: places up to 150 km apart may merge)."""
    keys: list[tuple] = [(event.get("type"), "story", story_id)] if story_id else []
    cell = _cell(event.get("place") or {})
    if cell is not None:
        cells = [(cell[0] + i, cell[1] + j) for i in (-1, 0, 1) for j in (-1, 0, 1)] if neighbours else [cell]
        keys += [(event.get("type"), week, c) for week in _weeks(event) for c in cells]
        reported = _reported(event)
        if reported is not None and not (event.get("date") or {}).get("start"):
            week = reported.toordinal() // 7
            weeks = (week - 1, week, week + 1) if neighbours else (week,)
            keys += [(event.get("type"), "reported", w, cell) for w in weeks]
    return keys


GEO_CELL = 1.5  # degrees: larger than the 150 km of a province, so neighbours cover every strong match


class EventMerger:
    """Incremental merging of per-document events into clusters (merged events)."""

    def __init__(self, sentence_similarity: Callable[[str, str], float] = jaccard):
        self.clusters: dict[str, Cluster] = {}
        self.touched: set[str] = set()
        self.deleted: set[str] = set()
        self._index: dict[tuple, list[str]] = defaultdict(list)
        self._similarity = sentence_similarity

    def _register(self, cluster: Cluster, event: dict, story_id: str | None) -> None:
        for key in blocking_keys(event, story_id):
            ids = self._index[key]
            if not ids or ids[-1] != cluster.id:
                ids.append(cluster.id)

    def restore(self, cluster_id: str, members: list[tuple[dict, str | None]], reasons: Iterable[str] = ()) -> None:
        """Take back a stored merged event: its member events (as they are now) with their stories."""
        if not members:
            self.deleted.add(cluster_id)
            return
        cluster = Cluster(cluster_id, reasons=list(reasons))
        self.clusters[cluster_id] = cluster
        for event, story_id in members:
            cluster.members.append(event)
            cluster.stories[event["id"]] = story_id
            self._register(cluster, event, story_id)

    def _fits(self, cluster: Cluster, event: dict, story_id: str | None) -> tuple[bool, float, list[str]]:
        if document_of(event) in cluster.documents:
            return False, 0.0, []
        best_score, reasons, strong_all = -1.0, [], True
        for member in cluster.members:
            match = compare(member, event)
            if not match.ok:
                return False, 0.0, []
            if not match.strong:
                same_story = story_id is not None and cluster.stories.get(member["id"]) == story_id
                reported = reported_together(member, event)
                if not same_story and reported is None:
                    return False, 0.0, []
                evidence = weak_evidence(member, event, self._similarity)
                if evidence is None:
                    return False, 0.0, []
                why = f"same story {story_id}" if same_story else reported
                match.reasons = [f"weak: {why}, no precise date and place on both sides", *match.reasons, evidence]
                strong_all = False
            if match.score > best_score:
                best_score, reasons = match.score, [f"{event['id']} ~ {member['id']}: " + "; ".join(match.reasons)]
        return True, best_score + (10.0 if strong_all else 0.0), reasons

    def add(self, event: dict, story_id: str | None) -> str:
        """Put one per-document event in the best fitting cluster, or a new one; return the cluster id."""
        best: tuple[float, str, list[str]] | None = None
        seen: set[str] = set()
        for key in blocking_keys(event, story_id, neighbours=True):
            for cid in self._index.get(key, ()):
                if cid in seen:
                    continue
                seen.add(cid)
                ok, score, reasons = self._fits(self.clusters[cid], event, story_id)
                if ok and (best is None or score > best[0]):
                    best = (score, cid, reasons)
        if best is None:
            cluster = Cluster("event-" + record_id(event["id"]))
            self.clusters[cluster.id] = cluster
        else:
            cluster = self.clusters[best[1]]
            cluster.reasons += best[2]
        cluster.members.append(event)
        cluster.stories[event["id"]] = story_id
        self._register(cluster, event, story_id)
        self.touched.add(cluster.id)
        self.deleted.discard(cluster.id)
        return cluster.id


# ---- the merged record ----

def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _rank_grade(grade: str | None) -> int:
    order = config()["count"]["reliability_order"]
    return order.index(grade) if grade in order else len(order)


def count_range(members: list[dict], key: str, source_of: dict[str, str | None],
                reliability: dict[str, str] | None = None, origin_of: dict[str, str] | None = None) -> dict | None:
    """The low/best/high of a count over member events, with the documents and outlets behind each bound.

    low = the smallest figure, high = the largest (a member's own low/high when it gives a range);
    best = the figure of the most reliable source, else the one given by the most independent origins
    (near-duplicates count once), else by the most documents; ``best_basis`` says which decided."""
    reliability, origin_of = reliability or {}, origin_of or {}
    given = [(m, m[key]) for m in members if m.get(key)]
    if not given:
        return None
    # an event's count is the people it affects (ontology count_role): "27 people", "41 suspected
    # members" and "more than 20 members" are figures of one quantity, whatever noun they count
    unit = Counter(c.get("unit") for _, c in given).most_common(1)[0][0]
    values = []
    for m, c in given:
        best = c.get("best")
        low = c.get("low") if c.get("low") is not None else best
        high = c.get("high") if c.get("high") is not None else best
        values.append({"document_id": document_of(m), "source": source_of.get(document_of(m)),
                       "low": _number(low), "best": _number(best), "high": _number(high), "text": c.get("text")})

    def bound(name: str, pick) -> tuple:
        known = [v[name] for v in values if v[name] is not None]
        if not known:
            return None, []
        value = pick(known)
        return value, [v for v in values if v[name] == value]

    low, low_from = bound("low", min)
    high, high_from = bound("high", max)
    best, best_from, basis = _best(values, reliability, origin_of)

    def names(items):
        return list(dict.fromkeys(v["source"] or v["document_id"] for v in items))

    return {"low": low, "best": best, "high": high, "unit": unit,
            "sources": {"low": names(low_from), "best": names(best_from), "high": names(high_from)},
            "documents": {"low": [v["document_id"] for v in low_from], "best": [v["document_id"] for v in best_from],
                          "high": [v["document_id"] for v in high_from]},
            "best_basis": basis, "values": values}


def count_contradiction(slot: str, values: list[dict], origin_of: dict[str, str]) -> dict | None:
    """A contradiction when independent origins (documents that are not near-duplicates) give
    figures whose ranges do not overlap: each figure with the outlets and documents behind it."""
    def span(v: dict) -> tuple[float, float]:
        low = v["low"] if v["low"] is not None else v["best"]
        high = v["high"] if v["high"] is not None else v["best"]
        return (low if low is not None else float("-inf"), high if high is not None else float("inf"))

    groups: dict[tuple, dict] = {}
    for v in values:
        key = (v["low"], v["best"], v["high"])
        g = groups.setdefault(key, {"low": v["low"], "best": v["best"], "high": v["high"], "text": v["text"],
                                    "sources": [], "documents": [], "origins": set()})
        g["sources"] += [v["source"] or v["document_id"]] if (v["source"] or v["document_id"]) not in g["sources"] else []
        g["documents"].append(v["document_id"])
        g["origins"].add(origin_of.get(v["document_id"], v["document_id"]))
    figures = list(groups.values())
    clash = [(a, b) for i, a in enumerate(figures) for b in figures[i + 1:]
             if (span(a)[1] < span(b)[0] or span(b)[1] < span(a)[0]) and (a["origins"] - b["origins"]) and
             (b["origins"] - a["origins"])]
    if not clash:
        return None

    def show(f: dict) -> str:
        if f["best"] is not None:
            value = f"{f['best']:g}"
        elif f["high"] is None:
            value = f"{f['low']:g}+"
        elif f["low"] is None:
            value = f"up to {f['high']:g}"
        else:
            value = f"{f['low']:g}–{f['high']:g}"
        return f"{value} ({', '.join(f['sources'])})"

    involved = [f for f in figures if any(f is a or f is b for a, b in clash)]
    involved.sort(key=lambda f: span(f))
    return {"slot": slot, "reason": f"{slot} " + " vs ".join(show(f) for f in involved),
            "figures": [{k: f[k] for k in ("low", "best", "high", "text", "sources", "documents")} for f in involved]}


def _best(values: list[dict], reliability: dict[str, str], origin_of: dict[str, str]) -> tuple:
    by_value: dict[float, list[dict]] = defaultdict(list)
    for v in values:
        if v["best"] is not None:
            by_value[v["best"]].append(v)
    if not by_value:
        return None, [], "no document gives a single figure"
    total_docs = len({v["document_id"] for v in values})
    total_origins = len({origin_of.get(v["document_id"], v["document_id"]) for v in values})

    def rank(items: list[dict]) -> tuple[int, int, int]:
        grade = min((_rank_grade(reliability.get(v["source"] or "")) for v in items), default=99)
        origins = len({origin_of.get(v["document_id"], v["document_id"]) for v in items})
        return grade, -origins, -len(items)

    ranked = sorted(by_value.items(), key=lambda kv: (rank(kv[1]), kv[0]))
    value, items = ranked[0]
    if len(ranked) == 1:
        return value, items, f"the only figure given ({len(items)} of {total_docs} documents)"
    top, second = rank(items), rank(ranked[1][1])
    if top[0] < second[0]:
        grade = config()["count"]["reliability_order"][top[0]]
        return value, items, f"the most reliable source (reliability {grade})"
    if top[1] < second[1]:
        return value, items, f"the most independent origins ({-top[1]} of {total_origins})"
    if top[2] < second[2]:
        return value, items, (f"the most documents ({-top[2]} of {total_docs}), not more independent origins"
                              f" ({-top[1]} of {total_origins})")
    return None, [], "the figures are equally supported: no best figure"


def _finest(members: list[dict], key: str, order: list[str]) -> dict | None:
    given = [m[key] for m in members if m.get(key) and m[key].get("precision")]
    if key == "place":
        given = [p for p in given if has_place(p)]
    else:
        given = [d for d in given if d.get("start") or d.get("end")]
    if not given:
        return None

    def rank(item: dict) -> tuple:
        precision = item.get("precision")
        return (order.index(precision) if precision in order else len(order),
                -sum(1 for g in given if g == item))

    return min(given, key=rank)


def merged_record(cluster: Cluster, source_of: dict[str, str | None], reliability: dict[str, str] | None = None,
                  origin_of: dict[str, str] | None = None) -> dict:
    """The corpus "event" record of a cluster (shape in the corpus contract)."""
    members = cluster.members
    date = _finest(members, "date", config()["time"]["order"])
    place = _finest(members, "place", list(PRECISIONS))
    participants, seen = [], set()
    for m in members:
        for p in m.get("participants") or []:
            key = (p.get("role"), p.get("entity_id") or (p.get("name") or "").casefold())
            if key not in seen:
                seen.add(key)
                participants.append({"role": p.get("role"), "name": p.get("name"), "entity_id": p.get("entity_id")})
    factualities = {m.get("factuality") for m in members}
    factuality = next((f for f in config()["factuality"]["preference"] if f in factualities), None)
    documents = cluster.documents
    origin_of = origin_of or {}
    stories = Counter()  # the story most independent origins put the event in (the first on a tie)
    for sid, origin in dict.fromkeys((cluster.stories.get(m["id"]), origin_of.get(document_of(m), document_of(m)))
                                     for m in members):
        if sid:
            stories[sid] += 1
    count = count_range(members, "count", source_of, reliability, origin_of)
    fatalities = count_range(members, "fatalities", source_of, reliability, origin_of)
    contradictions = [c for c in (count_contradiction(slot, r["values"], origin_of)
                                  for slot, r in (("count", count), ("fatalities", fatalities)) if r) if c]
    return {
        "id": cluster.id,
        "type": members[0].get("type"),
        "date": {k: date.get(k) for k in ("start", "end", "precision")} if date else None,
        "place": {k: place.get(k) for k in PLACE_KEYS} if place else None,
        "participants": participants,
        "count": count,
        "fatalities": fatalities,
        "contradictions": contradictions,
        "money": [{**money, "document_id": document_of(m)} for m in members for money in m.get("money") or []],
        "factuality": factuality,
        "members": [m["id"] for m in members],
        "documents": documents,
        "sources": list(dict.fromkeys(source_of[d] for d in documents if source_of.get(d))),
        "evidence": [{k: e.get(k) for k in ("document_id", "source", "sentence", "start", "end")}
                     for m in members for e in m.get("evidence") or []],
        "story_id": stories.most_common(1)[0][0] if stories else None,
        "merge": {"reasons": list(cluster.reasons)},
    }
