"""The import dialog: check an agency's workbook, preview what changes, then import it.

Checking and importing run off the GUI thread (a background task of
:mod:`workbench.ui.shared.background` with its own session), with progress
and a way to stop the check; closing the window lets an import finish.  Refusals are listed
with their sheet and cell; «ورود» is enabled only for a file that passed.
The import itself is one transaction: it re-reads and re-checks the file, so
a file edited since the preview is never half-imported.

    dialog = ImportDialog(store, round_uuid, agency_uuid, parent)
    dialog.imported.connect(window.refresh)   # the summary dict
    dialog.exec()

The first argument is a :class:`~workbench.model.store.Store` or a callable
returning a *new* session each time (each job runs in its own thread and
closes its session) — never the window's own long-lived session.  After an
import the window's session holds stale rows: expire them (``expire_all``).
"""
from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from workbench.model.problems import path_text
from workbench.model.schema import Agency, Round
from workbench.model.text import persian_digits
from workbench.ui.importing.losses import losses, question
from workbench.ui.importing.models import FindingsModel, SummaryModel
from workbench.ui.shared import file_dialogs
from workbench.ui.shared.background import run_task

_FILE_FILTER = "کارپوشهٔ Excel (*.xlsx *.xlsm);;متن CSV (*.csv *.txt);;همهٔ فایل‌ها (*)"


@contextlib.contextmanager
def _session(source):
    """A session from a :class:`~workbench.model.store.Store` or from a session factory."""
    session = source.new_session() if hasattr(source, "new_session") else source()
    try:
        yield session
    finally:
        session.rollback()  # whatever the job did not commit is dropped
        session.close()


def _import_work(source, path: Path, round_uuid: str, agency_uuid: str, write: bool):
    """The background work: check (``write=False``) or import (``write=True``) one file in its own session.

    Returns {"errors", "warnings", "summary"}; a refused file is a result, not a failure.
    """
    from workbench.imports.findings import ImportCancelled, ImportRefused
    from workbench.imports.importer import check_import
    from workbench.workspace.importing import import_status, import_undoable

    def work(job) -> dict:
        def progress(fraction: float, what: str) -> None:
            if job.cancelled() and not write:  # an import, once started, finishes or rolls back
                raise ImportCancelled()
            job.progress(fraction, what)

        with _session(source) as session:
            rnd, agency = session.get(Round, round_uuid), session.get(Agency, agency_uuid)
            if write:
                try:
                    summary, undo = import_undoable(session, path, rnd, agency, progress=progress)
                except ImportRefused as refused:
                    return _refusal(refused.errors, refused.warnings)
                session.commit()
                summary["undo"] = undo  # the window makes it one undo step of the assessment
                return {"errors": [], "warnings": summary["warnings"], "summary": summary}
            try:
                checked = check_import(session, path, rnd, agency, progress=progress)
            except ImportRefused as refused:
                return _refusal(refused.errors, refused.warnings)
            summary = checked.summary() if checked.findings.ok else None
            if summary is not None:
                summary["status_before"] = import_status(session, rnd, agency)
            result = _refusal(checked.findings.errors, checked.findings.warnings)
            result["summary"] = summary
            return result

    return work


def _refusal(errors, warnings) -> dict:
    return {"errors": [e.as_dict() for e in errors], "warnings": [w.as_dict() for w in warnings], "summary": None}


class ImportDialog(QDialog):
    """Import one agency's workbook into one round."""

    #: The file was checked: {"errors", "warnings", "summary"}.
    checked = Signal(dict)
    #: The file was imported: the summary (see ``workbench.imports.apply.Plan.summary``).
    imported = Signal(dict)

    def __init__(self, store_or_session_factory, round_uuid: str, agency_uuid: str, parent=None):
        super().__init__(parent)
        self._source = store_or_session_factory
        self._round_uuid, self._agency_uuid = round_uuid, agency_uuid
        self._generation = 0
        self._job = None  # the background task checking or importing
        self._checked_summary: dict | None = None  # the preview of the file checked last
        self._writing = False
        self._path: Path | None = None
        self._checked_ok = False
        self.did_import = False
        with _session(self._source) as s:
            agency, rnd = s.get(Agency, agency_uuid), s.get(Round, round_uuid)
            self._agency_code, self._agency_name, self._year = agency.code, agency.name, rnd.year

        self.setWindowTitle("ورود کارپوشهٔ دستگاه")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.resize(860, 600)
        self._build()
        self._set_idle("فایل کارپوشهٔ دستگاه را برگزینید.")

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        heading = QLabel(
            f"ورود خدمات، برنامهٔ عملیاتی و جدول‌های ۴ و ۵ دستگاه «{persian_digits(self._agency_code)} — "
            f"{self._agency_name}» برای دورهٔ {persian_digits(self._year)}",
            self,
        )
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("هنوز فایلی برگزیده نشده است")
        self.path_edit.setAccessibleName("فایل برگزیده")
        self.path_edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a path reads left to right
        self.choose_button = QPushButton("انتخاب فایل… (&F)", self)
        self.template_button = QPushButton("ذخیرهٔ قالب…", self)
        self.template_button.setToolTip("قالب خالی کارپوشه را، ساخته‌شده برای همین دستگاه، ذخیره کنید تا برای آن بفرستید.")
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.template_button)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.stop_button = QPushButton("توقف", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.stop_button)

        self.summary_title = QLabel(self)
        self.summary_title.setStyleSheet("font-weight: bold;")
        self.summary_model = SummaryModel(self)
        self.summary_view = QTableView(self)
        self.summary_view.setModel(self.summary_model)
        self.summary_view.setAccessibleName("پیش‌نمایش تغییرات")
        self.summary_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        for label in (self.status, self.summary_title, self.notes):  # they quote the file, its sheets and cells
            label.setTextFormat(Qt.TextFormat.PlainText)

        self.findings_label = QLabel(self)
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.findings_model = FindingsModel(self)
        self.findings_view = QTableView(self)
        self.findings_view.setModel(self.findings_model)
        self.findings_view.setAccessibleName("خطاها و هشدارها")
        self.findings_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings_view.setWordWrap(True)
        self.findings_view.setAlternatingRowColors(True)
        header = self.findings_view.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Long messages wrap: rows are re-measured whenever the message column's width changes.
        # The stretched column gets its width only once the view is laid out, hence the deferred call.
        header.sectionResized.connect(self._fit_rows)
        self.findings_model.modelReset.connect(self._fit_rows)

        self.import_button = QPushButton("ورود (&I)", self)
        self.import_button.setDefault(True)
        self.close_button = QPushButton("بستن", self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(file_row)
        layout.addLayout(progress_row)
        layout.addWidget(self.status)
        layout.addWidget(self.summary_title)
        layout.addWidget(self.summary_view)
        layout.addWidget(self.notes)
        layout.addWidget(self.findings_label)
        layout.addWidget(self.findings_view, 1)
        layout.addLayout(buttons)

        self.choose_button.clicked.connect(self._choose)
        self.template_button.clicked.connect(self._save_template)
        self.stop_button.clicked.connect(self._stop)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)

    # ------------------------------------------------------------------ actions
    def _choose(self) -> None:
        path, _ = file_dialogs.getOpenFileName(self, "انتخاب کارپوشهٔ دستگاه", "", _FILE_FILTER, purpose="import")
        if path:
            self.check_file(Path(path))

    def _save_template(self) -> None:
        from workbench.imports.template import agency_details, stored_rows, write_template
        from workbench.model.errors import UserError

        suggested = f"قالب-{self._agency_code}.xlsx"
        path, _ = file_dialogs.getSaveFileName(self, "ذخیرهٔ قالب خالی", suggested, "کارپوشهٔ Excel (*.xlsx)",
                                               purpose="template")
        if not path:
            return
        try:
            with _session(self._source) as s:
                details = agency_details(s, s.get(Agency, self._agency_uuid))
                rows = stored_rows(s, self._round_uuid, self._agency_uuid)
            write_template(path if path.lower().endswith(".xlsx") else path + ".xlsx", details, rows)
        except UserError as exc:
            self.status.setText(exc.message)
            return
        self.status.setText(f"قالب این دستگاه در «{path_text(path)}» ذخیره شد.")

    def check_file(self, path: Path) -> None:
        """Check ``path`` in the background; :attr:`checked` fires when done."""
        self._path = Path(path)
        self.path_edit.setText(str(self._path))
        self._start(write=False, what="بررسی فایل…")

    def start_import(self) -> None:
        """Import the checked file in the background; :attr:`imported` fires on success.

        When the import will remove anything (rows, verdicts, a complete status) it asks first."""
        if self._path is None or not self._checked_ok or self._job is not None:
            return
        if self._checked_summary and losses(self._checked_summary):
            answer = QMessageBox.question(self, "ورود کارپوشه", question(self._checked_summary),
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.status.setText("وارد نشد؛ چیزی تغییر نکرد.")
                return
        self._start(write=True, what="ورود به پایگاه داده…")

    def _start(self, write: bool, what: str) -> None:
        if self._job is not None:
            self._job.cancel()  # a newer file replaces the check in progress
        self._generation += 1
        self._checked_ok = False
        self._writing = write
        if not write:
            self._show_summary(None, "")
            self.findings_model.set_findings([], [])
            self.notes.clear()
            self.findings_label.clear()
        generation = self._generation
        self._set_busy(what)
        self._job = run_task(
            _import_work(self._source, self._path, self._round_uuid, self._agency_uuid, write),
            writes=write, name="ورود کارپوشه", owner=self,
            on_success=lambda result: self._on_done(generation, result),
            on_failure=lambda message, _unexpected: self._on_failed(
                generation, f"کار ناتمام ماند و چیزی نوشته نشد. {message}"),
            on_cancel=lambda: self._on_failed(generation, "بررسی متوقف شد."),
            on_progress=lambda fraction, what: self._on_progress(generation, fraction, what),
        )

    def _stop(self) -> None:
        if self._job is not None and not self._writing:
            self._job.cancel()
            self.status.setText("در حال توقف…")

    # ------------------------------------------------------------------ results
    def _on_progress(self, generation: int, fraction: float, what: str) -> None:
        if generation == self._generation:
            self.progress.setValue(int(fraction * 100))
            self.status.setText(what)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._job = None
        self._set_idle(message)

    def _on_done(self, generation: int, result: dict) -> None:
        if generation != self._generation:
            return
        self._job = None
        errors, warnings, summary = result["errors"], result["warnings"], result["summary"]
        self.findings_model.set_findings(errors, warnings)
        done = self._writing and summary is not None
        self._show_summary(summary, "آنچه تغییر کرد" if done else "پیش‌نمایش آنچه با ورود تغییر می‌کند")
        lost = losses(summary) if summary and not done else []
        self.findings_label.setText(
            (f"خطاها: {persian_digits(len(errors))} — هشدارها: {persian_digits(len(warnings))}"
             if errors or warnings else "نه خطایی دارد نه هشداری.")
            + ("\nولی با ورود آن: " + "؛ ".join(lost) + "." if lost else "")
        )
        self._checked_summary = summary if not done else None
        self.notes.setText(_notes(summary) if summary else "")
        if done:
            self.did_import = True
            self._set_idle("فایل وارد شد. برای ورود دوباره، فایل را از نو برگزینید.")
            self.imported.emit(summary)
            return
        self._checked_ok = summary is not None
        if errors:
            self._set_idle(
                f"فایل پذیرفته نیست: {persian_digits(len(errors))} خطا در جدول زیر آمده است، "
                "هر کدام با برگه و خانه‌اش. فایل را اصلاح کنید و دوباره برگزینید؛ چیزی نوشته نشد."
            )
        else:
            self._set_idle("فایل بررسی شد و پذیرفتنی است. با «ورود» این تغییرات نوشته می‌شود.")
        self.checked.emit(result)

    # ------------------------------------------------------------------ state
    def _fit_rows(self, *_args) -> None:
        QTimer.singleShot(0, self.findings_view, self.findings_view.resizeRowsToContents)  # dropped if the view is gone

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_rows()

    def _show_summary(self, summary: dict | None, title: str) -> None:
        self.summary_model.set_summary(summary)
        self.summary_title.setText(title)
        self.summary_title.setVisible(summary is not None)
        self.summary_view.setVisible(summary is not None)
        if summary is not None:
            view = self.summary_view
            view.resizeRowsToContents()
            view.setFixedHeight(
                view.horizontalHeader().height() + view.verticalHeader().length() + 2 * view.frameWidth()
            )

    def _set_busy(self, what: str) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.stop_button.setVisible(not self._writing)
        self.status.setText(what)
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(not self._writing)
        self.close_button.setEnabled(not self._writing)

    def _set_idle(self, message: str) -> None:
        self.progress.setVisible(False)
        self.stop_button.setVisible(False)
        self.status.setText(message)
        self.import_button.setEnabled(self._checked_ok and not self.did_import)
        self.choose_button.setEnabled(True)
        self.close_button.setEnabled(True)
        self._writing = False

    def is_busy(self) -> bool:
        return self._job is not None

    def reject(self) -> None:
        if self._writing:
            return  # an import in progress finishes (or rolls back) on its own first
        if self._job is not None:
            self._job.cancel()
        if self.did_import:
            self.accept()
        else:
            super().reject()


def _notes(summary: dict) -> str:
    fa = persian_digits
    lines = [f"کنترل‌های ارزیاب روی {fa(summary['judgements_kept'])} خدمت سر جای خود می‌مانند."]
    if summary["judgements_unmatched"]:
        lines.append(
            f"{fa(summary['judgements_unmatched'])} کنترل روی خدماتی است که در این فایل نیستند؛ "
            "نگه داشته می‌شوند ولی تا بازگشت آن خدمات شمرده نمی‌شوند."
        )
    if summary["verdicts_kept"]:
        lines.append(f"رأی ارزیاب روی {fa(summary['verdicts_kept'])} ردیف جدول ۴ و ۵ می‌ماند.")
    if summary["verdicts_dropped"]:
        lines.append(f"رأی ارزیاب روی {fa(summary['verdicts_dropped'])} ردیف که از فایل حذف شده‌اند از میان می‌رود.")
    names = {"website": "نشانی تارنما", "province": "استان"}
    if summary["agency_updated"]:
        filled = "، ".join(names.get(k, k) for k in summary["agency_updated"])
        lines.append(f"جاهای خالی مشخصات دستگاه از فایل پر می‌شود: {filled}.")
    return "\n".join(lines)
