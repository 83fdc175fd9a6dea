"""File ▸ «دریافت فایل واگذاری…»: the evaluator takes in the assignment a supervisor handed out.

The same Qt-free :func:`workbench.exchange.receive.receive` as ``workbench receive``: the
assignment is checked (its signature, the supervisor's key pinned for the round) and its round,
agencies, services, tables and work already merged are added to the open database, on a thread
of its own; then the database is opened again, so the agency list shows what arrived.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from workbench.model.problems import path_text
from workbench.model.text import persian_digits
from workbench.ui.shared import file_dialogs
from workbench.ui.shared.background import run_task

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

ASSIGNMENT_FILTER = "فایل واگذاری میز کار ارزیاب (*.wba);;همهٔ فایل‌ها (*)"
TITLE = "دریافت فایل واگذاری"


class AssignmentActions(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.task = None
        self.receive_action = QAction("دریافت فایل واگذاری… (&W)", window)
        self.receive_action.triggered.connect(lambda _checked=False: self.receive())
        window.add_menu_action("file", self.receive_action)

    def update_enabled(self) -> None:
        self.receive_action.setEnabled(self.window.workspace is not None and self.task is None)

    def receive(self, path: str | None = None):
        w = self.window
        if w.workspace is None:
            return None
        if path is None:
            path, _ = file_dialogs.getOpenFileName(w, TITLE, "", ASSIGNMENT_FILTER, purpose="assignment")
        if not path:
            return None
        database = w.workspace.path

        def work(job):
            from workbench.exchange.receive import receive

            result = receive(job.session, Path(path), cancelled=job.cancelled)
            job.session.commit()
            return result

        def done(result) -> None:
            self.task = None
            w.open_database(database)  # the round and agencies that arrived, listed afresh
            if result.already_received:
                text = "این واگذاری پیش‌تر دریافت شده است؛ چیزی تغییر نکرد."
            else:
                text = (f"واگذاری «{result.evaluator}» برای دورهٔ {persian_digits(result.round_year)} دریافت شد: "
                        f"{persian_digits(len(result.agencies))} دستگاه، {persian_digits(result.added)} رکورد تازه")
            w.statusBar().showMessage(text, 15000)
            for warning in result.warnings:
                QMessageBox.warning(w, TITLE, warning)

        def failed(message: str, _unexpected: bool) -> None:
            self.task = None
            self.update_enabled()
            QMessageBox.warning(w, TITLE, f"فایل {path_text(Path(path))} دریافت نشد.\n{message}")

        self.task = run_task(work, writes=True, new_session=w.workspace.new_session, on_success=done,
                             on_failure=failed, owner=w)
        self.update_enabled()
        return self.task
