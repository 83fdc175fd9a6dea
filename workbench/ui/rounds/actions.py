"""File-menu entries «دورهٔ تازه…» and «دوره‌ها…» (see :mod:`workbench.ui.rounds.dialogs`).

A new round is opened off the window's thread (a busy dialog meanwhile), then
becomes the window's round: the database is opened again on it (the latest
round), so the agency list shows the new, empty drafts.  A refusal (a framework
the loader refuses: key and reason) shows the dialog again with the reason.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog

from workbench.model.text import format_number, persian_digits
from workbench.ui.rounds.dialogs import NewRoundDialog, RoundsDialog
from workbench.ui.shared.background import run_task
from workbench.workspace.rounds import open_next_round, round_years, rounds

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class RoundActions(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog: NewRoundDialog | RoundsDialog | None = None  # the one open now (tests reach it here)
        self.task = None  # the round being opened
        self.new_action = QAction("دورهٔ تازه… (&Y)", window)
        self.new_action.triggered.connect(lambda _checked=False: self.new_round())
        self.list_action = QAction("دوره‌ها… (&D)", window)
        self.list_action.triggered.connect(lambda _checked=False: self.show_rounds())
        window.add_menu_action("file", self.new_action)
        window.add_menu_action("file", self.list_action)

    def update_enabled(self) -> None:
        has_db = self.window.store is not None
        for action in (self.new_action, self.list_action):
            action.setEnabled(has_db)
            action.setToolTip("" if has_db else "نخست پایگاه داده‌ای را باز کنید.")

    def show_rounds(self) -> None:
        self.dialog = RoundsDialog(rounds(self.window.session), self.window)
        self.dialog.exec()
        self.dialog = None

    def new_round(self) -> None:
        w = self.window
        self.dialog = NewRoundDialog(round_years(w.session), w)
        if self.dialog.exec() == NewRoundDialog.DialogCode.Accepted:
            self.open(*self.dialog.values(), on_refused=self._refused)
        else:
            self.dialog = None

    def _refused(self, message: str) -> None:
        """The dialog again, with the reason, so another file or year can be chosen."""
        dialog = self.dialog
        if dialog is None:
            return
        dialog.show_error(message)
        if dialog.exec() == NewRoundDialog.DialogCode.Accepted:
            self.open(*dialog.values(), on_refused=self._refused)
        else:
            self.dialog = None

    def open(self, year: int, path, from_year: int | None, title: str,
             on_refused: Callable[[str], None] | None = None) -> None:
        """Open the round off the window's thread (a national round carries about 100,000 services: half a
        minute or more), then the window opens it; a refusal goes to ``on_refused`` (nothing written)."""
        w = self.window
        busy = QProgressDialog(f"دورهٔ {persian_digits(year)} گشوده می‌شود…", "", 0, 0, w)
        busy.setWindowTitle("گشودن دورهٔ تازه")
        busy.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setCancelButton(None)  # one transaction: it finishes or leaves nothing
        busy.setMinimumDuration(300)

        def done(opened) -> None:
            busy.close()
            self.task, self.dialog = None, None
            w.open_database(w.workspace.path)
            carried = ""
            if from_year is not None:
                carried = (f"؛ {format_number(opened.services)} خدمت از دورهٔ {persian_digits(from_year)} آورده شد "
                           f"و {format_number(opened.assessments)} ارزیابی پیش‌نویس باز شد")
            w.statusBar().showMessage(f"دورهٔ {persian_digits(year)} گشوده شد{carried}.", 20000)

        def failed(message: str, _unexpected: bool) -> None:
            busy.close()
            self.task = None
            if on_refused is not None:
                on_refused(message)

        self.task = run_task(lambda job: open_next_round(job.session, year, path, from_year, title), writes=True,
                             new_session=w.workspace.new_session, name="گشودن دورهٔ تازه", owner=w,
                             on_success=done, on_failure=failed)
