"""The 11 indicators and their measures as a tree, with live scores and marks.

A real item model over the round's framework: the structure never changes
while an assessment is open (weight overrides change points, not keys), so
a change of answers is one ``dataChanged`` over the score and mark columns.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate, QTreeView

from workbench.model import terms
from workbench.model.completeness import Gap, measure_key_of
from workbench.model.framework import Framework
from workbench.model.scoring import ScoreCard
from workbench.model.text import format_number, persian_digits

COLUMNS = ("شاخص / نماگر", "امتیاز", "")
COL_TITLE, COL_SCORE, COL_MARK = range(3)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
MARK_ROLE = Qt.ItemDataRole.UserRole + 2

COMPLETE, INCOMPLETE, NOT_APPLICABLE = "complete", "incomplete", "na"
MARK_NAMES = {COMPLETE: "کامل", INCOMPLETE: "ناقص", NOT_APPLICABLE: terms.NOT_APPLICABLE}
MARK_COLORS = {COMPLETE: "#1b7837", INCOMPLETE: "#d98c00", NOT_APPLICABLE: "#8a8a8a"}


def _mark_icon(mark: str, size: int = 14) -> QIcon:
    """Drawn, not taken from a font: a tick glyph may be missing from Vazirmatn."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(MARK_COLORS[mark])
    rect = QRectF(1.5, 1.5, size - 3, size - 3)
    if mark == COMPLETE:
        p.setBrush(QBrush(color))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(rect)
        p.setPen(QPen(QColor("white"), 1.8))
        p.drawPolyline([QPointF(size * 0.28, size * 0.52), QPointF(size * 0.44, size * 0.68),
                        QPointF(size * 0.72, size * 0.34)])
    elif mark == INCOMPLETE:
        p.setPen(QPen(color, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
        p.setBrush(QBrush(color))
        p.drawPie(rect, 90 * 16, 180 * 16)
    else:
        p.setPen(QPen(color, 2))
        p.drawEllipse(rect)
        p.drawLine(QPointF(size * 0.28, size * 0.5), QPointF(size * 0.72, size * 0.5))
    p.end()
    return QIcon(pix)


class _Node:
    __slots__ = ("key", "title", "parent", "row", "children")

    def __init__(self, key: str, title: str, parent: "_Node | None", row: int):
        self.key, self.title, self.parent, self.row = key, title, parent, row
        self.children: list[_Node] = []


class ScoreTreeModel(QAbstractItemModel):
    def __init__(self, framework: Framework, parent=None):
        super().__init__(parent)
        self._root = _Node("", "", None, 0)
        self._by_key: dict[str, _Node] = {}
        for i, ind in enumerate(framework.indicators):
            # Persian digits in the titles too («جداول 4 و 5» in the guide's text).
            node = _Node(ind.key, persian_digits(ind.title), self._root, i)
            self._root.children.append(node)
            self._by_key[ind.key] = node
            for j, m in enumerate(ind.measures):
                child = _Node(m.key, persian_digits(m.title), node, j)
                node.children.append(child)
                self._by_key[m.key] = child
        self._framework = framework
        self._card: ScoreCard | None = None
        self._marks: dict[str, str] = {}
        self._icons = {m: _mark_icon(m) for m in MARK_NAMES}

    def set_scores(self, card: ScoreCard, gaps: list[Gap]) -> None:
        """New scores and marks; a measure is complete when it has no gap at all."""
        self._card = card
        gap_measures = {measure_key_of(self._framework, g.key) for g in gaps}
        marks = {}
        for ind in self._root.children:
            for m in ind.children:
                if not card[m.key].applicable:
                    marks[m.key] = NOT_APPLICABLE
                else:
                    marks[m.key] = INCOMPLETE if m.key in gap_measures else COMPLETE
            child_marks = {marks[m.key] for m in ind.children}
            if not card[ind.key].applicable:
                marks[ind.key] = NOT_APPLICABLE
            else:
                marks[ind.key] = INCOMPLETE if INCOMPLETE in child_marks else COMPLETE
        self._marks = marks
        last = self.index(len(self._root.children) - 1, COL_MARK)
        self.dataChanged.emit(self.index(0, COL_SCORE), last)
        for i, ind in enumerate(self._root.children):
            parent = self.index(i, 0)
            self.dataChanged.emit(self.index(0, COL_SCORE, parent), self.index(len(ind.children) - 1, COL_MARK, parent))

    def mark(self, key: str) -> str:
        return self._marks.get(key, "")

    def index_of(self, key: str, column: int = COL_TITLE) -> QModelIndex:
        node = self._by_key.get(key)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, column, node)

    def measure_keys(self) -> list[str]:
        return [m.key for ind in self._root.children for m in ind.children]

    # ---- Qt's item model interface
    def index(self, row, column, parent=QModelIndex()):  # noqa: B008 - Qt's signature
        owner = parent.internalPointer() if parent.isValid() else self._root
        if not 0 <= row < len(owner.children) or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column, owner.children[row])

    def parent(self, index=QModelIndex()):  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = index.internalPointer().parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        if parent.isValid():
            return len(parent.internalPointer().children) if parent.column() == 0 else 0
        return len(self._root.children)

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        col = index.column()
        if role == KEY_ROLE:
            return node.key
        if role == MARK_ROLE:
            return self._marks.get(node.key, "")
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return f"{persian_digits(node.key)}. {node.title}"
            if col == COL_SCORE:
                return self._score_text(node.key)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_MARK:
            mark = self._marks.get(node.key)
            return self._icons.get(mark) if mark else None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) and col == COL_MARK:
            return MARK_NAMES.get(self._marks.get(node.key, ""), "")  # the icon's word, for tooltips and screen readers
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TITLE:
            return node.title
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SCORE:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and node.parent is self._root:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _score_text(self, key: str) -> str:
        if self._card is None:
            return ""
        node = self._card[key]
        if not node.applicable:
            return "—"
        # "از", not a slash: a slash between Persian digits reads backwards in a right-to-left row.
        # One decimal: the column stays narrow and the titles keep the width (the page and the
        # header show two).
        # Nothing scored yet shows a dash, never a zero that was not earned.
        earned = "—" if node.percent is None else format_number(node.earned, 1)
        return f"{earned} از {format_number(node.possible, 1)}"


class _WrappingTitles(QStyledItemDelegate):
    """Titles wrap onto as many lines as the title column's width needs.

    ``QStyledItemDelegate`` measures a wrapped text without a width (one long
    line), so a narrow tree would cut or elide titles such as «کاربرد یکی از
    رسانه‌های نوین مانند سامانه پیامکی، USSD و ...»; here the height is
    measured at the width the title really gets.
    """

    def __init__(self, tree: "ScoreTree"):
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != COL_TITLE:
            return hint
        depth = 1 if index.parent().isValid() else 0
        tree = self._tree
        # The title column also holds the branch indicator (one indentation per level, plus the
        # root's); the style leaves a margin on each side of the text.
        margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
        width = tree.columnWidth(COL_TITLE) - tree.indentation() * (depth + 1) - 2 * margin
        metrics = QFontMetrics(index.data(Qt.ItemDataRole.FontRole) or option.font)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        wrapped = metrics.boundingRect(QRect(0, 0, max(width, 40), 10_000), Qt.TextFlag.TextWordWrap, text)
        # One line keeps Qt's own row height; each further line adds a line's height.
        return QSize(hint.width(), hint.height() + max(0, wrapped.height() - metrics.height()))


class ScoreTree(QTreeView):
    """The tree view; keeps measures selectable by keyboard like any tree."""

    def __init__(self, model: ScoreTreeModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAllColumnsShowFocus(True)
        # Rows as tall as their wrapped title (see _WrappingTitles): nothing cut, nothing elided.
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(_WrappingTitles(self))
        self.setAlternatingRowColors(True)
        self.setAccessibleName("درخت شاخص‌ها و نماگرها")
        self.setIndentation(14)  # two levels only; every pixel saved goes to the titles
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SCORE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_MARK, QHeaderView.ResizeMode.ResizeToContents)
        # A new title width means new row heights; the view caches them, so lay the rows out again.
        header.sectionResized.connect(lambda col, *_: col == COL_TITLE and self.scheduleDelayedItemsLayout())
        self.expandAll()

    def select_key(self, key: str) -> None:
        index = self.model().index_of(key)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def current_key(self) -> str:
        index = self.currentIndex()
        return index.data(KEY_ROLE) if index.isValid() else ""
