"""appendix A's checklist (4.3.1) on an answer; per service: its SLA against appendix C (4.7), a survey tool
(9.2.3), no copy of identity documents (indicator 11)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JUDGEMENT_COLUMNS = (
    "sla_intro", "sla_purpose", "sla_responsibility", "sla_obligations", "sla_conditions", "sla_disputes",
    "sla_costs", "sla_period", "sla_termination", "sla_published", "survey", "no_id_copy",
)


def upgrade() -> None:
    # Nothing judged yet (NULL): an existing assessment's earlier answers stay as they were.
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marks", sa.Text(), nullable=True))
    with op.batch_alter_table("service_judgements", schema=None) as batch_op:
        for name in JUDGEMENT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_judgements", schema=None) as batch_op:
        for name in reversed(JUDGEMENT_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("marks")
