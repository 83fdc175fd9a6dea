"""No English a Persian evaluator must read: every visible string of the main window (each kind
of measure, each status, the guide's tab, the menus) and of the dialogs its menus open is walked
(``ui_strings``); a Latin word or a Latin digit fails, less keys, file names and extensions, URLs,
paths and the guide's own Latin names (GSB, USSD…).  Issue 12."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_strings import latin_in, latin_problems

from workbench.demo.build import build_demo
from workbench.ui.app import APP_NAME, setup_application
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

MEASURES = ("1.1", "2.1", "4.2", "5.1", "6.2", "7.1", "8.1", "9.1", "10.1", "11.1")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("latin") / "demo.sqlite", agencies=12)


@pytest.fixture
def window(qtbot, demo_db, tmp_path):
    setup_application(QApplication.instance())
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_db, path)
    w = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.open_database(path)
    w.show()
    w.resize(1366, 768)
    qtbot.waitUntil(lambda: all(r.scored for r in w.agencies.model.rows()), timeout=10000)
    yield w
    w.close()


def _fa(n: int) -> str:
    from workbench.model.text import persian_digits

    return persian_digits(n)


def _say(problems) -> str:
    return "\n".join(f"{where}: {text[:120]!r} → {latin}" for where, text, latin in problems)


def test_the_walker_finds_latin_and_lets_keys_files_and_urls_be():
    assert latin_in("Look in:") == ["Look", "in"]
    assert latin_in("صفحهٔ 3 از ۷") == ["3"]
    assert latin_in("۱۴۰۳/07/۳۰") == ["0", "7"]
    assert latin_in("(C) طبقه") == []  # one letter is not a word …
    assert latin_in("طبقه: ضعیف (Cc)") == ["Cc"]
    for fine in ("جست‌وجو (Ctrl+F)", "فایل ranking.xlsx", "https://example.ir/a1", "GSB و USSD",
                 "\u2066/home/arzyab/ارزیابی.sqlite\u2069", "خروجی PDF"):
        assert latin_in(fine) == [], fine
    assert latin_in("با Enter افزوده می‌شود") == ["Enter"]  # a key named in a sentence: say it in Persian


def test_the_main_window_shows_no_latin(window, qtbot):
    problems = []
    for status in ("draft", "complete", "final"):
        row = next(r for r in window.agencies.model.rows() if r.status == status)
        window.agencies.select_agency(row.uuid)
        for key in MEASURES:
            window.view.select_measure(key)
            qtbot.wait(5)
            page = window.view.measure_page
            tabs = page.page_tabs if page.page_tabs.isVisibleTo(window) else None
            for i in range(tabs.count() if tabs is not None else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(i)
                problems += [p for p in latin_problems(window) if p not in problems]
    assert not problems, _say(problems)


def test_the_window_title_names_the_program_once(window):
    # Qt appends the application's display name to every title that does not end with it.
    assert APP_NAME not in window.windowTitle()
    assert window.windowTitle().endswith("دورهٔ ۱۴۰۳")


def test_the_dialogs_show_no_latin(window, qtbot, monkeypatch):
    row = next(r for r in window.agencies.model.rows() if r.status == "draft")
    window.agencies.select_agency(row.uuid)
    problems = []

    def walk(dialog):
        qtbot.waitUntil(dialog.isVisible)
        qtbot.wait(20)
        problems.extend(latin_problems(dialog))
        dialog.close()

    from workbench.ui.evaluator_name import NameDialog

    name = NameDialog("", True, window)
    name.show()
    walk(name)
    walk(window.show_gaps())
    walk(window.import_actions.import_workbook())
    walk(window.report_actions.ranking())
    preview = window.report_actions.preview()
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtWidgets import QLabel

    qtbot.waitUntil(preview.isVisible)
    pages = preview.findChild(QPrintPreviewWidget)
    assert pages.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth  # not a small page at 38 %
    assert preview.height() >= 0.85 * window.screen().availableGeometry().height()
    number = preview.findChild(QLabel, "page_number")
    assert number.isVisibleTo(preview) and number.text().strip() == f"صفحهٔ ۱ از {_fa(pages.pageCount())}"
    pages.setCurrentPage(2)
    qtbot.waitUntil(lambda: number.text().strip().startswith("صفحهٔ ۲ از"))
    walk(preview)
    from workbench.ui.rounds.dialogs import NewRoundDialog, RoundsDialog
    from workbench.workspace.rounds import round_years, rounds

    for dialog in (NewRoundDialog(round_years(window.session), window), RoundsDialog(rounds(window.session), window)):
        dialog.show()
        walk(dialog)
    window.warn("آزمون")
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    walk(box)
    assert not problems, _say(problems)
