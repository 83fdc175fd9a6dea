"""``receive``: an assignment file into the evaluator's database.

Creates the round (same UUID, same framework text) and the agencies when
missing, and adds every record of the assigned agencies the database does not
have yet, with the UUIDs the master gave them.  Records the evaluator already
has are kept as they are: receiving never overwrites the evaluator's work.
Receiving the same assignment twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from workbench.exchange import blobs, keys, records
from workbench.exchange.package import PackageRefused, open_package
from workbench.exchange.tables import Assignment, AssignmentAgency
from workbench.model.audit import record_event
from workbench.model.round_details import freeze_earlier_rounds, keep_details
from workbench.model.schema import (
    Agency,
    Assessment,
    ReformAction,
    ReformRow,
    Round,
    Service,
    WeightOverride,
    new_uuid,
    utcnow,
)
from workbench.model.store import get_meta, set_meta


@dataclass
class ReceiveResult:
    assignment: str
    evaluator: str
    round_year: int
    agencies: list[str]
    added: int = 0
    kept: int = 0
    evidence_files: int = 0
    already_received: bool = False
    warnings: list[str] = field(default_factory=list)


def receive(session: Session, path: str | Path, progress=None, cancelled=None) -> ReceiveResult:
    """Check the assignment file at ``path`` and bring it into ``session``'s database."""
    with open_package(path, "assignment", progress, cancelled) as pkg:
        m = pkg.manifest
        result = ReceiveResult(m["assignment"], m["evaluator"], m["round"]["year"], list(m["agencies"]))
        if session.get(Assignment, m["assignment"]) is not None:
            result.already_received = True
            return result
        pin_key = f"supervisor_key:{m['round']['uuid']}"
        pinned = get_meta(session, pin_key)
        if pinned and pinned != m["public_key"]:
            raise PackageRefused(path, "این واگذاری را سرپرست دیگری (با کلید دیگری) امضا کرده است، نه سرپرست این دوره")
        rnd = _round(session, path, next(pkg.lines("round.jsonl")))
        owner = get_meta(session, "evaluator")
        if owner and owner != m["evaluator"]:
            result.warnings.append(f"این پایگاه داده از آنِ «{owner}» است و واگذاری به نام «{m['evaluator']}»")
        agency_uuid = _agencies(session, pkg, rnd)
        present = blobs.known(session, [sha for sha, _ in pkg.blobs()])
        for sha, size in pkg.blobs():
            if sha not in present:
                blobs.write(session, sha, size, pkg.blob_chunks(sha))
                result.evidence_files += 1
        _records(session, pkg, rnd, agency_uuid, result)
        session.add(Assignment(
            uuid=m["assignment"], round_uuid=rnd.uuid, evaluator=m["evaluator"], issued_by=m.get("issued_by", ""),
            supervisor_key=m["public_key"], received_at=utcnow(), file_sha256=m["content_sha256"],
        ))
        session.flush()
        for code in m["agencies"]:
            session.add(AssignmentAgency(assignment_uuid=m["assignment"], agency_code=code))
        set_meta(session, pin_key, m["public_key"])
        if not owner:
            set_meta(session, "evaluator", m["evaluator"])
        keys.signing_key(session)  # the device's key pair, made now if it is the first assignment
        session.flush()
        record_event(session, rnd, "receive", {"assignment": m["assignment"], "agencies": m["agencies"]})
    return result


def _round(session: Session, path, facts: dict) -> Round:
    rnd = session.scalar(select(Round).where(Round.year == facts["year"]))
    differs = rnd is not None and (rnd.uuid != facts["uuid"] or rnd.framework_sha256 != facts["framework_sha256"])
    if differs and rnd.framework_sha256 == facts["framework_sha256"] and _untouched(session, rnd):
        # The round the workbench made by itself on first start (the window opens every new
        # database on the default round): the same framework, nothing in it, so the supervisor's
        # round takes its place.  Another framework is still refused.
        session.delete(rnd)
        session.flush()
        rnd, differs = None, False
    if differs:
        raise PackageRefused(
            path, f"دورهٔ {facts['year']} این پایگاه داده با دورهٔ این واگذاری یکی نیست (چارچوب یا شناسهٔ دیگری دارد)"
        )
    if rnd is None:
        rnd = Round(uuid=facts["uuid"], year=facts["year"], title=facts["title"], framework_id=facts["framework_id"],
                    framework_text=facts["framework_text"], framework_sha256=facts["framework_sha256"])
        session.add(rnd)
        session.flush()
    # Weights are the supervisor's: the assignment's replace whatever this file had.
    session.execute(delete(WeightOverride).where(WeightOverride.round_uuid == rnd.uuid))
    for o in facts["weight_overrides"]:
        session.add(WeightOverride(round_uuid=rnd.uuid, **o))
    session.flush()
    return rnd


def _untouched(session: Session, rnd: Round) -> bool:
    """Nothing at all recorded in ``rnd``: no assessment, service, table 4 or 5 row or weight override."""
    return all(
        session.scalar(select(func.count()).select_from(model).where(model.round_uuid == rnd.uuid)) == 0
        for model in (Assessment, Service, ReformRow, ReformAction, WeightOverride)
    )


def _agencies(session: Session, pkg, rnd: Round) -> dict[str, str]:
    """The supervisor's facts of the agencies: the live rows when ``rnd`` is this database's latest round
    (the earlier rounds keep theirs first), else only what ``rnd`` keeps (``model.round_details``)."""
    rows = list(pkg.lines("agencies.jsonl"))
    an_earlier_round = session.scalar(select(func.count()).select_from(Round).where(Round.year > rnd.year)) > 0
    if not an_earlier_round:
        freeze_earlier_rounds(session)
    existing = {a.code: a for a in session.scalars(select(Agency).where(Agency.code.in_([r["code"] for r in rows])))}
    new = set()
    for row in rows:
        facts = {f: row[f] for f in records.AGENCY_FIELDS}
        agency = existing.get(row["code"])
        if agency is None:
            agency = Agency(**facts)
            session.add(agency)
            existing[row["code"]] = agency
            new.add(row["code"])
        elif not an_earlier_round:
            for f, v in facts.items():
                setattr(agency, f, v)
    session.flush()
    codes = {a.code: a.uuid for a in session.scalars(select(Agency))}
    for row in rows:
        if row.get("parent_code") in codes and (not an_earlier_round or row["code"] in new):
            existing[row["code"]].parent_uuid = codes[row["parent_code"]]
    session.flush()
    if an_earlier_round:
        keep_details(session, rnd, {existing[row["code"]].uuid: {
            **{f: row[f] for f in records.AGENCY_FIELDS}, "parent_uuid": codes.get(row.get("parent_code")),
        } for row in rows})
    return codes


def _records(session: Session, pkg, rnd: Round, agency_uuid: dict[str, str], result: ReceiveResult) -> None:
    codes = pkg.manifest["agencies"]
    have = records.read_agencies(session, rnd.uuid, rnd.year, codes)
    taken = set()
    for spec in records.SPECS:
        taken.update(session.scalars(select(spec.model.uuid)))
    assessment_of = dict(session.execute(
        select(Assessment.agency_uuid, Assessment.uuid).where(Assessment.round_uuid == rnd.uuid)).all())
    rows_by_table: dict[str, list[dict]] = {s.table: [] for s in records.SPECS}
    now = utcnow()
    pending = list(pkg.lines("records.jsonl"))
    for spec in records.SPECS:
        for line in pending:
            if line["t"] != spec.table:
                continue
            code = line["a"]
            if line["k"] in have.get(code, {}):
                result.kept += 1
                continue
            uuid = line["u"] if line["u"] not in taken else new_uuid()
            taken.add(uuid)
            row = {f: records.to_column(spec.table, f, v) for f, v in line["v"].items()}
            row.update(uuid=uuid, created_at=now, updated_at=now, updated_by=pkg.manifest.get("issued_by", ""))
            if spec.parent == "agency":
                row.update(round_uuid=rnd.uuid, agency_uuid=agency_uuid[code])
                if spec.table == "assessments":
                    assessment_of[agency_uuid[code]] = uuid
            else:
                row["assessment_uuid"] = assessment_of[agency_uuid[code]]
            rows_by_table[spec.table].append(row)
            result.added += 1
        if rows_by_table[spec.table]:
            session.execute(insert(spec.model), rows_by_table[spec.table])
