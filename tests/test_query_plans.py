"""An incremental build reads through indexes: every SELECT that adding one article to the demo
knowledge base runs is checked with SQLite's EXPLAIN QUERY PLAN, and none may scan a table that
grows with the corpus (a scan costs more with every article stored; a search by index does not).

Two kinds of read are left out, and docs/scale.md says so: the ``count(*)`` of a summary line
(SQLite walks the smallest index: milliseconds at 100,000 rows), and the anti-joins that find
the documents a stage has not taken in and the search items whose record is gone, which walk an
index in the database rather than read rows into Python."""
from __future__ import annotations

import re
import sqlite3

import sqlalchemy as sa

from conftest import build_knowledge_base

# tables whose size grows with the corpus; a full scan of one is a cost per article that grows
GROWING = {"mentions", "events", "movements", "claims", "evidence", "entities", "corpus_records", "corpus_keys",
           "lsh_buckets", "near_duplicates", "removed_spans", "search_items", "analyses", "corpus_done"}

NEW_ARTICLE = """Border guards stop 40 people near Kilis

KILIS, Turkey — Turkish border guards stopped 40 people trying to cross from Syria near Kilis on
Friday, the provincial governor's office said in a statement on Saturday. The group, which
included 12 children, was handed to the migration authority, the statement said.
"""


def _selects(db: str, article) -> list[tuple[str, tuple]]:
    seen: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append((statement, tuple(parameters or ())))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", capture)
    try:
        build_knowledge_base(db, [str(article)])
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", capture)
    return seen


def test_adding_an_article_scans_no_table_that_grows_with_the_corpus(demo_kb_copy, tmp_path):
    article = tmp_path / "kilis.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    selects = _selects(demo_kb_copy, article)
    assert len(selects) > 50  # the build ran its stages
    conn = sqlite3.connect(demo_kb_copy)
    scans = {}
    try:
        for statement, params in selects:
            if ("sqlite_master" in statement or "alembic_version" in statement or "pragma" in statement.lower()
                    or re.match(r"SELECT count\(\*\) AS \w+ \nFROM \w+$", statement.strip())):
                continue
            for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params):
                detail = row[-1]
                match = re.match(r"SCAN (\w+)", detail)
                if match and match.group(1) in GROWING:
                    scans.setdefault(match.group(1), " ".join(statement.split())[:160])
    finally:
        conn.close()
    assert scans == {}, "full scans of growing tables:\n" + "\n".join(f"{t}: {s}" for t, s in scans.items())
