"""The evaluator's window, driven for real (offscreen): issue 3's end-to-end checks.

The hand-made database of ``workbench_fixture`` has no answers, so every score
asserted here follows from the steps of the test; the expected figures are
worked out by hand in the comments.
"""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, PROVINCIAL_CODE, build_fixture

from workbench.model.assessments import find_agency, find_round, score_assessment
from workbench.model.schema import Answer, Assessment, AuditEntry, ServiceJudgement
from workbench.model.store import open_store
from workbench.ui.app import setup_application
from workbench.ui.assessment.services_table import column
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def db_path(tmp_path):
    return build_fixture(tmp_path / "fixture.sqlite")


@pytest.fixture
def open_window(qtbot, tmp_path):
    setup_application(QApplication.instance())
    windows = []

    def make(path) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.open_database(path)
        window.show()
        qtbot.waitUntil(lambda: all(r.scored for r in window.agencies.model.rows()), timeout=10000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def _agency_uuid(window: MainWindow, code: str) -> str:
    return next(r.uuid for r in window.agencies.model.rows() if r.code == code)


def _open(window: MainWindow, code: str):
    window.agencies.select_agency(_agency_uuid(window, code))
    assert window.view is not None
    return window.view


def _editor(view, item_key: str):
    return next(e for e in view.measure_page._editors if e.item.key == item_key)


def _judge(view, service_id: str, **fields) -> None:
    model = view.measure_page.services_panel.model
    row = next(i for i, r in enumerate(model.rows()) if r.service_id == service_id)
    for name, value in fields.items():
        state = Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        assert model.setData(model.index(row, column(name)), state, Qt.ItemDataRole.CheckStateRole)


def _row_text(window: MainWindow, code: str, col: int) -> str:
    model = window.agencies.model
    return model.index(model.row_of(_agency_uuid(window, code)), col).data()


def test_evaluate_close_reopen_and_undo(open_window, db_path, tmp_path, qtbot):
    window = open_window(db_path)
    view = _open(window, PROVINCIAL_CODE)  # no assessment yet: a draft is made
    page = view.measure_page
    assert view.status_label.text().startswith("وضعیت: پیش‌نویس")
    assert "هنوز امتیازی ثبت نشده" in view.band_label.text()

    # Header: evaluator and visit date, through the controller like every edit.
    view.evaluator_edit.setText("زهرا كريمي")  # Arabic ك/ي are stored in their Persian forms
    view.evaluator_edit.editingFinished.emit()
    from workbench.ui.shared.jalali_date import jalali_qdate

    view.visit_date_edit.setDate(jalali_qdate(1403, 7, 16))
    view.visit_date_edit.editingFinished.emit()

    # Measure 4.4 (five checks of 1): tick two, English not applicable with a reason (the guide's
    # one condition in indicator 4), two left.
    view.select_measure("4.4")
    assert page.measure_key() == "4.4"
    _editor(view, "4.4.1").box.click()
    _editor(view, "4.4.2").box.click()
    na = _editor(view, "4.4.3").na
    na.check.click()
    assert na.pending()  # no reason yet: nothing stored
    na.reason.setText("اداره استانی مخاطب خارجی ندارد")  # QTest types ASCII only
    qtbot.keyClick(na.reason, Qt.Key.Key_Return)
    # URL and file evidence for the measure.
    page.evidence.kind.setCurrentIndex(page.evidence.kind.findData("url"))
    page.evidence.input.setText("https://isfahan.mimt.gov.ir/services")
    assert page.evidence.add_typed()
    proof = tmp_path / "گواهی.pdf"
    proof.write_bytes(b"%PDF-1.4 proof of the site's search page")
    assert page.evidence.add_files([str(proof)]) == 1
    # 4.4: 1 + 1 earned of 5 - 1 (not applicable) = 4
    tree = view.tree_model
    assert tree.index_of("4.4", 1).data() == "۲ از ۴"

    # Indicator 1 (services, request stage): 3 planned; two achieved with all four capabilities.
    view.select_measure("1.1")
    every = dict.fromkeys(("request_portal", "request_online", "request_receipt", "request_tracking"), True)
    _judge(view, "121095000", **every)
    _judge(view, "121095100", **every)
    # 30 × 2/3 = 20; one planned service is still not judged.
    assert tree.index_of("1.1", 1).data() == "۲۰ از ۳۰"
    # Indicator 2 (delivery): 2 planned, one achieved → 30 × 1/2 = 15.
    view.select_measure("2.1")
    _judge(view, "121095000", delivery=True)
    assert tree.index_of("2.1", 1).data() == "۱۵ از ۳۰"

    # Total: 2 + 20 + 15 = 37 of 270 - 1 - 7 = 262 → 14.12% (band E, «بسیار ضعیف»); 7 is 9.1, not
    # applicable for every provincial unit by the framework's (assumed) rule.
    assert "<b>۳۷</b> از ۲۶۲ (۱۴٫۱۲٪)" in view.total_label.text()
    assert "بسیار ضعیف" in view.band_label.text()
    assert _row_text(window, PROVINCIAL_CODE, 5) == "۱۴٫۱۲٪"
    assert view.tree_model.mark("4.4") == "incomplete"  # 4.4.4 unanswered

    # Undo the last edit (the delivery judgement): back to 22; redo: 37 again.
    window.undo_action.trigger()
    assert "<b>۲۲</b> از ۲۶۲" in view.total_label.text()
    assert tree.index_of("2.1", 1).data() == "— از ۳۰"  # not judged: nothing scored, not 0
    window.redo_action.trigger()
    assert "<b>۳۷</b> از ۲۶۲" in view.total_label.text()
    # The keys too: Ctrl+Z, then Ctrl+Y (Windows) as well as Ctrl+Shift+Z.
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "<b>۲۲</b> از ۲۶۲" in view.total_label.text()
    qtbot.keyClick(view.tree, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "<b>۳۷</b> از ۲۶۲" in view.total_label.text()
    # Undo reaches the database too, not only the screen.
    window.undo_action.trigger()
    window.close()

    store = open_store(db_path)
    with store.session() as s:
        agency = find_agency(s, PROVINCIAL_CODE)
        a = s.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))
        assert score_assessment(s, a).total.earned == pytest.approx(22)
        j = s.scalar(select(ServiceJudgement).where(ServiceJudgement.service_id == "121095000",
                                                    ServiceJudgement.assessment_uuid == a.uuid))
        assert j.delivery is None
    store.close()

    # Reopen the database: everything as it was left.
    window = open_window(db_path)
    assert _row_text(window, PROVINCIAL_CODE, 4) == "پیش‌نویس"
    assert _row_text(window, PROVINCIAL_CODE, 5) == "۸٫۴٪"  # 22 / 262
    view = _open(window, PROVINCIAL_CODE)
    assert view.evaluator_edit.text() == "زهرا کریمی"
    assert view.visit_date_edit.text() == "۱۴۰۳/۰۷/۱۶"
    view.select_measure("4.4")
    page = view.measure_page
    assert _editor(view, "4.4.1").box.value() is True
    assert _editor(view, "4.4.2").box.value() is True
    assert _editor(view, "4.4.4").box.value() is None
    assert _editor(view, "4.4.3").na.check.isChecked()
    assert _editor(view, "4.4.3").na.reason.text() == "اداره استانی مخاطب خارجی ندارد"
    kinds = sorted(page.evidence.model.evidence(i)["kind"] for i in range(page.evidence.model.rowCount()))
    assert kinds == ["file", "url"]
    assert view.tree_model.index_of("1.1", 1).data() == "۲۰ از ۳۰"
    # a reopened window starts with an empty undo history for the assessment
    assert not window.undo_action.isEnabled()




def test_mark_complete_lists_gaps_and_jumps_to_each(open_window, db_path, qtbot):
    window = open_window(db_path)
    view = _open(window, NATIONAL_CODE)
    assert not window.mark_complete()
    assert view.controller.assessment().status == "draft"  # refused: nothing changed
    dialog = window.gaps_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.keys() == [g.key for g in view.gaps()] and "4.1" in dialog.keys()
    # Enter on a gap selects its measure in the tree; the measure page follows.
    row = dialog.keys().index("7.1")
    dialog.list.setCurrentRow(row)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert view.current_measure() == "7.1" and view.measure_page.measure_key() == "7.1"
    # Answering a gap takes it off the open dialog at once.
    view.select_measure("10.1")
    _editor(view, "10.1.1").buttons[True].click()
    assert "10.1.1" not in dialog.keys()
    assert view.tree_model.mark("10.1") == "complete" and view.tree_model.mark("10") == "complete"


def test_finalized_assessment_refuses_edits_and_reopen_is_audited(open_window, db_path, monkeypatch):
    from workbench_fixture import answer_everything

    from workbench.model.assessments import round_framework

    store = open_store(db_path)
    with store.session() as s:
        a = s.scalar(select(Assessment).where(Assessment.agency_uuid == find_agency(s, NATIONAL_CODE).uuid))
        answer_everything(s, a, round_framework(s, find_round(s)))
    store.close()

    window = open_window(db_path)
    view = _open(window, NATIONAL_CODE)
    assert not view.gaps()
    assert not window.finalize_action.isEnabled()
    view.evaluator_edit.setText("نسرین رحیمی")
    view.evaluator_edit.editingFinished.emit()
    assert window.undo_action.isEnabled()
    assert window.mark_complete()
    assert view.status_label.text().startswith("وضعیت: تکمیل‌شده")
    assert _row_text(window, NATIONAL_CODE, 4) == "تکمیل‌شده"
    monkeypatch.setattr(window, "ask_yes_no", lambda *_: True)
    assert window.finalize()
    controller = view.controller
    assert controller.read_only() and _row_text(window, NATIONAL_CODE, 4) == "نهایی"
    assert window.reopen_action.isEnabled() and not window.complete_action.isEnabled()

    # Every way in is closed: the inputs, the header, and the controller itself.
    view.select_measure("4.1")
    box = _editor(view, "4.1.1").box
    assert not box.isEnabled()
    box.click()
    assert view.evaluator_edit.isReadOnly()
    from workbench.model.editing import Edit

    refused = []
    controller.refused.connect(refused.append)
    assert not controller.apply(Edit("answer", controller.assessment().uuid, "4.1.1", {"value": False}), "x")
    assert refused and "نهایی" in refused[0]
    assert not window.undo_action.isEnabled()  # undoing is editing too
    session = controller.session()
    assert session.scalar(select(Answer.value).where(Answer.key == "4.1.1",
                                                      Answer.assessment_uuid == controller.assessment().uuid))

    # Reopening needs a reason (an empty one asks again, saying why) and is written to the audit trail.
    answers, asked = ["   ", None], []
    monkeypatch.setattr(window, "ask_text", lambda _title, label: asked.append(label) or answers.pop(0))
    assert not window.reopen()
    assert controller.read_only() and len(asked) == 2 and "بدون دلیل" in asked[1]
    answers, asked = ["", "گواهی امنیتی منقضی بود"], []
    assert window.reopen()
    assert len(asked) == 2
    assert not controller.read_only() and box.isEnabled()
    assert view.status_label.text() == "وضعیت: پیش‌نویس"  # a draft again, not complete
    assert window.undo_action.isEnabled()  # the session's history is back
    window.undo_action.trigger()
    assert view.evaluator_edit.text() == "مریم احمدی"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "reopen",
                                                     AuditEntry.row_uuid == controller.assessment().uuid))
    assert json.loads(entry.changes) == {"reason": "گواهی امنیتی منقضی بود"}


def test_search_and_filters_match_normalised_text(open_window, db_path):
    window = open_window(db_path)
    pane = window.agencies
    shown = lambda: sorted(pane.proxy.index(i, 0).data() for i in range(pane.proxy.rowCount()))  # noqa: E731
    assert len(shown()) == 3
    pane.search.setText("املاك كشور")  # Arabic kaf; the stored name has one Arabic kaf too
    assert shown() == ["۲۰۰۲"]
    pane.search.setText("ثبت اسناد و املاک کشور")
    assert shown() == ["۲۰۰۲"]
    pane.search.setText("۱۰۰۱-۰۷")  # Persian digits find an ASCII code
    assert shown() == ["۱۰۰۱-۰۷"]
    pane.search.setText("")
    pane.level_filter.setCurrentIndex(pane.level_filter.findData("provincial"))
    assert shown() == ["۱۰۰۱-۰۷"]
    pane.level_filter.setCurrentIndex(0)
    pane.province_filter.setCurrentIndex(pane.province_filter.findData("اصفهان"))
    assert shown() == ["۱۰۰۱-۰۷"]
    pane.province_filter.setCurrentIndex(0)
    pane.status_filter.setCurrentIndex(pane.status_filter.findData("draft"))
    assert shown() == ["۱۰۰۱"]
    pane.status_filter.setCurrentIndex(pane.status_filter.findData(""))  # not started
    assert shown() == ["۱۰۰۱-۰۷", "۲۰۰۲"]
    assert pane.count_label.text() == "۲ از ۳ دستگاه"


def test_keyboard_reaches_search_list_and_measures(open_window, db_path, qtbot):
    window = open_window(db_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.agencies.search.hasFocus()
    qtbot.keyClicks(window.agencies.search, "2002")
    qtbot.keyClick(window.agencies.search, Qt.Key.Key_Return)  # opens the first match
    assert window.view is not None and window.view.controller.agency().code == "2002"
    assert window.view.current_measure() == "1.1"
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.view.current_measure() == "2.1"
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.view.current_measure() == "1.1"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.view.tree.hasFocus()
    qtbot.keyClick(window.view.tree, Qt.Key.Key_Down)
    assert window.view.current_measure() == "2.1"  # the indicator row below shows its first measure
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.agencies.table.hasFocus()
    # Tab reads the form from the right: list, evaluator, visit date (empty: no trap), tree.
    view = window.view
    for expected in (view.evaluator_edit, view.visit_date_edit, view.tree):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    qtbot.keyClick(view.tree, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.visit_date_edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.evaluator_edit.hasFocus()


def test_demo_database_lists_every_agency_with_its_score(open_window, tmp_path):
    from workbench.demo.build import build_demo
    from workbench.model.assessments import score_round
    from workbench.model.text import format_percent

    path = build_demo(tmp_path / "demo.sqlite", agencies=12, seed=7)
    with open_store(path).session() as s:
        expected = {sa.agency.code: format_percent(sa.card.percent) for sa in score_round(s, find_round(s))}
    window = open_window(path)
    model = window.agencies.model
    assert model.rowCount() == 12
    assert {r.code: model.index(i, 5).data() for i, r in enumerate(model.rows())} == expected


def test_unusable_file_gives_a_persian_message_and_another_choice(open_window, db_path, tmp_path, qtbot):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database at all")
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    messages = []

    def choose_another(message):
        messages.append(message)
        return (db_path, False)

    window.ask_after_open_error = choose_another
    assert window.open_database_interactive(bad)
    assert "SQLite" in messages[0] and window.store.path == db_path
    assert bad.read_text() == "not a database at all"  # untouched
    window.ask_after_open_error = lambda message: None  # the user gives up
    assert not window.open_database_interactive(tmp_path / "missing.sqlite")
    assert window.store.path == db_path  # the open database stays open
    assert str(db_path.resolve()) in window.recent_paths()
    window.close()


def test_new_database_never_overwrites(open_window, db_path, tmp_path, monkeypatch):
    window = open_window(db_path)
    warned = []
    monkeypatch.setattr(window, "warn", warned.append)
    size = db_path.stat().st_size
    monkeypatch.setattr(window, "ask_new_path", lambda: str(db_path))
    window.new_database_dialog()
    assert warned and db_path.stat().st_size == size and window.store.path == db_path
    fresh = tmp_path / "تازه"
    monkeypatch.setattr(window, "ask_new_path", lambda: str(fresh))
    window.new_database_dialog()
    assert window.store.path == fresh.with_suffix(".sqlite")
    assert window.windowTitle().endswith("دورهٔ ۱۴۰۳")
    assert window.agencies.model.rowCount() == 0


def test_run_gui_first_start_creates_the_users_database(qtbot, monkeypatch):
    from PySide6.QtCore import QTimer

    from workbench.paths import default_database_path
    from workbench.ui import app as app_module

    assert not default_database_path().exists()
    asked = []
    monkeypatch.setattr(MainWindow, "ask_evaluator_name",
                        lambda self, current, first: asked.append(first) or "مریم احمدی")
    QTimer.singleShot(300, lambda: [w.close() for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)])
    assert app_module.run_gui(None) == 0
    store = open_store(default_database_path(), create=False)
    with store.session() as s:
        assert find_round(s).year == 1403
    store.close()
    assert asked == [True]  # the evaluator's name is asked at first start

    # A --db that cannot be opened, and the user declines to choose another: exit 2, no traceback.
    monkeypatch.setattr(MainWindow, "ask_after_open_error", lambda self, message: None)
    assert app_module.run_gui(str(default_database_path().with_name("absent.sqlite"))) == 2


def test_whole_indicator_not_applicable_from_its_tree_row(open_window, db_path):
    window = open_window(db_path)
    view = _open(window, "2002")
    view.select_measure("6")  # the indicator's row: its first measure and the indicator's box
    page = view.measure_page
    box = page._indicator_na
    assert box.check.isVisible()
    box.check.click()
    box.reason.setText("فناوری‌های نوین در برنامهٔ عملیاتی دستگاه نیامده است")
    box.reason.editingFinished.emit()
    assert view.tree_model.mark("6") == "na" and view.tree_model.mark("6.1") == "na"
    assert view.tree_model.index_of("6", 1).data() == "—"
    assert "از ۲۵۰ " in view.total_label.text()  # 270 - 20
    assert "6" not in [g.key for g in view.gaps()] and "6.1.1" not in [g.key for g in view.gaps()]


def test_indicator_10_is_never_not_applicable_for_a_national_agency(open_window, db_path):
    """«برای هیچ دستگاه در سطح ملی عدم مصداق وجود ندارد» — the box is not offered, and says why."""
    window = open_window(db_path)
    view = _open(window, "2002")
    view.select_measure("10")
    box = view.measure_page._indicator_na
    assert box.check.isVisible() and not box.check.isEnabled()
    assert "فقط برای واحد استانی" in box.check.toolTip()


def test_closing_keeps_the_field_being_typed(open_window, db_path, qtbot):
    window = open_window(db_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = _open(window, "2002")
    view.evaluator_edit.setFocus()
    qtbot.keyClicks(view.evaluator_edit, "Sara Karimi")  # typed, never left: no editingFinished yet
    assert view.controller.assessment().evaluator == ""
    window.close()

    window = open_window(db_path)
    view = _open(window, "2002")
    assert view.evaluator_edit.text() == "Sara Karimi"
    # switching agencies commits too
    view.evaluator_edit.setFocus()
    qtbot.keyClicks(view.evaluator_edit, " R")
    _open(window, NATIONAL_CODE)
    view = _open(window, "2002")
    assert view.evaluator_edit.text() == "Sara Karimi R"


def _damaged_copies(db_path, tmp_path):
    """A database damaged past the pages the store reads when opening, and one of a newer schema."""
    import os
    import shutil
    import sqlite3

    store = open_store(db_path)  # everything in the main file: no -wal beside the copies
    store.close()
    copies = {}
    for name in ("damaged", "newer"):
        copy = tmp_path / f"{name}.sqlite"
        shutil.copy(db_path, copy)
        copies[name] = copy
    size = copies["damaged"].stat().st_size
    with open(copies["damaged"], "r+b") as fh:
        fh.seek(size // 2)
        fh.write(os.urandom(min(32768, size // 4)))
    with sqlite3.connect(copies["newer"]) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffff9999'")
    conn.close()
    return copies


def test_a_damaged_or_newer_database_is_refused_and_the_open_one_stays(open_window, db_path, tmp_path,
                                                                      monkeypatch):
    copies = _damaged_copies(db_path, tmp_path)
    window = open_window(db_path)
    view = _open(window, NATIONAL_CODE)
    messages = []
    monkeypatch.setattr(window, "ask_after_open_error", lambda message: messages.append(message))
    for name, words in (("damaged", "آسیب دیده"), ("newer", "نسخهٔ تازه‌تری")):
        monkeypatch.setattr(window, "ask_open_path", lambda c=copies[name]: str(c))
        window.open_action.trigger()  # File ▸ Open
        assert words in messages[-1], messages[-1]
        assert "Error" not in messages[-1] and "Traceback" not in messages[-1]
        # The database that was open stays open, and its assessment on screen.
        assert window.store.path == db_path and window.view is view
        assert view.controller.assessment().agency_uuid == _agency_uuid(window, NATIONAL_CODE)
    assert len(messages) == 2


def test_an_unexpected_error_is_a_persian_message_and_the_details_go_to_the_log(open_window, db_path):
    import sys

    from workbench.ui.shared.errors import ErrorReporter, log_path, setup_logging

    window = open_window(db_path)
    view = _open(window, NATIONAL_CODE)
    setup_logging()
    reporter = ErrorReporter(lambda: window, window.recover_after_error)
    session = window.session
    session.add(Answer(assessment_uuid=view.controller.assessment().uuid, key="4.1.1", value=True))
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError:
        reporter.handle(*sys.exc_info())
    box = reporter.box
    assert box is not None and box.isVisible()
    assert "پیش‌بینی‌نشده" in box.text() and str(log_path()) in box.text()
    assert "Traceback" not in box.text() and "disk on fire" not in box.text() and not box.detailedText()
    assert "RuntimeError: disk on fire" in log_path().read_text(encoding="utf-8")
    assert not session.new  # rolled back: the next edit starts clean
    box.close()


def test_the_agency_list_shows_how_far_the_round_is_scored(open_window, db_path, monkeypatch, qtbot):
    from workbench.ui.agencies.pane import AgenciesPane

    seen = []
    original = AgenciesPane.scoring_progress
    monkeypatch.setattr(AgenciesPane, "scoring_progress",
                        lambda self, done, total: (seen.append((done, total)), original(self, done, total)))
    window = open_window(db_path)  # waits until every score is in
    bar = window.agencies.scoring_bar
    assert seen[0] == (0, 1) and seen[-1] == (1, 1)  # one assessment in the fixture so far
    assert not bar.isVisible()
    window.refresh_agencies()  # rescoring (after an import) shows it again
    assert bar.isVisible()
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert bar.format() == "۱ از ۱" and window.agencies.scoring_label.text() == "امتیازها:"
    assert not window.agencies.scoring_label.isVisible()
    assert all(r.scored for r in window.agencies.model.rows())


def test_mnemonics_of_the_header_reach_their_fields_and_clash_with_no_menu(open_window, db_path, qtbot):
    import re

    from PySide6.QtWidgets import QLabel

    window = open_window(db_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = _open(window, NATIONAL_CODE)
    menus = {re.search(r"&(\w)", a.text()).group(1).upper() for a in window.menuBar().actions() if "&" in a.text()}
    labels = [w for w in view.findChildren(QLabel) if w.buddy() is not None and "&" in w.text()]
    letters = [re.search(r"&(\w)", w.text()).group(1).upper() for w in labels]
    assert len(set(letters)) == len(letters) and not set(letters) & menus, (letters, menus)
    for label, letter in zip(labels, letters):
        view.tree.setFocus()
        qtbot.keyClick(view.tree, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is label.buddy(), letter
        assert QApplication.activePopupWidget() is None  # no menu opened instead


def test_recent_databases_are_listed_as_readable_paths(open_window, db_path, tmp_path):
    import shutil

    persian = tmp_path / "ارزیابی‌ها" / "قم.sqlite"
    persian.parent.mkdir()
    shutil.copy(db_path, persian)
    window = open_window(db_path)
    window.open_database(persian)
    window.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.recent_menu.actions()]
    # Each path isolated left to right (LRI … PDI) after its number, newest first.
    assert texts == [f"&1 \u2066{persian.resolve()}\u2069", f"&2 \u2066{db_path.resolve()}\u2069"]
    assert window.path_label.text() == f"\u2066{persian}\u2069"
    window.recent_menu.actions()[1].trigger()
    assert window.store.path == db_path.resolve() or window.store.path == db_path


def test_a_new_assessments_visit_date_is_typed_and_saved(open_window, db_path, qtbot):
    from ui_page_fixture import type_text

    from workbench.model.jalali import to_gregorian

    window = open_window(db_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = _open(window, "2002")  # a new draft: no visit date yet
    assert view.controller.assessment().visit_date is None
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert view.visit_date_edit.hasFocus()
    type_text(view.visit_date_edit, "۱۴۰۳۰۷۱۶")
    qtbot.keyClick(view.visit_date_edit, Qt.Key.Key_Tab)  # the day was the last section: Tab leaves
    assert not view.visit_date_edit.hasFocus()
    assert view.controller.assessment().visit_date == to_gregorian(1403, 7, 16)
    window.undo_action.trigger()
    assert view.controller.assessment().visit_date is None and view.visit_date_edit.text() == "تعیین‌نشده"


def test_file_system_errors_are_named_in_persian():
    import errno

    from workbench.model.problems import os_problem

    assert os_problem(PermissionError(errno.EACCES, "Permission denied")) == "اجازهٔ دسترسی نیست"
    assert os_problem(OSError(errno.ENOSPC, "No space left on device")) == "روی دیسک جای کافی نیست"
    assert os_problem(OSError("anything else")) == "خواندن یا نوشتن فایل ممکن نشد"


def test_opening_an_agency_listed_as_not_started_opens_that_one_only(open_window, db_path, qtbot):
    """Opening it makes no draft (browsing stores nothing); its first edit does, and it stays listed
    while open: no cascade through the filtered list."""
    window = open_window(db_path)
    pane = window.agencies
    pane.status_filter.setCurrentIndex(pane.status_filter.findData(""))  # «شروع‌نشده»
    shown = lambda: [pane.proxy.index(i, 0).data() for i in range(pane.proxy.rowCount())]  # noqa: E731
    assert shown() == ["۱۰۰۱-۰۷", "۲۰۰۲"]
    first = pane.proxy.index(0, 1)
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=pane.table.visualRect(first).center())
    qtbot.waitUntil(lambda: window.view is not None)
    qtbot.wait(3 * 180)  # longer than the list's open delay: nothing else opens
    assert window.view.controller.agency().code == PROVINCIAL_CODE
    assert _row_text(window, PROVINCIAL_CODE, 4) == "شروع‌نشده"  # only looked at
    with open_store(db_path).session() as s:
        assert len(s.scalars(select(Assessment)).all()) == 1  # the ministry's only
    window.view.evaluator_edit.setText("رضا کریمی")
    window.view.evaluator_edit.editingFinished.emit()  # the first edit stores it
    assert shown() == ["۱۰۰۱-۰۷", "۲۰۰۲"]  # listed while open, now as a draft
    assert _row_text(window, PROVINCIAL_CODE, 4) == "پیش‌نویس" and _row_text(window, "2002", 4) == "شروع‌نشده"
    pane.search.setText("ثبت اسناد")  # the search still means what it says
    qtbot.wait(3 * 180)
    assert shown() == ["۲۰۰۲"] and window.view.controller.agency().code == PROVINCIAL_CODE
    pane.search.clear()
    # Opening another lets the first go from the list; the one opened is the one chosen.
    window.agencies.select_agency(_agency_uuid(window, "2002"))
    qtbot.wait(3 * 180)
    assert window.view.controller.agency().code == "2002"
    assert shown() == ["۲۰۰۲"]
    with open_store(db_path).session() as s:
        # the ministry's, and the one edited; 2002 was only looked at
        assert len(s.scalars(select(Assessment)).all()) == 2


def test_typing_a_search_opens_nothing_until_enter(open_window, db_path, qtbot):
    """A search that no longer lists the open agency used to open (and make a draft of) a neighbour."""
    window = open_window(db_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    _open(window, NATIONAL_CODE)
    pane = window.agencies
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_into = pane.search
    from ui_page_fixture import type_text

    type_text(type_into, "ثبت")  # the ministry is no longer listed; 2002 is
    qtbot.wait(3 * 180)
    assert window.view.controller.agency().code == NATIONAL_CODE
    assert not pane.table.currentIndex().isValid()  # no row stands for an agency that is not open
    with open_store(db_path).session() as s:
        assert len(s.scalars(select(Assessment)).all()) == 1  # no draft made behind the evaluator's back
    qtbot.keyClick(type_into, Qt.Key.Key_Return)  # Enter opens the first match
    assert window.view.controller.agency().code == "2002"
    pane.search.clear()  # the open agency listed again: it is the current row
    assert pane.current_agency() == _agency_uuid(window, "2002")


def test_a_whole_visit_date_typed_over_the_old_one_is_saved_or_refused(open_window, db_path, qtbot):
    """Ctrl+A then a date: the typed year counts; a day that does not exist is refused and said."""
    from ui_page_fixture import type_text

    from workbench.model.jalali import to_gregorian

    window = open_window(db_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = _open(window, "2002")
    edit = view.visit_date_edit
    edit.setFocus()
    type_text(edit, "۱۴۰۳۰۱۱۵")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert view.controller.assessment().visit_date == to_gregorian(1403, 1, 15)
    for typed, stored in (("1402/05/05", to_gregorian(1402, 5, 5)), ("1403/07/31", to_gregorian(1402, 5, 5))):
        edit.setFocus()
        qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(edit, typed[0])
        type_text(QApplication.focusWidget(), typed[1:])
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert view.controller.assessment().visit_date == stored
    assert "۳۰ روز" in window.statusBar().currentMessage()


def test_scores_being_ready_never_overwrite_what_an_action_just_said(open_window, db_path):
    """A received assignment's «… دریافت شد» stays on the status bar when the background scoring ends
    right after it (it was replaced by «امتیاز دستگاه‌ها به‌روز شد» now and then under load)."""
    window = open_window(db_path)
    scores = {r.uuid: (r.status, r.percent) for r in window.agencies.model.rows()}
    window.statusBar().showMessage("دو دستگاه دریافت شد.", 15000)
    window._scores_ready(window._generation, scores)
    assert window.statusBar().currentMessage() == "دو دستگاه دریافت شد."
    window.statusBar().clearMessage()
    window._scores_ready(window._generation, scores)
    assert window.statusBar().currentMessage() == "امتیاز دستگاه‌ها به‌روز شد."
