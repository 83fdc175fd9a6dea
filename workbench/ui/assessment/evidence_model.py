"""The evidence of one measure as a table (kind, what it says, size, when added), and its words."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

from workbench.model.jalali import format_jalali
from workbench.model.terms import MEASURE_EVIDENCE_LABELS
from workbench.model.text import ascii_digits, format_number, normalize, persian_digits

KIND_TITLES = MEASURE_EVIDENCE_LABELS
_KIND_ICONS = {
    "url": QStyle.StandardPixmap.SP_DriveNetIcon,
    "file": QStyle.StandardPixmap.SP_FileIcon,
    "number": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "text": QStyle.StandardPixmap.SP_FileDialogDetailedView,
}


def format_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{persian_digits(size)} بایت"
    if size < 1024 * 1024:
        return f"{format_number(size / 1024, 1)} کیلوبایت"
    return f"{format_number(size / (1024 * 1024), 1)} مگابایت"


def parse_number(text: str) -> float:
    """A number typed with Persian, Arabic or Latin digits (``۱۲٫۵``, ``1,200``); ValueError otherwise."""
    folded = normalize(ascii_digits(text)).replace(",", "").replace(" ", "")
    if not folded:
        raise ValueError(text)
    return float(folded)


class EvidenceListModel(QAbstractTableModel):
    """The evidence of one measure of the open assessment, oldest first."""

    COLUMNS = ("نوع", "مستند", "اندازه", "تاریخ افزودن")

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self._controller = controller
        self._measure = ""
        self._rows: list[dict] = []
        controller.changed.connect(self._changed)

    def _changed(self, changes) -> None:
        if changes.evidence:
            self.refresh()

    def set_measure(self, key: str) -> None:
        self._measure = key
        self.added_row = -1
        self.beginResetModel()
        self._rows = self._load()
        self.endResetModel()

    #: After a refresh that added rows to the same measure: the first new row (the list is in the
    #: order they were added), for the panel to show; -1 when none.
    added_row = -1

    def refresh(self) -> None:
        rows = self._load()
        if rows != self._rows:
            known = {r["uuid"] for r in self._rows}
            new = [i for i, r in enumerate(rows) if r["uuid"] not in known]
            self.added_row = new[0] if new else -1
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            self.added_row = -1

    def _load(self) -> list[dict]:
        if not self._measure:
            return []
        return self._controller.evidence_rows(self._measure)

    def evidence(self, row: int) -> dict:
        return dict(self._rows[row])

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        ev = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return KIND_TITLES.get(ev["kind"], ev["kind"])
            if col == 1:
                return evidence_text(ev)
            if col == 2:
                return format_size(ev["size"]) if ev["kind"] == "file" else ""
            return format_jalali(ev["created_at"])
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and ev["kind"] in _KIND_ICONS:
            return QApplication.style().standardIcon(_KIND_ICONS[ev["kind"]])
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return ev["text"] or ev["filename"] or None
        return None


def evidence_text(ev: dict) -> str:
    """What a row of evidence says, in one line."""
    if ev["kind"] == "file":
        return ev["filename"] + (f" — {ev['text']}" if ev["text"] else "")
    if ev["kind"] == "number":
        return format_number(ev["number"], 4) + (f" — {ev['text']}" if ev["text"] else "")
    return " ".join((ev["text"] or "").split())
