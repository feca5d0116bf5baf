"""Per-document analysis: which documents the extraction stage has run on (and with which
version), and the document each extracted event, movement and claim came from.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("analysed_at", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default="[]"),
    )
    for table in ("events", "movements", "claims"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("document_id", sa.String(64), nullable=True))
            batch.create_index(f"ix_{table}_document_id", ["document_id"])


def downgrade() -> None:
    for table in ("events", "movements", "claims"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_document_id")
            batch.drop_column("document_id")
    op.drop_table("analyses")
