"""The open database kept safe to copy: the log folded in at idle, «save a copy», read-only files said so.

SQLite in WAL mode writes each saved edit to ``NAME.sqlite-wal`` first; a copy
of ``NAME.sqlite`` alone (what an evaluator hands over on a USB stick) lacked
every edit still there.  Two seconds after the last edit the log is folded
into the file (a passive checkpoint: it never waits for the background
scoring), and closing the database folds in the rest and removes the log.
File ▸ «ذخیرهٔ رونوشت…» writes one consistent file at any moment
(:meth:`Backend.snapshot`: SQLite's online backup, or a copy of the server's database).

A database the file system does not let us write (a read-only file or folder,
a full disk) is opened read-only: the title and the status bar say so, and
the assessment pages refuse edits as they do on a final assessment.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication

from workbench.model.errors import UserError
from workbench.model.file_access import opened_read_only
from workbench.model.problems import path_text
from workbench.ui.shared import file_dialogs
from workbench.ui.shared.errors import log

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

#: Quiet time after an edit before the log is folded into the file.
IDLE_MS = 2000
READ_ONLY_TITLE = " (فقط‌خواندنی)"
DB_FILTER = "پایگاه دادهٔ میز کار (*.sqlite)"


class Safekeeping(QObject):
    """Attached to ``window``: the idle checkpoint, the «save a copy» entry, the read-only notice."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.checkpoints = 0  # folded in so far (tests count them)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_MS)
        self.idle.timeout.connect(self.checkpoint)
        self.copy_action = QAction("ذخیرهٔ رونوشت پایگاه داده… (&B)", window)
        self.copy_action.setToolTip("یک فایل کامل از همهٔ تغییرهای ذخیره‌شده، برای سپردن یا نگه‌داری")
        self.copy_action.triggered.connect(lambda _checked=False: self.save_copy_dialog())
        window.add_menu_action("file", self.copy_action)
        window.database_opened.connect(self._opened)
        window.assessment_opened.connect(lambda c: c.changed.connect(self.idle.start, Qt.ConnectionType.UniqueConnection))

    def _opened(self, store) -> None:
        self.copy_action.setEnabled(True)
        if store.read_only:
            self.window.setWindowTitle(self.window.windowTitle() + READ_ONLY_TITLE)
            self.window.statusBar().showMessage(opened_read_only(store.path, store.read_only_because))

    def checkpoint(self) -> None:
        store = self.window.store
        if store is None:
            return
        try:
            store.checkpoint()
            self.checkpoints += 1
        except Exception:  # noqa: BLE001 - a full disk, a lock: the next edit tries again, closing folds in the rest
            log.warning("checkpoint at idle failed", exc_info=True)

    def suggested_name(self) -> Path:
        store = self.window.store
        return store.backend.suggested_copy(f"رونوشت-{dt.date.today().isoformat()}")

    def save_copy_dialog(self) -> None:
        if self.window.store is None:
            return
        chosen = file_dialogs.getSaveFileName(self.window, "ذخیرهٔ رونوشت پایگاه داده", str(self.suggested_name()),
                                              DB_FILTER, purpose="copy")[0]
        if chosen:
            self.save_copy(Path(chosen))

    def save_copy(self, target: Path) -> bool:
        """Write a consistent copy of the open database to ``target``; say how it went."""
        window = self.window
        if window.store is None:
            return False
        window._commit_focused_field()  # the field being typed is part of what is saved
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            window.store.backend.snapshot(target)
        except UserError as exc:
            window.warn(exc.message)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        window.statusBar().showMessage(f"رونوشت پایگاه داده در «{path_text(target)}» نوشته شد.", 10000)
        return True
