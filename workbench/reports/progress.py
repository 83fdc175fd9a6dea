"""Progress and cancellation for reports that cover a whole round.

The same pair of callbacks as ``summary.write_all``: ``progress(done, total,
what)`` after each step and ``cancelled() -> bool`` polled between steps.  The
window passes ones bound to its progress dialog; when the user cancels, the
Excel reports stop at the next step and write nothing at all (they build in a
temporary place and move the result in only at the end).
"""
from __future__ import annotations

from collections.abc import Callable

from workbench.model.errors import UserError

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


class ReportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("تهیهٔ گزارش لغو شد؛ فایلی نوشته نشد.")


def step(
    progress: ProgressFn | None, cancelled: CancelledFn | None, done: int, total: int, what: str
) -> None:
    """Report a step; raise :class:`ReportCancelled` once ``cancelled()`` is true."""
    if cancelled is not None and cancelled():
        raise ReportCancelled()
    if progress is not None:
        progress(done, total, what)
