"""The window on a laptop's screen, and reopening where it was left (issue 12).

At 1366×768 and 1280×720 the whole window fits (its minimum size, the status
bar inside), the evidence list shows four rows and the file just added; the
size, the splits, the agency and the measure come back at the next start.
"""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication

from workbench.demo.build import build_demo
from workbench.ui.app import setup_application
from workbench.ui.assessment import measure_panes, view
from workbench.ui.main_window import MainWindow
from workbench.ui.window_place import FIRST_SIZE, fitted

pytestmark = pytest.mark.gui

SCREENS = [(1366, 768), (1280, 720)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("place") / "demo.sqlite", agencies=12)


@pytest.fixture
def make(qtbot, demo_db, tmp_path, monkeypatch):
    setup_application(QApplication.instance())
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_db, path)
    # What the run remembers starts empty, as in a new process.
    monkeypatch.setattr(view._Remembered, "tree_width", None)
    monkeypatch.setattr(measure_panes._Remembered, "work_split", {})
    made = []

    def window(screen: QRect) -> MainWindow:
        w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(w)
        w.open_database(path)
        w.show_fitted(screen)
        if w.isMaximized():  # offscreen, maximizing fills the plugin's own screen: the one asked for
            w.showNormal()
            w.setGeometry(screen)
        qtbot.waitUntil(lambda: all(r.scored for r in w.agencies.model.rows()), timeout=10000)
        made.append(w)
        return w

    yield window
    for w in made:
        w.close()


def test_a_first_start_fits_the_screen_and_a_saved_place_is_brought_inside_it():
    assert fitted(QRect(0, 0, 1366, 728), None) is None  # maximized: 1280×800 does not fit
    assert fitted(QRect(0, 0, 1280, 680), None) is None
    big = fitted(QRect(0, 0, 1920, 1040), None)
    assert big.size() == FIRST_SIZE and QRect(0, 0, 1920, 1040).contains(big)
    # Left on a big monitor, opened on the laptop: inside the laptop's screen, title bar too.
    back = fitted(QRect(0, 0, 1366, 728), QRect(500, 300, 1800, 1000))
    assert QRect(0, 0, 1366, 728).contains(back) and back.height() <= 728 - 48
    same = fitted(QRect(0, 0, 1920, 1040), QRect(100, 80, 1200, 700))
    assert same == QRect(100, 80, 1200, 700)


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_on_a_laptop_screen_nothing_is_below_the_edge(make, qtbot, width, height):
    # The screen less a task bar: what a maximized window gets.
    w = make(QRect(0, 0, width, height - 40))
    row = next(r for r in w.agencies.model.rows() if r.status == "draft" and r.percent)
    w.agencies.select_agency(row.uuid)
    for key in ("4.2", "1.1", "5.1"):
        w.view.select_measure(key)
        qtbot.wait(60)
        hint = w.minimumSizeHint()
        assert hint.width() <= width and hint.height() <= height - 40 - 30, key  # 30: a title bar
        bar = w.statusBar().geometry()
        assert bar.bottom() < w.height() and bar.height() > 10, key  # where «saved» is said
        evidence = w.view.measure_page.evidence.view
        rows = evidence.viewport().height() // evidence.verticalHeader().defaultSectionSize()
        assert evidence.isVisible() and rows >= (4 if key == "4.2" else 2), (key, rows)


def test_the_file_just_added_is_on_screen_and_selected(make, qtbot, tmp_path):
    w = make(QRect(0, 0, 1366, 728))
    row = next(r for r in w.agencies.model.rows() if r.status == "draft" and r.percent)
    w.agencies.select_agency(row.uuid)
    w.view.select_measure("4.2")
    panel = w.view.measure_page.evidence
    for i in range(8):
        panel.kind.setCurrentIndex(panel.kind.findData("text"))
        panel.input.setText(f"یادداشت {i + 1}")
        panel.add_typed()
    last = panel.model.rowCount() - 1
    assert panel.model.evidence(last)["text"] == "یادداشت ۸" or "8" in panel.model.evidence(last)["text"]
    assert panel._selected_row() == last
    shown = panel.view.visualRect(panel.model.index(last, 1))
    assert panel.view.viewport().rect().contains(shown)


def test_the_window_reopens_where_it_was_left(make, qtbot):
    w = make(QRect(0, 0, 1920, 1040))
    assert w.geometry().size() == FIRST_SIZE
    rows = [r for r in w.agencies.model.rows() if r.status == "draft"]
    w.agencies.select_agency(rows[-1].uuid)
    w.view.select_measure("4.3")
    w.splitter.setSizes([420, w.splitter.width() - 420])
    w.view.splitter.setSizes([300, w.view.splitter.width() - 300])
    w.view._remember_tree()
    w.setGeometry(QRect(60, 40, 1300, 760))
    qtbot.wait(30)
    split = list(w.splitter.sizes())
    w.close()

    again = make(QRect(0, 0, 1920, 1040))
    assert again.geometry() == QRect(60, 40, 1300, 760)
    assert again.resume()
    assert again.view.controller.agency().uuid == rows[-1].uuid
    assert again.view.current_measure() == "4.3"
    qtbot.wait(60)
    assert again.splitter.sizes() == split
    assert again.view.splitter.sizes()[0] == 300


def test_with_nothing_open_the_list_reads_names_whole(make, qtbot):
    from workbench.ui.agencies.pane import COL_NAME

    w = make(QRect(0, 0, 1366, 728))
    qtbot.wait(60)
    assert w.view is None and w.agencies.width() >= 0.45 * w.width()
    table = w.agencies.table
    longest = max((r.name for r in w.agencies.model.rows()), key=table.fontMetrics().horizontalAdvance)
    assert table.horizontalHeader().sectionSize(COL_NAME) >= table.fontMetrics().horizontalAdvance(longest)
    w.agencies.select_agency(w.agencies.model.rows()[0].uuid)
    qtbot.wait(60)
    assert w.agencies.width() <= 360  # beside an assessment: the assessment gets the width
