"""The full-text search index (table ``search_items``, migration 0004), kept up to date incrementally.

One item per document, entity, event, claim, story and source: a title and a body of text.
Documents never change (their id is a content hash), so only documents this stage has not taken
in yet are read. Of every other kind only the records written since the last run (their
``updated_at``) are read and compared by a signature of their stored JSON: new or changed records
are (re)indexed, and items whose record is gone (an anti-join in the database) removed. Events are the merged events (corpus
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
STATE_KIND = "search_state"  # {"read_at": the start of the last run}: records written since then are re-read
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


def _plans(store, since: str | None) -> list[tuple]:
    """(item kind, the records changed since ``since`` (all when None), the query of index items whose
    record is gone (None: compare with every record), the item builder)."""
    t, items = store.t, store.t["search_items"]
    cr, entities = t["corpus_records"], t["entities"]

    def changed(kind: str):
        query = _corpus(store, kind)
        return lambda: _rows(store, query if since is None else query.where(cr.c.updated_at >= since))

    def gone_corpus(item_kind: str, kind: str):
        return (sa.select(items.c.id).select_from(items.outerjoin(cr, sa.and_(cr.c.kind == kind, cr.c.id == items.c.ref)))
                .where(sa.and_(items.c.kind == item_kind, cr.c.id.is_(None))))

    entity_query = sa.select(entities.c.id, entities.c.data)
    if since is not None:
        entity_query = entity_query.where(sa.or_(entities.c.updated_at >= since, entities.c.updated_at.is_(None)))
    entity_gone = (sa.select(items.c.id).select_from(items.outerjoin(entities, entities.c.id == items.c.ref))
                   .where(sa.and_(items.c.kind == "entity", entities.c.id.is_(None))))
    if _has_corpus(store, "event"):
        events = ("event", changed("event"), gone_corpus("event", "event"), event_item)
    else:
        events = ("event", lambda: _rows(store, sa.select(t["events"].c.id, t["events"].c.data)), None, event_item)
    if _has_corpus(store, "claim_cluster"):
        claims = ("claim", changed("claim_cluster"), gone_corpus("claim", "claim_cluster"), cluster_item)
    else:
        claims = ("claim", lambda: _rows(store, sa.select(t["claims"].c.id, t["claims"].c.data)), None, claim_item)
    return [
        ("entity", lambda: _rows(store, entity_query), entity_gone, entity_item),
        events, claims,
        ("story", changed("story"), gone_corpus("story", "story"), story_item),
        ("source", lambda: _sources(store), None, _source_item),
    ]


def _existing(store, kind: str, refs: list[str] | None = None) -> dict[str, tuple[int, str]]:
    """{ref: (item id, signature)} of the index items of ``kind`` (only these refs, when given)."""
    items, out = store.t["search_items"], {}
    query = sa.select(items.c.id, items.c.ref, items.c.sig).where(items.c.kind == kind)
    with store.engine.connect() as conn:
        if refs is None:
            return {r.ref: (r.id, r.sig) for r in conn.execute(query)}
        for chunk in range(0, len(refs), 500):
            out.update({r.ref: (r.id, r.sig) for r in conn.execute(query.where(items.c.ref.in_(refs[chunk:chunk + 500])))})
    return out


def _write(store, drop: list[int], rows: list[dict]) -> None:
    items = store.t["search_items"]
    with store.begin() as conn:
        for chunk in range(0, len(drop), 500):
            conn.execute(items.delete().where(items.c.id.in_(drop[chunk:chunk + 500])))
        for chunk in range(0, len(rows), 1000):
            conn.execute(items.insert(), rows[chunk:chunk + 1000])


def _sync(store, kind: str, rows: Iterator[tuple[str, str]], gone_query, build) -> tuple[int, int]:
    """Index the new or changed records of ``rows``; drop the items of records that are gone (those of
    ``gone_query``, or, without one, every item whose ref is not among ``rows``)."""
    rows = list(rows) if gone_query is not None else rows
    existing = _existing(store, kind, [ref for ref, _ in rows] if gone_query is not None else None)
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
    if gone_query is not None:
        with store.engine.connect() as conn:
            gone = [r[0] for r in conn.execute(gone_query)]
    else:
        gone = [v[0] for ref, v in existing.items() if ref not in seen]
    _write(store, drop + gone, new)
    return len(new), len(gone)


def _sync_documents(store, advance) -> tuple[int, int]:
    t = store.t
    docs, sources, items = t["documents"], t["sources"], t["search_items"]
    todo = store.documents_pending(STAGE_NAME, VERSION)
    existing = _existing(store, "document", todo)
    gone_query = (sa.select(items.c.id).select_from(items.outerjoin(docs, docs.c.id == items.c.ref))
                  .where(sa.and_(items.c.kind == "document", docs.c.id.is_(None))))
    with store.engine.connect() as conn:
        gone = [r[0] for r in conn.execute(gone_query)]
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
    from newsgraph.store.sql import now

    started = now()
    state = store.get_corpus_record(STATE_KIND, VERSION)
    added, removed = _sync_documents(store, advance)
    parts = [f"{added} documents"]
    for kind, rows, gone_query, build in _plans(store, (state or {}).get("read_at")):
        n, gone = _sync(store, kind, rows(), gone_query, build)
        added, removed = added + n, removed + gone
        parts.append(f"{n} {kind} items")
        advance(kind)
    store.upsert_corpus_records(STATE_KIND, [{"id": VERSION, "read_at": started}])
    items = store.t["search_items"]
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one()
    return f"indexed {', '.join(parts)}; removed {removed}; {total} items in the index"


STAGE = Stage(STAGE_NAME, run, requires=("documents", "entities", "merged_events", "claim_clusters", "stories"),
              provides=("search_index",))
