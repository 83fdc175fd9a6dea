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
import logging
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbench.imports.csv_text import csv_message
from workbench.imports.findings import Finding, ImportRefused
from workbench.model.problems import os_problem
from workbench.model.text import persian_digits

#: Largest file accepted, as stored on disk.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest total of the parts inside the zip once unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Most data rows read from one sheet (a national agency lists a few thousand services).
MAX_ROWS = 50_000
#: Most parts in the zip (a workbook of these four sheets has about fifteen).
MAX_PARTS = 2_000
#: What a person can do about a damaged workbook.
REPAIR = "فایل را در Excel یا LibreOffice باز کنید، با قالب xlsx دوباره ذخیره کنید و سپس وارد کنید"

log = logging.getLogger(__name__)
_CHUNK = 1 << 20

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
    #: written by LibreOffice, whose dates before 1582 are Julian-calendar dates (see ``cells.jalali_date``)
    julian_dates: bool = False

    def close(self) -> None:
        self.book.close()


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([Finding("", "", message)])


def _megabytes(size: int) -> str:
    return persian_digits(f"{size / (1024 * 1024):.0f}")


def open_workbook(path: str | Path) -> OpenedWorkbook:
    """Open ``path`` for reading or raise :class:`ImportRefused` saying why it cannot be read.

    Nothing is loaded before it is known to be bounded: the file's kind and size
    come from the file system, then at most :data:`MAX_FILE_BYTES` are read,
    then every part of the zip is unpacked once with a byte count (its CRC
    checked, its method and flags known) before openpyxl sees any of it.
    """
    path = Path(path)
    name = path.name
    data = _read_bounded(path, name)
    if not data:
        raise _refuse(f"فایل «{name}» خالی است")
    if data.startswith(_OLE_MAGIC):
        raise _refuse(_ole_message(name, data))
    if not data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        csv_text = csv_message(name, data)
        if csv_text is not None:
            raise _refuse(csv_text)
        raise _refuse(
            f"فایل «{name}» کارپوشهٔ Excel (xlsx) نیست؛ شاید متن یا قالب دیگری است که پسوند xlsx گرفته. "
            "آن را در Excel یا LibreOffice باز کنید و با قالب xlsx ذخیره کنید"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on a broken directory
        log.warning("the zip directory of %s is broken", path, exc_info=True)
        raise _refuse(f"فایل «{name}» آسیب دیده است و باز نشد. {REPAIR}") from exc
    try:
        _check_is_spreadsheet(name, archive)
        has_formulas = _check_parts(name, archive, infos)
        julian = _written_by_libreoffice(archive)
    finally:
        archive.close()

    book = _load(name, data, data_only=True)
    opened = OpenedWorkbook(path, book, julian_dates=julian)
    if has_formulas:
        try:
            opened.formula_cells = _formula_cells(name, data)
        except BaseException:
            book.close()
            raise
    return opened


_APPLICATION = re.compile(rb"<(?:\w+:)?Application>([^<]{0,200})<")


def _written_by_libreoffice(archive: zipfile.ZipFile) -> bool:
    """Whether the program that last saved the file was LibreOffice (or OpenOffice), from docProps/app.xml."""
    try:
        head = archive.read("docProps/app.xml")[:4096]  # its size was checked with the other parts
    except KeyError:
        return False
    match = _APPLICATION.search(head)
    return bool(match) and match.group(1).lstrip().startswith((b"LibreOffice", b"OpenOffice"))


def _read_bounded(path: Path, name: str) -> bytes:
    """The file's bytes, read only once it is known to be an ordinary file of an accepted size.

    A named pipe would block the read forever and a device (``/dev/zero``, or a
    link to it) never ends: both are refused from what the file system says,
    and the read itself never takes more than the limit.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(f"«{name}» فایل معمولی نیست (پوشه، لوله یا دستگاه است) و کارپوشه‌ای در آن نیست")
        _check_size(name, info.st_size)
        # O_NONBLOCK: should it have become a pipe since stat(), opening does not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise _refuse(f"«{name}» فایل معمولی نیست (پوشه، لوله یا دستگاه است) و کارپوشه‌ای در آن نیست")
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        log.warning("reading %s failed", path, exc_info=True)
        raise _refuse(f"فایل «{name}» خوانده نشد ({os_problem(exc)})") from exc
    _check_size(name, len(data))  # it grew since stat()
    return data


def _check_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise _refuse(
            f"فایل «{name}» {_megabytes(size)} مگابایت است و از حد مجاز "
            f"({_megabytes(MAX_FILE_BYTES)} مگابایت) بزرگ‌تر است"
        )


def _check_parts(name: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    """Unpack every part once, counting bytes; refuse what openpyxl would fail on.  Whether sheets hold formulas.

    The sizes a zip declares may be false (a zip bomb declares small ones), so
    the count is of the bytes really unpacked, and reading stops at the limit.
    A part's CRC is checked when it has been read whole.
    """
    if len(infos) > MAX_PARTS:
        raise _refuse(f"فایل «{name}» {persian_digits(f'{len(infos):,}')} بخش دارد و کارپوشهٔ Excel نیست")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise _refuse(_too_big_unpacked(name, declared))
    unpacked = 0
    has_formulas = False
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(
                f"بخشی از فایل «{name}» رمزگذاری شده است؛ در Excel گذرواژه را بردارید و فایل را دوباره ذخیره کنید"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                f"فایل «{name}» با روش فشرده‌سازی‌ای ساخته شده است که Excel به کار نمی‌برد. {REPAIR}"
            )
        sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        tail = b""
        try:
            with archive.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise _refuse(_too_big_unpacked(name, unpacked))
                    if sheet and not has_formulas:
                        has_formulas = bool(_FORMULA.search(tail + chunk))
                        tail = chunk[-16:]
        except ImportRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - bad CRC, zlib errors, truncated parts, bad headers
            log.warning("part %s of %s is damaged", info.filename, name, exc_info=True)
            raise _refuse(f"فایل «{name}» آسیب دیده است (بخش {info.filename} خوانده نشد). {REPAIR}") from exc
    return has_formulas


def _too_big_unpacked(name: str, size: int) -> str:
    return (
        f"محتوای فایل «{name}» پس از گشودن دست‌کم {_megabytes(size)} مگابایت می‌شود و از حد مجاز "
        f"({_megabytes(MAX_UNPACKED_BYTES)} مگابایت) بزرگ‌تر است"
    )


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
            with archive.open("mimetype") as fh:
                mime = fh.read(100).decode("ascii", "replace")
        except Exception:  # noqa: BLE001 - a damaged part is found and named by _check_parts
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


def _load(name: str, data: bytes, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(
            io.BytesIO(data), read_only=True, data_only=data_only, keep_vba=False, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        log.warning("openpyxl could not read %s", name, exc_info=True)
        raise _refuse(f"فایل «{name}» کارپوشهٔ سالمی نیست و خوانده نشد. {REPAIR}") from exc


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
