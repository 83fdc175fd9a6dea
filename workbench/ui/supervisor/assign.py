"""«واگذاری دستگاه‌ها به ارزیاب…»: agencies chosen in the list (or all it lists) handed to one evaluator.

The agency list of a supervisor's database shows who each agency is assigned
to and when (:meth:`~workbench.ui.agencies.pane.AgenciesPane.set_holdings`);
here the supervisor chooses the agencies — those selected, or every one the
search and filters list (e.g. «واگذارنشده» and one province) — and an
evaluator, and saves the assignment file.  It is written by the same
:func:`workbench.exchange.assign.assign` as ``workbench assign``, off the
window's thread, and committed only once the file is complete.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
)

from workbench.model.problems import path_text
from workbench.model.text import persian_digits
from workbench.ui.shared.background import TaskCancelled, run_task

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

TITLE = "واگذاری دستگاه‌ها به ارزیاب"
ASSIGNMENT_FILTER = "فایل واگذاری میز کار ارزیاب (*.wba)"


class AssignDialog(QDialog):
    """Which agencies (the chosen ones, or all listed) and to whom."""

    def __init__(self, selected: list[str], listed: list[str], evaluators: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.selected, self.listed = selected, listed
        self.chosen_button = QRadioButton(f"دستگاه‌های برگزیده در فهرست ({persian_digits(len(selected))})", self)
        self.listed_button = QRadioButton(
            f"همهٔ دستگاه‌هایی که فهرست با این جست‌وجو و پالایه‌ها نشان می‌دهد ({persian_digits(len(listed))})", self)
        group = QButtonGroup(self)
        group.addButton(self.chosen_button)
        group.addButton(self.listed_button)
        self.chosen_button.setEnabled(bool(selected))
        (self.chosen_button if len(selected) > 1 or not listed else self.listed_button).setChecked(True)
        self.evaluator = QComboBox(self)
        self.evaluator.setEditable(True)
        self.evaluator.addItems(evaluators)
        self.evaluator.setCurrentText("")
        self.evaluator.lineEdit().setPlaceholderText("نام ارزیاب، همان‌گونه که در میز کار خود نوشته است")
        self.evaluator.setMinimumWidth(320)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ذخیرهٔ فایل واگذاری…")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("ارزیاب:", self.evaluator)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("کدام دستگاه‌ها:", self))
        layout.addWidget(self.chosen_button)
        layout.addWidget(self.listed_button)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def codes(self) -> list[str]:
        return self.selected if self.chosen_button.isChecked() else self.listed

    def name(self) -> str:
        return self.evaluator.currentText().strip()

    def _accept(self) -> None:
        if not self.codes():
            self.message.setText("هیچ دستگاهی برگزیده یا فهرست نشده است.")
        elif not self.name():
            self.message.setText("نام ارزیاب را بنویسید.")
        else:
            self.accept()


class Assigning:
    """The supervisor's assign step: the dialog, the save dialog, the file written in the background."""

    def __init__(self, window: "MainWindow", after):
        self.window = window
        self.after = after  # called on the window's thread once the assignment is committed
        self.task = None
        self.dialog: AssignDialog | None = None
        #: The save dialog; tests replace it.
        self.ask_path = lambda suggested: QFileDialog.getSaveFileName(
            window, TITLE, suggested, ASSIGNMENT_FILTER)[0]

    def start(self, evaluators: list[str]) -> AssignDialog:
        pane = self.window.agencies
        self.dialog = AssignDialog(pane.selected_codes(), pane.listed_codes(), evaluators, self.window)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.accepted.connect(lambda: self.write(self.dialog.name(), self.dialog.codes()))
        self.dialog.open()
        return self.dialog

    def write(self, evaluator: str, codes: list[str], path: str | None = None):
        """Ask where (unless given), then write the file off the window's thread."""
        w = self.window
        if path is None:
            path = self.ask_path(str(Path.home() / f"{evaluator}.wba"))
        if not path:
            return None
        if not path.lower().endswith(".wba"):
            path += ".wba"
        round_uuid, actor = w.round_uuid, w.store.actor

        def work(job):
            from workbench.exchange.assign import assign
            from workbench.exchange.package import Cancel
            from workbench.model.schema import Round

            year = job.session.get(Round, round_uuid).year
            try:
                result = assign(job.session, evaluator, codes, path, year=year, issued_by=actor,
                                progress=lambda done, total: job.progress(done, total), cancelled=job.cancelled)
            except Cancel:
                raise TaskCancelled() from None
            job.session.commit()
            return result

        def done(result) -> None:
            self.task = None
            w.statusBar().showMessage(
                f"{persian_digits(len(result.agencies))} دستگاه به «{result.evaluator}» واگذار شد؛ "
                f"فایل واگذاری: {path_text(result.path)}", 15000)
            self.after()

        def failed(message: str, _unexpected: bool) -> None:
            self.task = None
            QMessageBox.warning(w, TITLE, message)

        self.task = run_task(work, writes=True, new_session=w.store.new_session, on_success=done,
                             on_failure=failed, on_cancel=lambda: setattr(self, "task", None),
                             name=TITLE, owner=w)
        return self.task
