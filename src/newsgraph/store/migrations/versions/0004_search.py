"""Full-text search: one row per searchable thing (document, entity, event, claim, ...) in
``search_items`` (kind, ref, sig = a signature of what was indexed, title, body, alt = ASCII
spellings of the words with accents, so "Aydin" finds "Aydın"), and the index over the three: an
FTS5 virtual table with external content kept in step by triggers on SQLite, a generated tsvector
column with a GIN index on PostgreSQL. Also an index on the write time of corpus records, which
the web app reads to know when its cached snapshot is stale.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("sig", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("alt", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("kind", "ref", name="uq_search_items_kind_ref"),
    )
    # the web app's cache key reads the latest write time of the corpus records
    op.create_index("ix_corpus_records_updated_at", "corpus_records", ["updated_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_items ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(body, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(alt, '')), 'C')) STORED"
        )
        op.execute("CREATE INDEX ix_search_items_tsv ON search_items USING GIN (tsv)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, alt, content='search_items', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER search_items_ai AFTER INSERT ON search_items BEGIN "
        "INSERT INTO search_fts(rowid, title, body, alt) VALUES (new.id, new.title, new.body, new.alt); END"
    )
    op.execute(
        "CREATE TRIGGER search_items_ad AFTER DELETE ON search_items BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title, body, alt) VALUES ('delete', old.id, old.title, old.body, old.alt); END"
    )
    op.execute(
        "CREATE TRIGGER search_items_au AFTER UPDATE ON search_items BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title, body, alt) VALUES ('delete', old.id, old.title, old.body, old.alt); "
        "INSERT INTO search_fts(rowid, title, body, alt) VALUES (new.id, new.title, new.body, new.alt); END"
    )


def downgrade() -> None:
    op.drop_index("ix_corpus_records_updated_at", table_name="corpus_records")
    if op.get_bind().dialect.name != "postgresql":
        for trigger in ("search_items_ai", "search_items_ad", "search_items_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_items")
