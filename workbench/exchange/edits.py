"""Single-record writes in the master for ``unmerge`` and ``resolve``: audited, by natural key."""
from __future__ import annotations

import json

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from workbench.exchange.records import SPEC_BY_TABLE, Rec, parse_rkey, read_agencies, to_column
from workbench.model.schema import Agency, Assessment, AuditEntry, Round, Tombstone, new_uuid, utcnow


def find(session: Session, round_uuid: str, rkey: str, cache: dict | None = None) -> Rec | None:
    """The master's record of natural key ``rkey`` now, or None.

    With ``cache`` (a dict the caller keeps), an agency's records are read once;
    the writes below keep a cached record up to date.
    """
    year, code, _table, _key = parse_rkey(rkey)
    if cache is None:
        return read_agencies(session, round_uuid, year, [code])[code].get(rkey)
    if (round_uuid, code) not in cache:
        cache[(round_uuid, code)] = read_agencies(session, round_uuid, year, [code])[code]
    return cache[(round_uuid, code)].get(rkey)


def forget(cache: dict | None, round_uuid: str, rkey: str) -> None:
    """Drop an agency's cached records (after a record was added or removed)."""
    if cache is not None:
        cache.pop((round_uuid, parse_rkey(rkey)[1]), None)


def audit(session: Session, action: str, table: str, row_uuid: str, changes: dict, actor: str) -> None:
    session.execute(insert(AuditEntry.__table__), [{
        "uuid": new_uuid(), "at": utcnow(), "actor": actor, "action": action, "table_name": table,
        "row_uuid": row_uuid, "changes": json.dumps(changes, ensure_ascii=False) if changes else ""}])


def set_fields(session: Session, rec: Rec, values: dict, actor: str, action: str, extra: dict | None = None) -> None:
    table = SPEC_BY_TABLE[rec.table].model.__table__
    session.execute(update(table).where(table.c.uuid == rec.uuid).values(
        **{f: to_column(rec.table, f, v) for f, v in values.items()}, updated_at=utcnow(), updated_by=actor))
    changes = {f: [rec.values.get(f), v] for f, v in values.items() if rec.values.get(f) != v}
    audit(session, action, rec.table, rec.uuid, dict(changes, **(extra or {})), actor)
    rec.values.update(values)


def remove(session: Session, rec: Rec, actor: str, action: str, extra: dict | None = None) -> None:
    table = SPEC_BY_TABLE[rec.table].model.__table__
    session.execute(delete(table).where(table.c.uuid == rec.uuid))
    session.merge(Tombstone(uuid=rec.uuid, table_name=rec.table, deleted_at=utcnow(), deleted_by=actor))
    audit(session, action, rec.table, rec.uuid, extra or {}, actor)


def put(session: Session, round_uuid: str, rkey: str, table_name: str, values: dict, uuid: str, actor: str,
        action: str, extra: dict | None = None) -> str:
    """Insert a record of natural key ``rkey`` (its parent looked up in the master); returns its UUID."""
    _year, code, _t, _k = parse_rkey(rkey)
    spec = SPEC_BY_TABLE[table_name]
    table = spec.model.__table__
    if session.scalar(select(table.c.uuid).where(table.c.uuid == uuid)) is not None:
        uuid = new_uuid()
    now = utcnow()
    # Fields the table no longer has (a record kept from before schema 0011: its judgement's sla_*) are left out.
    row = {f: to_column(table_name, f, v) for f, v in values.items() if f in table.c}
    row.update(uuid=uuid, created_at=now, updated_at=now, updated_by=actor)
    agency_uuid = session.scalar(select(Agency.uuid).where(Agency.code == code))
    if spec.parent == "agency":
        row.update(round_uuid=round_uuid, agency_uuid=agency_uuid)
    else:
        row["assessment_uuid"] = session.scalar(select(Assessment.uuid).where(
            Assessment.round_uuid == round_uuid, Assessment.agency_uuid == agency_uuid))
    session.execute(delete(Tombstone).where(Tombstone.uuid == uuid))
    session.execute(insert(table), [row])
    audit(session, action, table_name, uuid, dict({f: [None, v] for f, v in values.items() if v not in (None, "", False)},
                                                  **(extra or {})), actor)
    return uuid


def round_of(session: Session, round_uuid: str) -> Round:
    return session.get(Round, round_uuid)
