"""The evaluator's name: asked at first start, kept in the settings, the audit trail's actor,
a new assessment's «ارزیاب», shown in the header; and no draft made by browsing (issue 12)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from ui_page_fixture import type_text
from workbench_fixture import NATIONAL_CODE, PROVINCIAL_CODE, build_fixture

from workbench.model.schema import Answer, Assessment, AuditEntry
from workbench.model.store import open_store
from workbench.ui.app import setup_application
from workbench.ui.evaluator_name import SETTINGS_KEY, NameDialog, login_name
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def db_path(tmp_path):
    return build_fixture(tmp_path / "fixture.sqlite")


def _window(qtbot, tmp_path, db_path, answer):
    setup_application(QApplication.instance())
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings)
    asked: list[tuple[str, bool]] = []
    w.ask_evaluator_name = lambda current, first: asked.append((current, first)) or answer()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.ensure_evaluator_name()
    w.open_database(db_path)
    w.show()
    return w, asked


def _agency(w, code):
    return next(r.uuid for r in w.agencies.model.rows() if r.code == code)


def _audit(db_path):
    with open_store(db_path).session() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.at)))


def _first_measure_note(w, text):
    page = w.view.measure_page
    page.note.setPlainText(text)
    page.save_note()
    return page


def test_the_name_given_at_first_start_names_every_change(qtbot, tmp_path, db_path):
    w, asked = _window(qtbot, tmp_path, db_path, lambda: "مریم احمدی")
    assert asked == [("", True)]
    assert w.settings.value(SETTINGS_KEY) == "مریم احمدی"
    assert w.actor_label.text() == "ارزیاب: مریم احمدی"
    w.agencies.select_agency(_agency(w, PROVINCIAL_CODE))
    assert w.view.actor_label.text() == "ثبت به نام: مریم احمدی"
    assert w.view.evaluator_edit.text() == "مریم احمدی"  # a new assessment's evaluator
    before = len(_audit(db_path))
    _first_measure_note(w, "یادداشت")
    uuid = w.view.controller.assessment().uuid
    w.close()
    entries = _audit(db_path)[before:]
    assert {e.table_name for e in entries} == {"assessments", "answers"}
    assert {e.actor for e in entries} == {"مریم احمدی"}
    with open_store(db_path).session() as s:
        stored = s.get(Assessment, uuid)
        assert stored.evaluator == stored.updated_by == "مریم احمدی"

    # The next start does not ask again.
    again, asked_again = _window(qtbot, tmp_path, db_path, lambda: "نباید")
    assert asked_again == [] and again.actor_name() == "مریم احمدی"
    again.close()


def test_the_name_changed_in_the_window_names_the_next_changes(qtbot, tmp_path, db_path):
    w, _ = _window(qtbot, tmp_path, db_path, lambda: "مریم احمدی")
    w.agencies.select_agency(_agency(w, NATIONAL_CODE))
    w.view.evaluator_edit.setText("یک")
    w.view.evaluator_edit.editingFinished.emit()
    w.ask_evaluator_name = lambda current, first: "رضا کریمی" if (current, first) == ("مریم احمدی", False) else None
    w.name_action.trigger()
    assert w.view.actor_label.text() == "ثبت به نام: رضا کریمی"
    assert w.actor_label.text() == "ارزیاب: رضا کریمی"
    w.view.evaluator_edit.setText("دو")
    w.view.evaluator_edit.editingFinished.emit()
    w.close()
    actors = [e.actor for e in _audit(db_path) if e.table_name == "assessments" and e.action == "update"]
    assert actors[-2:] == ["مریم احمدی", "رضا کریمی"]


def test_a_name_put_off_is_asked_again_and_the_login_name_stands_in(qtbot, tmp_path, db_path):
    w, asked = _window(qtbot, tmp_path, db_path, lambda: None)
    assert asked == [("", True)] and w.settings.value(SETTINGS_KEY) is None
    assert w.actor_name() == login_name()
    assert "نام ارزیاب داده نشده" in w.actor_label.text()
    w.agencies.select_agency(_agency(w, NATIONAL_CODE))
    assert w.view.actor_label.text() == "ثبت به نام: (نام داده نشده)"
    w.close()
    _, asked = _window(qtbot, tmp_path, db_path, lambda: None)
    assert asked == [("", True)]


def test_the_name_dialog_takes_only_a_name(qtbot):
    setup_application(QApplication.instance())
    dialog = NameDialog("", first=True)
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    type_text(dialog.edit, "   ")
    assert not dialog.ok.isEnabled()  # spaces are no name
    type_text(dialog.edit, "سارا  ")
    assert dialog.ok.isEnabled() and dialog.name() == "سارا"


def test_browsing_agencies_stores_no_draft_the_first_edit_does(qtbot, tmp_path, db_path):
    w, _ = _window(qtbot, tmp_path, db_path, lambda: "مریم احمدی")
    for code in (PROVINCIAL_CODE, "2002", PROVINCIAL_CODE, "2002"):
        w.agencies.select_agency(_agency(w, code))
        assert w.view.controller.agency().code == code
        assert not w.view.controller.stored()
    with open_store(db_path).session() as s:
        assert s.scalars(select(Assessment)).all() and len(s.scalars(select(Assessment)).all()) == 1
    audited = len(_audit(db_path))
    _first_measure_note(w, "یادداشت نخست")
    assert w.view.controller.stored()
    w.close()
    with open_store(db_path).session() as s:
        assert len(s.scalars(select(Assessment)).all()) == 2  # the ministry's and the one edited
        assert s.scalar(select(Answer.note).where(Answer.note == "یادداشت نخست")) == "یادداشت نخست"
    # the assessment and its answer, inserted in one step
    inserted = {e.table_name for e in _audit(db_path)[audited:] if e.action == "insert"}
    assert {"assessments", "answers"} <= inserted


def test_ctrl_z_in_the_note_takes_back_the_typing_as_one_step_and_keeps_redo(qtbot, tmp_path, db_path):
    from PySide6.QtCore import Qt

    w, _ = _window(qtbot, tmp_path, db_path, lambda: "مریم احمدی")
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.agencies.select_agency(_agency(w, NATIONAL_CODE))
    w.view.select_measure("4.2")
    page = w.view.measure_page
    stack = w.view.controller.undo_stack
    start = stack.count()
    page.note.setFocus()
    qtbot.waitUntil(page.note.hasFocus)
    type_text(page.note, "نخست")
    page.save_note()  # a pause in typing saves it
    type_text(page.note, " و دوم")  # not saved yet
    qtbot.keyClick(page.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.note.toPlainText() == "نخست"  # the unsaved typing was one step, taken back
    assert stack.count() == start + 2 and stack.index() == start + 1  # its redo is kept
    qtbot.wait(50)  # no save timer turns the undo into a new step
    assert stack.count() == start + 2
    qtbot.keyClick(page.note, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.note.toPlainText() == "نخست و دوم" and stack.index() == start + 2
    qtbot.keyClick(page.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.note.toPlainText() == "" and stack.index() == start
    w.close()
