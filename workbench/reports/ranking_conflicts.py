"""The ranking's sheet of open merge conflicts: a ranked score that may still change says so."""
from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.model.schema import Round
from workbench.model.text import persian_digits
from workbench.reports.sheets import (
    CENTERED,
    TEXT,
    put_text,
    round_text,
    set_widths,
    setup_page,
    write_header_row,
    write_title_block,
)

CONFLICTS_SHEET = "تعارض‌های باز"
CONFLICT_HEADERS = ["شناسه", "کد دستگاه", "رکورد", "گروه خانه‌ها", "نامزدها"]


def open_conflicts(session: Session, rnd: Round) -> list[list[str]]:
    """One row per open conflict of the round: id, agency, record, field group, candidates."""
    from workbench.exchange.conflicts import list_conflicts
    from workbench.exchange.labels import GROUPS, TABLES

    rows = []
    for v in list_conflicts(session, rnd.year):
        who = "، ".join(c.evaluator or "پایگاه اصلی" for c in v.candidates)
        record = f"{TABLES.get(v.table, v.table)} {' / '.join(str(k) for k in v.key)}".strip()
        rows.append([persian_digits(v.id), v.agency_code, persian_digits(record), GROUPS.get(v.group, v.group), who])
    return rows


def conflicts_sheet(ws, rnd: Round, rows: list[list[str]], today: str) -> None:
    facts = [
        ("دوره", round_text(rnd)),
        ("تاریخ تهیه", today),
        ("توضیح", "این خانه‌ها در ادغام بستهٔ ارزیابان تعارض دارند و تا حل شدن مقدار مبنا را نگه می‌دارند؛ "
                  "امتیاز این دستگاه‌ها ممکن است تغییر کند (workbench conflicts)."),
    ]
    header_row = write_title_block(ws, CONFLICTS_SHEET, facts, span=len(CONFLICT_HEADERS))
    write_header_row(ws, header_row, CONFLICT_HEADERS, height=32)
    set_widths(ws, [10, 14, 30, 24, 40])
    for i, row in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(row, start=1):
            put_text(ws, i, col, value, CENTERED if col <= 2 else TEXT)
    setup_page(ws, header_row, len(CONFLICT_HEADERS), f"{CONFLICTS_SHEET} — دورهٔ {persian_digits(rnd.year)}")
