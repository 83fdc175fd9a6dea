"""The small dialogs that ask where a report goes: tables 4 and 5, and the ranking.

They only ask (scope, file or folder, grouping) and check the answer; the
report itself is started by :mod:`workbench.ui.reports.actions` once the
dialog is accepted.  A path that cannot be used is said in the dialog, in
red, and the dialog stays open with what was typed.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.model.problems import path_text
from workbench.model.terms import GROUPING_CHOICES
from workbench.model.text import persian_digits
from workbench.ui.shared import file_dialogs

#: (grouping of ``export_ranking``, what the user reads); the CLI's ``--group`` choices.
GROUPINGS = tuple(GROUPING_CHOICES.items())
_ERROR_STYLE = "color: #b00020;"


class _PathRow(QWidget):
    """A path in a line edit with a «انتخاب…» button beside it."""

    def __init__(self, text: str, choose, parent=None):
        super().__init__(parent)
        self.edit = QLineEdit(text, self)
        self.edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a path reads left to right
        self.edit.setMinimumWidth(360)
        self.button = QPushButton("انتخاب…", self)
        self.button.clicked.connect(lambda: choose(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    def path(self) -> str:
        return self.edit.text().strip()


class _ReportDialog(QDialog):
    """Heading, a form, an error line and «تهیهٔ گزارش» / «انصراف»."""

    def __init__(self, title: str, heading: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        label = QLabel(heading, self)
        label.setWordWrap(True)
        label.setStyleSheet("font-weight: bold;")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # it names files and folders
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.hide()
        self.ok_button = QPushButton("تهیهٔ گزارش", self)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton("انصراف", self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self._try_accept)
        self.cancel_button.clicked.connect(self.reject)

    def _try_accept(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if not problem:
            self.accept()

    def problem(self) -> str:
        """Why the answer cannot be used, in Persian; "" when it can."""
        raise NotImplementedError


class Tables45Dialog(_ReportDialog):
    """Tables 4 and 5 of the selected agency or of the whole round, to one .xlsx file."""

    def __init__(self, folder: Path, year: int, agency: tuple[str, str, str] | None, parent=None):
        """``agency``: (uuid, code, name) of the selected agency, or ``None`` when none is."""
        super().__init__("جدول‌های ۴ و ۵ (Excel)", f"جدول‌های ۴ و ۵ دورهٔ {persian_digits(year)} با رأی ارزیاب", parent)
        self._folder, self._year, self._agency = Path(folder), year, agency
        self.one = QRadioButton(self)
        self.all = QRadioButton("همهٔ دستگاه‌های دوره (گروه‌بندی‌شده به تفکیک دستگاه)", self)
        if agency is not None:
            self.one.setText(f"فقط دستگاه «{agency[2]}» (کد {persian_digits(agency[1])})")
        else:
            self.one.setText("فقط یک دستگاه (دستگاهی در فهرست برگزیده نشده است)")
            self.one.setEnabled(False)
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.one)
        self.scope.addButton(self.all)
        (self.one if agency is not None else self.all).setChecked(True)
        scope_box = QVBoxLayout()
        scope_box.addWidget(self.one)
        scope_box.addWidget(self.all)
        self.form.addRow("گستره:", scope_box)
        self.file = _PathRow(str(self._folder / self.suggested_name()), self._choose, self)
        self.file.edit.setAccessibleName("فایل خروجی")
        self.form.addRow("فایل خروجی:", self.file)
        self.note.setText("برگه‌های «جدول ۴» و «جدول ۵»، راست‌به‌چپ، آمادهٔ چاپ روی A4 افقی. "
                          "فایلی با همین نام جایگزین می‌شود.")
        self.scope.buttonToggled.connect(self._scope_changed)
        self.resize(620, self.sizeHint().height())

    def suggested_name(self) -> str:
        # Latin file names, like the other reports' (ranking.xlsx, CODE.pdf): a Persian
        # name with digits and dashes is shown scrambled in a path by the bidi algorithm.
        if self.whole_round():
            return f"tables-4-5-round-{self._year}.xlsx"
        return f"tables-4-5-{self._agency[1]}.xlsx"

    def whole_round(self) -> bool:
        return self._agency is None or self.all.isChecked()

    def agency_uuid(self) -> str | None:
        return None if self.whole_round() else self._agency[0]

    def out_path(self) -> Path:
        path = Path(self.file.path()).expanduser()
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def _scope_changed(self, *_args) -> None:
        # The suggested name follows the scope until the user types one of their own.
        current = Path(self.file.path())
        names = {f"tables-4-5-round-{self._year}.xlsx"}
        if self._agency is not None:
            names.add(f"tables-4-5-{self._agency[1]}.xlsx")
        if current.name in names:
            self.file.edit.setText(str(current.with_name(self.suggested_name())))

    def _choose(self, row: _PathRow) -> None:
        path, _ = file_dialogs.getSaveFileName(self, "ذخیرهٔ جدول‌های ۴ و ۵", row.path(), "کارپوشهٔ Excel (*.xlsx)",
                                               purpose="reports")
        if path:
            row.edit.setText(path)

    def problem(self) -> str:
        if not self.file.path():
            return "نام فایل خروجی را بنویسید یا با «انتخاب…» برگزینید."
        path = self.out_path()
        if path.is_dir():
            return f"«{path_text(path)}» پوشه است؛ نام یک فایل ‎.xlsx را بدهید."
        if not path.parent.is_dir():
            return f"پوشهٔ «{path_text(path.parent)}» وجود ندارد."
        return ""


class RankingDialog(_ReportDialog):
    """The ranking workbook and its charts, into a folder, for one grouping."""

    def __init__(self, folder: Path, year: int, parent=None):
        super().__init__("رتبه‌بندی و نمودارها", f"رتبه‌بندی دستگاه‌های دورهٔ {persian_digits(year)} و نمودارهای آن", parent)
        self.grouping = QComboBox(self)
        self.grouping.setAccessibleName("گروه‌بندی")
        for key, text in GROUPINGS:
            self.grouping.addItem(text, key)
        self.form.addRow("گروه‌بندی:", self.grouping)
        self.folder = _PathRow(str(Path(folder) / f"ranking-{year}"), self._choose, self)
        self.folder.edit.setAccessibleName("پوشهٔ خروجی")
        self.form.addRow("پوشهٔ خروجی:", self.folder)
        self.svg_box = QCheckBox("نمودارها به‌صورت SVG نیز نوشته شود (رسمشان دو برابر زمان می‌برد)", self)
        self.form.addRow("", self.svg_box)
        self.note.setText(
            f"در این پوشه «{path_text('ranking.xlsx')}» (برگه‌ای برای هر گروه، با نمودارها) و در زیرپوشهٔ "
            f"«{path_text('charts')}» نمودارها "
            "به‌صورت PNG (و اگر خواسته شود SVG) نوشته می‌شود؛ خروجی پیشینِ همین پوشه جایگزین می‌شود. "
            "ارزیابی‌های نهایی‌نشده جدا فهرست می‌شوند و رتبه نمی‌گیرند."
        )
        self.resize(620, self.sizeHint().height())

    def group(self) -> str | None:
        return self.grouping.currentData()

    def svg(self) -> bool:
        return self.svg_box.isChecked()

    def out_dir(self) -> Path:
        return Path(self.folder.path()).expanduser()

    def _choose(self, row: _PathRow) -> None:
        path = file_dialogs.getExistingDirectory(self, "پوشهٔ خروجی رتبه‌بندی", row.path(), purpose="reports")
        if path:
            row.edit.setText(path)

    def problem(self) -> str:
        if not self.folder.path():
            return "پوشهٔ خروجی را بنویسید یا با «انتخاب…» برگزینید."
        path = self.out_dir()
        if path.exists() and not path.is_dir():
            return f"«{path_text(path)}» فایل است، نه پوشه."
        if not path.exists() and not path.parent.is_dir():
            return f"پوشهٔ «{path_text(path.parent)}» وجود ندارد؛ پوشهٔ خروجی فقط در پوشه‌ای موجود ساخته می‌شود."
        return ""
