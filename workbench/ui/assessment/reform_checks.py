"""Table 4 as indicator 5 counts it: the six steps table 5 documents per service, parent services.

The guide counts «زیرخدمات (یا خدمات بدون زیرخدمت)» and asks for evidence of six
steps per sub-service.  The table shows, per row, how many of the six steps
table 5 documents (the missing ones in the tooltip) or that the row is on a
parent service and does not count; accepting a row with steps missing asks first.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.model.reform_steps import ServiceSteps
from workbench.model.terms import REFORM_STEPS
from workbench.model.text import persian_digits

STEPS_HEADER = "گام‌های مستند در جدول ۵"
PARENT_TEXT = "خدمت مادر — شمرده نمی‌شود"


def steps_cell(steps: ServiceSteps, service_id: str) -> tuple[str, str]:
    """(text, tooltip) of the steps column for one table 4 row."""
    if service_id in steps.parents:
        return PARENT_TEXT, (
            "این خدمت زیرخدمت دارد؛ راهنما «زیرخدمات (یا خدمات بدون زیرخدمت)» بهبودیافته را می‌شمارد، "
            "پس این ردیف حتی اگر پذیرفته شود در امتیاز شاخص ۵ شمرده نمی‌شود."
        )
    missing = steps.missing(service_id)
    have = len(REFORM_STEPS) - len(missing)
    text = f"{persian_digits(have)} از {persian_digits(len(REFORM_STEPS))}"
    if not missing:
        return text, "هر شش گام راهنما در جدول ۵ برای این خدمت آمده است."
    return text, "گام‌هایی که جدول ۵ برای این خدمت ندارد: " + "، ".join(missing)


def confirm_accept(parent: QWidget | None, service_id: str, steps: ServiceSteps, withhold: bool) -> bool:
    """Ask before accepting a row whose service lacks steps in table 5; True to go on."""
    missing = steps.missing(service_id)
    if service_id in steps.parents or not missing:
        return True
    effect = (
        "طبق قاعدهٔ چارچوب، تا هر شش گام مستند نشود این خدمت شمرده نمی‌شود."
        if withhold
        else "امتیاز با پذیرش داده می‌شود (فرض میز کار: نبود یک گام امتیاز را نمی‌گیرد)."
    )
    answer = QMessageBox.question(
        parent,
        "گام‌های ناقص در جدول ۵",
        f"جدول ۵ برای خدمت {persian_digits(service_id)} این گام‌ها را ندارد: {'، '.join(missing)}.\n"
        f"راهنما مستند شش گام را برای هر زیرخدمت می‌خواهد. {effect}\nردیف پذیرفته شود؟",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
