"""A streamed sheet for the round's big tables, written with XlsxWriter (no Qt).

Tables 4 and 5 of a whole round are 70,000 styled rows.  openpyxl's write-only sheet
spends most of that export on its per-cell machinery (a styled cell object for every
value, then its generic XML writer); XlsxWriter's constant-memory mode writes each
row to the file as soon as the next one begins, formatted cells as cheaply as bare
ones.  openpyxl stays the reader and the writer of every other workbook.

The result is the workbook the openpyxl export made (``tests/test_report_tables45_same.py``
compares the two cell by cell): the styles come from :func:`sheets.style_parts`, the page
from the same settings as :func:`sheets.setup_page`, every string is written as a literal
string (never a formula), every number with 16 significant digits as openpyxl writes it.
"""
from __future__ import annotations

from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbench.reports.sheets import ALL_STYLES, clean_text, header_footer_text, style_parts

#: XlsxWriter's conversion of a column width: ``pixels * 256 // 7 / 256`` characters
#: (a digit of the default font is 7 pixels), so a whole width ``w`` is ``7 * w`` pixels.
_DIGIT_PIXELS = 7
_BOOK_OPTIONS = {
    "constant_memory": True,  # a row in memory, not the sheet
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def _format_props(name: str) -> dict:
    """XlsxWriter's properties for one of ``sheets``' named styles."""
    font, align, fmt, border, fill = style_parts(name)
    props = {
        "font_name": font.name, "font_size": font.sz, "bold": bool(font.b), "num_format": fmt,
        "align": align.horizontal, "valign": "v" + align.vertical, "text_wrap": bool(align.wrap_text),
        "reading_order": int(align.readingOrder),
    }
    if border is not None:  # thin on four sides, one colour
        assert {border.left.style, border.right.style, border.top.style, border.bottom.style} == {"thin"}
        props.update(border=1, border_color="#" + border.left.color.rgb[-6:])
    if fill is not None:
        assert fill.fill_type == "solid"
        props.update(pattern=1, bg_color="#" + fill.fgColor.rgb[-6:])
    return props


class StreamedBook:
    """An .xlsx file written row by row: ``sheet()``, then rows in order, then ``close()``."""

    def __init__(self, path: str) -> None:
        self.book = Workbook(path, _BOOK_OPTIONS)
        self.formats = {name: self.book.add_format(_format_props(name)) for name in ALL_STYLES}

    def sheet(self, name: str, widths: list[float], header_row: int) -> StreamedSheet:
        return StreamedSheet(self, self.book.add_worksheet(name), widths, header_row)

    def close(self) -> None:
        try:
            self.book.close()
        except FileCreateError as exc:  # what it wraps is what the caller reports
            raise exc.args[0] if isinstance(exc.args[0], OSError) else OSError(str(exc)) from exc


class StreamedSheet:
    """One right-to-left sheet, as :func:`sheets.set_widths`, :func:`sheets.start_streamed_sheet`
    and :func:`sheets.setup_page` set up openpyxl's; rows are numbered from 1 as in openpyxl."""

    def __init__(self, book: StreamedBook, ws: Worksheet, widths: list[float], header_row: int) -> None:
        self.ws, self.formats, self.header_row, self.next_row = ws, book.formats, header_row, 1
        for col, width in enumerate(widths):
            if col == 0:
                width = max(width, 11)  # sheets.LABEL_WIDTH: column A also holds the block's labels
            assert width == int(width), "a whole width keeps openpyxl's exact value"
            ws.set_column_pixels(col, col, int(width) * _DIGIT_PIXELS)
        ws.right_to_left()
        ws.freeze_panes(header_row, 0)

    def row(self, cells: list[tuple[object, str]], height: float | None = None) -> int:
        """Write the next row: (value, style name) per column from A; a str is literal text,
        a number a number, None or "" an empty styled cell.  Returns the row's number."""
        r = self.next_row - 1
        if height is not None:
            self._height(r, height)
        ws, formats = self.ws, self.formats
        for col, (value, style) in enumerate(cells):
            if isinstance(value, str):
                value = clean_text(value)
                if value:
                    ws.write_string(r, col, value, formats[style])
                    continue
                value = None  # "" is an empty cell, as openpyxl writes it
            if value is None:
                ws.write_blank(r, col, None, formats[style])
            else:
                ws.write_number(r, col, value, formats[style])
        self.next_row += 1
        return self.next_row - 1

    def merged_text(self, text: str, style: str, first_col: int, last_col: int, before: list | None = None,
                    height: float | None = None) -> int:
        """The next row: ``before`` cells, then ``text`` merged over columns first_col..last_col (from 1)."""
        r = self.next_row - 1
        if height is not None:
            self._height(r, height)
        for col, (value, cell_style) in enumerate(before or []):
            self.ws.write_string(r, col, clean_text(value), self.formats[cell_style])
        self.ws.merge_range(r, first_col - 1, r, last_col - 1, clean_text(text), self.formats[style])
        self.next_row += 1
        return self.next_row - 1

    def _height(self, r: int, height: float) -> None:
        # In pixels, unrounded: set_row() rounds to whole pixels (58 points became 57.75);
        # XlsxWriter writes pixels * 0.75, which gives the points back exactly.
        self.ws.set_row_pixels(r, height / 0.75)

    def skip_row(self) -> None:
        self.next_row += 1

    def finish(self, last_col: int, page_title: str, last_row: int, autofilter: bool) -> None:
        """Page set-up as :func:`sheets.setup_page` makes it, the autofilter over the table."""
        ws, hr = self.ws, self.header_row
        last_row = max(last_row, hr)
        if autofilter:
            ws.autofilter(hr - 1, 0, last_row - 1, last_col - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
        ws.repeat_rows(hr - 1)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
        ws.set_header(f"&C&9 {header_footer_text(page_title)}", {"margin": 0.3})
        ws.set_footer("&C&9 صفحه &P", {"margin": 0.3})
        ws.set_start_page(1)
        ws.print_area(0, 0, last_row - 1, last_col - 1)
