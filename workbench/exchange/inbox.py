"""The supervisor's inbox, in words (no Qt): packages checked and previewed, taken in, the last merge undone.

The preview is the merge itself run as a dry run (:func:`check`): every
package verified byte for byte, matched with its assignment and merged agency
by agency in a transaction that is rolled back, so its counts — per package
and per agency — are the merge's own decisions, not an estimate.  Taking in
(:func:`take_in`) is the same merge, kept: one batch, which
:func:`preview_undo` and :func:`workbench.exchange.unmerge.unmerge` undo.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.exchange import labels
from workbench.exchange.conflicts import busy_writer
from workbench.exchange.merge import MergeResult, PackageOutcome, merge
from workbench.exchange.tables import MergeBatch
from workbench.exchange.unmerge import UnmergeResult, unmerge
from workbench.model.jalali import format_jalali
from workbench.model.schema import Agency
from workbench.model.text import persian_digits

#: A package's verdict before it is taken in (a dry run's «merged» is «ready»).
READY = "آمادهٔ ادغام"
OnPackage = Callable[[str, int, int, PackageOutcome], None]


def check(session: Session, paths: list[str | Path], on_package: OnPackage | None = None,
          cancelled: Callable[[], bool] | None = None,
          waiting: Callable[[str, str], None] | None = None) -> MergeResult:
    """Verify and preview ``paths``: the merge run through and rolled back (nothing is written)."""
    return merge(session, paths, dry_run=True, on_package=on_package, cancelled=cancelled, waiting=waiting)


def take_in(session: Session, paths: list[str | Path], merged_by: str, on_package: OnPackage | None = None,
            cancelled: Callable[[], bool] | None = None,
            waiting: Callable[[str, str], None] | None = None) -> MergeResult:
    """Merge ``paths`` as one batch (the caller commits; a cancel raises and the caller rolls back)."""
    return merge(session, paths, merged_by=merged_by, on_package=on_package, cancelled=cancelled, waiting=waiting)


def waiting_text(holder: str, agency: str) -> str:
    """What the inbox says while another supervisor writes an agency its packages answer."""
    return f"{busy_writer(holder)} هم‌اکنون دادهٔ دستگاه {persian_digits(agency)} را می‌نویسد؛ منتظر پایان کار او…"


def verdict_text(outcome: PackageOutcome, dry_run: bool) -> str:
    if outcome.status == "merged":
        return READY if dry_run else labels.STATUS["merged"]
    return labels.STATUS.get(outcome.status, outcome.status)


def reasons_text(outcome: PackageOutcome) -> str:
    """Why a package is refused (or what of it is), and what the merge warns of, one per line."""
    return "\n".join([e["reason"] for e in outcome.errors] + outcome.warnings)


def when_text(value: str | dt.datetime | None) -> str:
    """A stored UTC time as the supervisor's clock reads it: «۱۴۰۵/۰۹/۱۰ ۱۴:۰۵»."""
    if not value:
        return ""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    when = when.astimezone()
    return f"{format_jalali(when.date())} {persian_digits(when.strftime('%H:%M'))}"


def agency_names(session: Session, codes: list[str]) -> dict[str, str]:
    return dict(session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(sorted(set(codes))))).all())


@dataclass
class Batch:
    """A merge that can be undone: when, by whom, which packages."""

    uuid: str
    merged_at: dt.datetime
    merged_by: str
    packages: list[dict] = field(default_factory=list)  # the batch's summary: {file, evaluator, status, …}

    def text(self) -> str:
        merged = [p for p in self.packages if p.get("status") == "merged"]
        names = "، ".join(f"{Path(p['file']).name} ({p.get('evaluator', '')})" for p in merged)
        return (f"ادغام {when_text(self.merged_at)}" + (f" به دست {self.merged_by}" if self.merged_by else "")
                + f": {persian_digits(len(merged))} بسته — {names}")


def last_batch(session: Session) -> Batch | None:
    """The latest merge still in place (None when there is nothing to undo)."""
    row = session.scalars(select(MergeBatch).where(MergeBatch.status == "merged")
                          .order_by(MergeBatch.merged_at.desc())).first()
    if row is None:
        return None
    return Batch(row.uuid, row.merged_at, row.merged_by, json.loads(row.summary or "[]"))


def preview_undo(session: Session, batch_uuid: str, wait: bool = True) -> UnmergeResult:
    """What undoing the batch would restore: the unmerge run in a savepoint and rolled back."""
    nested = session.begin_nested()
    try:
        return unmerge(session, batch_uuid, wait=wait)
    finally:
        nested.rollback()


def undo_text(result: UnmergeResult, batch: Batch) -> str:
    """The undo's account, before (from :func:`preview_undo`) or after: what goes back, what stays."""
    lines = [batch.text(),
             f"خانه‌هایی که به مقدار پیش از ادغام برمی‌گردند: {persian_digits(result.restored)}",
             f"رکوردهای افزوده‌شده که برداشته می‌شوند: {persian_digits(result.removed)}",
             f"رکوردهای حذف‌شده که بازمی‌گردند: {persian_digits(result.reinserted)}",
             f"تعارض‌های باز این ادغام که برداشته می‌شوند: {persian_digits(result.conflicts_removed)}"]
    if result.kept:
        lines.append(f"پس از این ادغام تغییر کرده‌اند و دست نمی‌خورند ({persian_digits(len(result.kept))}):")
        lines += [f"• {persian_digits(k)}" for k in result.kept[:20]]
        if len(result.kept) > 20:
            lines.append(f"… و {persian_digits(len(result.kept) - 20)} مورد دیگر")
    return "\n".join(lines)
