"""The ranking workbook as it prints and links: charts inside the print area, each on its page; chart files linked."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from report_data import build
from test_report_ranking import SPECS, export

from workbench.reports.ranking import AVERAGES_SHEET
from workbench.reports.sheet_print import column_pixels, row_pixels

RANKING_SHEET = "رتبه‌بندی"


@pytest.fixture
def workbook(store, framework, tmp_path):
    build(store, framework, SPECS, tables=False)
    result, _ = export(store, tmp_path)
    return result.workbook


def _ranges(ws) -> list[tuple[int, int, int, int]]:
    areas = ws.print_area if isinstance(ws.print_area, list) else str(ws.print_area).split(",")
    return [range_boundaries(a.split("!")[-1].replace("$", "")) for a in areas]


def test_print_area_is_the_table_and_each_chart(workbook):
    wb = openpyxl.load_workbook(workbook)
    for name, charts in ((RANKING_SHEET, 2), (AVERAGES_SHEET, 1)):
        ws = wb[name]
        ranges = _ranges(ws)
        assert len(ranges) == 1 + charts, ranges
        table = ranges[0]
        assert table[:2] == (1, 1) and table[3] >= ws.max_row - 1  # the whole table
        for image in ws._images:
            marker = image.anchor._from
            col, row = marker.col + 1, marker.row + 1
            holding = [r for r in ranges[1:] if r[0] <= col <= r[2] and r[1] <= row <= r[3]]
            assert len(holding) == 1, (name, col, row, ranges)
            min_col, min_row, max_col, max_row = holding[0]
            width = sum(column_pixels(ws, c) for c in range(min_col, max_col + 1))
            height = sum(row_pixels(ws, r) for r in range(min_row, max_row + 1))
            emu_per_px = 9525  # the size drawn is the anchor's extent (openpyxl reports the PNG's own size)
            shown_w, shown_h = image.anchor.ext.width / emu_per_px, image.anchor.ext.height / emu_per_px
            assert width >= shown_w and height >= shown_h  # the picture is wholly inside


def test_chart_files_are_links_that_resolve(workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb[RANKING_SHEET]
    links = [c for row in ws.iter_rows(max_row=15) for c in row if c.hyperlink is not None]
    targets = sorted(c.hyperlink.target for c in links)
    assert targets == ["charts/01-bars.png", "charts/01-heatmap.png"]
    for cell in links:
        assert cell.value == cell.hyperlink.target  # the text says what opens
        assert (workbook.parent / cell.hyperlink.target).is_file()


def test_pages_are_numbered_per_sheet(workbook):
    wb = openpyxl.load_workbook(workbook)
    for ws in wb.worksheets:
        assert ws.oddFooter.center.text == "صفحه &P"
        assert ws.page_setup.useFirstPageNumber and int(ws.page_setup.firstPageNumber) == 1


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler-utils print the workbook")
def test_libreoffice_prints_the_tables_and_each_chart_on_its_page(workbook, tmp_path):
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "ranking.pdf"
    text = unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode())
    pages = text.split("\f")[:-1]
    # ranking: table, bars, heat map; averages: table, chart; not final: table; the round's assumptions
    assert len(pages) == 7, [p[:80] for p in pages]
    assert "وزارت نیرو" in pages[0] and "عدم مصداق" in pages[0]
    assert "شاخص" in pages[3] and "عدم مصداق" in pages[3]
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True, timeout=60).stdout
    image_pages = [int(line.split()[0]) for line in listing.decode().splitlines()[2:] if line.split()[2] == "image"]
    assert image_pages == [2, 3, 5]  # each chart alone on its page, none cut onto the tables' pages
    numbers = [next(line for line in p.splitlines()[::-1] if "صفحه" in line) for p in pages]
    assert [int("".join(ch for ch in n if ch.isdigit())) for n in numbers] == [1, 2, 3, 1, 2, 1, 1]


def test_template_help_reads_right_to_left_in_every_cell(tmp_path):
    from workbench.imports.template import write_template

    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    help_sheet = wb["راهنما"]
    texts = [c for row in help_sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert len(texts) > 40
    wrong = [c.coordinate for c in texts if c.alignment.readingOrder != 2]
    assert not wrong, wrong  # LibreOffice would lay them out by their first letter
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert ws.oddFooter.center.text == "&A — صفحه &P" and ws.page_setup.useFirstPageNumber, ws.title
