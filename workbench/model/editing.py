"""Edits an evaluator makes to an assessment, each returning its own inverse.

The window wraps these in a ``QUndoStack``; the model knows nothing of Qt.
Every edit is refused on a finalized assessment.  Each function changes the
session only; the caller commits (the window commits after every edit, so
nothing typed before the current field is ever lost).

Rows of tables 4 and 5 and evidence can vanish under a long-lived session:
the import dialog replaces an agency's tables in a session of its own.  Such
rows are read afresh from the database (``populate_existing``), never taken
from what the session remembers, and a row that goes between that read and
the write is reported the same way: a :class:`UserError`, not SQLAlchemy's
``StaleDataError`` / ``ObjectDeletedError``.
"""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from workbench.model import evidence_files
from workbench.model.errors import UserError
from workbench.model.problems import os_problem
from workbench.model.schema import (
    Answer,
    Assessment,
    Evidence,
    NaAgreement,
    ReformAction,
    ReformRow,
    ServiceJudgement,
    ServiceSection,
    Tombstone,
)
from workbench.model.terms import SECTIONED_STAGES

#: Largest evidence file accepted (bytes); the database holds every file.
MAX_EVIDENCE_BYTES = 200 * 1024 * 1024

ANSWER_FIELDS = ("value", "achieved", "planned", "not_applicable", "na_reason", "note", "marks", "entry_notes")
JUDGEMENT_FIELDS = (
    "request_portal",
    "request_online",
    "request_receipt",
    "request_tracking",
    "delivery",
    "counter",
    "gsb",
    "survey",
    "no_id_copy",
    "url",
    "note",
)
REFORM_FIELDS = ("accepted", "evaluator_note")
AGREEMENT_FIELDS = ("letter_no", "letter_date", "service_ids", "note")
ASSESSMENT_FIELDS = ("evaluator", "visit_date")
ROW_GONE = "این ردیف جدول دیگر در پایگاه داده نیست (پیدا نشد)؛ شاید با ورود دوبارهٔ کارپوشهٔ دستگاه حذف شده باشد."
EVIDENCE_GONE = "این مستند دیگر در پایگاه داده نیست (پیدا نشد)؛ شاید جای دیگری حذف شده باشد."


class FinalizedError(UserError):
    def __init__(self) -> None:
        super().__init__("این ارزیابی نهایی شده است و تغییر نمی‌پذیرد؛ برای ویرایش ابتدا آن را بازگشایی کنید.")


@dataclass
class Edit:
    """A change that can be applied and undone: ``fields`` are the new values."""

    kind: str  # answer | judgement | agreement | reform_row | reform_action | assessment | evidence_add | ...
    assessment_uuid: str
    target: str  # answer key, service ID, indicator key (agreement), row uuid, evidence uuid
    fields: dict = field(default_factory=dict)

    def apply(self, session: Session) -> "Edit":
        """Apply the edit and return the edit that undoes it."""
        inverse = self._apply(session, None)
        _flush(session, self.kind)
        return inverse

    def _apply(self, session: Session, rows: dict | None) -> "Edit":
        try:
            return _APPLY[self.kind](session, self, rows)
        except (StaleDataError, ObjectDeletedError) as exc:
            raise UserError(EVIDENCE_GONE if self.kind.startswith("evidence") else ROW_GONE) from exc


def apply_edits(session: Session, edits: list[Edit]) -> list[Edit]:
    """Apply ``edits`` as one write and return their inverses, last first (the order to undo them).

    The rows the edits change are read in one query per kind and written in one flush, so
    judging 600 services is a handful of statements, not a select and a flush per service.
    """
    rows = _prefetch(session, edits)
    inverses = []
    with session.no_autoflush:
        for edit in edits:
            inverses.append(edit._apply(session, rows))
            if edit.kind not in _KEYED:  # evidence and table rows: written one by one, as apply() does
                _flush(session, edit.kind)
    _flush(session, edits[-1].kind if edits else "")
    return inverses[::-1]


def _flush(session: Session, kind: str) -> None:
    try:
        session.flush()
    except (StaleDataError, ObjectDeletedError) as exc:
        # Deleted elsewhere after it was read here (the caller rolls back).
        raise UserError(EVIDENCE_GONE if kind.startswith("evidence") else ROW_GONE) from exc


#: Rows an edit of each kind looks up by (assessment, target): read together by apply_edits.
_KEYED = {
    "answer": (Answer, Answer.key),
    "judgement": (ServiceJudgement, ServiceJudgement.service_id),
    "agreement": (NaAgreement, NaAgreement.indicator_key),
}


def _prefetch(session: Session, edits: list[Edit]) -> dict:
    wanted: dict[tuple[str, str], set[str]] = {}
    for edit in edits:
        if edit.kind in _KEYED:
            wanted.setdefault((edit.kind, edit.assessment_uuid), set()).add(edit.target)
    rows: dict = {}
    for (kind, assessment_uuid), targets in wanted.items():
        model, key = _KEYED[kind]
        ordered = sorted(targets)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            for row in session.scalars(
                select(model).where(model.assessment_uuid == assessment_uuid, key.in_(chunk))
            ):
                rows[(kind, assessment_uuid, getattr(row, key.key))] = row
        for target in ordered:
            rows.setdefault((kind, assessment_uuid, target), None)
        if kind == "judgement":
            _prefetch_sections(session, assessment_uuid, ordered, rows)
    return rows


def _prefetch_sections(session: Session, assessment_uuid: str, service_ids: list[str], rows: dict) -> None:
    for sid in service_ids:
        rows[("section", assessment_uuid, sid)] = {}
    for start in range(0, len(service_ids), 500):
        chunk = service_ids[start : start + 500]
        for row in session.scalars(select(ServiceSection).where(
                ServiceSection.assessment_uuid == assessment_uuid, ServiceSection.service_id.in_(chunk))):
            rows[("section", assessment_uuid, row.service_id)][row.section] = row


def section_of(name: str) -> str | None:
    """The section a judgement field names (``sla_intro`` → ``intro``), or None for a column of the judgement."""
    from workbench.model.checklists import SECTION_KEY

    for stage in SECTIONED_STAGES:
        if name.startswith(stage + "_") and SECTION_KEY.fullmatch(name[len(stage) + 1:]):
            return name[len(stage) + 1:]
    return None


def _editable(session: Session, assessment_uuid: str) -> Assessment:
    assessment = session.get(Assessment, assessment_uuid)
    if assessment is None:
        raise UserError("ارزیابی پیدا نشد")
    if assessment.status == "final":
        raise FinalizedError()
    return assessment


def _set_fields(obj, allowed: tuple[str, ...], fields: dict) -> dict:
    before = {}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"field {name!r} cannot be edited here")
        before[name] = getattr(obj, name)
        setattr(obj, name, value)
    return before


def _keyed_row(session: Session, edit: Edit, rows: dict | None):
    """The answer or judgement ``edit`` changes (from ``rows`` when apply_edits read it), or None."""
    key = (edit.kind, edit.assessment_uuid, edit.target)
    if rows is not None and key in rows:
        return rows[key]
    model, column = _KEYED[edit.kind]
    return session.scalar(select(model).where(model.assessment_uuid == edit.assessment_uuid, column == edit.target))


def _apply_answer(session: Session, edit: Edit, rows: dict | None = None) -> Edit:
    _editable(session, edit.assessment_uuid)
    row = _keyed_row(session, edit, rows)
    if row is None:
        row = Answer(assessment_uuid=edit.assessment_uuid, key=edit.target, not_applicable=False, na_reason="", note="")
        session.add(row)
        if rows is not None:
            rows[(edit.kind, edit.assessment_uuid, edit.target)] = row
    if edit.fields.get("not_applicable"):  # the guide's rules (na_rules), from the framework file
        from workbench.model.na_check import refusal_for

        why = refusal_for(session, edit.assessment_uuid, edit.target)
        if why:
            raise UserError(why)
    before = _set_fields(row, ANSWER_FIELDS, edit.fields)
    return Edit("answer", edit.assessment_uuid, edit.target, before)


def _apply_agreement(session: Session, edit: Edit, rows: dict | None = None) -> Edit:
    """Record (or change) the agreement with the Organization for one indicator; refused if a
    not-applicable of that indicator would then break its rule."""
    _editable(session, edit.assessment_uuid)
    fields = dict(edit.fields)
    if "service_ids" in fields:
        fields["service_ids"] = _agreement_services(session, edit.assessment_uuid, fields["service_ids"])
    row = _keyed_row(session, edit, rows)
    if row is None:
        row = NaAgreement(
            assessment_uuid=edit.assessment_uuid, indicator_key=edit.target, letter_no="", service_ids="", note=""
        )
        session.add(row)
        if rows is not None:
            rows[(edit.kind, edit.assessment_uuid, edit.target)] = row
    before = _set_fields(row, AGREEMENT_FIELDS, fields)
    session.flush()
    from workbench.model.na_check import refusal_for

    prefix = edit.target + "."
    for answer in session.scalars(
        select(Answer).where(Answer.assessment_uuid == edit.assessment_uuid, Answer.not_applicable.is_(True))
    ):
        if answer.key == edit.target or answer.key.startswith(prefix):
            why = refusal_for(session, edit.assessment_uuid, answer.key)
            if why:
                raise UserError(f"ابتدا عدم مصداق {answer.key} را بردارید: {why}")
    return Edit("agreement", edit.assessment_uuid, edit.target, before)


def _agreement_services(session: Session, assessment_uuid: str, value) -> str:
    """The agreement's service IDs, normalised; IDs not in the agency's service list are refused."""
    from workbench.model.schema import Service
    from workbench.model.text import ascii_digits

    ids = sorted(set(ascii_digits(str(value or "")).replace("،", " ").replace(",", " ").split()))
    assessment = session.get(Assessment, assessment_uuid)
    known = set(
        session.scalars(
            select(Service.service_id).where(
                Service.round_uuid == assessment.round_uuid, Service.agency_uuid == assessment.agency_uuid
            )
        )
    )
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UserError(f"این شناسه‌ها در فهرست خدمات دستگاه نیستند: {'، '.join(unknown[:10])}")
    return " ".join(ids)


def _apply_judgement(session: Session, edit: Edit, rows: dict | None = None) -> Edit:
    _editable(session, edit.assessment_uuid)
    sections = {n: v for n, v in edit.fields.items() if n not in JUDGEMENT_FIELDS and section_of(n)}
    before = _set_sections(session, edit, sections, rows) if sections else {}
    columns = {n: v for n, v in edit.fields.items() if n not in sections}
    if not columns:
        return Edit("judgement", edit.assessment_uuid, edit.target, before)
    row = _keyed_row(session, edit, rows)
    if row is None:
        # Text columns set explicitly: the inverse records these values, and
        # None (an unflushed default) would violate NOT NULL on undo.
        row = ServiceJudgement(assessment_uuid=edit.assessment_uuid, service_id=edit.target, url="", note="")
        session.add(row)
        if rows is not None:
            rows[(edit.kind, edit.assessment_uuid, edit.target)] = row
    before.update(_set_fields(row, JUDGEMENT_FIELDS, columns))
    return Edit("judgement", edit.assessment_uuid, edit.target, before)


def _set_sections(session: Session, edit: Edit, fields: dict, rows: dict | None) -> dict:
    """A service's sections (4.7: appendix C's, ``sla_KEY``): one row each, made when first judged."""
    key = ("section", edit.assessment_uuid, edit.target)
    stored = rows.get(key) if rows is not None else None
    if stored is None:
        stored = {r.section: r for r in session.scalars(select(ServiceSection).where(
            ServiceSection.assessment_uuid == edit.assessment_uuid, ServiceSection.service_id == edit.target))}
        if rows is not None:
            rows[key] = stored
    before = {}
    for name, value in fields.items():
        section = section_of(name)
        row = stored.get(section)
        before[name] = None if row is None else row.met
        if row is None:
            row = stored[section] = ServiceSection(assessment_uuid=edit.assessment_uuid, service_id=edit.target,
                                                   section=section)
            session.add(row)
        row.met = None if value is None else bool(value)
    return before


def _apply_reform(model):
    def apply(session: Session, edit: Edit, _rows: dict | None = None) -> Edit:
        _editable(session, edit.assessment_uuid)
        # Read afresh: the session may still hold a row another session has deleted.
        row = session.get(model, edit.target, populate_existing=True)
        if row is None:
            raise UserError(ROW_GONE)
        before = _set_fields(row, REFORM_FIELDS, edit.fields)
        return Edit(edit.kind, edit.assessment_uuid, edit.target, before)

    return apply


def _apply_assessment(session: Session, edit: Edit, _rows: dict | None = None) -> Edit:
    assessment = _editable(session, edit.assessment_uuid)
    before = _set_fields(assessment, ASSESSMENT_FIELDS, edit.fields)
    return Edit("assessment", edit.assessment_uuid, edit.target, before)


def _apply_evidence_add(session: Session, edit: Edit, _rows: dict | None = None) -> Edit:
    _editable(session, edit.assessment_uuid)
    tomb = session.get(Tombstone, edit.target)
    if tomb is not None:  # re-adding what undo removed: it lives again
        session.delete(tomb)
    ev = Evidence(uuid=edit.target, assessment_uuid=edit.assessment_uuid, **edit.fields)
    session.add(ev)
    return Edit("evidence_remove", edit.assessment_uuid, edit.target)


def _apply_evidence_remove(session: Session, edit: Edit, _rows: dict | None = None) -> Edit:
    _editable(session, edit.assessment_uuid)
    ev = session.get(Evidence, edit.target, populate_existing=True)  # read afresh, as for table rows
    if ev is None:
        raise UserError(EVIDENCE_GONE)
    fields = {
        "measure_key": ev.measure_key,
        "kind": ev.kind,
        "text": ev.text,
        "number": ev.number,
        "blob_sha256": ev.blob_sha256,
        "filename": ev.filename,
        "mime": ev.mime,
    }
    session.delete(ev)
    return Edit("evidence_add", edit.assessment_uuid, edit.target, fields)


def _apply_submission(session: Session, edit: Edit, _rows: dict | None = None) -> Edit:
    """An import taken back or done again: the agency's submitted rows and the status as they were."""
    from workbench.model.submitted import restore

    _editable(session, edit.assessment_uuid)
    before = restore(session, edit.fields["snapshot"])
    return Edit("submission", edit.assessment_uuid, edit.target, {"snapshot": before})


_APPLY = {
    "submission": _apply_submission,
    "answer": _apply_answer,
    "judgement": _apply_judgement,
    "agreement": _apply_agreement,
    "reform_row": _apply_reform(ReformRow),
    "reform_action": _apply_reform(ReformAction),
    "assessment": _apply_assessment,
    "evidence_add": _apply_evidence_add,
    "evidence_remove": _apply_evidence_remove,
}


# --------------------------------------------------------------------------- helpers


def answer_row(session: Session, assessment_uuid: str, key: str, create: bool = False) -> Answer | None:
    row = session.scalar(select(Answer).where(Answer.assessment_uuid == assessment_uuid, Answer.key == key))
    if row is None and create:
        row = Answer(assessment_uuid=assessment_uuid, key=key, not_applicable=False, na_reason="", note="")
        session.add(row)
    return row


def store_blob(session: Session, data: bytes) -> str:
    """Keep small ``data`` in the database once, addressed by its SHA-256 (files: ``store_file``)."""
    digest = hashlib.sha256(data).hexdigest()
    evidence_files.store_stream(session, digest, len(data), [data])
    return digest


def file_evidence_fields(session: Session, measure_key: str, path: str | Path) -> dict:
    """Read a file into the database and return the fields of an ``evidence_add`` edit."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise UserError(
                f"فایل «{path.name}» بزرگ‌تر از حد مجاز ({MAX_EVIDENCE_BYTES // (1024 * 1024)} مگابایت) است"
            )
        digest = evidence_files.store_file(session, path)  # streamed: never held whole
    except OSError as exc:
        raise UserError(f"فایل «{path}» خوانده نشد ({os_problem(exc)})") from exc
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return {
        "measure_key": measure_key,
        "kind": "file",
        "text": "",
        "number": None,
        "blob_sha256": digest,
        "filename": path.name,
        "mime": mime,
    }
