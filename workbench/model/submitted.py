"""What an agency submitted for a round, kept whole so that an import can be undone (no Qt).

An import replaces the agency's services and the rows of tables 4 and 5 —
with the evaluator's verdicts on them — and may return a complete
assessment to draft.  :func:`snapshot` keeps all of it (every column, the
rows' uuids, the assessment's status); :func:`restore` puts a snapshot back
in place of what is there now and returns the snapshot of what it replaced,
so undo and redo are the same step (the ``"submission"`` edit of
:mod:`workbench.model.editing`).  Rows come back with their uuids (their
tombstones removed), so a merge sees the same records as before the import;
every change is stamped and audited by the flush like any edit.
"""
from __future__ import annotations

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from workbench.model.schema import Assessment, ReformAction, ReformRow, Service, Tombstone

TABLES = {"services": Service, "reform_rows": ReformRow, "reform_actions": ReformAction}
_STAMPS = {"created_at", "updated_at", "updated_by"}


def _columns(model) -> list[str]:
    return [a.key for a in inspect(model).column_attrs if a.key not in _STAMPS]


def _row(obj, names: list[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


def snapshot(session: Session, round_uuid: str, agency_uuid: str, assessment_uuid: str = "") -> dict:
    """The agency's submitted rows of the round and the assessment's status, as plain values."""
    tables = {}
    for name, model in TABLES.items():
        names = _columns(model)
        rows = session.scalars(select(model).where(model.round_uuid == round_uuid, model.agency_uuid == agency_uuid))
        tables[name] = sorted((_row(obj, names) for obj in rows), key=lambda r: r["uuid"])
    assessment = session.get(Assessment, assessment_uuid) if assessment_uuid else None
    return {
        "round_uuid": round_uuid,
        "agency_uuid": agency_uuid,
        "assessment_uuid": assessment_uuid,
        "status": assessment.status if assessment is not None else "",
        "tables": tables,
    }


def restore(session: Session, snap: dict) -> dict:
    """Make the agency's rows and the assessment's status those of ``snap``; the snapshot replaced."""
    before = snapshot(session, snap["round_uuid"], snap["agency_uuid"], snap["assessment_uuid"])
    for name, model in reversed(list(TABLES.items())):  # tables 5 and 4 before the services they name
        wanted = {row["uuid"]: row for row in snap["tables"][name]}
        current = {obj.uuid: obj for obj in session.scalars(
            select(model).where(model.round_uuid == snap["round_uuid"], model.agency_uuid == snap["agency_uuid"]))}
        for uuid, obj in current.items():
            if uuid not in wanted:
                session.delete(obj)
        session.flush()  # the unique keys are free before rows come back
        for uuid, row in wanted.items():
            obj = current.get(uuid)
            if obj is None:
                session.execute(delete(Tombstone).where(Tombstone.uuid == uuid))  # it lives again
                session.add(model(**row))
            else:
                for field, value in row.items():
                    if getattr(obj, field) != value:
                        setattr(obj, field, value)
        session.flush()
    assessment = session.get(Assessment, snap["assessment_uuid"]) if snap["assessment_uuid"] else None
    if assessment is not None and snap["status"] and assessment.status != snap["status"]:
        assessment.status = snap["status"]
        session.flush()
    return before


def counts(snap: dict) -> dict[str, int]:
    return {name: len(rows) for name, rows in snap["tables"].items()}
