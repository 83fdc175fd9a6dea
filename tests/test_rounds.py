"""Opening a round from the last: the old round untouched, services carried, bad frameworks refused."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

from workbench.model.framework import default_framework_path

ROUND_TABLES = ("services", "assessments", "reform_rows", "reform_actions")
ASSESSMENT_TABLES = ("answers", "service_judgements", "evidence")


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)],
                          capture_output=True, text=True, timeout=180)


def dump_round(path, year: int) -> dict:
    """Every row that belongs to round ``year``, and the round's row itself, as plain tuples."""
    conn = sqlite3.connect(path)
    try:
        (round_uuid,) = conn.execute("SELECT uuid FROM rounds WHERE year = ?", (year,)).fetchone()
        out = {"rounds": conn.execute("SELECT * FROM rounds WHERE uuid = ?", (round_uuid,)).fetchall()}
        for table in ROUND_TABLES:
            out[table] = sorted(conn.execute(f"SELECT * FROM {table} WHERE round_uuid = ?", (round_uuid,)))
        for table in ASSESSMENT_TABLES:
            out[table] = sorted(conn.execute(
                f"SELECT * FROM {table} WHERE assessment_uuid IN "
                "(SELECT uuid FROM assessments WHERE round_uuid = ?)", (round_uuid,)))
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from workbench.demo.build import build_demo

    return build_demo(tmp_path_factory.mktemp("rounds") / "demo.sqlite", agencies=5)


@pytest.fixture
def db(demo, tmp_path):
    path = tmp_path / "db.sqlite"
    shutil.copy(demo, path)
    return path


def test_new_round_from_last_keeps_the_old_round_and_carries_services(db):
    from workbench.model.assessments import find_round, round_assessments, score_round
    from workbench.model.schema import Agency
    from workbench.model.store import open_store

    before = dump_round(db, 1403)
    assert before["answers"] and before["service_judgements"] and before["reform_rows"]
    store = open_store(db)
    with store.session() as s:
        old_scores = [(x.agency.code, x.card.percent) for x in score_round(s, find_round(s, 1403))]
    store.close()

    result = run("round", "new", db, "--round", "1404", "--framework", default_framework_path(),
                 "--from", "1403", "--title", "دورهٔ دهم")
    assert result.returncode == 0, result.stderr
    assert "۱۴۰۴" in result.stdout and "خدمت" in result.stdout

    assert dump_round(db, 1403) == before  # not a row of the old round changed
    after = dump_round(db, 1404)
    carried = ("agency_uuid", "service_id", "title", "parent_service_id", "kind", "in_request_plan",
               "in_delivery_plan", "in_counter_plan", "in_gsb_plan", "url")
    conn = sqlite3.connect(db)
    cols = ", ".join(carried)
    rounds = dict(conn.execute("SELECT year, uuid FROM rounds"))
    old = sorted(conn.execute(f"SELECT {cols} FROM services WHERE round_uuid = ?", (rounds[1403],)))
    new = sorted(conn.execute(f"SELECT {cols} FROM services WHERE round_uuid = ?", (rounds[1404],)))
    conn.close()
    assert new == old and len(new) == len(before["services"])
    # Nothing of the answers, judgements, verdicts, evidence or tables 4 and 5 came along.
    assert not after["answers"] and not after["service_judgements"] and not after["evidence"]
    assert not after["reform_rows"] and not after["reform_actions"]
    assert len(after["assessments"]) == len(before["assessments"])

    store = open_store(db)
    with store.session() as s:
        new_round = find_round(s)
        assert new_round.year == 1404 and new_round.title == "دورهٔ دهم"
        assert {a.status for a, _ in round_assessments(s, new_round)} == {"draft"}
        assert all(x.card.percent is None for x in score_round(s, new_round))
        # An import into the new round fills in an agency's details: the old round keeps its own.
        from sqlalchemy import select

        agency = live = s.scalars(select(Agency).order_by(Agency.code)).first()
        old_province = live.province
        live.province, live.website = "استان تازه", "https://new.example.ir"
    with store.session() as s:
        old_round = find_round(s, 1403)
        seen = {ag.uuid: ag for _, ag in round_assessments(s, old_round)}
        assert seen[agency.uuid].province == old_province
        assert seen[agency.uuid].website != "https://new.example.ir"
        assert [(x.agency.code, x.card.percent) for x in score_round(s, old_round)] == old_scores
        from workbench.reports.summary_html import load_source

        old_assessment = next(a for a, ag in round_assessments(s, old_round) if ag.uuid == agency.uuid)
        assert load_source(s, old_assessment).agency.website != "https://new.example.ir"
        latest = {ag.uuid: ag for _, ag in round_assessments(s, find_round(s, 1404))}
        assert latest[agency.uuid].province == "استان تازه"
    store.close()
    assert dump_round(db, 1403) == before


def test_round_list_shows_frameworks_and_counts(db):
    assert run("round", "new", db, "--round", "1404", "--framework", default_framework_path(),
               "--from", "1403").returncode == 0
    result = run("round", "list", db, "--json")
    assert result.returncode == 0, result.stderr
    rounds = json.loads(result.stdout)
    assert [r["year"] for r in rounds] == [1403, 1404]
    assert rounds[0]["framework_id"] == rounds[1]["framework_id"] == "egov-technical"
    assert rounds[1]["statuses"] == {"draft": 5, "complete": 0, "final": 0}
    assert rounds[0]["services"] == rounds[1]["services"] > 0
    assert rounds[0]["details_kept"] == rounds[0]["agencies"] == 5 and rounds[1]["details_kept"] == 0
    text = run("round", "list", db)
    assert "دورهٔ ۱۴۰۴" in text.stdout and "egov-technical" in text.stdout


def test_a_framework_the_loader_refuses_is_refused_with_key_and_reason(db, tmp_path):
    data = json.loads(default_framework_path().read_text(encoding="utf-8"))
    data["indicators"][3]["measures"][0]["points"] += 1  # 4.1 no longer its items' sum
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = dump_round(db, 1403)
    result = run("round", "new", db, "--round", "1404", "--framework", bad, "--from", "1403")
    assert result.returncode == 2
    assert "کلید «4.1»" in result.stderr and "برابر نیست" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(run("round", "list", db, "--json").stdout)[-1]["year"] == 1403
    assert dump_round(db, 1403) == before


def test_continues_must_name_a_key_of_the_earlier_round(db, tmp_path):
    data = json.loads(default_framework_path().read_text(encoding="utf-8"))
    data["indicators"][3]["measures"][0]["continues"] = "4.9"
    bad = tmp_path / "continues.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("round", "new", db, "--round", "1404", "--framework", bad)
    assert result.returncode == 2 and "کلید «4.1»" in result.stderr and "4.9" in result.stderr
    data["indicators"][3]["measures"][0]["continues"] = "4"  # an indicator's key for a measure
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("round", "new", db, "--round", "1404", "--framework", bad)
    assert result.returncode == 2 and "هم‌سطح" in result.stderr


def test_existing_year_and_missing_source_are_refused(db):
    framework = default_framework_path()
    result = run("round", "new", db, "--round", "1403", "--framework", framework)
    assert result.returncode == 2 and "وجود دارد" in result.stderr
    result = run("round", "new", db, "--round", "1404", "--framework", framework, "--from", "1399")
    assert result.returncode == 2 and "1399" in result.stderr


def test_upgrade_keeps_the_earlier_rounds_agency_details(db):
    from workbench.model.assessments import create_round
    from workbench.model.framework import load_default_framework
    from workbench.model.store import open_store

    store = open_store(db)
    with store.session() as s:
        create_round(s, 1404, load_default_framework())  # no details kept: as a 0002 database would be
    store.close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DROP TABLE round_agencies")
        later = ("na_agreements", "band_sets",  # tables of later revisions: not in a 0002 file
                 "submissions", "provenance", "conflict_candidates", "conflicts", "merge_changes",
                 "merge_batches", "exchange_packages", "assignment_agencies", "assignments", "blob_chunks",
                 "service_sections")
        for table in later:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        later_columns = {"services": ("service_level", "nature", "info_channels", "request_channels",  # 0007
                                     "delivery_channels", "other_agencies", "documents", "visit_reasons"),
                         "answers": ("marks", "entry_notes"),  # 0008, 0010
                         "service_judgements": ("survey", "no_id_copy")}  # 0008 (its sla_* columns: 0011 rows)
        for table, columns in later_columns.items():
            for name in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    conn.close()
    store = open_store(db)
    assert store.backup_path is not None
    store.close()
    conn = sqlite3.connect(db)
    kept = dict(conn.execute(
        "SELECT r.year, count(k.uuid) FROM rounds r LEFT JOIN round_agencies k ON k.round_uuid = r.uuid GROUP BY r.year"))
    conn.close()
    assert kept == {1403: 5, 1404: 0}


def test_an_old_rounds_single_summary_prints_the_details_that_round_kept(db, tmp_path):
    """After the next round opens, an import renames an agency, moves it and renames its parent: the old
    round's summary (the command's PDF, as the window's print reads the same source) still says what it said."""
    from sqlalchemy import select

    from tests.pdf_reading import extracted_text, words_of
    from workbench.model.assessments import find_round, round_assessments
    from workbench.model.schema import Agency
    from workbench.model.store import open_store
    from workbench.reports.summary_html import load_source, render_html

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (scripts/setup.sh --test-tools)")
    assert run("round", "new", db, "--round", "1404", "--framework", default_framework_path(),
               "--from", "1403").returncode == 0
    store = open_store(db)
    with store.session() as s:
        unit = s.scalars(select(Agency).where(Agency.parent_uuid.is_not(None)).order_by(Agency.code)).first()
        parent = s.get(Agency, unit.parent_uuid)
        code, old = unit.code, (unit.name, unit.province, parent.name)
        unit.name, unit.province, unit.website = "واحد فیروزه‌نشان", "استان زمردین", "https://moved.example.ir"
        parent.name = "سازمان یاقوت‌گون"
    with store.session() as s:
        latest = next(a for a, ag in round_assessments(s, find_round(s, 1404)) if ag.code == code)
        page = render_html(load_source(s, latest))
        assert "واحد فیروزه‌نشان" in page and "سازمان یاقوت‌گون" in page and "استان زمردین" in page
    store.close()

    pdf = tmp_path / "old.pdf"
    result = run("report", "summary", db, "--agency", code, "--round", "1403", "--out", pdf)
    assert result.returncode == 0, result.stderr
    words = words_of(extracted_text(pdf, 1, 1))
    for text in old:
        assert set(text.split()) <= words, text
    for text in ("فیروزه‌نشان", "زمردین", "یاقوت‌گون", "moved.example.ir"):
        assert text not in extracted_text(pdf), text
    # Tables 4 and 5 of the old round name the agency as that round did.
    from openpyxl import load_workbook

    book = tmp_path / "t45.xlsx"
    assert run("report", "tables45", db, "--agency", code, "--round", "1403", "--out", book).returncode == 0
    cells = " ".join(str(c.value) for row in load_workbook(book).worksheets[0].iter_rows() for c in row if c.value)
    assert old[0] in cells and "فیروزه‌نشان" not in cells
