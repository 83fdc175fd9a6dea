"""the service identity card's fields: level, nature, channels per stage, links, documents, visit reasons

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("service_level", sa.String(length=20)),
    ("nature", sa.String(length=20)),
    ("info_channels", sa.String(length=200)),
    ("request_channels", sa.String(length=200)),
    ("delivery_channels", sa.String(length=200)),
    ("other_agencies", sa.Text()),
    ("documents", sa.Text()),
    ("visit_reasons", sa.Text()),
)


def upgrade() -> None:
    # Existing services have no card yet: every field empty ("" = not given), nothing else changes.
    with op.batch_alter_table("services", schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        for name, _kind in reversed(_COLUMNS):
            batch_op.drop_column(name)
