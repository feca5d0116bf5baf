"""The read model: what pages, exports, the report and the CLI read, in one place.

Each function takes an open store and returns plain dicts. Callers outside ``store/`` read the
knowledge base through these views (and the store's own ``iter_*``/``get_*`` methods), never
through its tables.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import sqlalchemy as sa


class AmbiguousRef(ValueError):
    """A name that several records carry: the message lists them with their ids."""


def entity_by_ref(store, ref: str) -> dict:
    """The one entity with id ``ref``, else the one named (or aliased) ``ref``. A name several
    entities carry, or none, is a ValueError that says which ids to choose from."""
    from newsgraph.corpus.entities import find_entities

    found = find_entities(store, ref)
    if not found:
        raise ValueError(f"no entity with id or name {ref!r} (see `newsgraph entity list`)")
    if len(found) > 1:
        listed = "; ".join(f"{e['id']} ({e['type']} {e['name']})" for e in found[:10])
        raise AmbiguousRef(f"{len(found)} entities are named {ref!r}; give one id: {listed}")
    return found[0]


def entity_exists(store, entity_id: str) -> bool:
    table = store.t["entities"]
    with store.engine.connect() as conn:
        return conn.execute(sa.select(table.c.id).where(table.c.id == entity_id)).first() is not None


def document_ingested_at(store) -> dict[str, str]:
    """Document id -> when it was stored (ISO timestamp)."""
    docs = store.t["documents"]
    with store.engine.connect() as conn:
        return {r.id: r.ingested_at for r in conn.execute(sa.select(docs.c.id, docs.c.ingested_at))}


# -- time limits -------------------------------------------------------------------------------

class TimeLimit(Exception):
    """A read took longer than its time limit and was stopped."""


_limit = threading.local()


def _past_deadline() -> int:
    deadline = getattr(_limit, "deadline", None)
    return 1 if deadline is not None and time.monotonic() > deadline else 0


def install_time_limits(store, cap_seconds: float) -> None:
    """Let ``time_limit`` stop the store's queries: SQLite checks the running thread's deadline
    while a statement runs; PostgreSQL stops any statement after ``cap_seconds``."""
    from sqlalchemy import event

    if store.engine.dialect.name == "sqlite":
        event.listen(store.engine, "connect",
                     lambda dbapi, _record: dbapi.set_progress_handler(_past_deadline, 10_000))
    else:
        def timeout(dbapi, _record):
            with dbapi.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(cap_seconds * 1000)}")
            dbapi.commit()

        event.listen(store.engine, "connect", timeout)
    store.engine.dispose()  # connections opened before now get the limit too


@contextmanager
def time_limit(seconds: float):
    """Queries run by this thread inside the block stop after ``seconds`` with ``TimeLimit``."""
    _limit.deadline = time.monotonic() + seconds
    try:
        yield
    except sa.exc.OperationalError as exc:
        text = str(exc.orig).lower()
        if "interrupted" in text or "statement timeout" in text or "canceling statement" in text:
            raise TimeLimit(f"stopped after {seconds:g} s") from exc
        raise
    finally:
        _limit.deadline = None


# -- the catalog snapshot of the web app (web/catalog.py) -----------------------------------------

_CATALOG_EVENT_KEYS = ("id", "type", "factuality", "story_id", "date", "place", "participants", "count",
                       "documents", "sources", "members")


def _compact_events_sql(dialect: str, merged: bool) -> str:
    """SQL that returns, per event, a small JSON object with only what the catalog needs (the
    database cuts it out of the stored JSON, far faster than decoding every record in Python)."""
    source = "FROM corpus_records WHERE kind = 'event'" if merged else "FROM events"
    if dialect == "postgresql":
        parts = ", ".join(f"'{k}', j->'{k}'" for k in _CATALOG_EVENT_KEYS)
        return (f"SELECT jsonb_build_object({parts}, 'ev_doc', j#>'{{evidence,0,document_id}}', "
                f"'ev_source', j#>'{{evidence,0,source}}')::text FROM (SELECT data::jsonb AS j {source}) s")
    parts = ", ".join(f"'{k}', data -> '$.{k}'" for k in _CATALOG_EVENT_KEYS)
    return (f"SELECT json_object({parts}, 'ev_doc', data -> '$.evidence[0].document_id', "
            f"'ev_source', data -> '$.evidence[0].source') {source}")


def catalog_rows(store) -> dict:
    """What the web app's snapshot holds, read in one connection: {merged (bool), events (compact
    dicts), stories, clusters, movements (full records), counts of documents, sources, entities,
    movements and claims}."""
    import json

    t = store.t
    dialect = store.engine.dialect.name
    with store.engine.connect() as conn:
        cr = t["corpus_records"]
        kinds = dict(conn.execute(sa.select(cr.c.kind, sa.func.count()).group_by(cr.c.kind)).all())
        merged = bool(kinds.get("event"))
        events = []
        for (raw,) in conn.execution_options(yield_per=5000).execute(sa.text(_compact_events_sql(dialect, merged))):
            e = json.loads(raw)
            if not e.get("documents") and e.get("ev_doc"):
                e["documents"] = [e["ev_doc"]]
            if not e.get("sources") and e.get("ev_source"):
                e["sources"] = [e["ev_source"]]
            events.append(e)
        return {
            "merged": merged, "events": events,
            "stories": [json.loads(r[0]) for r in conn.execute(sa.select(cr.c.data).where(cr.c.kind == "story"))],
            "clusters": [json.loads(r[0]) for r in conn.execute(
                sa.select(cr.c.data).where(cr.c.kind == "claim_cluster"))],
            "movements": [json.loads(r[0]) for r in conn.execute(sa.select(t["movements"].c.data))],
            "counts": {name: conn.execute(sa.select(sa.func.count()).select_from(t[name])).scalar_one()
                       for name in ("documents", "sources", "entities", "movements", "claims")},
        }


def fingerprint(store) -> tuple:
    """Changes whenever the knowledge base does (records, analyses, decisions, entities, documents)."""
    t = store.t
    with store.engine.connect() as conn:
        cr, an, dec, ent = t["corpus_records"], t["analyses"], t["decisions"], t["entities"]
        return (
            conn.execute(sa.select(sa.func.count()).select_from(cr)).scalar(),
            conn.execute(sa.select(sa.func.max(cr.c.updated_at))).scalar(),
            tuple(conn.execute(sa.select(sa.func.count(), sa.func.max(an.c.analysed_at)).select_from(an)).one()),
            conn.execute(sa.select(sa.func.max(dec.c.id))).scalar(),
            conn.execute(sa.select(sa.func.count()).select_from(ent)).scalar(),
            conn.execute(sa.select(sa.func.count()).select_from(t["documents"])).scalar(),
        )


# -- pages (web/pages.py) ---------------------------------------------------------------------------

def document_briefs(store, ids) -> dict[str, dict]:
    """Document id -> {id, title, source, source_id, published {value, precision}}."""
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    docs, sources = store.t["documents"], store.t["sources"]
    out = {}
    with store.engine.connect() as conn:
        for chunk in range(0, len(ids), 500):
            for r in conn.execute(
                    sa.select(docs.c.id, docs.c.title, docs.c.url, docs.c.published, docs.c.published_precision,
                              docs.c.source_id, sources.c.name)
                    .select_from(docs.outerjoin(sources, sources.c.id == docs.c.source_id))
                    .where(docs.c.id.in_(ids[chunk:chunk + 500]))):
                out[r.id] = {"id": r.id, "title": r.title or r.url or r.id, "source": r.name, "source_id": r.source_id,
                             "published": {"value": r.published, "precision": r.published_precision}}
    return out


def document_texts(store, ids) -> dict[str, str]:
    """Document id -> clean text."""
    ids = sorted({i for i in ids if i})
    docs = store.t["documents"]
    out = {}
    with store.engine.connect() as conn:
        for chunk in range(0, len(ids), 500):
            out.update({r.id: r.clean_text for r in conn.execute(
                sa.select(docs.c.id, docs.c.clean_text).where(docs.c.id.in_(ids[chunk:chunk + 500])))})
    return out


def document_ids(store, source_id: str | None = None) -> list[str]:
    """Document ids, newest first (by publication date, then id), of one source or all."""
    docs = store.t["documents"]
    query = sa.select(docs.c.id).order_by(docs.c.published.desc(), docs.c.id)
    if source_id is not None:
        query = query.where(docs.c.source_id == source_id)
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def record(store, kind: str, record_id: str) -> dict | None:
    """One per-document record (kind "events", "movements", "claims") or entity ("entities") by id."""
    import json

    table = store.t[kind]
    with store.engine.connect() as conn:
        raw = conn.execute(sa.select(table.c.data).where(table.c.id == record_id)).scalar()
    return json.loads(raw) if raw else None


def records(store, kind: str, document_ids=None) -> list[dict]:
    """Per-document records of ``kind`` ("events", "movements", "claims"), of some documents or all, by id."""
    import json

    table = store.t[kind]
    query = sa.select(table.c.data).order_by(table.c.id)
    if document_ids is not None:
        ids = sorted(set(document_ids))
        if not ids:
            return []
        query = query.where(table.c.document_id.in_(ids))
    with store.engine.connect() as conn:
        return [json.loads(r[0]) for r in conn.execute(query)]


def entity_rows(store, type: str | None = None) -> tuple[list[dict], list[str]]:
    """([{id, type, name, mention_count, documents (count)}], every entity type)."""
    import json

    entities = store.t["entities"]
    query = sa.select(entities.c.id, entities.c.type, entities.c.name, entities.c.data)
    if type:
        query = query.where(entities.c.type == type)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
        types = sorted(r[0] for r in conn.execute(sa.select(entities.c.type).distinct()))
    items = []
    for r in rows:
        data = json.loads(r.data)
        items.append({"id": r.id, "type": r.type, "name": r.name, "mention_count": data.get("mention_count", 0),
                      "documents": len(data.get("documents") or [])})
    return items, types


def mentions(store, entity_id: str | None = None, document_id: str | None = None,
             limit: int | None = None) -> tuple[int, list[dict]]:
    """(total, [{document_id, start, end, sentence_start, sentence_end, text, label, entity_id}]) of
    one entity's or one document's mentions, in document and text order."""
    table = store.t["mentions"]
    where = table.c.entity_id == entity_id if entity_id is not None else table.c.document_id == document_id
    query = (sa.select(table.c.document_id, table.c.char_start, table.c.char_end, table.c.sentence_start,
                       table.c.sentence_end, table.c.text, table.c.label, table.c.entity_id).where(where)
             .order_by(table.c.document_id, table.c.char_start))
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one()
        rows = conn.execute(query).all()
    return total, [{"document_id": r.document_id, "start": r.char_start, "end": r.char_end,
                    "sentence_start": r.sentence_start, "sentence_end": r.sentence_end, "text": r.text,
                    "label": r.label, "entity_id": r.entity_id} for r in rows]
