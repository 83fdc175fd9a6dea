"""Where a measure's values came from, as the supervisor reads it (no Qt).

Every field group a merge set, or a supervisor's resolution settled, has a
``provenance`` row: the package (evaluator, computer), the merge batch (when,
by whom).  For one measure of one agency this lists those rows for its items'
answers and its evidence, oldest first, with what the value was.  A batch
that was undone took its rows with it (``unmerge``), so what is listed is
what stands.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workbench.exchange import records
from workbench.exchange.labels import GROUPS, TABLES
from workbench.exchange.tables import Conflict, ExchangePackage, MergeBatch, Provenance


@dataclass
class Source:
    record: str  # «پاسخ ۱٫۱٫۱», «مستند …»
    group: str  # the field group, in words
    value: object  # the group's fields as set
    evaluator: str
    package: str  # the package's file name ("" when a resolution typed its own value)
    device: str
    batch: str  # the merge batch's uuid ("" for a resolution)
    merged_at: dt.datetime | None
    merged_by: str
    resolved_by: str = ""  # set when a supervisor's resolution settled the value
    resolved_at: dt.datetime | None = None
    reason: str = ""
    #: An open conflict on this part: the field holds the base, not this value, until it is settled.
    in_conflict: bool = False


def measure_sources(session: Session, round_year: int, agency_code: str, item_keys: list[str],
                    measure_key: str) -> list[Source]:
    """The provenance of the measure's answers and evidence for one agency, oldest first."""
    answers = [records.rkey(round_year, agency_code, "answers", (k,)) for k in item_keys]
    evidence = records.rkey(round_year, agency_code, "evidence", (measure_key,))[:-1] + ","
    return _sources(session, or_(Provenance.rkey.in_(answers), Provenance.rkey.startswith(evidence)))


def agency_sources(session: Session, round_year: int, agency_code: str) -> list[Source]:
    """The provenance of every record of one agency in the round, oldest first."""
    prefix = records.rkey(round_year, agency_code, "x", ())[: -len('"x"]')]
    return _sources(session, Provenance.rkey.startswith(prefix))


def _sources(session: Session, condition) -> list[Source]:
    rows = session.execute(
        select(Provenance, ExchangePackage.file_name, ExchangePackage.evaluator, MergeBatch.merged_at,
               MergeBatch.merged_by)
        .outerjoin(ExchangePackage, ExchangePackage.uuid == Provenance.package_uuid)
        .outerjoin(MergeBatch, MergeBatch.uuid == Provenance.batch_uuid)
        .where(condition)
        .order_by(Provenance.id)).all()
    conflicts = session.scalars(select(Conflict).where(Conflict.rkey.in_({p.rkey for p, *_ in rows}))).all() if rows else []
    settled = {(c.rkey, c.grp): c for c in conflicts if c.status == "resolved"}
    still_open = {(c.rkey, c.grp) for c in conflicts if c.status == "open"}
    out = []
    for p, file_name, package_evaluator, merged_at, merged_by in rows:
        _year, _code, table, key = records.parse_rkey(p.rkey)
        conflict = settled.get((p.rkey, p.grp)) if p.resolved_by else None
        out.append(Source(
            record=f"{TABLES.get(table, table)} {' / '.join(str(k) for k in key)}".strip(),
            group=GROUPS.get(p.grp, p.grp), value=json.loads(p.value),
            evaluator=p.evaluator or package_evaluator or "",
            package=file_name or "", device=p.device_id, batch=p.batch_uuid, merged_at=merged_at,
            merged_by=merged_by or "", resolved_by=p.resolved_by,
            resolved_at=conflict.resolved_at if conflict is not None else None,
            reason=conflict.reason if conflict is not None else "",
            in_conflict=(p.rkey, p.grp) in still_open and not p.resolved_by))
    return out
