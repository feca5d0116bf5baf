"""What the report shows, read from the store into plain sorted data (no HTML here).

Corpus-level records (stories, merged events, claim clusters) are used when the corpus stages
have written them; when a kind is empty the report falls back to the per-document records
(see ``fallback``) and says so. Everything is sorted explicitly so the same knowledge base gives
the same report.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from newsgraph.report import fallback


@cache
def labels() -> dict:
    """The report's words, colours and limits (labels.toml beside this module)."""
    return tomllib.loads(resources.files(__package__).joinpath("labels.toml").read_text(encoding="utf-8"))


@dataclass
class ReportData:
    sources: list[dict]                 # numbered documents: n, id, outlet, title, date, precision, url, language
    outlets: list[dict]                 # the sources table: name, reliability, label, basis, interested, documents
    stories: list[dict]
    events: list[dict]
    movements: list[dict]
    claims: list[dict]
    counts: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)   # kind -> True when built from per-document records

    @property
    def number(self) -> dict[str, int]:
        return {s["id"]: s["n"] for s in self.sources}


def _doc_key(doc: dict) -> tuple:
    published = (doc.get("published") or {}).get("value") or "9999"
    return (published, doc.get("source") or "\uffff", doc.get("title") or "", doc["id"])


def _sources(store) -> list[dict]:
    docs = sorted(store.iter_documents(), key=_doc_key)
    return [{"n": n, "id": d["id"], "outlet": d.get("source"), "title": d.get("title"),
             "date": (d.get("published") or {}).get("value"), "precision": (d.get("published") or {}).get("precision"),
             "url": d.get("url"), "language": d.get("language"),
             "near_duplicates": sorted(n["id"] for n in d.get("near_duplicates") or [])}
            for n, d in enumerate(docs, 1)]


def _outlets(store) -> list[dict]:
    words = labels()["reliability"]
    return [{**s, "label": words.get(s.get("reliability") or "F", "")}
            for s in sorted(store.iter_sources(), key=lambda s: ((s.get("name") or "").casefold(), s["id"]))]


def documents_of(record: dict) -> list[str]:
    """The documents a record rests on: its ``documents`` list, else its evidence's documents."""
    docs = record.get("documents") or [e.get("document_id") for e in record.get("evidence") or []]
    return list(dict.fromkeys(d for d in docs if d))


def _event(rec: dict) -> dict:
    date = rec.get("date") or None
    if date and not date.get("start"):
        date = None
    return {"id": rec["id"], "type": rec.get("type") or "other", "date": date, "place": rec.get("place") or None,
            "participants": rec.get("participants") or [], "count": rec.get("count") or None,
            "fatalities": rec.get("fatalities"), "factuality": rec.get("factuality"),
            "documents": documents_of(rec), "evidence": rec.get("evidence") or [],
            "members": len(rec.get("members") or []) or 1, "story_id": rec.get("story_id")}


def event_key(ev: dict) -> tuple:
    date = ev.get("date") or {}
    return (date.get("start") or "9999", ev["type"], (ev.get("place") or {}).get("name") or "", ev["id"])


def _events(store) -> tuple[list[dict], bool]:
    merged = list(store.iter_corpus_records("event"))
    records = merged or list(store.iter_records("events"))
    return sorted((_event(r) for r in records), key=event_key), not merged


def _stories(store, events: list[dict], sources: list[dict]) -> tuple[list[dict], bool]:
    records = list(store.iter_corpus_records("story"))
    if not records:
        return fallback.stories(sources, events), True
    number = {s["id"]: s["n"] for s in sources}
    by_id = {e["id"]: e for e in events}
    names = _entity_names(store)
    stories = []
    for rec in records:
        docs = sorted(documents_of(rec), key=lambda d: number.get(d, 10**9))
        main = rec.get("main_event")
        story_events = sorted((by_id[i] for i in rec.get("events") or [] if i in by_id),
                              key=lambda e: (e["id"] != main, -len(e["documents"]), *event_key(e)))
        title = rec.get("title") or rec.get("label") or "(untitled story)"
        stories.append({"id": rec["id"], "title": title, "label": rec.get("label") if rec.get("label") != title else None,
                        "summary": rec.get("summary") or "", "documents": docs, "events": story_events,
                        "start": rec.get("start"), "end": rec.get("end"), "precision": rec.get("precision"),
                        "place": rec.get("place") or None, "types": list(rec.get("types") or []),
                        "entities": [names[i] for i in rec.get("entities") or [] if i in names][: labels()["limits"]["entities_per_story"]],
                        "size": rec.get("size") or len(docs), "dates": "events"})
    stories.sort(key=lambda s: (-len(s["documents"]), -s["size"], s["start"] or "9999", s["id"]))
    return stories, False


def _entity_names(store) -> dict[str, str]:
    """Names of the people, groups and organisations a story can list, by entity id."""
    kinds = set(labels()["story_entity_types"]["types"])
    return {e["id"]: e["name"] for e in store.iter_entities() if e.get("type") in kinds and e.get("name")}


def _grade(credibility: dict | None) -> int | None:
    if not credibility:
        return None
    override = credibility.get("override") or None
    grade = (override or {}).get("grade") or credibility.get("grade")
    return int(grade) if grade is not None else None


def _claims(store) -> tuple[list[dict], bool]:
    records = list(store.iter_corpus_records("claim_cluster"))
    if not records:
        return fallback.claims(store), True
    words = labels()["credibility"]
    claims = []
    for rec in records:
        cred = rec.get("credibility") or {}
        grade = _grade(cred)
        claims.append({"id": rec["id"], "text": rec.get("text") or "", "grade": grade,
                       "label": words.get(str(grade), cred.get("label") or "") if grade else "not graded",
                       "computed_grade": cred.get("grade"), "explanation": cred.get("explanation") or "",
                       "override": cred.get("override") or None,
                       "supporting": rec.get("supporting") or [], "contradicting": rec.get("contradicting") or [],
                       "origins": rec.get("origins") or [], "independent_origins": rec.get("independent_origins"),
                       "article_count": rec.get("article_count") or len(documents_of(rec)),
                       "documents": documents_of(rec) or documents_of({"evidence": rec.get("supporting") or []})})
    claims.sort(key=lambda c: (0 if c["contradicting"] else 1, -(c["independent_origins"] or 0), -c["article_count"],
                               c["grade"] or 7, c["text"], c["id"]))
    return claims, False


def _movements(store) -> list[dict]:
    return sorted(store.iter_records("movements"),
                  key=lambda m: (documents_of(m)[:1], (m.get("evidence") or [{}])[0].get("start") or 0, m["id"]))


def collect(store) -> ReportData:
    """Read everything the report needs from ``store``."""
    limits = labels()["limits"]
    sources = _sources(store)
    events, events_derived = _events(store)
    stories, stories_derived = _stories(store, events, sources)
    claims, claims_derived = _claims(store)
    movements = _movements(store)
    counts = {"documents": len(sources), "outlets": len({s["outlet"] for s in sources if s["outlet"]}),
              "events": len(events), "stories": len(stories), "claims": len(claims), "movements": len(movements)}
    dates = sorted(s["date"] for s in sources if s["date"])
    counts["first_published"], counts["last_published"] = (dates[0], dates[-1]) if dates else (None, None)
    return ReportData(sources=sources, outlets=_outlets(store), stories=stories[: limits["stories"]], events=events,
                      movements=movements, claims=claims[: limits["claims"]], counts=counts,
                      derived={"stories": stories_derived, "events": events_derived, "claims": claims_derived})
