"""The File menu's import and template entries, driven through the real window (offscreen).

The hand-made database of ``workbench_fixture`` gives agency «1001» four
planned services; the imported workbook (``import_books``) replaces them with
three, so the services the window shows and the score of indicator 1 change
by amounts worked out by hand below.
"""
from __future__ import annotations

import pytest
from import_books import dump, services_rows, write_book
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from workbench_fixture import NATIONAL_CODE, build_fixture

from workbench.ui.assessment.services_table import column
from workbench.ui.shared import file_dialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def db_path(tmp_path):
    return build_fixture(tmp_path / "fixture.sqlite")


def _uuid(window, code: str) -> str:
    return next(r.uuid for r in window.agencies.model.rows() if r.code == code)


def _open(window, code: str):
    window.agencies.select_agency(_uuid(window, code))
    assert window.view is not None
    return window.view


def _service_ids(view) -> list[str]:
    model = view.measure_page.services_panel.model
    return [r.service_id for r in model.rows()]


def _import_dialog(window, qtbot, monkeypatch, path):
    monkeypatch.setattr(file_dialogs, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.import_actions.import_action.trigger()
    dialog = window.import_actions.dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.checked, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    return dialog, blocker.args[0]


def test_import_is_disabled_with_a_reason_until_an_agency_is_selected(window):
    action = window.import_actions.import_action
    assert window.selected_agency() == ""
    assert not action.isEnabled()
    assert "برگزینید" in action.toolTip()
    assert window.file_menu.toolTipsVisible()
    assert action in window.file_menu.actions()
    window.agencies.select_agency(_uuid(window, NATIONAL_CODE), open_it=False)
    assert action.isEnabled()
    assert "برگزینید" not in action.toolTip()
    # the entry sits above «خروج»: imports before quitting
    entries = window.file_menu.actions()
    assert entries.index(action) < entries.index(window.quit_action)


def test_import_through_the_menu_changes_the_services_and_scores_and_is_one_undo_step(window, qtbot, monkeypatch,
                                                                                     tmp_path, steps_question):
    view = _open(window, NATIONAL_CODE)
    view.select_measure("1.1")
    assert _service_ids(view) == ["121095000", "121095100", "121095101", "121095102"]
    # Request stage: 121095000, 121095100 and 121095101 are planned.  Judge 121095100
    # achieved with all four capabilities: 30 × 1/3 = 10.
    model = view.measure_page.services_panel.model
    row = _service_ids(view).index("121095100")
    for name in ("request_portal", "request_online", "request_receipt", "request_tracking"):
        assert model.setData(model.index(row, column(name)), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert view.tree_model.index_of("1.1", 1).data() == "۱۰ از ۳۰"
    controller = view.controller
    before_percent = controller.card().percent
    assert before_percent and before_percent > 0
    qtbot.waitUntil(lambda: window.agencies.model.row_data(
        window.agencies.model.row_of(_uuid(window, NATIONAL_CODE))).percent == pytest.approx(before_percent))
    assert controller.undo_stack.count() == 4 and window.undo_action.isEnabled()

    # The file: 121095000 and its sub-services 121095101, 121095102, all three planned
    # for electronic request; 121095100 (the judged one) is gone.
    book = write_book(tmp_path / "submitted.xlsx", services=services_rows(3))
    dialog, result = _import_dialog(window, qtbot, monkeypatch, book)
    assert result["errors"] == []
    assert dialog.import_button.isEnabled()
    # The preview says what will be lost (no longer «no errors, no warnings» alone), and the import asks.
    assert "۱ خدمت که در فایل نیست حذف می‌شود" in dialog.findings_label.text()
    assert "۱ کنترل ارزیاب" in dialog.findings_label.text()
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy())

    # The window re-read: a new view on the same measure with the file's services.
    view = window.view
    assert view.controller is controller
    assert view.current_measure() == "1.1"
    assert _service_ids(view) == ["121095000", "121095101", "121095102"]
    shown = view.measure_page.services_panel.model
    assert shown.index(1, column("title")).data().startswith("زیرخدمت")  # the file's title
    # Three planned now, none of them judged: nothing scored yet, out of 30 (the judgement on 121095100 is kept
    # in the database but counts only if that service comes back).
    assert view.tree_model.index_of("1.1", 1).data() == "— از ۳۰"
    assert len(steps_question) == 1 and "۱ خدمت که در فایل نیست حذف می‌شود" in steps_question[0]
    # The history starts again at the import (its steps were on the replaced plan): one step.
    assert controller.undo_stack.count() == 1 and controller.undo_stack.undoText() == "ورود کارپوشه"
    assert window.undo_action.isEnabled()
    assert "واگرد" in window.statusBar().currentMessage()
    # The agency list is rescored from the new plan, in the background.
    qtbot.waitUntil(lambda: all(r.scored for r in window.agencies.model.rows()), timeout=10000)
    row = window.agencies.model.row_of(_uuid(window, NATIONAL_CODE))
    # The only scored thing was the judgement on the removed service: nothing scored now.
    assert controller.card().percent is None
    assert window.agencies.model.row_data(row).percent is None
    dialog.reject()

    # Undo: the four services and the judgement's 10 of 30 are back; redo: the file's three again.
    window.undo_action.trigger()
    view = window.view
    assert _service_ids(view) == ["121095000", "121095100", "121095101", "121095102"]
    assert view.tree_model.index_of("1.1", 1).data() == "۱۰ از ۳۰"
    window.redo_action.trigger()
    assert _service_ids(window.view) == ["121095000", "121095101", "121095102"]
    assert window.view.tree_model.index_of("1.1", 1).data() == "— از ۳۰"


def test_a_refused_file_shows_its_refusals_and_changes_nothing(window, qtbot, monkeypatch, tmp_path, db_path):
    view = _open(window, NATIONAL_CODE)
    view.select_measure("1.1")
    before_ids = _service_ids(view)
    before_tree = view.tree_model.index_of("1.1", 1).data()
    rows = services_rows(3)
    rows[1][0] = "123"  # not 9 digits
    rows[2][3] = "G2X"  # no such kind
    book = write_book(tmp_path / "bad.xlsx", services=rows)
    before = dump(db_path)
    dialog, result = _import_dialog(window, qtbot, monkeypatch, book)
    assert len(result["errors"]) >= 2 and result["summary"] is None
    model = dialog.findings_model
    cells = {(model.index(r, 1).data(), model.index(r, 2).data()) for r in range(model.rowCount())}
    assert {("خدمات", "A3"), ("خدمات", "D4")} <= cells
    assert not dialog.import_button.isEnabled()
    assert "پذیرفته نیست" in dialog.status.text()
    dialog.reject()
    assert dump(db_path) == before
    assert _service_ids(window.view) == before_ids
    assert window.view.tree_model.index_of("1.1", 1).data() == before_tree


def test_blank_template_for_the_selected_agency_and_a_general_one(window, monkeypatch, tmp_path):
    target = tmp_path / "قالب"
    monkeypatch.setattr(file_dialogs, "getSaveFileName", lambda *a, **k: (str(target), ""))
    # none selected: a general template, with no agency code in it
    general = window.import_actions.save_template()
    assert general == tmp_path / "قالب.xlsx" and general.is_file()
    book = load_workbook(general)
    assert {"دستگاه", "خدمات", "جدول ۴", "جدول ۵"} <= set(book.sheetnames)
    assert not any(NATIONAL_CODE == str(c.value) for row in book["دستگاه"].iter_rows() for c in row)

    window.agencies.select_agency(_uuid(window, NATIONAL_CODE), open_it=False)
    window.import_actions.template_action.trigger()
    book = load_workbook(general)
    values = [str(c.value) for row in book["دستگاه"].iter_rows() for c in row if c.value is not None]
    assert NATIONAL_CODE in values and "وزارت صنعت، معدن و تجارت" in values
    assert "ذخیره شد" in window.statusBar().currentMessage()


def test_importing_into_a_final_assessment_asks_first(window, monkeypatch, db_path):
    from workbench.model.schema import Assessment

    uuid = _uuid(window, NATIONAL_CODE)
    assessment = window.session.query(Assessment).filter_by(agency_uuid=uuid).one()
    assessment.status = "final"
    window.session.commit()
    window.agencies.select_agency(uuid, open_it=False)
    asked = []
    monkeypatch.setattr(window, "ask_yes_no", lambda title, question: asked.append(question) or False)
    before = dump(db_path)
    assert window.import_actions.import_workbook() is None  # declined: no dialog
    assert window.import_actions.dialog is None
    assert "نهایی" in asked[0]
    monkeypatch.setattr(window, "ask_yes_no", lambda title, question: True)
    dialog = window.import_actions.import_workbook()
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    assert dump(db_path) == before


def test_an_unexpected_failure_of_the_import_is_said_in_persian(window, qtbot, monkeypatch, tmp_path):
    import workbench.imports.importer as importer

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom in a library")

    monkeypatch.setattr(importer, "check_import", broken)
    book = write_book(tmp_path / "book.xlsx")
    window.agencies.select_agency(_uuid(window, NATIONAL_CODE), open_it=False)
    monkeypatch.setattr(file_dialogs, "getOpenFileName", lambda *a, **k: (str(book), ""))
    window.import_actions.import_action.trigger()
    dialog = window.import_actions.dialog
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    text = dialog.status.text()
    assert "چیزی نوشته نشد" in text and "boom" not in text and "Error" not in text
    assert not dialog.import_button.isEnabled()
    dialog.reject()
