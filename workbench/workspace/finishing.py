"""Finishing an assessment and reopening it, committed as one step each (or not at all).

The rules are the model's (:mod:`workbench.model.finishing`): what must be
complete, that a final assessment is read-only, that reopening keeps its
reason in the audit trail.  Here each step is committed, or rolled back on
any refusal (:class:`~workbench.model.finishing.IncompleteError` carries the
gaps, a :class:`~workbench.model.errors.UserError` the Persian reason).
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from workbench.model import finishing
from workbench.model.framework import Framework
from workbench.model.schema import Assessment


def _committed(session: Session, step: Callable[[], None]) -> None:
    try:
        step()
        session.commit()
    except BaseException:
        session.rollback()
        raise


def mark_complete(session: Session, assessment: Assessment, framework: Framework) -> None:
    _committed(session, lambda: finishing.mark_complete(session, assessment, framework))


def finalize(session: Session, assessment: Assessment, framework: Framework) -> None:
    _committed(session, lambda: finishing.finalize(session, assessment, framework))


def reopen(session: Session, assessment: Assessment, reason: str) -> None:
    _committed(session, lambda: finishing.reopen(session, assessment, reason))
