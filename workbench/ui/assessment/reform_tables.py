"""Tables 4 and 5 of indicator 5 (process reform) with the evaluator's verdict per row.

The agency's columns are read-only (they come from the spreadsheet it
submitted); the evaluator sets «پذیرش» (accepted / rejected / not reviewed)
and a note.  Only accepted rows of table 4 count: indicator 5 earns
``points × min(1, improved / min(10, sub-services))`` where "improved" is the
number of distinct services among the accepted table 4 rows.

An agency that submitted no table 4 leaves the item unscored (never a silent
0 %) until the evaluator confirms the zero with «جدول ۴ ارائه نشده است»,
which stores ``False`` as the reform item's answer (see
``scoring.item_fraction``).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.model import terms
from workbench.model.editing import Edit
from workbench.model.jalali import format_jalali
from workbench.model.schema import ReformAction, ReformRow
from workbench.model.scoring import REFORM_CAP
from workbench.model.terms import VERDICT_CHOICES
from workbench.model.text import format_number, persian_digits
from workbench.ui.assessment.measure_inputs import rtl
from workbench.ui.assessment.reform_checks import STEPS_HEADER, confirm_accept, steps_cell

#: The verdicts, in the order the combo box offers them.
ACCEPTANCE = VERDICT_CHOICES
ACCEPTANCE_TEXT = dict(ACCEPTANCE)
_ACCEPTANCE_BRUSH = {
    True: QBrush(QColor("#e3f2e1")),
    False: QBrush(QColor("#fbe3e1")),
    None: QBrush(QColor("#fff4d6")),
}
EDITABLE = ("accepted", "evaluator_note")


@dataclass(frozen=True)
class TableSpec:
    edit_kind: str
    model: type
    title: str
    columns: tuple[tuple[str, str], ...]  # (attribute, Persian header)


def _window_spec(edit_kind: str, model: type, table: terms.TableSpec) -> TableSpec:
    """``table`` as the window shows it: the verdict beside the row number, the evaluator's note last."""
    keys = ("row_no", "accepted", *table.keys[1:], "evaluator_note")
    columns = [(k, table.header(k)) for k in keys]
    if edit_kind == "reform_row":  # computed from table 5 (reform_checks): the six steps per service
        columns.insert(keys.index("service_title") + 1, ("steps", STEPS_HEADER))
    return TableSpec(edit_kind, model, table.title, tuple(columns))


TABLE4 = _window_spec("reform_row", ReformRow, terms.TABLE4)
TABLE5 = _window_spec("reform_action", ReformAction, terms.TABLE5)


class ReformTableModel(QAbstractTableModel):
    """Table 4 or 5 of the assessed agency, one row per stored row, in the agency's order."""

    message = Signal(str)

    def __init__(self, controller, spec: TableSpec, parent=None):
        super().__init__(parent)
        self._controller = controller
        self.spec = spec
        self._keys = tuple(c[0] for c in spec.columns)
        self._rows: list[dict] = []
        self._applying = False
        self.reload()
        controller.changed.connect(self._changed)
        controller.refused.connect(self._on_refused)

    def _on_refused(self, text: str) -> None:
        if self._applying:  # only this table's own edits
            self.message.emit(text)
            # A row deleted elsewhere (a re-import) is still shown: read the table again, once
            # the delegate that made the edit is done with its index.
            QTimer.singleShot(0, self, self.refresh)

    # ---- loading
    def _changed(self, changes) -> None:
        if changes.reform:
            self.refresh()

    def reload(self) -> None:
        rows = self._controller.reform_rows(self.spec.edit_kind, tuple(k for k in self._keys if k != "steps"))
        self.beginResetModel()
        self._rows = rows
        self._set_steps()
        self.endResetModel()

    def _set_steps(self) -> bool:
        """Table 4's steps column from table 5 (changes when a table 5 row is rejected); True if it changed."""
        if "steps" not in self._keys:
            return False
        self._steps = self._controller.reform_steps()
        changed = False
        for row in self._rows:
            cell = steps_cell(self._steps, row["service_id"])
            changed |= row.get("steps") != cell
            row["steps"] = cell
        return changed

    def refresh(self) -> None:
        """Re-read the verdicts after an edit or undo; only changed rows are announced."""
        result = self._controller.reform_rows(self.spec.edit_kind, ("accepted", "evaluator_note"))
        if [r["uuid"] for r in result] != [r["uuid"] for r in self._rows]:
            self.reload()  # the agency's file was imported again
            return
        for i, new in enumerate(result):
            row = self._rows[i]
            accepted, note = new["accepted"], new["evaluator_note"]
            if row["accepted"] != accepted or (row["evaluator_note"] or "") != (note or ""):
                row["accepted"], row["evaluator_note"] = accepted, note
                first, last = self._keys.index("accepted"), self._keys.index("evaluator_note")
                self.dataChanged.emit(self.index(i, first), self.index(i, last))
        if self._rows and self._set_steps():
            column = self._keys.index("steps")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def row_uuid(self, row: int) -> str:
        return self._rows[row]["uuid"]

    def row_values(self, row: int) -> dict:
        return dict(self._rows[row])

    def column_of(self, key: str) -> int:
        return self._keys.index(key)

    # ---- Qt model
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.spec.columns[section][1]
        return persian_digits(section + 1)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = self._keys[index.column()]
        value = row[key]
        if key == "steps":
            return {Qt.ItemDataRole.DisplayRole: value[0], Qt.ItemDataRole.ToolTipRole: value[1],
                    Qt.ItemDataRole.TextAlignmentRole: Qt.AlignmentFlag.AlignCenter}.get(role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(key, value)
        if role == Qt.ItemDataRole.EditRole:
            return value if key == "accepted" else (value or "")
        if role == Qt.ItemDataRole.BackgroundRole and key == "accepted":
            return _ACCEPTANCE_BRUSH[value]
        if role == Qt.ItemDataRole.ToolTipRole and key in ("service_title", "description", "action", "evaluator_note"):
            return value or None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in (
            "row_no", "service_id", "value_before", "value_target", "value_after", "start_date", "end_date", "accepted"
        ):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._keys[index.column()] in EDITABLE and not self._controller.read_only():
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row = self._rows[index.row()]
        key = self._keys[index.column()]
        number = persian_digits(row["row_no"])
        table = "۴" if self.spec.edit_kind == "reform_row" else "۵"
        if key == "accepted":
            verdict = _verdict(value)
            if verdict == row["accepted"]:
                return True
            if verdict is True and "steps" in self._keys and not self._confirm(row["service_id"]):
                return False
            text = f"«{ACCEPTANCE_TEXT[verdict]}» برای ردیف {number} جدول {table}"
            fields = {"accepted": verdict}
        else:
            note = str(value or "").strip()
            if note == (row["evaluator_note"] or ""):
                return True
            text = f"یادداشت ارزیاب برای ردیف {number} جدول {table}"
            fields = {"evaluator_note": note}
        edit = Edit(self.spec.edit_kind, self._controller.assessment().uuid, row["uuid"], fields)
        self._applying = True
        try:
            return self._controller.apply(edit, text)
        finally:
            self._applying = False


    def _confirm(self, service_id: str) -> bool:
        item = next((it for it in self._controller.framework().items() if it.kind == "reform"), None)
        withhold = bool(item and item.six_steps and item.six_steps.withhold)
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        return confirm_accept(parent, service_id, self._steps, withhold)


def _verdict(value) -> bool | None:
    """True / False / None from a bool, None or a Persian label."""
    if value is None or isinstance(value, bool):
        return value
    for verdict, label in ACCEPTANCE:
        if value == label:
            return verdict
    raise ValueError(f"not a verdict: {value!r}")


def _display(key: str, value) -> str:
    if key == "accepted":
        return ACCEPTANCE_TEXT[value]
    if value is None or value == "":
        return "—" if key not in ("evaluator_note", "description") else ""
    if key in ("start_date", "end_date"):
        return format_jalali(value)
    if key in ("value_before", "value_target", "value_after"):
        return format_number(value)
    if key in ("row_no", "service_id"):
        return persian_digits(value)
    return str(value)


class AcceptanceDelegate(QStyledItemDelegate):
    """A combo box of the three verdicts; the choice is written as soon as it is made."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        for verdict, label in ACCEPTANCE:
            combo.addItem(label, verdict)
        # Commit on choice, so one click and one pick is the whole edit.
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor, index):
        value = index.data(Qt.ItemDataRole.EditRole)
        for i in range(editor.count()):
            if editor.itemData(i) == value:
                editor.setCurrentIndex(i)
                return

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def make_reform_view(model: ReformTableModel, parent=None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setItemDelegateForColumn(model.column_of("accepted"), AcceptanceDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)  # Tab moves on, arrows move within (else Tab walks every cell)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    metrics = view.fontMetrics()
    wide = {"service_title": 16, "description": 16, "action": 18, "criterion": 12, "step": 12}
    for i, (key, text) in enumerate(model.spec.columns):
        width = metrics.horizontalAdvance(text) + 24
        if key in wide:
            width = max(width, metrics.horizontalAdvance("م" * wide[key]))
        elif key in ("service_id", "start_date", "end_date"):
            width = max(width, metrics.horizontalAdvance("۰۰۰۰۰۰۰۰۰") + 20)
        elif key == "accepted":
            width = max(width, metrics.horizontalAdvance(ACCEPTANCE_TEXT[None]) + 48)
        view.setColumnWidth(i, width)
    return view


class ReformPanel(QWidget):
    """Tables 4 and 5, one tab each (each gets the whole height), and how indicator 5 counts them."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self._controller = controller
        self.table4 = ReformTableModel(controller, TABLE4, self)
        self.table5 = ReformTableModel(controller, TABLE5, self)
        self.view4 = make_reform_view(self.table4, self)
        self.view5 = make_reform_view(self.table5, self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setToolTip("برای پذیرش یا رد یک ردیف، روی ستون «پذیرش» دوبار کلیک کنید یا F2 بزنید.")

        # No table 4 at all: say so, and let the evaluator confirm the zero (else nothing is scored).
        self._item_key = next(
            (it.key for m in controller.framework().measures() for it in m.items if it.kind == "reform"), ""
        )
        self.no_table = QFrame(self)
        self.no_table.setStyleSheet("QFrame { background: #fff4d6; }")
        no_table_text = QLabel("<b>دستگاه جدول ۴ ارائه نکرده است.</b>", self.no_table)
        no_table_text.setWordWrap(True)
        self.confirm_none = QCheckBox("جدول ۴ ارائه نشده است (امتیاز صفر)", self.no_table)
        self.confirm_none.setToolTip(
            "تا این تأیید نشود، این نماگر امتیازی نمی‌گیرد و در «موارد ناقص» می‌ماند؛ "
            "اگر دستگاه جدول ۴ را بعداً فرستاد، کارپوشهٔ آن را از منوی «پرونده» وارد کنید."
        )
        self.confirm_none.clicked.connect(self._confirm_clicked)
        line = QHBoxLayout(self.no_table)
        line.setContentsMargins(6, 4, 6, 4)
        line.addWidget(no_table_text, 1)
        line.addWidget(self.confirm_none)
        self._applying = False

        self.tabs = QTabWidget(self)
        for spec, view in ((TABLE4, self.view4), (TABLE5, self.view5)):
            view.setToolTip(self.summary.toolTip())
            view.setMinimumHeight(view.horizontalHeader().sizeHint().height()
                                  + 2 * view.verticalHeader().defaultSectionSize() + 4)
            self.tabs.addTab(view, spec.title)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.hide()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file's name or a cell
        for model in (self.table4, self.table5):
            model.message.connect(self.show_message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.no_table)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        controller.changed.connect(self.update_summary)
        controller.refused.connect(self._on_refused)
        self.update_summary()

    def focus_order(self) -> list[QWidget]:
        return [self.confirm_none, self.tabs.tabBar(), self.view4, self.view5]

    # ---- no table 4
    def none_confirmed(self) -> bool:
        """Whether the evaluator has confirmed that the agency submitted no table 4."""
        return self._controller.answer_value(self._item_key) is False

    def _confirm_clicked(self, checked: bool) -> None:
        self.show_message("")
        text = "تأیید «جدول ۴ ارائه نشده است»" if checked else "لغو تأیید «جدول ۴ ارائه نشده است»"
        edit = Edit("answer", self._controller.assessment().uuid, self._item_key, {"value": False if checked else None})
        self._applying = True
        try:
            done = self._controller.apply(edit, text)
        finally:
            self._applying = False
        if not done:
            self.update_summary()  # the box back to what is stored

    def _on_refused(self, text: str) -> None:
        if self._applying:
            self.show_message(text)

    def _update_no_table(self, subs: int) -> None:
        none = self.table4.rowCount() == 0 and bool(self._item_key)
        self.no_table.setVisible(none)
        # With no sub-services there is nothing to score either way; the measure page says why.
        self.confirm_none.setVisible(none and subs > 0)
        self.confirm_none.setChecked(none and self.none_confirmed())
        node = self._controller.card().nodes.get(self._item_key)
        applicable = node is None or node.applicable
        self.confirm_none.setEnabled(applicable and not self._controller.read_only())

    def show_message(self, text: str) -> None:
        self.message.setText(rtl(text))
        self.message.setVisible(bool(text))

    def counts(self) -> tuple[int, int]:
        """(improved sub-services, sub-services) as the scorer counts them."""
        reform = self._controller.reform_count()
        self._on_parents = reform.on_parents
        return reform.improved, reform.sub_services

    def update_summary(self) -> None:
        improved, subs = self.counts()
        parents = (f" {persian_digits(self._on_parents)} خدمت مادرِ پذیرفته شمرده نشد (فقط زیرخدمات شمرده می‌شوند)."
                   if self._on_parents else "")
        reviewed4 = sum(1 for r in range(self.table4.rowCount()) if self.table4.row_values(r)["accepted"] is not None)
        reviewed5 = sum(1 for r in range(self.table5.rowCount()) if self.table5.row_values(r)["accepted"] is not None)
        self.tabs.setTabText(0, f"جدول ۴ — خدمات بهبودیافته ({persian_digits(reviewed4)} از "
                                f"{persian_digits(self.table4.rowCount())} بررسی‌شده)")
        self.tabs.setTabText(1, f"جدول ۵ — اقدامات بهبود ({persian_digits(reviewed5)} از "
                                f"{persian_digits(self.table5.rowCount())} بررسی‌شده)")
        # The measure page states the count in its own line; here only what the tables add.
        self.summary.setText(
            f"پذیرفته: {persian_digits(improved)} خدمت از {persian_digits(min(REFORM_CAP, subs))} لازم.{parents} "
            "پذیرش یا رد هر ردیف: دوبار کلیک یا F2 روی ستون «پذیرش»."
        )
        self.summary.setVisible(self.table4.rowCount() > 0)
        self._update_no_table(subs)
