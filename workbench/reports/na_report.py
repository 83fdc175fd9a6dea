"""Every not-applicable of a round with its reason and the guide's rule, in Excel.

``workbench report na DB --out FILE.xlsx [--round YEAR]`` (and the Reports
menu).  One row per not-applicable: marked by an evaluator (with the reason
written) or made so by a rule of the framework (9.1 for a provincial unit);
each with the rule it answers to, where in the guide that rule comes from,
whether the rule is the workbench's assumption, and — for a record that breaks
its rule (an old database, a merge) — why.  A second sheet lists the
agreements with the Organization (indicator 7) that take services out, a third
(``card_sheet``) where a service's identity card and the evaluator's judgement
of its request or delivery stage disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.jalali import format_jalali, today
from workbench.model.na_check import round_na_rows
from workbench.model.schema import Agency, Assessment, NaAgreement, Round, Service
from workbench.model.terms import LEVEL_LABELS, status_label
from workbench.model.text import persian_digits
from workbench.reports.card_sheet import card_sheet
from workbench.reports.sheets import (
    CENTERED,
    INTEGER,
    TEXT,
    end_listing,
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

SHEET_NA = "عدم مصداق‌ها"
SHEET_AGREEMENTS = "تفاهم‌ها"
NA_HEADERS = [
    "کد دستگاه", "نام دستگاه", "سطح", "استان", "ارزیاب", "وضعیت ارزیابی",
    "کلید", "عنوان", "دلیل", "ثبت‌کننده", "قاعده و جای آن در راهنما", "قاعده فرضی است؟", "خلاف قاعده",
]
NA_WIDTHS = [11, 26, 8, 10, 14, 11, 7, 28, 30, 10, 48, 9, 34]
AGREEMENT_HEADERS = ["کد دستگاه", "نام دستگاه", "شاخص", "شمارهٔ نامه", "تاریخ نامه", "خدمات مشمول", "از خدمات دستگاه", "توضیح"]
AGREEMENT_WIDTHS = [11, 28, 7, 14, 12, 40, 10, 30]


@dataclass
class NaReportResult:
    path: Path
    rows: int
    violations: int
    disagreements: int = 0  # the identity card's channels against the evaluator's judgement (card_sheet)


def export_na(session: Session, rnd: Round, path: Path) -> NaReportResult:
    rows = round_na_rows(session, rnd)
    broken = sum(1 for r in rows if r.problem)
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet(SHEET_NA)
    facts = [
        ("دوره", round_text(rnd)),
        ("تاریخ تهیه", format_jalali(today())),
        ("تعداد", f"{persian_digits(len(rows))} عدم مصداق، {persian_digits(broken)} خلاف قاعده"),
        ("قاعده‌ها", "از فایل چارچوب دوره؛ هر قاعده جای خود در راهنما را می‌گوید و «فرضی» یعنی برداشت میز کار از متن."),
    ]
    header_row = write_title_block(ws, f"عدم مصداق‌های دورهٔ {persian_digits(rnd.year)}", facts, span=8)
    write_header_row(ws, header_row, NA_HEADERS, height=36)
    set_widths(ws, NA_WIDTHS)
    row = header_row + 1
    for r in rows:
        values = [
            (CENTERED, persian_digits(r.agency_code)), (TEXT, r.agency_name),
            (CENTERED, LEVEL_LABELS.get(r.level, r.level)), (TEXT, r.province), (TEXT, r.evaluator),
            (CENTERED, status_label(r.status)), (CENTERED, persian_digits(r.key)), (TEXT, r.title),
            (TEXT, r.reason), (CENTERED, "قاعدهٔ چارچوب" if r.by_rule else "ارزیاب"), (TEXT, r.rule),
            (CENTERED, "فرضی" if r.assumed else "راهنما"), (TEXT, r.problem),
        ]
        for col, (style, value) in enumerate(values, start=1):
            put_text(ws, row, col, value, style)
        fit_row_height(ws, row, NA_WIDTHS)
        row += 1
    end_listing(ws, header_row, row, len(NA_HEADERS), "در این دوره هیچ عدم مصداقی ثبت نشده است.",
                f"{SHEET_NA} — دورهٔ {persian_digits(rnd.year)}")
    _agreements_sheet(wb, session, rnd)
    disagreements = card_sheet(wb, session, rnd)
    return NaReportResult(save_workbook(wb, path), len(rows), broken, disagreements)


def _agreements_sheet(wb, session: Session, rnd: Round) -> None:
    ws = wb.create_sheet(SHEET_AGREEMENTS)
    header_row = write_title_block(
        ws, f"تفاهم‌های با سازمان (عدم مصداق مرتبط با خدمات) — دورهٔ {persian_digits(rnd.year)}",
        [("دوره", round_text(rnd))], span=6,
    )
    write_header_row(ws, header_row, AGREEMENT_HEADERS, height=36)
    set_widths(ws, AGREEMENT_WIDTHS)
    query = (
        select(NaAgreement, Agency)
        .join(Assessment, NaAgreement.assessment_uuid == Assessment.uuid)
        .join(Agency, Assessment.agency_uuid == Agency.uuid)
        .where(Assessment.round_uuid == rnd.uuid)
        .order_by(Agency.code, NaAgreement.indicator_key)
    )
    totals: dict[str, int] = {}
    for agency_uuid, in session.execute(select(Service.agency_uuid).where(Service.round_uuid == rnd.uuid)):
        totals[agency_uuid] = totals.get(agency_uuid, 0) + 1
    row = header_row + 1
    for ag_row, agency in session.execute(query):
        ids = sorted(ag_row.covered())
        values = [
            (CENTERED, persian_digits(agency.code)), (TEXT, agency.name), (CENTERED, persian_digits(ag_row.indicator_key)),
            (CENTERED, persian_digits(ag_row.letter_no)), (CENTERED, format_jalali(ag_row.letter_date)),
            (TEXT, "، ".join(persian_digits(i) for i in ids)),
        ]
        for col, (style, value) in enumerate(values, start=1):
            put_text(ws, row, col, value, style)
        put_number(ws, row, 7, totals.get(agency.uuid, 0), INTEGER)
        put_text(ws, row, 8, ag_row.note, TEXT)
        fit_row_height(ws, row, AGREEMENT_WIDTHS)
        row += 1
    if row == header_row + 1:
        put_text(ws, row, 1, "تفاهمی ثبت نشده است.", TEXT)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(AGREEMENT_HEADERS))
    setup_page(ws, header_row, len(AGREEMENT_HEADERS), f"{SHEET_AGREEMENTS} — دورهٔ {persian_digits(rnd.year)}")
