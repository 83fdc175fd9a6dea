"""The blank template: its layout, its help and drop-downs, and that a filled one imports without a warning."""
from __future__ import annotations

import json

import pytest
from import_books import AGENCY_CODE, OTHER_CODE, seed
from openpyxl import load_workbook

from workbench.cli import main
from workbench.imports.layout import (
    AGENCY,
    ALL_SHEETS,
    DATA_SHEETS,
    HELP_SHEET,
    LISTS_SHEET,
    META_SHEET,
    TEMPLATE_VERSION,
    YES,
)
from workbench.imports.template import write_template
from workbench.model.terms import ACTION_STATUSES, REFORM_CRITERIA, REFORM_STEPS

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store.path


@pytest.fixture
def template(db, tmp_path, capsys):
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path), "--agency", AGENCY_CODE, "--db", str(db)]) == 0
    assert f"«{AGENCY_CODE} — وزارت نمونه»" in capsys.readouterr().out
    return path


def _list_values(book, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    ws = book[sheet.strip("'")]
    first, last = (c.replace("$", "") for c in cells.split(":"))
    return [c.value for row in ws[first:last] for c in row]


def test_sheets_headers_and_look(template):
    book = load_workbook(template)
    assert book.sheetnames[:4] == [s.name for s in ALL_SHEETS]
    assert book[META_SHEET].sheet_state == "hidden" and book[LISTS_SHEET].sheet_state == "hidden"
    for name in [s.name for s in ALL_SHEETS] + [HELP_SHEET]:
        assert book[name].sheet_view.rightToLeft, name
    for spec in DATA_SHEETS:
        ws = book[spec.name]
        assert [c.value for c in ws[1]] == [c.header for c in spec.columns]  # exactly the texts
        assert ws.freeze_panes == "A2"
        for cell, column in zip(ws[1], spec.columns):
            assert cell.font.b, cell.coordinate
            assert cell.comment is not None and cell.comment.text == column.help
            assert ws.column_dimensions[cell.column_letter].width == column.width
    assert [ws.value for ws in book[AGENCY.name]["A"]] == [c.header for c in AGENCY.columns]


def test_every_closed_choice_has_a_drop_down(template):
    book = load_workbook(template)
    expected = {
        # the guide's own words (002, appendix A's form; the identity card 003), each with its code
        ("خدمات", "D"): ["خدمت به شهروندان (G2C)", "خدمت به کسب و کار (G2B)", "خدمت به دیگر دستگاه‌های دولتی (G2G)"],
        ("جدول ۴", "D"): list(REFORM_CRITERIA),
        ("جدول ۵", "D"): list(REFORM_STEPS),
        ("جدول ۵", "H"): list(ACTION_STATUSES),
        ("دستگاه", "B"): ["ملی", "استانی"],
        # the identity card's (003) «سطح خدمت» and «ماهیت خدمت», in its words
        ("خدمات", "J"): ["ملی", "منطقه‌ای", "استانی", "شهری", "روستایی"],
        ("خدمات", "K"): ["حاکمیتی", "تصدی‌گری"],
    }
    for letter in "EFGH":
        expected[("خدمات", letter)] = [YES, "خیر"]
    found = {}
    for sheet in ("دستگاه", "خدمات", "جدول ۴", "جدول ۵"):
        for dv in book[sheet].data_validations.dataValidation:
            assert dv.type == "list" and dv.showErrorMessage
            letter = str(dv.sqref)[0]
            found[(sheet, letter)] = _list_values(book, dv.formula1)
    assert found == expected


def test_the_hidden_sheet_records_version_and_agency(template, tmp_path):
    meta = load_workbook(template)[META_SHEET]
    values = {r[0].value: r[1].value for r in meta.iter_rows(max_col=2)}
    assert values["نسخه قالب"] == TEMPLATE_VERSION and values["کد دستگاه"] == AGENCY_CODE
    agency = load_workbook(template)[AGENCY.name]
    assert agency["B1"].value == AGENCY_CODE and agency["B2"].value == "وزارت نمونه" and agency["B4"].value == "ملی"

    blank = write_template(tmp_path / "blank.xlsx")
    values = {r[0].value: r[1].value for r in load_workbook(blank)[META_SHEET].iter_rows(max_col=2)}
    assert values["کد دستگاه"] is None


def test_the_help_sheet_explains_every_column(template):
    ws = load_workbook(template)[HELP_SHEET]
    listed = {(r[0].value, r[1].value) for r in ws.iter_rows(min_row=2) if r[1].value}
    assert listed == {(s.name, c.header) for s in ALL_SHEETS for c in s.columns}


def _fill(path):
    book = load_workbook(path)
    book[AGENCY.name]["B6"] = "https://example.ir"
    services = book["خدمات"]
    services.append(["121095000", "صدور پروانه", None, "G2B", "بله", "بله", "خیر", "بله", "https://example.ir/s/1"])
    services.append(["121095101", "زیرخدمت یک", "121095000", "G2C", "بله", "خیر", "بله", "خیر", None])
    book["جدول ۴"].append([1, "121095101", "زیرخدمت یک", "زمان", "روز", 10, 5, 4, None])
    book["جدول ۵"].append([1, "121095101", "زیرخدمت یک", "هدف‌گذاری", "تعیین هدف", "۱۴۰۳/۰۱/۱۵", "۱۴۰۳/۰۲/۰۱", "انجام شده", None])
    book.save(path)
    return path


def test_a_filled_template_imports_without_a_warning(template, db, capsys):
    code = main(["import", str(db), str(_fill(template)), "--agency", AGENCY_CODE, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert out["warnings"] == []
    assert (out["services"], out["table4"], out["table5"]) == (2, 1, 1)
    assert out["agency_updated"] == ["website"]


def test_a_blank_template_filled_without_a_code_warns_that_it_cannot_check(db, tmp_path, capsys):
    path = _fill(write_template(tmp_path / "blank.xlsx"))
    assert main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--json"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert [(w["sheet"], w["cell"]) for w in warnings] == [("دستگاه", "B1")]


def test_a_template_made_for_one_agency_is_refused_for_another_even_with_the_code_edited(template, db, capsys):
    path = _fill(template)
    book = load_workbook(path)
    book[AGENCY.name]["B1"] = OTHER_CODE
    book.save(path)
    assert main(["import", str(db), str(path), "--agency", OTHER_CODE, "--json"]) == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["sheet"], e["cell"]) for e in errors] == [(META_SHEET, "B2")]


def test_template_command_refusals(db, tmp_path, capsys):
    assert main(["template", str(tmp_path / "t.xlsx"), "--agency", "9999", "--db", str(db)]) == 2
    assert "9999" in capsys.readouterr().err
    assert main(["template", str(tmp_path / "t.csv")]) == 2
    assert main(["template", str(tmp_path / "t.xlsx"), "--db", str(db)]) == 2
    assert not (tmp_path / "t.xlsx").exists()
    assert main(["template", str(tmp_path / "t.xlsx")]) == 0  # the blank template needs no database
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == AGENCY.name


def test_an_import_into_an_earlier_round_fills_that_rounds_details_only(template, db, capsys):
    """After 1404 opens, a 1403 workbook's website goes to what 1403 keeps; the live row (1404's) stays empty
    until a 1404 workbook brings one."""
    from workbench.model.assessments import find_round, round_assessments
    from workbench.model.framework import load_default_framework
    from workbench.model.rounds import open_round
    from workbench.model.store import open_store

    store = open_store(db)
    with store.session() as s:
        open_round(s, 1404, load_default_framework(), 1403)
    store.close()
    path = _fill(template)
    assert main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--round", "1403", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["agency_updated"] == ["website"]

    def websites():
        store = open_store(db)
        try:
            with store.session() as s:
                return {year: next(ag.website for _, ag in round_assessments(s, find_round(s, year))
                                   if ag.code == AGENCY_CODE) for year in (1403, 1404)}
        finally:
            store.close()

    assert websites() == {1403: "https://example.ir", 1404: ""}
    assert main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--round", "1404", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["agency_updated"] == ["website"]
    assert websites() == {1403: "https://example.ir", 1404: "https://example.ir"}
