"""The supervisor assigns from the agency list: who holds what is shown, a filter's agencies go to one evaluator."""
from __future__ import annotations

import pytest
from exchange_fixture import master_copy
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from window_fixture import open_main_window

from workbench.exchange.package import open_package
from workbench.ui.agencies.model import COL_HOLDER, COL_NAME, NOBODY
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

EVALUATOR = "مریم احمدی"


def _window(qtbot, tmp_path, path) -> MainWindow:
    return open_main_window(qtbot, tmp_path, path)


def _holders(window) -> dict[str, str]:
    pane = window.agencies
    out = {}
    for r in range(pane.model.rowCount()):
        out[pane.model.row_data(r).code] = pane.model.index(r, COL_HOLDER).data()
    return out


def test_assigning_every_agency_a_filter_lists(qtbot, tmp_path, tmp_path_factory):
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    window = _window(qtbot, tmp_path, master)
    actions = window.supervisor_actions
    pane = window.agencies
    # A new master holds nothing yet: the user makes it a supervisor's database from the File menu.
    assert not actions.menu.menuAction().isVisible() and actions.make_master_action.isVisible()
    assert pane.table.horizontalHeader().isSectionHidden(COL_HOLDER)
    assert actions.make_master(ask=False)
    assert actions.menu.menuAction().isVisible() and not actions.make_master_action.isVisible()
    assert not pane.table.horizontalHeader().isSectionHidden(COL_HOLDER) and pane.holder_filter.isVisible()
    assert set(_holders(window).values()) == {NOBODY}

    # The filter: provincial directorates nobody holds yet — three of the four.
    pane.level_filter.setCurrentIndex(pane.level_filter.findData("provincial"))
    pane.holder_filter.setCurrentIndex(pane.holder_filter.findData(""))
    assert pane.listed_codes() == ["1200-13", "1200-20", "1200-30"]
    target = tmp_path / "maryam.wba"
    actions.assigning.ask_path = lambda suggested: str(target)
    dialog = actions.assign()
    assert dialog.listed_button.isChecked() and dialog.codes() == ["1200-13", "1200-20", "1200-30"]
    dialog.evaluator.setCurrentText(EVALUATOR)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: actions.assigning.task is None, timeout=60000)

    # The file, read back as the evaluator's window reads it: signed, for these three, to her.
    with open_package(target, "assignment") as pkg:
        assert pkg.manifest["evaluator"] == EVALUATOR
        assert sorted(pkg.manifest["agencies"]) == ["1200-13", "1200-20", "1200-30"]
        assert {row["a"] for row in pkg.lines("records.jsonl")} <= {"1200-13", "1200-20", "1200-30"}
    # The list now says who holds them and since when; nobody holds the national one.
    holders = _holders(window)
    assert holders["1200"] == NOBODY
    for code in ("1200-13", "1200-20", "1200-30"):
        assert holders[code].startswith(f"{EVALUATOR} (۱۴")
    assert pane.listed_codes() == []  # «واگذارنشده» lists none of them any more
    pane.holder_filter.setCurrentIndex(pane.holder_filter.findData(EVALUATOR))
    assert pane.listed_codes() == ["1200-13", "1200-20", "1200-30"]

    # Several chosen by hand: the national one and one directorate, to a second evaluator.
    pane.holder_filter.setCurrentIndex(0)
    pane.level_filter.setCurrentIndex(0)
    for row, modifier in ((0, Qt.KeyboardModifier.NoModifier), (1, Qt.KeyboardModifier.ControlModifier)):
        rect = pane.table.visualRect(pane.proxy.index(row, COL_NAME))
        qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert pane.selected_codes() == ["1200", "1200-13"]
    second = tmp_path / "reza.wba"
    actions.assigning.ask_path = lambda suggested: str(second)
    dialog = actions.assign()
    assert dialog.chosen_button.isChecked() and dialog.codes() == ["1200", "1200-13"]
    assert dialog.evaluator.findText(EVALUATOR) >= 0  # evaluators already handed work are offered
    dialog.evaluator.setCurrentText("رضا کریمی")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: actions.assigning.task is None, timeout=60000)
    with open_package(second, "assignment") as pkg:
        assert sorted(pkg.manifest["agencies"]) == ["1200", "1200-13"]
    assert "رضا کریمی" in _holders(window)["1200-13"] and EVALUATOR in _holders(window)["1200-13"]
    window.close()


def test_an_evaluator_name_is_asked_for(qtbot, tmp_path, tmp_path_factory):
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    window = _window(qtbot, tmp_path, master)
    window.supervisor_actions.make_master(ask=False)
    asked = []
    window.supervisor_actions.assigning.ask_path = lambda suggested: asked.append(suggested) or ""
    dialog = window.supervisor_actions.assign()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.message.text() == "نام ارزیاب را بنویسید." and not asked
    window.close()
