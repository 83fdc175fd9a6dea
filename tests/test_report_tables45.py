"""Tables 4 and 5 exported to Excel: opened again with openpyxl and checked cell by cell."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import openpyxl
import pytest
from report_data import HOSTILE, Spec, build

from workbench.model.assessments import find_agency, find_round
from workbench.model.jalali import format_jalali
from workbench.model.schema import ReformAction, ReformRow
from workbench.reports.progress import ReportCancelled
from workbench.reports.tables45 import (
    AGENCY_HEADERS,
    SHEET4,
    SHEET5,
    TABLE4_HEADERS,
    TABLE5_HEADERS,
    VERDICT_HEADERS,
    export_tables45,
)

SPECS = [
    Spec("1001", "وزارت صنعت، معدن و تجارت"),
    Spec("1001-07", "سازمان صنعت، معدن و تجارت استان اصفهان", level="provincial", province="اصفهان",
         parent="1001", evaluator="علی رضایی"),
    Spec("2002", "سازمان ثبت اسناد و املاک کشور", status="draft"),
]

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


@pytest.fixture
def db(store, framework):
    build(store, framework, SPECS)
    return store


def header_row(ws, first: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=15):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header row starting with {first!r} in {ws.title}")


def data_rows(ws, first_header: str) -> list[list]:
    start = header_row(ws, first_header) + 1
    return [list(r) for r in ws.iter_rows(min_row=start, max_row=ws.max_row)]


def test_one_agency_sheets_headers_layout_and_print_setup(db, tmp_path):
    out = tmp_path / "t45.xlsx"
    with db.session() as s:
        rnd = find_round(s)
        agency = find_agency(s, "1001-07")
        assert export_tables45(s, rnd, out, agency) == out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SHEET4, SHEET5]
    for name, headers in ((SHEET4, TABLE4_HEADERS), (SHEET5, TABLE5_HEADERS)):
        ws = wb[name]
        hr = header_row(ws, "ردیف")
        assert [c.value for c in ws[hr]][: len(headers) + 2] == headers + VERDICT_HEADERS
        assert ws.sheet_view.rightToLeft is True
        assert ws.freeze_panes == f"A{hr + 1}"
        assert ws.print_title_rows == f"${hr}:${hr}"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        # one page wide (fitToWidth left out is 1, the file format's default), as many tall as needed
        assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.oddFooter.center.text == "صفحه &P" and ws.page_setup.useFirstPageNumber  # numbered per sheet
        assert ws.column_dimensions["C"].width >= 15  # service title is given room
        # the header block: round, agency, Jalali date of export, evaluator
        block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, hr)}
        assert "۱۴۰۳" in block["دوره"]
        assert block["دستگاه"].startswith("سازمان صنعت، معدن و تجارت استان اصفهان")
        assert block["تاریخ تهیه"] == format_jalali(dt.date.today())
        assert block["ارزیاب"] == "علی رضایی"
    assert len(data_rows(wb[SHEET4], "ردیف")) == 3
    assert len(data_rows(wb[SHEET5], "ردیف")) == 2


def test_values_verdicts_numbers_and_dates(db, tmp_path):
    out = tmp_path / "t45.xlsx"
    with db.session() as s:
        rnd = find_round(s)
        export_tables45(s, rnd, out, find_agency(s, "1001"))
    wb = openpyxl.load_workbook(out)
    rows = data_rows(wb[SHEET4], "ردیف")
    first = [c.value for c in rows[0]]
    assert first[:5] == [1, "۱۲۱۰۹۵۱۰۰", "صدور پروانه کسب حقیقی", "زمان", "روز"]
    assert first[5:8] == [30, 10, 7.5]
    assert rows[0][7].number_format.endswith("#,##0.00") and rows[0][5].number_format.endswith("#,##0")
    assert rows[0][5].number_format.startswith("[$-3000429]")  # shown with Persian digits
    assert [r[9].value for r in rows] == ["پذیرفته", "پذیرفته نشده", "کنترل نشده"]
    assert rows[0][10].value == "مستند زمان‌سنجی دیده شد"
    assert rows[1][7].value is None  # no value after improvement: an empty cell, not 0
    acts = data_rows(wb[SHEET5], "ردیف")
    assert acts[0][5].value == "۱۴۰۳/۰۱/۰۱" and acts[0][6].value == "۱۴۰۳/۰۴/۰۱"
    assert acts[1][6].value is None or acts[1][6].value == ""
    assert acts[0][7].value == "انجام شده"


def test_hostile_agency_text_stays_literal_text(db, tmp_path):
    out = tmp_path / "t45.xlsx"
    with db.session() as s:
        export_tables45(s, find_round(s), out, find_agency(s, "1001"))
    wb = openpyxl.load_workbook(out)
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in HOSTILE or cell.value == "=1+1":
                    seen.setdefault(cell.value, []).append(cell)
    assert set(seen) == set(HOSTILE) | {"=1+1"}
    for cells in seen.values():
        for cell in cells:
            assert cell.data_type == "s", (cell.coordinate, cell.value)
    # nothing in the file is a formula
    for ws in wb.worksheets:
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_whole_round_has_agency_columns_grouped_by_agency(db, tmp_path):
    out = tmp_path / "all.xlsx"
    with db.session() as s:
        export_tables45(s, find_round(s), out)
        n4 = s.query(ReformRow).count()
        n5 = s.query(ReformAction).count()
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET4]
    hr = header_row(ws, "کد دستگاه")
    assert [c.value for c in ws[hr]] == AGENCY_HEADERS + TABLE4_HEADERS + VERDICT_HEADERS
    rows = data_rows(ws, "کد دستگاه")
    assert len(rows) == n4 == 9
    codes = [r[0].value for r in rows]
    assert codes == ["۱۰۰۱"] * 3 + ["۱۰۰۱-۰۷"] * 3 + ["۲۰۰۲"] * 3  # grouped, in code order
    assert [r[2].value for r in rows[:3]] == [1, 2, 3]
    block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, hr)}
    assert block["دستگاه"] == "همهٔ دستگاه‌ها"
    assert block["ارزیاب"] == "علی رضایی، مریم احمدی"
    assert ws.auto_filter.ref.startswith(f"A{hr}:")
    assert len(data_rows(wb[SHEET5], "کد دستگاه")) == n5 == 6


def test_agency_without_rows_gets_empty_tables_with_a_note(store, framework, tmp_path):
    build(store, framework, [Spec("3003", "سازمان بدون جدول")], tables=False)
    out = tmp_path / "empty.xlsx"
    with store.session() as s:
        export_tables45(s, find_round(s), out, find_agency(s, "3003"))
    ws = openpyxl.load_workbook(out)[SHEET4]
    rows = data_rows(ws, "ردیف")
    assert [r[0].value for r in rows] == ["ردیفی برای این جدول ثبت نشده است."]


def test_cancel_writes_nothing(db, tmp_path):
    out = tmp_path / "never.xlsx"
    with db.session() as s:
        with pytest.raises(ReportCancelled):
            export_tables45(s, find_round(s), out, cancelled=lambda: True)
    assert not out.exists()
    assert list(tmp_path.glob("*.xlsx")) == []


def test_wrong_suffix_is_refused_in_persian(db, tmp_path):
    from workbench.model.errors import UserError

    with db.session() as s:
        with pytest.raises(UserError, match="xlsx"):
            export_tables45(s, find_round(s), tmp_path / "t45.pdf")


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "workbench", "report", "tables45", *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )


def test_cli_writes_workbook_and_refuses_bad_input(db, tmp_path):
    out = tmp_path / "cli.xlsx"
    done = run_cli(db.path, "--out", out, "--agency", "۱۰۰۱", "--round", "1403")
    assert done.returncode == 0, done.stderr
    assert "۳ ردیف جدول ۴" in done.stdout
    assert openpyxl.load_workbook(out).sheetnames == [SHEET4, SHEET5]

    everything = run_cli(db.path, "--out", tmp_path / "all.xlsx")
    assert everything.returncode == 0, everything.stderr
    assert "۹ ردیف جدول ۴" in everything.stdout

    missing = run_cli(tmp_path / "nope.sqlite", "--out", tmp_path / "x.xlsx")
    assert missing.returncode == 2
    assert "وجود ندارد" in missing.stderr and "nope.sqlite" in missing.stderr
    assert not (tmp_path / "nope.sqlite").exists()  # a missing database is not created

    unknown = run_cli(db.path, "--out", tmp_path / "y.xlsx", "--agency", "9999")
    assert unknown.returncode == 2
    assert "9999" in unknown.stderr and "دستگاه" in unknown.stderr
    assert not (tmp_path / "y.xlsx").exists()

    no_round = run_cli(db.path, "--out", tmp_path / "z.xlsx", "--round", "1399")
    assert no_round.returncode == 2 and "دوره" in no_round.stderr


def test_a_whole_round_is_streamed_to_the_file_not_held_as_cells(tmp_path, monkeypatch):
    """57,000 rows held as openpyxl cells took 550 MB; XlsxWriter's constant-memory mode keeps a row at a time."""
    import workbench.reports.tables45 as module
    import workbench.reports.xlsx_stream as stream

    made = []
    real = stream.Workbook

    def recording(path, options):
        made.append(options)
        return real(path, options)

    monkeypatch.setattr(stream, "Workbook", recording)
    db = tmp_path / "demo.sqlite"
    from workbench.demo.build import build_demo
    from workbench.model.assessments import find_round
    from workbench.model.store import open_store

    build_demo(db, agencies=12, seed=3)
    store = open_store(db, create=False)
    with store.session() as s:
        result = module.export_tables45_counted(s, find_round(s), tmp_path / "t45.xlsx")
    store.close()
    assert len(made) == 1 and made[0]["constant_memory"] is True and result.table4_rows > 0
    assert not made[0]["strings_to_formulas"]  # agencies' text stays text (also written as strings)
