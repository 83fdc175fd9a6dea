"""The trend workbook's «شاخص‌ها» sheet of a group: every agency's indicators, percent per round.

The issue asks, for a group or the whole round as for one agency, each indicator's
share earned per round and its change.  The group sheet (``trend.py``) holds the
totals, bands and ranks; this sheet holds the indicators, one row per agency and
indicator (so a reader may filter or sort by either): the percent of the
indicator's points earned in each round, lined up across revised frameworks by
key or ``continues`` (``model.comparison.indicator_rows``, a renamed or
re-weighted one said beside its title), and the change from the previous round
in percent points.  Only final assessments are compared, as on the group sheet.
"""
from __future__ import annotations

from openpyxl.styles import Font

from workbench.model.comparison import indicator_rows
from workbench.model.terms import NOT_APPLICABLE as NOT_APPLICABLE_LABEL
from workbench.model.terms import status_label
from workbench.model.text import persian_digits, round_percent
from workbench.reports.sheets import (
    CENTERED,
    PERCENT,
    fit_row_height,
    put_number,
    put_text,
    set_widths,
    setup_page,
    write_header_row,
    write_title_block,
)
from workbench.reports.trend_data import NOT_APPLICABLE

NOT_ASSESSED = "—"
EXPLAINED = ("درصد امتیاز هر شاخص = امتیاز کسب‌شده ÷ امتیاز ممکن آن شاخص در همان دوره، تا شاخصی که امتیازش "
             "(وزنش) عوض شده باز هم مقایسه‌پذیر باشد؛ فقط ارزیابی‌های نهایی؛ تغییر = درصد آخرین دوره منهای "
             "دورهٔ پیش از آن، به واحد درصد.")


def indicator_sheet(ws, data, g, facts: list[tuple[str, str]], years: str) -> None:
    """Fill ``ws`` for group ``g`` (a ``trend.Group``) over ``data`` (the rounds' ``RoundData``, oldest first)."""
    rows = indicator_rows([d.framework for d in data])
    prev, last = persian_digits(data[-2].year), persian_digits(data[-1].year)
    headers = (["دستگاه", "کد دستگاه", "شاخص"] + [f"{persian_digits(d.year)} (٪)" for d in data]
               + [f"تغییر {prev} تا {last} (واحد درصد)"])
    header_row = write_title_block(ws, f"شاخص‌ها در دوره‌ها — {g.title}", facts + [("شاخص‌ها", EXPLAINED)],
                                   span=len(headers))
    for r in range(2, header_row - 1):
        ws.row_dimensions[r].height = 30 if len(str(ws.cell(r, 2).value or "")) > 120 else None
    write_header_row(ws, header_row, headers, height=44)
    widths = [30, 10, 40] + [9] * len(data) + [14]
    set_widths(ws, widths)
    row = header_row + 1
    for ln in g.lines:
        for ind in rows:
            key = ind.last_key or next(k for k in ind.keys if k)
            title = f"{persian_digits(key)}. {ind.title}"
            if ind.notes[-1]:
                title += f" ({persian_digits(ind.notes[-1])})"
            put_text(ws, row, 1, ln.name)
            put_text(ws, row, 2, persian_digits(ln.code), CENTERED)
            put_text(ws, row, 3, title)
            values = [_value(f, k) for f, k in zip(ln.figures, ind.keys)]
            for col, value in enumerate(values, start=4):
                if isinstance(value, float | int):
                    put_number(ws, row, col, value, PERCENT)
                else:
                    put_text(ws, row, col, value, CENTERED)
            before, after = values[-2], values[-1]
            if isinstance(before, float | int) and isinstance(after, float | int):
                change = round_percent(after - before)
                cell = put_number(ws, row, 4 + len(data), change, PERCENT)
                cell.font = Font(name="Tahoma", size=10, bold=True,
                                 color="1B7837" if change > 0 else "B2182B" if change < 0 else "000000")
            else:
                put_text(ws, row, 4 + len(data), NOT_ASSESSED, CENTERED)
            fit_row_height(ws, row, widths)
            row += 1
    setup_page(ws, header_row, len(headers), f"شاخص‌ها در دوره‌ها — {g.title} — {years}")


def _value(f, key: str | None):
    """What one round shows of one indicator: its percent, «عدم مصداق», the status of an unfinished one, or «—»."""
    if f is None or key is None:
        return NOT_ASSESSED
    if not f.final:
        return status_label(f.status)
    value = f.indicators.get(key)
    if value == NOT_APPLICABLE:
        return NOT_APPLICABLE_LABEL
    return NOT_ASSESSED if value is None else value
