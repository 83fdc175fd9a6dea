"""Reading single cells the way people type them (workbench.imports.cells), no database."""
from __future__ import annotations

import datetime as dt

import pytest

from workbench.imports import cells
from workbench.imports.layout import KIND_NAMES
from workbench.model.terms import REFORM_CRITERIA


@pytest.mark.parametrize(
    "value",
    [121095000, 121095000.0, "121095000", "121095000.0", "۱۲۱۰۹۵۰۰۰", "١٢١٠٩٥٠٠٠", "121,095,000",
     "۱۲۱٬۰۹۵٬۰۰۰", "121 095 000", "121-095-000", " 121095000 ", "'121095000", "۱۲۱۰۹۵۰۰۰\u200f"],
)
def test_service_id_in_every_form_people_type(value):
    assert cells.service_id(value) == "121095000"


@pytest.mark.parametrize(
    "value, fragment",
    [("12109500", "۸ رقم"), (1210950001, "۱۰ رقم"), ("12109500x", "فقط از ۹ رقم"), (121095000.5, "عدد صحیح نیست"),
     (True, "شناسهٔ خدمت نیست")],
)
def test_bad_service_ids_say_what_is_wrong(value, fragment):
    with pytest.raises(cells.CellError) as exc:
        cells.service_id(value)
    assert fragment in exc.value.message


@pytest.mark.parametrize("value", ["بله", "بلی", "دارد", "✓", "✔", 1, 1.0, "1", "۱", "yes", "YES", "Y", True, "true"])
def test_yes(value):
    assert cells.yes_no(value) is True


@pytest.mark.parametrize("value", ["خیر", "نه", "ندارد", "✗", "✘", 0, "0", "۰", "no", "No", False, "FALSE", None, "  "])
def test_no_and_blank(value):
    assert cells.yes_no(value) is False


def test_yes_no_refuses_anything_else():
    with pytest.raises(cells.CellError) as exc:
        cells.yes_no("شاید")
    assert "«بله» یا «خیر»" in exc.value.message
    with pytest.raises(cells.CellError):
        cells.yes_no(2)


@pytest.mark.parametrize(
    "value, kind",
    [("G2C", "G2C"), ("g2b", "G2B"), (" G2G ", "G2G"), ("دولت به شهروند", "G2C"), ("دولت به کسب‌وکار", "G2B"),
     ("دولت به كسب و كار", "G2B"), ("دولت به دولت", "G2G"), ("G2C (دولت به شهروند)", "G2C")],
)
def test_service_kinds_by_code_or_persian_name(value, kind):
    assert cells.service_kind(value, KIND_NAMES) == kind


def test_service_kind_refuses_two_codes_or_nonsense():
    for value in ("G2C/G2B", "G2X", "خصوصی"):
        with pytest.raises(cells.CellError):
            cells.service_kind(value, KIND_NAMES)


def test_choice_is_matched_after_normalisation_and_returned_canonical():
    assert cells.choice("رضايت  شهروند و ارباب‌رجوع", REFORM_CRITERIA) == "رضایت شهروند و ارباب رجوع"
    with pytest.raises(cells.CellError) as exc:
        cells.choice("کیفیت", REFORM_CRITERIA)
    assert "«زمان»" in exc.value.message  # the message lists what is accepted


@pytest.mark.parametrize(
    "value, number",
    [(12, 12.0), (2.5, 2.5), ("۱۲٫۵", 12.5), ("1,200", 1200.0), ("۱٬۲۰۰", 1200.0), ("20%", 20.0), ("۲۰٪", 20.0),
     ("-3", -3.0), ("−3", -3.0)],
)
def test_numbers(value, number):
    assert cells.number(value) == number


@pytest.mark.parametrize("value", ["ده", "۱۰ روز", "nan", "inf", True])
def test_not_a_number(value):
    with pytest.raises(cells.CellError) as exc:
        cells.number(value)
    assert "عدد نیست" in exc.value.message


@pytest.mark.parametrize(
    "value",
    ["1403/01/15", "۱۴۰۳/۰۱/۱۵", "١٤٠٣/٠١/١٥", "1403-1-15", "1403.01.15", "14030115", 14030115,
     dt.datetime(1403, 1, 15)],  # the last: a spreadsheet took the Jalali date for a Gregorian one
)
def test_jalali_dates(value):
    assert cells.jalali_date(value) == dt.date(2024, 4, 3)


def test_gregorian_date_cells_are_taken_as_they_are():
    assert cells.jalali_date(dt.datetime(2024, 4, 3, 0, 0)) == dt.date(2024, 4, 3)
    assert cells.jalali_date(dt.date(2024, 4, 3)) == dt.date(2024, 4, 3)


@pytest.mark.parametrize("value, fragment", [("1404/12/30", "وجود ندارد"), ("1403/13/01", "ماه"), ("فردا", "تاریخ شمسی"),
                                             (dt.datetime(1404, 12, 30), "وجود ندارد")])
def test_impossible_dates(value, fragment):
    with pytest.raises(cells.CellError) as exc:
        cells.jalali_date(value)
    assert fragment in exc.value.message
