"""blob chunks: evidence files' bytes, one row per file on SQLite (streamed in), 1 MiB pieces on PostgreSQL

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('chunk_no', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_blob_chunks_sha256_blobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'chunk_no', name=op.f('pk_blob_chunks'))
    )


def downgrade() -> None:
    op.drop_table('blob_chunks')
