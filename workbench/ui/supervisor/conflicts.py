"""The supervisor's conflicts: the open ones in a list, one at a time beside the guide, settled with a reason.

The list filters by agency, indicator and evaluator.  For the conflict chosen
the pane beside it shows the measure's guide text, the value both sides started
from (the base), and each candidate — evaluator, package, value, and beneath
them each side's note and evidence (a file opens from there), who changed it
and when (:mod:`workbench.exchange.candidates`) — to take one,
go back to the base, or type a value, always with a reason that the audit trail
keeps.  «همهٔ تعارض‌های این دستگاه با نامزد همین ارزیاب» settles many alike.
Everything goes through :mod:`workbench.exchange.desk` (no queries here).
"""
from __future__ import annotations

import html
import tempfile
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.exchange import desk
from workbench.exchange.candidates import candidate_facts
from workbench.exchange.conflicts import ConflictView, resolve
from workbench.exchange.inbox import when_text
from workbench.model.completeness import measure_key_of
from workbench.model.errors import UserError
from workbench.model.problems import os_problem, path_text
from workbench.model.text import close_bidi, normalize, persian_digits
from workbench.ui.assessment.evidence_model import evidence_text
from workbench.ui.assessment.measure_guide import guide_html
from workbench.workspace.pages import save_stored_file, stored_file_size

COLUMNS = ("کد دستگاه", "رکورد", "بخش", "نوع تعارض", "ارزیابان", "وضعیت")
STATES = {"open": "باز", "resolved": "حل‌شده"}
BASE = "base"


class ConflictsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ConflictView] = []

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt's names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        view = self.rows[index.row()]
        return (
            persian_digits(view.agency_code),
            desk.record_text(view),
            desk.group_text(view),
            desk.kind_text(view),
            "، ".join(c.evaluator or desk.labels.MASTER for c in view.candidates),
            STATES.get(view.status, view.status),
        )[index.column()]


class ConflictsFilter(QSortFilterProxyModel):
    """Agency (code or text, normalised), indicator and evaluator."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text, self.indicator, self.evaluator = "", "", ""

    def set(self, text: str, indicator: str, evaluator: str) -> None:
        """Qt 6.10 wants the change bracketed (invalidateFilter is deprecated), as the agency list does."""
        bracketed = hasattr(self, "beginFilterChange")  # Qt 6.9+
        if bracketed:
            self.beginFilterChange()
        self.text, self.indicator, self.evaluator = normalize(text), indicator, evaluator
        if bracketed:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802 - Qt's name
        view = self.sourceModel().rows[row]
        if self.text and self.text not in normalize(view.agency_code):
            return False
        if self.indicator and desk.indicator_of(view) != self.indicator:
            return False
        return not self.evaluator or any(c.evaluator == self.evaluator for c in view.candidates)


class ConflictsDialog(QDialog):
    """Open conflicts of the window's database; ``settled`` fires after every resolution."""

    settled = Signal()

    def __init__(self, session, framework, actor: str, parent=None):
        super().__init__(parent)
        self.session, self.framework, self.actor = session, framework, actor
        self.setWindowTitle("تعارض‌های باز ادغام")
        self.resize(1200, 680)
        self.model = ConflictsModel(self)
        self.proxy = ConflictsFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("کد دستگاه")
        self.indicator = QComboBox(self)
        self.evaluator = QComboBox(self)
        self.show_settled = QCheckBox("حل‌شده‌ها هم", self)
        self.show_settled.setToolTip("تعارض‌های حل‌شده با تصمیم، دلیل و تصمیم‌گیرنده در فهرست می‌آیند")
        self.show_settled.toggled.connect(lambda _on: self.reload())
        filters = QHBoxLayout()
        for label, widget in (("دستگاه:", self.search), ("شاخص:", self.indicator), ("ارزیاب:", self.evaluator)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget, 1)
        filters.addWidget(self.show_settled)
        self.search.textChanged.connect(self._filter)
        self.indicator.currentIndexChanged.connect(self._filter)
        self.evaluator.currentIndexChanged.connect(self._filter)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.guide = QTextBrowser(self)
        self.base_label = QLabel(self)
        self.base_label.setWordWrap(True)
        self.candidates = QListWidget(self)
        self.candidates.setMaximumHeight(self.candidates.fontMetrics().height() * 6)
        self.sides = QTextBrowser(self)  # each side's note, evidence, who and when
        self.sides.setOpenLinks(False)
        self.sides.anchorClicked.connect(self.open_link)
        #: How a file or URL is shown; tests replace it.
        self.open_url = QDesktopServices.openUrl
        self.opened: Path | None = None
        self.value_edit = QLineEdit(self)
        self.value_edit.setPlaceholderText("مقداری دیگر (اگر هیچ‌یک درست نیست)")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("دلیل تصمیم (در سابقهٔ تغییرات می‌ماند)")
        self.take_button = QPushButton("پذیرش نامزد برگزیده", self)
        self.base_button = QPushButton("ماندن بر مقدار پایه", self)
        self.value_button = QPushButton("ثبت مقدار دیگر", self)
        self.alike_button = QPushButton("همهٔ تعارض‌های این دستگاه با نامزد همین ارزیاب", self)
        self.take_button.clicked.connect(lambda: self._settle("take"))
        self.base_button.clicked.connect(lambda: self._settle(BASE))
        self.value_button.clicked.connect(lambda: self._settle("value"))
        self.alike_button.clicked.connect(lambda: self._settle("alike"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.decision = QLabel(self)  # a settled conflict's who, when, why and value
        self.decision.setWordWrap(True)
        self.decision.setTextFormat(Qt.TextFormat.PlainText)
        self.decision.hide()

        side = QWidget(self)
        form = QFormLayout(side)
        form.addRow("راهنمای نماگر:", self.guide)
        form.addRow("مقدار پایه:", self.base_label)
        form.addRow(self.decision)
        form.addRow("نامزدها:", self.candidates)
        form.addRow("یادداشت و مستند:", self.sides)
        form.addRow("مقدار دیگر:", self.value_edit)
        form.addRow("دلیل:", self.reason)
        buttons = QHBoxLayout()
        for button in (self.take_button, self.base_button, self.value_button):
            buttons.addWidget(button)
        form.addRow(buttons)
        form.addRow(self.alike_button)
        form.addRow(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filters)
        box.addWidget(self.table)
        splitter.addWidget(left)  # first = right-hand side in a right-to-left window
        splitter.addWidget(side)
        splitter.setSizes([560, 640])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.reload()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        rows = desk.conflicts(self.session, include_resolved=self.show_settled.isChecked())
        self.model.set_rows(rows)
        self._fill_choices(rows)
        still_open = sum(1 for v in rows if v.status == "open")
        self.setWindowTitle(f"تعارض‌های باز ادغام ({persian_digits(still_open)})")
        self.select_row(0)

    def select_row(self, row: int) -> None:
        """Make the list's ``row`` (as filtered) the conflict shown beside it."""
        if 0 <= row < self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(row, 0))
        self._show_current()

    def _fill_choices(self, rows: list[ConflictView]) -> None:
        for combo, values in (
            (self.indicator, sorted({desk.indicator_of(v) for v in rows if desk.indicator_of(v)}, key=_natural)),
            (self.evaluator, sorted({c.evaluator for v in rows for c in v.candidates if c.evaluator})),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("همه", "")
            for value in values:
                combo.addItem(persian_digits(value), value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _filter(self) -> None:
        self.proxy.set(self.search.text(), self.indicator.currentData() or "", self.evaluator.currentData() or "")

    def current(self) -> ConflictView | None:
        index = self.table.currentIndex()
        return self.model.rows[self.proxy.mapToSource(index).row()] if index.isValid() else None

    def _show_current(self) -> None:
        view = self.current()
        for w in (self.take_button, self.base_button, self.value_button, self.alike_button):
            w.setEnabled(view is not None and view.status == "open")
        self.decision.setText(desk.decision_text(view) if view is not None and view.status != "open" else "")
        self.decision.setVisible(bool(self.decision.text()))
        self.candidates.clear()
        if view is None:
            self.guide.setHtml("<p>تعارض بازی نمانده است.</p>")
            self.base_label.setText("")
            self.sides.clear()
            return
        self.guide.setHtml(self._guide(view))
        self.base_label.setText(desk.value_text(view.base))
        for candidate in view.candidates:
            item = QListWidgetItem(f"{desk.who_text(candidate)}: {desk.value_text(candidate.value)}", self.candidates)
            item.setData(Qt.ItemDataRole.UserRole, candidate.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, candidate.evaluator)
        self.candidates.setCurrentRow(0)
        self.sides.setHtml(self._sides(view))

    def _measure_key(self, view: ConflictView) -> str | None:
        key = desk.item_key(view)
        try:
            return measure_key_of(self.framework, key) if key else None
        except (KeyError, StopIteration):
            return None

    def _sides(self, view: ConflictView) -> str:
        """Each candidate's note and evidence, who changed it and when; files are links that open them."""
        parts = []
        for candidate, facts in zip(view.candidates, candidate_facts(self.session, view, self._measure_key(view)),
                                    strict=True):
            e = html.escape
            when = when_text(facts.when)
            who = f"{e(facts.who)}، {when}" if facts.who else when
            lines = [f"<b>{e(desk.who_text(candidate))}</b>: {e(desk.value_text(candidate.value))}"]
            if who:
                lines.append(f"آخرین تغییر: {who}")
            lines.append(f"یادداشت: {e(_isolated(facts.note)) if facts.note else '—'}")
            evidence = []
            for ev in facts.evidence:
                text = e(_isolated(evidence_text(ev), ev.get("kind") == "url"))
                if ev.get("kind") == "file" and ev.get("blob_sha256"):
                    evidence.append(f'<a href="evidence:{ev["blob_sha256"]}/{e(Path(ev["filename"] or "").name)}">{text}</a>')
                elif ev.get("kind") == "url":
                    evidence.append(f'<a href="{e(ev.get("text") or "")}">{text}</a>')
                else:
                    evidence.append(text)
            lines.append("مستندات: " + ("، ".join(evidence) if evidence else "—"))
            parts.append("<p>" + "<br/>".join(lines) + "</p>")
        return "".join(parts)

    def open_link(self, url: QUrl) -> Path | None:
        """A candidate's evidence file (from a temporary copy) in the system's viewer, or a URL in the browser."""
        if url.scheme() != "evidence":
            self.open_url(url)
            return None
        sha, _, name = url.path().partition("/")
        size = stored_file_size(self.session, sha)
        if size is None:
            self.message.setText(f"محتوای فایل «{name}» در پایگاه داده پیدا نشد.")
            return None
        folder = Path(tempfile.gettempdir()) / "evaluator-workbench" / sha[:16]
        target = folder / (name or "evidence")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.stat().st_size != size:
                save_stored_file(self.session, sha, target)  # streamed, never whole in memory
        except OSError as exc:
            self.message.setText(f"فایل «{name}» برای نمایش نوشته نشد: {os_problem(exc)}.")
            return None
        self.opened = target
        self.open_url(QUrl.fromLocalFile(str(target)))
        return target

    def _guide(self, view: ConflictView) -> str:
        head = f"<p><b>{html.escape(desk.record_text(view))}</b> — {html.escape(desk.group_text(view))}</p>"
        measure_key = self._measure_key(view)
        if measure_key is None:
            return head
        measure = self.framework.node(measure_key)
        indicator = self.framework.indicator(measure_key.split(".")[0])
        return head + guide_html(indicator, measure)

    # ------------------------------------------------------------------ settling
    def _settle(self, how: str) -> None:
        view = self.current()
        if view is None:
            return
        reason = self.reason.text().strip()
        chosen = self.candidates.currentItem()
        try:
            if how == "alike":
                if chosen is None or not chosen.data(Qt.ItemDataRole.UserRole + 1):
                    raise UserError("نامزد یک ارزیاب را برگزینید")
                if not reason:
                    raise UserError("دلیل تصمیم را بنویسید؛ در سابقهٔ تغییرات می‌ماند")
                count = desk.settle_alike(self.session, view, chosen.data(Qt.ItemDataRole.UserRole + 1), reason,
                                          self.actor, wait=False)
                done = f"{persian_digits(count)} تعارض با نامزد «{chosen.data(Qt.ItemDataRole.UserRole + 1)}» حل شد."
            elif how == "take":
                if chosen is None:
                    raise UserError("نامزدی را برگزینید")
                resolve(self.session, view.id, take=str(chosen.data(Qt.ItemDataRole.UserRole)), reason=reason,
                        by=self.actor, wait=False)
                done = "تعارض با نامزد برگزیده حل شد."
            elif how == BASE:
                resolve(self.session, view.id, take=BASE, reason=reason, by=self.actor, wait=False)
                done = "تعارض با مقدار پایه حل شد."
            else:
                resolve(self.session, view.id, value=self.value_edit.text(), reason=reason, by=self.actor,
                        wait=False)
                done = "تعارض با مقدار نوشته‌شده حل شد."
            self.session.commit()
        except UserError as exc:
            self.session.rollback()
            self.message.setText(exc.message)
            return
        self.reason.clear()
        self.value_edit.clear()
        self.reload()
        self.message.setText(done)
        self.settled.emit()


def _isolated(text: str, ltr: bool = False) -> str:
    """Outside text (a file name, a URL, a note) isolated from what surrounds it: «نامه.pdf، https://…» kept apart."""
    return path_text(close_bidi(text)) if ltr else "\u2068" + close_bidi(text) + "\u2069"


def _natural(key: str):
    return [int(p) if p.isdigit() else p for p in key.split(".")]
