"""Worksheet conventions shared by the Excel reports (openpyxl, no Qt).

Right-to-left sheets printed on A4 landscape, fitted to the page width, the
column header row repeated on every printed page and «صفحه ۱ از ۳» in the
footer.  Every string goes in as a literal string (:func:`put_text`): text
that came from agencies may begin with ``=``, ``+``, ``-`` or ``@`` and must
never become a formula.
"""
from __future__ import annotations

import re
from copy import copy
from pathlib import Path

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workbench.atomic_write import write_replacing
from workbench.model.errors import UserError
from workbench.model.problems import os_problem, path_text
from workbench.model.text import persian_digits

#: Excel has no bundled-font mechanism; Tahoma ships with every Windows and
#: draws Persian well, so it is the safest name to ask for.
FONT_NAME = "Tahoma"
#: ``[$-3000429]``: numeral shape 03 (Extended Arabic-Indic, i.e. Persian
#: digits) for locale 0x0429 (fa-IR).  Excel and LibreOffice both honour it,
#: so numbers stay numbers (sortable, summable) yet read with Persian digits.
PERSIAN_NUMERALS = "[$-3000429]"
FMT_PERCENT = PERSIAN_NUMERALS + "0.00"
FMT_INTEGER = PERSIAN_NUMERALS + "0"
FMT_NUMBER = PERSIAN_NUMERALS + "#,##0"
FMT_DECIMAL = PERSIAN_NUMERALS + "#,##0.00"
#: ``@`` marks a column as text, so a person editing the exported sheet does
#: not turn ``=...`` into a formula either.
FMT_TEXT = "@"

LABEL_WIDTH = 11
MAX_CELL_CHARS = 32767  # Excel's limit per cell
# Control characters are not allowed in the XML of a worksheet (openpyxl
# refuses them); agencies' files carry them now and then.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
GROUP_FILL = PatternFill("solid", fgColor="F3F6FA")
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
LABEL_FONT = Font(name=FONT_NAME, size=10, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True, readingOrder=2)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True, readingOrder=2)
TITLE_ALIGN = Alignment(horizontal="right", vertical="center", readingOrder=2)

# Cell styles, by name.  A whole round's table is hundreds of thousands of
# cells; giving each its font, alignment, border and format one by one makes
# openpyxl hash style objects millions of times (most of a minute), while a
# named style is one assignment per cell.
TITLE, LABEL, VALUE, HEADER = "wb-title", "wb-label", "wb-value", "wb-header"
TEXT, CENTERED, INTEGER, NUMBER, DECIMAL, PERCENT = (
    "wb-text", "wb-center", "wb-integer", "wb-number", "wb-decimal", "wb-percent"
)
SHADED = "-shaded"  # suffix: the same style on the fill that marks every other agency's rows
_BLOCK_STYLES = {
    TITLE: (TITLE_FONT, TITLE_ALIGN, FMT_TEXT, None, None),
    LABEL: (LABEL_FONT, WRAP_RIGHT, FMT_TEXT, None, None),
    VALUE: (BODY_FONT, WRAP_RIGHT, FMT_TEXT, None, None),
    HEADER: (HEADER_FONT, CENTER, FMT_TEXT, BORDER, HEADER_FILL),
}
_BODY_STYLES = {
    TEXT: (WRAP_RIGHT, FMT_TEXT),
    CENTERED: (CENTER, FMT_TEXT),
    INTEGER: (CENTER, FMT_INTEGER),
    NUMBER: (CENTER, FMT_NUMBER),
    DECIMAL: (CENTER, FMT_DECIMAL),
    PERCENT: (CENTER, FMT_PERCENT),
}


def style_parts(name: str) -> tuple[Font, Alignment, str, Border | None, PatternFill | None]:
    """A cell style's font, alignment, number format, border and fill (None: none), by its name.

    The one definition of the styles: openpyxl's named styles and the streamed tables'
    XlsxWriter formats (``xlsx_stream``) are both made from it.
    """
    if name in _BLOCK_STYLES:
        return _BLOCK_STYLES[name]
    base = name.removesuffix(SHADED)
    align, fmt = _BODY_STYLES[base]
    return BODY_FONT, align, fmt, BORDER, GROUP_FILL if name.endswith(SHADED) else None


#: Every style a table's cells take: the block's, then each body style plain and shaded.
ALL_STYLES = [*_BLOCK_STYLES, *_BODY_STYLES, *(name + SHADED for name in _BODY_STYLES)]


def _named_style(name: str) -> NamedStyle:
    font, align, fmt, border, fill = style_parts(name)
    style = NamedStyle(name=name, font=font, alignment=align, number_format=fmt)
    if border is not None:
        style.border = border
    if fill is not None:
        style.fill = fill
    return style


def _use_style(cell, name: str) -> None:
    wb = cell.parent.parent
    arrays = wb.__dict__.setdefault("_workbench_styles", {})
    array = arrays.get(name)
    if array is None:  # a named style belongs to one workbook: made on first use
        if name not in wb.named_styles:
            wb.add_named_style(_named_style(name))
        cell.style = name
        arrays[name] = copy(cell._style)  # a copy: later edits of this cell must not leak
        return
    # What ``cell.style = name`` itself does, without looking the name up
    # again by a linear search for every one of a round's 750,000 cells.
    cell._style = copy(array)


def clean_text(value: object) -> str:
    """A string safe for a cell: control characters dropped, Excel's length limit kept."""
    text = _ILLEGAL.sub("", "" if value is None else str(value))
    return text[:MAX_CELL_CHARS]


def put_text(ws: Worksheet, row: int, col: int, value: object, style: str = TEXT):
    """Write ``value`` as a literal string, whatever it starts with."""
    cell = ws.cell(row=row, column=col)
    cell.value = clean_text(value)
    # openpyxl marks a str beginning with "=" as a formula on assignment;
    # forcing the type back writes it as an inline string, unchanged.
    cell.data_type = "s"
    _use_style(cell, style)
    return cell


def put_number(ws: Worksheet, row: int, col: int, value: float | int | None, style: str = DECIMAL):
    """A number cell shown with Persian digits; ``None`` leaves the cell empty."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    _use_style(cell, style)
    return cell


def number_style_for(value: float | None) -> str:
    """Whole numbers without decimals, others with two."""
    if value is None or float(value).is_integer():
        return NUMBER
    return DECIMAL


def round_text(rnd) -> str:
    """«سال ۱۴۰۳، <title>» for a title block.

    It starts with a letter on purpose: a cell that begins with a number is
    laid out left-to-right by LibreOffice, putting the year at the wrong end.
    """
    text = f"سال {persian_digits(rnd.year)}"
    return f"{text}، {rnd.title}" if rnd.title else text


def write_title_block(ws: Worksheet, title: str, facts: list[tuple[str, str]], span: int) -> int:
    """The block above a table: a title row, then label/value rows.

    Returns the number of the first free row (after one blank row).
    """
    put_text(ws, 1, 1, title, TITLE)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(span, 2))
    ws.row_dimensions[1].height = 24
    row = 2
    for label, value in facts:
        put_text(ws, row, 1, label, LABEL)
        put_text(ws, row, 2, value, VALUE)
        if span > 2:
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=span)
        row += 1
    return row + 1


def write_header_row(ws: Worksheet, row: int, headers: list[str], height: float = 30) -> None:
    for col, header in enumerate(headers, start=1):
        put_text(ws, row, col, header, HEADER)
    ws.row_dimensions[row].height = height


def fit_row_height(ws: Worksheet, row: int, widths: list[float], line_height: float = 14.0) -> None:
    """Give a row the height its wrapped text needs (see :func:`row_height`)."""
    height = row_height([ws.cell(row=row, column=col).value for col in range(1, len(widths) + 1)], widths,
                        line_height)
    if height is not None:
        ws.row_dimensions[row].height = height


def row_height(values: list, widths: list[float], line_height: float = 14.0) -> float | None:
    """The height a row of ``values`` needs for its wrapped text; None when one line will do.

    Neither openpyxl nor Excel measures text when a file is opened, so a long
    note would show one clipped line; an estimate from the character count
    (a column-width unit holds about 1.3 Persian letters of Tahoma 10) is
    good enough to keep every word visible.
    """
    lines = 1
    for value, width in zip(values, widths):
        if not isinstance(value, str) or not value:
            continue
        per_line = max(1, int(width * 1.3))
        if len(value) <= per_line and "\n" not in value:
            continue  # one line (most cells of a round's 70,000 rows)
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in value.split("\n")))
    return min(409, lines * line_height + 2) if lines > 1 else None


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    """Column widths; column A is never narrower than :data:`LABEL_WIDTH`,
    because it also holds the labels of the title block («تاریخ تهیه»)."""
    for col, width in enumerate(widths, start=1):
        if col == 1:
            width = max(width, LABEL_WIDTH)
        ws.column_dimensions[get_column_letter(col)].width = width


def setup_page(ws: Worksheet, header_row: int, last_col: int, page_title: str, last_row: int | None = None) -> str:
    """Right-to-left, frozen header, A4 landscape fitted to width, titles and page numbers; the table's range.

    Pages are numbered per sheet («صفحه ۱» on each sheet's first page), not
    through the workbook: the sheets of a workbook are handed out separately.
    The footer says no «of N»: LibreOffice's only page-count field counts
    the pages of the whole workbook.  Its digits are the reader's program's:
    the &P field of SpreadsheetML takes no number format, so Persian digits
    cannot be asked for there (a Persian Windows shows them with its
    native-digit setting; LibreOffice prints Latin digits).
    """
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    # Header and footer need their own band: with less, LibreOffice clips
    # the lower half of Persian glyphs in them.
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    # The title block is printed once; the page header names the report on
    # every later page so a loose sheet of paper still says what it is.
    ws.oddHeader.center.text = header_footer_text(page_title)
    ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = "صفحه &P"
    ws.oddFooter.center.size = 9
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    # A streamed (write-only) sheet cannot be asked for its last row: its writer says it.
    last_row = ws.max_row if last_row is None else last_row
    table = f"A1:{get_column_letter(last_col)}{max(last_row, header_row)}"
    ws.print_area = table
    return table


def end_listing(ws: Worksheet, header_row: int, next_row: int, columns: int, none_said: str, page_title: str) -> None:
    """After a listing's rows (``next_row`` the first row after them): a filter on its columns, or when it
    has no row the sentence ``none_said`` across them; then its page set-up."""
    if next_row == header_row + 1:
        put_text(ws, next_row, 1, none_said, TEXT)
        ws.merge_cells(start_row=next_row, start_column=1, end_row=next_row, end_column=columns)
    else:
        ws.auto_filter.ref = f"A{header_row}:{ws.cell(row=next_row - 1, column=columns).coordinate}"
    setup_page(ws, header_row, columns, page_title)


def header_footer_text(text: str) -> str:
    """``&`` starts a code in Excel's header/footer language; a literal one is ``&&``."""
    return clean_text(text).replace("&", "&&")[:200]


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of ``[]:*?/\\``).

    A long name keeps its start and its end («اداره کل آموز…استان خراسان رضوی»):
    names of one agency's directorates differ only in the province at the end.
    """
    base = _SHEET_BAD.sub(" ", clean_text(name)).strip().strip("'") or "گروه"
    if len(base) > 31:
        base = base[:10].rstrip() + "…" + base[-20:].lstrip()
    candidate = base
    n = 2
    folded = {t.casefold() for t in taken}
    while candidate.casefold() in folded:
        suffix = f" ({persian_digits(n)})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def save_workbook(wb, path: Path) -> Path:
    """Save beside the target, then rename: a failed or cancelled export
    never leaves half a file, nor destroys the previous one."""
    return save_with(path, wb.save)


def save_with(path: Path, write) -> Path:
    """:func:`save_workbook` for a writer that makes the whole file itself: ``write(tmp)`` fills
    a file beside ``path`` that replaces it once complete; an OS error is told in Persian."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"پوشهٔ «{path_text(path.parent)}» ساخته نشد: {os_problem(exc)}") from exc
    try:
        return write_replacing(path, write)
    except PermissionError as exc:
        raise UserError(f"فایل «{path_text(path)}» نوشته نشد؛ شاید در برنامهٔ دیگری باز است: {os_problem(exc)}") from exc
    except OSError as exc:
        raise UserError(f"فایل «{path_text(path)}» نوشته نشد: {os_problem(exc)}") from exc
