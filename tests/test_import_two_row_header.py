"""A table whose header takes two rows (a group header merged over its columns): every value, or a refusal."""
from __future__ import annotations

import json

import openpyxl
import pytest
from import_books import AGENCY_CODE, dump, seed, write_book
from sqlalchemy import select

from workbench.cli import main
from workbench.model.schema import ReformRow

TOP = ["ردیف", "شناسه خدمت", "عنوان خدمت", "معیار ارزیابی بهبود", "واحد سنجش", "مقدار", None, None, "توضیحات"]
ROWS = [
    [1, "121095101", "زیرخدمت ۱", "زمان", "روز", 10, 5, 4, ""],
    [2, "121095101", "زیرخدمت ۱", "هزینه", "ریال", "۲۰۰٬۰۰۰", 100000, 120000, "کاهش هزینهٔ سفر"],
]


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store


def _book(path, top, below, rows=ROWS, title_rows=1):
    """The template's workbook with table 4 laid out by an agency: a title, then a two-row header."""
    write_book(path)
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index("جدول ۴")
    del wb["جدول ۴"]
    ws = wb.create_sheet("جدول ۴", index)
    for _ in range(title_rows):
        ws.append(["جدول ۴ — خدمات بهبودیافته"])
    ws.append(top)
    ws.append(below)
    head = title_rows + 1
    ws.merge_cells(start_row=head, start_column=6, end_row=head, end_column=8)
    for col in (1, 2, 3, 4, 5, 9):  # the single headers span both rows
        ws.merge_cells(start_row=head, start_column=col, end_row=head + 1, end_column=col)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _import(capsys, db, path):
    code = main(["import", str(db.path), str(path), "--agency", AGENCY_CODE, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_group_header_over_its_columns_imports_every_value(capsys, db, tmp_path):
    below = [None] * 5 + ["پیش از بهبود", "هدف", "پس از بهبود", None]
    code, out = _import(capsys, db, _book(tmp_path / "two.xlsx", TOP, below))
    assert code == 0, out
    assert out["table4"] == 2
    with db.session() as s:
        got = [(r.criterion, r.unit, r.value_before, r.value_target, r.value_after)
               for r in s.scalars(select(ReformRow).order_by(ReformRow.row_no))]
    assert got == [("زمان", "روز", 10, 5, 4), ("هزینه", "ریال", 200000, 100000, 120000)]


def test_lower_headers_that_name_no_column_refuse_the_file_and_say_which(capsys, db, tmp_path):
    top = TOP[:5] + ["مقادیر", None, None, "توضیحات"]
    below = [None] * 5 + ["قبل", "هدف‌گذاری", "بعد", None]
    before = dump(db.path)
    code, out = _import(capsys, db, _book(tmp_path / "bad.xlsx", top, below))
    assert code == 2
    text = json.dumps(out, ensure_ascii=False)
    for name, column in (("مقادیر / قبل", "F"), ("مقادیر / هدف‌گذاری", "G"), ("مقادیر / بعد", "H")):
        assert f"«{name}» (ستون {column})" in text, text
    assert dump(db.path) == before  # nothing imported, nothing dropped


def test_a_one_row_header_with_headers_under_it_is_refused_not_half_read(capsys, db, tmp_path):
    """The row under the header names columns the header row left empty: those values must not vanish."""
    top = TOP[:5] + ["مقدار پیش از بهبود", None, None, "توضیحات"]
    below = [None] * 6 + ["هدف", "پس از بهبود", None]
    before = dump(db.path)
    code, out = _import(capsys, db, _book(tmp_path / "half.xlsx", top, below))
    assert code == 2
    text = json.dumps(out, ensure_ascii=False)
    assert "«مقدار پیش از بهبود / هدف» (ستون G)" in text and "/ پس از بهبود» (ستون H)" in text, text
    assert '"cell": "2:3"' in text  # both header rows
    assert dump(db.path) == before
