"""How a report's worksheet prints and links, beyond its table (openpyxl, no Qt).

* Pictures (the ranking charts) sit beside the table, where a reader of the
  sheet sees them; the print area is the table **and** each picture's cells,
  several ranges, which Excel and LibreOffice print each from a new page.
* Files named in a sheet (the chart files in the output folder) are links,
  relative to the workbook, so they open from wherever the folder is copied.
"""
from __future__ import annotations

from copy import copy
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

PX_PER_POINT = 96 / 72
DEFAULT_ROW_POINTS = 15.0
DEFAULT_COLUMN_CHARS = 8.43


@dataclass(frozen=True)
class Picture:
    """A picture anchored at ``column``/``row`` (from 1), ``width`` by ``height`` pixels."""

    column: int
    row: int
    width: int
    height: int


def column_pixels(ws: Worksheet, column: int) -> float:
    """A column's width in pixels as Excel draws it (a character of the default font is 7 px, plus 5 of padding)."""
    dim = ws.column_dimensions.get(get_column_letter(column))
    chars = dim.width if dim is not None and dim.width else DEFAULT_COLUMN_CHARS
    return chars * 7 + 5


def row_pixels(ws: Worksheet, row: int) -> float:
    dim = ws.row_dimensions.get(row)
    points = dim.height if dim is not None and dim.height else DEFAULT_ROW_POINTS
    return points * PX_PER_POINT


def picture_range(ws: Worksheet, picture: Picture) -> str:
    """The cells a picture covers, e.g. ``R1:AD32``."""
    last_col, width = picture.column, column_pixels(ws, picture.column)
    while width < picture.width:
        last_col += 1
        width += column_pixels(ws, last_col)
    last_row, height = picture.row, row_pixels(ws, picture.row)
    while height < picture.height:
        last_row += 1
        height += row_pixels(ws, last_row)
    return f"{get_column_letter(picture.column)}{picture.row}:{get_column_letter(last_col)}{last_row}"


def next_free_column(ws: Worksheet, picture: Picture) -> int:
    """The first column right of a picture (left of it, on a right-to-left sheet), one column apart."""
    last = picture_range(ws, picture).split(":")[1]
    letters = last.rstrip("0123456789")
    return column_index_from_string(letters) + 2


def print_table_and_pictures(ws: Worksheet, table_range: str, pictures: list[Picture]) -> None:
    """Print the table, then every picture from a page of its own.

    A print area of several ranges: each range starts a new page in Excel and
    LibreOffice alike.  The rows repeated on every page (the table's header)
    are left off the pictures' pages: they would print cells of no use there.
    """
    ranges = [table_range] + [picture_range(ws, p) for p in pictures]
    ws.print_area = ranges


def link_to_file(cell, relative_path: str) -> None:
    """Make ``cell`` (its text already written) open ``relative_path``, relative to the workbook's folder."""
    cell.hyperlink = relative_path
    cell.hyperlink.tooltip = "باز کردن فایل"
    font = copy(cell.font)
    font.color, font.underline = "0563C1", "single"
    cell.font = font
