"""The sheet «ناهمخوانی با شناسنامه» of ``workbench report na``: where the identity card's channels or documents
and the evaluator's judgement disagree (``model.card_channels``), one row per service and stage.

Information for the supervisor and the evaluator's «کنترل»: the points are as the evaluator judged.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.model.card_channels import round_disagreements
from workbench.model.schema import Round
from workbench.model.terms import CARD_DISAGREES, CARD_JUDGED_TITLES, STAGE_RESULTS, status_label
from workbench.model.text import persian_digits
from workbench.reports.sheets import (
    CENTERED,
    TEXT,
    end_listing,
    fit_row_height,
    put_text,
    round_text,
    set_widths,
    write_header_row,
    write_title_block,
)

SHEET_CARD = "ناهمخوانی با شناسنامه"
CARD_HEADERS = ["کد دستگاه", "نام دستگاه", "ارزیاب", "وضعیت ارزیابی", "شناسهٔ خدمت", "عنوان خدمت", "مرحلهٔ خدمت",
                "در شناسنامه", "داوری ارزیاب", "ناهمخوانی"]
CARD_WIDTHS = [11, 24, 14, 11, 12, 26, 9, 24, 12, 48]


def card_sheet(wb, session: Session, rnd: Round) -> int:
    """Write the sheet into ``wb``; how many disagreements it lists."""
    rows = round_disagreements(session, rnd)
    ws = wb.create_sheet(SHEET_CARD)
    header_row = write_title_block(
        ws, f"{CARD_DISAGREES}: شناسنامهٔ خدمت و داوری ارزیاب (شاخص‌های ۱، ۲ و ۱۱) — "
            f"دورهٔ {persian_digits(rnd.year)}",
        [("دوره", round_text(rnd)), ("تعداد", persian_digits(len(rows))),
         ("یادداشت", "برای «کنترل» ارزیاب: امتیاز همان است که ارزیاب داوری کرده است. الکترونیکی یعنی یکی از راه‌های "
                     "غیرحضوری راهنما (اینترنتی، تلفن همراه، پست الکترونیک، ارسال پستی، تلفن گویا، پیام کوتاه)؛ "
                     "دفاتر پیشخوان و غیرالکترونیکی حضوری‌اند. شاخص ۱۱: شناسنامه کپی کارت ملی یا شناسنامه را "
                     "می‌خواهد ولی ارزیاب خدمت را بدون آن یافته است.")],
        span=8,
    )
    write_header_row(ws, header_row, CARD_HEADERS, height=36)
    set_widths(ws, CARD_WIDTHS)
    row = header_row + 1
    for r in rows:
        d = r.found
        values = [
            (CENTERED, persian_digits(r.agency_code)), (TEXT, r.agency_name), (TEXT, r.evaluator),
            (CENTERED, status_label(r.status)), (CENTERED, persian_digits(d.service_id)), (TEXT, r.title),
            (CENTERED, CARD_JUDGED_TITLES[d.stage]), (TEXT, d.card_text()),
            (CENTERED, STAGE_RESULTS[d.judged]), (TEXT, d.describe()),
        ]
        for col, (style, value) in enumerate(values, start=1):
            put_text(ws, row, col, value, style)
        fit_row_height(ws, row, CARD_WIDTHS)
        row += 1
    end_listing(ws, header_row, row, len(CARD_HEADERS), "داوری ارزیابان با نحوه دسترسی شناسنامه‌ها ناهمخوانی ندارد.",
                f"{SHEET_CARD} — دورهٔ {persian_digits(rnd.year)}")
    return len(rows)
