"""``merge``: evaluators' packages into the master, as one batch, all or nothing.

Every package is checked byte for byte before any record is read; a refused
package changes nothing and does not stop the others.  Each package is then
matched against what the master knows of it (its round and framework, its
assignment, the key pinned for that assignment, what of that device was
already merged) and merged agency by agency (``threeway``), its writes made
by ``writer.Sink``.  A dry run does all of it and rolls back.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workbench.exchange import blobs, records
from workbench.exchange.package import Cancel, Package, PackageRefused, open_package
from workbench.exchange.tables import Assignment, AssignmentAgency, ExchangePackage, MergeBatch, Submission
from workbench.exchange.threeway import Counts, merge_agency
from workbench.exchange.writer import Sink
from workbench.model.schema import Agency, Assessment, AuditEntry, Round, new_uuid, utcnow
from workbench.model.store import backend_of, head_revision, known_revisions

#: How often a merge that waits for another supervisor asks again (a cancel is heard in between).
LOCK_POLL_SECONDS = 0.25


@dataclass
class PackageOutcome:
    file: str
    evaluator: str = ""
    status: str = ""  # merged | already merged | superseded | refused
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    errors: list[dict] = field(default_factory=list)  # {file, reason}
    warnings: list[str] = field(default_factory=list)
    package: str = ""
    # What the manifest says (once the package is checked): for the window's inbox.
    device: str = ""
    exported_at: str = ""
    answers: list[str] = field(default_factory=list)  # the agency codes the package carries
    #: {agency code: Counts} — the same decisions as the totals above, agency by agency.
    per_agency: dict[str, Counts] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"file": self.file, "evaluator": self.evaluator, "status": self.status, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged, "conflicts": self.conflicts,
                "errors": self.errors, "warnings": self.warnings}


@dataclass
class MergeResult:
    batch: str | None
    dry_run: bool
    packages: list[PackageOutcome]

    @property
    def any_refused(self) -> bool:
        return any(p.status == "refused" for p in self.packages)

    def as_json(self) -> dict:
        return {"batch": self.batch, "dry_run": self.dry_run, "packages": [p.as_json() for p in self.packages]}


class _Skip(Exception):
    def __init__(self, status: str, reason: str = ""):
        super().__init__(reason)
        self.status, self.reason = status, reason


def merge(
    session: Session,
    paths: list[str | Path],
    dry_run: bool = False,
    merged_by: str = "",
    progress: Callable[[str, int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_package: Callable[[str, int, int, PackageOutcome], None] | None = None,
    waiting: Callable[[str, str], None] | None = None,
) -> MergeResult:
    """Merge the packages at ``paths`` into ``session``'s master as one batch.

    Commits nothing itself: the caller's unit of work commits (a dry run is
    rolled back here).  ``progress(file, done, total)`` follows the checks, in
    bytes; ``on_package(phase, n, total, outcome)`` is called once a package is
    checked (phase ``"check"``) and once it is merged (``"merge"``); ``cancelled()`` is asked between parts and packages, and when it
    says yes :class:`~workbench.exchange.package.Cancel` is raised (the caller
    rolls back: nothing is merged).  ``waiting(holder, agency)`` is told when
    another supervisor is writing one of the agencies (their name, ``""`` when
    not known) before this merge waits for them; with ``cancelled`` too, the
    wait can be cancelled.
    """
    merged_by = merged_by or session.info.get("actor", "")
    outcomes: list[PackageOutcome] = []
    opened: list[tuple[PackageOutcome, Package]] = []
    try:
        for n, path in enumerate(paths, start=1):
            if cancelled is not None and cancelled():
                raise Cancel()
            outcome = PackageOutcome(file=str(path))
            outcomes.append(outcome)
            step = (lambda d, t, _p=str(path): progress(_p, d, t)) if progress else None
            try:
                pkg = open_package(path, "submission", step, cancelled)
            except PackageRefused as exc:
                outcome.status = "refused"
                outcome.errors.append({"file": str(path), "reason": exc.reason})
                if on_package is not None:
                    on_package("check", n, len(paths), outcome)
                continue
            m = pkg.manifest
            outcome.evaluator, outcome.device, outcome.exported_at = (
                m.get("evaluator", ""), m.get("device", ""), m.get("exported_at", ""))
            outcome.answers = sorted(m.get("agencies") or {})
            opened.append((outcome, pkg))
            if on_package is not None:
                on_package("check", n, len(paths), outcome)
        batch = new_uuid()
        any_merged = False
        _lock_agencies(session, [pkg for _o, pkg in opened], waiting, cancelled)
        if dry_run:  # the records name evidence files a dry run does not store
            backend_of(session).defer_foreign_keys(session)
        session.add(MergeBatch(uuid=batch, merged_at=utcnow(), merged_by=merged_by, status="merged"))
        session.flush()
        for n, (outcome, pkg) in enumerate(opened, start=1):
            if cancelled is not None and cancelled():
                raise Cancel()
            any_merged = _merge_one(session, pkg, batch, outcome, dry_run) or any_merged
            if on_package is not None:
                on_package("merge", n, len(opened), outcome)
        summary = [o.as_json() for o in outcomes]
        row = session.get(MergeBatch, batch)
        row.summary = json.dumps(summary, ensure_ascii=False)
        if not any_merged:
            session.delete(row)
            batch = None
        session.flush()
    finally:
        for _o, pkg in opened:
            pkg.close()
    if dry_run:
        session.rollback()
    return MergeResult(batch=batch, dry_run=dry_run, packages=outcomes)


def _merge_one(session: Session, pkg: Package, batch: str, outcome: PackageOutcome, dry_run: bool) -> bool:
    """One package in a savepoint of its own: merged (True), or skipped or refused with nothing kept."""
    nested = session.begin_nested()
    try:
        _merge_package(session, pkg, batch, outcome, dry_run)
    except _Skip as skip:
        nested.rollback()
        outcome.per_agency.clear()
        outcome.status = skip.status
        if skip.reason:
            outcome.errors.append({"file": outcome.file, "reason": skip.reason})
        return False
    except PackageRefused as exc:
        nested.rollback()
        outcome.per_agency.clear()
        outcome.status = "refused"
        outcome.errors.append({"file": outcome.file, "reason": exc.reason})
        return False
    nested.commit()
    outcome.status = "merged"
    return True


def _lock_agencies(session: Session, packages: list[Package],
                   waiting: Callable[[str, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> None:
    """One merge at a time per round and agency, until this one commits or rolls back.

    Every lock is taken before anything is read, in one order (round, agency
    code) for every merge, so two merges of overlapping packages run one after
    the other and never wait on each other crosswise.
    """
    backend = backend_of(session)
    wanted = {((pkg.manifest.get("round") or {}).get("uuid", ""), code)
              for pkg in packages for code in (pkg.manifest.get("agencies") or {})}
    for round_uuid, code in sorted(wanted):
        if waiting is None:
            backend.lock_agency(session, round_uuid, code)
            continue
        holder = backend.try_lock_agency(session, round_uuid, code)
        if holder is None:
            continue
        waiting(holder, code)
        if cancelled is None:
            backend.lock_agency(session, round_uuid, code)
            continue
        while holder is not None:  # asked again and again, so that a cancel is heard while waiting
            if cancelled():
                raise Cancel()
            time.sleep(LOCK_POLL_SECONDS)
            holder = backend.try_lock_agency(session, round_uuid, code)


def _merge_package(session: Session, pkg: Package, batch: str, outcome: PackageOutcome, dry_run: bool) -> None:
    m = pkg.manifest
    path = pkg.path
    rnd = _check_round(session, path, m)
    revision = str(m.get("schema_revision", ""))
    if revision not in _revisions():
        raise PackageRefused(path, f"بسته با نسخهٔ تازه‌تری از میز کار ساخته شده است (طرح {revision}); برنامه را به‌روز کنید")
    evaluator, device, sequence = m["evaluator"], m["device"], int(m["sequence"])
    if session.scalar(select(func.count()).select_from(ExchangePackage).where(
            ExchangePackage.uuid == pkg.id, ExchangePackage.status == "merged")):
        raise _Skip("already merged")
    merged_same = session.scalars(select(ExchangePackage).where(
        ExchangePackage.device_id == device, ExchangePackage.round_uuid == rnd.uuid,
        ExchangePackage.status == "merged").order_by(ExchangePackage.sequence.desc())).first()
    if merged_same is not None and merged_same.content_sha256 == m["content_sha256"]:
        raise _Skip("already merged")
    if merged_same is not None and merged_same.sequence >= sequence:
        raise _Skip("superseded")
    allowed = _check_assignments(session, path, m, rnd, outcome)
    codes = sorted(allowed)
    agency_uuid = dict(session.execute(select(Agency.code, Agency.uuid).where(Agency.code.in_(codes))).all())
    assessment_uuid = {code: uuid for uuid, code in session.execute(
        select(Assessment.uuid, Agency.code).join(Agency, Agency.uuid == Assessment.agency_uuid).where(
            Assessment.round_uuid == rnd.uuid, Agency.code.in_(codes)))}
    pkg_recs = _package_records(pkg, allowed, outcome)
    tombstones = {t["u"] for t in pkg.lines("tombstones.jsonl")}
    master = records.read_agencies(session, rnd.uuid, rnd.year, codes)
    bases = _bases(session, device, m["agencies"], codes)
    _check_agency_facts(session, pkg, allowed, outcome, rnd.uuid)
    now = utcnow()
    session.execute(delete(ExchangePackage).where(ExchangePackage.uuid == pkg.id))  # an unmerged one, merged again
    session.add(ExchangePackage(
        uuid=pkg.id, file_name=path.name, content_sha256=m["content_sha256"], evaluator=evaluator, device_id=device,
        sequence=sequence, round_uuid=rnd.uuid, assignments=json.dumps(sorted(m["assignments"])), status="merged",
        batch_uuid=batch, merged_at=now,
    ))
    session.flush()
    _copy_blobs(session, pkg, pkg_recs, dry_run)
    sink = Sink(session, batch=batch, package=pkg.id, evaluator=evaluator, device=device, round_uuid=rnd.uuid,
                agency_uuid=agency_uuid, assessment_uuid=assessment_uuid, now=now)
    sink.load_open_conflicts(codes)
    counts = Counts()
    for code in codes:
        mine = outcome.per_agency[code] = Counts()
        merge_agency(sink, code, pkg_recs.get(code, {}), bases.get(code, {}), master.get(code, {}), tombstones, mine)
        for name in ("added", "updated", "unchanged", "conflicts"):
            setattr(counts, name, getattr(counts, name) + getattr(mine, name))
        says_final = any(r.table == "assessments" and r.values.get("status") == "final" for r in pkg_recs.get(code, {}).values())
        is_final = any(r.table == "assessments" and r.values.get("status") == "final" for r in master.get(code, {}).values())
        if says_final and not is_final:
            outcome.warnings.append(f"ارزیابی «{code}» در بسته نهایی است؛ ادغام آن را نهایی نمی‌کند (در پایگاه اصلی نهایی کنید)")
    sink.write()
    for code in codes:
        session.add(Submission(
            package_uuid=pkg.id, agency_code=code, round_uuid=rnd.uuid, assignment_uuid=m["agencies"][code],
            evaluator=evaluator, device_id=device, sequence=sequence, data=records.pack(pkg_recs.get(code, {})),
        ))
    _copy_audit(session, pkg)
    session.flush()
    _not_applicable_problems(session, rnd, [sink.assessment_uuid[c] for c in codes if c in sink.assessment_uuid], outcome)
    outcome.added, outcome.updated, outcome.unchanged, outcome.conflicts = (
        counts.added, counts.updated, counts.unchanged, counts.conflicts)
    outcome.package = pkg.id


def _not_applicable_problems(session: Session, rnd: Round, assessment_uuids: list[str], outcome: PackageOutcome) -> None:
    """Not-applicable answers the guide's rules refuse, in the merged agencies: listed, never changed."""
    from workbench.model.na_check import na_violations

    for v in na_violations(session, rnd, assessment_uuids):
        outcome.warnings.append(f"عدم شمول خلاف قاعدهٔ راهنما (ادغام شد، تغییری نکرد): {v.describe()}")


def _check_round(session: Session, path: Path, m: dict) -> Round:
    facts = m.get("round") or {}
    rnd = session.get(Round, facts.get("uuid"))
    if rnd is None:
        same_year = session.scalar(select(Round).where(Round.year == facts.get("year")))
        if same_year is None:
            raise PackageRefused(path, f"دورهٔ {facts.get('year')} بسته در این پایگاه داده نیست")
        raise PackageRefused(path, f"بسته از دورهٔ دیگری است (دورهٔ {facts.get('year')} با شناسهٔ دیگر)")
    if rnd.framework_sha256 != facts.get("framework_sha256"):
        raise PackageRefused(path, "چارچوب ارزیابی بسته با چارچوب این دوره یکی نیست (نشانی SHA-256 دیگر)")
    return rnd


def _check_assignments(session: Session, path: Path, m: dict, rnd: Round, outcome: PackageOutcome) -> set[str]:
    """The agencies this package may change; the key pinned (or now pinned) for each assignment."""
    from workbench.exchange.keys import fingerprint

    allowed: set[str] = set()
    for uuid in m["assignments"]:
        a = session.get(Assignment, uuid)
        if a is None or a.round_uuid != rnd.uuid:
            raise PackageRefused(path, f"واگذاری «{uuid}» را این پایگاه داده صادر نکرده است")
        if a.evaluator != m["evaluator"]:
            raise PackageRefused(path, f"واگذاری «{uuid}» به «{a.evaluator}» بوده است، نه «{m['evaluator']}»")
        if a.evaluator_key and a.evaluator_key != m["public_key"]:
            raise PackageRefused(
                path, f"بسته با کلیدی امضا شده که این پایگاه داده برای «{a.evaluator}» در این واگذاری نمی‌شناسد "
                f"(کلید ثبت‌شده {fingerprint(a.evaluator_key)}، کلید بسته {fingerprint(m['public_key'])})",
            )
        if not a.evaluator_key:
            a.evaluator_key, a.pinned_at = m["public_key"], utcnow()
            outcome.warnings.append(f"کلید امضای «{a.evaluator}» برای این واگذاری ثبت شد: {fingerprint(m['public_key'])}")
        allowed.update(session.scalars(select(AssignmentAgency.agency_code).where(AssignmentAgency.assignment_uuid == uuid)))
    wanted = m.get("agencies") or {}
    for code, uuid in sorted(wanted.items()):
        if uuid not in m["assignments"] or code not in allowed:
            outcome.errors.append({"file": outcome.file, "reason": f"دستگاه «{code}» به این ارزیاب واگذار نشده است؛ رکوردهای آن ادغام نشد"})
    return {c for c, u in wanted.items() if c in allowed and u in m["assignments"]}


def _package_records(pkg: Package, allowed: set[str], outcome: PackageOutcome) -> dict[str, records.Records]:
    out: dict[str, records.Records] = {}
    upgrade = pkg.manifest.get("schema_revision") != _head()
    for line in pkg.lines("records.jsonl"):
        if line.get("a") not in allowed:
            continue
        table = line.get("t")
        if table not in records.SPEC_BY_TABLE:
            raise PackageRefused(pkg.path, f"جدول ناشناختهٔ «{table}» در بسته است")
        values = line["v"]
        if upgrade and table == "service_judgements":  # before 0011 an SLA's sections were its fields
            for key, rec in records.legacy_sections(line["k"], records.Rec(table, line["u"], values)):
                out.setdefault(line["a"], {})[key] = rec
        if upgrade:  # an older schema: fields it did not have take their defaults
            values = {**records.defaults(table), **{k: v for k, v in values.items() if k in records.defaults(table)}}
        out.setdefault(line["a"], {})[line["k"]] = records.Rec(table, line["u"], values)
    if upgrade:
        outcome.warnings.append(f"بسته با طرح قدیمی‌تر ({pkg.manifest.get('schema_revision')}) ساخته شده بود و به‌روز شد")
    return out


@lru_cache(maxsize=1)
def _head() -> str:
    return head_revision()


@lru_cache(maxsize=1)
def _revisions() -> frozenset[str]:
    return frozenset(known_revisions())


def _bases(session: Session, device: str, agency_assignment: dict[str, str], codes: list[str]) -> dict[str, records.Records]:
    """What each agency's records were compared against: this device's last merged package, else the assignment."""
    out: dict[str, records.Records] = {}
    for code in codes:
        latest = session.scalars(select(Submission.data).join(
            ExchangePackage, ExchangePackage.uuid == Submission.package_uuid).where(
            Submission.device_id == device, Submission.agency_code == code,
            Submission.assignment_uuid == agency_assignment[code], ExchangePackage.status == "merged",
        ).order_by(Submission.sequence.desc())).first()
        if latest is None:
            latest = session.scalar(select(AssignmentAgency.base).where(
                AssignmentAgency.assignment_uuid == agency_assignment[code], AssignmentAgency.agency_code == code))
        out[code] = records.unpack(latest)
    return out


def _check_agency_facts(session: Session, pkg: Package, allowed: set[str], outcome: PackageOutcome,
                        round_uuid: str) -> None:
    master = records.agency_facts(session, allowed, round_uuid)  # an earlier round's package: as it kept them
    for row in pkg.lines("agencies.jsonl"):
        mine = master.get(row.get("code"))
        if mine is None:
            continue
        differ = [f for f in records.AGENCY_FIELDS if row.get(f) != mine[f]]
        if differ:
            outcome.warnings.append(
                f"مشخصات دستگاه «{row['code']}» در بسته با پایگاه اصلی فرق دارد ({'، '.join(differ)})؛ "
                "مشخصات دستگاه از آنِ سرپرست است و تغییری نکرد")


def _copy_blobs(session: Session, pkg: Package, pkg_recs: dict, dry_run: bool) -> None:
    wanted = {r.values.get("blob_sha256") for recs in pkg_recs.values() for r in recs.values()
              if r.table == "evidence" and r.values.get("blob_sha256")}
    sizes = dict(pkg.blobs())
    missing = sorted(h for h in wanted if h not in sizes)
    have = blobs.known(session, wanted)
    if any(h not in have for h in missing):
        raise PackageRefused(pkg.path, f"فایل مستند {missing[0][:12]}… که رکوردها نام می‌برند در بسته نیست")
    if dry_run:
        return
    for sha in sorted(wanted - have):
        try:
            blobs.write(session, sha, sizes[sha], pkg.blob_chunks(sha))
        except ValueError:
            raise PackageRefused(pkg.path, f"فایل مستند {sha[:12]}… با نشانی خود نمی‌خواند") from None


def _copy_audit(session: Session, pkg: Package) -> None:
    """The evaluator's own audit trail of the carried records, as it was (its authors kept)."""
    import datetime as dt

    from sqlalchemy import insert

    rows = list(pkg.lines("audit.jsonl"))
    if not rows:
        return
    ids = [r["u"] for r in rows]
    have = set()
    for i in range(0, len(ids), 500):
        have.update(session.scalars(select(AuditEntry.uuid).where(AuditEntry.uuid.in_(ids[i : i + 500]))))
    new = [{"uuid": r["u"], "at": dt.datetime.fromisoformat(r["at"]), "actor": r["actor"], "action": r["action"],
            "table_name": r["t"], "row_uuid": r["r"], "changes": r["c"]} for r in rows if r["u"] not in have]
    if new:
        session.execute(insert(AuditEntry.__table__), new)
