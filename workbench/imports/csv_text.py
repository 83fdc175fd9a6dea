"""A CSV file given for import: recognised, and the person told what to do with it.

Agencies export their service lists from other systems as CSV (UTF-8, UTF-8
with a BOM, or Windows-1256 from older Persian Windows programs).  Saved "as
xlsx" it becomes one sheet with none of the template's names, which the
import refuses with four "sheet missing" errors; what works is pasting its
rows into the template, into the sheet its columns belong to — so the message
names that sheet.
"""
from __future__ import annotations

import csv
import io

from workbench.imports.headers import find_header
from workbench.imports.layout import SERVICES, TABLE4, TABLE5

#: The encodings tried, in order; Windows-1256 decodes almost anything, so it is last.
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp1256", "Windows-1256"))
_SAMPLE = 64 * 1024


def decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) of a text file's beginning, or ``None`` when it is not text."""
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return None  # binary (or UTF-16, which no one exports a CSV in here)
    for codec, label in ENCODINGS:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError as exc:
            if codec.startswith("utf-8") and exc.start >= len(sample) - 3:
                text = sample[: exc.start].decode(codec)  # a character cut by the sample's end
            else:
                continue
        if data.startswith(b"\xef\xbb\xbf"):
            label = "UTF-8 (با BOM)"
        return text, label
    return None


def csv_sheet(text: str):
    """The template sheet whose columns the CSV's header names most of, or ``None``."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [tuple(r) for _, r in zip(range(10), csv.reader(io.StringIO(text), dialect))]
    if not rows:
        return None
    best, best_count = None, 1
    for spec in (SERVICES, TABLE4, TABLE5):
        header = find_header(rows, spec)
        if header is not None and len(header.columns) > best_count:
            best, best_count = spec, len(header.columns)
    return best


def csv_message(name: str, data: bytes) -> str | None:
    """What to tell the person when ``data`` (the file ``name``) is a CSV; ``None`` when it is not one."""
    decoded = decode(data)
    if decoded is None:
        return None
    text, encoding = decoded
    first = text.lstrip().split("\n", 1)[0]
    if not name.lower().endswith((".csv", ".txt")) and not any(d in first for d in ",;\t"):
        return None
    spec = csv_sheet(text)
    where = f"برگهٔ «{spec.name}»" if spec is not None else "برگه‌ای از قالب که ستون‌هایش همین ستون‌هاست"
    return (
        f"فایل «{name}» متن CSV است (کدگذاری {encoding}) و کارپوشهٔ Excel (xlsx) نیست. "
        "آن را «ذخیره به شکل xlsx» نکنید: کارپوشه‌ای با برگه‌های قالب نمی‌شود. "
        "قالب خالی را بسازید («ذخیرهٔ قالب خالی…» در برنامه، یا فرمان workbench template)، این فایل را در Excel یا LibreOffice باز کنید "
        f"و سطرهایش را با عنوان ستون‌ها در {where} بچسبانید؛ سپس همان قالب را وارد کنید"
    )
