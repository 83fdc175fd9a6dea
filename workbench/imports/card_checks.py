"""What a service's identity card (003) says against its operational plan: warnings, never refusals.

The card is the agency's own statement; where it contradicts the plan the evaluator is told, row by row,
and decides.  Nothing here refuses a file or changes a value.
"""
from __future__ import annotations

from workbench.imports.findings import Findings
from workbench.imports.validate import Submission
from workbench.model.eligibility import stage_exclusions
from workbench.model.framework import Framework
from workbench.model.terms import (
    COUNTER_ELIGIBILITY,
    SERVICE_LEVEL_LABELS,
    SERVICE_NATURE_LABELS,
    STAGE_SHORT,
    STAGES,
)
from workbench.model.text import persian_digits


def check_cards(sub: Submission, findings: Findings, framework: Framework | None = None, level: str = "") -> None:
    """A sovereign service in the counter offices' plan: a warning at its «ماهیت خدمت» cell, saying that
    the round's framework (``eligible`` rule of ``framework``, when given) leaves it out of indicator 3.

    A service whose card names other agencies it exchanges with but which the plan leaves out of GSB:
    a warning at its «ارتباط با دستگاه‌های دیگر» cell (8.1.2 divides by «کلیه خدمات دارای تبادل بین
    دستگاهی تعیین شده در برنامه عملیاتی دستگاه»: the plan decides; the evaluator is told of the gap).

    For an agency of ``level`` the framework's level rules apply to (a provincial unit): a planned service
    whose card's level the rule excludes («ملی»), a warning at its «سطح خدمت» cell naming the stages.
    """
    exclusions = stage_exclusions(framework) if framework is not None else None
    left_out = exclusions is not None and "sovereign" in exclusions.natures("counter")
    by_level = {st: r for st in STAGES if exclusions and (r := exclusions.level_rule(st)) and level in r.agency_levels}
    for row in sub.services:
        stages = [st for st, r in by_level.items() if row[f"in_{st}_plan"] and row["service_level"] in r.exclude_levels]
        if stages:
            findings.warn(
                row.sheet, row.cell("service_level"),
                f"سطح خدمت {persian_digits(row['service_id'] or '')} در شناسنامه «{SERVICE_LEVEL_LABELS.get(row['service_level'])}» "
                "است و خدمات ملی و کشوری به عهدهٔ دستگاه ملی است؛ در نسبت‌های این واحد برای مرحلهٔ "
                + "، ".join(STAGE_SHORT[st] for st in stages) + " شمرده نمی‌شود (فرض میز کار)",
            )
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
