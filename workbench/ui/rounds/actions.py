"""File-menu entries «دورهٔ تازه…» and «دوره‌ها…» (see :mod:`workbench.ui.rounds.dialogs`).

A new round becomes the window's round: the database is opened again on it
(the latest round), so the agency list shows the new, empty drafts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from workbench.model.errors import UserError
from workbench.model.text import format_number, persian_digits
from workbench.ui.rounds.dialogs import NewRoundDialog, RoundsDialog
from workbench.workspace.rounds import open_next_round, round_years, rounds

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class RoundActions(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog: NewRoundDialog | RoundsDialog | None = None  # the one open now (tests reach it here)
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
        years = round_years(w.session)
        self.dialog = dialog = NewRoundDialog(years, w)
        try:
            while dialog.exec() == NewRoundDialog.DialogCode.Accepted:
                message = self.open(*dialog.values())
                if message is None:
                    return
                dialog.show_error(message)
        finally:
            self.dialog = None

    def open(self, year: int, path, from_year: int | None, title: str) -> str | None:
        """Open the round; ``None`` on success, else the Persian reason (nothing written)."""
        w = self.window
        try:
            opened = open_next_round(w.session, year, path, from_year, title)
        except UserError as exc:
            return exc.message
        w.open_database(w.workspace.path)
        carried = ""
        if from_year is not None:
            carried = (f"؛ {format_number(opened.services)} خدمت از دورهٔ {persian_digits(from_year)} آورده شد "
                       f"و {format_number(opened.assessments)} ارزیابی پیش‌نویس باز شد")
        w.statusBar().showMessage(f"دورهٔ {persian_digits(year)} گشوده شد{carried}.", 20000)
        return None
