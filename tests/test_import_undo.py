"""Importing over an assessment that has data (issue 12): the import says what it will remove, a
complete assessment goes back to draft, and the whole import is one step that undo takes back —
the rows with their uuids, the evaluator's verdicts, the status — and redo does again."""
from __future__ import annotations

from import_books import agency_rows, services_rows, write_book
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, answer_everything, build_fixture

from workbench.model.assessments import find_agency, find_round, round_framework
from workbench.model.editing import Edit
from workbench.model.finishing import mark_complete
from workbench.model.schema import Assessment, AuditEntry, ReformRow, Service, Tombstone
from workbench.model.store import open_store
from workbench.ui.importing.losses import losses
from workbench.workspace.importing import import_undoable


def test_an_import_into_a_complete_assessment_is_said_and_undone_whole(tmp_path):
    db = build_fixture(tmp_path / "fixture.sqlite")
    store = open_store(db, actor="مریم احمدی")
    with store.session() as s:
        rnd, agency = find_round(s), find_agency(s, NATIONAL_CODE)
        a = s.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))
        answer_everything(s, a, round_framework(s, rnd))
        mark_complete(s, a)
        uuid = a.uuid
        rows = s.scalars(select(ReformRow).where(ReformRow.agency_uuid == agency.uuid)).all()
        assert all(r.accepted is not None for r in rows)  # the evaluator's verdicts
        verdicts = {r.uuid: (r.accepted, r.evaluator_note) for r in rows}
        services_before = sorted(s.scalars(select(Service.uuid).where(Service.agency_uuid == agency.uuid)))
    book = write_book(tmp_path / "b.xlsx", services=services_rows(3), table4=[], table5=[])
    with store.session() as s:
        rnd, agency = find_round(s), find_agency(s, NATIONAL_CODE)
        summary, undo = import_undoable(s, book, rnd, agency)
    assert summary["status_before"] == "complete" and summary["status_after"] == "draft"
    said = losses(summary)
    assert any("ردیف جدول ۴" in line for line in said) and any("رأی ارزیاب" in line for line in said)
    assert any("پیش‌نویس" in line for line in said)
    with store.session() as s:
        assert s.get(Assessment, uuid).status == "draft"
        assert not s.scalars(select(ReformRow).where(ReformRow.uuid.in_(verdicts))).all()
        assert s.scalars(select(Tombstone).where(Tombstone.uuid.in_(verdicts))).all()
        # Undo, as the window's step does it.
        redo = Edit("submission", uuid, undo["before"]["agency_uuid"], {"snapshot": undo["before"]}).apply(s)
    with store.session() as s:
        assert s.get(Assessment, uuid).status == "complete"
        back = {r.uuid: (r.accepted, r.evaluator_note) for r in s.scalars(select(ReformRow).where(
            ReformRow.uuid.in_(verdicts)))}
        assert back == verdicts  # the same rows, the same verdicts
        assert not s.scalars(select(Tombstone).where(Tombstone.uuid.in_(verdicts))).all()
        assert sorted(s.scalars(select(Service.uuid).where(Service.agency_uuid == undo["before"]["agency_uuid"]))) \
            == services_before
        entries = s.scalars(select(AuditEntry).where(AuditEntry.row_uuid == uuid, AuditEntry.action == "update"))
        assert [e.actor for e in entries][-2:] == ["مریم احمدی", "مریم احمدی"]  # to draft, and back: audited
        redo.apply(s)  # and again
    with store.session() as s:
        assert s.get(Assessment, uuid).status == "draft"
        assert not s.scalars(select(ReformRow).where(ReformRow.uuid.in_(verdicts))).all()
    store.close()


def test_importing_the_same_file_again_loses_nothing_and_keeps_the_status(tmp_path):
    db = build_fixture(tmp_path / "fixture.sqlite")
    book = write_book(tmp_path / "b.xlsx", services=services_rows(3), table4=[], table5=[],
                      agency=agency_rows("2002"))
    store = open_store(db, actor="آزمون")
    for _ in range(2):
        with store.session() as s:
            summary, _undo = import_undoable(s, book, find_round(s), find_agency(s, "2002"))
    store.close()
    assert losses(summary) == []
    assert summary["status_before"] == summary["status_after"] == "draft"  # stored by its first import


def test_the_agencys_template_is_filled_with_what_it_sent_and_reads_back_unchanged(tmp_path):
    from openpyxl import load_workbook

    from workbench.imports.importer import import_workbook
    from workbench.imports.layout import SERVICES, TABLE4, TABLE5
    from workbench.imports.template import agency_details, stored_rows, write_template

    db = build_fixture(tmp_path / "fixture.sqlite")
    store = open_store(db, actor="آزمون")
    with store.session() as s:
        rnd, agency = find_round(s), find_agency(s, NATIONAL_CODE)
        rows = stored_rows(s, rnd.uuid, agency.uuid)
        path = write_template(tmp_path / "filled.xlsx", agency_details(s, agency), rows)
    book = load_workbook(path)
    assert [len(rows[spec.name]) for spec in (SERVICES, TABLE4, TABLE5)] == [4, 2, 2]
    assert book[SERVICES.name].max_row == 1 + 4 and book[SERVICES.name]["A2"].value == "121095000"
    with store.session() as s:  # its first import only fills the blank service titles of tables 4 and 5
        first = import_workbook(s, path, find_round(s), find_agency(s, NATIONAL_CODE))
    assert first["changed"]["services"] == 0 and first["removed"] == {"services": 0, "table4": 0, "table5": 0}
    with store.session() as s:
        rnd, agency = find_round(s), find_agency(s, NATIONAL_CODE)
        path = write_template(tmp_path / "again.xlsx", agency_details(s, agency), stored_rows(s, rnd.uuid, agency.uuid))
        summary = import_workbook(s, path, rnd, agency, dry_run=True)
    store.close()
    # Read back, it is what is stored: nothing to add, change or remove.
    for what in ("added", "changed", "removed"):
        assert summary[what] == {"services": 0, "table4": 0, "table5": 0}, (what, summary[what])
