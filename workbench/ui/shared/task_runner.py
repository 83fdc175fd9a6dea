"""Long reports off the GUI thread: a background task, a progress dialog with «لغو», and the outcome.

    run = start_report(window, store, "رتبه‌بندی", work)
    run.ended.connect(...)   # "done" | "cancelled" | "failed"

``work(session, progress, cancelled)`` runs as a background task
(:mod:`workbench.ui.shared.background`) in a session of its own, opened from
the store there: the window's long-lived session belongs
to the GUI thread and SQLAlchemy sessions must not be shared between threads.
It reports with ``progress(done, total, what)``, stops with
:class:`~workbench.reports.progress.ReportCancelled` once ``cancelled()`` is
true, and returns a :class:`Finished` saying what was written and where.

When the work ends the progress dialog closes and a message says what
happened: what was written, with a button that opens the output folder; that
nothing was written after a cancel; a Persian message for a ``UserError``;
for anything unexpected a Persian message naming the log file that holds the traceback, never
silence.  :func:`workbench.ui.shared.background.stop_all` cancels and waits for
every run, so a database is never closed under a worker that still reads it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import SIGNAL, SLOT, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from workbench.model.problems import path_text
from workbench.model.text import persian_digits
from workbench.ui.shared import background

log = logging.getLogger(__name__)

#: A quick report (one agency's tables) never flashes a progress dialog.
SHOW_AFTER_MS = 500
CANCELLING = "در حال لغو؛ گام در حال اجرا تمام می‌شود و چیزی نوشته نمی‌شود…"
UNEXPECTED = "تهیهٔ گزارش با خطای پیش‌بینی‌نشده‌ای متوقف شد و فایلی نوشته نشد."


@dataclass
class Finished:
    """What a report wrote: a Persian sentence and the folder the user may open."""

    message: str
    folder: Path


class _ProgressDialog(QProgressDialog):
    """Stays open while cancelling (Qt's would hide at once and leave the worker unseen)."""

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__("در حال آماده‌سازی…", "", 0, 0, parent)
        self.may_close = False
        self.setWindowTitle(title)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.cancel_button = QPushButton("لغو", self)
        self.setCancelButton(self.cancel_button)
        # Qt ties «canceled» to its own cancel(), which hides the dialog; the run decides instead.
        QObject.disconnect(self, SIGNAL("canceled()"), self, SLOT("cancel()"))
        self.setMinimumDuration(SHOW_AFTER_MS)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.may_close:
            super().closeEvent(event)
            return
        event.ignore()  # the window's close box or Escape asks to cancel; the run then closes it
        self.canceled.emit()

    def reject(self) -> None:
        if self.may_close:
            super().reject()
        else:
            self.canceled.emit()


def _persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


class ReportRun(QObject):
    """One report being written: its worker, its progress dialog and, at the end, its message."""

    #: "done", "cancelled" or "failed", once the worker has ended and the message is up;
    #: "stopped" when ``background.stop_all`` ended it (its database is closing), with no message.
    ended = Signal(str)

    def __init__(self, parent: QWidget, store, title: str, work: Callable):
        super().__init__(parent)
        self.title = title
        self.outcome = ""
        self.result: Finished | None = None
        self.box: QMessageBox | None = None
        self._what = "در حال کار…"
        self.dialog = _ProgressDialog(title, parent)
        self.dialog.canceled.connect(self.cancel)
        self.task = background.Task(
            lambda job: work(job.session, self._progress_from(job), job.cancelled),
            new_session=store.new_session, unexpected=UNEXPECTED, name=title, owner=self,
            on_success=self._on_succeeded, on_failure=self._on_failed, on_progress=self._on_progress,
            on_cancel=self._on_cancelled,
        )
        self.task.ended.connect(self._task_ended)
        self.worker = self.task.thread
        self._stop = self.task._stop  # the cancel flag the work polls
        self.task.parent_run = self

    @staticmethod
    def _progress_from(job):
        def progress(done: int, total: int, what: str) -> None:
            job.progress(int(done), int(total), str(what or ""))
        return progress

    def start(self) -> None:
        self.task.start()

    def cancel(self) -> None:
        if self.outcome or self.task.is_cancelled():
            return
        self.task.cancel()
        self.dialog.cancel_button.setEnabled(False)
        self.dialog.setLabelText(CANCELLING)
        self.dialog.show()  # a cancel before the dialog's delay still says it is stopping

    def is_running(self) -> bool:
        return not self.outcome

    def wait(self, ms: int = 60000) -> bool:
        return self.task.wait(ms)

    # ---- from the worker
    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self.task.is_cancelled() or self.outcome:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        if _persian(what):
            self._what = what
        # An internal name (a chart's file key) is not for the user: the last Persian step stays.
        count = f" ({persian_digits(done)} از {persian_digits(total)})" if total > 0 else ""
        self.dialog.setLabelText(f"{self._what}{count}")

    def _on_succeeded(self, result: Finished) -> None:
        if self.outcome:  # stopped with its database (background.stop_all): nothing more to say
            return
        self.result = result
        box = self._box(QMessageBox.Icon.Information, result.message)
        opener = box.addButton("باز کردن پوشه", QMessageBox.ButtonRole.ActionRole)
        box.addButton("بستن", QMessageBox.ButtonRole.RejectRole)
        folder = result.folder
        opener.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        self._end("done", box)

    def _on_cancelled(self) -> None:
        if self.outcome:  # stopped with its database (background.stop_all): nothing more to say
            return
        self._end("cancelled", self._box(QMessageBox.Icon.Information, "تهیهٔ گزارش لغو شد؛ فایلی نوشته نشد."))

    def _on_failed(self, message: str, unexpected: bool) -> None:
        if self.outcome:  # stopped with its database (background.stop_all): nothing more to say
            return
        # An unexpected failure was logged with its traceback; the user never sees a traceback.
        if unexpected:
            from workbench.ui.shared.errors import log_path

            message = f"{message}\n\nجزئیات برای پشتیبانی: {path_text(log_path())}"
        icon = QMessageBox.Icon.Critical if unexpected else QMessageBox.Icon.Warning
        box = self._box(icon, message)
        box.addButton("بستن", QMessageBox.ButtonRole.RejectRole)
        self._end("failed", box)

    def _box(self, icon: QMessageBox.Icon, text: str) -> QMessageBox:
        box = QMessageBox(icon, self.title, text, parent=self.parent())
        box.setTextFormat(Qt.TextFormat.PlainText)  # it names the files and folders written
        box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return box

    def _end(self, outcome: str, box: QMessageBox) -> None:
        self.outcome = outcome
        self.dialog.may_close = True
        self.dialog.close()
        self.dialog.deleteLater()
        if not box.buttons():
            box.addButton("بستن", QMessageBox.ButtonRole.RejectRole)
        self.box = box
        box.destroyed.connect(self._forget_box)
        box.open()  # not exec(): the window stays live behind the message
        self.ended.emit(outcome)

    def _task_ended(self, outcome: str) -> None:
        if outcome == "stopped":  # its database is closing (background.stop_all): no message
            self.outcome = "stopped"
            self.dialog.may_close = True
            self.dialog.close()
            self.dialog.deleteLater()
            self.ended.emit("stopped")

    def _forget_box(self, *_args) -> None:
        self.box = None


def start_report(parent: QWidget, store, title: str, work: Callable) -> ReportRun:
    """Run ``work`` on a worker thread behind a progress dialog; see the module's docstring."""
    run = ReportRun(parent, store, title, work)
    run.start()
    return run


def running() -> list[ReportRun]:
    """The reports still being written."""
    return [t.parent_run for t in background.running() if getattr(t, "parent_run", None) is not None]
