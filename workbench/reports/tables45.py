"""Excel export of tables 4 and 5 (جدول ۴ و ۵) with the evaluator's verdicts.

Made for the window and for ``workbench report tables45`` (``commands/report.py``).
The columns are the import template's (so a reader sees what the agency
sent, in the same words) followed by what the evaluation added: the verdict
(پذیرش) and the evaluator's note.  For a whole round two agency columns come
first and the rows are grouped by agency.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.errors import UserError
from workbench.model.jalali import format_jalali
from workbench.model.schema import Agency, Assessment, ReformAction, ReformRow, Round
from workbench.model.terms import (
    ALL_AGENCIES,
    DATE,
    ID,
    NUMBER,
    TABLE4,
    TABLE5,
    VERDICT_FIELDS,
    VERDICT_PRINTED,
    TableSpec,
)
from workbench.model.terms import INTEGER as INTEGER_VALUE
from workbench.model.text import persian_digits
from workbench.reports.progress import CancelledFn, ProgressFn, step
from workbench.reports.sheets import (
    CENTERED,
    HEADER,
    INTEGER,
    LABEL,
    SHADED,
    TEXT,
    TITLE,
    VALUE,
    number_style_for,
    round_text,
    row_height,
    save_with,
)
from workbench.reports.xlsx_stream import StreamedBook

SHEET4 = TABLE4.sheet
SHEET5 = TABLE5.sheet
AGENCY_HEADERS = ["کد دستگاه", "نام دستگاه"]
#: The import template's headers (``terms``), then the evaluation's.
TABLE4_HEADERS = TABLE4.headers
TABLE5_HEADERS = TABLE5.headers
VERDICT_HEADERS = [f.header for f in VERDICT_FIELDS]
# Narrow, wrapping columns: the whole table must fit the width of an A4
# landscape page at a scale that still reads (about 155 width units ≈ 70 %).
_WIDTHS = {"row_no": 5, "service_id": 11, "service_title": 18, "criterion": 14, "unit": 8, "value_before": 10,
           "value_target": 10, "value_after": 10, "step": 14, "action": 22, "start_date": 10, "end_date": 10,
           "status": 10, "description": 16}
TABLE4_WIDTHS = [_WIDTHS[k] for k in TABLE4.keys]
TABLE5_WIDTHS = [_WIDTHS[k] for k in TABLE5.keys]
AGENCY_WIDTHS = [8, 18]
VERDICT_WIDTHS = [10, 16]

ACCEPTED, REJECTED, NOT_JUDGED = (VERDICT_PRINTED[v] for v in (True, False, None))
MAX_EVALUATOR_NAMES = 5  # beyond this the header block gives a count, not a wall of names


def verdict_label(accepted: bool | None) -> str:
    if accepted is None:
        return NOT_JUDGED
    return ACCEPTED if accepted else REJECTED


@dataclass
class Tables45Result:
    path: Path
    table4_rows: int
    table5_rows: int


def export_tables45(
    session: Session,
    rnd: Round,
    out_path: Path,
    agency: Agency | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Path:
    """Write tables 4 and 5 of one agency (or, with ``agency=None``, the whole round)."""
    return export_tables45_counted(session, rnd, out_path, agency, progress, cancelled).path


def export_tables45_counted(
    session: Session,
    rnd: Round,
    out_path: Path,
    agency: Agency | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Tables45Result:
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".xlsx":
        raise UserError(f"فایل خروجی «{out_path}» باید پسوند ‎.xlsx داشته باشد")
    agencies = _agencies(session, rnd, agency)
    step(progress, cancelled, 0, 3, "خواندن جدول‌ها")
    facts = sheet_facts(session, rnd, agency, agencies)
    counts = []

    def write(tmp: str) -> None:  # the file beside out_path, renamed over it once complete
        book = StreamedBook(tmp)
        for n, (name, title, model, headers, widths, cells) in enumerate(TABLES, start=1):
            step(progress, cancelled, n, 3, name)
            counts.append(_write_sheet(book, name, title, facts, _rows(session, model, rnd, agency), agencies,
                                       headers, widths, cells, agency is None, rnd.year))
        step(progress, cancelled, 3, 3, "ذخیرهٔ فایل")
        book.close()

    save_with(out_path, write)
    return Tables45Result(out_path, *counts)


def sheet_facts(session: Session, rnd: Round, agency: Agency | None, agencies: dict[str, Agency]):
    """The block above each table: round, agency, Jalali date of export, evaluators."""
    return [
        ("دوره", round_text(rnd)),
        ("دستگاه", f"{agencies[agency.uuid].name} (کد {persian_digits(agency.code)})" if agency is not None
         else ALL_AGENCIES),
        ("تاریخ تهیه", format_jalali(dt.date.today())),
        ("ارزیاب", _evaluators(session, rnd, agency)),
    ]


def _agencies(session: Session, rnd: Round, agency: Agency | None) -> dict[str, Agency]:
    """The agencies by UUID, with the names an earlier round kept (``model.round_details``)."""
    from workbench.model.round_details import agencies_in_round, as_of, kept_details

    if agency is not None:
        return agencies_in_round(session, rnd.uuid, [agency])
    kept = kept_details(session, rnd.uuid)
    return {a.uuid: as_of(a, kept.get(a.uuid)) for a in session.scalars(select(Agency))}


def _rows(session: Session, model, rnd: Round, agency: Agency | None):
    """The table's rows, grouped by agency (in code order), then in the agency's own row order.

    Plain rows, not ORM objects, fetched a thousand at a time as the sheet is written:
    held all at once, a whole round's 70,000 rows took more memory than the workbook.
    (An agency's code is the same in every round; what a round keeps are its other details.)
    """
    query = (
        select(*model.__table__.columns)
        .join(Agency, Agency.uuid == model.agency_uuid)
        .where(model.round_uuid == rnd.uuid)
        .order_by(Agency.code, model.row_no, model.service_id, model.uuid)
    )
    if agency is not None:
        query = query.where(model.agency_uuid == agency.uuid)
    return session.connection().execution_options(yield_per=1000).execute(query)


def _evaluators(session: Session, rnd: Round, agency: Agency | None) -> str:
    query = select(Assessment.evaluator).where(Assessment.round_uuid == rnd.uuid)
    if agency is not None:
        query = query.where(Assessment.agency_uuid == agency.uuid)
    names = sorted({n.strip() for n in session.scalars(query) if n and n.strip()})
    if not names:
        return "تعیین نشده"
    if len(names) > MAX_EVALUATOR_NAMES:
        shown = "، ".join(names[:MAX_EVALUATOR_NAMES])
        return f"{shown} و {persian_digits(len(names) - MAX_EVALUATOR_NAMES)} ارزیاب دیگر"
    return "، ".join(names)


def sheet_columns(headers: list[str], widths: list[float], whole_round: bool) -> tuple[list[str], list[float]]:
    """A table's headers and widths: the agency's columns first for a whole round, the evaluation's last."""
    headers = (AGENCY_HEADERS if whole_round else []) + headers + VERDICT_HEADERS
    if whole_round:
        return headers, AGENCY_WIDTHS + widths + VERDICT_WIDTHS
    # the room the agency columns would take goes to the free text
    return headers, widths[:-1] + [widths[-1] + 8] + VERDICT_WIDTHS[:-1] + [VERDICT_WIDTHS[-1] + 6]


def sheet_rows(rows, agencies, widths, cells, whole_round):
    """Each of a table's rows as written: its height (None: one line) and (value, style name) per column."""
    shade, last_agency = False, None
    for record in rows:
        values = []
        if whole_round:
            ag = agencies[record.agency_uuid]
            values += [("center", persian_digits(ag.code)), ("text", ag.name)]
            if ag.uuid != last_agency:  # alternate shading marks where an agency's rows begin
                shade, last_agency = not shade, ag.uuid
        values += cells(record)
        values += [("center", verdict_label(record.accepted)), ("text", record.evaluator_note)]
        suffix = SHADED if whole_round and shade else ""
        yield row_height([v for _k, v in values], widths), [_styled(kind, value, suffix) for kind, value in values]


def _write_sheet(book: StreamedBook, name, title, facts, rows, agencies, headers, widths, cells, whole_round,
                 year) -> int:
    """One table as a streamed sheet: rows go to the file as they are made (a whole round is
    57,000 rows; held as cells it took 550 MB), each with its height set before it is written.
    Returns how many rows the table has."""
    headers, widths = sheet_columns(headers, widths, whole_round)
    span = min(len(headers), 6)
    header_row = len(facts) + 3  # title, facts, a blank row
    ws = book.sheet(name, widths, header_row)
    # The title block, as sheets.write_title_block lays it out.
    ws.merged_text(title, TITLE, 1, max(span, 2), height=24)
    for label, value in facts:
        if span > 2:
            ws.merged_text(value, VALUE, 2, span, before=[(label, LABEL)])
        else:
            ws.row([(label, LABEL), (value, VALUE)])
    ws.skip_row()
    ws.row([(h, HEADER) for h in headers], height=36)
    for height, row in sheet_rows(rows, agencies, widths, cells, whole_round):
        ws.row(row, height)
    count = ws.next_row - header_row - 1
    if not count:
        ws.merged_text("ردیفی برای این جدول ثبت نشده است.", VALUE, 1, len(headers))
    agency_text = dict(facts)["دستگاه"]
    ws.finish(len(headers), f"{name} — {agency_text} — دورهٔ {persian_digits(year)}", ws.next_row - 1,
              autofilter=whole_round)
    return count


def _styled(kind: str, value, suffix: str) -> tuple[object, str]:
    """A value as written (text for text, a number or None for numbers) and its style's name."""
    if kind == "int":
        return value, INTEGER + suffix
    if kind == "number":
        return value, number_style_for(value) + suffix
    return "" if value is None else str(value), (CENTERED if kind == "center" else TEXT) + suffix


#: A round's 50,000 actions have some hundreds of dates: each converted once (a third of a row's cost).
_jalali = functools.lru_cache(maxsize=4096)(format_jalali)


def _cells(spec: TableSpec, record) -> list[tuple[str, object]]:
    """The agency's columns of one row, each as the spec's kind of value is printed."""
    out: list[tuple[str, object]] = []
    for f in spec.fields:
        value = getattr(record, f.key)
        if f.kind == INTEGER_VALUE:
            out.append(("int", value))
        elif f.kind == ID:
            out.append(("center", persian_digits(value)))
        elif f.kind == NUMBER:
            out.append(("number", value))
        elif f.kind == DATE:
            out.append(("center", _jalali(value)))
        else:
            out.append(("text", value))
    return out


def _table4_cells(r: ReformRow) -> list[tuple[str, object]]:
    return _cells(TABLE4, r)


def _table5_cells(r: ReformAction) -> list[tuple[str, object]]:
    return _cells(TABLE5, r)


#: Each sheet: its name, title, rows' model, the template's headers and widths, the row's cells.
TABLES = [
    (SHEET4, TABLE4.title, ReformRow, TABLE4_HEADERS, TABLE4_WIDTHS, _table4_cells),
    (SHEET5, TABLE5.title, ReformAction, TABLE5_HEADERS, TABLE5_WIDTHS, _table5_cells),
]
