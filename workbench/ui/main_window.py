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

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QWidget,
)

from workbench.model.errors import UserError
from workbench.model.problems import database_kind, path_text
from workbench.model.schema import Assessment
from workbench.model.text import persian_digits
from workbench.paths import user_data_dir
from workbench.ui.agencies.pane import AgenciesPane, start_scoring
from workbench.ui.assessment.audit_view import AuditTrailActions
from workbench.ui.assessment.finishing import FinishingActions
from workbench.ui.assessment.gaps_dialog import GapsDialog
from workbench.ui.evaluator_name import EvaluatorNaming
from workbench.ui.importing.actions import ImportActions
from workbench.ui.importing.assignment import AssignmentActions
from workbench.ui.reports.actions import ReportActions
from workbench.ui.rounds.actions import RoundActions
from workbench.ui.shared.background import stop_all as stop_background_work
from workbench.ui.shared.safekeeping import Safekeeping
from workbench.ui.supervisor.actions import SupervisorActions
from workbench.ui.window_asking import APP_TITLE, AskingUser
from workbench.ui.window_files import FileOpening
from workbench.ui.window_menus import WindowMenus
from workbench.ui.window_place import WindowPlace
from workbench.workspace.opening import Workspace, open_workspace

if TYPE_CHECKING:
    from workbench.ui.assessment.controller import AssessmentController
    from workbench.ui.assessment.view import AssessmentView

#: The agencies pane's starting width; the assessment beside it needs the most room.
AGENCIES_WIDTH = 350


def app_settings() -> QSettings:
    """Settings beside the user's database, so a test's or portable install's stay apart."""
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class MainWindow(WindowMenus, WindowPlace, FileOpening, FinishingActions, EvaluatorNaming, AskingUser, QMainWindow):
    database_opened = Signal(object)  # the Store
    assessment_opened = Signal(object)  # the AssessmentController
    #: The quick check beside the window ended: (the store, what it found) — from the check's thread.
    file_checked = Signal(object, object)

    def __init__(self, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.settings = settings or app_settings()
        self.workspace: Workspace | None = None
        self.view: AssessmentView | None = None
        self.gaps_dialog: GapsDialog | None = None
        self._controllers: dict[str, AssessmentController] = {}
        #: agency → the uuid of its assessment being shown before its first edit stores it
        self._pending_uuids: dict[str, str] = {}
        self._generation = 0
        self._scorer = None
        self.undo_group = QUndoGroup(self)
        self.file_checked.connect(self._file_checked, Qt.ConnectionType.QueuedConnection)

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
        self._list_width = AGENCIES_WIDTH
        self.splitter.setSizes([640, 640])  # nothing shown beside the list yet: half the width
        self.setCentralWidget(self.splitter)
        self.path_label = QLabel(self)
        self.path_label.setTextFormat(Qt.TextFormat.PlainText)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.path_label)
        self.actor_label = QLabel(self)
        self.actor_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.actor_label)

        self._build_menus()
        self.import_actions = ImportActions(self)
        self.report_actions = ReportActions(self)
        self.supervisor_actions = SupervisorActions(self)
        self.safekeeping = Safekeeping(self)
        self.assignment_actions = AssignmentActions(self)
        self.audit_actions = AuditTrailActions(self)
        self.round_actions = RoundActions(self)
        self.agencies.agency_chosen.connect(self.open_agency)
        # Import and reports act on the selected agency, which may not be open yet.
        self.agencies.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.restore_layout()
        self._show_actor()
        self._update_actions()

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

    def open_database(self, path: Path | str, create: bool = False) -> None:
        """Open ``path``, a file or a server's URL (a new file gets a round of the default framework);
        UserError if it cannot."""
        # The file's quick check runs beside the window; writes wait for it (model/backends/sqlite_check.py).
        workspace = open_workspace(path, create=create, actor=self.actor_name(), check_later=True)
        try:  # what showing it reads first, read while the open one still is: a damaged page refuses it here
            self.supervisor_actions.read_ahead(workspace.session)
        except Exception as exc:
            workspace.close()
            if database_kind(exc) != "damaged":
                raise
            raise UserError(workspace.store.backend.damaged()) from exc
        self.close_database()
        self.workspace = workspace
        try:
            self._show_workspace(workspace)
        except Exception as exc:
            if database_kind(exc) != "damaged":
                raise
            # A damaged page read before the check ran (it runs beside the window): refused as the check refuses.
            raise UserError(self._close_damaged(workspace.store)) from exc

    def _show_workspace(self, workspace: Workspace) -> None:
        self._generation += 1
        self.agencies.set_rows(workspace.first_rows)
        self._show_placeholder()
        year = workspace.round_year
        round_text = f"دورهٔ {persian_digits(year)}" if year is not None else "بدون دوره"
        # Qt adds « — میز کار ارزیاب» (the application's display name) itself: named once.
        self.setWindowTitle(f"{workspace.short_name} — {round_text}")
        self.path_label.setText(path_text(workspace.display))
        self._remember(workspace.remembered)
        backup = workspace.store.backup_path
        if backup is not None:
            breaches = workspace.rule_breaches() if workspace.round_uuid else 0
            breached = (f"؛ {persian_digits(breaches)} عدم مصداق خلاف قاعدهٔ راهنماست (گزارش‌ها ◂ عدم مصداق‌های دوره)"
                        if breaches else "")
            self.statusBar().showMessage(
                f"پیش از به‌روزرسانی، نسخهٔ پشتیبان گرفته شد: {path_text(backup)}{breached}", 30000)
        if workspace.round_uuid:
            self.agencies.scoring_started()
        else:
            self.statusBar().showMessage("این پایگاه داده هنوز دوره‌ای ندارد.")
        self._update_actions()
        self.database_opened.emit(workspace.store)
        store = workspace.store
        store.when_checked(lambda problems: self.file_checked.emit(store, problems))
        # The round's scoring starts once the window is shown with the agencies listed (the event
        # loop's next turn), the file's quick check once the totals are in (_check_file): neither is
        # needed to read the list, and the totals are what the evaluator waits for.  A write before
        # then starts the check at once and waits for its verdict (model/backends/sqlite_check.py).
        QTimer.singleShot(0, self, lambda generation=self._generation: self._after_opening(store, generation))

    def _after_opening(self, store, generation: int) -> None:
        if store is not self.store:
            return  # closed (or another opened) meanwhile
        if not self.round_uuid:
            self._check_file()
        elif generation == self._generation:  # else rescored meanwhile: that scoring's end checks
            self._start_scoring()

    def _check_file(self) -> None:
        if self.store is not None:
            self.store.start_check()  # once; nothing when it ran (or was never deferred)

    def _file_checked(self, store, problems) -> None:
        """A damaged file (its quick check's verdict, after the list was shown): closed, and said so.
        Nothing was written to it: every write waited for the verdict and was refused."""
        if store is not self.store or not problems:
            return
        self.warn(self._close_damaged(store))

    def _close_damaged(self, store) -> str:
        """Close a damaged database, nothing of it left on screen; what to tell the user."""
        self.close_database()
        self.agencies.set_rows([])
        self.setWindowTitle(APP_TITLE)
        self.path_label.clear()
        return store.backend.damaged()

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
            self._forget_controller(controller)
        self._controllers.clear()
        self._pending_uuids.clear()
        self.agencies.forget_opened()
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = None
        self._generation += 1  # late scores of the closed database are ignored
        self.agencies.scoring_stopped()
        self._update_actions()

    def _forget_controller(self, controller: AssessmentController) -> None:
        self.undo_group.removeStack(controller.undo_stack)
        controller.undo_stack.deleteLater()
        controller.deleteLater()

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
        shown = self._controllers.get(self._pending_uuids.get(agency_uuid, ""))
        if shown is not None and not shown.stored() and self.workspace.status_of(agency_uuid):
            # The import stored an assessment of its own: the one only shown is forgotten.
            del self._pending_uuids[agency_uuid]
            self._forget_controller(self._controllers.pop(shown.assessment().uuid))
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
        self._check_file()
        controller = self.current_controller()
        if controller is not None:  # an edit made while scoring ran is newer than the worker's answer
            self._sync_agency_row(controller)
        if not self.statusBar().currentMessage():  # never over what the user's own action just said
            self.statusBar().showMessage("امتیاز دستگاه‌ها به‌روز شد.", 3000)

    def _scores_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.agencies.scoring_stopped()
            self.statusBar().showMessage(f"امتیاز دستگاه‌ها محاسبه نشد: {message}")
            self._check_file()  # a damaged file fails the scoring too: the check says so

    def recover_after_error(self) -> None:
        """After an unexpected error (see :mod:`workbench.ui.shared.errors`): the session usable again."""
        if self.workspace is not None:
            self.workspace.rollback()

    # ------------------------------------------------------------------ assessments
    def current_controller(self) -> AssessmentController | None:
        return self.view.controller if self.view is not None else None

    def open_agency(self, agency_uuid: str) -> AssessmentController | None:
        """Show the agency's assessment of the round; one it has not got yet is stored with its first edit."""
        if self.workspace is None or not self.round_uuid:
            return None
        self._commit_focused_field()
        found = self.workspace.assessment_of(agency_uuid, self.evaluator_name())
        pending = None if isinstance(found, str) else found
        assessment_uuid = found if pending is None else self._pending_uuids.get(agency_uuid, pending.uuid)
        controller = self._controller(assessment_uuid, pending)
        if pending is not None:
            self._pending_uuids[agency_uuid] = assessment_uuid
        # Imported here, not at the top: the first screen (the agency list) does not need the
        # measure page and its tables, and start-up is faster without them.
        from workbench.ui.assessment.view import AssessmentView

        view = AssessmentView(controller, self)
        view.gaps_changed.connect(self._gaps_changed)
        view.show_actor(self.actor_name(), bool(self.evaluator_name()))
        self._set_view(view)
        self.agencies.select_agency(agency_uuid, open_it=False)
        self._sync_agency_row(controller)
        self._update_actions()
        if self.gaps_dialog is not None:
            self.gaps_dialog.set_gaps(view.gaps())
        self.assessment_opened.emit(controller)
        return controller

    def _controller(self, assessment_uuid: str, pending=None) -> AssessmentController:
        controller = self._controllers.get(assessment_uuid)
        if controller is None:
            # Imported here, as the view is: the first screen (the agency list) does not need it.
            from workbench.ui.assessment.controller import AssessmentController

            stack = QUndoStack(self.undo_group)
            controller = AssessmentController(self.session, assessment_uuid, stack, self, pending=pending)
            controller.changed.connect(lambda _changes, c=controller: self._controller_changed(c))
            # Pages show a refusal beside the field; the status bar repeats it for edits made elsewhere.
            controller.refused.connect(lambda message: self.statusBar().showMessage(message, 10000))
            self._controllers[assessment_uuid] = controller
        return controller

    def controller_of(self, assessment_uuid: str) -> AssessmentController | None:
        """The controller of a stored assessment, made when it has none (e.g. after an import)."""
        if self.workspace is None or self.workspace.session.get(Assessment, assessment_uuid) is None:
            return None
        return self._controller(assessment_uuid)

    def list_width(self) -> int:
        """The agency list's width beside an assessment (the user's; wider while none is shown)."""
        if self.view is not None and self.agencies.isVisibleTo(self) and self.splitter.sizes()[0] > 0:
            self._list_width = self.splitter.sizes()[0]
        return self._list_width

    def _set_view(self, view: QWidget) -> None:
        old = self.splitter.widget(1)
        sizes = self.splitter.sizes()
        total = sum(sizes) or self.width()
        if view is self.placeholder and old is not self.placeholder:
            # Nothing to show beside the list: it takes half the width, so names are read whole.
            width = self.list_width()
            sizes = [max(width, total // 2), total - max(width, total // 2)]
        elif old is self.placeholder and view is not self.placeholder:
            sizes = [self._list_width, max(total - self._list_width, 1)]
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
        status = assessment.status if controller.stored() else ""
        self.agencies.update_agency(assessment.agency_uuid, status, controller.card().percent)

    def _gaps_changed(self, gaps: list) -> None:
        if self.gaps_dialog is not None:
            self.gaps_dialog.set_gaps(gaps)

    def _commit_focused_field(self) -> None:
        """Leaving a field commits it (editingFinished); do so before the widget goes away."""
        widget = QApplication.focusWidget()
        if widget is not None and self.isAncestorOf(widget):
            widget.clearFocus()

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_place()
        self.close_database()
        self.settings.sync()
        super().closeEvent(event)

