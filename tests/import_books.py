"""Helpers for the import tests: a seeded database, workbooks written with openpyxl, a dump of every table."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from workbench.imports.layout import AGENCY, SERVICES, TABLE4, TABLE5
from workbench.model.assessments import create_round
from workbench.model.schema import Agency, Assessment, Service

AGENCY_CODE = "1001"
OTHER_CODE = "2002"
#: A service of the other agency, which table 4/5 rows may refer to.
OTHER_SERVICE = "777000000"

SERVICE_HEADERS = [c.header for c in SERVICES.columns]
T4_HEADERS = [c.header for c in TABLE4.columns]
T5_HEADERS = [c.header for c in TABLE5.columns]


def seed(store, framework) -> None:
    """Round 1403, the agency «1001» (with an assessment) and another agency with one service."""
    with store.session() as s:
        rnd = create_round(s, 1403, framework)
        agency = Agency(code=AGENCY_CODE, name="وزارت نمونه", level="national")
        other = Agency(code=OTHER_CODE, name="سازمان دیگر", level="national")
        s.add_all([agency, other])
        s.flush()
        s.add(Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="ارزیاب"))
        s.add(Service(round_uuid=rnd.uuid, agency_uuid=other.uuid, service_id=OTHER_SERVICE, title="خدمت دیگری"))


def services_rows(n: int = 3) -> list[list]:
    """``n`` services: a parent ending 000 and its sub-services."""
    rows = [["121095000", "صدور پروانهٔ کسب", "", "G2B", "بله", "بله", "خیر", "بله", "https://example.ir/s/121095000"]]
    for i in range(1, n):
        rows.append([f"121095{100 + i:03d}", f"زیرخدمت {i}", "121095000", "G2C", "بله", "خیر", "بله", "خیر", ""])
    return rows


def t4_rows() -> list[list]:
    return [
        [1, "121095101", "زیرخدمت ۱", "زمان", "روز", 10, 5, 4, ""],
        [2, "121095101", "زیرخدمت ۱", "هزینه", "ریال", 200000, 100000, 120000, "کاهش هزینهٔ سفر"],
    ]


def t5_rows() -> list[list]:
    return [
        [1, "121095101", "زیرخدمت ۱", "هدف‌گذاری", "تعیین هدف زمانی", "1403/01/15", "1403/02/01", "انجام شده", ""],
        [2, "121095101", "زیرخدمت ۱", "مدل‌سازی وضع موجود", "ترسیم فرایند", "۱۴۰۳/۰۲/۰۱", "۱۴۰۳/۰۳/۱۰", "در حال اجرا", ""],
    ]


def agency_rows(code: str = AGENCY_CODE) -> list[list]:
    values = {"code": code, "name": "وزارت نمونه", "level": "ملی"}
    return [[c.header, values.get(c.key)] for c in AGENCY.columns]


def write_book(
    path: Path,
    services: list[list] | None = None,
    table4: list[list] | None = None,
    table5: list[list] | None = None,
    agency: list[list] | None = None,
    sheets: dict[str, str] | None = None,
) -> Path:
    """A clean workbook in the template's layout (``sheets`` renames sheets)."""
    sheets = sheets or {}
    book = Workbook()
    ws = book.active
    ws.title = sheets.get(AGENCY.name, AGENCY.name)
    for row in agency if agency is not None else agency_rows():
        ws.append(row)
    for spec, headers, rows in (
        (SERVICES, SERVICE_HEADERS, services if services is not None else services_rows()),
        (TABLE4, T4_HEADERS, table4 if table4 is not None else t4_rows()),
        (TABLE5, T5_HEADERS, table5 if table5 is not None else t5_rows()),
    ):
        ws = book.create_sheet(sheets.get(spec.name, spec.name))
        ws.append(headers)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def set_cached_values(path: Path, sheet_index: int, values: dict[str, object]) -> None:
    """Give formula cells the stored results Excel would have saved (openpyxl saves none).

    ``values`` maps a cell such as ``B2`` to its result; the sheet XML is rewritten in place.
    """
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    xml = parts[name].decode("utf-8")
    for ref, value in values.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>|<c r="{ref}"([^>]*)><f>(.*?)</f><v>\s*</v>')
        match = pattern.search(xml)
        assert match, f"no formula cell {ref} in {name}"
        formula = match.group(2) or match.group(4)
        if isinstance(value, str):
            cell = f'<c r="{ref}" t="str"><f>{formula}</f><v>{value}</v>'
        else:
            cell = f'<c r="{ref}"><f>{formula}</f><v>{value}</v>'
        xml = xml[: match.start()] + cell + xml[match.end():]
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for part, data in parts.items():
            zout.writestr(part, data)


def dump(path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two dumps are equal when nothing changed (a file or a URL)."""
    from sqlalchemy import MetaData

    from workbench.model.backends import backend_for

    engine = backend_for(path).engine()
    try:
        meta = MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            return {name: sorted(map(tuple, conn.execute(table.select()).all()), key=repr)
                    for name, table in sorted(meta.tables.items())}
    finally:
        engine.dispose()
