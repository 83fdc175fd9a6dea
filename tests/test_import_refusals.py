"""What is wrong is refused: every error at once, each naming its sheet and cell, and nothing written."""
from __future__ import annotations

import json
import zipfile

import pytest
from import_books import (
    AGENCY_CODE,
    OTHER_CODE,
    agency_rows,
    dump,
    seed,
    services_rows,
    t4_rows,
    t5_rows,
    write_book,
)

from workbench.cli import main
from workbench.imports import workbook
from workbench.model.backends import backend_for

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


@pytest.fixture
def db(store, framework, tmp_path, capsys):
    seed(store, framework)
    # Something already imported, so a refusal has data it could wrongly change.
    assert main(["import", str(store.path), str(write_book(tmp_path / "first.xlsx")), "--agency", AGENCY_CODE]) == 0
    capsys.readouterr()
    return store.path


def refused(capsys, db, path, agency=AGENCY_CODE):
    """Import ``path``; assert it is refused with exit 2 and the database unchanged; the errors."""
    before = dump(db)
    code = main(["import", str(db), str(path), "--agency", agency, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2, out
    assert set(out) == {"errors"}
    assert all(set(e) == {"sheet", "cell", "message"} for e in out["errors"])
    assert dump(db) == before
    return out["errors"]


def places(errors):
    return [f"{e['sheet']}!{e['cell']}" for e in errors]


def _services(changes: dict):
    rows = services_rows(3)
    for (r, c), value in changes.items():
        rows[r][c] = value
    return rows


@pytest.mark.parametrize(
    "row, col, value, place, fragment",
    [
        (1, 0, "12109510", "خدمات!A3", "۹ رقم"),  # an ID that is not 9 digits
        (1, 0, "121095000", "خدمات!A3", "تکراری"),  # a duplicate ID, named at its second place
        (2, 2, "121095999", "خدمات!C4", "خدمت مادر"),  # a parent that is not in the list
        (2, 2, "121095102", "خدمات!C4", "مادر خودش"),
        (0, 3, "G2X", "خدمات!D2", "گزینه"),  # an unknown choice
        (0, 4, "شاید", "خدمات!E2", "«بله» یا «خیر»"),
        (0, 1, None, "خدمات!B2", "خالی"),  # a required cell left blank
    ],
)
def test_service_sheet_refusals(capsys, db, tmp_path, row, col, value, place, fragment):
    rows = _services({(row, col): value})
    errors = refused(capsys, db, write_book(tmp_path / "bad.xlsx", services=rows))
    assert place in places(errors)
    assert fragment in errors[places(errors).index(place)]["message"]


def test_a_sub_service_pointing_to_a_missing_parent_is_refused_even_if_rows_were_removed(capsys, db, tmp_path):
    rows = services_rows(3)[1:]  # the parent row is gone
    errors = refused(capsys, db, write_book(tmp_path / "orphans.xlsx", services=rows, table4=[], table5=[]))
    assert places(errors) == ["خدمات!C2", "خدمات!C3"]


def _t4(col, value):
    rows = t4_rows()
    rows[0][col] = value
    return rows


def _t5(col, value):
    rows = t5_rows()
    rows[0][col] = value
    return rows


@pytest.mark.parametrize(
    "table4, table5, place, fragment",
    [
        (_t4(1, "999999999"), None, "جدول ۴!B2", "نه در برگهٔ"),  # a service in neither the file nor the database
        (None, _t5(1, "999999999"), "جدول ۵!B2", "نه در برگهٔ"),
        (_t4(3, "کیفیت"), None, "جدول ۴!D2", "گزینه"),
        (_t4(5, "ده روز"), None, "جدول ۴!F2", "عدد نیست"),  # a number that is not a number
        (_t4(0, "اول"), None, "جدول ۴!A2", "عدد نیست"),
        (_t4(3, "هزینه"), None, "جدول ۴!D3", "تکراری"),
        (None, _t5(3, "گام هفتم"), "جدول ۵!D2", "گزینه"),
        (None, _t5(7, "تمام"), "جدول ۵!H2", "گزینه"),
        (None, _t5(5, "1404/12/30"), "جدول ۵!F2", "وجود ندارد"),  # an impossible Jalali date
        (None, _t5(6, "۱۴۰۳/۰۱/۰۱"), "جدول ۵!G2", "پیش از تاریخ شروع"),  # an end before its start
        (None, _t5(4, ""), "جدول ۵!E2", "خالی"),
    ],
)
def test_table_refusals(capsys, db, tmp_path, table4, table5, place, fragment):
    errors = refused(capsys, db, write_book(tmp_path / "bad.xlsx", table4=table4, table5=table5))
    assert places(errors) == [place], errors
    assert fragment in errors[0]["message"]


def test_a_file_of_another_agency_is_refused_at_the_code_cell(capsys, db, tmp_path):
    errors = refused(capsys, db, write_book(tmp_path / "other.xlsx", agency=agency_rows(OTHER_CODE)))
    assert places(errors) == ["دستگاه!B1"]
    assert "«۲۰۰۲»" in errors[0]["message"] and "«۱۰۰۱ — وزارت نمونه»" in errors[0]["message"]


def test_the_code_is_compared_in_any_digit_set(capsys, db, tmp_path):
    code = main(["import", str(db), str(write_book(tmp_path / "fa.xlsx", agency=agency_rows("۱۰۰۱"))),
                 "--agency", AGENCY_CODE, "--json"])
    assert code == 0, capsys.readouterr().out


def test_an_unknown_level_is_refused(capsys, db, tmp_path):
    rows = agency_rows()
    rows[3][1] = "شهری"
    errors = refused(capsys, db, write_book(tmp_path / "level.xlsx", agency=rows))
    assert places(errors) == ["دستگاه!B4"]


def test_missing_sheets_and_columns(capsys, db, tmp_path):
    path = write_book(tmp_path / "missing.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    del book["جدول ۵"]
    book["خدمات"].delete_cols(4)  # نوع خدمت
    book.save(path)
    errors = refused(capsys, db, path)
    assert places(errors) == ["خدمات!1:1", "جدول ۵!"]  # in reading order; the missing sheet last
    assert "«نوع خدمت»" in errors[0]["message"]
    assert "«جدول ۵» در فایل نیست" in errors[1]["message"]


def test_a_sheet_without_a_header_row_in_its_first_ten_rows(capsys, db, tmp_path):
    path = write_book(tmp_path / "deep.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["جدول ۴"].insert_rows(1, amount=10)
    book.save(path)
    errors = refused(capsys, db, path)
    assert places(errors) == ["جدول ۴!A1"]


def test_every_error_is_reported_at_once(capsys, db, tmp_path):
    services = _services({(0, 3): "G2X", (1, 0): "123", (2, 4): "شاید"})
    errors = refused(
        capsys, db,
        write_book(tmp_path / "many.xlsx", services=services, table4=_t4(5, "ده"), table5=_t5(5, "1404/12/30"),
                   agency=agency_rows(OTHER_CODE)),
    )
    assert set(places(errors)) >= {"خدمات!D2", "خدمات!A3", "خدمات!E4", "جدول ۴!F2", "جدول ۵!F2", "دستگاه!B1"}


def test_too_many_rows(capsys, db, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 2)
    monkeypatch.setattr("workbench.imports.validate.MAX_ROWS", 2)
    errors = refused(capsys, db, write_book(tmp_path / "rows.xlsx", services=services_rows(3)))
    assert places(errors) == ["خدمات!A4"]


# --------------------------------------------------------------------------- files that are not workbooks


def _file_refusal(capsys, db, path, fragment):
    errors = refused(capsys, db, path)
    assert len(errors) == 1 and errors[0]["sheet"] == "" and errors[0]["cell"] == ""
    assert fragment in errors[0]["message"]
    assert path.name in errors[0]["message"]


def test_a_text_file_named_xlsx(capsys, db, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_text("شناسه خدمت,عنوان\n121095000,صدور\n", encoding="utf-8")
    _file_refusal(capsys, db, path, "(xlsx) نیست")


def test_an_empty_file(capsys, db, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _file_refusal(capsys, db, path, "خالی")


def test_a_zip_that_is_not_a_workbook(capsys, db, tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    _file_refusal(capsys, db, path, "کارپوشهٔ Excel نیست")


def test_an_opendocument_spreadsheet(capsys, db, tmp_path):
    path = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    _file_refusal(capsys, db, path, "ods")


def test_a_damaged_zip(capsys, db, tmp_path):
    good = write_book(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    _file_refusal(capsys, db, path, "آسیب")


def test_a_password_protected_workbook(capsys, db, tmp_path):
    # What Excel writes for a workbook with a password: an OLE2 compound file
    # holding the streams EncryptionInfo and EncryptedPackage.
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    directory = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0") + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(header + directory + bytes(1024))
    _file_refusal(capsys, db, path, "رمزگذاری شده")


def test_a_bare_ole_file_is_called_encrypted_or_old(capsys, db, tmp_path):
    path = tmp_path / "ole.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2048))
    _file_refusal(capsys, db, path, "رمزگذاری شده")


def test_an_old_xls_file(capsys, db, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "Workbook".encode("utf-16-le") + bytes(512))
    _file_refusal(capsys, db, path, "xls")


def test_a_file_larger_than_the_limit(capsys, db, tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(workbook.MAX_FILE_BYTES + 1)
    _file_refusal(capsys, db, path, "مگابایت")


def test_a_zip_that_unpacks_beyond_the_limit(capsys, db, tmp_path, monkeypatch):
    path = write_book(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", bytes(3 * 1024 * 1024))  # 3 MB of zeros, a few KB packed
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    _file_refusal(capsys, db, path, "پس از گشودن")


def test_plain_text_output_names_every_place(capsys, db, tmp_path):
    path = write_book(tmp_path / "two.xlsx", services=_services({(0, 3): "G2X", (1, 0): "123"}))
    assert main(["import", str(db), str(path), "--agency", AGENCY_CODE]) == 2
    err = capsys.readouterr().err
    assert "خدمات!D2" in err and "خدمات!A3" in err and "تغییری نکرد" in err


def test_unknown_agency_round_or_database_are_json_errors_too(capsys, db, tmp_path):
    path = write_book(tmp_path / "a.xlsx")
    for args, fragment in (
        ([str(db), str(path), "--agency", "9999"], "9999"),
        ([str(db), str(path), "--agency", AGENCY_CODE, "--round", "1390"], "1390"),
        ([str(tmp_path / "none.sqlite"), str(path), "--agency", AGENCY_CODE], "وجود ندارد"),
        ([str(db), str(tmp_path / "none.xlsx"), "--agency", AGENCY_CODE], "وجود ندارد"),
    ):
        before = dump(db)
        assert main(["import", *args, "--json"]) == 2
        errors = json.loads(capsys.readouterr().out)["errors"]
        assert len(errors) == 1 and fragment in errors[0]["message"]
        assert dump(db) == before
    assert main(["import", str(db), str(path), "--agency", "9999"]) == 2
    assert "9999" in capsys.readouterr().err


def test_a_macro_enabled_workbook_is_read_and_its_macros_ignored(capsys, db, tmp_path):
    path = write_book(tmp_path / "book.xlsm")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not run, not even read"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert b"macroEnabled" in parts["[Content_Types].xml"]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["services"] == 3


def test_a_busy_database_is_a_json_refusal_too(capsys, db, tmp_path, monkeypatch):
    import sqlite3

    from workbench.imports import importer as importer_module

    def busy(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(importer_module, "import_workbook", busy)
    before = dump(db)
    code = main(["import", str(db), str(write_book(tmp_path / "a.xlsx")), "--agency", AGENCY_CODE, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and dump(db) == before
    assert len(out["errors"]) == 1 and backend_for(db).display in out["errors"][0]["message"]
