"""What a person would call correct is imported: messy workbooks written with openpyxl."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from import_books import (
    AGENCY_CODE,
    OTHER_SERVICE,
    SERVICE_HEADERS,
    T4_HEADERS,
    T5_HEADERS,
    seed,
    set_cached_values,
    write_book,
)
from openpyxl import Workbook
from sqlalchemy import select

from workbench.cli import main
from workbench.model.schema import Agency, ReformAction, ReformRow, Service

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store.path


def run_import(capsys, db, path, *extra):
    code = main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def _messy(path):
    book = Workbook()

    ws = book.active
    ws.title = "دستگاه"
    ws.append(["مشخصات دستگاه اجرایی"])  # a title row above the label/value rows
    ws.append(["كد  دستگاه", None, 1001])  # Arabic kaf, double space; a number cell, one column further
    ws.append(["نام دستگاه", "وزارت نمونه"])
    ws.append(["سطح", "ملي"])
    ws.append(["نشانی‌ تارنما", "https://example.ir"])

    ws = book.create_sheet("خدمات ")  # a trailing space in the sheet name
    ws["A1"] = "فهرست خدمات وزارت نمونه — دورهٔ ۱۴۰۳"
    ws.merge_cells("A1:J1")  # a merged title above the table
    ws.merge_cells("A2:C2")
    order = [1, 0, 3, 2, 8, 4, 5, 6, 7]  # columns shuffled
    headers = [SERVICE_HEADERS[i] for i in order] + ["ملاحظات"]
    headers[0] = "عنوان  خدمت"  # two spaces
    headers[1] = "شناسه‌خدمت"  # a ZWNJ instead of a space
    headers[5] = "درخواست الكترونيكي در برنامه"  # Arabic ي and ك
    headers[6] = "ارائه‌ الکترونیکی در برنامه (بله/خیر)"  # a note in brackets
    ws.append(headers)  # row 3
    raw = [
        # title, id, kind, parent, url, request, delivery, counter, gsb, note
        ["صدور پروانه", 121095000, "G2B", None, "https://example.ir/s/1", "بله", "خیر", "دارد", "ندارد", "ملاحظه"],
        ["زیرخدمت یک", 121095101.0, "دولت به کسب و کار", "121095000", None, "✓", "✗", 1, 0, None],
        [None, None, None, None, None, None, None, None, None, None],  # a blank row
        ["زیرخدمت دو", "۱۲۱۰۹۵۱۰۲", "دولت به شهروند", "۱۲۱۰۹۵۰۰۰", None, "yes", "no", True, False, None],
        ["زیرخدمت سه", "١٢١٠٩٥١٠٣", "g2g", "121,095,000", None, "آری", "نه", "1", "0", None],
        ["زیرخدمت چهار", "121,095,104", "G2C - دولت به شهروند", None, "", "", "", "", "", None],
        ["زیرخدمت پنج", "121095105.0", "G2C", None, None, "YES", None, None, None, None],
    ]
    for values in raw:
        ws.append(values)

    ws = book.create_sheet("جدول 4")  # Latin digit in the sheet name
    ws.append(["جدول ۴ — خدمات بهبودیافته"])
    ws.append(["تهیه‌کننده: دفتر تحول اداری"])
    ws.append([T4_HEADERS[i] for i in (8, 7, 6, 5, 4, 3, 2, 1, 0)])  # reversed
    ws.append(["", "۴", "5", "١٠", "روز", "زمان", "", "121095101", 1])
    ws.append(["توضیح", "1,200", None, "۱۲٫۵", "ریال", "رضايت شهروند و ارباب‌رجوع", "", "۱۲۱۰۹۵۱۰۲", None])
    ws.append([None, None, None, None, None, "کاهش تخلفات", None, OTHER_SERVICE, None])  # another agency's service

    ws = book.create_sheet("جدول ٥")  # Arabic-Indic digit in the sheet name
    ws.append([])
    ws.append(T5_HEADERS)
    ws.append([1, "121095101", "", "هدف‌گذاری", "تعیین هدف", "1403/01/15", "۱۴۰۳/۰۲/۰۱", "انجام شده", ""])
    ws.append([2, "121095101", "", "مدلسازی وضع موجود", "ترسیم فرایند", dt.datetime(2024, 7, 22), dt.datetime(1403, 6, 1), "در حال اجرا", ""])
    ws.append([3, "121095102", "", "اجرای اقدامات بهبود", "پیاده‌سازی", "14030701", None, "برنامه ريزي شده", ""])

    book.create_sheet("یادداشت")  # a sheet the import does not know
    book.save(path)
    return path


def test_a_messy_workbook_imports_as_a_person_meant_it(capsys, db, tmp_path, store):
    code, out = run_import(capsys, db, _messy(tmp_path / "messy.xlsx"))
    assert code == 0, out
    assert (out["services"], out["table4"], out["table5"]) == (6, 3, 3)
    warnings = {(w["sheet"], w["cell"]): w["message"] for w in out["warnings"]}
    assert set(warnings) == {("خدمات ", "J3"), ("یادداشت", "")}
    assert "«ملاحظات»" in warnings[("خدمات ", "J3")]

    with store.session() as s:
        services = {x.service_id: x for x in s.scalars(select(Service).join(Agency).where(Agency.code == AGENCY_CODE))}
        assert sorted(services) == ["121095000", "121095101", "121095102", "121095103", "121095104", "121095105"]
        plans = {
            sid: (x.kind, x.parent_service_id, x.in_request_plan, x.in_delivery_plan, x.in_counter_plan, x.in_gsb_plan)
            for sid, x in services.items()
        }
        assert plans == {
            "121095000": ("G2B", "", True, False, True, False),
            "121095101": ("G2B", "121095000", True, False, True, False),
            "121095102": ("G2C", "121095000", True, False, True, False),
            "121095103": ("G2G", "121095000", True, False, True, False),
            "121095104": ("G2C", "", False, False, False, False),
            "121095105": ("G2C", "", True, False, False, False),
        }
        assert services["121095000"].url == "https://example.ir/s/1"

        rows = sorted(s.scalars(select(ReformRow)), key=lambda r: r.row_no)
        assert [(r.row_no, r.service_id, r.criterion, r.value_before, r.value_target, r.value_after) for r in rows] == [
            (1, "121095101", "زمان", 10.0, 5.0, 4.0),
            (2, "121095102", "رضایت شهروند و ارباب رجوع", 12.5, None, 1200.0),
            (3, OTHER_SERVICE, "کاهش تخلفات", None, None, None),  # unnumbered: its place in the sheet
        ]
        assert rows[0].service_title == "زیرخدمت یک"  # a blank title is taken from the service list
        assert rows[2].service_title == "خدمت دیگری"  # ... or from the database

        actions = sorted(s.scalars(select(ReformAction)), key=lambda r: r.row_no)
        assert [(a.step, a.start_date, a.end_date, a.status) for a in actions] == [
            ("هدف‌گذاری", dt.date(2024, 4, 3), dt.date(2024, 4, 20), "انجام شده"),
            # a Gregorian date cell as it is; a Jalali date a spreadsheet took for Gregorian, converted
            ("مدل‌سازی وضع موجود", dt.date(2024, 7, 22), dt.date(2024, 8, 22), "در حال اجرا"),
            ("اجرای اقدامات بهبود", dt.date(2024, 9, 22), None, "برنامه‌ریزی شده"),
        ]
        agency = s.scalar(select(Agency).where(Agency.code == AGENCY_CODE))
        assert agency.website == "https://example.ir"  # filled because it was empty
        assert agency.name == "وزارت نمونه"


def test_formulas_are_read_as_their_stored_results(capsys, db, tmp_path, store):
    path = write_book(tmp_path / "formulas.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["خدمات"]["B2"] = '="صدور "&"پروانه"'
    book["جدول ۴"]["H2"] = "=2+2"
    book.save(path)
    set_cached_values(path, 2, {"B2": "صدور پروانه"})
    set_cached_values(path, 3, {"H2": 4})
    code, out = run_import(capsys, db, path)
    assert code == 0, out
    with store.session() as s:
        assert s.scalar(select(Service.title).where(Service.service_id == "121095000")) == "صدور پروانه"
        assert s.scalar(select(ReformRow.value_after).where(ReformRow.row_no == 1)) == 4.0


def test_a_formula_without_a_stored_result_is_refused_at_its_cell(capsys, db, tmp_path):
    path = write_book(tmp_path / "uncached.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["خدمات"]["B3"] = '="زیر"&"خدمت"'  # openpyxl stores no result, as a non-calculating program would
    book.save(path)
    code, out = run_import(capsys, db, path)
    assert code == 2
    assert [(e["sheet"], e["cell"]) for e in out["errors"]] == [("خدمات", "B3")]
    assert "فرمول" in out["errors"][0]["message"] and "ذخیره" in out["errors"][0]["message"]


def test_blank_plan_cells_mean_no_and_blank_rows_are_skipped(capsys, db, tmp_path, store):
    rows = [["121095000", "خدمت", "", "G2C", "", "", "", "", "", 1], [None] * 9, [], ["121095001", "خدمت دو", "", "G2G", None,
                                                                                   None, None, None, None, "۲"]]
    path = write_book(tmp_path / "b.xlsx", services=rows, table4=[], table5=[])
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["خدمات"]["J1"] = "ردیف"  # a numbering column is read past without a warning
    book.save(path)
    code, out = run_import(capsys, db, path)
    assert code == 0, out
    assert out["services"] == 2 and out["warnings"] == []
    with store.session() as s:
        assert not any(x.in_plan(st) for x in s.scalars(select(Service).where(Service.service_id.like("121095%")))
                       for st in ("request", "delivery", "counter", "gsb"))


def test_a_workbook_saved_by_libreoffice_imports(capsys, db, tmp_path):
    """A real round trip through LibreOffice (the program many agencies use)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed here")
    source = _messy(tmp_path / "source.xlsx")
    outdir = tmp_path / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "xlsx",
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    code, out = run_import(capsys, db, outdir / "source.xlsx")
    assert code == 0, out
    assert (out["services"], out["table4"], out["table5"]) == (6, 3, 3)


def test_the_agency_sheet_never_renames_the_agency_but_says_so(capsys, db, tmp_path, store):
    from import_books import agency_rows

    rows = agency_rows()
    rows[1][1] = "وزارت نمونهٔ دیگر"
    rows[3][1] = "استانی"
    rows[4][1] = "تهران"
    code, out = run_import(capsys, db, write_book(tmp_path / "a.xlsx", agency=rows))
    assert code == 0, out
    assert [(w["sheet"], w["cell"]) for w in out["warnings"]] == [("دستگاه", "B2"), ("دستگاه", "B4")]
    assert out["agency_updated"] == ["province"]
    with store.session() as s:
        agency = s.scalar(select(Agency).where(Agency.code == AGENCY_CODE))
        assert (agency.name, agency.level, agency.province) == ("وزارت نمونه", "national", "تهران")


def test_service_ids_with_leading_zeros_are_kept_as_text(capsys, db, tmp_path, store):
    services = [
        ["012345000", "خدمت با صفر آغازین", "", "G2C", "بله", "بله", "خیر", "خیر", ""],
        ["012345101", "زیرخدمت آن", "۰۱۲۳۴۵۰۰۰", "G2C", "بله", "خیر", "خیر", "خیر", ""],
    ]
    table4 = [[1, "012345101", "", "زمان", "روز", 10, 5, 4, ""]]
    table5 = [[1, "٠١٢٣٤٥١٠١", "", "هدف‌گذاری", "تعیین هدف", "1403/12/01", "1403/12/30", "انجام شده", ""]]
    path = write_book(tmp_path / "zeros.xlsx", services=services, table4=table4, table5=table5)
    code, out = run_import(capsys, db, path)
    assert code == 0, out
    with store.session() as s:
        stored = {x.service_id: x.parent_service_id for x in s.scalars(select(Service))}
        assert stored["012345000"] == "" and stored["012345101"] == "012345000"
        assert [r.service_id for r in s.scalars(select(ReformRow))] == ["012345101"]
        action = s.scalars(select(ReformAction)).one()
        assert action.service_id == "012345101"
        assert action.end_date == dt.date(2025, 3, 20)  # 1403/12/30: 1403 is a leap year


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("خدمت به شهروندان", "G2C"),
        ("خدمت به شهروند", "G2C"),
        ("خدمت به کسب و کار", "G2B"),
        ("خدمت به کسب‌وکار", "G2B"),
        ("خدمت به دیگر دستگاه های دولتی", "G2G"),
        ("خدمت به دیگر دستگاه‌های دولتی", "G2G"),
        ("خدمت به دستگاه‌های دولتی", "G2G"),
        ("خدمت به ديگر دستگاه‌هاي دولتي", "G2G"),  # Arabic ي
        ("خدمت به شهروندان (G2C)", "G2C"),
        ("G2B - خدمت به کسب و کار", "G2B"),
    ],
)
def test_the_guides_service_kind_words_are_read(written, code):
    """002's form and the identity card (003) write «خدمت به شهروندان»، «خدمت به کسب و کار»، «خدمت به دیگر دستگاه‌های دولتی»."""
    from workbench.imports import cells
    from workbench.imports.layout import KIND_NAMES

    assert cells.service_kind(written, KIND_NAMES) == code
