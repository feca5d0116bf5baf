"""The full-text search index (table ``search_items``, migration 0004), kept up to date incrementally.

One item per document, entity, event, claim, story and source: a title and a body of text.
Documents never change (their id is a content hash), so only documents this stage has not taken
in yet are read. Every other kind is compared by a signature of its stored JSON: only new or
changed records are (re)indexed and vanished ones removed. Events are the merged events (corpus
kind "event") when there are any, else the per-document events; claims likewise the claim
clusters, else the per-document claims.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator

import sqlalchemy as sa

from newsgraph.pipeline.stages import Stage

VERSION = "search-1"
STAGE_NAME = "search"
_LETTERS = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ħ": "h", "þ": "th"})
_WORD = re.compile(r"\w+", re.UNICODE)


def ascii_fold(word: str) -> str:
    """The ASCII spelling of a word: accents dropped, letters like ı, ø, ß spelled out."""
    folded = unicodedata.normalize("NFKD", word.translate(_LETTERS))
    return "".join(c for c in folded if not unicodedata.combining(c))


def alt_spellings(*texts: str) -> str:
    """ASCII spellings of the words that have accents or special letters, once each."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(text or ""):
            if not word.isascii():
                folded = ascii_fold(word)
                if folded != word and folded.isascii():
                    seen.setdefault(folded, None)
    return " ".join(seen)


def _sig(raw: str) -> str:
    return hashlib.sha1(f"{VERSION}|{raw}".encode()).hexdigest()[:16]


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _flat(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _flat(v)]
    if isinstance(value, list):
        return [s for v in value for s in _flat(v)]
    return [value] if isinstance(value, str) and value else []


def _evidence(record: dict, key: str = "evidence") -> list[str]:
    return [e.get("sentence") or "" for e in record.get(key) or [] if isinstance(e, dict)]


def entity_item(e: dict) -> tuple[str, str]:
    return e.get("name") or e["id"], _join(e.get("type"), " ".join(e.get("aliases") or []),
                                            " ".join(_flat(e.get("attributes") or {})))


def event_item(e: dict) -> tuple[str, str]:
    place = (e.get("place") or {}).get("name") or ""
    date = (e.get("date") or {}).get("start") or ""
    title = " ".join(p for p in ((e.get("type") or "event").replace("_", " "), place and f"in {place}", date) if p)
    return title, _join(e.get("name"), " ".join(p.get("name") or "" for p in e.get("participants") or []),
                        " ".join(e.get("sources") or []), *_evidence(e))


def claim_item(c: dict) -> tuple[str, str]:
    speaker = (c.get("speaker") or {}).get("text")
    origin = (c.get("origin") or {}).get("name")
    return c.get("text") or c.get("name") or c["id"], _join(c.get("publisher"), speaker, origin, *_evidence(c))


def cluster_item(c: dict) -> tuple[str, str]:
    origins = " ".join(o.get("name") or "" for o in c.get("origins") or [])
    return c.get("text") or c["id"], _join(origins, *_evidence(c, "supporting"), *_evidence(c, "contradicting"))


def story_item(s: dict) -> tuple[str, str]:
    return s.get("title") or s["id"], _join(s.get("summary"), " ".join(s.get("types") or []))


def _rows(store, query) -> Iterator[tuple[str, str]]:
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=2000).execute(query):
            yield row[0], row[1]


def _has_corpus(store, kind: str) -> bool:
    table = store.t["corpus_records"]
    with store.engine.connect() as conn:
        return conn.execute(sa.select(table.c.id).where(table.c.kind == kind).limit(1)).first() is not None


def _corpus(store, kind: str):
    table = store.t["corpus_records"]
    return sa.select(table.c.id, table.c.data).where(table.c.kind == kind)


def _sources(store) -> Iterator[tuple[str, str]]:
    table = store.t["sources"]
    with store.engine.connect() as conn:
        for row in conn.execute(sa.select(table.c.id, table.c.name, table.c.domain)):
            yield row.id, json.dumps({"id": row.id, "name": row.name, "domain": row.domain})


def _source_item(s: dict) -> tuple[str, str]:
    return s["name"], _join(s.get("domain"), "source outlet")


def _plans(store) -> list[tuple[str, Callable[[], Iterator[tuple[str, str]]], Callable[[dict], tuple[str, str]]]]:
    t = store.t
    events = ((lambda: _rows(store, _corpus(store, "event"))) if _has_corpus(store, "event")
              else (lambda: _rows(store, sa.select(t["events"].c.id, t["events"].c.data))))
    if _has_corpus(store, "claim_cluster"):
        claims, claim_fn = (lambda: _rows(store, _corpus(store, "claim_cluster"))), cluster_item
    else:
        claims, claim_fn = (lambda: _rows(store, sa.select(t["claims"].c.id, t["claims"].c.data))), claim_item
    return [
        ("entity", lambda: _rows(store, sa.select(t["entities"].c.id, t["entities"].c.data)), entity_item),
        ("event", events, event_item),
        ("claim", claims, claim_fn),
        ("story", lambda: _rows(store, _corpus(store, "story")), story_item),
        ("source", lambda: _sources(store), _source_item),
    ]


def _existing(store, kind: str) -> dict[str, tuple[int, str]]:
    items = store.t["search_items"]
    with store.engine.connect() as conn:
        return {r.ref: (r.id, r.sig) for r in conn.execute(
            sa.select(items.c.id, items.c.ref, items.c.sig).where(items.c.kind == kind))}


def _write(store, drop: list[int], rows: list[dict]) -> None:
    items = store.t["search_items"]
    with store.begin() as conn:
        for chunk in range(0, len(drop), 500):
            conn.execute(items.delete().where(items.c.id.in_(drop[chunk:chunk + 500])))
        for chunk in range(0, len(rows), 1000):
            conn.execute(items.insert(), rows[chunk:chunk + 1000])


def _sync(store, kind: str, rows: Iterator[tuple[str, str]], build) -> tuple[int, int]:
    existing = _existing(store, kind)
    seen, new, drop = set(), [], []
    for ref, raw in rows:
        seen.add(ref)
        sig = _sig(raw)
        old = existing.get(ref)
        if old and old[1] == sig:
            continue
        if old:
            drop.append(old[0])
        title, body = build(json.loads(raw))
        new.append({"kind": kind, "ref": ref, "sig": sig, "title": title[:500], "body": body,
                    "alt": alt_spellings(title, body)})
    gone = [v[0] for ref, v in existing.items() if ref not in seen]
    _write(store, drop + gone, new)
    return len(new), len(gone)


def _sync_documents(store, advance) -> tuple[int, int]:
    t = store.t
    docs, sources = t["documents"], t["sources"]
    with store.engine.connect() as conn:
        all_ids = {r.id for r in conn.execute(sa.select(docs.c.id))}
    done = store.documents_done(STAGE_NAME, VERSION)
    existing = _existing(store, "document")
    todo = sorted(all_ids - (done & set(existing)))
    gone = [v[0] for ref, v in existing.items() if ref not in all_ids]
    drop = [existing[ref][0] for ref in todo if ref in existing]
    rows = []
    query = (sa.select(docs.c.id, docs.c.title, docs.c.author, docs.c.url, docs.c.clean_text, sources.c.name)
             .select_from(docs.outerjoin(sources, sources.c.id == docs.c.source_id)))
    with store.engine.connect() as conn:
        for chunk in range(0, len(todo), 200):
            for r in conn.execute(query.where(docs.c.id.in_(todo[chunk:chunk + 200]))):
                title, body = (r.title or r.url or r.id)[:500], _join(r.name, r.author, r.clean_text)
                rows.append({"kind": "document", "ref": r.id, "sig": VERSION, "title": title, "body": body,
                             "alt": alt_spellings(title, body)})
                advance(r.title or r.id)
    with store.atomic():  # the index rows and the marks of their documents commit together
        _write(store, drop + gone, rows)
        store.mark_done(STAGE_NAME, VERSION, todo)
    return len(rows), len(gone)


def run(store, advance) -> str:
    added, removed = _sync_documents(store, advance)
    parts = [f"{added} documents"]
    for kind, rows, build in _plans(store):
        n, gone = _sync(store, kind, rows(), build)
        added, removed = added + n, removed + gone
        parts.append(f"{n} {kind} items")
        advance(kind)
    items = store.t["search_items"]
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one()
    return f"indexed {', '.join(parts)}; removed {removed}; {total} items in the index"


STAGE = Stage(STAGE_NAME, run, requires=("documents", "entities", "merged_events", "claim_clusters", "stories"),
              provides=("search_index",))
