"""Persian text normalisation and digits; Jalali dates both ways, typed and refused."""
from __future__ import annotations

import datetime as dt

import pytest

from workbench.model.errors import DateError
from workbench.model.jalali import (
    format_jalali,
    format_jalali_long,
    is_leap,
    jalali_year,
    parse_jalali,
    to_gregorian,
    to_jalali,
)
from workbench.model.text import (
    ascii_digits,
    clean_display,
    compact,
    format_number,
    format_percent,
    normalize,
    persian_digits,
    round_percent,
)

# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("موسى", "موسی"),  # alef maksura
        ("كرمان", "کرمان"),  # Arabic kaf
        ("۱۲۱۰۹۵۰۰۰", "121095000"),  # Persian digits
        ("١٢١٠٩٥٠٠٠", "121095000"),  # Arabic-Indic digits
        ("کـــرمـان", "کرمان"),  # tatweel
        ("می\u200cروم", "می روم"),  # ZWNJ as a space
        ("  اداره   کل \t ثبت  ", "اداره کل ثبت"),  # runs of spaces
        ("\u200fسازمان\u200e", "سازمان"),  # bidi marks
        ("G2C", "g2c"),
        (None, ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_variants_match_after_normalising():
    typed = "سازمان ثبت اسناد و املاك كشور"
    stored = "سازمان  ثبت اسناد و املاک کشور"
    assert normalize(typed) == normalize(stored)
    assert compact("جدول ۴") == compact("جدول4") == "جدول4"
    assert compact("می\u200cشود") == compact("میشود")


def test_clean_display_keeps_zwnj_and_spacing():
    assert clean_display("مي\u200cشود  كه") == "می\u200cشود  که"


def test_digits():
    assert persian_digits(1403) == "۱۴۰۳"
    assert persian_digits("121095000") == "۱۲۱۰۹۵۰۰۰"
    assert persian_digits("١٤٠٣") == "۱۴۰۳"
    assert ascii_digits("کد ۱۰۱۰-٠٧") == "کد 1010-07"
    assert format_number(95.588, 2) == "۹۵٫۵۹"
    assert format_number(30.0) == "۳۰"
    assert format_number(None) == "—"
    assert format_percent(95.588) == "۹۵٫۵۹٪"
    # One rule on every surface: half away from zero on the number as written.  The text of
    # `score` once said ۶۹٫۲٪ where the window said ۶۹٫۱٪ (69.148 rounded to 69.15, then again).
    assert format_percent(186.7 / 270 * 100) == "۶۹٫۱۵٪"
    assert format_percent(50.125) == "۵۰٫۱۳٪"  # Python's own rounding gives 50.12
    assert format_number(2.675) == "۲٫۶۸" and format_number(-2.675) == "-۲٫۶۸"
    assert format_number(99.999) == "۱۰۰" and format_percent(0.004) == "۰٪"
    assert round_percent(69.145) == 69.15 and round_percent(None) is None
    assert format_percent(None) == "—"


# --------------------------------------------------------------------------- Jalali


def test_known_dates():
    assert to_gregorian(1403, 1, 1) == dt.date(2024, 3, 20)
    assert to_gregorian(1403, 12, 30) == dt.date(2025, 3, 20)  # 1403 is a leap year
    assert to_gregorian(1404, 1, 1) == dt.date(2025, 3, 21)
    j = to_jalali(dt.date(2024, 9, 22))
    assert (j.year, j.month, j.day) == (1403, 7, 1)
    assert jalali_year(dt.date(2025, 3, 20)) == 1403
    assert is_leap(1403) and not is_leap(1404)


def test_round_trips_over_eight_years():
    day = dt.date(2019, 1, 1)
    while day < dt.date(2027, 1, 1):
        text = format_jalali(day, persian=False)
        assert parse_jalali(text) == day
        assert parse_jalali(format_jalali(day)) == day  # Persian digits too
        j = to_jalali(day)
        assert to_gregorian(j.year, j.month, j.day) == day
        day += dt.timedelta(days=1)


def test_1403_12_30_exists_and_1404_12_30_does_not():
    assert parse_jalali("1403/12/30") == dt.date(2025, 3, 20)
    with pytest.raises(DateError) as exc:
        parse_jalali("1404/12/30")
    assert "۱۴۰۴/۱۲/۳۰" in exc.value.message
    assert "اسفند" in exc.value.message and "۲۹" in exc.value.message


@pytest.mark.parametrize("text", ["۱۴۰۳/۰۱/۱۵", "١٤٠٣/٠١/١٥", "1403-1-15", "1403.01.15", " ۱۴۰۳ / ۱ / ۱۵ "])
def test_digit_sets_and_separators(text):
    assert parse_jalali(text) == dt.date(2024, 4, 3)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("1403/13/01", "۱۳"),  # no thirteenth month
        ("1403/07/31", "۱۴۰۳/۰۷/۳۱"),  # Mehr has 30 days
        ("1403/01/00", "۱۴۰۳/۰۱/۰۰"),
        ("1403/00/10", "۰"),
        ("03/01/15", "03/01/15"),  # two-digit year
        ("0900/01/01", "۹۰۰"),  # out of any sensible range
        ("دیروز", "دیروز"),
        ("", ""),
        ("1403/01", "1403/01"),
        ("1403/01/15/2", "1403/01/15/2"),
    ],
)
def test_bad_dates_are_refused_naming_the_value(text, named):
    with pytest.raises(DateError) as exc:
        parse_jalali(text)
    assert named in exc.value.message
    assert isinstance(exc.value, ValueError)  # usable where a ValueError is expected


def test_display_forms():
    assert format_jalali(dt.date(2024, 4, 3)) == "۱۴۰۳/۰۱/۱۵"
    assert format_jalali(dt.datetime(2024, 4, 3, 23, 59)) == "۱۴۰۳/۰۱/۱۵"
    assert format_jalali(None) == ""
    assert format_jalali_long(dt.date(2024, 4, 3)) == "۱۵ فروردین ۱۴۰۳"
    assert format_jalali_long(dt.date(2025, 3, 20)) == "۳۰ اسفند ۱۴۰۳"


def test_an_address_without_its_scheme_is_completed():
    from workbench.model.text import complete_url, url_problem

    assert complete_url(" mimt.gov.ir/a ") == "https://mimt.gov.ir/a"
    assert complete_url("www.my.gov.ir") == "https://www.my.gov.ir"
    assert complete_url("http://x.ir") == "http://x.ir"  # a scheme given is kept
    for not_a_host in ("mimt", "ftp://x.ir/f", "a b.ir", "mailto:x@y.ir", ""):
        assert complete_url(not_a_host) == not_a_host.strip()
    assert url_problem(complete_url("mimt.gov.ir")) == ""
    assert "http" in url_problem(complete_url("mimt"))
