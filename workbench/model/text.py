"""Persian text: normalising for matching and Persian digits for display."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

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


#: Decimals of a percent wherever one is shown or ranked: the window, the printed summary,
#: the ranking workbook (and its ties), ``score`` as text and as JSON.  One rule, one place.
PERCENT_DECIMALS = 2


def rounded(value: float, decimals: int) -> float:
    """The one rounding rule: half away from zero on the number as written (69.145 → 69.15).

    Python's ``round`` and ``format`` round the binary value half to even (50.125 → 50.12),
    while a reader, and Excel showing the same cell, round 50.125 up: every surface rounds here.
    """
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def round_percent(value: float | None) -> float | None:
    """A percent as every surface shows it (:data:`PERCENT_DECIMALS`); ranks tie on this value."""
    return None if value is None else rounded(value, PERCENT_DECIMALS)


def format_number(value: float | int | None, decimals: int = 2) -> str:
    """A number for display with Persian digits: whole numbers without decimals."""
    if value is None:
        return "—"
    value = rounded(value, decimals)
    if value == int(value):
        text = str(int(value))
    else:
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return persian_digits(text).replace(".", "٫")


def format_percent(value: float | None, decimals: int = PERCENT_DECIMALS) -> str:
    if value is None:
        return "—"
    return format_number(value, decimals) + "٪"


def complete_url(text: str) -> str:
    """An address typed without its scheme gets ``https://`` (``my.gov.ir/x`` → ``https://my.gov.ir/x``).

    Only what reads as a host name (a dot in the first part, no spaces, no other scheme) is
    completed; anything else is left for :func:`url_problem` to explain.
    """
    text = (text or "").strip()
    if not text or "://" in text or any(ch.isspace() for ch in text):
        return text
    host = text.split("/", 1)[0]
    if "." in host.strip(".") and ":" not in host.split(".")[0]:
        return "https://" + text
    return text


def url_problem(text: str) -> str:
    """A Persian message when ``text`` is not an http(s) address; ``""`` when it is (or empty)."""
    text = text.strip()
    if not text:
        return ""
    lower = text.lower()
    if not (lower.startswith("http://") or lower.startswith("https://")) or len(text) <= len("https://"):
        return f"نشانی «{text}» معتبر نیست؛ نشانی اینترنتی باید با http:// یا https:// آغاز شود."
    if any(ch.isspace() for ch in text):
        return f"نشانی «{text}» فاصله دارد؛ نشانی اینترنتی نباید فاصله داشته باشد."
    return ""


_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, each closed by PDF
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, each closed by PDI


def close_bidi(text: str | None) -> str:
    """Outside text with every direction control it opens closed where it ends, line by line.

    A right-to-left override (U+202E) left open in a piece of evidence reversed
    every line printed after it; text from a file or a person is printed
    through this, so what it opens it closes, and a stray closer is dropped.
    """
    lines = []
    for line in str(text or "").split("\n"):
        out, stack = [], []
        for ch in line:
            if ch in _EMBEDDINGS or ch in _ISOLATES:
                stack.append(ch)
            elif ch == "\u202c":
                if not stack or stack[-1] not in _EMBEDDINGS:
                    continue  # closes nothing it opened
                stack.pop()
            elif ch == "\u2069":
                if not any(c in _ISOLATES for c in stack):
                    continue
                while stack.pop() not in _ISOLATES:
                    pass
            out.append(ch)
        out.extend("\u2069" if c in _ISOLATES else "\u202c" for c in reversed(stack))
        lines.append("".join(out))
    return "\n".join(lines)
