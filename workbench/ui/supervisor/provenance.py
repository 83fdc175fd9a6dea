"""«منشأ مقدارهای این نماگر…»: where each value of the measure on screen came from (a supervisor's database).

For the agency and measure on screen, a table of every value a merge set or a
resolution settled — the record and its part, the value, the package and its
evaluator, the merge (when, by whom), or the supervisor who settled it and
why — read by :func:`workbench.exchange.sources.measure_sources`.  The
assessment's history (Ctrl+H) gains a tab «منشأ ادغام» beside its changes with
the same for every record of the assessment (:func:`~workbench.exchange.sources.agency_sources`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.model.text import persian_digits

if TYPE_CHECKING:
    from workbench.exchange.sources import Source
    from workbench.ui.main_window import MainWindow

TITLE = "منشأ مقدارهای نماگر"
HISTORY_TAB = "منشأ ادغام"
OPEN_CONFLICT = "تعارض باز: تا تصمیم سرپرست مقدار پایه مانده است"
COLUMNS = ("رکورد", "بخش", "مقدار", "بسته", "ارزیاب", "ادغام", "تصمیم سرپرست")


def rows_of(sources: list[Source]) -> list[tuple[str, ...]]:
    from workbench.exchange import desk
    from workbench.exchange.inbox import when_text  # the merge's module: imported when a history is shown

    out = []
    for s in sources:
        merged = f"{when_text(s.merged_at)}" + (f" ({s.merged_by})" if s.merged_by else "") if s.batch else ""
        decided = ""
        if s.resolved_by:
            decided = f"{s.resolved_by}، {when_text(s.resolved_at)}" + (f": {s.reason}" if s.reason else "")
        elif s.in_conflict:
            decided = OPEN_CONFLICT
        out.append((persian_digits(s.record), s.group, desk.value_text(s.value), s.package, s.evaluator, merged,
                    decided))
    return out


def provenance_table(sources: list[Source], parent=None) -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS), parent)
    table.setHorizontalHeaderLabels(list(COLUMNS))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    rows = rows_of(sources)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    return table


class ProvenanceDialog(QDialog):
    def __init__(self, title: str, sources: list[Source], parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(1200, 420)
        self.table = provenance_table(sources, self)
        rows = sources
        heading = QLabel(f"<b>{title}</b>", self)
        heading.setWordWrap(True)
        empty = QLabel("هیچ مقداری از این نماگر از بسته‌ای نیامده است؛ همه در همین پایگاه داده وارد شده‌اند.", self)
        empty.setVisible(not rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)


class ProvenanceActions(QObject):
    """The Assessment menu's entry, on a supervisor's database with a measure on screen."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog: ProvenanceDialog | None = None
        self.action = QAction("منشأ مقدارهای این نماگر… (&P)", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.action.triggered.connect(lambda _checked=False: self.show())
        window.add_menu_action("assessment", self.action)
        self.master = False

    def update_enabled(self, master: bool) -> None:
        self.master = master
        self.action.setVisible(master)
        self.action.setEnabled(master and self.window.view is not None)
        audit = getattr(self.window, "audit_actions", None)
        if audit is not None and self._beside_history not in audit.on_shown:
            audit.on_shown.append(self._beside_history)

    def _beside_history(self, dialog) -> None:
        """The assessment's history (Ctrl+H) on a supervisor's database: where every merged value came from,
        in a tab beside the changes."""
        if not self.master or self.window.session is None:
            return
        controller = dialog.controller
        agency = controller.agency()
        from workbench.exchange.sources import agency_sources

        sources = agency_sources(self.window.session, controller.round().year, agency.code)
        tab = QWidget(dialog)
        box = QVBoxLayout(tab)
        box.addWidget(QLabel("هر مقداری که ادغام بسته‌ها یا تصمیم سرپرست در این ارزیابی گذاشته است: "
                             "از کدام بسته، کدام ارزیاب، کدام ادغام." if sources else
                             "هیچ مقداری از این ارزیابی از بسته‌ای نیامده است.", tab))
        dialog.provenance = provenance_table(sources, tab)
        box.addWidget(dialog.provenance, 1)
        dialog.add_tab(HISTORY_TAB, tab)

    def show(self) -> ProvenanceDialog | None:
        w = self.window
        view = w.view
        if view is None or w.session is None:
            return None
        controller = view.controller
        measure = view.current_measure()
        if not measure:
            return None
        node = controller.framework().node(measure)
        agency = controller.agency()
        from workbench.exchange.sources import measure_sources

        sources = measure_sources(w.session, controller.round().year, agency.code, [it.key for it in node.items],
                                  measure)
        title = f"{persian_digits(measure)} {node.title} — {agency.name}"
        self.dialog = ProvenanceDialog(title, sources, w)
        self.dialog.show()
        return self.dialog
