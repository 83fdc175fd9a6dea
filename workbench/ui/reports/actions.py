"""The Reports menu («گزارش‌ها»): tables 4 and 5, the ranking, and the printed summary.

Tables 4 and 5, the ranking and a round's summaries are written by the report
functions of :mod:`workbench.reports` on a worker thread (see
:mod:`workbench.ui.shared.task_runner`), each in its own session.  One assessment's
summary (preview, print, PDF) is painted here on the GUI thread from the
window's session: it is one short document, and the preview must be.

No output is left half-written, and a cancel leaves none at all: the Excel
reports already build beside their target and move it in at the end; a
round's summaries are written here into a hidden folder inside the chosen
one and moved in only when every file is there.

The report modules pull in openpyxl, matplotlib and the PDF machinery; they
are imported when a report is asked for, never at start-up.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from workbench.model.errors import UserError
from workbench.model.problems import os_problem, path_text
from workbench.model.schema import Agency, Round
from workbench.model.text import persian_digits
from workbench.ui.reports.dialogs import RankingDialog, Tables45Dialog
from workbench.ui.shared import file_dialogs
from workbench.ui.shared.task_runner import Finished, ReportRun, running, start_report

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

FOLDER_KEY = "reports/folder"
NO_DATABASE = "نخست پایگاه داده‌ای را باز کنید."
NO_ROUND = "این پایگاه داده هنوز دورهٔ ارزیابی ندارد."
NO_ASSESSMENT = "نخست دستگاهی را از فهرست برگزینید تا ارزیابی آن باز شود."
BUSY = "گزارش دیگری در حال تهیه است؛ پس از پایان یا لغو آن دوباره بخواهید."


class ReportActions(QObject):
    """Builds the Reports menu on ``window`` and runs what it asks for."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog = None  # the report dialog or print preview open now (tests reach it here)
        self.last_run: ReportRun | None = None
        self.last_error: QMessageBox | None = None  # the message of a print or PDF that failed
        menu = window.reports_menu
        menu.setToolTipsVisible(True)

        self.tables45_action = self._action("جدول‌های ۴ و ۵ (Excel)… (&T)", self.tables45)
        self.ranking_action = self._action("رتبه‌بندی و نمودارها… (&R)", self.ranking)
        self.na_action = self._action("عدم مصداق‌های دوره (Excel)… (&N)", self.na_report)
        for action in (self.tables45_action, self.ranking_action, self.na_action):
            window.add_menu_action("reports", action)
        menu.addSeparator()
        self.summary_menu = menu.addMenu("خلاصهٔ ارزیابی (&S)")
        self.summary_menu.setToolTipsVisible(True)
        self.preview_action = self._action("پیش‌نمایش چاپ… (&V)", self.preview, QKeySequence("Ctrl+P"))
        self.print_action = self._action("چاپ… (&P)", self.print_summary)
        self.pdf_action = self._action("ذخیره به PDF… (&D)", self.save_pdf)
        self.all_summaries_action = self._action("خلاصهٔ همهٔ دستگاه‌ها… (&A)", self.all_summaries)
        for action in (self.preview_action, self.print_action, self.pdf_action):
            self.summary_menu.addAction(action)
        self.summary_menu.addSeparator()
        self.summary_menu.addAction(self.all_summaries_action)

    def _action(self, text: str, slot, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ------------------------------------------------------------------ state
    def update_enabled(self) -> None:
        """Enable what can run now; a disabled entry's tooltip says why."""
        w = self.window
        round_why = NO_DATABASE if w.store is None else (NO_ROUND if not w.round_uuid else "")
        busy = bool(running())
        for action, tip in (
            (self.tables45_action, "جدول‌های ۴ و ۵ یک دستگاه یا همهٔ دوره با رأی ارزیاب، در یک فایل Excel"),
            (self.ranking_action, "رتبه‌بندی دستگاه‌ها در ranking.xlsx و نمودارهای PNG و SVG"),
            (self.na_action, "همهٔ عدم مصداق‌های دوره با دلیل، قاعدهٔ راهنما و آنچه خلاف قاعده است"),
            (self.all_summaries_action, "یک PDF خلاصهٔ ارزیابی برای هر دستگاه دوره، در یک پوشه"),
        ):
            why = round_why or (BUSY if busy else "")
            action.setEnabled(not why)
            action.setToolTip(why or tip)
        open_why = round_why or ("" if w.current_controller() is not None else NO_ASSESSMENT)
        for action, tip in (
            (self.preview_action, "پیش‌نمایش چاپ خلاصهٔ ارزیابی باز"),
            (self.print_action, "چاپ خلاصهٔ ارزیابی باز"),
            (self.pdf_action, "ذخیرهٔ خلاصهٔ ارزیابی باز در یک فایل PDF"),
        ):
            action.setEnabled(not open_why)
            action.setToolTip(open_why or tip)

    def _folder(self) -> Path:
        value = self.window.settings.value(FOLDER_KEY, "")
        folder = Path(str(value)) if value else Path.home()
        return folder if folder.is_dir() else Path.home()

    def _remember(self, folder: Path) -> None:
        self.window.settings.setValue(FOLDER_KEY, str(folder))

    def _round(self) -> Round:
        return self.window.workspace.round()

    def _ready(self) -> bool:
        """A database with a round, and no other report running (else say why)."""
        w = self.window
        why = NO_DATABASE if w.store is None else (NO_ROUND if not w.round_uuid else (BUSY if running() else ""))
        if why:
            w.warn(why)
            return False
        w._commit_focused_field()  # the report reads the database: the field being typed belongs in it
        return True

    def _start(self, title: str, work) -> ReportRun:
        if self.last_run is not None and not self.last_run.is_running():
            self.last_run.deleteLater()  # its thread has ended; only the newest run is kept
        run = start_report(self.window, self.window.store, title, work)
        run.ended.connect(lambda _outcome: self.update_enabled())
        self.last_run = run
        self.update_enabled()
        return run

    # ------------------------------------------------------------------ tables 4 and 5
    def tables45(self) -> Tables45Dialog | None:
        if not self._ready():
            return None
        w = self.window
        selected = w.selected_agency()
        agency = w.workspace.agency(selected)
        dialog = Tables45Dialog(self._folder(), self._round().year,
                                (agency.uuid, agency.code, agency.name) if agency else None, w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._run_tables45(dialog.agency_uuid(), dialog.out_path()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _run_tables45(self, agency_uuid: str | None, out: Path) -> ReportRun:
        self._remember(out.parent)
        round_uuid = self.window.round_uuid

        def work(session, progress, cancelled) -> Finished:
            from workbench.reports.tables45 import export_tables45_counted

            rnd = session.get(Round, round_uuid)
            agency = session.get(Agency, agency_uuid) if agency_uuid else None
            result = export_tables45_counted(session, rnd, out, agency, progress, cancelled)
            return Finished(
                f"جدول‌های ۴ و ۵ در «{path_text(result.path)}» نوشته شد: {persian_digits(result.table4_rows)} ردیف "
                f"جدول ۴ و {persian_digits(result.table5_rows)} ردیف جدول ۵.",
                result.path.parent,
            )

        return self._start("جدول‌های ۴ و ۵ (Excel)", work)

    # ------------------------------------------------------------------ ranking
    def ranking(self) -> RankingDialog | None:
        if not self._ready():
            return None
        dialog = RankingDialog(self._folder(), self._round().year, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._run_ranking(dialog.group(), dialog.out_dir(), dialog.svg()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _run_ranking(self, group: str | None, out_dir: Path, svg: bool = False) -> ReportRun:
        self._remember(out_dir.parent)
        round_uuid = self.window.round_uuid

        def work(session, progress, cancelled) -> Finished:
            from workbench.reports.ranking import export_ranking

            made_here = not out_dir.exists()
            try:
                result = export_ranking(session, session.get(Round, round_uuid), out_dir, group, progress, cancelled,
                                        svg=svg)
            except BaseException:
                # The report leaves nothing of its own behind; the folder it made for it goes too.
                if made_here and out_dir.is_dir() and not any(out_dir.iterdir()):
                    out_dir.rmdir()
                raise
            fa = persian_digits
            pending = (f"؛ {fa(result.pending_count)} ارزیابی نهایی‌نشده جدا فهرست شد"
                       if result.pending_count else "")
            return Finished(
                f"رتبه‌بندی {fa(result.ranked_count)} ارزیابی نهایی در {fa(len(result.groups))} گروه "
                f"و {fa(len(result.charts) // 2)} نمودار (PNG و SVG) در «{path_text(out_dir)}» نوشته شد{pending}.",
                out_dir,
            )

        return self._start("رتبه‌بندی و نمودارها", work)

    # ------------------------------------------------------------------ one summary
    def _open_assessment(self):
        controller = self.window.current_controller()
        if controller is None:
            self.window.warn(NO_ASSESSMENT)
            return None
        self.window._commit_focused_field()  # what is previewed is what was typed
        return controller.assessment()

    def preview(self):
        assessment = self._open_assessment()
        if assessment is None:
            return None
        from workbench.ui.reports.summary_print import preview_dialog

        try:
            dialog = preview_dialog(self.window, self.window.session, assessment)
        except UserError as exc:
            self.window.warn(exc.message)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = dialog
        dialog.open()
        return dialog

    def print_summary(self) -> bool:
        assessment = self._open_assessment()
        if assessment is None:
            return False
        from workbench.ui.reports.summary_print import print_summary

        return self._guarded("چاپ نشد", lambda: print_summary(self.window, self.window.session, assessment))

    def save_pdf(self) -> Path | None:
        assessment = self._open_assessment()
        if assessment is None:
            return None
        from workbench.ui.reports.summary_print import export_summary_pdf

        path = self._guarded("PDF نوشته نشد",
                             lambda: export_summary_pdf(self.window, self.window.session, assessment))
        if path:
            self.window.statusBar().showMessage(f"خلاصهٔ ارزیابی در «{path_text(path)}» ذخیره شد.", 10000)
        return path or None

    def _guarded(self, title: str, call):
        """Run ``call``; a Persian message for anything it did not expect (with the details)."""
        try:
            return call()
        except UserError as exc:
            self.window.warn(exc.message)
        except Exception as exc:  # noqa: BLE001 - said to the user, never swallowed silently
            from workbench.model.problems import describe
            from workbench.ui.shared.errors import log, log_path

            # In Persian; the exception's text and traceback go to the log, not on screen.
            log.exception("%s", title)
            box = QMessageBox(QMessageBox.Icon.Critical, title,
                              f"{describe(exc)}\n\nجزئیات برای پشتیبانی: {path_text(log_path())}",
                              parent=self.window)
            box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.last_error = box
            box.open()
        return None

    # ------------------------------------------------------------------ not applicable
    def na_report(self) -> ReportRun | None:
        if not self._ready():
            return None

        suggested = self._folder() / f"عدم-مصداق-{self._round().year}.xlsx"
        path, _ = file_dialogs.getSaveFileName(
            self.window, "عدم مصداق‌های دوره", str(suggested), "Excel (*.xlsx)", purpose="reports"
        )
        if not path:
            return None
        out = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")
        return self._run_na(out)

    def _run_na(self, out: Path) -> ReportRun:
        self._remember(out.parent)
        round_uuid = self.window.round_uuid

        def work(session, progress, cancelled) -> Finished:
            from workbench.reports.na_report import export_na

            result = export_na(session, session.get(Round, round_uuid), out)
            return Finished(
                f"{persian_digits(result.rows)} عدم مصداق ({persian_digits(result.violations)} خلاف قاعده) و "
                f"{persian_digits(result.disagreements)} ناهمخوانی داوری با شناسنامه "
                f"در «{path_text(result.path)}» نوشته شد.",
                result.path.parent,
            )

        return self._start("عدم مصداق‌های دوره", work)

    # ------------------------------------------------------------------ a round's summaries
    def all_summaries(self) -> ReportRun | None:
        if not self._ready():
            return None

        folder = file_dialogs.getExistingDirectory(
            self.window, "پوشهٔ خلاصه‌های ارزیابی همهٔ دستگاه‌ها", str(self._folder()), purpose="reports"
        )
        if not folder:
            return None
        return self._run_all_summaries(Path(folder))

    def _run_all_summaries(self, out_dir: Path) -> ReportRun:
        from workbench.reports.summary import font_family

        self._remember(out_dir)
        font_family()  # the bundled fonts are registered here, on the GUI thread; the worker only uses them
        round_uuid = self.window.round_uuid

        def work(session, progress, cancelled) -> Finished:
            written = write_round_summaries(session, session.get(Round, round_uuid), out_dir, progress, cancelled)
            return Finished(f"{persian_digits(len(written))} خلاصهٔ ارزیابی (PDF) در «{path_text(out_dir)}» نوشته شد.", out_dir)

        return self._start("خلاصهٔ ارزیابی همهٔ دستگاه‌ها", work)


def write_round_summaries(session, rnd: Round, out_dir: Path, progress, cancelled) -> list[Path]:
    """Every summary of the round into ``out_dir``, all or nothing.

    ``summary.write_all`` keeps the files written before a cancel; here they
    are written into a hidden folder inside ``out_dir`` and moved in only
    when all are there, so a cancel or a failure leaves ``out_dir`` as it was.
    """
    from workbench.reports.progress import ReportCancelled
    from workbench.reports.summary import write_all
    from workbench.reports.summary_batch import default_workers
    from workbench.reports.summary_source import count_round

    out_dir = Path(out_dir)
    if rnd is None:
        raise UserError("دورهٔ ارزیابی در پایگاه داده پیدا نشد")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".summaries-", dir=out_dir))
    except OSError as exc:
        raise UserError(f"در پوشهٔ «{path_text(out_dir)}» نمی‌توان نوشت: {os_problem(exc)}") from exc
    # Worker processes are started with "spawn", which a frozen (PyInstaller) program
    # would answer by opening another window: there, one process writes them all.
    workers = 1 if getattr(sys, "frozen", False) else default_workers(count_round(session, rnd))
    try:
        written = write_all(session, rnd, work, progress=progress, cancelled=cancelled, workers=workers)
        if cancelled():
            raise ReportCancelled()
        moved = []
        for path in written:
            target = out_dir / path.name
            os.replace(path, target)
            moved.append(target)
        return moved
    except OSError as exc:
        raise UserError(f"خلاصه‌ها در «{path_text(out_dir)}» نوشته نشد: {os_problem(exc)}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
