"""Opening a round and listing the rounds, from the File menu (the window's side of ``workbench round``).

«دورهٔ تازه…» asks for the year, the framework file, the round to carry the
services and operational plans from (the latest, by default) and a title, and
opens the round through :func:`workbench.model.rounds.open_round`; a framework
the loader refuses is named with its key and the reason, and nothing is
written.  «دوره‌ها…» lists the rounds with their frameworks and counts.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.model.framework import default_framework_path
from workbench.model.rounds import YEARS, RoundInfo
from workbench.model.terms import STATUS_LABELS
from workbench.model.text import format_number, persian_digits
from workbench.ui.shared import file_dialogs

FRAMEWORK_FILTER = "چارچوب ارزیابی (*.json)"
NO_SOURCE = "هیچ‌کدام (دورهٔ خالی)"


class NewRoundDialog(QDialog):
    """The year, framework file, source round and title of a new round."""

    def __init__(self, years: list[int], parent=None):
        super().__init__(parent)
        self.setWindowTitle("گشودن دورهٔ تازه")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        latest = max(years) if years else YEARS.start + 13
        self.year = QSpinBox(self)
        self.year.setRange(YEARS.start, YEARS.stop - 1)
        self.year.setValue(min(latest + 1, YEARS.stop - 1))
        self.year.setAccessibleName("سال دورهٔ تازه")
        self.framework = QLineEdit(str(default_framework_path()), self)
        self.framework.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.framework.setAccessibleName("فایل چارچوب")
        browse = QPushButton("انتخاب…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.framework, 1)
        row.addWidget(browse)
        holder = QWidget(self)
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.source = QComboBox(self)
        self.source.addItem(NO_SOURCE, None)
        for year in sorted(years, reverse=True):
            self.source.addItem(f"دورهٔ {persian_digits(year)}", year)
        self.source.setCurrentIndex(1 if years else 0)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("پیش‌فرض: عنوان چارچوب")
        form = QFormLayout()
        form.addRow("سال دوره:", self.year)
        form.addRow("فایل چارچوب:", holder)
        form.addRow("خدمات و برنامهٔ عملیاتی از:", self.source)
        form.addRow("عنوان:", self.title)
        note = QLabel(
            "از دورهٔ برگزیده فقط فهرست خدمات و برنامهٔ عملیاتی هر دستگاه آورده می‌شود و برای هر دستگاه "
            "ارزیابی تازهٔ پیش‌نویس باز می‌شود؛ پاسخ‌ها، داوری‌ها، مستندات و جدول‌های ۴ و ۵ آورده نمی‌شوند "
            "و دورهٔ پیشین دست نمی‌خورد.", self)
        note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#9b2226")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("گشودن دوره")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path, _ = file_dialogs.getOpenFileName(self, "فایل چارچوب", self.framework.text(), FRAMEWORK_FILTER,
                                               purpose="framework")
        if path:
            self.framework.setText(path)

    def values(self) -> tuple[int, Path, int | None, str]:
        return self.year.value(), Path(self.framework.text().strip()), self.source.currentData(), self.title.text().strip()

    def show_error(self, message: str) -> None:
        """Keep the dialog open with the reason, so the user can pick another file or year."""
        self.error.setText(message)
        self.error.show()


class RoundsDialog(QDialog):
    """The rounds of the open database, oldest first."""

    HEADERS = ["دوره", "عنوان", "چارچوب", "دستگاه", "خدمت", "ارزیابی‌ها"]

    def __init__(self, rounds: list[RoundInfo], parent=None):
        super().__init__(parent)
        self.setWindowTitle("دوره‌های این پایگاه داده")
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.table = QTableWidget(len(rounds), len(self.HEADERS), self)
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, info in enumerate(rounds):
            states = "، ".join(f"{format_number(info.statuses[k])} {v}" for k, v in STATUS_LABELS.items())
            cells = [persian_digits(info.year), info.title,
                     f"{info.framework_id} — نسخهٔ {persian_digits(info.framework_version)}",
                     format_number(info.agencies), format_number(info.services), states]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setToolTip(f"SHA-256: {info.framework_sha256}")
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(900, 260)
