"""The «سرپرست» menu: assigning agencies, the open conflicts of a merge, and the evaluators' agreement report.

It is shown only on a supervisor's database (one that has handed out
assignments or taken in packages: :func:`workbench.exchange.desk.is_master`),
never on an evaluator's laptop.  The status bar counts the open conflicts; the
agency list shows who each agency is assigned to (:mod:`.assign`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from workbench.exchange import role
from workbench.model.problems import path_text
from workbench.model.schema import Round
from workbench.model.text import persian_digits
from workbench.ui.shared.background import run_task
from workbench.ui.supervisor.assign import Assigning
from workbench.ui.supervisor.merging import Merging
from workbench.ui.supervisor.provenance import ProvenanceActions

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow
    from workbench.ui.supervisor.conflicts import ConflictsDialog

#: The agency list's width on a supervisor's database: the names and who holds them.
MASTER_LIST_WIDTH = 680


class SupervisorActions(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog: ConflictsDialog | None = None
        self.task = None
        self.menu = window.menuBar().addMenu("سرپرست (&S)")
        self.assigning = Assigning(window, after=lambda: self.update_enabled(recount=True))
        self.assign_action = QAction("واگذاری دستگاه‌ها به ارزیاب… (&A)", window)
        self.assign_action.triggered.connect(lambda _checked=False: self.assign())
        self.menu.addAction(self.assign_action)
        self.menu.addSeparator()
        self.conflicts_action = QAction("تعارض‌های باز ادغام… (&C)", window)
        self.conflicts_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.conflicts_action.triggered.connect(lambda _checked=False: self.show_conflicts())
        self.agreement_action = QAction("گزارش توافق ارزیابان… (&G)", window)
        self.agreement_action.triggered.connect(lambda _checked=False: self.agreement_report())
        self.menu.addAction(self.conflicts_action)
        self.menu.addAction(self.agreement_action)
        self.make_master_action = QAction("کار سرپرست با این پایگاه داده… (&U)", window)
        self.make_master_action.triggered.connect(lambda _checked=False: self.make_master())
        window.add_menu_action("file", self.make_master_action)
        self.merging = Merging(window, after=self._after_merging)
        self.provenance = ProvenanceActions(window)
        self.count_label = QLabel(window)
        window.statusBar().addWidget(self.count_label)
        self._seen, self._master, self._open = None, False, 0
        self.update_enabled()

    def read_ahead(self, session) -> None:
        """Read what :meth:`update_enabled` will read of a database about to be shown (its role, its open
        conflicts), while the window still shows the one open: a damaged page there refuses the new one
        before the old one is closed (the exchange's tables lie anywhere in the file)."""
        if role.is_master(session):
            role.open_count(session)

    def update_enabled(self, recount: bool = False) -> None:
        """Called as the window's actions change (each selection): the database is looked at only when it
        is another one than last time, or when asked to ``recount`` (after settling conflicts)."""
        session = self.window.session
        if recount or session is not self._seen:
            self._seen = session
            # An evaluator's database needs nothing more of the exchange (role: no tables imported).
            self._master = session is not None and role.is_master(session)
            self._open = role.open_count(session) if self._master else 0
            self._show_holdings()
        self.menu.menuAction().setVisible(self._master)
        for action in (self.assign_action, self.conflicts_action, self.agreement_action):
            action.setEnabled(self._master)
        self.make_master_action.setVisible(session is not None and not self._master)
        self.merging.update_enabled(self._master)
        self.provenance.update_enabled(self._master)
        self.count_label.setText(f"تعارض باز: {persian_digits(self._open)}" if self._master else "")
        self.count_label.setVisible(self._master)

    def _show_holdings(self) -> None:
        w = self.window
        if self._master and w.round_uuid:
            from workbench.exchange import holders

            w.agencies.set_holdings(holders.holdings(w.session, w.round_uuid), holders.evaluators(w.session))
            QTimer.singleShot(0, self._widen_list)  # once the window is laid out (and its saved widths applied)
        else:
            w.agencies.set_holdings(None)

    def make_master(self, ask: bool = True) -> bool:
        """Make the open database a supervisor's: the «سرپرست» menu, who holds each agency, the inbox."""
        w = self.window
        if w.session is None or self._master:
            return False
        if ask and QMessageBox.question(
                w, "پایگاه دادهٔ سرپرست",
                "این پایگاه داده پایگاه سرپرست می‌شود: دستگاه‌ها را به ارزیابان واگذار می‌کنید، بسته‌های آنان را "
                "دریافت و ادغام می‌کنید و تعارض‌ها را حل می‌کنید. پایگاه دادهٔ ارزیاب (لپ‌تاپ) را سرپرست نکنید. ادامه؟"
                ) != QMessageBox.StandardButton.Yes:
            return False
        from workbench.exchange import desk

        desk.make_master(w.session)
        w.session.commit()
        self.update_enabled(recount=True)
        return True

    def _widen_list(self) -> None:
        """Room for the holder column beside the names, where the window has it."""
        w = self.window
        sizes = w.splitter.sizes()
        if self._master and len(sizes) == 2 and sizes[0] < MASTER_LIST_WIDTH and sum(sizes) > 2 * MASTER_LIST_WIDTH:
            w.splitter.setSizes([MASTER_LIST_WIDTH, sum(sizes) - MASTER_LIST_WIDTH])

    def assign(self):
        """The assign dialog for the agencies chosen in the list (or all it lists)."""
        if not self._master or self.window.session is None:
            return None
        from workbench.exchange import holders

        return self.assigning.start(holders.evaluators(self.window.session))

    def show_conflicts(self) -> ConflictsDialog | None:
        w = self.window
        if w.session is None:
            return None
        rnd = w.session.get(Round, w.round_uuid)
        from workbench.model.assessments import round_framework
        from workbench.ui.supervisor.conflicts import ConflictsDialog  # when first asked for, not at start-up

        self.dialog = ConflictsDialog(w.session, round_framework(w.session, rnd), w.store.actor, w)
        self.dialog.settled.connect(self._after_settling)
        self.dialog.show()
        return self.dialog

    def _after_merging(self) -> None:
        """A merge or its undo landed: what the window shows, and an open conflicts dialog, read again."""
        self._after_settling()
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reload()

    def _after_settling(self) -> None:
        self.update_enabled(recount=True)
        self.window.refresh_agencies()
        controller = self.window.current_controller()
        if controller is not None:
            self.window.reload_agency(controller.assessment().agency_uuid)

    def agreement_report(self, path: str | None = None):
        w = self.window
        if path is None:
            path, _ = QFileDialog.getSaveFileName(w, "گزارش توافق ارزیابان", "agreement.xlsx", "کارپوشهٔ Excel (*.xlsx)")
        if not path:
            return None
        out, round_uuid = Path(path), w.round_uuid

        def work(job):
            from workbench.reports.agreement_book import export_agreement

            return export_agreement(job.session, job.session.get(Round, round_uuid), out)

        def done(result) -> None:
            written, agreement = result
            w.statusBar().showMessage(
                f"گزارش توافق ارزیابان ({persian_digits(len(agreement.pairs))} جفت) در {path_text(written)} نوشته شد",
                10000)

        def failed(message: str, _unexpected: bool) -> None:
            QMessageBox.warning(w, "گزارش توافق ارزیابان", message)

        self.task = run_task(work, new_session=w.store.new_session, on_success=done, on_failure=failed, owner=w)
        return self.task
