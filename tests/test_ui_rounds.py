"""The window and the rounds: the earlier rounds beside the open assessment; File ▸ new round and the rounds."""
from __future__ import annotations

import json
import shutil

import pytest

from workbench.model.framework import default_framework_path


@pytest.fixture(scope="module")
def three_rounds(tmp_path_factory):
    from workbench.demo.build import build_demo
    from workbench.demo.rounds import add_earlier_rounds

    path = build_demo(tmp_path_factory.mktemp("ui-rounds") / "demo.sqlite", agencies=12)
    add_earlier_rounds(path, 3)
    return path


@pytest.fixture
def db_path(three_rounds, tmp_path):
    path = tmp_path / "db.sqlite"
    shutil.copy(three_rounds, path)
    return path


def _codes_by_history(window):
    from workbench.model.assessments import find_round, round_assessments

    s = window.session
    earlier = {ag.code for year in (1401, 1402) for _, ag in round_assessments(s, find_round(s, year))}
    rows = window.agencies.model.rows()
    return [r for r in rows if r.code in earlier], [r for r in rows if r.code not in earlier]


def test_the_assessment_shows_the_earlier_rounds_beside_its_figures(window, qtbot):
    from workbench.model.text import persian_digits
    from workbench.ui.assessment.history import HistoryDialog

    with_history, without = _codes_by_history(window)
    assert with_history and without
    row = with_history[0]
    window.agencies.select_agency(row.uuid)
    qtbot.waitUntil(lambda: window.view is not None and window.view.controller.agency().uuid == row.uuid)
    strip = window.view.history
    qtbot.waitUntil(lambda: strip.trend is not None, timeout=60_000)  # read on a thread of its own
    assert strip.task is not None and strip.task.thread is not None
    assert strip.isVisible()
    trend = strip.trend
    assert [f.year for f in trend.figures][-1] == 1403 and len(trend.figures) >= 2
    assert "۱۴۰۲" in strip.label.text() or "۱۴۰۱" in strip.label.text()
    card = window.view.controller.card()
    assert trend.figures[-1].percent == (None if card.percent is None else round(card.percent, 2))
    dialog = HistoryDialog(trend, window)
    assert dialog.table.rowCount() == 1 + len(trend.rows)
    assert dialog.table.columnCount() == 2 + len(trend.figures)
    first = trend.figures[0]
    assert dialog.table.item(0, 1).text() == ("—" if first.percent is None else
                                              persian_digits(f"{first.percent:g}".replace(".", "٫")))
    dialog.close()

    window.agencies.select_agency(without[0].uuid)
    qtbot.waitUntil(lambda: window.view.controller.agency().uuid == without[0].uuid)
    qtbot.waitUntil(lambda: window.view.history.earlier is not None, timeout=60_000)
    assert not window.view.history.isVisible() and window.view.history.trend is None


def test_file_menu_opens_the_next_round_and_lists_the_rounds(window, qtbot, tmp_path):
    from workbench.model.assessments import find_round
    from workbench.model.rounds import list_rounds

    actions = window.round_actions
    assert actions.new_action.isEnabled() and actions.list_action.isEnabled()
    data = json.loads(default_framework_path().read_text(encoding="utf-8"))
    data["indicators"][0]["points"] = 31  # no longer the sum of its measures
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused: list[str] = []
    actions.open(1404, bad, 1403, "", on_refused=refused.append)
    assert actions.task is not None  # off the window's thread
    qtbot.waitUntil(lambda: actions.task is None, timeout=60_000)
    assert len(refused) == 1 and "کلید «1»" in refused[0] and "برابر نیست" in refused[0]
    assert [r.year for r in list_rounds(window.session)] == [1401, 1402, 1403]

    actions.open(1404, default_framework_path(), 1403, "دورهٔ دهم", on_refused=refused.append)
    qtbot.waitUntil(lambda: actions.task is None, timeout=120_000)
    assert len(refused) == 1
    assert "۱۴۰۴" in window.windowTitle()
    assert find_round(window.session).year == 1404
    rows = window.agencies.model.rows()
    assert rows and {r.status for r in rows} == {"draft"}
    assert "۱۴۰۴" in window.statusBar().currentMessage()
    # The new round's empty assessment is shown beside the agency's earlier rounds.
    window.agencies.select_agency(rows[0].uuid)
    qtbot.waitUntil(lambda: window.view is not None and window.view.controller.agency().uuid == rows[0].uuid)
    qtbot.waitUntil(lambda: window.view.history.trend is not None, timeout=60_000)
    assert window.view.history.trend.figures[-1].percent is None


def test_the_new_round_dialog_comes_back_with_the_reason_of_a_refusal(window, qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from workbench.model.rounds import list_rounds

    data = json.loads(default_framework_path().read_text(encoding="utf-8"))
    data["indicators"][0]["points"] = 31
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    actions, shown = window.round_actions, []

    def drive():  # the user: choose the bad file and accept; then read the reason and cancel
        dialog = actions.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, drive)
            return
        if not dialog.error.isVisible():
            dialog.framework.setText(str(bad))
            dialog.accept()
            QTimer.singleShot(20, drive)
        else:
            shown.append(dialog.error.text())
            dialog.reject()

    QTimer.singleShot(0, drive)
    actions.new_round()
    qtbot.waitUntil(lambda: bool(shown) and actions.dialog is None, timeout=60_000)
    assert "کلید «1»" in shown[0] and "bad.json" in shown[0]
    assert [r.year for r in list_rounds(window.session)] == [1401, 1402, 1403]
