"""The agency list as Qt models: the rows (:class:`AgencyTableModel`) and the search and filters (:class:`AgencyFilter`)."""
from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from workbench.model.terms import LEVEL_LABELS, NOT_STARTED, STATUS_LABELS
from workbench.model.text import format_percent, normalize, persian_digits
from workbench.workspace.agencies import AgencyRow

LEVEL_NAMES = LEVEL_LABELS
#: The statuses the list shows and filters by: no assessment yet, then the stored ones.
STATUS_NAMES = {"": NOT_STARTED, **STATUS_LABELS}
COLUMNS = ("کد", "نام دستگاه", "سطح", "استان", "وضعیت", "امتیاز", "واگذار به")
COL_CODE, COL_NAME, COL_LEVEL, COL_PROVINCE, COL_STATUS, COL_SCORE, COL_HOLDER = range(7)
#: The holder column and filter's word for an agency no evaluator has been handed (a supervisor's database).
NOBODY = "واگذارنشده"
#: Role holding the value a column sorts by (numbers as numbers, not as Persian text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role holding the agency's uuid.
UUID_ROLE = Qt.ItemDataRole.UserRole + 2
#: The name column's narrowest width before other columns give way to it.
NAME_MIN_WIDTH = 140
#: The columns hidden (in this order) while the name would be narrower than that: the level and
#: the province are in the name ("… استان قم") and in the filters; the code is in the tooltip.
YIELDING_COLUMNS = (COL_LEVEL, COL_PROVINCE, COL_CODE)
#: Time a keyboard user may rest on a row before its assessment opens: arrowing
#: through the list should not open (and create a draft for) every agency passed.
OPEN_DELAY_MS = 180


class AgencyTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[AgencyRow] = []
        self._by_uuid: dict[str, int] = {}
        self.in_code_order = True
        #: {agency code: Holding} on a supervisor's database (the holder column), else empty.
        self.holdings: dict = {}

    def set_holdings(self, holdings: dict) -> None:
        """Who each agency is assigned to (a supervisor's database): the holder column and its filter."""
        self.holdings = holdings
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_HOLDER), self.index(len(self._rows) - 1, COL_HOLDER))

    def set_rows(self, rows: list[AgencyRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._by_uuid = {r.uuid: i for i, r in enumerate(rows)}
        codes = [r.code for r in rows]
        #: The rows are in ascending code order already (``agency_rows`` reads them so).
        self.in_code_order = all(a < b for a, b in zip(codes, codes[1:]))
        self.endResetModel()

    def row_data(self, row: int) -> AgencyRow:
        return self._rows[row]

    def row_of(self, agency_uuid: str) -> int:
        return self._by_uuid.get(agency_uuid, -1)

    def rows(self) -> list[AgencyRow]:
        return list(self._rows)

    def update_agency(self, agency_uuid: str, status: str | None = None, percent: float | None = None,
                      scored: bool = True) -> None:
        i = self.row_of(agency_uuid)
        if i < 0:
            return
        row = self._rows[i]
        if status is not None:
            row.status = status
        if scored:
            row.percent, row.scored = percent, True
        self.dataChanged.emit(self.index(i, COL_STATUS), self.index(i, COL_SCORE))

    def set_scores(self, scores: dict[str, tuple[str, float | None]]) -> None:
        for row in self._rows:
            if row.uuid in scores:
                row.status, row.percent = scores[row.uuid]
            row.scored = True
        if self._rows:
            self.dataChanged.emit(self.index(0, COL_STATUS), self.index(len(self._rows) - 1, COL_SCORE))

    # ---- Qt's table interface
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if col == COL_HOLDER and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SORT_ROLE):
            return self.holder_text(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            if col == COL_SCORE:
                return -1.0 if row.percent is None else row.percent
            if col == COL_CODE:
                return row.code
            return self._display(row, col)
        if role == UUID_ROLE:
            return row.uuid
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_CODE, COL_SCORE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NAME:
            # The whole name, and what hidden columns would say, when the pane is narrow.
            where = LEVEL_NAMES.get(row.level, row.level) + (f"، {row.province}" if row.province else "")
            return f"{row.name}\n{persian_digits(row.code)} — {where}"
        return None

    @staticmethod
    def _display(row: AgencyRow, col: int) -> str:
        if col == COL_CODE:
            return persian_digits(row.code)
        if col == COL_NAME:
            return row.name
        if col == COL_LEVEL:
            return LEVEL_NAMES.get(row.level, row.level)
        if col == COL_PROVINCE:
            return row.province or "—"
        if col == COL_STATUS:
            return STATUS_NAMES.get(row.status, row.status)
        if col == COL_SCORE:
            if not row.scored:
                return "…"
            return format_percent(row.percent)
        return ""

    def holder_text(self, row: AgencyRow) -> str:
        held = self.holdings.get(row.code)
        return held.text() if held is not None else NOBODY


class AgencyFilter(QSortFilterProxyModel):
    """Search (normalised: ي/ی, ك/ک and digit forms match) and the three filters.

    The agency open on screen stays listed when its status no longer matches
    the status filter (:meth:`set_pinned`).  Opening an agency listed under «شروع‌نشده» makes it a
    draft; had its row then been filtered out, the next row became current
    and was opened in its turn, 180 ms later, and so on: one click made a
    draft of every agency in the list and left the evaluator on another one.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self._level = ""
        self._province = ""
        self._status: str | None = None  # None = any status
        self._holder: str | None = None  # None = anyone or nobody; "" = nobody; else that evaluator
        self._pinned = ""  # the open agency's uuid
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sorted by ``column``; by code, ascending, over rows already in that order: the rows' own order.

        Qt's sort asks :meth:`AgencyTableModel.data` for both sides of every comparison, some
        60,000 Python calls for 2,500 rows, at every reset of the list, to find the order the
        rows came in.  The source's order is what that sort would give (codes are unique).
        """
        source = self.sourceModel()
        if (column == COL_CODE and order == Qt.SortOrder.AscendingOrder and source is not None
                and source.in_code_order):
            column = -1  # no sorting: the source's order
        super().sort(column, order)

    def set_pinned(self, agency_uuid: str) -> None:
        self._refilter("_pinned", agency_uuid or "")

    def set_search(self, text: str) -> None:
        self._refilter("_words", normalize(text).split())

    def set_level(self, level: str) -> None:
        self._refilter("_level", level)

    def set_province(self, province: str) -> None:
        self._refilter("_province", province)

    def set_status(self, status: str | None) -> None:
        self._refilter("_status", status)

    def set_holder(self, holder: str | None) -> None:
        self._refilter("_holder", holder)

    def _refilter(self, name: str, value) -> None:
        """Change one criterion; Qt 6.10 wants the change bracketed (invalidateFilter is deprecated)."""
        if getattr(self, name) == value:
            return  # the pane sets every criterion on any change: filter only when one differs
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            setattr(self, name, value)
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        row = self.sourceModel().row_data(source_row)
        if self._level and row.level != self._level:
            return False
        if self._province and row.province != self._province:
            return False
        # Only the status changes under an open agency (the search, level and province do not),
        # so only the status filter lets the open agency stay.
        if self._status is not None and row.status != self._status and row.uuid != self._pinned:
            return False
        if self._holder is not None:
            held = self.sourceModel().holdings.get(row.code)
            names = held.names if held is not None else []
            if (self._holder == "" and names) or (self._holder and self._holder not in names):
                return False
        return all(word in row.search_key for word in self._words)
