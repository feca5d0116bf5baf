"""Blocking keys of corpus records, so that a corpus stage finds the candidates a new article
touches with an indexed query instead of reading every record: ``corpus_keys`` (kind, key, id),
e.g. ("entity", "name|PERSON|<folded name>", <entity id>), in write order (``seq``). Also an index on the stage of
``corpus_done``, which incremental stages read to find the documents they have not taken in, and
the write time of each entity, so that the search index re-reads only the entities that changed.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_keys",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"),  # write order, for stable lookups
    )
    op.create_index("ix_corpus_keys_id", "corpus_keys", ["kind", "id"])
    op.create_index("ix_corpus_done_stage", "corpus_done", ["stage", "version"])
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("updated_at", sa.Text, nullable=True))
        batch.create_index("ix_entities_updated_at", ["updated_at"])


def downgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.drop_index("ix_entities_updated_at")
        batch.drop_column("updated_at")
    op.drop_index("ix_corpus_done_stage", "corpus_done")
    op.drop_index("ix_corpus_keys_id", "corpus_keys")
    op.drop_table("corpus_keys")
