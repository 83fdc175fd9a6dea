"""a note on each entry of a checklist (4.3.1, appendix A): partial compliance recorded and justified

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No entry has a note yet (NULL); the item's own note stays where it was.
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entry_notes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("entry_notes")
