"""The open assessment beside the earlier rounds: a line in the header and a table on demand.

«دوره‌های پیشین: ۱۴۰۱: ۴۷٫۶٪ ضعیف (رتبهٔ ۵ از ۶) · ۱۴۰۲: … — تغییر از ۱۴۰۲: +۱۵٫۷۵»
under the header's total; «شاخص‌ها…» opens every indicator's percent per round
and its change.  The figures come from :mod:`workbench.reports.trend_data`;
the earlier rounds are read once, when the agency is opened, off the window's
thread (scoring them the first time takes tens of seconds on a national
database), and the current round's figures from the score card at every change.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.model.text import format_number, persian_digits
from workbench.reports.summary_trend import NA, signed
from workbench.reports.trend_data import NOT_APPLICABLE, AgencyTrend, Figures, RoundData
from workbench.ui.shared.background import run_task
from workbench.workspace.rounds import earlier_of, has_earlier_rounds

MISSING = "—"


def figure_text(f: Figures) -> str:
    total = MISSING if f.percent is None else f"{format_number(f.percent)}٪"
    band = f" {f.band.title}" if f.band is not None else ""
    rank = f" (رتبهٔ {persian_digits(f.rank)} از {persian_digits(f.group_size)})" if f.rank is not None else ""
    if not f.final:
        rank = " (نهایی‌نشده)"
    return f"{persian_digits(f.year)}: {total}{band}{rank}"


def _cell(value) -> str:
    if value == NOT_APPLICABLE:
        return NA
    return MISSING if value is None else format_number(value)


class HistoryStrip(QWidget):
    """The earlier rounds' totals in one line, with a button for their indicators."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.trend: AgencyTrend | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton("شاخص‌ها در دوره‌ها…", self)
        self.button.setToolTip("درصد امتیاز هر شاخص در دوره‌های پیشین و این دوره، و تغییر آن")
        self.button.clicked.connect(self.show_table)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.dialog: HistoryDialog | None = None
        #: the earlier rounds that assessed the agency; None until read
        self.earlier: list[RoundData] | None = None
        self.task = None
        self.hide()

    def read_earlier(self, controller, on_read) -> None:
        """Read the agency's earlier rounds on a thread of their own; ``on_read()`` once they are in."""
        if not has_earlier_rounds(controller.session(), controller.round()):
            self.earlier = []  # the database's first round: nothing to read, no thread
            return
        round_uuid, agency_uuid = controller.round().uuid, controller.agency().uuid
        self.label.setText("دوره‌های پیشین در حال خواندن…")
        self.button.hide()
        self.show()

        def work(job):
            return earlier_of(job.session, round_uuid, agency_uuid, progress=lambda *_: job.check())

        def done(earlier: list[RoundData]) -> None:
            self.earlier = earlier
            on_read()

        def failed(message: str, _unexpected: bool) -> None:
            self.trend = None
            self.label.setText(f"دوره‌های پیشین خوانده نشد: {message}")
            self.label.setToolTip("")
            self.button.hide()
            self.show()

        self.task = run_task(work, new_session=controller.new_session, name="دوره‌های پیشین", owner=self,
                             on_success=done, on_failure=failed)

    def show_trend(self, trend: AgencyTrend | None) -> None:
        self.trend = trend
        if trend is None:
            self.hide()
            return
        self.button.show()
        earlier = " · ".join(figure_text(f) for f in trend.figures[:-1])
        prev = trend.figures[-2]
        text = f"دوره‌های پیشین — {earlier}"
        total = trend.changes[-1].total
        if total is not None:
            text += f" — تغییر از {persian_digits(prev.year)}: {signed(total)} واحد درصد"
        self.label.setText(text)
        self.label.setToolTip(trend.basis[-1] or "")
        self.show()

    def show_table(self) -> None:
        if self.trend is None:
            return
        self.dialog = HistoryDialog(self.trend, self)
        self.dialog.exec()
        self.dialog = None


class HistoryDialog(QDialog):
    """Every indicator's percent per round (the current one last) and its change from the previous round."""

    def __init__(self, trend: AgencyTrend, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{trend.name} در دوره‌ها")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        years = [persian_digits(f.year) for f in trend.figures]
        headers = ["شاخص"] + [f"{y} (٪)" for y in years] + [f"تغییر از {years[-2]}"]
        rows = trend.rows
        self.table = QTableWidget(len(rows) + 1, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        change = trend.changes[-1]
        self._put(0, ["امتیاز کل"] + [_cell(f.percent) for f in trend.figures] + [signed(change.total)])
        for r, row in enumerate(rows, start=1):
            key = row.keys[-1] or next(k for k in row.keys if k)
            title = f"{persian_digits(key)}. {row.title}"
            if row.notes[-1]:
                title += f" ({persian_digits(row.notes[-1])})"
            cells = [_cell(f.indicators.get(k)) if k else MISSING for f, k in zip(trend.figures, row.keys)]
            delta = change.indicators.get(row.keys[-1]) if row.keys[-1] and row.keys[-2] else None
            self._put(r, [title, *cells, signed(delta) if delta is not None else MISSING])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        note = QLabel("تغییر به واحد درصد است. " + (trend.basis[-1] or ""), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(820, 540)

    def _put(self, row: int, texts: list[str]) -> None:
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, col, item)
