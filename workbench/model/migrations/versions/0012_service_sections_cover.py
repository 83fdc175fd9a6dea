"""service sections' covering index: the round's scoring reads each verdict from the index alone

On the 2,500-agency demo (937,990 rows) scoring the round read every row of the
table through the unique index: 1.7 s CPU, 1.35 s with this index
(bench/score_round.py, load 1).

Revision ID: 0012
Revises: 0011
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_service_sections_cover", "service_sections",
                    ["assessment_uuid", "service_id", "section", "met"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_service_sections_cover", table_name="service_sections")
