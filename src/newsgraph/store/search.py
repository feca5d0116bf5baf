"""Full-text search over the ``search_items`` index on both backends (the SQL of the search view).

A query arrives as a *plan*: groups of phrases, every group must match (AND) and any phrase of a
group may (OR), so that a name stands for all its aliases. SQLite: FTS5 (porter stemming,
diacritics folded), the last one-word group as a prefix. PostgreSQL: ``phraseto_tsquery`` per
phrase over the stored tsvector. Each hit has a snippet as plain text plus ``marks`` ([start,
end] character offsets of the matched words inside the snippet), so that pages highlight
without trusting any markup.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

Plan = list[list[str]]  # [[phrase, …] (OR), …] (AND)
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


def _fts5(plan: Plan, prefix_last: bool) -> str:
    parts = []
    for i, group in enumerate(plan):
        phrases = [" ".join(_WORD.findall(p)) for p in group]
        phrases = [p for p in phrases if p]
        if not phrases:
            continue
        last = prefix_last and i == len(plan) - 1 and len(phrases) == 1 and " " not in phrases[0]
        quoted = [f'"{p}"' + ("*" if last else "") for p in phrases]
        parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


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


def _sqlite_pages(conn, match: str, words: list[str], kinds, limit: int,
                  offset: int) -> tuple[dict[str, int], dict[str, list]]:
    """One pass of the FTS match for every kind: the totals per kind and each kind's page of hits
    (best first), then snippets for those rows only (``snippet``)."""
    marks = ", ".join(f":k{i}" for i in range(len(kinds)))
    rows = conn.execute(sa.text(
        _HITS + ", ranked AS (SELECT hits.id, i.kind, i.ref, i.title, hits.rank, "
        "row_number() OVER (PARTITION BY i.kind ORDER BY hits.rank, i.ref) AS rn, "
        "count(*) OVER (PARTITION BY i.kind) AS total FROM hits JOIN search_items i ON i.id = hits.id "
        f"WHERE i.kind IN ({marks})) "
        "SELECT id, kind, ref, title, rank, rn, total FROM ranked WHERE rn > :offset AND rn <= :offset + :limit "
        "OR rn = 1 ORDER BY kind, rn"),
        {"q": match, "limit": limit, "offset": offset, **{f"k{i}": k for i, k in enumerate(kinds)}}).all()
    totals = {r.kind: r.total for r in rows}
    page = [r for r in rows if offset < r.rn <= offset + limit]
    bodies = {}
    if page:
        ids = ", ".join(str(int(r.id)) for r in page)
        bodies = dict(conn.execute(sa.text(f"SELECT id, body FROM search_items WHERE id IN ({ids})")).all())
    hits: dict[str, list] = {}
    for r in page:
        hits.setdefault(r.kind, []).append((r.ref, r.title, snippet(bodies.get(r.id) or "", words), -r.rank))
    return totals, hits


def _fold(text: str) -> str:
    from newsgraph.corpus.search_index import ascii_fold

    return ascii_fold(text).casefold()


def snippet(body: str, words: list[str], size: int = 24) -> str:
    """About ``size`` words of ``body`` around the first place the query's words occur, with the
    matched words between the start and stop marks (a word matches a body word that starts with it,
    accents and case aside, as the stemmed index does for "raid" and "raids"). Cheaper than FTS5's
    snippet(), which re-runs the whole match for every row."""
    tokens = list(_WORD.finditer(body))
    if not tokens:
        return ""
    wanted = tuple({_fold(w) for w in words if w})

    def hit(token: str) -> bool:
        return bool(wanted) and (token.casefold() if token.isascii() else _fold(token)).startswith(wanted)

    first = next((i for i, t in enumerate(tokens) if hit(t.group())), 0)
    lo = max(0, first - size // 3)
    hi = min(len(tokens), lo + size)
    out, pos = [], tokens[lo].start()
    for i in range(lo, hi):
        t = tokens[i]
        out.append(body[pos:t.start()])
        out.append(f"{_START}{t.group()}{_STOP}" if hit(t.group()) else t.group())
        pos = t.end()
    text = "".join(out)
    return ("…" if lo else "") + text + ("…" if hi < len(tokens) else "")


def _pg_query(plan: Plan, prefix_last: bool) -> tuple[str, dict]:
    """A tsquery expression for the plan, and its parameters."""
    params, groups = {}, []
    for i, group in enumerate(plan):
        ors = []
        for phrase in group:
            words = _WORD.findall(phrase)
            if not words:
                continue
            name = f"p{len(params)}"
            if prefix_last and i == len(plan) - 1 and len(group) == 1 and len(words) == 1:
                params[name] = words[0] + ":*"
                ors.append(f"to_tsquery('english', :{name})")
            else:
                params[name] = " ".join(words)
                ors.append(f"phraseto_tsquery('english', :{name})")
        if ors:
            groups.append("(" + " || ".join(ors) + ")")
    return " && ".join(groups), params


def _postgres_totals(conn, expr: str, params: dict) -> dict[str, int]:
    return dict(conn.execute(sa.text(
        f"SELECT i.kind, count(*) FROM search_items i, (SELECT {expr}) AS query(q) WHERE i.tsv @@ query.q "
        "GROUP BY i.kind"), params).all())


def _postgres(conn, expr: str, params: dict, kind: str, limit: int, offset: int) -> list:
    rows = conn.execute(sa.text(
        f"WITH query AS (SELECT {expr} AS q), "
        "page AS (SELECT i.id, i.ref, i.title, i.body, ts_rank(i.tsv, query.q) AS rank, query.q "
        "FROM search_items i, query WHERE i.kind = :kind AND i.tsv @@ query.q "
        "ORDER BY rank DESC, i.ref LIMIT :limit OFFSET :offset) "
        "SELECT ref, title, ts_headline('english', body, q, :opts) AS snip, rank FROM page "
        "ORDER BY rank DESC, ref"),
        {**params, "kind": kind, "limit": limit, "offset": offset,
         "opts": f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, "
                 "FragmentDelimiter=\" … \""}).all()
    return [(r.ref, r.title, r.snip, float(r.rank)) for r in rows]


def run_plan(store, plan: Plan, kinds, limit: int, offset: int, prefix_last: bool = True) -> dict:
    """{kind: {"total": n, "hits": [{kind, ref, title, snippet, marks, score}]}} for the plan."""
    pg = store.engine.dialect.name == "postgresql"
    results = {}
    with store.engine.connect() as conn:
        pages: dict[str, list] = {}
        if pg:
            expr, params = _pg_query(plan, prefix_last)
            totals = _postgres_totals(conn, expr, params) if expr else {}
        else:
            match = _fts5(plan, prefix_last)
            words = [w for group in plan for phrase in group for w in _WORD.findall(phrase)]
            totals, pages = _sqlite_pages(conn, match, words, list(kinds), limit, offset) if match else ({}, {})
        for kind in kinds:
            total = totals.get(kind, 0)
            if not total:
                rows = []
            elif pg:
                rows = _postgres(conn, expr, params, kind, limit, offset)
            else:
                rows = pages.get(kind, [])
            hits = []
            for ref, title, snip, score in rows:
                text, marks = _marks(snip)
                hits.append({"kind": kind, "ref": ref, "title": title, "snippet": text, "marks": marks,
                             "score": round(score, 4)})
            results[kind] = {"total": total, "hits": hits}
    return results


def entity_names(store) -> list[tuple[str, str, list[str], int]]:
    """(id, name, aliases, mention count) of every entity, for alias expansion and suggestions."""
    import json

    table = store.t["entities"]
    with store.engine.connect() as conn:
        out = []
        for row in conn.execute(sa.select(table.c.id, table.c.name, table.c.data)):
            data = json.loads(row.data)
            out.append((row.id, row.name, list(data.get("aliases") or []), int(data.get("mention_count") or 0)))
    return out


def entities_signature(store) -> tuple:
    """Changes whenever entities are rebuilt, merged or split (for caches of entity names)."""
    table = store.t["entities"]
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.select(sa.func.count(), sa.func.max(table.c.id), sa.func.min(table.c.id))
                                  .select_from(table)).one())


def index_size(store) -> int:
    items = store.t["search_items"]
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one()
