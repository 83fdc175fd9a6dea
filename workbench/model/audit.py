"""The audit trail: who changed what, when, and what was deleted.  No Qt.

Every flush of any session stamps ``updated_at``/``updated_by`` on the
records it writes, adds an :class:`~workbench.model.schema.AuditEntry` per
insert, update and delete (with the changed columns, old and new), and leaves
a :class:`~workbench.model.schema.Tombstone` for each deleted record, so a
merge can carry deletions.  :func:`bulk_insert` does the same for many new
rows at once; :func:`record_event` audits something that is not a column
change (a reopening, a demo build).  The listener is installed when this
module is imported (``store.py`` does).
"""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from workbench.model.schema import AuditEntry, Tombstone, Tracked, new_uuid, utcnow

#: Tables whose rows are not audited: the trail itself, tombstones, file bytes, file facts.
NOT_AUDITED = {"audit_log", "tombstones", "blobs", "meta"}


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


@event.listens_for(Session, "before_flush")
def _track_changes(session: Session, _context, _instances) -> None:
    actor = session.info.get("actor", "")
    now = utcnow()
    for obj in list(session.new):
        if isinstance(obj, Tracked):
            obj.updated_by = obj.updated_by or actor
            obj.updated_at = obj.updated_at or now
            if obj.uuid is None:
                obj.uuid = new_uuid()
            _audit(session, obj, "insert", actor, now, _insert_changes(obj))
    for obj in list(session.dirty):
        if not isinstance(obj, Tracked) or not session.is_modified(obj, include_collections=False):
            continue
        changes = _update_changes(obj)
        if not changes:
            continue
        obj.updated_at = now
        obj.updated_by = actor
        _audit(session, obj, "update", actor, now, changes)
    for obj in list(session.deleted):
        if isinstance(obj, Tracked):
            table = obj.__tablename__
            session.merge(Tombstone(uuid=obj.uuid, table_name=table, deleted_at=now, deleted_by=actor))
            _audit(session, obj, "delete", actor, now, {})


def _insert_changes(obj) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ("uuid", "created_at", "updated_at", "updated_by"):
            continue
        value = getattr(obj, attr.key)
        if value not in (None, "", False):
            out[attr.key] = [None, _jsonable(value)]
    return out


def _update_changes(obj) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ("updated_at", "updated_by"):
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                out[attr.key] = [_jsonable(old), _jsonable(new)]
    return out


def _audit(session: Session, obj, action: str, actor: str, now, changes: dict) -> None:
    table = obj.__tablename__
    if table in NOT_AUDITED:
        return
    session.add(
        AuditEntry(
            at=now,
            actor=actor,
            action=action,
            table_name=table,
            row_uuid=obj.uuid,
            changes=json.dumps(changes, ensure_ascii=False) if changes else "",
        )
    )


def bulk_insert(session: Session, model: type[Tracked], rows: list[dict]) -> None:
    """Insert many new records of ``model`` at once, stamped and audited as a flush would.

    For large imports: the ORM builds two objects per record (the record and its
    audit entry); this writes the same rows and the same audit entries with two
    executemany statements.  The rows are not loaded into ``session``.
    """
    if not rows:
        return
    actor = session.info.get("actor", "")
    now = utcnow()
    table = model.__tablename__
    records, audits = [], []
    for row in rows:
        record = {"uuid": new_uuid(), "created_at": now, "updated_at": now, "updated_by": actor, **row}
        records.append(record)
        changes = {k: [None, _jsonable(v)] for k, v in row.items() if v not in (None, "", False)}
        audits.append(
            {
                "uuid": new_uuid(),
                "at": now,
                "actor": actor,
                "action": "insert",
                "table_name": table,
                "row_uuid": record["uuid"],
                "changes": json.dumps(changes, ensure_ascii=False) if changes else "",
            }
        )
    session.execute(insert(model), records)
    if table not in NOT_AUDITED:
        session.execute(insert(AuditEntry), audits)


def record_event(session: Session, obj: Tracked, action: str, detail: dict | None = None) -> None:
    """An audit entry for something other than a column change (e.g. ``reopen``)."""
    _audit(session, obj, action, session.info.get("actor", ""), utcnow(), detail or {})
