"""rounds over the years: each earlier round keeps its agencies' details as they stood

Revision ID: 0003
Revises: 0002

A database that already has several rounds freezes every round but the latest
with the agencies' details of today, the best that is known of them: from
here on an import into the latest round no longer changes what an earlier
round's summary or ranking shows.
"""
import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_agencies",
        sa.Column("round_uuid", sa.String(length=36), nullable=False),
        sa.Column("agency_uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("parent_uuid", sa.String(length=36), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("province", sa.String(length=100), nullable=False),
        sa.Column("ranking_group", sa.String(length=100), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["agency_uuid"], ["agencies.uuid"],
                                name=op.f("fk_round_agencies_agency_uuid_agencies"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_uuid"], ["rounds.uuid"],
                                name=op.f("fk_round_agencies_round_uuid_rounds"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_round_agencies")),
        sa.UniqueConstraint("round_uuid", "agency_uuid", name=op.f("uq_round_agencies_round_uuid")),
    )
    with op.batch_alter_table("round_agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_agencies_agency_uuid"), ["agency_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_round_agencies_round_uuid"), ["round_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_round_agencies_updated_at"), ["updated_at"], unique=False)
    _freeze_earlier_rounds()


def _freeze_earlier_rounds() -> None:
    conn = op.get_bind()
    rounds = conn.execute(sa.text("SELECT uuid FROM rounds ORDER BY year DESC")).scalars().all()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for round_uuid in rounds[1:]:  # the latest round reads the live agency rows
        agencies = conn.execute(
            sa.text(
                "SELECT uuid, name, parent_uuid, level, province, ranking_group, website FROM agencies "
                "WHERE uuid IN (SELECT agency_uuid FROM assessments WHERE round_uuid = :r "
                "UNION SELECT agency_uuid FROM services WHERE round_uuid = :r)"
            ),
            {"r": round_uuid},
        ).all()
        rows = [
            {
                "uuid": str(uuid.uuid4()), "created_at": now, "updated_at": now, "updated_by": "upgrade 0003",
                "round_uuid": round_uuid, "agency_uuid": a.uuid, "name": a.name, "parent_uuid": a.parent_uuid,
                "level": a.level, "province": a.province, "ranking_group": a.ranking_group, "website": a.website,
            }
            for a in agencies
        ]
        if rows:
            conn.execute(
                sa.text(
                    "INSERT INTO round_agencies (uuid, created_at, updated_at, updated_by, round_uuid, agency_uuid, "
                    "name, parent_uuid, level, province, ranking_group, website) VALUES (:uuid, :created_at, "
                    ":updated_at, :updated_by, :round_uuid, :agency_uuid, :name, :parent_uuid, :level, :province, "
                    ":ranking_group, :website)"
                ),
                rows,
            )


def downgrade() -> None:
    with op.batch_alter_table("round_agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_agencies_updated_at"))
        batch_op.drop_index(batch_op.f("ix_round_agencies_round_uuid"))
        batch_op.drop_index(batch_op.f("ix_round_agencies_agency_uuid"))
    op.drop_table("round_agencies")
