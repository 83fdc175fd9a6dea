"""Reading one cell's value the way a person meant it.

Each reader takes what openpyxl gives (``str``, ``int``, ``float``, ``bool``,
``datetime`` or ``None``) and returns the stored form, or raises
:class:`CellError` with a Persian message saying what is wrong with the value
(the caller adds the sheet, the cell and the column).
"""
from __future__ import annotations

import datetime as dt
import math
import re

from workbench.model.errors import DateError
from workbench.model.jalali import parse_jalali, to_gregorian
from workbench.model.terms import CHANNEL_LABELS, CHANNEL_NAMES
from workbench.model.text import ascii_digits, clean_display, close_bidi, compact, normalize, persian_digits


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: object) -> str:
    """The value quoted in a message, as the person would see it in the cell."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date().isoformat()
    text = str(value).strip()
    if len(text) > 40:
        text = text[:40] + "…"
    return f"«{close_bidi(text)}»"  # a direction the cell opens ends with the quote


def text(value: object) -> str:
    """Free text for storage: Arabic letter variants folded, surrounding spaces dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed into a number cell: 1234.0 is «1234»
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return clean_display(str(value))


# Separators people type inside long digit strings: spaces, thousands marks, dashes.
_ID_SEPARATORS = re.compile(r"[\s\u200c\u200f\u200e,٬،\-_'\u066b]")
_TRAILING_ZERO_DECIMAL = re.compile(r"^(\d+)\.0+$")


def service_id(value: object) -> str:
    """A 9-digit service ID, from ``121095000``, ``121095000.0``, ``۱۲۱٬۰۹۵٬۰۰۰``, ``'121-095-000``..."""
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} شناسهٔ خدمت نیست")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{shown(value)} عدد صحیح نیست و شناسهٔ ۹ رقمی خدمت نمی‌شود")
        value = int(value)
    raw = ascii_digits(str(value)).strip()
    digits = _ID_SEPARATORS.sub("", raw)
    match = _TRAILING_ZERO_DECIMAL.match(digits)
    if match:  # a number cell saved as text by some exporters: 121095000.0
        digits = match.group(1)
    if not digits.isdigit() or not digits.isascii():
        raise CellError(f"{shown(value)} شناسهٔ خدمت نیست: شناسه فقط از ۹ رقم تشکیل می‌شود")
    if len(digits) != 9:
        raise CellError(
            f"شناسهٔ خدمت باید ۹ رقم باشد ولی {shown(value)} {persian_digits(len(digits))} رقم دارد"
        )
    return digits


_YES = {"بله", "بلی", "آری", "اری", "دارد", "هست", "است", "✓", "✔", "☑", "✅", "1", "yes", "y", "true", "t", "ok"}
_NO = {"خیر", "نه", "ندارد", "نیست", "✗", "✘", "☐", "❌", "×", "0", "no", "n", "false", "f", "-", "—"}
_YES_KEYS = {compact(w) for w in _YES}
_NO_KEYS = {compact(w) for w in _NO}


def yes_no(value: object) -> bool:
    """بله/خیر, دارد/ندارد, ✓/✗, 1/0, yes/no, TRUE/FALSE cells; a blank cell is «خیر»."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = compact(text(value))
    if key in _YES_KEYS:
        return True
    if key in _NO_KEYS:
        return False
    raise CellError(f"{shown(value)} پذیرفته نیست؛ «بله» یا «خیر» بنویسید")


def choice(value: object, choices: tuple[str, ...], synonyms: dict[str, tuple[str, ...]] | None = None) -> str:
    """One of ``choices`` (returned as written there), matched after normalisation."""
    key = compact(text(value))
    for option in choices:
        if compact(option) == key:
            return option
    for option, names in (synonyms or {}).items():
        if any(compact(n) == key for n in names):
            return option
    listed = "، ".join(f"«{c}»" for c in choices)
    raise CellError(f"{shown(value)} از گزینه‌های پذیرفته نیست؛ یکی از این‌ها را بنویسید: {listed}")


_KIND_CODE = re.compile(r"g2[cbg]")


def service_kind(value: object, synonyms: dict[str, tuple[str, ...]]) -> str:
    """G2C/G2B/G2G, their Persian names, or both together (``G2C - دولت به شهروند``)."""
    codes = set(_KIND_CODE.findall(compact(text(value))))
    if len(codes) == 1:
        return codes.pop().upper()
    return choice(value, tuple(synonyms), synonyms)


def number(value: object) -> float:
    """A number from a number cell or from text in any digit set (``۱٬۲۵۰٫۵``, ``20%``)."""
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} عدد نیست")
    if isinstance(value, (int, float)):
        result = float(value)
    else:
        raw = normalize(str(value)).replace("−", "-")
        raw = re.sub(r"[\s,]", "", raw).rstrip("%٪")
        try:
            result = float(raw)
        except ValueError:
            raise CellError(f"{shown(value)} عدد نیست") from None
    if math.isnan(result) or math.isinf(result):
        raise CellError(f"{shown(value)} عدد نیست")
    return result


#: Largest whole number kept: beyond it a float has lost its units digit, and SQLite's
#: 64-bit integers end not far above (10^20 stopped an import with OverflowError).
MAX_INTEGER = 10**15


def integer(value: object) -> int:
    result = number(value)
    if not result.is_integer():
        raise CellError(f"{shown(value)} عدد صحیح نیست")
    if abs(result) > MAX_INTEGER:
        raise CellError(f"{shown(value)} بیش از اندازه بزرگ است")
    return int(result)


# Jalali years that spreadsheet programs mistake for Gregorian ones when a
# date like 1403/05/01 is typed into a cell (LibreOffice does this).
_JALALI_YEARS = range(1300, 1501)
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


#: LibreOffice counts days in the Julian calendar before this day, in the Gregorian one from it.
GREGORIAN_REFORM = dt.date(1582, 10, 15)


def julian_calendar(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) in the Julian calendar of the day Python calls ``day`` (proleptic Gregorian)."""
    c = day.toordinal() + 1721425 + 32082  # the Julian day number, shifted
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    return d - 4800 + m // 10, m + 3 - 12 * (m // 10), e - (153 * m + 2) // 5 + 1


def jalali_date(value: object, julian: bool = False) -> dt.date:
    """A Jalali date typed as text (``1403/01/15`` in any digit set) or an Excel date cell.

    A date cell in the years 1300–1500 is a Jalali date a spreadsheet program
    took for a Gregorian one.  With ``julian`` (the file was saved by
    LibreOffice) it is also read in the calendar LibreOffice used to store it:
    LibreOffice keeps a date before 1582 as a Julian-calendar date, so the
    «1403/05/01» typed there is read by openpyxl (always Gregorian) as
    1403-05-10; its Julian reading gives back the 1403/05/01 the person typed.
    """
    if isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        typed = julian_calendar(day) if julian and day < GREGORIAN_REFORM else (day.year, day.month, day.day)
        if typed[0] in _JALALI_YEARS:
            try:
                return to_gregorian(*typed)
            except DateError as exc:
                raise CellError(exc.message) from None
        return day
    if isinstance(value, bool):
        raise CellError(f"{shown(value)} تاریخ نیست")
    raw = ascii_digits(text(value))
    match = _COMPACT_DATE.match(raw)
    if match:
        raw = "/".join(match.groups())
    try:
        return parse_jalali(raw)
    except DateError as exc:
        raise CellError(exc.message) from None


_URL = re.compile(r"^(https?://)?[\w\-]+(\.[\w\-]+)+(:\d+)?([/?#].*)?$", re.IGNORECASE)


def looks_like_url(value: str) -> bool:
    return bool(_URL.match(value.strip()))


_LIST_SEPARATORS = re.compile(r"[،,؛;/\n\r|+]")


def channels(value: object, labels: dict[str, str] = CHANNEL_LABELS,
             synonyms: dict[str, tuple[str, ...]] = CHANNEL_NAMES) -> str:
    """One or more of ``labels`` (codes to labels) separated by «،», «,», «؛», «/» or new lines: the codes, spaced.

    Each part is matched after normalisation against the label or one of ``synonyms`` (by code): the
    identity card's channels of access (``terms.CHANNEL_LABELS``) by default.
    """
    names = {compact(label): code for code, label in labels.items()}
    for code, others in synonyms.items():
        for name in others:
            names.setdefault(compact(name), code)
    codes: list[str] = []
    for part in _LIST_SEPARATORS.split(text(value)):
        key = compact(part)
        if not key:
            continue
        if key not in names:
            listed = "، ".join(f"«{label}»" for label in labels.values())
            raise CellError(f"{shown(part)} از گزینه‌های پذیرفته نیست؛ از این‌ها بنویسید، جدا با «،»: {listed}")
        if names[key] not in codes:
            codes.append(names[key])
    order = list(labels)
    return " ".join(sorted(codes, key=order.index))
