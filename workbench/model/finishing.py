"""Finishing an assessment: draft → complete → final, and reopening (no Qt).

* :func:`mark_complete` refuses, with the list of gaps, while anything is
  missing (``completeness.missing``).
* :func:`finalize` needs a complete assessment and checks the gaps again,
  because a complete assessment stays editable until it is final.
* :func:`reopen` turns a final assessment back into a draft and records the
  reason in the audit trail (``audit.record_event(..., "reopen", ...)``).

Each function changes the session only; the caller commits.  A refusal leaves
the assessment exactly as it was.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.model.assessments import round_framework
from workbench.model.audit import record_event
from workbench.model.completeness import Gap, missing
from workbench.model.errors import UserError
from workbench.model.framework import Framework
from workbench.model.schema import Assessment, Round
from workbench.model.text import persian_digits


class IncompleteError(UserError):
    """The assessment still has gaps; :attr:`gaps` lists them."""

    def __init__(self, gaps: list[Gap]):
        super().__init__(f"ارزیابی هنوز کامل نیست: {persian_digits(len(gaps))} مورد باقی مانده است")
        self.gaps = gaps


def _framework(session: Session, assessment: Assessment, framework: Framework | None) -> Framework:
    if framework is not None:
        return framework
    return round_framework(session, session.get(Round, assessment.round_uuid))


def mark_complete(session: Session, assessment: Assessment, framework: Framework | None = None) -> None:
    """Draft → complete, refused with :class:`IncompleteError` while anything is missing."""
    if assessment.status == "final":
        raise UserError("این ارزیابی نهایی شده است؛ برای تغییر ابتدا آن را بازگشایی کنید")
    gaps = missing(session, assessment, _framework(session, assessment, framework))
    if gaps:
        raise IncompleteError(gaps)
    if assessment.status != "complete":
        assessment.status = "complete"
        session.flush()


def finalize(session: Session, assessment: Assessment, framework: Framework | None = None) -> None:
    """Complete → final (locked against every edit)."""
    if assessment.status == "final":
        raise UserError("این ارزیابی از پیش نهایی شده است")
    if assessment.status != "complete":
        raise UserError("فقط ارزیابی تکمیل‌شده نهایی می‌شود؛ ابتدا «علامت‌گذاری به‌عنوان تکمیل» را بزنید")
    gaps = missing(session, assessment, _framework(session, assessment, framework))
    if gaps:
        raise IncompleteError(gaps)
    assessment.status = "final"
    session.flush()


def reopen(session: Session, assessment: Assessment, reason: str) -> None:
    """Final → draft, with the reason kept in the audit trail."""
    reason = (reason or "").strip()
    if assessment.status != "final":
        raise UserError("فقط ارزیابی نهایی‌شده بازگشایی می‌شود")
    if not reason:
        raise UserError("دلیل بازگشایی ارزیابی را بنویسید")
    assessment.status = "draft"
    record_event(session, assessment, "reopen", {"reason": reason})
    session.flush()
