"""A CSV given for import is told where its rows go, in whatever encoding it came."""
from __future__ import annotations

import json

import pytest
from import_books import AGENCY_CODE, SERVICE_HEADERS, T4_HEADERS, dump, seed, services_rows, t4_rows

from workbench.cli import main


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store


def _csv(headers, rows, sep=",") -> str:
    lines = [sep.join(headers)] + [sep.join(str(v) for v in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(("encoding", "said"), [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (با BOM)"), ("cp1256", "Windows-1256")])
def test_a_services_csv_is_told_to_paste_into_the_services_sheet(capsys, db, tmp_path, encoding, said):
    path = tmp_path / "services.csv"
    text = _csv(SERVICE_HEADERS, services_rows())
    if encoding == "cp1256":
        text = text.replace("ی", "ي").replace("\u0654", "")  # Windows-1256: Arabic yeh, no hamza above
    path.write_bytes(text.encode(encoding))
    before = dump(db.path)
    code = main(["import", str(db.path), str(path), "--agency", AGENCY_CODE, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2
    messages = [e["message"] for e in out["errors"]]
    assert len(messages) == 1, messages  # one clear message, not four "sheet missing" ones
    assert "CSV" in messages[0] and f"کدگذاری {said}" in messages[0]
    assert "برگهٔ «خدمات»" in messages[0] and "بچسبانید" in messages[0]
    assert dump(db.path) == before


def test_a_table4_csv_with_semicolons_names_table_4(capsys, db, tmp_path):
    path = tmp_path / "t4.txt"
    path.write_text(_csv(T4_HEADERS, t4_rows(), sep=";"), encoding="utf-8")
    code = main(["import", str(db.path), str(path), "--agency", AGENCY_CODE, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and "برگهٔ «جدول ۴»" in out["errors"][0]["message"]


def test_a_csv_of_unknown_columns_still_says_paste_into_the_template(capsys, db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("الف,ب,ج\n1,2,3\n", encoding="utf-8")
    code = main(["import", str(db.path), str(path), "--agency", AGENCY_CODE, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and "CSV" in out["errors"][0]["message"] and "قالب" in out["errors"][0]["message"]
