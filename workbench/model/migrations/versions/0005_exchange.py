"""exchange: assignments, merged packages, batches, conflicts, provenance, submissions

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assignments',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('round_uuid', sa.String(length=36), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('supervisor_key', sa.String(length=64), nullable=False),
    sa.Column('evaluator_key', sa.String(length=64), nullable=False),
    sa.Column('pinned_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_uuid'], ['rounds.uuid'], name=op.f('fk_assignments_round_uuid_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_round_uuid'), ['round_uuid'], unique=False)

    op.create_table('assignment_agencies',
    sa.Column('assignment_uuid', sa.String(length=36), nullable=False),
    sa.Column('agency_code', sa.String(length=50), nullable=False),
    sa.Column('base', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_uuid'], ['assignments.uuid'], name=op.f('fk_assignment_agencies_assignment_uuid_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assignment_uuid', 'agency_code', name=op.f('pk_assignment_agencies'))
    )
    with op.batch_alter_table('assignment_agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_agencies_agency_code'), ['agency_code'], unique=False)

    op.create_table('exchange_packages',
    sa.Column('uuid', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('round_uuid', sa.String(length=36), nullable=False),
    sa.Column('assignments', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('batch_uuid', sa.String(length=36), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_exchange_packages'))
    )
    with op.batch_alter_table('exchange_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_packages_batch_uuid'), ['batch_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_packages_content_sha256'), ['content_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_packages_device_id'), ['device_id'], unique=False)

    op.create_table('merge_batches',
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.Column('merged_by', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('unmerged_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_merge_batches'))
    )
    op.create_table('merge_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('batch_uuid', sa.String(length=36), nullable=False),
    sa.Column('package_uuid', sa.String(length=64), nullable=False),
    sa.Column('table_name', sa.String(length=100), nullable=False),
    sa.Column('row_uuid', sa.String(length=36), nullable=False),
    sa.Column('rkey', sa.Text(), nullable=False),
    sa.Column('grp', sa.String(length=50), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_changes'))
    )
    with op.batch_alter_table('merge_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_changes_batch_uuid'), ['batch_uuid'], unique=False)

    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('round_uuid', sa.String(length=36), nullable=False),
    sa.Column('agency_code', sa.String(length=50), nullable=False),
    sa.Column('table_name', sa.String(length=100), nullable=False),
    sa.Column('rkey', sa.Text(), nullable=False),
    sa.Column('grp', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('base', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('batch_uuid', sa.String(length=36), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflicts_batch_uuid'), ['batch_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflicts_rkey'), ['rkey'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflicts_round_uuid'), ['round_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflicts_status'), ['status'], unique=False)

    op.create_table('conflict_candidates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conflict_id', sa.Integer(), nullable=False),
    sa.Column('package_uuid', sa.String(length=64), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('batch_uuid', sa.String(length=36), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['conflict_id'], ['conflicts.id'], name=op.f('fk_conflict_candidates_conflict_id_conflicts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_candidates'))
    )
    with op.batch_alter_table('conflict_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_candidates_conflict_id'), ['conflict_id'], unique=False)

    op.create_table('provenance',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('rkey', sa.Text(), nullable=False),
    sa.Column('grp', sa.String(length=50), nullable=False),
    sa.Column('package_uuid', sa.String(length=64), nullable=False),
    sa.Column('batch_uuid', sa.String(length=36), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('resolved_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provenance'))
    )
    with op.batch_alter_table('provenance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provenance_batch_uuid'), ['batch_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_provenance_rkey'), ['rkey'], unique=False)

    op.create_table('submissions',
    sa.Column('package_uuid', sa.String(length=64), nullable=False),
    sa.Column('agency_code', sa.String(length=50), nullable=False),
    sa.Column('round_uuid', sa.String(length=36), nullable=False),
    sa.Column('assignment_uuid', sa.String(length=36), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['package_uuid'], ['exchange_packages.uuid'], name=op.f('fk_submissions_package_uuid_exchange_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('package_uuid', 'agency_code', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_agency_code'), ['agency_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_assignment_uuid'), ['assignment_uuid'], unique=False)


def downgrade() -> None:
    for table in ('submissions', 'provenance', 'conflict_candidates', 'conflicts', 'merge_changes',
                  'merge_batches', 'exchange_packages', 'assignment_agencies', 'assignments'):
        op.drop_table(table)
