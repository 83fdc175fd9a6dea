"""``assign``: the file that hands agencies to an evaluator, with the work already merged for them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import __version__
from workbench.exchange import blobs, keys, records
from workbench.exchange.package import Cancel, write_package
from workbench.exchange.tables import Assignment, AssignmentAgency
from workbench.model.assessments import find_round
from workbench.model.errors import UserError
from workbench.model.round_details import agencies_in_round
from workbench.model.schema import Agency, WeightOverride, new_uuid, utcnow
from workbench.model.store import head_revision
from workbench.model.text import ascii_digits


@dataclass
class AssignResult:
    assignment: str
    evaluator: str
    round_year: int
    path: Path
    agencies: list[str]
    records: int
    evidence_files: int
    key_fingerprint: str


def assign(
    session: Session,
    evaluator: str,
    agency_codes: list[str],
    out: str | Path,
    year: int | None = None,
    issued_by: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AssignResult:
    """Record an assignment in the master and write its file to ``out`` (committed by the caller)."""
    evaluator = evaluator.strip()
    if not evaluator:
        raise UserError("نام ارزیاب داده نشده است (--evaluator)")
    codes = sorted({ascii_digits(c).strip() for c in agency_codes if c.strip()})
    if not codes:
        raise UserError("هیچ دستگاهی برای واگذاری داده نشده است (--agency)")
    rnd = find_round(session, year)
    facts = records.agency_facts(session, codes, rnd.uuid)  # as this round saw them
    missing = [c for c in codes if c not in facts]
    if missing:
        raise UserError("این دستگاه‌ها در پایگاه داده نیستند: " + "، ".join(f"«{c}»" for c in missing))
    by_agency = records.read_agencies(session, rnd.uuid, rnd.year, codes)
    key = keys.signing_key(session)
    assignment = Assignment(
        uuid=new_uuid(), round_uuid=rnd.uuid, evaluator=evaluator, issued_at=utcnow(), issued_by=issued_by,
        supervisor_key=keys.public_hex(key),
    )
    session.add(assignment)
    session.flush()
    for code in codes:
        session.add(AssignmentAgency(assignment_uuid=assignment.uuid, agency_code=code, base=records.pack(by_agency[code])))
    session.flush()
    parents = dict(session.execute(select(Agency.uuid, Agency.code)).all())
    seen = agencies_in_round(session, rnd.uuid, session.scalars(select(Agency).where(Agency.code.in_(codes))))
    parent_of = {a.code: parents.get(a.parent_uuid) for a in seen.values()}
    overrides = session.scalars(select(WeightOverride).where(WeightOverride.round_uuid == rnd.uuid)).all()
    hashes = sorted({r.values["blob_sha256"] for recs in by_agency.values() for r in recs.values()
                     if r.table == "evidence" and r.values.get("blob_sha256")})
    sizes = blobs.sizes(session, hashes)

    def fill(writer) -> dict:
        writer.add_lines("round.jsonl", [{
            "uuid": rnd.uuid, "year": rnd.year, "title": rnd.title, "framework_id": rnd.framework_id,
            "framework_sha256": rnd.framework_sha256, "framework_text": rnd.framework_text,
            "weight_overrides": [{"indicator_key": o.indicator_key, "points": o.points, "reason": o.reason}
                                 for o in sorted(overrides, key=lambda o: o.indicator_key)],
        }])
        writer.add_lines("agencies.jsonl", (dict(facts[c], parent_code=parent_of.get(c)) for c in codes))
        writer.add_lines("records.jsonl", (
            {"a": code, "k": k, **rec.to_json()} for code in codes for k, rec in sorted(by_agency[code].items())
        ))
        for n, sha in enumerate(hashes, start=1):
            if cancelled is not None and cancelled():
                raise Cancel()
            writer.add_blob(sha, sizes[sha], blobs.read_chunks(session, sha))
            if progress is not None:
                progress(n, len(hashes))
        return {
            "kind": "assignment",
            "assignment": assignment.uuid,
            "evaluator": evaluator,
            "issued_by": issued_by,
            "issued_at": assignment.issued_at.isoformat(),
            "round": {"uuid": rnd.uuid, "year": rnd.year, "framework_sha256": rnd.framework_sha256},
            "agencies": codes,
            "schema_revision": head_revision(),
            "program_version": __version__,
        }

    manifest = write_package(out, fill, key)
    assignment.file_sha256 = manifest["content_sha256"]
    return AssignResult(
        assignment=assignment.uuid, evaluator=evaluator, round_year=rnd.year, path=Path(out), agencies=codes,
        records=sum(len(v) for v in by_agency.values()), evidence_files=len(hashes),
        key_fingerprint=keys.fingerprint(keys.public_hex(key)),
    )
