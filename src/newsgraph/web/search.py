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


def _sqlite(conn, q: str, kind: str, limit: int, offset: int) -> tuple[int, list]:
    match = _fts5_query(q)
    if not match:
        return 0, []
    base = ("FROM search_fts JOIN search_items i ON i.id = search_fts.rowid "
            "WHERE search_fts MATCH :q AND i.kind = :kind")
    total = conn.execute(sa.text(f"SELECT count(*) {base}"), {"q": match, "kind": kind}).scalar_one()
    rows = conn.execute(sa.text(
        "SELECT i.ref, i.title, snippet(search_fts, 1, :a, :b, '…', 24) AS snip, bm25(search_fts, 5.0, 1.0, 0.5) AS rank "
        f"{base} ORDER BY rank LIMIT :limit OFFSET :offset"),
        {"q": match, "kind": kind, "a": _START, "b": _STOP, "limit": limit, "offset": offset}).all()
    return total, [(r.ref, r.title, r.snip, -r.rank) for r in rows]


def _postgres(conn, q: str, kind: str, limit: int, offset: int) -> tuple[int, list]:
    base = "FROM search_items i, websearch_to_tsquery('english', :q) query WHERE i.kind = :kind AND i.tsv @@ query"
    total = conn.execute(sa.text(f"SELECT count(*) {base}"), {"q": q, "kind": kind}).scalar_one()
    rows = conn.execute(sa.text(
        "SELECT i.ref, i.title, ts_headline('english', i.body, query, :opts) AS snip, ts_rank(i.tsv, query) AS rank "
        f"{base} ORDER BY rank DESC, i.ref LIMIT :limit OFFSET :offset"),
        {"q": q, "kind": kind, "limit": limit, "offset": offset,
         "opts": f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, "
                 "FragmentDelimiter=\" … \""}).all()
    return total, [(r.ref, r.title, r.snip, float(r.rank)) for r in rows]


def search(store, q: str, kinds: tuple[str, ...] | list[str] = KINDS, limit: int = 20, offset: int = 0) -> dict:
    """Hits per kind for the query ``q``::

        {"query": q, "total": n, "results": {kind: {"total": n, "hits": [
            {"kind", "ref", "title", "snippet", "marks": [[start, end], ...], "score"}]}}}
    """
    q = (q or "").strip()
    results = {}
    run = _postgres if store.engine.dialect.name == "postgresql" else _sqlite
    with store.engine.connect() as conn:
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}: choose from {', '.join(KINDS)}")
            total, rows = run(conn, q, kind, limit, offset) if q else (0, [])
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
