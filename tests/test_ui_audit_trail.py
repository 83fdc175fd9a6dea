"""An assessment's history in the window (Assessment ▸ «سابقهٔ تغییرات…», issue 12): who, when
(Jalali, Persian digits), what, from what to what; deleted rows and a reopening's reason too."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from ui_page_fixture import type_text
from ui_strings import latin_problems
from workbench_fixture import NATIONAL_CODE, answer_everything, build_fixture

from workbench.model.assessments import find_agency, find_round, round_framework
from workbench.model.finishing import finalize, mark_complete, reopen
from workbench.model.schema import Assessment
from workbench.model.store import open_store
from workbench.ui.app import setup_application
from workbench.ui.main_window import MainWindow
from workbench.workspace.audit_trail import assessment_trail

WHEN = re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$")


@pytest.fixture
def db_path(tmp_path):
    return build_fixture(tmp_path / "fixture.sqlite")


def test_the_trail_says_each_change_a_deleted_row_and_a_reopening_in_words(db_path):
    store = open_store(db_path, actor="رضا کریمی")
    with store.session() as s:
        a = s.scalar(select(Assessment).where(Assessment.agency_uuid == find_agency(s, NATIONAL_CODE).uuid))
        uuid = a.uuid
        answer_everything(s, a, round_framework(s, find_round(s)))
    with store.session() as s:
        a = s.get(Assessment, uuid)
        mark_complete(s, a)
        finalize(s, a)
        reopen(s, a, "گواهی امنیتی منقضی بود")
    with store.session() as s:
        lines = assessment_trail(s, uuid)
    store.close()
    assert all(WHEN.match(line.when) for line in lines)
    status = [(line.old, line.new) for line in lines if line.record == "ارزیابی" and line.field == "وضعیت"]
    assert status == [("پیش‌نویس", "تکمیل‌شده"), ("تکمیل‌شده", "نهایی"), ("نهایی", "پیش‌نویس")]
    (reopened,) = [line for line in lines if line.action == "بازگشایی"]
    assert reopened.actor == "رضا کریمی" and reopened.new == "دلیل: گواهی امنیتی منقضی بود"
    answers = [line for line in lines if line.record.startswith("پاسخ ")]
    assert answers and all(re.match(r"^پاسخ [۰-۹.]+$", line.record) for line in answers)
    assert {line.new for line in answers if line.field == "پاسخ"} <= {"بله", "خیر"}


@pytest.mark.gui
def test_the_history_window_follows_the_assessment(qtbot, tmp_path, db_path):
    setup_application(QApplication.instance())
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w.ask_evaluator_name = lambda *_: "نسرین رحیمی"
    w.ensure_evaluator_name()
    qtbot.addWidget(w)
    w.open_database(db_path)
    w.show()
    w.resize(1366, 768)
    assert not w.audit_actions.action.isEnabled()  # nothing open
    w.agencies.select_agency(next(r.uuid for r in w.agencies.model.rows() if r.code == NATIONAL_CODE))
    view = w.view
    view.evaluator_edit.setText("سارا محمدی")
    view.evaluator_edit.editingFinished.emit()
    dialog = w.audit_actions.show()
    qtbot.waitUntil(dialog.isVisible)
    model = dialog.model
    first = model.line(0)  # newest first
    assert (first.actor, first.action, first.record, first.field, first.old, first.new) == (
        "نسرین رحیمی", "تغییر", "ارزیابی", "ارزیاب", "مریم احمدی", "سارا محمدی")
    assert WHEN.match(first.when)
    before = model.rowCount()

    # Evidence added, then undone: the history keeps both, the deleted row named.
    view.select_measure("4.2")
    panel = view.measure_page.evidence
    panel.kind.setCurrentIndex(panel.kind.findData("url"))
    panel.input.setText("https://example.ir/privacy")
    assert panel.add_typed()
    w.undo_action.trigger()
    assert model.rowCount() > before  # listed as it happened, without reopening the window
    actions = [(model.line(i).action, model.line(i).record) for i in range(2)]
    assert actions[0][0] == "حذف" and actions[1][0] == "افزودن"
    assert actions[0][1] == actions[1][1] and "مستند نماگر ۴.۲" in actions[0][1]

    type_text(dialog.search, "سارا")
    assert dialog.proxy.rowCount() == 1 and dialog.count.text().startswith("۱ از ")
    assert not latin_problems(dialog, skip=[dialog.search]), latin_problems(dialog)
    w.close()
