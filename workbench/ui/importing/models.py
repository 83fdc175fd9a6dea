"""Table models of the import dialog: the refusals and warnings, and what importing will change."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.model.text import persian_digits

_ERROR_COLOR = QColor("#b2182b")
_WARNING_COLOR = QColor("#8c510a")

_ROOT = QModelIndex()  # Qt's default parent: the invisible root


class FindingsModel(QAbstractTableModel):
    """Errors then warnings, one per row: kind, sheet, cell (``A7``) and message."""

    HEADERS = ("نوع", "برگه", "خانه", "شرح")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, dict]] = []

    def set_findings(self, errors: list[dict], warnings: list[dict]) -> None:
        self.beginResetModel()
        self._rows = [("error", e) for e in errors] + [("warning", w) for w in warnings]
        self.endResetModel()

    def finding(self, row: int) -> tuple[str, dict]:
        return self._rows[row]

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return persian_digits(section + 1)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        kind, finding = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "خطا" if kind == "error" else "هشدار",
                finding["sheet"] or "—",
                finding["cell"] or "—",
                finding["message"],
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return finding["message"]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(_ERROR_COLOR if kind == "error" else _WARNING_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 2):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class SummaryModel(QAbstractTableModel):
    """Per table: rows in the file, and how many will be added, changed, removed and kept."""

    TABLES = (("services", "خدمات"), ("table4", "جدول ۴"), ("table5", "جدول ۵"))
    COLUMNS = (("total", "در فایل"), ("added", "افزوده"), ("changed", "تغییریافته"),
               ("removed", "حذف‌شده"), ("kept", "بی‌تغییر"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self._summary: dict | None = None

    def set_summary(self, summary: dict | None) -> None:
        self.beginResetModel()
        self._summary = summary
        self.endResetModel()

    def count(self, table: str, what: str) -> int | None:
        if self._summary is None:
            return None
        return self._summary[table] if what == "total" else self._summary[what][table]

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.TABLES)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section][1]
        return self.TABLES[section][1]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self.count(self.TABLES[index.row()][0], self.COLUMNS[index.column()][0])
        return "—" if value is None else persian_digits(value)
