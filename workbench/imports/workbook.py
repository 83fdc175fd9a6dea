"""Opening a submitted workbook safely.

A submitted file is untrusted.  Before openpyxl sees it we check its size, that
it is a zip at all (an encrypted workbook is an OLE2 compound file, an old
``.xls`` too), that it is a spreadsheet rather than some other zip, and that it
does not unpack into more than the limit (a zip bomb).  openpyxl then reads it
read-only with ``data_only=True`` — formulas give the values Excel last stored
and are never evaluated — and ``keep_vba=False``, so macros are dropped unread.
With :mod:`defusedxml` installed openpyxl parses the XML defensively.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.imports.findings import Finding, ImportRefused
from workbench.model.text import persian_digits

#: Largest file accepted, as stored on disk.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest total of the parts inside the zip once unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Most data rows read from one sheet (a national agency lists a few thousand services).
MAX_ROWS = 50_000

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class OpenedWorkbook:
    """A workbook open for reading, and where it holds formulas without a stored value."""

    path: Path
    book: object  # openpyxl's read-only Workbook
    #: sheet title -> {(row, column)} of formula cells (both 1-based).
    formula_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def close(self) -> None:
        self.book.close()


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([Finding("", "", message)])


def _megabytes(size: int) -> str:
    return persian_digits(f"{size / (1024 * 1024):.0f}")


def open_workbook(path: str | Path) -> OpenedWorkbook:
    """Open ``path`` for reading or raise :class:`ImportRefused` saying why it cannot be read."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(
                f"فایل «{name}» {_megabytes(size)} مگابایت است و از حد مجاز "
                f"({_megabytes(MAX_FILE_BYTES)} مگابایت) بزرگ‌تر است"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _refuse(f"فایل «{name}» خوانده نشد: {exc.strerror or exc}") from exc
    if not data:
        raise _refuse(f"فایل «{name}» خالی است")
    if data.startswith(_OLE_MAGIC):
        raise _refuse(_ole_message(name, data))
    if not data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        raise _refuse(
            f"فایل «{name}» کارپوشهٔ Excel (xlsx) نیست؛ شاید متن یا قالب دیگری است که پسوند xlsx گرفته. "
            "آن را در Excel یا LibreOffice باز کنید و با قالب xlsx ذخیره کنید"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse(f"فایل «{name}» آسیب دیده است و باز نشد (zip خراب: {exc})") from exc
    _check_is_spreadsheet(name, archive)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            f"محتوای فایل «{name}» پس از گشودن {_megabytes(unpacked)} مگابایت می‌شود و از حد مجاز "
            f"({_megabytes(MAX_UNPACKED_BYTES)} مگابایت) بزرگ‌تر است"
        )
    has_formulas = _has_formulas(archive, infos)
    archive.close()

    book = _load(name, data, data_only=True)
    opened = OpenedWorkbook(path, book)
    if has_formulas:
        opened.formula_cells = _formula_cells(name, data)
    return opened


def _ole_message(name: str, data: bytes) -> str:
    # An OLE2 compound file is either an encrypted OOXML workbook (it has an
    # EncryptionInfo stream) or an Excel 97-2003 .xls.  Names are UTF-16 in
    # the directory, so a byte search finds them without an OLE parser.
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return (
            f"فایل «{name}» رمزگذاری شده است (با گذرواژه محافظت شده)؛ "
            "در Excel گذرواژه را بردارید و فایل را دوباره ذخیره کنید"
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return (
            f"فایل «{name}» به قالب قدیمی Excel 97-2003 (xls) است؛ "
            "آن را در Excel یا LibreOffice باز کنید و با قالب xlsx ذخیره کنید"
        )
    return (
        f"فایل «{name}» رمزگذاری شده یا به قالب قدیمی xls است و خوانده نمی‌شود؛ "
        "گذرواژه را بردارید و فایل را با قالب xlsx ذخیره کنید"
    )


def _check_is_spreadsheet(name: str, archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "mimetype" in names:
        try:
            mime = archive.read("mimetype")[:100].decode("ascii", "replace")
        except (zipfile.BadZipFile, OSError, RuntimeError):
            mime = ""
        if "opendocument.spreadsheet" in mime:
            raise _refuse(
                f"فایل «{name}» به قالب OpenDocument (ods) است؛ در LibreOffice آن را با قالب xlsx ذخیره کنید"
            )
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _refuse(f"فایل «{name}» فشرده (zip) است ولی کارپوشهٔ Excel نیست")
    if any(n.endswith(".bin") and n.startswith("xl/worksheets/") for n in names):
        raise _refuse(
            f"فایل «{name}» به قالب دودویی Excel (xlsb) است؛ آن را با قالب xlsx ذخیره کنید"
        )


def _has_formulas(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            with archive.open(info) as fh:
                if _FORMULA.search(fh.read()):
                    return True
    return False


def _load(name: str, data: bytes, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(
            io.BytesIO(data), read_only=True, data_only=data_only, keep_vba=False, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise _refuse(f"فایل «{name}» کارپوشهٔ سالمی نیست و خوانده نشد ({type(exc).__name__}: {exc})") from exc


def _formula_cells(name: str, data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Where the formulas are, read from a second, formula-keeping pass.

    Only run when a sheet holds formulas at all, so ordinary files pay nothing.
    A formula whose file holds no stored value (written by a program that does
    not calculate) reads as empty with ``data_only``; this tells the two apart.
    """
    book = _load(name, data, data_only=False)
    try:
        found: dict[str, set[tuple[int, int]]] = {}
        for ws in book.worksheets:
            ws.reset_dimensions()  # some writers record a wrong sheet size
            cells = set()
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        cells.add((cell.row, cell.column))
            if cells:
                found[ws.title] = cells
        return found
    finally:
        book.close()
