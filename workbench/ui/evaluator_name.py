"""Who is working: the evaluator's name, asked once, kept in the user's settings.

The name is the audit trail's actor for every change the window makes (the
operating system's login name said nothing to a supervisor reading a merged
database), a new assessment's «ارزیاب», and it is shown in each assessment's
header.  It is asked at first start (:meth:`EvaluatorNaming.ensure_evaluator_name`),
and changed from Edit ▸ «نام ارزیاب…».  Until it is given, the login name stands
in, and the header says the name is not set.

A mixin of :class:`~workbench.ui.main_window.MainWindow`; tests replace
:meth:`EvaluatorNaming.ask_evaluator_name` to answer for the user.
"""
from __future__ import annotations

import getpass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from workbench.model.errors import UserError
from workbench.model.text import clean_display

SETTINGS_KEY = "evaluator/name"
NAME_MAX = 200  # the audit trail's actor column


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): leave it blank
        return ""


class NameDialog(QDialog):
    """Asks for a name; «تأیید» only once something is typed."""

    def __init__(self, current: str = "", first: bool = False, parent=None):
        super().__init__(parent)
        self.setWindowTitle("نام ارزیاب")
        text = ("به میز کار ارزیاب خوش آمدید. نام خود را بنویسید؛ هر تغییری که ثبت می‌کنید در سابقهٔ تغییرات "
                "به این نام ثبت می‌شود و در ارزیابی‌های تازه «ارزیاب» همین نام است." if first else
                "نامی که تغییرهای شما از این پس با آن در سابقهٔ تغییرات ثبت می‌شود:")
        label = QLabel(text, self)
        label.setWordWrap(True)
        self.edit = QLineEdit(current, self)
        self.edit.setMaxLength(NAME_MAX)
        self.edit.setPlaceholderText("نام و نام خانوادگی")
        self.edit.setAccessibleName("نام ارزیاب")
        label.setBuddy(self.edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("تأیید")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("بعداً" if first else "انصراف")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._enable)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._enable()

    def name(self) -> str:
        return clean_display(self.edit.text()).strip()

    def _enable(self) -> None:
        self.ok.setEnabled(bool(self.name()))


class EvaluatorNaming:
    def evaluator_name(self) -> str:
        """The name the user gave; "" when none yet."""
        return str(self.settings.value(SETTINGS_KEY, "") or "").strip()

    def actor_name(self) -> str:
        """Who the audit trail names for this window's changes: the given name, else the login name."""
        return self.evaluator_name() or login_name()

    def ask_evaluator_name(self, current: str, first: bool) -> str | None:
        dialog = NameDialog(current, first, self)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ensure_evaluator_name(self) -> None:
        """At start: ask once when no name was ever given (again next start if put off)."""
        if not self.evaluator_name():
            name = self.ask_evaluator_name("", True)
            if name:
                self.set_evaluator_name(name)

    def change_evaluator_name(self) -> None:
        name = self.ask_evaluator_name(self.evaluator_name(), False)
        if name:
            self.set_evaluator_name(name)
            self.statusBar().showMessage(f"از این پس تغییرها به نام «{name}» ثبت می‌شود.", 8000)

    def set_evaluator_name(self, name: str) -> None:
        self.settings.setValue(SETTINGS_KEY, name)
        self.settings.sync()
        if self.workspace is not None:
            try:
                self.workspace.set_actor(self.actor_name())
            except UserError as exc:  # a server's role carries another supervisor's name
                self.warn(exc.message)
        self._show_actor()

    def _show_actor(self) -> None:
        """The name in the status bar and in the open assessment's header."""
        name = self.evaluator_name()
        self.actor_label.setText(f"ارزیاب: {name}" if name else "نام ارزیاب داده نشده (ویرایش ◂ نام ارزیاب…)")
        if self.view is not None:
            self.view.show_actor(self.actor_name(), bool(name))
