"""What an import will take away, said before it is done (the import dialog's preview and question).

An import replaces the agency's services and tables 4 and 5: rows the file
no longer has go, with the evaluator's verdicts on them, and a complete
assessment goes back to draft.  The preview said «no errors, no warnings»
while it was about to drop 12 table 4 rows, 41 table 5 rows and 53 verdicts;
now it says what will be lost, the import asks first, and it is one undo step.
"""
from __future__ import annotations

from workbench.model.terms import STATUS_LABELS, TABLE4, TABLE5
from workbench.model.text import persian_digits


def losses(summary: dict) -> list[str]:
    """Each thing the import will remove or undo, in a sentence; [] when it only adds or updates."""
    fa = persian_digits
    removed = summary.get("removed", {})
    out = []
    for key, what in (("services", "خدمت"), ("table4", f"ردیف {TABLE4.sheet}"), ("table5", f"ردیف {TABLE5.sheet}")):
        if removed.get(key):
            out.append(f"{fa(removed[key])} {what} که در فایل نیست حذف می‌شود")
    if summary.get("verdicts_dropped"):
        out.append(f"رأی ارزیاب روی {fa(summary['verdicts_dropped'])} ردیف جدول ۴ و ۵ از میان می‌رود")
    if summary.get("judgements_unmatched"):
        out.append(f"{fa(summary['judgements_unmatched'])} کنترل ارزیاب روی خدماتی که در فایل نیستند دیگر شمرده نمی‌شود")
    changes = any(summary.get(what, {}).get(t) for what in ("added", "changed", "removed") for t in summary.get(what, {}))
    if summary.get("status_before") == "complete" and changes:
        out.append(f"ارزیابی از «{STATUS_LABELS['complete']}» به «{STATUS_LABELS['draft']}» برمی‌گردد "
                   "تا آنچه رسیده بازبینی شود")
    return out


def question(summary: dict) -> str:
    lines = "\n".join(f"• {line}" for line in losses(summary))
    return (f"با ورود این فایل:\n{lines}\n\nپس از ورود، «واگرد» (از منوی ویرایش) همهٔ این‌ها را برمی‌گرداند. "
            "وارد شود؟")
