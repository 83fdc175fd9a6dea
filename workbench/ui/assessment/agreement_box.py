"""The agreement with the Organization that takes services out of an indicator (indicator 7).

The guide: «عدم مصداق مرتبط با خدمات در صورت تفاهم با سازمان میسر است».  The
evaluator records the letter (number, Jalali date) and the 9-digit IDs of the
services it covers; those leave the indicator's typed ratios, and the whole
indicator may be marked not applicable only when they cover every service.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton

from workbench.model.editing import Edit
from workbench.model.errors import UserError
from workbench.model.jalali import format_jalali, parse_jalali
from workbench.model.text import persian_digits


class AgreementBox(QGroupBox):
    def __init__(self, controller, indicator_key: str, parent=None):
        super().__init__(f"تفاهم با سازمان برای شاخص {persian_digits(indicator_key)} (عدم مصداق مرتبط با خدمات)", parent)
        self._controller = controller
        self.key = indicator_key
        self.letter = QLineEdit(self)
        self.letter.setPlaceholderText("شمارهٔ نامهٔ تفاهم")
        self.date = QLineEdit(self)
        self.date.setPlaceholderText("۱۴۰۳/۰۵/۲۰")
        self.services = QLineEdit(self)
        self.services.setPlaceholderText("شناسه‌های ۹ رقمی خدمات مشمول، با فاصله یا ویرگول")
        self.save_button = QPushButton("ثبت تفاهم", self)
        self.save_button.clicked.connect(self.save)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.hide()
        form = QFormLayout(self)
        form.addRow("شمارهٔ نامه", self.letter)
        form.addRow("تاریخ نامه", self.date)
        form.addRow("خدمات مشمول", self.services)
        form.addRow("", self.save_button)
        form.addRow(self.summary)
        form.addRow(self.message)
        self.setToolTip(
            "خدمات مشمول تفاهم از مخرج نسبت‌های این شاخص کم می‌شوند؛ کل شاخص فقط وقتی عدم مصداق است که "
            "تفاهم همهٔ خدمات دستگاه را بپوشاند."
        )
        self._applying = False
        controller.refused.connect(self._on_refused)
        self.reload()

    def _on_refused(self, text: str) -> None:
        if self._applying:
            self._say(text)

    def reload(self, _changes=None) -> None:
        stored = self._controller.agreement(self.key)
        self.letter.setText(stored["letter_no"])
        self.date.setText(format_jalali(stored["letter_date"]) if stored["letter_date"] else "")
        self.services.setText(persian_digits(stored["service_ids"]))
        self.summary.setText(
            f"{persian_digits(stored['covered'])} خدمت از {persian_digits(stored['services'])} خدمت دستگاه در تفاهم "
            "ثبت شده است؛ این خدمات از مخرج نسبت‌ها کم می‌شوند."
        )
        editable = not self._controller.read_only()
        for widget in (self.letter, self.date, self.services, self.save_button):
            widget.setEnabled(editable)

    def save(self) -> bool:
        self.message.hide()
        try:
            date = parse_jalali(self.date.text()) if self.date.text().strip() else None
        except UserError as exc:
            self._say(exc.message)
            return False
        fields = {"letter_no": self.letter.text().strip(), "letter_date": date, "service_ids": self.services.text()}
        edit = Edit("agreement", self._controller.assessment().uuid, self.key, fields)
        self._applying = True
        try:
            done = self._controller.apply(edit, f"تفاهم با سازمان برای شاخص {persian_digits(self.key)}")
        finally:
            self._applying = False
        if done:
            self.reload()
        return done

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
