"""Workbooks as LibreOffice writes them: dates typed there come in as the Jalali date typed."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from import_books import AGENCY_CODE, seed
from sqlalchemy import select

from workbench.cli import main
from workbench.imports.cells import jalali_date, julian_calendar
from workbench.model.jalali import format_jalali, to_gregorian
from workbench.model.schema import ReformAction

#: Made once with LibreOffice Calc by tests/fixtures/make_libreoffice_typed.py (every cell typed).
TYPED = Path(__file__).parent / "fixtures" / "libreoffice-typed-dates.xlsx"


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store


def test_julian_calendar_of_known_days():
    assert julian_calendar(dt.date(1582, 10, 15)) == (1582, 10, 5)  # the day of the reform
    assert julian_calendar(dt.date(1403, 5, 10)) == (1403, 5, 1)  # nine days apart in the 1400s
    assert julian_calendar(dt.date(1400, 1, 7)) == (1399, 12, 30)  # eight before 1400-03-01
    assert julian_calendar(dt.date(2000, 1, 14)) == (2000, 1, 1)


def test_the_fixture_holds_the_shifted_dates_openpyxl_reads():
    """What the import has to undo: openpyxl reads LibreOffice's 1403-05-01 as 1403-05-10."""
    import openpyxl

    ws = openpyxl.load_workbook(TYPED)["جدول ۵"]
    assert ws["F2"].value == dt.datetime(1403, 5, 10)
    assert ws["F3"].value == dt.datetime(1403, 1, 7)
    assert ws["G4"].value == dt.datetime(1403, 1, 10)


def test_libreoffice_typed_dates_import_as_typed(capsys, db):
    code = main(["import", str(db.path), str(TYPED), "--agency", AGENCY_CODE, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    with db.session() as s:
        actions = s.scalars(select(ReformAction).order_by(ReformAction.row_no)).all()
        got = [(format_jalali(a.start_date), format_jalali(a.end_date)) for a in actions]
    assert got == [
        ("۱۴۰۳/۰۵/۰۱", "۱۴۰۳/۰۶/۳۱"),  # a date cell; a text cell (31 Shahrivar is no Gregorian date)
        ("۱۴۰۲/۱۲/۲۹", "۱۴۰۳/۰۲/۱۰"),  # a date cell across the year; a text cell
        ("۱۳۹۹/۱۲/۳۰", "۱۴۰۳/۰۱/۰۱"),  # eight days apart before 1400-03-01 (Julian), nine after
    ]


def test_other_writers_dates_are_read_as_they_are():
    """openpyxl (and Excel, which has no year 1403) store the proleptic Gregorian date: no Julian reading."""
    assert jalali_date(dt.datetime(1403, 6, 1)) == to_gregorian(1403, 6, 1)
    assert jalali_date(dt.datetime(1403, 5, 10), julian=True) == to_gregorian(1403, 5, 1)
    assert jalali_date(dt.datetime(2024, 7, 22), julian=True) == dt.date(2024, 7, 22)  # after 1582: as it is
