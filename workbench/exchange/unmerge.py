"""``unmerge``: undo one merge batch, field by field, never over a later change.

A field group goes back to what it held before the batch only where it still
holds what the batch wrote; a record the batch added goes only if unchanged
since; a record it deleted comes back only if nothing took its key since.
Anything else is reported and left as it is.  The batch's conflicts (and the
candidates it added to others), provenance and submissions go with it, and
its packages may be merged again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from workbench.exchange import edits
from workbench.exchange.conflicts import agency_busy
from workbench.exchange.labels import GROUPS, TABLES
from workbench.exchange.records import parse_rkey
from workbench.exchange.tables import (
    Conflict,
    ConflictCandidate,
    ExchangePackage,
    MergeBatch,
    MergeChange,
    Provenance,
    Submission,
)
from workbench.model.errors import UserError
from workbench.model.schema import utcnow
from workbench.model.store import backend_of


@dataclass
class UnmergeResult:
    batch: str
    restored: int = 0
    removed: int = 0
    reinserted: int = 0
    conflicts_removed: int = 0
    kept: list[str] = field(default_factory=list)  # changed since the batch: reported, not overwritten
    packages: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"batch": self.batch, "restored": self.restored, "removed": self.removed,
                "reinserted": self.reinserted, "conflicts_removed": self.conflicts_removed,
                "kept": self.kept, "packages": self.packages}


def describe(rkey: str, grp: str = "*") -> str:
    _year, code, table, key = parse_rkey(rkey)
    what = f"{TABLES.get(table, table)} {' / '.join(str(k) for k in key)}".strip()
    return f"دستگاه «{code}»، {what}، {GROUPS.get(grp, grp)}"


def unmerge(session: Session, batch_uuid: str, by: str = "", wait: bool = True) -> UnmergeResult:
    by = by or session.info.get("actor", "")
    batch = session.get(MergeBatch, batch_uuid)
    if batch is None:
        raise UserError(f"دسته‌ای با شناسهٔ «{batch_uuid}» در این پایگاه داده نیست")
    # As a merge does: the batch's agencies locked, then the batch read afresh (another may have undone it).
    backend = backend_of(session)
    agencies = session.execute(
        select(Submission.round_uuid, Submission.agency_code).distinct()
        .join(ExchangePackage, ExchangePackage.uuid == Submission.package_uuid)
        .where(ExchangePackage.batch_uuid == batch_uuid)
    ).all()
    for round_uuid, code in sorted(agencies):
        if wait:
            backend.lock_agency(session, round_uuid, code)
        elif (holder := backend.try_lock_agency(session, round_uuid, code)) is not None:
            raise UserError(agency_busy(holder, code))  # the window's undo: said at once, not a frozen wait
    batch = backend.for_update(session, MergeBatch, batch_uuid)
    if batch.status != "merged":
        raise UserError(f"دستهٔ «{batch_uuid}» پیش‌تر برگردانده شده است")
    result = UnmergeResult(batch=batch_uuid)
    packages = session.scalars(select(ExchangePackage).where(ExchangePackage.batch_uuid == batch_uuid)).all()
    round_of = {p.uuid: p.round_uuid for p in packages}
    extra = {"unmerge": batch_uuid}
    changes = session.scalars(select(MergeChange).where(MergeChange.batch_uuid == batch_uuid)
                              .order_by(MergeChange.id.desc())).all()
    cache: dict = {}
    for ch in changes:
        round_uuid = round_of[ch.package_uuid]
        rec = edits.find(session, round_uuid, ch.rkey, cache)
        before, after = json.loads(ch.before), json.loads(ch.after)
        if ch.action == "update":
            if rec is not None and {f: rec.values.get(f) for f in after} == after:
                edits.set_fields(session, rec, before, by, "unmerge", extra)
                result.restored += 1
            else:
                result.kept.append(describe(ch.rkey, ch.grp))
        elif ch.action == "insert":
            if rec is not None and all(rec.values.get(f) == v for f, v in after.items()):
                edits.remove(session, rec, by, "unmerge", extra)
                edits.forget(cache, round_uuid, ch.rkey)
                result.removed += 1
            else:
                result.kept.append(describe(ch.rkey))
        elif ch.action == "delete":
            if rec is None:
                edits.put(session, round_uuid, ch.rkey, ch.table_name, before["values"], ch.row_uuid, by, "unmerge", extra)
                edits.forget(cache, round_uuid, ch.rkey)
                result.reinserted += 1
            else:
                result.kept.append(describe(ch.rkey))
    _conflicts(session, batch_uuid, result)
    session.execute(delete(Provenance).where(Provenance.batch_uuid == batch_uuid))
    ids = [p.uuid for p in packages]
    session.execute(delete(Submission).where(Submission.package_uuid.in_(ids)))
    session.execute(update(ExchangePackage).where(ExchangePackage.uuid.in_(ids)).values(status="unmerged"))
    batch.status, batch.unmerged_at = "unmerged", utcnow()
    result.packages = [p.file_name for p in packages]
    session.flush()
    return result


def _conflicts(session: Session, batch_uuid: str, result: UnmergeResult) -> None:
    for c in session.scalars(select(Conflict).where(Conflict.batch_uuid == batch_uuid)):
        if c.status != "open":
            result.kept.append(f"{describe(c.rkey, c.grp)}: تعارض {c.id} پس از این دسته حل شده است")
            continue
        session.execute(delete(ConflictCandidate).where(ConflictCandidate.conflict_id == c.id))
        session.delete(c)
        result.conflicts_removed += 1
    session.execute(delete(ConflictCandidate).where(ConflictCandidate.batch_uuid == batch_uuid))
    session.flush()
