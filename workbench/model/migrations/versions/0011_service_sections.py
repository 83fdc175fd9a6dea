"""4.7's SLA judged section by section in rows (service_sections) instead of ten sla_* columns: appendix C's
sections are the framework file's data, so a later round's guide may add or drop one with no schema change

Every judgement is carried over: a service's non-empty sla_* column becomes its row (section = the
column's name without «sla_», met = its value, the judgement's times and author).  The exchange's
stored records (assignment bases, evaluators' submissions) and the merge's open conflicts and
provenance on the old «sla» field group are rewritten the same way, so a package made after the
upgrade merges against what its base said.  The downgrade puts the ten columns back from the rows.

Revision ID: 0011
Revises: 0010
"""
import json
import uuid
import zlib

from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: The sections 0008 made columns of, in appendix C's order (the shipped framework's keys).
SECTIONS = ("intro", "purpose", "responsibility", "obligations", "conditions", "disputes", "costs", "period",
            "termination", "published")
COLUMNS = tuple("sla_" + k for k in SECTIONS)
#: Row UUIDs made from the judgement's: the same on a laptop and on the master, in a table and in a base.
_NAMESPACE = uuid.UUID("5b6c0e1e-9d4a-4c39-9a37-0e7f7c2f2b11")
_CHUNK = 2000


def section_uuid(judgement_uuid: str, section: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{judgement_uuid}/{section}"))


def _rkey(parts) -> str:
    year, *rest = parts
    return f"[{int(year)}, " + ", ".join(json.dumps(str(p), ensure_ascii=False) for p in rest) + "]"


def section_rkey(judgement_rkey: str, section: str) -> str:
    year, code, _table, service_id = json.loads(judgement_rkey)
    return _rkey([year, code, "service_sections", service_id, section])


def convert_records(data: dict) -> dict:
    """Packed records (``exchange.records.pack``): each judgement's sla_* values become section records."""
    out = {}
    for key, rec in data.items():
        values = rec.get("v", {})
        if rec.get("t") == "service_judgements":
            values = dict(values)
            for column, section in zip(COLUMNS, SECTIONS):
                met = values.pop(column, None)
                if met is not None:
                    out[section_rkey(key, section)] = {
                        "t": "service_sections", "u": section_uuid(rec["u"], section),
                        "v": {"service_id": values.get("service_id"), "section": section, "met": met}}
            rec = {**rec, "v": values}
        out[key] = rec
    return out


def _convert_blob(blob):
    if not blob:
        return blob
    data = json.loads(zlib.decompress(blob))
    if not any(r.get("t") == "service_judgements" for r in data.values()):
        return blob
    return zlib.compress(json.dumps(convert_records(data), ensure_ascii=False, sort_keys=True).encode(), 1)


def _table_names(bind) -> set[str]:
    return set(sa.inspect(bind).get_table_names())


def upgrade() -> None:
    op.create_table('service_sections',
    sa.Column('assessment_uuid', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=9), nullable=False),
    sa.Column('section', sa.String(length=40), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['assessment_uuid'], ['assessments.uuid'], name=op.f('fk_service_sections_assessment_uuid_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('uuid', name=op.f('pk_service_sections')),
    sa.UniqueConstraint('assessment_uuid', 'service_id', 'section', name=op.f('uq_service_sections_assessment_uuid'))
    )
    with op.batch_alter_table('service_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_sections_updated_at'), ['updated_at'], unique=False)

    bind = op.get_bind()
    judgements = sa.table("service_judgements", *(sa.column(c) for c in (
        "uuid", "assessment_uuid", "service_id", "created_at", "updated_at", "updated_by", *COLUMNS)))
    sections = sa.table("service_sections", *(sa.column(c) for c in (
        "uuid", "assessment_uuid", "service_id", "section", "met", "created_at", "updated_at", "updated_by")))
    judged = sa.or_(*(judgements.c[c].isnot(None) for c in COLUMNS))
    rows = bind.execute(sa.select(judgements).where(judged).order_by(judgements.c.uuid)).mappings().all()
    batch = []
    for row in rows:
        for column, section in zip(COLUMNS, SECTIONS):
            if row[column] is not None:
                batch.append({"uuid": section_uuid(row["uuid"], section), "assessment_uuid": row["assessment_uuid"],
                              "service_id": row["service_id"], "section": section, "met": bool(row[column]),
                              "created_at": row["created_at"], "updated_at": row["updated_at"],
                              "updated_by": row["updated_by"]})
        if len(batch) >= _CHUNK:
            bind.execute(sections.insert(), batch)
            batch = []
    if batch:
        bind.execute(sections.insert(), batch)
    with op.batch_alter_table("service_judgements", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.drop_column(name)
    _upgrade_exchange(bind)


def _upgrade_exchange(bind) -> None:
    """The exchange's stored records and the merge's bookkeeping of the «sla» group, per section."""
    names = _table_names(bind)
    for table, key, column in (("assignment_agencies", ("assignment_uuid", "agency_code"), "base"),
                               ("submissions", ("package_uuid", "agency_code"), "data")):
        if table not in names:
            continue
        t = sa.table(table, *(sa.column(c) for c in (*key, column)))
        for row in bind.execute(sa.select(t)).all():
            new = _convert_blob(row[2])
            if new is not row[2]:
                bind.execute(t.update().where(t.c[key[0]] == row[0], t.c[key[1]] == row[1]).values({column: new}))
    if "provenance" in names:
        p = sa.table("provenance", *(sa.column(c) for c in (
            "id", "rkey", "grp", "package_uuid", "batch_uuid", "evaluator", "device_id", "value", "resolved_by")))
        for row in bind.execute(sa.select(p).where(p.c.grp == "sla")).mappings().all():
            value = json.loads(row["value"] or "{}") or {}
            for column, section in zip(COLUMNS, SECTIONS):
                if value.get(column) is not None:
                    bind.execute(p.insert().values(
                        {**{k: row[k] for k in p.c.keys() if k != "id"}, "rkey": section_rkey(row["rkey"], section),
                         "grp": "met", "value": json.dumps({"met": value[column]})}))
        bind.execute(p.delete().where(p.c.grp == "sla"))
    if "conflicts" in names:
        _split_conflicts(bind)


def _split_conflicts(bind) -> None:
    """An open conflict on the «sla» group becomes one per section the candidates disagree on."""
    c = sa.table("conflicts", *(sa.column(n) for n in (
        "id", "round_uuid", "agency_code", "table_name", "rkey", "grp", "kind", "base", "status", "batch_uuid",
        "resolved_at", "resolved_by", "resolution", "reason")))
    cand = sa.table("conflict_candidates", *(sa.column(n) for n in (
        "id", "conflict_id", "package_uuid", "evaluator", "device_id", "batch_uuid", "value")))
    for row in bind.execute(sa.select(c).where(c.c.grp == "sla", c.c.table_name == "service_judgements")).mappings().all():
        candidates = bind.execute(sa.select(cand).where(cand.c.conflict_id == row["id"])).mappings().all()
        base = json.loads(row["base"] or "null") or {}
        values = [json.loads(x["value"]) if x["value"] is not None else None for x in candidates]
        for column, section in zip(COLUMNS, SECTIONS):
            seen = {json.dumps(None if v is None else v.get(column)) for v in values}
            if len(seen) < 2 and row["kind"] == "value":
                continue
            new = {k: row[k] for k in c.c.keys() if k != "id"}
            new.update(table_name="service_sections", rkey=section_rkey(row["rkey"], section), grp="met",
                       base=json.dumps({"met": base.get(column)}))
            if row["resolution"]:
                old = json.loads(row["resolution"]) or {}
                new["resolution"] = json.dumps({"met": old.get(column)}) if isinstance(old, dict) else row["resolution"]
            new_id = bind.execute(c.insert().values(new).returning(c.c.id)).scalar_one()
            for x, v in zip(candidates, values):
                bind.execute(cand.insert().values(
                    {**{k: x[k] for k in cand.c.keys() if k not in ("id", "conflict_id", "value")},
                     "conflict_id": new_id, "value": None if v is None else json.dumps({"met": v.get(column)})}))
        bind.execute(cand.delete().where(cand.c.conflict_id == row["id"]))
        bind.execute(c.delete().where(c.c.id == row["id"]))


def downgrade() -> None:
    with op.batch_alter_table("service_judgements", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=True))
    bind = op.get_bind()
    judgements = sa.table("service_judgements", *(sa.column(c) for c in ("uuid", "assessment_uuid", "service_id",
                                                                            "url", "note", "created_at", "updated_at",
                                                                            "updated_by", *COLUMNS)))
    sections = sa.table("service_sections", *(sa.column(c) for c in (
        "assessment_uuid", "service_id", "section", "met", "created_at", "updated_at", "updated_by")))
    existing = {(a, s) for a, s in bind.execute(sa.select(judgements.c.assessment_uuid, judgements.c.service_id))}
    by_service: dict = {}
    for row in bind.execute(sa.select(sections).where(sections.c.section.in_(SECTIONS))).mappings():
        by_service.setdefault((row["assessment_uuid"], row["service_id"]), {})["sla_" + row["section"]] = row["met"]
    for (a, s), values in by_service.items():
        if (a, s) not in existing:
            bind.execute(judgements.insert().values(uuid=str(uuid.uuid4()), assessment_uuid=a, service_id=s, url="",
                                                    note="", created_at=sa.func.now(), updated_at=sa.func.now(),
                                                    updated_by="", **values))
        else:
            bind.execute(judgements.update().where(judgements.c.assessment_uuid == a,
                                                   judgements.c.service_id == s).values(values))
    with op.batch_alter_table('service_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_sections_updated_at'))
    op.drop_table('service_sections')
