"""File-menu entries for what agencies submit: import their workbook, hand out the blank template.

«ورود کارپوشهٔ دستگاه…» opens :class:`~workbench.ui.importing.dialog.ImportDialog`
for the agency selected in the agencies pane (disabled, with a tooltip saying
why, when none is).  The dialog checks and imports on its own worker thread
with its own session.  After an import the window re-reads: the agency list
and its scores, and the agency's assessment with its services and tables.

That assessment's undo history is cleared after an import: its steps were
taken against the rows the import has just replaced (a verdict on a table 4
row whose values the new file changed, a judgement on a service whose plan
changed), and replaying them would put the evaluator's old answer on the
agency's new data without the evaluator seeing it.  The status bar says so.

Importing into an agency whose assessment is final changes a final score, so
the user is asked first.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from workbench.model.editing import Edit
from workbench.model.errors import UserError
from workbench.model.problems import path_text
from workbench.model.schema import Agency
from workbench.model.terms import STATUS_LABELS
from workbench.model.text import persian_digits
from workbench.ui.shared import file_dialogs

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

FOLDER_KEY = "imports/folder"
TEMPLATE_FILTER = "کارپوشهٔ Excel (*.xlsx)"


class ImportActions(QObject):
    """The import and template entries of the File menu of ``window``."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog = None  # the import dialog open now (tests reach it here)
        window.file_menu.setToolTipsVisible(True)
        self.import_action = QAction("ورود کارپوشهٔ دستگاه… (&I)", window)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda _checked=False: self.import_workbook())
        self.template_action = QAction("ذخیرهٔ قالب خالی… (&T)", window)
        self.template_action.triggered.connect(lambda _checked=False: self.save_template())
        window.add_menu_action("file", self.import_action)
        window.add_menu_action("file", self.template_action)

    def _selected(self) -> Agency | None:
        uuid = self.window.selected_agency()
        return self.window.workspace.agency(uuid) if self.window.workspace is not None else None

    def update_enabled(self) -> None:
        w = self.window
        if w.store is None:
            why = "نخست پایگاه داده‌ای را باز کنید."
        elif w.store.read_only:
            why = "پایگاه داده فقط برای خواندن باز است (فایل، پوشه یا دیسک آن نوشتنی نیست)؛ کارپوشه وارد نمی‌شود."
        elif not w.round_uuid:
            why = "این پایگاه داده هنوز دورهٔ ارزیابی ندارد."
        elif not w.selected_agency():
            why = "نخست دستگاهی را در فهرست دستگاه‌ها برگزینید؛ کارپوشه برای همان دستگاه وارد می‌شود."
        else:
            why = ""
        self.import_action.setEnabled(not why)
        self.import_action.setToolTip(
            why or "خدمات، برنامهٔ عملیاتی و جدول‌های ۴ و ۵ دستگاه برگزیده را از کارپوشه‌ای که فرستاده وارد کنید"
        )
        self.template_action.setToolTip(
            "قالب خالی کارپوشه برای دستگاه برگزیده (با کد آن)؛ بی دستگاه برگزیده، قالبی عمومی"
        )

    def _folder(self) -> str:
        value = self.window.settings.value(FOLDER_KEY, "")
        return str(value) if value and Path(str(value)).is_dir() else str(Path.home())

    # ------------------------------------------------------------------ import
    def import_workbook(self):
        """Open the import dialog for the selected agency (window-modal, not blocking)."""
        from workbench.ui.importing.dialog import ImportDialog

        w = self.window
        agency = self._selected() if w.round_uuid else None
        if agency is None:
            w.warn("نخست دستگاهی را در فهرست دستگاه‌ها برگزینید؛ کارپوشه برای همان دستگاه وارد می‌شود.")
            return None
        if w.workspace.status_of(agency.uuid) == "final" and not w.ask_yes_no(
            "ورود کارپوشه برای ارزیابی نهایی",
            f"ارزیابی «{agency.name}» نهایی شده است. ورود کارپوشه فهرست خدمات و جدول‌های ۴ و ۵ آن را "
            "جایگزین می‌کند و امتیاز این ارزیابی نهایی را تغییر می‌دهد. ادامه می‌دهید؟",
        ):
            return None
        w._commit_focused_field()
        dialog = ImportDialog(w.store, w.round_uuid, agency.uuid, w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        agency_uuid = agency.uuid
        dialog.imported.connect(lambda summary: self._imported(agency_uuid, summary))
        dialog.destroyed.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, *_args) -> None:
        self.dialog = None

    def _imported(self, agency_uuid: str, summary: dict) -> None:
        undo = summary.get("undo")
        self.window.reload_agency(agency_uuid)
        fa = persian_digits
        text = (f"کارپوشه وارد شد: {fa(summary.get('services', 0))} خدمت، {fa(summary.get('table4', 0))} ردیف "
                f"جدول ۴ و {fa(summary.get('table5', 0))} ردیف جدول ۵.")
        if summary.get("status_before") == "complete" and summary.get("status_after") == "draft":
            text += f" ارزیابی به «{STATUS_LABELS['draft']}» برگشت تا آنچه رسیده بازبینی شود."
        controller = self.window.controller_of(undo["assessment_uuid"]) if undo else None
        if controller is not None and summary.get("status_after") != "final":
            # One step: its undo puts back the rows, the verdicts and the status the import replaced
            # (the steps before it were taken on those rows: the history starts again here).
            controller.record_applied(
                [Edit("submission", undo["assessment_uuid"], agency_uuid, {"snapshot": undo["after"]})],
                [Edit("submission", undo["assessment_uuid"], agency_uuid, {"snapshot": undo["before"]})],
                "ورود کارپوشه")
            text += " با «واگرد» همه‌چیز به پیش از ورود برمی‌گردد."
        self.window.statusBar().showMessage(text, 15000)

    # ------------------------------------------------------------------ template
    def save_template(self) -> Path | None:
        """Write the blank workbook, made for the selected agency when one is selected."""
        from workbench.imports.template import agency_details, stored_rows, write_template

        w = self.window
        agency = self._selected()
        name = f"قالب-{agency.code}.xlsx" if agency is not None else "قالب-کارپوشه.xlsx"
        title = f"ذخیرهٔ قالب خالی برای «{agency.name}»" if agency is not None else "ذخیرهٔ قالب خالی"
        path, _ = file_dialogs.getSaveFileName(w, title, str(Path(self._folder()) / name), TEMPLATE_FILTER,
                                               purpose="template")
        if not path:
            return None
        out = Path(path)
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        try:
            details = agency_details(w.session, agency) if agency is not None else None
            # Made for an agency: filled with what it sent before (its services, tables 4 and 5).
            rows = stored_rows(w.session, w.round_uuid, agency.uuid) if agency is not None and w.round_uuid else None
            written = write_template(out, details, rows)
        except UserError as exc:
            w.warn(exc.message)
            return None
        w.settings.setValue(FOLDER_KEY, str(out.parent))
        whose = f" برای «{agency.name}»" if agency is not None else ""
        filled = sum(len(r) for r in rows.values()) if agency is not None and rows else 0
        what = f"قالب کارپوشه{whose}، با {persian_digits(filled)} ردیفی که از پیش ثبت شده" if filled \
            else f"قالب خالی کارپوشه{whose}"
        w.statusBar().showMessage(f"{what}، در «{path_text(written)}» ذخیره شد.", 10000)
        return Path(written)
