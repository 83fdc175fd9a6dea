"""Files that passed the checks but crashed the write, hung or filled memory: now imported or refused.

Each case here was found by the workbook fuzzing of issue 13 (``test_import_fuzz.py``
generates thousands of such files); these are the named, readable ones.
"""
from __future__ import annotations

import json
import os
import re
import zipfile

import pytest
from import_books import AGENCY_CODE, dump, seed, t4_rows, write_book
from openpyxl import load_workbook
from workbook_mutants import with_shared_strings

from workbench.cli import main

ENGLISH = re.compile(r"[A-Za-z]+Error|Exception|Traceback")


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store.path


def _import(capsys, db, path):
    code = main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--json"])
    return code, json.loads(capsys.readouterr().out)


def refused(capsys, db, path):
    before = dump(db)
    code, out = _import(capsys, db, path)
    assert code == 2, out
    assert dump(db) == before
    text = " ".join(e["message"] for e in out["errors"])
    assert not ENGLISH.search(text), text
    return out["errors"]


def _shared(path):
    path.write_bytes(with_shared_strings(path.read_bytes()))
    return path


def _rewrite(path, part, change):
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return path


def test_a_file_without_an_optional_column_imports_twice_to_the_same_state(capsys, db, tmp_path):
    path = write_book(tmp_path / "no-plan-column.xlsx")
    book = load_workbook(path)
    book["خدمات"].delete_cols(5)  # «درخواست الکترونیکی در برنامه», optional: read as «no»
    book.save(path)
    assert _import(capsys, db, path)[0] == 0
    once = dump(db)
    code, out = _import(capsys, db, path)
    assert code == 0, out  # it was IntegrityError: NOT NULL services.in_request_plan
    assert out["changed"] == {"services": 0, "table4": 0, "table5": 0}
    assert {k: v for k, v in dump(db).items() if k != "audit_log"} == {k: v for k, v in once.items() if k != "audit_log"}


def test_a_row_number_no_database_holds_is_refused_at_its_cell(capsys, db, tmp_path):
    rows = t4_rows()
    rows[0][0] = 10**20  # it was OverflowError on writing
    errors = refused(capsys, db, write_book(tmp_path / "huge.xlsx", table4=rows))
    assert [(e["sheet"], e["cell"]) for e in errors] == [("جدول ۴", "A2")]
    assert "بزرگ" in errors[0]["message"]


def test_a_row_numbered_two_billion_is_refused_without_walking_to_it(capsys, db, tmp_path):
    path = _rewrite(write_book(tmp_path / "far.xlsx"), "xl/worksheets/sheet2.xml",
                    lambda x: x.replace('<row r="3"', '<row r="2000000000"').replace('r="A3"', 'r="A2000000000"'))
    errors = refused(capsys, db, path)  # openpyxl alone walks two billion empty rows (a hang)
    assert errors[0]["sheet"] == "خدمات" and "۲٬۰۰۰٬۰۰۰٬۰۰۰" in errors[0]["message"]


def test_a_row_far_down_but_inside_excel_is_read_without_walking_the_gap(capsys, db, tmp_path):
    path = _rewrite(write_book(tmp_path / "gap.xlsx"), "xl/worksheets/sheet2.xml",
                    lambda x: x.replace('<row r="4"', '<row r="1048576"').replace('r="A4"', 'r="A1048576"')
                    .replace('<dimension ref="A1:I4" />', '<dimension ref="A1:XFD1048576" />'))
    code, out = _import(capsys, db, path)
    assert code == 0, out
    assert out["services"] == 3


@pytest.mark.parametrize("damage, where", [
    (lambda x: x.replace('r="B2"', 'r="NaN"'), "xl/worksheets/sheet2.xml"),
    (lambda x: x[: len(x) // 2], "xl/worksheets/sheet2.xml"),
    (lambda x: re.sub(r'(<c r="B2" t="s"><v>)\d+', r"\g<1>99999", x), "xl/worksheets/sheet2.xml"),
    (lambda x: x.replace("<c ", "<c <", 1), "xl/worksheets/sheet1.xml"),
])
def test_broken_sheet_xml_is_refused_naming_the_sheet(capsys, db, tmp_path, damage, where):
    errors = refused(capsys, db, _rewrite(_shared(write_book(tmp_path / "xml.xlsx")), where, damage))
    assert errors[0]["sheet"] in ("خدمات", "دستگاه")
    assert "آسیب" in errors[0]["message"]


def _flip(path, central: bool, offset: int):
    """Flip every bit of one byte of sheet2.xml's local header (or its central directory entry)."""
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet2.xml"
    at = next(m.start() for m in re.finditer(rb"PK\x01\x02" if central else rb"PK\x03\x04", data)
              if data[m.start() + (46 if central else 30):].startswith(name))
    data[at + offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("what, central, offset", [
    ("encrypted flag", True, 8), ("compression method", True, 10), ("CRC", True, 16),
    ("name in the local header", False, 31), ("compressed data", False, 30 + 24 + 20),
])
def test_a_damaged_zip_part_is_refused_in_persian(capsys, db, tmp_path, what, central, offset):
    errors = refused(capsys, db, _flip(write_book(tmp_path / "zip.xlsx"), central, offset))
    assert errors[0]["sheet"] == "" and "«zip.xlsx»" in errors[0]["message"], what


def test_a_named_pipe_and_a_device_are_refused_before_reading(capsys, db, tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    zero = tmp_path / "zero.xlsx"
    zero.symlink_to("/dev/zero")  # reading it would never end
    for path in (fifo, zero):
        errors = refused(capsys, db, path)
        assert "فایل معمولی نیست" in errors[0]["message"]
