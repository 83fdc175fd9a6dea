"""Importing again: same file, same state; a corrected file replaces the submission and keeps the evaluator's work."""
from __future__ import annotations

import json

import pytest
from import_books import AGENCY_CODE, dump, seed, services_rows, t4_rows, t5_rows, write_book
from sqlalchemy import select

from workbench.cli import main
from workbench.imports.findings import ImportRefused
from workbench.imports.importer import check_import, import_workbook
from workbench.model.assessments import find_agency, find_round
from workbench.model.schema import Assessment, ReformAction, ReformRow, Service, ServiceJudgement

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store.path


def run(capsys, db, path, *extra):
    code = main(["import", str(db), str(path), "--agency", AGENCY_CODE, "--json", *extra])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    return out


def _content(store):
    """What was imported, without UUIDs and timestamps."""
    with store.session() as s:
        return (
            sorted((x.service_id, x.title, x.parent_service_id, x.kind, x.in_request_plan, x.in_delivery_plan,
                    x.in_counter_plan, x.in_gsb_plan, x.url) for x in s.scalars(select(Service)) if x.service_id != "777000000"),
            sorted((r.row_no, r.service_id, r.criterion, r.unit, r.value_before, r.value_target, r.value_after, r.description)
                   for r in s.scalars(select(ReformRow))),
            sorted((a.row_no, a.service_id, a.step, a.action, a.start_date, a.end_date, a.status)
                   for a in s.scalars(select(ReformAction))),
        )


def test_importing_the_same_file_twice_changes_nothing_the_second_time(capsys, db, tmp_path):
    path = write_book(tmp_path / "a.xlsx")
    first = run(capsys, db, path)
    assert first["added"] == {"services": 3, "table4": 2, "table5": 2}
    after_first = dump(db)
    second = run(capsys, db, path)
    assert second["added"] == second["changed"] == second["removed"] == {"services": 0, "table4": 0, "table5": 0}
    assert second["kept"] == {"services": 3, "table4": 2, "table5": 2}
    assert dump(db) == after_first  # not one row, timestamp or audit entry more


def test_dry_run_reports_the_changes_and_writes_nothing(capsys, db, tmp_path):
    before = dump(db)
    out = run(capsys, db, write_book(tmp_path / "a.xlsx"), "--dry-run")
    assert out["dry_run"] is True and out["added"]["services"] == 3
    assert dump(db) == before


def test_importing_into_a_final_assessment_says_it_changes_a_final_score(capsys, db, tmp_path, store):
    path = write_book(tmp_path / "a.xlsx")
    assert not [w for w in run(capsys, db, path, "--dry-run")["warnings"] if "نهایی" in w["message"]]
    with store.session() as s:
        s.scalar(select(Assessment)).status = "final"
    for extra in (("--dry-run",), ()):
        warnings = run(capsys, db, path, *extra)["warnings"]
        assert warnings[0]["sheet"] == warnings[0]["cell"] == ""
        assert "نهایی" in warnings[0]["message"] and "وزارت نمونه" in warnings[0]["message"]
    assert main(["import", str(db), str(path), "--agency", AGENCY_CODE]) == 0
    assert "امتیاز این ارزیابی نهایی را تغییر می‌دهد" in capsys.readouterr().out


def test_a_corrected_file_replaces_the_submission_and_keeps_judgements_and_verdicts(capsys, db, tmp_path, store):
    run(capsys, db, write_book(tmp_path / "a.xlsx", services=services_rows(4)))
    with store.session() as s:
        assessment = s.scalar(select(Assessment))
        s.add(ServiceJudgement(assessment_uuid=assessment.uuid, service_id="121095101", request_portal=True,
                               request_online=True, request_receipt=True, request_tracking=True, note="بررسی شد"))
        s.add(ServiceJudgement(assessment_uuid=assessment.uuid, service_id="121095103", delivery=True))
        time_row = s.scalar(select(ReformRow).where(ReformRow.criterion == "زمان"))
        time_row.accepted, time_row.evaluator_note = True, "مستند کافی است"
        cost_row = s.scalar(select(ReformRow).where(ReformRow.criterion == "هزینه"))
        cost_row.accepted = False
        goal = s.scalar(select(ReformAction).where(ReformAction.step == "هدف‌گذاری"))
        goal.accepted = True
        uuids = {x.service_id: x.uuid for x in s.scalars(select(Service))}
        time_uuid, goal_uuid = time_row.uuid, goal.uuid

    corrected = services_rows(4)
    corrected[1][1] = "زیرخدمت یکم (ویرایش)"  # 121095101 changed
    del corrected[3]  # 121095103 removed
    corrected.append(["121095104", "زیرخدمت تازه", "121095000", "G2C", "بله", "", "", "", ""])  # added
    table4 = t4_rows()[:1]  # the cost row removed
    table4[0][7] = 3  # the time row's value after changes
    table5 = t5_rows()
    out = run(capsys, db, write_book(tmp_path / "b.xlsx", services=corrected, table4=table4, table5=table5))
    assert out["added"] == {"services": 1, "table4": 0, "table5": 0}
    assert out["changed"] == {"services": 1, "table4": 1, "table5": 0}
    assert out["removed"] == {"services": 1, "table4": 1, "table5": 0}
    assert out["kept"] == {"services": 2, "table4": 0, "table5": 2}
    assert (out["judgements_kept"], out["judgements_unmatched"]) == (1, 1)
    assert (out["verdicts_kept"], out["verdicts_dropped"]) == (2, 1)

    with store.session() as s:
        services = {x.service_id: x for x in s.scalars(select(Service))}
        assert "121095103" not in services and "121095104" in services
        assert services["121095101"].title == "زیرخدمت یکم (ویرایش)"
        assert services["121095101"].uuid == uuids["121095101"]  # updated in place
        assert services["121095000"].uuid == uuids["121095000"]
        judged = {j.service_id: j for j in s.scalars(select(ServiceJudgement))}
        assert judged["121095101"].note == "بررسی شد" and judged["121095101"].stage_result("request") is True
        assert "121095103" in judged  # kept: it applies again if the service comes back
        row = s.scalar(select(ReformRow))
        assert (row.uuid, row.accepted, row.evaluator_note, row.value_after) == (time_uuid, True, "مستند کافی است", 3.0)
        assert s.scalar(select(ReformAction).where(ReformAction.uuid == goal_uuid)).accepted is True

    # Importing the corrected file again is a no-op, and gives what importing it alone gives.
    state = dump(db)
    again = run(capsys, db, tmp_path / "b.xlsx")
    assert again["added"] == again["changed"] == again["removed"] == {"services": 0, "table4": 0, "table5": 0}
    assert dump(db) == state
    mine = _content(store)

    from workbench.model.framework import load_default_framework
    from workbench.model.store import open_store

    fresh = open_store(tmp_path / "fresh.sqlite")
    try:
        seed(fresh, load_default_framework())
        run(capsys, fresh.path, tmp_path / "b.xlsx")
        assert _content(fresh) == mine
    finally:
        fresh.close()


def test_a_removed_service_leaves_a_tombstone_for_merging(capsys, db, tmp_path, store):
    run(capsys, db, write_book(tmp_path / "a.xlsx"))
    with store.session() as s:
        gone = s.scalar(select(Service).where(Service.service_id == "121095102")).uuid
    run(capsys, db, write_book(tmp_path / "b.xlsx", services=services_rows(2)))
    rows = dump(db)["tombstones"]
    assert any(r[0] == gone and r[1] == "services" for r in rows)


def test_table_rows_refer_to_a_service_this_import_removes_with_a_warning(capsys, db, tmp_path):
    run(capsys, db, write_book(tmp_path / "a.xlsx"))
    rows = services_rows(3)
    del rows[1]  # 121095101 leaves the list, but tables 4 and 5 still name it
    out = run(capsys, db, write_book(tmp_path / "b.xlsx", services=rows))
    assert {(w["sheet"], w["cell"]) for w in out["warnings"]} == {("جدول ۴", "B2"), ("جدول ۴", "B3"),
                                                                     ("جدول ۵", "B2"), ("جدول ۵", "B3")}


def test_the_model_api_leaves_the_transaction_to_the_caller(db, tmp_path, store):
    """A refusal raises before anything is added; a success only flushes."""
    path = write_book(tmp_path / "a.xlsx")
    session = store.new_session()
    try:
        rnd, agency = find_round(session), find_agency(session, AGENCY_CODE)
        checked = check_import(session, path, rnd, agency)
        assert checked.findings.ok and checked.plan is not None
        summary = import_workbook(session, path, rnd, agency)
        assert summary["services"] == 3
        session.rollback()  # the caller decides: nothing was committed
        assert session.scalar(select(Service).where(Service.service_id == "121095000")) is None
        bad = write_book(tmp_path / "bad.xlsx", services=[["1", "x", "", "G2C"]])
        with pytest.raises(ImportRefused) as exc:
            import_workbook(session, bad, rnd, agency)
        assert exc.value.errors[0].place == "خدمات!A2"
        assert not session.new and not session.dirty and not session.deleted
    finally:
        session.close()


def test_every_imported_row_is_stamped_and_audited(capsys, db, tmp_path, store):
    import getpass

    from workbench.model.schema import AuditEntry

    run(capsys, db, write_book(tmp_path / "a.xlsx"))
    with store.session() as s:
        services = {x.uuid: x for x in s.scalars(select(Service).where(Service.service_id.like("121095%")))}
        audits = {a.row_uuid: a for a in s.scalars(select(AuditEntry).where(AuditEntry.action == "insert"))}
        assert len(services) == 3
        for uuid, service in services.items():
            # No name given in the window: the login name (on a server too: the tests' role carries no name).
            assert service.updated_by == getpass.getuser()
            assert service.created_at is not None and service.updated_at is not None
            entry = audits[uuid]
            assert entry.table_name == "services"
            assert json.loads(entry.changes)["service_id"] == [None, service.service_id]
        rows = s.scalars(select(ReformRow)).all()
        assert all(audits[r.uuid].table_name == "reform_rows" for r in rows)
        action = s.scalars(select(ReformAction)).first()
        assert json.loads(audits[action.uuid].changes)["start_date"] == [None, action.start_date.isoformat()]


def test_the_import_package_needs_no_qt():
    import subprocess
    import sys

    code = (
        "import sys, workbench.imports.importer, workbench.imports.template, workbench.commands.importing;"
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_command_names_the_evaluator_the_window_was_given(capsys, db, tmp_path, store):
    from PySide6.QtCore import QSettings

    from workbench.model.schema import AuditEntry
    from workbench.paths import evaluator_name, settings_path

    settings = QSettings(str(settings_path()), QSettings.Format.IniFormat)  # as the window keeps it
    settings.setValue("evaluator/name", "مریم احمدی")
    settings.sync()
    assert evaluator_name() == "مریم احمدی"
    run(capsys, db, write_book(tmp_path / "a.xlsx"))
    with store.session() as s:
        imported = select(Service.uuid).where(Service.service_id.like("121095%"))
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.row_uuid.in_(imported))))
    assert actors == {"مریم احمدی"}
