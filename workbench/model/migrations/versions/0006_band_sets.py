"""a supervisor's classification bands for a round

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('band_sets',
    sa.Column('round_uuid', sa.String(length=36), nullable=False),
    sa.Column('bands', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['round_uuid'], ['rounds.uuid'], name=op.f('fk_band_sets_round_uuid_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_band_sets')),
    sa.UniqueConstraint('round_uuid', name=op.f('uq_band_sets_round_uuid'))
    )
    with op.batch_alter_table('band_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_band_sets_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('band_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_band_sets_updated_at'))
    op.drop_table('band_sets')
