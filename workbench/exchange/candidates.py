"""What stands behind each side of a conflict (no Qt): the side's note and evidence, who and when.

A candidate from a package is read from the package's own copy of the agency
(the ``submissions`` row the merge kept): the record's note, the evidence of
the measure, and the last change to the record in the evaluator's audit trail
(copied with the package: that evaluator's entries older than the package's
merge) — who made it and when; else the time the package was merged.  The master's own candidate is read from the master's records.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.exchange import records
from workbench.exchange.conflicts import ConflictView
from workbench.exchange.tables import ExchangePackage, Submission
from workbench.model.schema import AuditEntry, Round


@dataclass
class CandidateFacts:
    candidate_id: int
    who: str  # the audit trail's author of the record's last change ("" when unknown)
    when: dt.datetime | None  # that change's time, else when the package was merged
    package: str  # the package's file name ("" for the master)
    merged_at: dt.datetime | None
    note: str
    #: The measure's evidence on that side: the evidence records' values (kind, text, number, filename,
    #: mime, blob_sha256, measure_key).
    evidence: list[dict] = field(default_factory=list)


def candidate_facts(session: Session, view: ConflictView, measure_key: str | None) -> list[CandidateFacts]:
    """One :class:`CandidateFacts` per candidate of ``view``, in its order."""
    rnd = session.scalar(select(Round).where(Round.year == view.round_year))
    key = records.rkey(view.round_year, view.agency_code, view.table, tuple(view.key))
    master: records.Records | None = None
    out = []
    for c in view.candidates:
        merged_at = None
        if c.package_uuid:
            data = session.scalar(select(Submission.data).where(
                Submission.package_uuid == c.package_uuid, Submission.agency_code == view.agency_code))
            side = records.unpack(data)
            merged_at = session.scalar(select(ExchangePackage.merged_at).where(ExchangePackage.uuid == c.package_uuid))
        else:
            if master is None:
                master = records.read_agencies(session, rnd.uuid, rnd.year, [view.agency_code])[view.agency_code]
            side = master
        rec = side.get(key)
        who, when = ("", None)
        if rec is not None:
            who, when = _last_change(session, rec.uuid, merged_at, c.evaluator if c.package_uuid else None)
        evidence = [r.values for r in side.values()
                    if measure_key and r.table == "evidence" and r.values.get("measure_key") == measure_key]
        out.append(CandidateFacts(
            candidate_id=c.id, who=who, when=when or merged_at, package=c.package, merged_at=merged_at,
            note=(rec.values.get("note") or "") if rec is not None else "", evidence=evidence))
    return out


def _last_change(session: Session, row_uuid: str, before: dt.datetime | None,
                 actor: str | None) -> tuple[str, dt.datetime | None]:
    """The latest audit entry of the record; for a package's side, the evaluator's own, made before that
    package was merged.  A record handed out with the assignment has the same uuid on every laptop, so
    the audit trails the packages carried share it; and the merge audits its own writes to the master's
    row with the package's evaluator at the merge's time.  Audit entries do not say which package
    carried them: an evaluator whose window's name differs from the assignment's gets the merge's time
    and no author."""
    query = select(AuditEntry.actor, AuditEntry.at).where(AuditEntry.row_uuid == row_uuid)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    row = session.execute(query.order_by(AuditEntry.at.desc()).limit(1)).first()
    return (row[0], row[1]) if row is not None else ("", None)
