"""The blank workbook the workbench hands to agencies (and reads back).

Right-to-left sheets in :mod:`layout`'s exact texts, a bold frozen header row,
widths that fit, drop-down lists for every closed choice (kept on a hidden
sheet, which Excel, LibreOffice and Google Sheets all follow), help for every
column as a header comment and on a help sheet, and a hidden sheet with the
template's version and, when made for one agency, its code — so a file sent
back for the wrong agency is caught even when someone edits the visible code.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from workbench import __version__
from workbench.atomic_write import write_replacing
from workbench.imports.layout import (
    AGENCY,
    DATA_SHEETS,
    HELP_SHEET,
    LEVEL_LABELS,
    LISTS_SHEET,
    META_AGENCY,
    META_SHEET,
    META_VERSION,
    TEMPLATE_VERSION,
    Column,
    Sheet,
)
from workbench.model.errors import UserError
from workbench.model.jalali import format_jalali, today
from workbench.model.problems import os_problem, path_text
from workbench.model.schema import Agency
from workbench.model.terms import CHOICE, DATE, ID, NO, SERVICE_KIND_OFFERED, YES, YESNO

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F5F8A")
_LABEL_FILL = PatternFill("solid", fgColor="DCE6F0")
_THIN = Side(style="thin", color="9AA9B8")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# readingOrder=2: the cell's text is laid out right to left.  Without it
# LibreOffice takes the direction from the first strong letter, so a help line
# showed its full stop at the start and a URL before its sentence.
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True, readingOrder=2)
_RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=True, readingOrder=2)
_LAST_ROW = 1_048_576
_AUTHOR = "میز کار ارزیاب"


def agency_details(session, agency: Agency) -> dict[str, str]:
    """What the template's «دستگاه» sheet shows for ``agency``."""
    parent = session.get(Agency, agency.parent_uuid) if agency.parent_uuid else None
    return {
        "code": agency.code,
        "name": agency.name,
        "parent": parent.name if parent else "",
        "level": LEVEL_LABELS.get(agency.level, ""),
        "province": agency.province,
        "website": agency.website,
    }


def stored_rows(session, round_uuid: str, agency_uuid: str) -> dict[str, list[dict]]:
    """The agency's services and tables 4 and 5 of the round, by sheet, as the template writes them
    (a filled template saves the agency retyping what it sent before; imported again, it changes nothing)."""
    from sqlalchemy import select

    from workbench.model.schema import ReformAction, ReformRow, Service

    out = {}
    for spec, model, order in ((DATA_SHEETS[0], Service, (Service.service_id,)),
                               (DATA_SHEETS[1], ReformRow, (ReformRow.row_no, ReformRow.service_id)),
                               (DATA_SHEETS[2], ReformAction, (ReformAction.row_no, ReformAction.service_id))):
        rows = session.scalars(select(model).where(model.round_uuid == round_uuid, model.agency_uuid == agency_uuid)
                               .order_by(*order))
        out[spec.name] = [{c.key: getattr(obj, c.key, None) for c in spec.columns} for obj in rows]
    return out


def write_template(path: str | Path, agency: dict[str, str] | None = None,
                   rows: dict[str, list[dict]] | None = None) -> Path:
    """Write the template to ``path`` (replaced atomically); with ``agency``, made for it; with
    ``rows`` (:func:`stored_rows`), filled with them."""
    path = Path(path)
    book = Workbook()
    lists = _lists_sheet(book)
    first = book.active
    _agency_sheet(first, agency or {}, lists)
    for spec in DATA_SHEETS:
        ws = book.create_sheet(spec.name)
        _data_sheet(ws, spec, lists)
        for values in (rows or {}).get(spec.name, []):
            ws.append([_cell(column, values.get(column.key)) for column in spec.columns])
    _help_sheet(book.create_sheet(HELP_SHEET))
    _meta_sheet(book.create_sheet(META_SHEET), agency)
    book.move_sheet(lists, offset=len(book.sheetnames))
    book.active = 0
    _save(book, path)
    return path


def _cell(column: Column, value):
    """A stored value as the agency would type it (and the import reads it back)."""
    if value is None:
        return None
    if column.kind == YESNO:
        return YES if value else NO
    if column.kind == DATE:
        return format_jalali(value, persian=False)
    if column.key == "kind":
        return next((offered for offered in SERVICE_KIND_OFFERED if offered.endswith(f"({value})")), value)
    if column.kind == ID:
        return str(value)
    return value


def _save(book: Workbook, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_replacing(path, book.save)
    except OSError as exc:
        raise UserError(f"قالب در «{path_text(path)}» نوشته نشد: {os_problem(exc)}") from exc


def _lists_sheet(book: Workbook):
    """The hidden sheet the drop-down lists point at: one column per closed choice."""
    ws = book.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ws.sheet_view.rightToLeft = True
    return ws


def _list_range(lists, name: str, options: tuple[str, ...]) -> str:
    """The absolute range of ``options`` on the lists sheet, adding them the first time."""
    for col in range(1, lists.max_column + 1):
        if lists.cell(1, col).value == name:
            break
    else:
        col = 1 if lists.cell(1, 1).value is None else lists.max_column + 1
        lists.cell(1, col, name).font = Font(bold=True)
        for i, option in enumerate(options, start=2):
            lists.cell(i, col, option)
        lists.column_dimensions[get_column_letter(col)].width = 30
    letter = get_column_letter(col)
    return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(options) + 1}"


def _validation(lists, column: Column, cells: str) -> DataValidation:
    options = (YES, NO) if column.kind == YESNO else column.choices
    dv = DataValidation(
        type="list",
        formula1=_list_range(lists, column.header, options),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="مقدار نادرست",
        error=f"«{column.header}» باید یکی از گزینه‌های فهرست باشد.",
        showInputMessage=True,
        promptTitle=column.header[:32],
        prompt=column.help[:250],
    )
    dv.add(cells)
    return dv


def _comment(text: str) -> Comment:
    comment = Comment(text, _AUTHOR)
    comment.width, comment.height = 260, 110
    return comment


def _agency_sheet(ws, values: dict[str, str], lists) -> None:
    ws.title = AGENCY.name
    ws.sheet_view.rightToLeft = True
    _page_numbers(ws)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 50
    for row, column in enumerate(AGENCY.columns, start=1):
        label = ws.cell(row, 1, column.header)
        label.font = Font(bold=True)
        label.alignment = _RIGHT
        label.fill = _LABEL_FILL
        label.border = _BOX
        label.comment = _comment(column.help)
        value = ws.cell(row, 2, values.get(column.key) or None)
        value.border = _BOX
        value.number_format = "@"  # a code like 0012 stays as typed
        value.alignment = _RIGHT
        if column.kind == CHOICE:
            ws.add_data_validation(_validation(lists, column, f"B{row}"))


def _fit_to_page_width(ws) -> None:
    # A printed sheet keeps every column on one landscape page, as many pages long as needed.
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    _page_numbers(ws)


def _page_numbers(ws) -> None:
    # Pages numbered per sheet, with the sheet's name: a printed sheet is handed round on its own.
    ws.oddFooter.center.text = "&A — صفحه &P"
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True


def _data_sheet(ws, spec: Sheet, lists) -> None:
    ws.sheet_view.rightToLeft = True
    _fit_to_page_width(ws)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 36
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(1, index, column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        cell.border = _BOX
        cell.comment = _comment(column.help)
        ws.column_dimensions[letter].width = column.width
        cells = f"{letter}2:{letter}{_LAST_ROW}"
        if column.kind in (CHOICE, YESNO):
            ws.add_data_validation(_validation(lists, column, cells))
        elif column.kind in (ID, DATE):
            # Text cells: a typed 1403/01/15 stays a Jalali date, an ID keeps every digit.
            ws.column_dimensions[letter].number_format = "@"


def _help_sheet(ws) -> None:
    ws.sheet_view.rightToLeft = True
    _fit_to_page_width(ws)
    ws.freeze_panes = "A2"
    headers = ("برگه", "ستون", "الزامی", "راهنما")
    widths = (14, 30, 9, 90)
    for index, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(1, index, text)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _CENTER
        ws.column_dimensions[get_column_letter(index)].width = width
    row = 2
    for spec in (AGENCY, *DATA_SHEETS):
        sheet = ws.cell(row, 1, spec.name)
        sheet.font, sheet.alignment = Font(bold=True), _RIGHT
        _wrapped(ws, row, spec.help, widths[3])
        row += 1
        for column in spec.columns:
            for col, text in enumerate((spec.name, column.header, "بله" if column.required else None), start=1):
                ws.cell(row, col, text).alignment = _RIGHT
            _wrapped(ws, row, column.help, widths[3])
            row += 1
    notes = (
        "ارقام را می‌توان فارسی یا لاتین نوشت؛ تاریخ‌ها شمسی و به شکل ۱۴۰۳/۰۱/۱۵ باشند.",
        "در ستون‌های «در برنامه» «بله» یا «خیر» بنویسید؛ خانهٔ خالی «خیر» شمرده می‌شود.",
        "نام برگه‌ها و عنوان ستون‌ها را تغییر ندهید؛ ترتیب ستون‌ها و سطرهای عنوان بالای جدول اشکالی ندارد.",
        "فایل با هر بار ورود، داده‌های پیشین همین دستگاه در همین دوره را جایگزین می‌کند.",
    )
    row += 1
    for note in notes:
        _wrapped(ws, row, note, widths[3])
        row += 1


def _wrapped(ws, row: int, text: str, width: float) -> None:
    """Help text in column D, its row tall enough for the wrapped lines (no program sizes rows on open)."""
    ws.cell(row, 4, text).alignment = _RIGHT
    lines = max(1, -(-len(text) // int(width * 0.95)))
    if lines > 1:
        ws.row_dimensions[row].height = 16 * lines


def _meta_sheet(ws, agency: dict[str, str] | None) -> None:
    ws.sheet_state = "hidden"
    ws.sheet_view.rightToLeft = True
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 24
    rows = [
        (META_VERSION, TEMPLATE_VERSION),
        (META_AGENCY, (agency or {}).get("code", "")),
        ("تاریخ ساخت", format_jalali(today())),
        ("برنامه", f"میز کار ارزیاب {__version__}"),
    ]
    for index, (key, value) in enumerate(rows, start=1):
        ws.cell(index, 1, key).font = Font(bold=True)
        ws.cell(index, 2, value or None).number_format = "@"
