"""The agreement report as a workbook: right to left, printable like the other reports (no Qt).

Sheets: «خلاصه» (the round's agreement and how it is computed), «نماگرها» and
«شاخص‌ها» (share of agreement, Cohen's kappa, differences), «دستگاه‌ها» (each
pair of evaluators, the largest difference of total first) and «بیشترین اختلاف»
(the agencies' measures where the two differ most in points).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.orm import Session

from workbench.model.errors import UserError
from workbench.model.framework import Framework
from workbench.model.jalali import format_jalali
from workbench.model.schema import Round
from workbench.model.text import format_number, persian_digits, round_percent
from workbench.reports.agreement import Agreement, Tally, agreement_of_round
from workbench.reports.sheets import (
    CENTERED,
    DECIMAL,
    INTEGER,
    PERCENT,
    TEXT,
    fit_row_height,
    put_number,
    put_text,
    round_text,
    save_workbook,
    set_widths,
    setup_page,
    write_header_row,
    write_title_block,
)

METHOD = (
    "هر دو ارزیابی یک دستگاه جداگانه امتیازدهی و مقایسه شده‌اند. «توافق» سهم گویه‌های بلی/خیر و بررسی‌ای است که "
    "هر دو ارزیاب پاسخ داده‌اند و پاسخشان یکی است؛ «کاپای کوهن» توافق بیش از آن چیزی است که از بخت و نرخ «بلی» "
    "هر ارزیاب انتظار می‌رود (۱ توافق کامل، ۰ هم‌اندازهٔ بخت). اختلاف نسبت‌ها به واحد درصد امتیاز گویه و اختلاف "
    "امتیاز به امتیاز نماگر یا شاخص است. فرض: در هر جفت، ارزیابی که نامش در ترتیب الفبا زودتر می‌آید «ارزیاب الف» است؛ "
    "راهنمای ارزیابی دربارهٔ ارزیابی دوگانه حکمی ندارد."
)
TALLY_HEADERS = ["گویه‌های مقایسه‌شده", "توافق (٪)", "کاپای کوهن", "میانگین اختلاف نسبت‌ها (واحد درصد)",
                 "میانگین اختلاف امتیاز", "عدم مصداق متفاوت"]
TALLY_WIDTHS = [12, 11, 11, 16, 13, 11]


def export_agreement(session: Session, rnd: Round, out_path: Path) -> tuple[Path, Agreement]:
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".xlsx":
        raise UserError(f"فایل خروجی «{out_path}» باید پسوند ‎.xlsx داشته باشد")
    framework, agreement = agreement_of_round(session, rnd)
    wb = Workbook()
    wb.remove(wb.active)
    facts = [("دوره", round_text(rnd)), ("تاریخ تهیه", format_jalali(dt.date.today())),
             ("جفت ارزیابی", persian_digits(len(agreement.pairs)))]
    _summary(wb, rnd, facts, agreement)
    _measures(wb, rnd, facts, framework, agreement)
    _indicators(wb, rnd, facts, framework, agreement)
    _pairs(wb, rnd, facts, agreement)
    _largest(wb, rnd, facts, framework, agreement)
    return save_workbook(wb, out_path), agreement


def kappa_text(value: float | None) -> str:
    return "—" if value is None else format_number(value, 2)


def _put_tally(ws, row: int, col: int, tally: Tally) -> None:
    put_number(ws, row, col, len(tally.binary), INTEGER)
    put_number(ws, row, col + 1, round_percent(tally.share), PERCENT)
    kappa = tally.kappa
    put_number(ws, row, col + 2, None if kappa is None else round(kappa, 3), DECIMAL)
    put_number(ws, row, col + 3, round_percent(tally.mean_ratio_difference), PERCENT)
    diff = tally.mean_points_difference
    put_number(ws, row, col + 4, None if diff is None else round(diff, 2), DECIMAL)
    put_number(ws, row, col + 5, tally.applicability_differences, INTEGER)


def _sheet(wb, name: str, title: str, facts, headers: list[str], widths: list[float], rnd: Round):
    ws = wb.create_sheet(name)
    header_row = write_title_block(ws, title, facts, span=min(len(headers), 6))
    write_header_row(ws, header_row, headers, height=48)
    set_widths(ws, widths)
    return ws, header_row


def _finish(ws, header_row: int, headers: list[str], name: str, rnd: Round) -> None:
    setup_page(ws, header_row, len(headers), f"توافق ارزیابان — {name} — دورهٔ {persian_digits(rnd.year)}")


def _summary(wb, rnd, facts, agreement: Agreement) -> None:
    headers = ["", *TALLY_HEADERS]
    ws, row = _sheet(wb, "خلاصه", "توافق ارزیابان در ارزیابی‌های دوگانه", facts, headers, [22, *TALLY_WIDTHS], rnd)
    put_text(ws, row + 1, 1, "همهٔ گویه‌ها", TEXT)
    _put_tally(ws, row + 1, 2, agreement.overall)
    put_text(ws, row + 3, 1, "روش", TEXT)
    put_text(ws, row + 3, 2, METHOD, TEXT)
    ws.merge_cells(start_row=row + 3, start_column=2, end_row=row + 3, end_column=len(headers))
    ws.row_dimensions[row + 3].height = 110
    if not agreement.pairs:
        put_text(ws, row + 5, 1, "در این دوره دستگاهی با دو ارزیاب (دو بستهٔ ادغام‌شده) نیست.", TEXT)
        ws.merge_cells(start_row=row + 5, start_column=1, end_row=row + 5, end_column=len(headers))
    _finish(ws, row, headers, "خلاصه", rnd)


def _measures(wb, rnd, facts, framework: Framework, agreement: Agreement) -> None:
    headers = ["شاخص", "نماگر", "عنوان", *TALLY_HEADERS]
    ws, header_row = _sheet(wb, "نماگرها", "توافق ارزیابان به تفکیک نماگر", facts, headers,
                            [8, 8, 40, *TALLY_WIDTHS], rnd)
    row = header_row
    for ind in framework.indicators:
        for measure in ind.measures:
            row += 1
            put_text(ws, row, 1, persian_digits(ind.key), CENTERED)
            put_text(ws, row, 2, persian_digits(measure.key), CENTERED)
            put_text(ws, row, 3, persian_digits(measure.title), TEXT)
            _put_tally(ws, row, 4, agreement.measures[measure.key])
            fit_row_height(ws, row, [8, 8, 40, *TALLY_WIDTHS])
    _finish(ws, header_row, headers, "نماگرها", rnd)


def _indicators(wb, rnd, facts, framework: Framework, agreement: Agreement) -> None:
    headers = ["شاخص", "عنوان", *TALLY_HEADERS]
    ws, header_row = _sheet(wb, "شاخص‌ها", "توافق ارزیابان به تفکیک شاخص", facts, headers, [8, 40, *TALLY_WIDTHS], rnd)
    row = header_row
    for ind in framework.indicators:
        row += 1
        put_text(ws, row, 1, persian_digits(ind.key), CENTERED)
        put_text(ws, row, 2, persian_digits(ind.title), TEXT)
        _put_tally(ws, row, 3, agreement.indicators[ind.key])
        fit_row_height(ws, row, [8, 40, *TALLY_WIDTHS])
    _finish(ws, header_row, headers, "شاخص‌ها", rnd)


def _pairs(wb, rnd, facts, agreement: Agreement) -> None:
    headers = ["کد دستگاه", "نام دستگاه", "ارزیاب الف", "ارزیاب ب", "امتیاز کل الف (٪)", "امتیاز کل ب (٪)",
               "اختلاف (واحد درصد)", "گویه‌های مقایسه‌شده", "پاسخ متفاوت"]
    ws, header_row = _sheet(wb, "دستگاه‌ها", "جفت ارزیابی‌ها، بیشترین اختلاف نخست", facts, headers,
                            [12, 30, 16, 16, 12, 12, 12, 12, 11], rnd)
    row = header_row
    ordered = sorted(agreement.pairs, key=lambda p: (-(p.total_difference or 0), p.agency_code))
    for pair in ordered:
        row += 1
        compared = Tally()
        for key, a in pair.a.answers.items.items():
            b = pair.b.answers.items.get(key)
            if a.value is not None and b is not None and b.value is not None:
                compared.binary.append((bool(a.value), bool(b.value)))
        put_text(ws, row, 1, persian_digits(pair.agency_code), CENTERED)
        put_text(ws, row, 2, pair.agency_name, TEXT)
        put_text(ws, row, 3, pair.a.evaluator, TEXT)
        put_text(ws, row, 4, pair.b.evaluator, TEXT)
        put_number(ws, row, 5, round_percent(pair.a.card.percent), PERCENT)
        put_number(ws, row, 6, round_percent(pair.b.card.percent), PERCENT)
        put_number(ws, row, 7, round_percent(pair.total_difference), PERCENT)
        put_number(ws, row, 8, len(compared.binary), INTEGER)
        put_number(ws, row, 9, len(compared.binary) - compared.agreed, INTEGER)
    if agreement.pairs:
        ws.auto_filter.ref = f"A{header_row}:I{row}"
    _finish(ws, header_row, headers, "دستگاه‌ها", rnd)


def _largest(wb, rnd, facts, framework: Framework, agreement: Agreement, limit: int = 200) -> None:
    titles = {m.key: m.title for ind in framework.indicators for m in ind.measures}
    names = {p.agency_code: p.agency_name for p in agreement.pairs}
    headers = ["کد دستگاه", "نام دستگاه", "نماگر", "عنوان نماگر", "اختلاف امتیاز"]
    ws, header_row = _sheet(wb, "بیشترین اختلاف", f"نماگرهایی که ارزیابان در آن بیشترین اختلاف را دارند "
                            f"({persian_digits(limit)} مورد نخست)", facts, headers, [12, 30, 8, 40, 12], rnd)
    row = header_row
    for code, key, diff in agreement.largest[:limit]:
        row += 1
        put_text(ws, row, 1, persian_digits(code), CENTERED)
        put_text(ws, row, 2, names.get(code, code), TEXT)
        put_text(ws, row, 3, persian_digits(key), CENTERED)
        put_text(ws, row, 4, persian_digits(titles.get(key, "")), TEXT)
        put_number(ws, row, 5, round(diff, 2), DECIMAL)
        fit_row_height(ws, row, [12, 30, 8, 40, 12])
    _finish(ws, header_row, headers, "بیشترین اختلاف", rnd)
