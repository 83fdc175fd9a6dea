"""The supervisor's desk in the window: its menu only on a master, the open conflicts settled each way."""
from __future__ import annotations

import sqlite3

import pytest
from exchange_fixture import codes, do_export, do_merge, evaluator_db, master_copy, set_answer
from window_fixture import open_main_window

from workbench.exchange.conflicts import list_conflicts
from workbench.model.framework import load_default_framework
from workbench.model.store import open_store
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

A, B = "رضا کریمی", "مریم احمدی"


@pytest.fixture
def master_with_conflicts(tmp_path, tmp_path_factory):
    """Two evaluators answer the same five items of one agency differently: five open conflicts."""
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    agency = codes(master)[0]
    conn = sqlite3.connect(master)
    with conn:
        conn.execute("DELETE FROM answers WHERE assessment_uuid IN (SELECT a.uuid FROM assessments a "
                     "JOIN agencies g ON g.uuid = a.agency_uuid WHERE g.code = ?)", (agency,))
    conn.close()
    keys = [it.key for it in load_default_framework().items() if it.kind in ("check", "yesno")][:5]
    a = evaluator_db(tmp_path, master, A, [agency])
    b = evaluator_db(tmp_path, master, B, [agency])
    for key in keys:
        set_answer(a, agency, key, actor=A, value=True)
        set_answer(b, agency, key, actor=B, value=False)
    do_export(a, tmp_path / "a.wbp")
    do_export(b, tmp_path / "b.wbp")
    result = do_merge(master, [tmp_path / "a.wbp", tmp_path / "b.wbp"])
    assert sum(p.conflicts for p in result.packages) == 5
    return master, agency, keys, a


def _window(qtbot, tmp_path, path) -> MainWindow:
    return open_main_window(qtbot, tmp_path, path)


def _conflicts(master, resolved=False):
    store = open_store(master)
    try:
        with store.session() as s:
            return list_conflicts(s, include_resolved=resolved)
    finally:
        store.close()


def test_the_supervisor_menu_is_on_a_master_only(qtbot, tmp_path, master_with_conflicts):
    master, _agency, _keys, evaluator = master_with_conflicts
    window = _window(qtbot, tmp_path, master)
    actions = window.supervisor_actions
    assert actions.menu.menuAction().isVisible() and actions.count_label.text() == "تعارض باز: ۵"
    window.open_database(evaluator)  # an evaluator's laptop: no supervisor's menu
    assert not actions.menu.menuAction().isVisible() and not actions.count_label.isVisible()
    window.close()


def test_conflicts_are_settled_each_way_with_a_reason(qtbot, tmp_path, master_with_conflicts):
    master, agency, keys, _evaluator = master_with_conflicts
    window = _window(qtbot, tmp_path, master)
    dialog = window.supervisor_actions.show_conflicts()
    assert dialog.model.rowCount() == 5 and dialog.proxy.rowCount() == 5
    # Filtering: by evaluator (both are candidates everywhere), by an indicator, by agency text.
    dialog.evaluator.setCurrentIndex(dialog.evaluator.findData(A))
    assert dialog.proxy.rowCount() == 5
    first_indicator = keys[0].split(".")[0]
    dialog.indicator.setCurrentIndex(dialog.indicator.findData(first_indicator))
    assert dialog.proxy.rowCount() == sum(1 for k in keys if k.split(".")[0] == first_indicator)
    dialog.indicator.setCurrentIndex(0)
    dialog.search.setText("no-such-agency")
    assert dialog.proxy.rowCount() == 0
    dialog.search.clear()
    dialog.select_row(0)
    assert dialog.current().key[0] in keys and len(dialog.guide.toPlainText()) > 40  # the measure's guide
    assert dialog.base_label.text() == "حذف‌شده" or dialog.base_label.text()

    # No reason: refused, nothing settled.
    dialog.candidates.setCurrentRow(0)
    dialog.take_button.click()
    assert "دلیل" in dialog.message.text() and dialog.model.rowCount() == 5

    # A candidate, with its reason.
    chosen = dialog.current()
    dialog.candidates.setCurrentRow([c.evaluator for c in chosen.candidates].index(B))
    dialog.reason.setText("مستند بارگذاری‌شده را دیدم")
    dialog.take_button.click()
    assert dialog.model.rowCount() == 4 and "حل شد" in dialog.message.text()
    assert window.supervisor_actions.count_label.text() == "تعارض باز: ۴"

    # Back to the base.
    dialog.select_row(0)
    dialog.reason.setText("هیچ‌یک مستند نداشت")
    dialog.base_button.click()
    assert dialog.model.rowCount() == 3

    # A value of one's own.
    dialog.select_row(0)
    dialog.value_edit.setText("بله")
    dialog.reason.setText("در بازدید دوباره دیده شد")
    dialog.value_button.click()
    assert dialog.model.rowCount() == 2

    # The rest alike: every conflict of the agency with evaluator A's candidate.
    dialog.select_row(0)
    dialog.candidates.setCurrentRow([c.evaluator for c in dialog.current().candidates].index(A))
    dialog.reason.setText("ارزیاب الف مستند داشت")
    dialog.alike_button.click()
    assert dialog.model.rowCount() == 0 and "۲ تعارض" in dialog.message.text()
    assert not dialog.take_button.isEnabled()

    settled = {c.reason: c for c in _conflicts(master, resolved=True)}
    assert set(settled) == {"مستند بارگذاری‌شده را دیدم", "هیچ‌یک مستند نداشت", "در بازدید دوباره دیده شد",
                            "ارزیاب الف مستند داشت"}
    assert all(c.status == "resolved" and c.resolved_by == window.store.actor for c in settled.values())
    assert settled["مستند بارگذاری‌شده را دیدم"].resolution == {"value": False}
    assert settled["در بازدید دوباره دیده شد"].resolution == {"value": True}
    dialog.close()
    window.close()
