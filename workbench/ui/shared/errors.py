"""What the user sees of an error nobody expected: a Persian message, never a traceback.

Anything that escapes a slot (PySide hands it to ``sys.excepthook``) is
written with its traceback to the log file in the data folder
(:func:`log_path`), and the window shows one Persian message saying what
happened, that what was saved before stays saved, and where the details are
for whoever supports the evaluator.  The window's session is rolled back, so
the next edit does not fail on the half-finished one.

The words for a problem (a damaged, locked or full database, a file-system
error, the unexpected) are ``workbench.model.problems``'s, shared with the
command line and the workspace; this module only shows them and keeps the log.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.logfile import LOG_NAME, log, log_path, setup_logging  # noqa: F401 - the window's callers import them here
from workbench.model.problems import describe, path_text

TITLE = "خطای پیش‌بینی‌نشده"

class ErrorReporter:
    """Replaces ``sys.excepthook`` while the window runs; see the module's docstring."""

    def __init__(self, parent: Callable[[], QWidget | None], on_error: Callable[[], None] | None = None):
        self._parent = parent
        self._on_error = on_error
        self.box: QMessageBox | None = None
        self._previous = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous or sys.__excepthook__

    def handle(self, kind, exc, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            (self._previous or sys.__excepthook__)(kind, exc, tb)
            return
        log.error("unexpected error in the window", exc_info=(kind, exc, tb))
        try:
            if self._on_error is not None:
                self._on_error()
        except Exception:  # noqa: BLE001 - tidying after an error must not raise another
            log.exception("rolling back after an unexpected error")
        self.show(describe(exc))

    def show(self, message: str) -> QMessageBox | None:
        if self.box is not None and self.box.isVisible():
            return self.box  # one message at a time: a failing slot may run again at once
        where = log_path()
        text = message + (f"\n\nجزئیات برای پشتیبانی در این فایل نوشته شد:\n{path_text(where)}"
                          if where.exists() else "")
        box = QMessageBox(QMessageBox.Icon.Critical, TITLE, text, QMessageBox.StandardButton.Ok, self._parent())
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Ok).setText("باشه")
        box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._forget)
        self.box = box
        box.open()  # not exec(): the error may have come from inside another event loop
        return box

    def _forget(self, *_args) -> None:
        self.box = None
