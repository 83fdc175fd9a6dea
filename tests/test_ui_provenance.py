"""On a measure of a supervisor's database: where each value came from (package, evaluator, merge, resolution)."""
from __future__ import annotations

import sqlite3

import pytest
from exchange_fixture import codes, do_export, do_merge, evaluator_db, master_copy, set_answer
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workbench.model.completeness import measure_key_of
from workbench.model.framework import load_default_framework
from workbench.ui.app import setup_application
from workbench.ui.main_window import MainWindow
from workbench.ui.supervisor.provenance import HISTORY_TAB, OPEN_CONFLICT

pytestmark = pytest.mark.gui

A, B = "رضا کریمی", "مریم احمدی"


def test_the_measure_says_which_package_and_merge_set_each_value(qtbot, tmp_path, tmp_path_factory):
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    agency = codes(master)[0]
    conn = sqlite3.connect(master)
    with conn:
        conn.execute("DELETE FROM answers WHERE assessment_uuid IN (SELECT a.uuid FROM assessments a "
                     "JOIN agencies g ON g.uuid = a.agency_uuid WHERE g.code = ?)", (agency,))
    conn.close()
    framework = load_default_framework()
    measure = next(m for m in framework.measures() if sum(it.kind in ("check", "yesno") for it in m.items) >= 2)
    first, second = [it.key for it in measure.items if it.kind in ("check", "yesno")][:2]
    a = evaluator_db(tmp_path, master, A, [agency])
    b = evaluator_db(tmp_path, master, B, [agency])
    set_answer(a, agency, first, actor=A, value=True)  # only A answers it: taken from a.wbp
    set_answer(a, agency, second, actor=A, value=True)  # both, differently: a conflict
    set_answer(b, agency, second, actor=B, value=False)
    do_export(a, tmp_path / "a.wbp")
    do_export(b, tmp_path / "b.wbp")
    do_merge(master, [tmp_path / "a.wbp", tmp_path / "b.wbp"])

    setup_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.open_database(master)
    window.show()
    uuid = next(r.uuid for r in window.workspace.agency_rows() if r.code == agency)
    window.open_agency(uuid)
    window.view.select_measure(measure.key)
    assert window.view.current_measure() == measure_key_of(framework, first)
    action = window.supervisor_actions.provenance.action
    assert action.isVisible() and action in window.assessment_menu.actions()
    action.trigger()
    rows = _rows(window.supervisor_actions.provenance.dialog)
    taken = [r for r in rows if r[0].endswith(_fa(first)) and r[1] == "پاسخ"]
    assert taken == [[f"پاسخ {_fa(first)}", "پاسخ", "پاسخ: بله", "a.wbp", A, taken[0][5], ""]]
    assert taken[0][5].startswith("۱۴")  # the merge's date, Jalali, and who merged
    # A's value came first; B's made it a conflict: the field holds the base until it is settled.
    held = [r for r in rows if r[0].endswith(_fa(second)) and r[1] == "پاسخ"]
    assert [r[2:5] + r[6:] for r in held] == [["پاسخ: بله", "a.wbp", A, OPEN_CONFLICT]]

    # Settled in the conflicts dialog with B's value: the measure now says so, with the reason.
    dialog = window.supervisor_actions.show_conflicts()
    row = next(r for r in range(dialog.proxy.rowCount())
               if dialog.model.rows[dialog.proxy.mapToSource(dialog.proxy.index(r, 0)).row()].key == [second])
    dialog.select_row(row)
    dialog.candidates.setCurrentRow([c.evaluator for c in dialog.current().candidates].index(B))
    dialog.reason.setText("تصویر صفحه نشان می‌دهد ندارد")
    dialog.take_button.click()
    dialog.close()
    action.trigger()
    rows = _rows(window.supervisor_actions.provenance.dialog)
    settled = [r for r in rows if r[0].endswith(_fa(second)) and r[1] == "پاسخ"]
    assert len(settled) == 2 and settled[0][6] == "" and settled[1][2:5] == ["پاسخ: خیر", "b.wbp", B]
    assert settled[1][6].startswith(window.store.actor) and settled[1][6].endswith(": تصویر صفحه نشان می‌دهد ندارد")

    # Beside the assessment's history (Ctrl+H): the same for every record of the assessment, in a tab.
    window.audit_actions.action.trigger()
    history = window.audit_actions.dialog
    assert history.tabs.count() == 2 and history.tabs.tabText(1) == HISTORY_TAB
    t = history.provenance
    listed = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert [r for r in listed if r[0] == f"پاسخ {_fa(first)}"] == taken
    assert [r[2:5] for r in listed if r[0] == f"پاسخ {_fa(second)}" and r[1] == "پاسخ"][-1] == ["پاسخ: خیر", "b.wbp", B]
    history.close()
    window.close()


def _fa(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _rows(dialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
