"""The workspace (the window's and the commands' way to a database), with no window."""
from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from workbench.model.errors import UserError
from workbench.model.schema import Agency, Assessment, Round
from workbench.workspace import pages
from workbench.workspace.changes import Changes
from workbench.workspace.opening import open_workspace, unit_of_work


def test_a_new_file_gets_the_default_round_and_an_agency_gets_a_draft_only_when_stored(tmp_path):
    path = tmp_path / "new.sqlite"
    with pytest.raises(UserError, match="وجود ندارد"):
        open_workspace(path)  # not asked to create it
    assert not path.exists()
    ws = open_workspace(path, create=True, actor="آزمون")
    try:
        assert ws.round_uuid and ws.round_year and ws.first_rows == []
        ws.session.add(Agency(code="1001", name="وزارت آزمون", level="national"))
        ws.session.commit()
        (row,) = ws.agency_rows()
        assert (row.code, row.status) == ("1001", "") and ws.status_of(row.uuid) == ""
        pending = ws.assessment_of(row.uuid, "مریم احمدی")
        # Not stored: looking at an agency makes no draft.
        assert isinstance(pending, Assessment) and pending.status == "draft" and pending.evaluator == "مریم احمدی"
        assert ws.status_of(row.uuid) == "" and ws.session.scalar(select(func.count(Assessment.uuid))) == 0
        ws.session.add(pending)  # as the controller does with the first edit
        ws.session.commit()
        assert ws.assessment_of(row.uuid) == pending.uuid  # the same draft, not a second one
        assert ws.status_of(row.uuid) == "draft" and [r.status for r in ws.agency_rows()] == ["draft"]
    finally:
        ws.close()
    with unit_of_work(path) as s:  # the commands' way in sees what the window wrote
        assert s.query(Round).count() == 1 and s.query(Assessment).count() == 1


def test_a_file_that_is_not_a_database_is_refused_by_name(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(UserError, match="notes.sqlite"):
        open_workspace(path)
    assert path.read_bytes() == b"not a database at all" * 100


def test_changes_say_which_rows_an_edit_wrote():
    assert Changes.of_edits("a", ["judgement"]) == Changes("a", judgements=True)
    both = Changes.of_edits("a", ["evidence_add", "answer"])
    assert both.evidence and both.answers and not both.reform and not both.judgements
    assert Changes.of_edits("a", ["reform_row", "reform_action"]) == Changes("a", reform=True)
    assert Changes.of_edits("a", ["something new"]) == Changes.everything("a")


def test_an_answer_edit_does_not_make_the_services_and_evidence_pages_reread(ctl, qtbot):
    """OpChanges: a page whose rows did not change sends no query after an edit elsewhere."""
    from workbench.model.editing import Edit
    from workbench.ui.assessment.evidence_model import EvidenceListModel
    from workbench.ui.assessment.services_table import ServicesPanel

    services = ServicesPanel(ctl)
    qtbot.addWidget(services)
    evidence = EvidenceListModel(ctl)
    evidence.set_measure("1.1")
    reads = []
    for name in ("planned_services", "judgements", "evidence_rows"):
        original = getattr(ctl, name)
        setattr(ctl, name, lambda *a, _n=name, _o=original: reads.append(_n) or _o(*a))
    assert ctl.apply(Edit("answer", ctl.assessment().uuid, "2.1", {"note": "یادداشت"}), "یادداشت")
    assert reads == []
    assert ctl.apply(Edit("judgement", ctl.assessment().uuid, services.model.row(0).service_id,
                          {"delivery": True}), "تحقق")
    assert "judgements" in reads and "evidence_rows" not in reads


def test_reads_are_one_query_each_whatever_the_rows(ctl):
    statements = []
    engine = ctl.session().get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    assessment = ctl.assessment()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        services = pages.planned_services(ctl.session(), assessment)
        rows = pages.reform_rows(ctl.session(), assessment, "reform_row", ("row_no", "accepted"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(services) == 30 and len(rows) == 5 and set(rows[0]) == {"uuid", "row_no", "accepted"}
    assert len(statements) == 2
