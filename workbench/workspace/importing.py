"""Importing an agency's workbook from the window: what it will cost, and a way back (no Qt).

* :func:`import_status` — the assessment's status before the import, for the
  preview to say what happens to it.
* :func:`import_undoable` — the import itself, in the caller's session (not
  committed), with the agency's rows kept before and after
  (:mod:`workbench.model.submitted`) so the window can offer it as one undo
  step; the assessment is stored first when it had not been (an import is
  its first edit), and a complete assessment the import changed goes back to
  draft (its evaluator must look again at what arrived); a final one stays
  final, as the dialog already asked.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.schema import Agency, Assessment, Round
from workbench.model.submitted import snapshot


def _assessment(session: Session, rnd: Round, agency: Agency) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.round_uuid == rnd.uuid,
                                                   Assessment.agency_uuid == agency.uuid))


def import_status(session: Session, rnd: Round, agency: Agency) -> str:
    """The status of the agency's assessment of the round ("" when it has none)."""
    found = _assessment(session, rnd, agency)
    return found.status if found is not None else ""


def changed_anything(summary: dict) -> bool:
    return any(summary[what][table] for what in ("added", "changed", "removed") for table in summary[what])


def import_undoable(session: Session, path, rnd: Round, agency: Agency, evaluator: str = "", progress=None):
    """Import ``path``; (the summary, {"assessment_uuid", "before", "after"}).  The caller commits."""
    from workbench.imports.importer import import_workbook

    assessment = _assessment(session, rnd, agency)
    if assessment is None:
        assessment = Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, status="draft", evaluator=evaluator)
        session.add(assessment)
        session.flush()
    before = snapshot(session, rnd.uuid, agency.uuid, assessment.uuid)
    summary = import_workbook(session, path, rnd, agency, progress=progress)
    summary["status_before"] = assessment.status
    if assessment.status == "complete" and changed_anything(summary):
        assessment.status = "draft"
        session.flush()
    summary["status_after"] = assessment.status
    after = snapshot(session, rnd.uuid, agency.uuid, assessment.uuid)
    return summary, {"assessment_uuid": assessment.uuid, "before": before, "after": after}
