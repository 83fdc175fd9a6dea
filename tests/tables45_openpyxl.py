"""Tables 4 and 5 written the way the export wrote them before it moved to XlsxWriter: openpyxl's
write-only sheet, each cell a styled openpyxl cell (sheets.py's named styles, page set-up and
widths).  The reference ``test_report_tables45_same.py`` compares the export with, and
:func:`dump`, everything a reader sees of a workbook, read back with openpyxl."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from workbench.reports import tables45 as t45
from workbench.reports.sheets import (
    HEADER,
    LABEL,
    TITLE,
    VALUE,
    _use_style,
    clean_text,
    set_widths,
    setup_page,
)


def _cell(ws, value, style: str):
    cell = WriteOnlyCell(ws, clean_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # a literal string, never a formula
    _use_style(cell, style)
    return cell


def export(session, rnd, out: Path, agency=None) -> None:
    """What ``export_tables45`` wrote before: the same rows, through openpyxl's write-only workbook."""
    agencies = t45._agencies(session, rnd, agency)
    facts = t45.sheet_facts(session, rnd, agency, agencies)
    wb = Workbook(write_only=True)
    for name, title, model, headers, widths, cells in t45.TABLES:
        _sheet(wb, name, title, facts, t45._rows(session, model, rnd, agency), agencies, headers, widths, cells,
               agency is None, rnd.year)
    wb.save(out)


def _sheet(wb, name, title, facts, rows, agencies, headers, widths, cells, whole_round, year) -> None:
    ws = wb.create_sheet(name)
    headers, widths = t45.sheet_columns(headers, widths, whole_round)
    set_widths(ws, widths)
    span = min(len(headers), 6)
    last = get_column_letter(len(headers))
    header_row = len(facts) + 3
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.row_dimensions[1].height = 24
    ws.append([_cell(ws, title, TITLE)])
    ws.merged_cells.add(f"A1:{get_column_letter(max(span, 2))}1")
    row = 2
    for label, value in facts:
        ws.append([_cell(ws, label, LABEL), _cell(ws, value, VALUE)])
        if span > 2:
            ws.merged_cells.add(f"B{row}:{get_column_letter(span)}{row}")
        row += 1
    ws.append([])
    ws.row_dimensions[header_row].height = 36
    ws.append([_cell(ws, h, HEADER) for h in headers])
    row = header_row + 1
    for height, values in t45.sheet_rows(rows, agencies, widths, cells, whole_round):
        if height is not None:
            ws.row_dimensions[row].height = height
        ws.append([_cell(ws, value, style) for value, style in values])
        row += 1
    if row == header_row + 1:
        ws.append([_cell(ws, "ردیفی برای این جدول ثبت نشده است.", VALUE)])
        ws.merged_cells.add(f"A{row}:{last}{row}")
        row += 1
    if whole_round:
        ws.auto_filter.ref = f"A{header_row}:{last}{max(row - 1, header_row)}"
    agency_text = dict(facts)["دستگاه"]
    setup_page(ws, header_row, len(headers), f"{name} — {agency_text} — دورهٔ {t45.persian_digits(year)}",
               last_row=row - 1)


def _rgb(color) -> str | None:
    """A colour's RGB (the alpha byte aside: openpyxl writes 00, XlsxWriter FF; Excel ignores it)."""
    return None if color is None or color.rgb is None else str(color.rgb)[-6:]


def _font_color(color) -> str | None:
    """None for the text colour of the theme (XlsxWriter names it, openpyxl leaves it out: both black)."""
    if color is None or (color.type == "theme" and color.theme == 1):
        return None
    return _rgb(color) if color.type == "rgb" else f"{color.type}:{color.value}"


def _style(cell) -> tuple:
    f, a, b, fill = cell.font, cell.alignment, cell.border, cell.fill
    sides = tuple((s.style, _rgb(s.color)) if s is not None and s.style else None
                  for s in (b.left, b.right, b.top, b.bottom))
    return (f.name, f.sz, bool(f.b), bool(f.i), _font_color(f.color),
            a.horizontal, a.vertical, bool(a.wrap_text), a.readingOrder, cell.number_format, sides,
            fill.fill_type, _rgb(fill.fgColor) if fill.fill_type else None)


def dump(path: Path) -> dict:
    """What a reader sees of a workbook: every cell's value, type and style, merges, row heights,
    column widths, view, print area and titles, page set-up, header and footer, autofilter."""
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c, MergedCell) or (c.value is None and not c.has_style):
                    continue
                # an empty cell has no type (openpyxl wrote "" as an empty inline string, XlsxWriter a blank)
                cells[c.coordinate] = (c.value, c.data_type if c.value is not None else None, _style(c))
        ps, pm = ws.page_setup, ws.page_margins
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
            "widths": {get_column_letter(c): d.width for d in ws.column_dimensions.values() if d.customWidth
                       for c in range(d.min, d.max + 1)},  # XlsxWriter writes like columns as one range
            "view": (ws.sheet_view.rightToLeft, ws.freeze_panes),
            "print": (ws.print_area, ws.print_title_rows, ws.print_options.horizontalCentered,
                      ws.sheet_properties.pageSetUpPr.fitToPage),
            # fitToWidth, fitToHeight, firstPageNumber: left out is 1, the file format's default
            # (XlsxWriter leaves a 1 out, openpyxl writes it)
            "page": (ps.orientation, str(ps.paperSize), *(str(1 if v is None else v) for v in (
                ps.fitToWidth, ps.fitToHeight, ps.firstPageNumber)), bool(ps.useFirstPageNumber)),
            "margins": (pm.left, pm.right, pm.top, pm.bottom, pm.header, pm.footer),
            "header": (ws.oddHeader.center.text, ws.oddHeader.center.size, ws.oddHeader.left.text,
                       ws.oddHeader.right.text),
            "footer": (ws.oddFooter.center.text, ws.oddFooter.center.size),
            "filter": ws.auto_filter.ref,
        }
    return out
