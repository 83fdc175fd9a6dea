"""agreements with the Organization that take services out of an indicator (indicator 7)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('na_agreements',
    sa.Column('assessment_uuid', sa.String(length=36), nullable=False),
    sa.Column('indicator_key', sa.String(length=20), nullable=False),
    sa.Column('letter_no', sa.String(length=200), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=True),
    sa.Column('service_ids', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['assessment_uuid'], ['assessments.uuid'], name=op.f('fk_na_agreements_assessment_uuid_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_na_agreements')),
    sa.UniqueConstraint('assessment_uuid', 'indicator_key', name=op.f('uq_na_agreements_assessment_uuid'))
    )
    with op.batch_alter_table('na_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_na_agreements_assessment_uuid'), ['assessment_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_na_agreements_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('na_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_na_agreements_updated_at'))
        batch_op.drop_index(batch_op.f('ix_na_agreements_assessment_uuid'))
    op.drop_table('na_agreements')
