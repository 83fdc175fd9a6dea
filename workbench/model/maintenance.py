"""Evidence files nobody names any more, and removing them.  No Qt.

An evidence file is kept once, as a blob addressed by its SHA-256, and named
by evidence rows.  A blob stays while anything may still need it: an evidence
row, an entry of the audit trail (the insert of an evidence row records its
digest, so an undone or deleted file stays restorable and the trail stays
true), or an undo step of the window that asks (``keep``).  Only blobs none of
these name are orphans: left by a crash between storing a file and its row in
a version that did the two in separate transactions.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workbench.model.schema import AuditEntry, Blob, Evidence

_DIGEST = "blob_sha256"


def named_blobs(session: Session) -> set[str]:
    """Every digest an evidence row or the audit trail names."""
    named = set(session.scalars(select(Evidence.blob_sha256).where(Evidence.blob_sha256.is_not(None))).all())
    entries = session.scalars(
        select(AuditEntry.changes).where(AuditEntry.table_name == "evidence", AuditEntry.changes.contains(_DIGEST))
    )
    for changes in entries:
        try:
            values = json.loads(changes).get(_DIGEST) or []
        except (ValueError, AttributeError):
            continue
        named.update(v for v in values if isinstance(v, str))
    return named


def orphan_blobs(session: Session, keep: Iterable[str] = ()) -> list[str]:
    """Digests of the blobs nothing names (see the module's docstring), ``keep`` aside."""
    named = named_blobs(session) | set(keep)
    return [d for d in session.scalars(select(Blob.sha256)).all() if d not in named]


def unnamed_by_rows(session: Session) -> bool:
    """Whether any blob lacks an evidence row naming it: one indexed query, the cheap first look."""
    unnamed = select(Blob.sha256).where(~select(Evidence.uuid).where(Evidence.blob_sha256 == Blob.sha256).exists())
    return session.scalar(unnamed.limit(1)) is not None


def collect_orphans(session: Session, keep: Iterable[str] = ()) -> tuple[int, int]:
    """Delete the orphan blobs in ``session`` (the caller commits); how many, and their bytes."""
    orphans = orphan_blobs(session, keep)
    if not orphans:
        return 0, 0
    size = 0
    for start in range(0, len(orphans), 500):
        chunk = orphans[start:start + 500]
        size += session.scalar(select(func.coalesce(func.sum(Blob.size), 0)).where(Blob.sha256.in_(chunk))) or 0
        session.execute(delete(Blob).where(Blob.sha256.in_(chunk)))
    return len(orphans), int(size)
