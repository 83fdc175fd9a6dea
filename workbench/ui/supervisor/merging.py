"""Taking packages in and undoing a merge, from the window of a supervisor's database.

File ▸ «دریافت بسته‌ها…» (or packages dropped on the window) opens the inbox
(:class:`~workbench.ui.supervisor.inbox.InboxDialog`).  Edit ▸ «بازگردانی آخرین
ادغام…» first works out what undoing the latest merge would restore — the
unmerge run and rolled back, off the window's thread — shows it, and only on
«بله» undoes it (:func:`workbench.exchange.unmerge.unmerge`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from workbench.ui.shared.background import run_task

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow
    from workbench.ui.supervisor.inbox import InboxDialog

# The inbox, the merge and the packages' signatures are imported when first used, not at start-up
# (an evaluator's window never uses them): ``_inbox()``, ``_dialogs()``.


def _inbox():
    from workbench.exchange import inbox

    return inbox


def _dialogs():
    from workbench.ui.supervisor import inbox

    return inbox

UNDO_TITLE = "بازگردانی آخرین ادغام"


class Merging(QObject):
    def __init__(self, window: "MainWindow", after):
        super().__init__(window)
        self.window = window
        self.after = after  # the window's lists and counts read again (on its thread)
        self.enabled = False
        self.inbox: InboxDialog | None = None
        self.task = None
        self.inbox_action = QAction("دریافت بسته‌ها… (&P)", window)
        self.inbox_action.triggered.connect(lambda _checked=False: self.open_inbox())
        window.add_menu_action("file", self.inbox_action)
        self.undo_action = QAction("بازگردانی آخرین ادغام… (&M)", window)
        self.undo_action.triggered.connect(lambda _checked=False: self.undo_last_merge())
        window.add_menu_action("edit", self.undo_action)
        #: Asks before undoing (the text says what goes back); tests replace it.
        self.confirm = lambda text: QMessageBox.question(window, UNDO_TITLE, text + "\n\nبازگردانده شود؟") == \
            QMessageBox.StandardButton.Yes
        self.ask_paths = lambda: QFileDialog.getOpenFileNames(window, _dialogs().TITLE, "", _dialogs().PACKAGE_FILTER)[0]
        self.shown_text = ""  # what the last undo said it would restore
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def update_enabled(self, master: bool) -> None:
        self.enabled = master
        for action in (self.inbox_action, self.undo_action):
            action.setVisible(master)
            action.setEnabled(master and self.task is None)

    # ------------------------------------------------------------------ the inbox
    def open_inbox(self, paths: list[str] | None = None) -> InboxDialog | None:
        if not self.enabled:
            return None
        if paths is None:
            paths = self.ask_paths()
        if not paths:
            return None
        if self.inbox is None or not self.inbox.isVisible():
            self.inbox = _dialogs().InboxDialog(self.window)
            self.inbox.merged.connect(lambda _result: self.after())
            self.inbox.show()
        self.inbox.raise_()
        if not self.inbox.busy():
            self.inbox.add(paths)
        return self.inbox

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        """Package files dropped anywhere on a supervisor's window open the inbox with them."""
        if obj is self.window and self.enabled and event.type() in (QEvent.Type.DragEnter, QEvent.Type.Drop):
            paths = _dialogs().local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                if event.type() == QEvent.Type.Drop:
                    self.open_inbox(paths)
                return True
        return False

    # ------------------------------------------------------------------ undo
    def undo_last_merge(self):
        """Show what undoing the latest merge restores, then undo it if the supervisor says so."""
        w = self.window
        if not self.enabled or w.session is None or self.task is not None:
            return None
        inbox = _inbox()
        batch = inbox.last_batch(w.session)
        if batch is None:
            QMessageBox.information(w, UNDO_TITLE, "ادغامی برای بازگرداندن نیست.")
            return None

        def preview(job):
            return inbox.preview_undo(job.session, batch.uuid, wait=False)

        def previewed(result) -> None:
            self.task = None
            self.shown_text = inbox.undo_text(result, batch)
            if self.confirm(self.shown_text):
                self._undo(batch)

        self.task = run_task(preview, new_session=w.store.new_session, name=UNDO_TITLE, owner=w,
                             on_success=previewed, on_failure=self._failed)
        return self.task

    def _undo(self, batch) -> None:
        w = self.window
        by = w.store.actor

        def work(job):
            from workbench.exchange.unmerge import unmerge

            result = unmerge(job.session, batch.uuid, by=by, wait=False)
            job.session.commit()
            return result

        def done(result) -> None:
            self.task = None
            w.statusBar().showMessage("ادغام بازگردانده شد. " + _inbox().undo_text(result, batch).split("\n")[1], 15000)
            self.after()

        self.task = run_task(work, writes=True, new_session=w.store.new_session, name=UNDO_TITLE, owner=w,
                             on_success=done, on_failure=self._failed)

    def _failed(self, message: str, _unexpected: bool) -> None:
        self.task = None
        QMessageBox.warning(self.window, UNDO_TITLE, message)
