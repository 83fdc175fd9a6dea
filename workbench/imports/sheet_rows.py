"""A sheet's rows as the file holds them, bounded by the data really there.

openpyxl's ``iter_rows`` yields an empty row for every row number the file
skips, so one cell in row 2,000,000,000 walks two billion empty rows (a
hang), and a sheet dimension of ``A1:XFD1048576`` makes every one of them
16,384 cells wide.  Here the rows come straight from openpyxl's own sheet
parser: only the rows the XML holds, each as wide as its last cell.  A row
number past Excel's last row, or rows out of order, mean a damaged sheet.
"""
from __future__ import annotations

from collections.abc import Iterator

#: Excel's last row; nothing beyond it is a spreadsheet row.
EXCEL_MAX_ROW = 1_048_576


class SheetDamaged(Exception):
    """The sheet's XML cannot be a sheet Excel wrote (the caller refuses the sheet)."""

    def __init__(self, row: int, what: str):
        super().__init__(f"row {row}: {what}")
        self.row = row
        self.what = what


def file_rows(ws) -> Iterator[tuple[int, tuple]]:
    """``(row number, values)`` for each row the sheet's XML holds, in order; gaps are not filled.

    ``ws`` is a read-only worksheet of :func:`openpyxl.load_workbook`.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
        )
        last = 0
        for number, cells in parser.parse():
            if number > EXCEL_MAX_ROW:
                raise SheetDamaged(number, "beyond the last row")
            if number <= last:
                raise SheetDamaged(number, "out of order")
            last = number
            yield number, ws._get_row(cells, values_only=True)


class SheetRows:
    """The first rows of a sheet as a grid (for finding labels and headers), then the rest."""

    def __init__(self, ws):
        self._rows = file_rows(ws)
        self._pending: tuple[int, tuple] | None = None

    def head(self, count: int) -> list[tuple]:
        """Rows 1..``count`` (an absent row is ``()``); call once, before :meth:`rest`."""
        grid: list[tuple] = [()] * count
        for number, values in self._rows:
            if number > count:
                self._pending = (number, values)
                break
            grid[number - 1] = values
        # Trailing absent rows are dropped, as openpyxl's own reading ends at the last row.
        while grid and not grid[-1]:
            grid.pop()
        return grid

    def rest(self) -> Iterator[tuple[int, tuple]]:
        """Every row after the head, with its number."""
        if self._pending is not None:
            yield self._pending
            self._pending = None
        yield from self._rows
