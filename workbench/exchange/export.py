"""``export``: the evaluator's hand-over — one signed package of the assigned agencies' work.

Carries, for every agency assigned to this database in the round: its
records (by natural key), the tombstones of deleted records, the audit trail
of those records and the evidence files they name.  Exporting again with
nothing changed writes the same bytes (same sequence number, same manifest),
which the master recognises as already merged.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import __version__
from workbench.exchange import blobs, keys, records
from workbench.exchange.package import Cancel, content_hash, write_package
from workbench.exchange.tables import Assignment, AssignmentAgency
from workbench.model.errors import UserError
from workbench.model.schema import AuditEntry, Round, Tombstone, utcnow
from workbench.model.store import get_meta, head_revision, set_meta


@dataclass
class ExportResult:
    path: Path
    evaluator: str
    device: str
    sequence: int
    round_year: int
    agencies: list[str]
    records: int
    tombstones: int
    evidence_files: int
    unchanged: bool  # nothing changed since the last export: the same package again
    key_fingerprint: str


def export(
    session: Session,
    out: str | Path,
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the package of this (evaluator's) database to ``out`` (committed by the caller)."""
    assignments = session.scalars(
        select(Assignment).where(Assignment.received_at.is_not(None)).order_by(Assignment.received_at)
    ).all()
    if not assignments:
        raise UserError("در این پایگاه داده هیچ واگذاری‌ای دریافت نشده است؛ بسته فقط از کار واگذارشده ساخته می‌شود")
    rounds = {r.uuid: r for r in session.scalars(select(Round).where(Round.uuid.in_({a.round_uuid for a in assignments})))}
    if year is None:
        rnd = max(rounds.values(), key=lambda r: r.year)
    else:
        rnd = next((r for r in rounds.values() if r.year == year), None)
        if rnd is None:
            raise UserError(f"برای دورهٔ {year} واگذاری‌ای در این پایگاه داده نیست")
    agency_assignment: dict[str, str] = {}
    for a in assignments:  # the latest assignment of an agency answers for it
        if a.round_uuid == rnd.uuid:
            for code in session.scalars(select(AssignmentAgency.agency_code).where(AssignmentAgency.assignment_uuid == a.uuid)):
                agency_assignment[code] = a.uuid
    codes = sorted(agency_assignment)
    by_agency = records.read_agencies(session, rnd.uuid, rnd.year, codes)
    live = {r.uuid for recs in by_agency.values() for r in recs.values()}
    tables = {s.table for s in records.SPECS}
    tombstones = [
        {"t": t.table_name, "u": t.uuid, "at": t.deleted_at.isoformat(), "by": t.deleted_by}
        for t in session.scalars(select(Tombstone).order_by(Tombstone.uuid))
        if t.table_name in tables and t.uuid not in live
    ]
    carried = live | {t["u"] for t in tombstones}
    audit = [
        {"u": e.uuid, "at": e.at.isoformat(), "actor": e.actor, "action": e.action, "t": e.table_name,
         "r": e.row_uuid, "c": e.changes}
        for e in session.scalars(select(AuditEntry).order_by(AuditEntry.at, AuditEntry.uuid))
        if e.row_uuid in carried
    ]
    hashes = sorted({r.values["blob_sha256"] for recs in by_agency.values() for r in recs.values()
                     if r.table == "evidence" and r.values.get("blob_sha256")})
    sizes = blobs.sizes(session, hashes)
    facts = records.agency_facts(session, codes, rnd.uuid)
    key = keys.signing_key(session)
    evaluator = get_meta(session, "evaluator") or assignments[-1].evaluator
    device = get_meta(session, "device_id")
    state = {}

    def fill(writer) -> dict:
        writer.add_lines("agencies.jsonl", (facts[c] for c in codes))
        writer.add_lines("records.jsonl", (
            {"a": code, "k": k, **rec.to_json()} for code in codes for k, rec in sorted(by_agency[code].items())
        ))
        writer.add_lines("tombstones.jsonl", tombstones)
        writer.add_lines("audit.jsonl", audit)
        for n, sha in enumerate(hashes, start=1):
            if cancelled is not None and cancelled():
                raise Cancel()
            writer.add_blob(sha, sizes[sha], blobs.read_chunks(session, sha))
            if progress is not None:
                progress(n, len(hashes))
        content = content_hash(writer.parts)
        last = json.loads(get_meta(session, f"last_export:{rnd.uuid}") or "{}")
        if last.get("content") == content:
            sequence, exported_at = last["sequence"], last["at"]
        else:
            sequence = int(get_meta(session, "export_sequence") or 0) + 1
            exported_at = utcnow().isoformat()
            set_meta(session, "export_sequence", str(sequence))
            set_meta(session, f"last_export:{rnd.uuid}", json.dumps({"content": content, "sequence": sequence, "at": exported_at}))
        state.update(sequence=sequence, unchanged=last.get("content") == content)
        return {
            "kind": "submission",
            "evaluator": evaluator,
            "device": device,
            "sequence": sequence,
            "exported_at": exported_at,
            "round": {"uuid": rnd.uuid, "year": rnd.year, "framework_sha256": rnd.framework_sha256},
            "assignments": sorted(set(agency_assignment.values())),
            "agencies": agency_assignment,
            "schema_revision": head_revision(),
            "program_version": __version__,
        }

    write_package(out, fill, key)
    return ExportResult(
        path=Path(out), evaluator=evaluator, device=device, sequence=state["sequence"], round_year=rnd.year,
        agencies=codes, records=len(live), tombstones=len(tombstones), evidence_files=len(hashes),
        unchanged=state["unchanged"], key_fingerprint=keys.fingerprint(keys.public_hex(key)),
    )
