"""The main window's menus, shortcuts and recent databases (a mixin of :class:`~workbench.ui.main_window.MainWindow`).

Other modules add their own entries with :meth:`WindowMenus.add_menu_action`;
:meth:`WindowMenus._update_actions` enables each entry for what is open.
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from workbench.model.problems import path_text

MAX_RECENT = 8


class WindowMenus:
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
        self.server_action = self._action(self.file_menu, "باز کردن پایگاه دادهٔ سرور… (&S)",
                                          QKeySequence(), self.open_server_dialog)
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
        self.edit_menu.addSeparator()
        self.name_action = self._action(self.edit_menu, "نام ارزیاب… (&N)", QKeySequence(),
                                        self.change_evaluator_name)

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
            action.triggered.connect(lambda _c=False, p=path: self.open_database_interactive(p, create=False))

    def recent_paths(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or []]

    def _remember(self, text: str) -> None:
        """Keep ``text`` (a resolved file path, or a server's URL without its password) first in the list."""
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
        if hasattr(self, "supervisor_actions"):
            self.supervisor_actions.update_enabled()
        if hasattr(self, "assignment_actions"):
            self.assignment_actions.update_enabled()
        if hasattr(self, "audit_actions"):
            self.audit_actions.update_enabled()
        if hasattr(self, "round_actions"):
            self.round_actions.update_enabled()

    def selected_agency(self) -> str:
        """The uuid of the agency selected in the list, else of the one on screen; "" if none."""
        uuid = self.agencies.current_agency()
        if not uuid and self.view is not None:
            uuid = self.view.controller.assessment().agency_uuid
        return uuid or ""

