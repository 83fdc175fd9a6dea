"""The main window (پنجرهٔ اصلی): agencies on the right, the open assessment beside them.

One database is open at a time, in one long-lived session shared by every
open assessment.  Undo: one ``QUndoStack`` per assessment, kept for as long as
the database is open and gathered in a ``QUndoGroup`` whose active stack is
the assessment on screen, so Ctrl+Z never silently changes an agency the
evaluator is not looking at, and coming back to an agency keeps its history.

Other modules add their own entries: :meth:`add_menu_action` (``"file"``,
``"edit"``, ``"assessment"``, ``"reports"``, ``"view"``) and the signals
:attr:`database_opened` / :attr:`assessment_opened`; after an import call
:meth:`refresh_agencies`.

The File menu's import and template entries live in
:mod:`workbench.ui.importing.actions`, the Reports menu in
:mod:`workbench.ui.reports.actions`; both read :meth:`selected_agency` and
:meth:`current_controller`, and are enabled in :meth:`_update_actions`.
"""
from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from workbench.model.errors import UserError
from workbench.model.finishing import IncompleteError
from workbench.model.text import persian_digits
from workbench.paths import user_data_dir
from workbench.problems import path_text
from workbench.ui.agencies.pane import AgenciesPane, start_scoring
from workbench.ui.assessment.controller import AssessmentController
from workbench.ui.assessment.gaps_dialog import GapsDialog
from workbench.ui.importing.actions import ImportActions
from workbench.ui.reports.actions import ReportActions
from workbench.ui.shared.background import stop_all as stop_background_work
from workbench.workspace.opening import Workspace, open_workspace

if TYPE_CHECKING:
    from workbench.ui.assessment.view import AssessmentView

APP_TITLE = "میز کار ارزیاب"
MAX_RECENT = 8
#: The agencies pane's starting width; the assessment beside it needs the most room.
AGENCIES_WIDTH = 350
DB_FILTER = "پایگاه دادهٔ میز کار (*.sqlite *.db);;همهٔ فایل‌ها (*)"


def app_settings() -> QSettings:
    """Settings beside the user's database, so a test's or portable install's stay apart."""
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    database_opened = Signal(object)  # the Store
    assessment_opened = Signal(object)  # the AssessmentController

    def __init__(self, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.settings = settings or app_settings()
        self.workspace: Workspace | None = None
        self.view: AssessmentView | None = None
        self.gaps_dialog: GapsDialog | None = None
        self._controllers: dict[str, AssessmentController] = {}
        self._generation = 0
        self._scorer = None
        self.undo_group = QUndoGroup(self)

        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 800)
        self.agencies = AgenciesPane(self)
        self.placeholder = QLabel("برای دیدن ارزیابی، دستگاهی را از فهرست برگزینید.", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.agencies)  # first = right-hand side, where RTL reading starts
        self.splitter.addWidget(self.placeholder)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([AGENCIES_WIDTH, 1280 - AGENCIES_WIDTH])
        self.setCentralWidget(self.splitter)
        self.path_label = QLabel(self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.path_label)

        self._build_menus()
        self.import_actions = ImportActions(self)
        self.report_actions = ReportActions(self)
        self.agencies.agency_chosen.connect(self.open_agency)
        # Import and reports act on the selected agency, which may not be open yet.
        self.agencies.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self._restore_geometry()
        self._update_actions()

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("پرونده (&F)")
        self.edit_menu = bar.addMenu("ویرایش (&E)")
        self.view_menu = bar.addMenu("نما (&V)")
        self.assessment_menu = bar.addMenu("ارزیابی (&A)")
        self.reports_menu = bar.addMenu("گزارش‌ها (&R)")
        self.reports_menu.menuAction().setVisible(False)  # shown once a report adds itself
        self._menus = {
            "file": self.file_menu,
            "edit": self.edit_menu,
            "view": self.view_menu,
            "assessment": self.assessment_menu,
            "reports": self.reports_menu,
        }

        self.new_action = self._action(self.file_menu, "پایگاه دادهٔ تازه… (&N)", QKeySequence.StandardKey.New,
                                       self.new_database_dialog)
        self.open_action = self._action(self.file_menu, "باز کردن پایگاه داده… (&O)", QKeySequence.StandardKey.Open,
                                        self.open_database_dialog)
        self.recent_menu = self.file_menu.addMenu("پایگاه‌های دادهٔ اخیر (&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._file_extras_anchor = self.file_menu.addSeparator()  # imports and exports go above it
        self.quit_action = self._action(self.file_menu, "خروج (&Q)", QKeySequence("Ctrl+Q"), self.close)

        self.undo_action = self.undo_group.createUndoAction(self, "واگرد")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "ازنو")
        # Ctrl+Y too: what Windows and Office users reach for.
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)

        self.pane_action = self._action(self.view_menu, "نمایش فهرست دستگاه‌ها (&A)", QKeySequence("Ctrl+L"),
                                        self._toggle_agencies)
        self.pane_action.setCheckable(True)
        self.pane_action.setChecked(True)
        self.find_action = self._action(self.view_menu, "جست‌وجوی دستگاه (&S)", QKeySequence.StandardKey.Find,
                                        self._focus_search)
        self.agencies_focus_action = self._action(self.view_menu, "رفتن به فهرست دستگاه‌ها (&L)",
                                                  QKeySequence("Ctrl+1"), self._focus_agencies)
        self.tree_focus_action = self._action(self.view_menu, "درخت شاخص‌ها (&T)", QKeySequence("Ctrl+2"),
                                              lambda: self.view and self.view.tree.setFocus())
        self.page_focus_action = self._action(self.view_menu, "صفحهٔ نماگر (&P)", QKeySequence("Ctrl+3"),
                                              lambda: self.view and self.view.measure_page.setFocus())
        self.view_menu.addSeparator()
        self.next_action = self._action(self.view_menu, "نماگر بعدی (&N)", QKeySequence("Ctrl+PgDown"),
                                        lambda: self.view and self.view.next_measure())
        self.previous_action = self._action(self.view_menu, "نماگر قبلی (&B)", QKeySequence("Ctrl+PgUp"),
                                            lambda: self.view and self.view.previous_measure())

        self.gaps_action = self._action(self.assessment_menu, "موارد ناقص… (&G)", QKeySequence("Ctrl+G"),
                                        self.show_gaps)
        self.complete_action = self._action(self.assessment_menu, "علامت‌گذاری به‌عنوان تکمیل‌شده (&C)",
                                            QKeySequence("Ctrl+Shift+C"), self.mark_complete)
        self.finalize_action = self._action(self.assessment_menu, "نهایی کردن… (&F)", QKeySequence("Ctrl+Shift+F"),
                                            self.finalize)
        self.reopen_action = self._action(self.assessment_menu, "بازگشایی ارزیابی نهایی… (&O)",
                                          QKeySequence("Ctrl+Shift+O"), self.reopen)

    def _action(self, menu, text, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _focus_agencies(self) -> None:
        if not self.agencies.isVisible():
            self._toggle_agencies()
        self.agencies.table.setFocus()

    def _focus_search(self) -> None:
        if not self.agencies.isVisible():
            self._toggle_agencies()
        self.agencies.focus_search()

    def _toggle_agencies(self) -> None:
        """Hide the list to give a long assessment session the whole width; show it again."""
        visible = not self.agencies.isVisible()
        self.agencies.setVisible(visible)
        self.pane_action.setChecked(visible)
        if visible:
            self.agencies.table.setFocus()

    def add_menu_action(self, menu_name: str, action: QAction) -> None:
        """Add another module's action to a menu (file entries go above "quit")."""
        menu = self._menus[menu_name]
        if menu is self.file_menu:
            menu.insertAction(self._file_extras_anchor, action)
        else:
            menu.addAction(action)
        menu.menuAction().setVisible(True)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_paths()
        if not paths:
            empty = self.recent_menu.addAction("(خالی)")
            empty.setEnabled(False)
        for i, path in enumerate(paths, 1):
            # The path isolated left to right: in a right-to-left menu its slashes and a Persian
            # file name were reordered («sqlite.ب/tmp/…/ 2»).
            shown = path_text(path)
            action = self.recent_menu.addAction(f"&{i} {shown}" if i < 10 else shown)
            action.triggered.connect(lambda _c=False, p=path: self.open_database_interactive(Path(p), create=False))

    def recent_paths(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or []]

    def _remember(self, path: Path) -> None:
        text = str(path.resolve())
        paths = [text] + [p for p in self.recent_paths() if p != text]
        self.settings.setValue("recent", paths[:MAX_RECENT])
        self.settings.sync()

    def _update_actions(self) -> None:
        has_db = self.store is not None
        controller = self.current_controller()
        status = controller.assessment().status if controller is not None else ""
        # A final assessment has no undo: undoing is editing, which it refuses.
        wanted = controller.undo_stack if controller is not None and status != "final" else None
        if self.undo_group.activeStack() is not wanted:
            self.undo_group.setActiveStack(wanted)
        for action in (self.gaps_action, self.complete_action):
            action.setEnabled(controller is not None and status != "final")
        self.finalize_action.setEnabled(status == "complete")
        self.reopen_action.setEnabled(status == "final")
        for action in (self.tree_focus_action, self.page_focus_action, self.next_action, self.previous_action):
            action.setEnabled(controller is not None)
        self.find_action.setEnabled(has_db)
        if hasattr(self, "report_actions"):  # not yet while the menus are being built
            self.import_actions.update_enabled()
            self.report_actions.update_enabled()

    def selected_agency(self) -> str:
        """The uuid of the agency selected in the list, else of the one on screen; "" if none."""
        uuid = self.agencies.current_agency()
        if not uuid and self.view is not None:
            uuid = self.view.controller.assessment().agency_uuid
        return uuid or ""

    # ------------------------------------------------------------------ databases
    # The open database, as the window's other modules and the tests read it.
    @property
    def store(self):
        return self.workspace.store if self.workspace is not None else None

    @property
    def session(self):
        return self.workspace.session if self.workspace is not None else None

    @property
    def round_uuid(self) -> str:
        return self.workspace.round_uuid if self.workspace is not None else ""

    def open_database(self, path: Path, create: bool = False) -> None:
        """Open ``path`` (a new file gets a round of the default framework); UserError if it cannot."""
        path = Path(path)
        workspace = open_workspace(path, create=create, actor=_actor())
        self.close_database()
        self.workspace = workspace
        self._generation += 1
        self.agencies.set_rows(workspace.first_rows)
        self._show_placeholder()
        year = workspace.round_year
        round_text = f" — دورهٔ {persian_digits(year)}" if year is not None else " — بدون دوره"
        self.setWindowTitle(f"{APP_TITLE} — {path.name}{round_text}")
        self.path_label.setText(path_text(path))
        self._remember(path)
        backup = workspace.store.backup_path
        if backup is not None:
            self.statusBar().showMessage(f"پیش از به‌روزرسانی، نسخهٔ پشتیبان گرفته شد: {path_text(backup)}", 15000)
        if workspace.round_uuid:
            self._start_scoring()
        else:
            self.statusBar().showMessage("این پایگاه داده هنوز دوره‌ای ندارد.")
        self._update_actions()
        self.database_opened.emit(workspace.store)

    def open_database_interactive(self, path: Path, create: bool = False) -> bool:
        """Open ``path``; on failure say why in Persian and offer another file.  False if the user gives up."""
        while True:
            try:
                self.open_database(path, create=create)
                return True
            except UserError as exc:
                message = exc.message
            choice = self.ask_after_open_error(message)
            if choice is None:
                return False
            path, create = choice

    def ask_after_open_error(self, message: str) -> tuple[Path, bool] | None:
        """The user's way out of a database that cannot be opened: another file, a new one, or none."""
        box = QMessageBox(QMessageBox.Icon.Warning, "پایگاه داده باز نشد", message, parent=self)
        other = box.addButton("باز کردن فایل دیگر…", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("ساختن پایگاه دادهٔ تازه…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("انصراف", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is other:
            chosen = self.ask_open_path()
            return (Path(chosen), False) if chosen else None
        if box.clickedButton() is new:
            chosen = self.ask_new_path()
            return (Path(chosen), True) if chosen else None
        return None

    def ask_open_path(self) -> str:
        return QFileDialog.getOpenFileName(self, "باز کردن پایگاه داده", str(user_data_dir()), DB_FILTER)[0]

    def ask_new_path(self) -> str:
        return QFileDialog.getSaveFileName(self, "پایگاه دادهٔ تازه", str(user_data_dir() / "ارزیابی.sqlite"),
                                           DB_FILTER)[0]

    def open_database_dialog(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_database_interactive(Path(path), create=False)

    def new_database_dialog(self) -> None:
        path = self.ask_new_path()
        if not path:
            return
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".sqlite")
        if path.exists() and path.stat().st_size > 0:
            # Never overwrite: a new database must not cost anyone their old one.
            self.warn(f"فایل «{path_text(path)}» از پیش وجود دارد و پاک نمی‌شود؛ نام دیگری برگزینید یا آن را باز کنید.")
            return
        self.open_database_interactive(path, create=True)

    def close_database(self) -> None:
        # Background work (scoring, reports, an import, files being stored) uses this database in
        # sessions of its own: readers are cancelled, writers finish or roll back, all are waited for.
        stop_background_work()
        self._commit_focused_field()
        if self.gaps_dialog is not None:
            self.gaps_dialog.close()
            self.gaps_dialog = None
        self._show_placeholder()
        for controller in self._controllers.values():
            self.undo_group.removeStack(controller.undo_stack)
            controller.undo_stack.deleteLater()
            controller.deleteLater()
        self._controllers.clear()
        self.agencies.forget_opened()
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = None
        self._generation += 1  # late scores of the closed database are ignored
        self.agencies.scoring_stopped()
        self._update_actions()

    def refresh_agencies(self) -> None:
        """Re-read the agency list (after an import) and rescore the round."""
        if self.workspace is None:
            return
        self.agencies.set_rows(self.workspace.agency_rows())
        if self.round_uuid:
            self._generation += 1
            self._start_scoring()

    def reload_agency(self, agency_uuid: str) -> bool:
        """After an import into ``agency_uuid``: re-read everything shown, and forget that
        assessment's undo history (its steps were taken on the rows the import replaced).

        True when an undo history was cleared.
        """
        if self.workspace is None:
            return False
        self.workspace.expire()
        cleared = False
        for controller in self._controllers.values():
            assessment = controller.assessment()
            if assessment is None or assessment.agency_uuid != agency_uuid:
                continue
            cleared = cleared or controller.undo_stack.count() > 0
            controller.undo_stack.clear()
            controller.reload()
        on_screen = self.current_controller()
        if on_screen is not None and on_screen.assessment().agency_uuid == agency_uuid:
            # A new view: the services table and tables 4 and 5 are read afresh (their
            # refresh after an edit re-reads judgements and verdicts only, not the plan).
            measure = self.view.current_measure()
            self.open_agency(agency_uuid)
            if measure:
                self.view.select_measure(measure)
        self.refresh_agencies()
        self._update_actions()
        return cleared

    def _start_scoring(self) -> None:
        """Score the round off the GUI thread; the agency list shows how far it has got."""
        self.agencies.scoring_started()
        self._scorer = start_scoring(self.store, self.round_uuid, self._generation, self._scores_ready,
                                     self._scores_failed, self._scores_progress, owner=self)

    def _scores_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.agencies.scoring_progress(done, total)

    def _scores_ready(self, generation: int, scores: dict) -> None:
        if generation != self._generation:
            return
        self.agencies.set_scores(scores)
        controller = self.current_controller()
        if controller is not None:  # an edit made while scoring ran is newer than the worker's answer
            self._sync_agency_row(controller)
        self.statusBar().showMessage("امتیاز دستگاه‌ها به‌روز شد.", 3000)

    def _scores_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.agencies.scoring_stopped()
            self.statusBar().showMessage(f"امتیاز دستگاه‌ها محاسبه نشد: {message}")

    def recover_after_error(self) -> None:
        """After an unexpected error (see :mod:`workbench.ui.shared.errors`): the session usable again."""
        if self.workspace is not None:
            self.workspace.rollback()

    # ------------------------------------------------------------------ assessments
    def current_controller(self) -> AssessmentController | None:
        return self.view.controller if self.view is not None else None

    def open_agency(self, agency_uuid: str) -> AssessmentController | None:
        """Show the agency's assessment of the round, creating a draft when it has none."""
        if self.workspace is None or not self.round_uuid:
            return None
        self._commit_focused_field()
        assessment_uuid = self.workspace.assessment_of(agency_uuid)
        controller = self._controllers.get(assessment_uuid)
        if controller is None:
            stack = QUndoStack(self.undo_group)
            controller = AssessmentController(self.session, assessment_uuid, stack, self)
            controller.changed.connect(lambda _changes, c=controller: self._controller_changed(c))
            # Pages show a refusal beside the field; the status bar repeats it for edits made elsewhere.
            controller.refused.connect(lambda message: self.statusBar().showMessage(message, 10000))
            self._controllers[assessment_uuid] = controller
        # Imported here, not at the top: the first screen (the agency list) does not need the
        # measure page and its tables, and start-up is faster without them.
        from workbench.ui.assessment.view import AssessmentView

        view = AssessmentView(controller, self)
        view.gaps_changed.connect(self._gaps_changed)
        self._set_view(view)
        self.agencies.select_agency(agency_uuid, open_it=False)
        self._sync_agency_row(controller)
        self._update_actions()
        if self.gaps_dialog is not None:
            self.gaps_dialog.set_gaps(view.gaps())
        self.assessment_opened.emit(controller)
        return controller

    def _set_view(self, view: QWidget) -> None:
        old = self.splitter.widget(1)
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, view)
        self.splitter.setSizes(sizes)
        if old is not None and old is not self.placeholder:
            old.deleteLater()
        self.view = None if view is self.placeholder else view

    def _show_placeholder(self) -> None:
        if self.splitter.widget(1) is not self.placeholder:
            self._set_view(self.placeholder)
        self.view = None

    def _controller_changed(self, controller: AssessmentController) -> None:
        self._sync_agency_row(controller)
        self._update_actions()

    def _sync_agency_row(self, controller: AssessmentController) -> None:
        assessment = controller.assessment()
        self.agencies.update_agency(assessment.agency_uuid, assessment.status, controller.card().percent)

    def _gaps_changed(self, gaps: list) -> None:
        if self.gaps_dialog is not None:
            self.gaps_dialog.set_gaps(gaps)

    def _commit_focused_field(self) -> None:
        """Leaving a field commits it (editingFinished); do so before the widget goes away."""
        widget = QApplication.focusWidget()
        if widget is not None and self.isAncestorOf(widget):
            widget.clearFocus()

    # ------------------------------------------------------------------ finishing
    def show_gaps(self) -> GapsDialog | None:
        if self.view is None:
            return None
        if self.gaps_dialog is None:
            self.gaps_dialog = GapsDialog(self.view.gaps(), self)
            self.gaps_dialog.jump_requested.connect(self.jump_to)
        else:
            self.gaps_dialog.set_gaps(self.view.gaps())
        self.gaps_dialog.show()
        self.gaps_dialog.raise_()
        return self.gaps_dialog

    def jump_to(self, key: str) -> None:
        if self.view is not None:
            self.view.select_measure(key)
            self.view.tree.setFocus()

    def mark_complete(self) -> bool:
        return self._finish(lambda c: c.mark_complete(), "ارزیابی «تکمیل‌شده» علامت خورد.")

    def finalize(self) -> bool:
        if self.view is None or not self.ask_yes_no(
            "نهایی کردن ارزیابی",
            "پس از نهایی شدن، این ارزیابی دیگر ویرایش‌پذیر نیست مگر آن را بازگشایی کنید. ادامه می‌دهید؟",
        ):
            return False
        return self._finish(lambda c: c.finalize(), "ارزیابی نهایی شد.")

    def reopen(self) -> bool:
        if self.view is None:
            return False
        reason = self.ask_text("بازگشایی ارزیابی", "دلیل بازگشایی این ارزیابی نهایی‌شده (در سابقهٔ تغییرات ثبت می‌شود):")
        if reason is None:
            return False
        return self._finish(lambda c: c.reopen(reason), "ارزیابی بازگشایی شد و دوباره پیش‌نویس است.")

    def _finish(self, step, done_message: str) -> bool:
        if self.view is None:
            return False
        self._commit_focused_field()
        controller = self.view.controller
        try:
            step(controller)
        except IncompleteError as exc:
            self.show_gaps()
            self.gaps_dialog.set_gaps(exc.gaps)
            self.statusBar().showMessage(exc.message, 8000)
            return False
        except UserError as exc:
            self.warn(exc.message)
            return False
        self.statusBar().showMessage(done_message, 8000)
        return True

    # ------------------------------------------------------------------ asking the user
    def warn(self, message: str) -> None:
        """A warning that does not block (window-modal, opened, not exec'd)."""
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message, QMessageBox.StandardButton.Ok, self)
        box.button(QMessageBox.StandardButton.Ok).setText("باشه")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def ask_yes_no(self, title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self)
        yes = box.addButton("بله", QMessageBox.ButtonRole.YesRole)
        box.addButton("خیر", QMessageBox.ButtonRole.NoRole)
        box.exec()
        return box.clickedButton() is yes

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, title, label)
        return text if ok else None

    # ------------------------------------------------------------------ closing
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.settings.setValue("geometry", self.saveGeometry())
        self.close_database()
        self.settings.sync()
        super().closeEvent(event)


def _actor() -> str:
    """Who the audit trail names for this window's changes: the login name."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): leave it blank
        return ""
