"""The printed summary's «compared with the previous round» block (HTML, no Qt).

Shown when an earlier round assessed the same agency: the total, the band and
each indicator's percent then and now, with the change in percent points; the
earlier round's rank in its group; and, when the two rounds' weights, keys or
bands differ, the sentence that says the comparison is by percent.
"""
from __future__ import annotations

import html

from workbench.model.terms import NOT_APPLICABLE as NOT_APPLICABLE_LABEL
from workbench.model.terms import status_label
from workbench.model.text import format_number, persian_digits
from workbench.reports.trend_data import NOT_APPLICABLE, AgencyTrend, Figures

NA = NOT_APPLICABLE_LABEL
MISSING = "—"


def signed(value: float | None) -> str:
    """«+۲٫۵» / «−۱» / «۰»: a change in percent points."""
    if value is None:
        return MISSING
    if abs(value) < 0.005:
        return persian_digits(0)
    return ("+" if value > 0 else "−") + format_number(abs(value))


def _percent(value) -> str:
    if value == NOT_APPLICABLE:
        return NA
    return MISSING if value is None else format_number(value)


def _total(f: Figures) -> str:
    text = _percent(f.percent)
    if not f.final:
        text += f" ({status_label(f.status)})"
    return text


def comparison_html(trend: AgencyTrend | None) -> str:
    if trend is None or len(trend.figures) < 2:
        return ""
    before, now = trend.figures[-2], trend.figures[-1]
    change = trend.changes[-1]
    y0, y1 = persian_digits(before.year), persian_digits(now.year)
    esc = html.escape
    rows = [
        f"<tr><td class=\"label\">امتیاز کل (٪)</td><td>{_total(before)}</td><td>{_total(now)}</td>"
        f"<td>{signed(change.total)}</td></tr>",
        f"<tr><td class=\"label\">طبقه</td><td>{esc(before.band.title) if before.band else MISSING}</td>"
        f"<td>{esc(now.band.title) if now.band else MISSING}</td><td></td></tr>",
    ]
    if before.rank is not None:
        rank = f"{persian_digits(before.rank)} از {persian_digits(before.group_size)} ({esc(before.group)})"
        rows.append(f"<tr><td class=\"label\">رتبه در گروه</td><td>{rank}</td>"
                    f"<td>در گزارش رتبه‌بندی دوره</td><td></td></tr>")
    for row in trend.rows:
        old_key, new_key = row.keys[-2], row.keys[-1]
        if old_key is None and new_key is None:
            continue
        label = f"شاخص {persian_digits(new_key or old_key)} — {esc(row.title)}"
        if row.notes[-1]:
            label += f' <span class="small">({esc(persian_digits(row.notes[-1]))})</span>'
        old = _percent(before.indicators.get(old_key)) if old_key else MISSING
        new = _percent(now.indicators.get(new_key)) if new_key else MISSING
        delta = signed(change.indicators.get(new_key)) if new_key and old_key else MISSING
        rows.append(f"<tr><td>{label}</td><td>{old}</td><td>{new}</td><td>{delta}</td></tr>")
    notes = ["تغییر به واحد درصد است: درصد این دوره منهای درصد دورهٔ پیشین."]
    if trend.basis[-1]:
        notes.append(esc(persian_digits(trend.basis[-1])))
    if not before.final:
        notes.append(f"ارزیابی دورهٔ {y0} نهایی نشده بود؛ ارقام آن موقت است.")
    head = (f"<thead><tr><th>مورد</th><th>دورهٔ {y0} (٪)</th><th>دورهٔ {y1} (٪)</th>"
            "<th>تغییر</th></tr></thead>")
    return (
        f"<h2>مقایسه با دورهٔ پیشین ({y0})</h2>"
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3">'
        f'{head}{"".join(rows)}</table>'
        + "".join(f'<p class="sub">{n}</p>' for n in notes)
    )
