"""«سابقهٔ تغییرات…»: the open assessment's audit trail, as a person reads it.

Assessment ▸ «سابقهٔ تغییرات…» (Ctrl+H) opens a window beside the assessment:
who changed what, when (Jalali, this computer's clock), from what to what,
newest first, with a search over every column.  It follows the assessment:
an edit, undo or import while it is open is listed at once.  The lines come
from :func:`workbench.workspace.audit_trail.assessment_trail`.

Extensible: :meth:`AuditTrailDialog.add_tab` puts another view beside the
changes (the supervisor's merge provenance, for one), and :data:`COLUMNS`
with :class:`TrailModel` are the one place the columns are named.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.model.text import clean_display, normalize, persian_digits
from workbench.workspace.audit_trail import TrailLine

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

TITLE = "سابقهٔ تغییرات"
#: (attribute of TrailLine, header)
COLUMNS = (("when", "زمان تغییر"), ("actor", "کاربر"), ("action", "کار"), ("record", "رکورد"), ("field", "بخش"),
           ("old", "مقدار پیشین"), ("new", "مقدار تازه"))


class TrailModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._lines: list[TrailLine] = []

    def set_lines(self, lines: list[TrailLine]) -> None:
        self.beginResetModel()
        self._lines = list(reversed(lines))  # newest first
        self.endResetModel()

    def line(self, row: int) -> TrailLine:
        return self._lines[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text = getattr(self._lines[index.row()], COLUMNS[index.column()][0])
        if role == Qt.ItemDataRole.DisplayRole:
            return clean_display(text).replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return clean_display(text) if len(text) > 40 else None
        if role == Qt.ItemDataRole.UserRole:  # what the search matches
            return normalize(text)
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None


class AuditTrailDialog(QDialog):
    """The changes of one assessment (a tab; others may add theirs with :meth:`add_tab`)."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(f"{TITLE} — {clean_display(controller.agency().name)}")
        self.model = TrailModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("فهرست تغییرات")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("جست‌وجو در تغییرات (کاربر، رکورد، مقدار…)")
        self.search.setAccessibleName("جست‌وجو در تغییرات")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)

        changes = QWidget(self)
        box = QVBoxLayout(changes)
        box.addWidget(self.search)
        box.addWidget(self.table, 1)
        box.addWidget(self.count)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(changes, "تغییرها")
        self.tabs.tabBar().setVisible(False)  # until another view is added
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(1100, 520)
        controller.changed.connect(self.reload)
        self.reload()

    def add_tab(self, title: str, widget: QWidget) -> None:
        """Another view of this assessment's history beside the changes."""
        self.tabs.addTab(widget, title)
        self.tabs.tabBar().setVisible(True)

    def reload(self, *_args) -> None:
        self.model.set_lines(self.controller.trail())
        widths = (130, 120, 70, 230, 150, 170)
        for col, width in enumerate(widths):
            self.table.setColumnWidth(col, width)
        self._say_count()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(normalize(text))
        self._say_count()

    def _say_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if not total:
            self.count.setText("هنوز تغییری در این ارزیابی ثبت نشده است.")
        elif shown == total:
            self.count.setText(f"{persian_digits(total)} تغییر")
        else:
            self.count.setText(f"{persian_digits(shown)} از {persian_digits(total)} تغییر")


class AuditTrailActions(QObject):
    """Assessment ▸ «سابقهٔ تغییرات…» for the assessment on screen."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.dialog: AuditTrailDialog | None = None
        #: Called with each history dialog shown (the supervisor's desk adds its provenance tab).
        self.on_shown: list = []
        self.action = QAction(f"{TITLE}… (&H)", window)
        self.action.setShortcut(QKeySequence("Ctrl+H"))
        self.action.setToolTip("چه کسی، کی، چه چیزی را از چه به چه تغییر داد")
        self.action.triggered.connect(lambda _checked=False: self.show())
        window.add_menu_action("assessment", self.action)
        window.assessment_opened.connect(self._follow)

    def update_enabled(self) -> None:
        self.action.setEnabled(self.window.current_controller() is not None)

    def show(self) -> AuditTrailDialog | None:
        controller = self.window.current_controller()
        if controller is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog = AuditTrailDialog(controller, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda *_: self._forget(dialog))
        controller.destroyed.connect(dialog.close)  # the database closed
        for hook in self.on_shown:
            hook(dialog)
        dialog.show()
        return dialog

    def _forget(self, dialog: AuditTrailDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _follow(self, controller) -> None:
        """Another agency opened while the history is shown: show its history instead."""
        if self.dialog is not None and self.dialog.controller is not controller:
            self.show()
