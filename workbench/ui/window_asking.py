"""How the main window asks and tells the user: warnings, yes/no, a reason, which database file.

A mixin of :class:`~workbench.ui.main_window.MainWindow`; tests replace these
methods to answer for the user.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QInputDialog,
    QMessageBox,
)

from workbench.model.backends import is_server_url
from workbench.paths import user_data_dir
from workbench.ui.shared import file_dialogs

APP_TITLE = "میز کار ارزیاب"
DB_FILTER = "پایگاه دادهٔ میز کار (*.sqlite *.db);;همهٔ فایل‌ها (*)"


class AskingUser:
    def ask_after_open_error(self, message: str) -> tuple[Path, bool] | None:
        """The user's way out of a database that cannot be opened: another file, a new one, or none."""
        box = QMessageBox(QMessageBox.Icon.Warning, "پایگاه داده باز نشد", message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # it names the file
        other = box.addButton("باز کردن فایل دیگر…", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("ساختن پایگاه دادهٔ تازه…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("انصراف", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is other:
            chosen = self.ask_open_path()
            return (Path(chosen), False) if chosen else None
        if box.clickedButton() is new:
            chosen = self.ask_new_path()
            return (Path(chosen), True) if chosen else None
        return None

    def ask_open_path(self) -> str:
        return file_dialogs.getOpenFileName(self, "باز کردن پایگاه داده", str(user_data_dir()), DB_FILTER,
                                            purpose="database")[0]

    def ask_new_path(self) -> str:
        return file_dialogs.getSaveFileName(self, "پایگاه دادهٔ تازه", str(user_data_dir() / "ارزیابی.sqlite"),
                                            DB_FILTER, purpose="database")[0]

    def ask_server_address(self) -> str:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("پایگاه دادهٔ سرور")
        dialog.setLabelText("نشانی پایگاه دادهٔ PostgreSQL:\n"
                            "postgresql://نقش@میزبان/نام  یا  postgresql://نقش@/نام?host=/پوشهٔ/سوکت")
        dialog.setTextValue(next((p for p in self.recent_paths() if is_server_url(p)), "postgresql://"))
        dialog.resize(560, dialog.sizeHint().height())
        return dialog.textValue().strip() if dialog.exec() else ""

    # ------------------------------------------------------------------ asking the user
    def warn(self, message: str) -> None:
        """A warning that does not block (window-modal, opened, not exec'd)."""
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote files, sheets and names
        box.button(QMessageBox.StandardButton.Ok).setText("باشه")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def ask_yes_no(self, title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self)
        yes = box.addButton("بله", QMessageBox.ButtonRole.YesRole)
        box.addButton("خیر", QMessageBox.ButtonRole.NoRole)
        box.exec()
        return box.clickedButton() is yes

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, title, label)
        return text if ok else None

