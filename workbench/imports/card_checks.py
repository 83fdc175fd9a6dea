"""What a service's identity card (003) says against its operational plan: warnings, never refusals.

The card is the agency's own statement; where it contradicts the plan the evaluator is told, row by row,
and decides.  Nothing here refuses a file or changes a value.
"""
from __future__ import annotations

from workbench.imports.findings import Findings
from workbench.imports.validate import Submission
from workbench.model.eligibility import stage_exclusions
from workbench.model.framework import Framework
from workbench.model.terms import COUNTER_ELIGIBILITY, SERVICE_NATURE_LABELS
from workbench.model.text import persian_digits


def check_cards(sub: Submission, findings: Findings, framework: Framework | None = None) -> None:
    """A sovereign service in the counter offices' plan: a warning at its «ماهیت خدمت» cell, saying that
    the round's framework (``eligible`` rule of ``framework``, when given) leaves it out of indicator 3.

    A service whose card names other agencies it exchanges with but which the plan leaves out of GSB:
    a warning at its «ارتباط با دستگاه‌های دیگر» cell (8.1.2 divides by «کلیه خدمات دارای تبادل بین
    دستگاهی تعیین شده در برنامه عملیاتی دستگاه»: the plan decides; the evaluator is told of the gap).
    """
    left_out = framework is not None and "sovereign" in stage_exclusions(framework).natures("counter")
    for row in sub.services:
        if row["other_agencies"] and not row["in_gsb_plan"]:
            findings.warn(
                row.sheet, row.cell("other_agencies"),
                f"شناسنامهٔ خدمت {persian_digits(row['service_id'] or '')} تبادل با دستگاه‌های دیگر را نام می‌برد "
                "ولی برنامهٔ عملیاتی آن را برای GSB برنگزیده است؛ مخرج نماگر ۸.۱ خدمات دارای تبادل بین‌دستگاهی "
                "برنامهٔ عملیاتی است",
            )
        if row["nature"] == "sovereign" and row["in_counter_plan"]:
            findings.warn(
                row.sheet, row.cell("nature"),
                f"خدمت {persian_digits(row['service_id'] or '')} «{SERVICE_NATURE_LABELS['sovereign']}» است "
                f"ولی در برنامهٔ دفاتر پیشخوان آمده است؛ {COUNTER_ELIGIBILITY}"
                + ("؛ شاخص ۳ آن را در صورت و مخرج نمی‌شمارد (فرض میز کار)" if left_out else ""),
            )
