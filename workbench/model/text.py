"""Persian text: normalising for matching and Persian digits for display."""
from __future__ import annotations

import re

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ZWNJ = "\u200c"

_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN_DIGITS = str.maketrans("0123456789" + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
# Arabic letter variants to their Persian forms; tatweel and bidi/zero-width marks removed.
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ـ": None,  # tatweel
        "\u200f": None,
        "\u200e": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00a0": " ",
        "٫": ".",
        "٬": ",",
    }
)
_SPACES = re.compile(r"[\s\u200c]+")


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; everything else unchanged."""
    return text.translate(_TO_ASCII_DIGITS)


def persian_digits(value: object) -> str:
    """``str(value)`` with Persian digits, for what people read."""
    return str(value).translate(_TO_PERSIAN_DIGITS)


def normalize(text: str | None) -> str:
    """A form of ``text`` for matching, not for display.

    Folds ي/ى→ی and ك→ک, digits to ASCII, drops tatweel and zero-width marks,
    treats ZWNJ as a space, collapses runs of spaces and lower-cases Latin.
    """
    if text is None:
        return ""
    folded = str(text).translate(_LETTERS).translate(_TO_ASCII_DIGITS)
    return _SPACES.sub(" ", folded).strip().lower()


def compact(text: str | None) -> str:
    """:func:`normalize` with every space and ZWNJ removed (``جدول ۴`` = ``جدول4``)."""
    return normalize(text).replace(" ", "")


def clean_display(text: str | None) -> str:
    """Letter variants folded for storage, but spacing and ZWNJ kept as typed."""
    if text is None:
        return ""
    return str(text).translate(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None})).strip()


def format_number(value: float | int | None, decimals: int = 2) -> str:
    """A number for display with Persian digits: whole numbers without decimals."""
    if value is None:
        return "—"
    if abs(value - round(value)) < 10 ** -(decimals + 1):
        text = str(int(round(value)))
    else:
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return persian_digits(text).replace(".", "٫")


def format_percent(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return format_number(value, decimals) + "٪"
