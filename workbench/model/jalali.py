"""Jalali (Solar Hijri) dates: stored as ISO Gregorian, shown and typed as Jalali."""
from __future__ import annotations

import datetime as dt
import re

import jdatetime

from workbench.model.errors import DateError
from workbench.model.text import ascii_digits, persian_digits

MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)
_DATE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


def is_leap(year: int) -> bool:
    return jdatetime.date(year, 1, 1).isleap()


def to_jalali(value: dt.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=value)


def to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Jalali date; :class:`DateError` if it does not exist."""
    text = f"{year:04d}/{month:02d}/{day:02d}"
    if not 1 <= month <= 12:
        raise DateError(f"ماه {persian_digits(month)} در تاریخ {persian_digits(text)} وجود ندارد")
    last = 31 if month <= 6 else 30 if month <= 11 else (30 if is_leap(year) else 29)
    if not 1 <= day <= last:
        raise DateError(
            f"تاریخ {persian_digits(text)} وجود ندارد: "
            f"{MONTHS[month - 1]} {persian_digits(year)} {persian_digits(last)} روز دارد"
        )
    return jdatetime.date(year, month, day).togregorian()


def parse_jalali(text: str) -> dt.date:
    """``1403/12/30`` (any digit set, / - or . as separator) to a Gregorian date."""
    raw = str(text)
    match = _DATE.match(ascii_digits(raw))
    if not match:
        raise DateError(f"«{raw}» تاریخ شمسی به شکل ۱۴۰۳/۰۱/۱۵ نیست")
    year, month, day = (int(g) for g in match.groups())
    if not 1200 <= year <= 1600:
        raise DateError(f"سال {persian_digits(year)} در تاریخ «{raw}» پذیرفتنی نیست")
    return to_gregorian(year, month, day)


def format_jalali(value: dt.date | dt.datetime | None, persian: bool = True) -> str:
    """``1403/01/15`` (Persian digits by default); ``""`` for no date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    j = to_jalali(value)
    text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    return persian_digits(text) if persian else text


def format_jalali_long(value: dt.date | None) -> str:
    """``۱۵ فروردین ۱۴۰۳``."""
    if value is None:
        return ""
    j = to_jalali(value)
    return f"{persian_digits(j.day)} {MONTHS[j.month - 1]} {persian_digits(j.year)}"


def jalali_year(value: dt.date) -> int:
    return to_jalali(value).year


def today() -> dt.date:
    return dt.date.today()
