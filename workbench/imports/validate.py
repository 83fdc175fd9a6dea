"""Reading a submission and checking it: every error at once, each with its sheet and cell.

:func:`read_submission` checks what the file alone can tell (IDs, choices,
numbers, dates, duplicates, parents); :mod:`store_checks` adds what needs the
database.  Nothing here writes anything.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

from openpyxl.utils import get_column_letter

from workbench.imports import cells
from workbench.imports.findings import Findings, ImportCancelled
from workbench.imports.headers import HeaderRow, find_header, header_key, match_sheets
from workbench.imports.layout import (
    AGENCY,
    ALL_SHEETS,
    CARD_CODES,
    HEADER_SEARCH_ROWS,
    HELP_SHEET,
    KIND_NAMES,
    LEVEL_CHOICES,
    LISTS_SHEET,
    META_AGENCY,
    META_SHEET,
    META_VERSION,
    SERVICES,
    TABLE4,
    TABLE5,
    TEMPLATE_VERSION,
    Column,
    Sheet,
)
from workbench.imports.sheet_rows import EXCEL_MAX_ROW, SheetDamaged, SheetRows
from workbench.imports.workbook import MAX_ROWS, REPAIR, OpenedWorkbook
from workbench.model.jalali import format_jalali
from workbench.model.terms import CHOICE, CHOICES, DATE, ID, INTEGER, NUMBER, TEXT, URL, YESNO
from workbench.model.text import compact, persian_digits

log = logging.getLogger(__name__)

#: ``progress(fraction, what)``; it may raise :class:`ImportCancelled` to stop.
Progress = Callable[[float, str], None]

_AGENCY_SEARCH_ROWS = 40
_PROGRESS_EVERY = 500


@dataclass
class Row:
    """One data row of a sheet, its values read into their stored forms."""

    sheet: str  # the sheet's title in the file
    number: int  # the Excel row number
    values: dict[str, object]
    letters: dict[str, str]  # column key -> column letter

    def cell(self, key: str) -> str:
        return f"{self.letters.get(key, 'A')}{self.number}"

    def __getitem__(self, key: str):
        return self.values.get(key)


@dataclass
class AgencyInfo:
    sheet: str
    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # key -> cell of the value (or of its label)


@dataclass
class Submission:
    """What a workbook says, read and checked."""

    agency: AgencyInfo | None = None
    services: list[Row] = field(default_factory=list)
    table4: list[Row] = field(default_factory=list)
    table5: list[Row] = field(default_factory=list)
    sheet_titles: dict[str, str] = field(default_factory=dict)  # expected name -> title in the file
    template_version: str = ""
    template_agency: str = ""  # the code the template was made for, from its hidden sheet
    template_agency_cell: str = ""
    template_sheet: str = ""  # the hidden sheet's title
    sheet_order: list[str] = field(default_factory=list)  # every sheet's title, in the file's order

    def service_ids(self) -> set[str]:
        return {r["service_id"] for r in self.services if r["service_id"]}


def _nothing(_fraction: float, _what: str) -> None:
    return None


# --------------------------------------------------------------------------- the file alone


def read_submission(opened: OpenedWorkbook, progress: Progress | None = None) -> tuple[Submission, Findings]:
    """Read every sheet; return what was read and every error and warning found."""
    progress = progress or _nothing
    findings = Findings()
    sub = Submission()
    book = opened.book
    titles = list(book.sheetnames)
    sub.sheet_order = titles
    found, unknown = match_sheets(titles, ALL_SHEETS)
    own = {header_key(n) for n in (HELP_SHEET, META_SHEET, LISTS_SHEET)}
    for title in unknown:
        if header_key(title) not in own:
            findings.warn(title, "", f"برگهٔ «{title}» شناخته نشد و نادیده گرفته شد")
    for spec in ALL_SHEETS:
        names = found.get(spec.name, [])
        if not names:
            findings.error(
                spec.name, "", f"برگهٔ «{spec.name}» در فایل نیست؛ برگه‌های فایل: " + "، ".join(f"«{t}»" for t in titles)
            )
        elif len(names) > 1:
            findings.error(
                names[1], "", f"دو برگه هر دو «{spec.name}» به شمار می‌آیند: «{names[0]}» و «{names[1]}»؛ یکی را حذف کنید"
            )
        else:
            sub.sheet_titles[spec.name] = names[0]

    meta_title = next((t for t in unknown if header_key(t) == header_key(META_SHEET)), None)
    if meta_title is not None:
        sub.template_sheet = meta_title
        with _damaged_sheet(meta_title, findings):
            _read_meta(book[meta_title], meta_title, sub, findings)

    if AGENCY.name in sub.sheet_titles:
        title = sub.sheet_titles[AGENCY.name]
        with _damaged_sheet(title, findings):
            sub.agency = _read_agency(book[title], title, findings)
    spans = {SERVICES.name: (0.05, 0.6), TABLE4.name: (0.6, 0.75), TABLE5.name: (0.75, 0.9)}
    for spec, target in ((SERVICES, "services"), (TABLE4, "table4"), (TABLE5, "table5")):
        title = sub.sheet_titles.get(spec.name)
        if title is None:
            continue
        with _damaged_sheet(title, findings):
            rows = _read_table(
                book[title], spec, title, opened.formula_cells.get(title, set()), findings, progress, spans[spec.name],
                julian=opened.julian_dates,
            )
            setattr(sub, target, rows)

    if SERVICES.name in sub.sheet_titles:
        _check_services(sub, findings)
    _check_unique(sub.table4, ("service_id", "criterion"), "criterion", "این خدمت با این معیار", findings)
    _check_unique(sub.table5, ("service_id", "step", "action"), "action", "این اقدام برای همین خدمت و مرحله", findings)
    _check_dates(sub.table5, findings)
    return sub, findings


@contextmanager
def _damaged_sheet(title: str, findings: Findings) -> Iterator[None]:
    """Whatever a damaged sheet makes openpyxl raise becomes one Persian error about that sheet.

    Broken XML, a cell named ``r="NaN"``, a shared string past the table, a row
    past Excel's last: the file was not written by a spreadsheet program, or was
    damaged on the way.  The exception itself goes to the log.
    """
    try:
        yield
    except ImportCancelled:
        raise
    except SheetDamaged as exc:
        log.warning("sheet %r of a submitted workbook is damaged: %s", title, exc)
        findings.error(title, "", f"برگهٔ «{title}» آسیب دیده است (سطر {persian_digits(f'{exc.row:,}').replace(',', '٬')} {_DAMAGE[exc.what]}) "
                       f"و خوانده نشد. {REPAIR}")
    except Exception:  # noqa: BLE001 - openpyxl and the XML parser raise many kinds on damaged sheets
        log.warning("sheet %r of a submitted workbook could not be read", title, exc_info=True)
        findings.error(title, "", f"برگهٔ «{title}» آسیب دیده است و خوانده نشد. {REPAIR}")


_DAMAGE = {"beyond the last row": "بیرون از بزرگ‌ترین شمارهٔ سطر Excel است", "out of order": "پس از سطرهای بعدی آمده است"}


def _read_meta(ws, title: str, sub: Submission, findings: Findings) -> None:
    for number, values in enumerate(SheetRows(ws).head(20), start=1):
        if len(values) < 2:
            continue
        key = header_key(values[0])
        if key == header_key(META_VERSION):
            sub.template_version = cells.text(values[1])
        elif key == header_key(META_AGENCY) and not cells.is_blank(values[1]):
            sub.template_agency = cells.text(values[1])
            sub.template_agency_cell = f"B{number}"
    if sub.template_version and sub.template_version.isdigit() and int(sub.template_version) > int(TEMPLATE_VERSION):
        findings.warn(
            title, "",
            f"این فایل با نسخهٔ تازه‌تری از قالب ({persian_digits(sub.template_version)}) ساخته شده است؛ "
            "ستون‌هایی که این برنامه نمی‌شناسد نادیده گرفته می‌شوند",
        )


def _read_agency(ws, title: str, findings: Findings) -> AgencyInfo:
    """Label/value rows: the value is the first filled cell right of (after) its label."""
    info = AgencyInfo(title)
    labels = {}
    for column in AGENCY.columns:
        for name in (column.header, *column.aliases):
            labels.setdefault(header_key(name), column)
    grid = SheetRows(ws).head(_AGENCY_SEARCH_ROWS)
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            column = labels.get(header_key(value)) if isinstance(value, str) else None
            if column is None or column.key in info.cells:
                continue
            found = None
            for k in range(c + 1, min(c + 4, len(values))):
                if not cells.is_blank(values[k]):
                    found = (r, k)
                    break
            if found is None and r + 1 < len(grid) and c < len(grid[r + 1]):
                below = grid[r + 1][c]
                if not cells.is_blank(below) and header_key(below) not in labels:
                    found = (r + 1, c)  # labels across a header row, values beneath
            if found is None:
                info.cells[column.key] = f"{get_column_letter(min(c + 2, 16384))}{r + 1}"
                info.values[column.key] = None
                continue
            fr, fc = found
            place = f"{get_column_letter(fc + 1)}{fr + 1}"
            info.cells[column.key] = place
            info.values[column.key] = _parse(grid[fr][fc], column, title, place, findings)
    if "code" not in info.cells:
        findings.error(title, "", f"برچسب «{AGENCY.column('code').header}» در برگهٔ «{title}» پیدا نشد")
    return info


def _read_table(
    ws, spec: Sheet, title: str, formulas: set, findings: Findings, progress: Progress, span, julian: bool = False
) -> list[Row]:
    estimate = min(ws.max_row or 0, EXCEL_MAX_ROW)  # the sheet's recorded size, for progress only
    rows = SheetRows(ws)  # every row there is, whatever size the sheet records
    head = rows.head(HEADER_SEARCH_ROWS)
    header = find_header(head, spec)
    if header is None:
        wanted = "، ".join(f"«{c.header}»" for c in spec.columns if c.required)
        findings.error(
            title, "A1",
            f"سطر عنوان ستون‌ها در {persian_digits(HEADER_SEARCH_ROWS)} سطر نخست برگهٔ «{title}» پیدا نشد؛ "
            f"ستون‌های لازم: {wanted}",
        )
        return []
    _report_header(header, spec, title, findings)
    letters = {col.key: get_column_letter(i + 1) for i, col in header.columns.items()}
    mapped = sorted(header.columns.items())
    out: list[Row] = []
    memo: dict[tuple[str, str], tuple[object, Findings]] = {}
    start, end = span
    label = f"خواندن برگهٔ «{title}»"
    progress(start, label)
    below = ((n, v) for n, v in enumerate(head, start=1) if n > header.row)
    for read, (number, values) in enumerate(chain(below, rows.rest()), start=1):
        if read % _PROGRESS_EVERY == 0:
            fraction = min(1.0, number / estimate) if estimate else 0.5
            progress(start + (end - start) * fraction, label)
        raw = {}
        blank = True
        for index, column in mapped:
            value = values[index] if index < len(values) else None
            if value is None and (number, index + 1) in formulas:
                value = _UNCACHED
            if not cells.is_blank(value):
                blank = False
            raw[column.key] = value
        if blank:
            continue
        if len(out) >= MAX_ROWS:
            findings.error(
                title, f"A{number}",
                f"برگهٔ «{title}» بیش از {persian_digits(f'{MAX_ROWS:,}')} سطر دارد؛ فایل را به چند فایل بشکنید",
            )
            break
        parsed = {}
        for _index, column in mapped:
            place = f"{letters[column.key]}{number}"
            value = raw[column.key]
            if column.kind in _REPEATING and isinstance(value, str):
                # The same few words fill these columns row after row: read each once.
                memo_key = (column.key, value)
                if memo_key not in memo:
                    probe = Findings()
                    memo[memo_key] = (_parse(value, column, title, "", probe), probe)
                result, probe = memo[memo_key]
                for e in probe.errors:
                    findings.error(title, place, e.message)
                for w in probe.warnings:
                    findings.warn(title, place, w.message)
                parsed[column.key] = result
            else:
                parsed[column.key] = _parse(value, column, title, place, findings, julian)
        out.append(Row(title, number, parsed, letters))
    progress(end, label)
    return out


_REPEATING = (CHOICE, YESNO, CHOICES)


class _Uncached:
    """A formula cell whose file holds no stored result."""


_UNCACHED = _Uncached()


def _report_header(header: HeaderRow, spec: Sheet, title: str, findings: Findings) -> None:
    if header.unplaced:  # a two-row header whose lower headers name no column: their values would be lost
        places = "، ".join(f"«{text}» (ستون {get_column_letter(i + 1)})" for i, text in header.unplaced)
        last = header.row + 1 if header.top == header.row else header.row  # the lower row, read or not
        findings.error(
            title, f"{header.top}:{last}",
            f"عنوان ستون‌ها در برگهٔ «{title}» دو سطر است و این ستون‌ها با هیچ ستونی از قالب جور نشدند: {places}؛ "
            "چیزی از آن‌ها وارد نمی‌شود تا داده‌ای گم نشود. عنوان هر ستون را در یک سطر و همان‌گونه که در قالب آمده "
            "بنویسید (مثلاً «مقدار پیش از بهبود»)",
        )
    for column in header.missing(spec):
        findings.error(
            title, f"{header.row}:{header.row}",
            f"ستون «{column.header}» در سطر عنوان (سطر {persian_digits(header.row)}) برگهٔ «{title}» نیست",
        )
    for column, first, second in header.repeated:
        a, b = get_column_letter(first + 1), get_column_letter(second + 1)
        findings.error(
            title, f"{b}{header.row}",
            f"ستون «{column.header}» دو بار آمده است ({a}{header.row} و {b}{header.row})؛ یکی را حذف کنید",
        )
    for index, text in header.extra:
        findings.warn(
            title, f"{get_column_letter(index + 1)}{header.row}", f"ستون «{text}» شناخته نشد و نادیده گرفته شد"
        )


def _parse(value: object, column: Column, sheet: str, place: str, findings: Findings, julian: bool = False):
    """The stored form of one cell, or ``None`` after recording the error."""
    if value is _UNCACHED:
        findings.error(
            sheet, place,
            f"«{column.header}»: این خانه فرمول دارد ولی نتیجهٔ آن در فایل ذخیره نشده است؛ "
            "فایل را در Excel یا LibreOffice باز کنید، دوباره ذخیره کنید و سپس وارد کنید",
        )
        return None
    if cells.is_blank(value):
        if column.required:
            findings.error(sheet, place, f"«{column.header}» خالی است")
            return None
        return {YESNO: False, TEXT: "", URL: "", CHOICES: ""}.get(column.kind, "" if column.key in CARD_CODES else None)
    try:
        if column.kind == ID:
            return cells.service_id(value)
        if column.kind == YESNO:
            return cells.yes_no(value)
        if column.kind == NUMBER:
            return cells.number(value)
        if column.kind == INTEGER:
            return cells.integer(value)
        if column.kind == DATE:
            return cells.jalali_date(value, julian=julian)
        if column.kind == CHOICES:
            return cells.channels(value)
        if column.kind == CHOICE:
            if column.key == "kind":
                return cells.service_kind(value, KIND_NAMES)
            if column.key == "level":
                return LEVEL_CHOICES[cells.choice(value, tuple(LEVEL_CHOICES))]
            if column.key in CARD_CODES:
                return CARD_CODES[column.key][cells.choice(value, column.choices)]
            return cells.choice(value, column.choices)
        result = cells.text(value)
        if column.kind == URL and not cells.looks_like_url(result):
            findings.warn(sheet, place, f"«{column.header}»: {cells.shown(value)} به نشانی وب نمی‌ماند")
        return result
    except cells.CellError as exc:
        findings.error(sheet, place, f"«{column.header}»: {exc.message}")
        return None


# --------------------------------------------------------------------------- checks across rows


def _check_services(sub: Submission, findings: Findings) -> None:
    title = sub.sheet_titles[SERVICES.name]
    if not sub.services:
        findings.error(title, "", f"برگهٔ «{title}» هیچ خدمتی ندارد؛ فایلی بی‌خدمت همهٔ خدمات ثبت‌شده را پاک می‌کرد")
        return
    first: dict[str, Row] = {}
    for row in sub.services:
        sid = row["service_id"]
        if sid is None:
            continue
        if sid in first:
            findings.error(
                title, row.cell("service_id"),
                f"شناسهٔ خدمت {persian_digits(sid)} تکراری است؛ پیش‌تر در {first[sid].cell('service_id')} آمده است",
            )
        else:
            first[sid] = row
    for row in sub.services:
        parent = row["parent_service_id"]
        if not parent:
            continue
        if parent == row["service_id"]:
            findings.error(title, row.cell("parent_service_id"), "خدمت نمی‌تواند مادر خودش باشد")
        elif parent not in first:
            findings.error(
                title, row.cell("parent_service_id"),
                f"خدمت مادر {persian_digits(parent)} در برگهٔ «{title}» نیست؛ نخست خود خدمت مادر را در فهرست بیاورید",
            )


def _check_unique(rows: list[Row], keys: tuple[str, ...], where: str, what: str, findings: Findings) -> None:
    first: dict[tuple, Row] = {}
    for row in rows:
        values = tuple(row[k] for k in keys)
        if any(v in (None, "") for v in values):
            continue
        key = tuple(compact(str(v)) for v in values)
        if key in first:
            findings.error(
                row.sheet, row.cell(where),
                f"{what} تکراری است؛ همین ردیف پیش‌تر در سطر {persian_digits(first[key].number)} آمده است",
            )
        else:
            first[key] = row


def _check_dates(rows: list[Row], findings: Findings) -> None:
    for row in rows:
        start, end = row["start_date"], row["end_date"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            findings.error(
                row.sheet, row.cell("end_date"),
                f"تاریخ پایان {format_jalali(end)} پیش از تاریخ شروع {format_jalali(start)} "
                f"({row.cell('start_date')}) است",
            )
