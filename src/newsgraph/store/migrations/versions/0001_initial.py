"""Initial schema: sources, documents, removed spans, near-duplicates, ingest log, and room
for mentions, entities, events, movements and claims with their evidence.

The migrations are the one definition of the schema; the store reflects the tables.
JSON values are stored as text, the same on SQLite and PostgreSQL.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id(name="id"):
    return sa.Column(name, sa.String(64), primary_key=True)


def _serial():
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _doc_fk(nullable=False):
    return sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                     nullable=nullable, index=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        _id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("domain", sa.Text),
        sa.Column("reliability", sa.String(1), nullable=False, server_default="F"),
        sa.Column("reliability_basis", sa.Text, nullable=False, server_default="cannot be judged: no basis recorded"),
        sa.Column("interested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "documents",
        _id(),
        sa.Column("url", sa.Text),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), index=True),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("published_precision", sa.String(8)),
        sa.Column("language", sa.String(8)),
        sa.Column("input_format", sa.String(8), nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("source_text", sa.Text, nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False),
        sa.Column("offset_map", sa.Text, nullable=False),
        sa.Column("comments", sa.Text, nullable=False),
        sa.Column("credited", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("minhash", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.Text, nullable=False),
    )
    op.create_table(
        "removed_spans",
        _serial(),
        _doc_fk(),
        sa.Column("raw_start", sa.Integer, nullable=False),
        sa.Column("raw_end", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "near_duplicates",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("other_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
    )
    op.create_table(
        "lsh_buckets",
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("bucket", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "ingest_log",
        _serial(),
        sa.Column("run_id", sa.String(32), nullable=False, index=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(64)),
        sa.Column("reason", sa.Text),
        sa.Column("at", sa.Text, nullable=False),
    )
    # Room for the extraction and corpus stages: each record keeps its payload as JSON and
    # its provenance in the evidence table (document, clean-text span, sentence).
    op.create_table(
        "mentions",
        _serial(),
        _doc_fk(),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("sentence_start", sa.Integer),
        sa.Column("sentence_end", sa.Integer),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(64), index=True),
        sa.Column("data", sa.Text, nullable=False, server_default="{}"),
    )
    for table in ("entities", "events", "movements", "claims"):
        op.create_table(
            table,
            _id(),
            sa.Column("type", sa.String(32), nullable=False),
            sa.Column("name", sa.Text),
            sa.Column("data", sa.Text, nullable=False, server_default="{}"),
        )
    op.create_table(
        "evidence",
        _serial(),
        sa.Column("record_kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        _doc_fk(),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
    )
    op.create_index("ix_evidence_record", "evidence", ["record_kind", "record_id"])


def downgrade() -> None:
    for table in ("evidence", "claims", "movements", "events", "entities", "mentions", "ingest_log",
                  "lsh_buckets", "near_duplicates", "removed_spans", "documents", "sources"):
        op.drop_table(table)
