"""The window's layout at the screen sizes evaluators have, on the demo database.

At 1280×800 and 1366×768 with the agency list shown, the measure page is too
narrow for the guide beside the inputs: the guide is a tab, and nothing is
squeezed below a readable width.  From 1600×900 on, everything stands side
by side.  Checked on a checklist measure (4.2), the services measure (1.1)
and indicator 5 (its first measure, tables 4 and 5).
"""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from workbench.demo.build import build_demo
from workbench.ui.agencies.pane import COL_CODE, COL_LEVEL, COL_NAME, COL_PROVINCE, NAME_MIN_WIDTH
from workbench.ui.app import setup_application
from workbench.ui.assessment.evidence_panel import INPUT_MIN_WIDTH
from workbench.ui.assessment.measure_guide import GUIDE_MIN_WIDTH, SIDE_BY_SIDE_WIDTH, WORK_MIN_WIDTH
from workbench.ui.assessment.score_tree import COL_TITLE
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

SIZES = [(1280, 800), (1366, 768), (1600, 900), (1920, 1080)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("layout") / "demo.sqlite", agencies=12)


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    setup_application(QApplication.instance())
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_db, path)  # each test its own copy: opening one may create a draft

    made = []

    def make(width: int, height: int) -> MainWindow:
        win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.open_database(path)
        win.show()
        win.resize(width, height)
        qtbot.waitUntil(lambda: all(r.scored for r in win.agencies.model.rows()), timeout=10000)
        # A draft under way, as in the README's screenshot.
        row = next(r for r in win.agencies.model.rows() if r.status == "draft" and r.percent)
        win.agencies.select_agency(row.uuid)
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


def settle(qtbot):
    qtbot.wait(60)  # layouts and deferred sizing run from the event loop


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_assessment_gets_the_width_and_nothing_is_squeezed(window, qtbot, width, height):
    win = window(width, height)
    view = win.view
    settle(qtbot)
    # The agency list starts narrow; the assessment beside it has most of the width.
    assert win.agencies.isVisible()
    assert win.agencies.width() <= 360
    assert view.width() >= 0.68 * width
    name = win.agencies.table.horizontalHeader().sectionSize(COL_NAME)
    assert name >= NAME_MIN_WIDTH
    index = win.agencies.proxy.index(0, COL_NAME)
    assert index.data() in index.data(Qt.ItemDataRole.ToolTipRole)  # the whole name on hovering

    page = view.measure_page
    for key in ("4.2", "1.1", "5"):
        view.select_measure(key)
        settle(qtbot)
        wide = page.width() >= SIDE_BY_SIDE_WIDTH
        if width >= 1600:
            assert wide, f"{key}: at {width}×{height} the guide stands beside the inputs"
        assert page.guide_is_tab() is not wide
        if wide:
            assert page.guide.isVisible() and page.guide.width() >= GUIDE_MIN_WIDTH
        else:
            assert page.page_tabs.isVisible() and not page.guide.isVisible()
        assert page.work.width() >= WORK_MIN_WIDTH
        assert page.evidence.input.width() >= INPUT_MIN_WIDTH, key
        if key == "1.1":
            search = page.services_panel.search
            assert search.width() >= search.minimumWidth()
            # What each service comes to in this stage is on screen without scrolling sideways.
            table = page.services_panel.view
            from workbench.ui.assessment.services_table import column

            left = table.columnViewportPosition(column("result"))
            assert 0 <= left and left + table.columnWidth(column("result")) <= table.viewport().width()
        if key == "5":
            assert page.reform_panel.isVisible() and page.reform_panel.view4.height() > 60


def test_narrow_agency_list_hides_what_the_name_already_says(window, qtbot):
    win = window(1280, 800)
    settle(qtbot)
    header = win.agencies.table.horizontalHeader()
    assert header.isSectionHidden(COL_LEVEL) and header.isSectionHidden(COL_PROVINCE)
    assert not header.isSectionHidden(COL_CODE)
    tip = win.agencies.proxy.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "ملی" in tip or "استانی" in tip  # what the hidden columns would say
    # Widened by the user: the columns come back.
    win.splitter.setSizes([700, win.width() - 700])
    qtbot.waitUntil(lambda: not header.isSectionHidden(COL_PROVINCE) and not header.isSectionHidden(COL_LEVEL))
    assert header.sectionSize(COL_NAME) >= NAME_MIN_WIDTH


def test_tree_titles_wrap_instead_of_being_cut(window, qtbot):
    win = window(1280, 800)
    settle(qtbot)
    tree = win.view.tree
    model = win.view.tree_model
    single = tree.visualRect(model.index_of("4.2")).height()  # «شفافیت تارنما»: one line
    long_title = model.index_of("8.3")  # 65 letters: several lines at this width
    metrics = tree.fontMetrics()
    assert metrics.horizontalAdvance(long_title.data()) > tree.columnWidth(COL_TITLE)
    assert tree.textElideMode() == Qt.TextElideMode.ElideNone
    narrow = tree.visualRect(long_title).height()
    assert narrow >= 2 * single - 4
    # A wider tree, fewer lines: the heights follow the column's width.
    win.view.splitter.setSizes([480, win.view.width() - 480])
    qtbot.waitUntil(lambda: 0 < tree.visualRect(long_title).height() < narrow)
