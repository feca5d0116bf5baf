"""Full-text search over the ``search_items`` index on both backends.

SQLite: FTS5 (porter stemming, diacritics folded), every word of the query must match, the last
one as a prefix. PostgreSQL: ``websearch_to_tsquery('english', …)`` over the stored tsvector.
Each hit has a snippet as plain text plus ``marks`` ([start, end] character offsets of the
matched words inside the snippet), so that pages highlight without trusting any markup.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

KINDS = ("document", "entity", "event", "claim", "story", "source")
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5_query(q: str) -> str:
    words = _WORD.findall(q)
    if not words:
        return ""
    terms = [f'"{w}"' for w in words]
    terms[-1] += "*"
    return " ".join(terms)


def _marks(snippet: str) -> tuple[str, list[list[int]]]:
    text, marks, start = [], [], None
    pos = 0
    for ch in snippet or "":
        if ch == _START:
            start = pos
        elif ch == _STOP:
            if start is not None and pos > start:
                marks.append([start, pos])
            start = None
        else:
            text.append(ch)
            pos += 1
    return "".join(text), marks


_HITS = ("WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, 5.0, 1.0, 0.5) AS rank "
         "FROM search_fts WHERE search_fts MATCH :q) ")


def _sqlite_totals(conn, q: str) -> dict[str, int]:
    match = _fts5_query(q)
    if not match:
        return {}
    return dict(conn.execute(sa.text(
        _HITS + "SELECT i.kind, count(*) FROM hits JOIN search_items i ON i.id = hits.id GROUP BY i.kind"),
        {"q": match}).all())


def _sqlite(conn, q: str, kind: str, limit: int, offset: int) -> list:
    """The FTS match runs first (materialized), then the kind filter, then snippets for the page only."""
    match = _fts5_query(q)
    if not match:
        return []
    rows = conn.execute(sa.text(
        _HITS + "SELECT hits.id, i.ref, i.title, hits.rank FROM hits JOIN search_items i ON i.id = hits.id "
        "WHERE i.kind = :kind ORDER BY hits.rank, i.ref LIMIT :limit OFFSET :offset"),
        {"q": match, "kind": kind, "limit": limit, "offset": offset}).all()
    if not rows:
        return []
    ids = ", ".join(str(int(r.id)) for r in rows)
    snips = dict(conn.execute(sa.text(
        f"SELECT rowid, snippet(search_fts, 1, :a, :b, '…', 24) FROM search_fts WHERE search_fts MATCH :q "
        f"AND rowid IN ({ids})"), {"q": match, "a": _START, "b": _STOP}).all())
    return [(r.ref, r.title, snips.get(r.id, ""), -r.rank) for r in rows]


def _postgres_totals(conn, q: str) -> dict[str, int]:
    return dict(conn.execute(sa.text(
        "SELECT i.kind, count(*) FROM search_items i, websearch_to_tsquery('english', :q) query "
        "WHERE i.tsv @@ query GROUP BY i.kind"), {"q": q}).all())


def _postgres(conn, q: str, kind: str, limit: int, offset: int) -> list:
    rows = conn.execute(sa.text(
        "WITH page AS (SELECT i.id, i.ref, i.title, i.body, ts_rank(i.tsv, query) AS rank, query "
        "FROM search_items i, websearch_to_tsquery('english', :q) query WHERE i.kind = :kind AND i.tsv @@ query "
        "ORDER BY rank DESC, i.ref LIMIT :limit OFFSET :offset) "
        "SELECT ref, title, ts_headline('english', body, query, :opts) AS snip, rank FROM page "
        "ORDER BY rank DESC, ref"),
        {"q": q, "kind": kind, "limit": limit, "offset": offset,
         "opts": f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, "
                 "FragmentDelimiter=\" … \""}).all()
    return [(r.ref, r.title, r.snip, float(r.rank)) for r in rows]


def search(store, q: str, kinds: tuple[str, ...] | list[str] = KINDS, limit: int = 20, offset: int = 0) -> dict:
    """Hits per kind for the query ``q``::

        {"query": q, "total": n, "results": {kind: {"total": n, "hits": [
            {"kind", "ref", "title", "snippet", "marks": [[start, end], ...], "score"}]}}}
    """
    q = (q or "").strip()
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}: choose from {', '.join(KINDS)}")
    pg = store.engine.dialect.name == "postgresql"
    results = {}
    with store.engine.connect() as conn:
        totals = (_postgres_totals if pg else _sqlite_totals)(conn, q) if q else {}
        for kind in kinds:
            total = totals.get(kind, 0)
            rows = (_postgres if pg else _sqlite)(conn, q, kind, limit, offset) if total else []
            hits = []
            for ref, title, snip, score in rows:
                text, marks = _marks(snip)
                hits.append({"kind": kind, "ref": ref, "title": title, "snippet": text, "marks": marks,
                             "score": round(score, 4)})
            results[kind] = {"total": total, "hits": hits}
    return {"query": q, "total": sum(r["total"] for r in results.values()), "results": results}


def index_size(store) -> int:
    items = store.t["search_items"]
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one()
