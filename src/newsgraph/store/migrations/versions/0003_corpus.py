"""Across documents: corpus records (stories, merged events, claim clusters and the like, each a
JSON record by kind and id), the documents each corpus stage has taken in (for incremental
runs), and analyst decisions (entity merge/split, source reliability, credibility overrides)
that survive every rebuild.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_records",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_table(
        "corpus_done",
        sa.Column("stage", sa.String(32), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("done_at", sa.Text, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("subject", sa.String(256), nullable=False, index=True),
        sa.Column("data", sa.Text, nullable=False, server_default="{}"),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("decisions")
    op.drop_table("corpus_done")
    op.drop_table("corpus_records")
