"""Importing one agency's workbook into one round: check, then write in one transaction.

The caller owns the session and its transaction: it commits after
:func:`import_workbook` returns, and rolls back on any exception, so a refused
or failed import leaves the database exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.imports.apply import Plan, apply_plan, plan_changes
from workbench.imports.card_checks import check_cards
from workbench.imports.findings import Findings, ImportRefused
from workbench.imports.store_checks import check_against_store
from workbench.imports.validate import Progress, Submission, read_submission
from workbench.imports.workbook import open_workbook
from workbench.model.assessments import round_framework
from workbench.model.schema import Agency, Round


@dataclass
class Checked:
    """A checked file: what it says, what is wrong with it, and (when nothing is) what importing changes."""

    submission: Submission
    findings: Findings
    plan: Plan | None

    def summary(self, dry_run: bool = True) -> dict:
        if self.plan is None:
            raise ImportRefused(self.findings.errors, self.findings.warnings)
        return self.plan.summary(self.findings.warnings, dry_run=dry_run)


def check_import(
    session: Session, path: str | Path, rnd: Round, agency: Agency, progress: Progress | None = None
) -> Checked:
    """Read and check ``path`` for ``agency`` in ``rnd``; nothing is written.

    A file that cannot be read at all raises :class:`ImportRefused`; otherwise
    the result carries every error and warning, and the plan when there are no errors.
    """
    opened = open_workbook(path)
    try:
        submission, findings = read_submission(opened, progress)
    finally:
        opened.close()
    if progress:
        progress(0.92, "سنجش با پایگاه داده")
    check_against_store(session, submission, rnd, agency, findings)
    check_cards(submission, findings, round_framework(session, rnd), agency.level)
    findings.sort(submission.sheet_order)
    plan = plan_changes(session, rnd, agency, submission) if findings.ok else None
    if progress:
        progress(1.0, "بررسی پایان یافت")
    return Checked(submission, findings, plan)


def import_workbook(
    session: Session,
    path: str | Path,
    rnd: Round,
    agency: Agency,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> dict:
    """Check ``path`` and, unless ``dry_run``, write it; the summary (see :meth:`Plan.summary`).

    Raises :class:`ImportRefused` with every error when the file is refused.
    """
    checked = check_import(session, path, rnd, agency, progress)
    summary = checked.summary(dry_run=dry_run)
    if not dry_run:
        apply_plan(session, checked.plan)
    return summary
