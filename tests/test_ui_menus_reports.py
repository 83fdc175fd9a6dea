"""The Reports menu, driven through the real window (offscreen) on a demo database.

File and folder choices are the file dialogs of ``ui.shared.file_dialogs``, replaced by
ones that answer with a path under ``tmp_path``; everything else is real: the
report runs on its worker thread in its own session, behind its progress
dialog, and the files it writes are opened with openpyxl and pypdf.
"""
from __future__ import annotations

import shutil
import threading

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from workbench.model.problems import path_text
from workbench.model.schema import Agency, Assessment, ReformAction, ReformRow
from workbench.model.text import persian_digits
from workbench.ui.shared import file_dialogs

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    from workbench.demo.build import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite", agencies=12)


@pytest.fixture
def db_path(demo_master, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_master, path)
    return path


@pytest.fixture
def opened_urls(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    return urls


def _agency_with_tables(window):
    """An agency of the round with rows in tables 4 and 5: (uuid, code, rows4, rows5)."""
    s = window.session
    for row in sorted(window.agencies.model.rows(), key=lambda r: r.code):
        n4 = s.scalar(select(func.count()).select_from(ReformRow).where(ReformRow.agency_uuid == row.uuid))
        n5 = s.scalar(select(func.count()).select_from(ReformAction).where(ReformAction.agency_uuid == row.uuid))
        if n4 and n5:
            return row.uuid, row.code, n4, n5
    raise AssertionError("the demo has no agency with tables 4 and 5")


def _finish(qtbot, run, outcome: str = "done"):
    if run.is_running():
        with qtbot.waitSignal(run.ended, timeout=60000):
            pass
    assert run.outcome == outcome, run.box.text() if run.box else run.outcome
    assert not run.worker.isRunning()
    return run.box


def _accept(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _blocking_step(monkeypatch, module, at: int):
    """Make ``module.step`` wait, at its first cancellable step from ``at`` on, until the user
    has pressed «لغو»; then it goes on as usual (and so stops the report)."""
    original = module.step
    reached = threading.Event()

    def step(progress, cancelled, done, total, what):
        if cancelled is not None and done >= at and not reached.is_set():
            reached.set()
            for _ in range(600):
                if cancelled():
                    break
                threading.Event().wait(0.05)
        return original(progress, cancelled, done, total, what)

    monkeypatch.setattr(module, "step", step)
    return reached


# ---------------------------------------------------------------------------- menu state


def test_reports_menu_entries_and_why_they_are_disabled(window, qtbot):
    actions = window.report_actions
    menu = window.reports_menu
    assert menu.menuAction().isVisible() and menu.toolTipsVisible()
    assert [a.text() for a in menu.actions() if not a.isSeparator()][:2] == [
        "جدول‌های ۴ و ۵ (Excel)… (&T)", "رتبه‌بندی و نمودارها… (&R)"]
    assert actions.summary_menu.menuAction() in menu.actions()
    assert actions.preview_action.shortcut().toString() == "Ctrl+P"
    # whole-round reports need only the database; one summary needs an open assessment
    assert actions.ranking_action.isEnabled() and actions.all_summaries_action.isEnabled()
    assert not actions.preview_action.isEnabled()
    assert "برگزینید" in actions.preview_action.toolTip()
    window.agencies.select_agency(window.agencies.model.rows()[0].uuid)
    assert actions.preview_action.isEnabled() and actions.pdf_action.isEnabled()
    window.close_database()
    assert not actions.ranking_action.isEnabled()
    assert "پایگاه داده" in actions.ranking_action.toolTip()


# ---------------------------------------------------------------------------- tables 4 and 5


def test_tables45_of_the_selected_agency(window, qtbot, monkeypatch, tmp_path, opened_urls):
    uuid, code, n4, n5 = _agency_with_tables(window)
    window.agencies.select_agency(uuid, open_it=False)
    out = tmp_path / "خروجی" / "جدول"
    out.parent.mkdir()
    monkeypatch.setattr(file_dialogs, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.report_actions.tables45_action.trigger()
    dialog = window.report_actions.dialog
    assert dialog.one.isChecked() and dialog.one.isEnabled() and code in dialog.file.path()
    qtbot.mouseClick(dialog.file.button, Qt.MouseButton.LeftButton)
    assert dialog.file.path() == str(out)
    _accept(qtbot, dialog)
    box = _finish(qtbot, window.report_actions.last_run)
    written = out.with_name("جدول.xlsx")  # the suffix is added
    assert str(written) in box.text()
    book = load_workbook(written)
    assert book.sheetnames == ["جدول ۴", "جدول ۵"]
    ws4, ws5 = book["جدول ۴"], book["جدول ۵"]
    assert ws4.sheet_view.rightToLeft
    # rows under the header: the header row is the one that starts with «ردیف»
    header4 = next(r for r in range(1, 20) if ws4.cell(r, 1).value == "ردیف")
    header5 = next(r for r in range(1, 20) if ws5.cell(r, 1).value == "ردیف")
    assert ws4.max_row - header4 == n4 and ws5.max_row - header5 == n5
    # «باز کردن پوشه» opens the folder the file is in
    opener = next(b for b in box.buttons() if b.text() == "باز کردن پوشه")
    opener.click()
    assert opened_urls == [str(written.parent)]


def test_not_applicable_report_of_the_round(window, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "na"
    monkeypatch.setattr(file_dialogs, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.report_actions.na_action.trigger()
    box = _finish(qtbot, window.report_actions.last_run)
    written = out.with_name("na.xlsx")
    assert str(written) in box.text() and "خلاف قاعده" in box.text()
    book = load_workbook(written)
    assert book.sheetnames == ["عدم مصداق‌ها", "تفاهم‌ها", "ناهمخوانی با شناسنامه"]
    ws = book["عدم مصداق‌ها"]
    assert ws.sheet_view.rightToLeft
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "کد دستگاه")
    from workbench.model.na_check import round_na_rows
    from workbench.model.schema import Round

    rows = round_na_rows(window.session, window.session.get(Round, window.round_uuid))
    assert ws.max_row - header == len(rows) > 0


def test_tables45_of_the_whole_round_has_agency_columns(window, qtbot, monkeypatch, tmp_path):
    window.report_actions.tables45_action.trigger()
    dialog = window.report_actions.dialog
    assert not dialog.one.isEnabled() and dialog.all.isChecked()  # no agency selected
    dialog.file.edit.setText(str(tmp_path / "round.xlsx"))
    _accept(qtbot, dialog)
    _finish(qtbot, window.report_actions.last_run)
    book = load_workbook(tmp_path / "round.xlsx")
    ws = book["جدول ۴"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "کد دستگاه")
    total = window.session.scalar(select(func.count()).select_from(ReformRow))
    assert ws.max_row - header == total


def test_a_bad_output_path_is_said_in_the_dialog(window, qtbot, tmp_path):
    window.report_actions.tables45_action.trigger()
    dialog = window.report_actions.dialog
    dialog.file.edit.setText(str(tmp_path / "no-such-folder" / "x.xlsx"))
    _accept(qtbot, dialog)
    assert dialog.isVisible() and "وجود ندارد" in dialog.error.text()
    assert window.report_actions.last_run is None
    dialog.reject()


# ---------------------------------------------------------------------------- ranking


def test_ranking_by_province_writes_the_workbook_and_charts(window, qtbot, monkeypatch, tmp_path, opened_urls):
    out = tmp_path / "ranking-out"
    monkeypatch.setattr(file_dialogs, "getExistingDirectory", lambda *a, **k: str(out))
    window.report_actions.ranking_action.trigger()
    dialog = window.report_actions.dialog
    qtbot.mouseClick(dialog.folder.button, Qt.MouseButton.LeftButton)
    dialog.grouping.setCurrentIndex(dialog.grouping.findData("province"))
    assert not dialog.svg_box.isChecked()  # SVG only when asked: it doubled the drawing time
    dialog.svg_box.setChecked(True)
    _accept(qtbot, dialog)
    box = _finish(qtbot, window.report_actions.last_run)
    book = load_workbook(out / "ranking.xlsx")
    assert "میانگین شاخص‌ها" in book.sheetnames and "ارزیابی‌های نهایی‌نشده" in book.sheetnames
    provinces = set(window.session.scalars(
        select(Agency.province).join(Assessment, Assessment.agency_uuid == Agency.uuid)
        .where(Assessment.round_uuid == window.round_uuid)
    ))
    assert len(provinces) >= 2
    assert len(book.sheetnames) == len(provinces) + 3  # a sheet per province, averages, not final, assumptions
    first = book[book.sheetnames[0]]
    assert [first.cell(r, 1).value for r in range(1, 15)].count("رتبه") == 1
    pngs, svgs = sorted((out / "charts").glob("*.png")), sorted((out / "charts").glob("*.svg"))
    assert pngs and len(pngs) == len(svgs)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert "<svg" in svgs[0].read_text(encoding="utf-8")[:2000]
    assert str(out) in box.text()
    next(b for b in box.buttons() if b.text() == "باز کردن پوشه").click()
    assert opened_urls == [str(out)]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no work folder left


def test_cancelling_the_ranking_mid_way_leaves_no_output(window, qtbot, monkeypatch, tmp_path):
    import workbench.reports.ranking as ranking

    reached = _blocking_step(monkeypatch, ranking, at=1)  # once charts are drawn, before the workbook
    out = tmp_path / "cancelled"
    window.report_actions.ranking_action.trigger()
    dialog = window.report_actions.dialog
    dialog.folder.edit.setText(str(out))
    dialog.grouping.setCurrentIndex(dialog.grouping.findData("province"))
    _accept(qtbot, dialog)
    run = window.report_actions.last_run
    qtbot.waitUntil(reached.is_set, timeout=30000)
    assert run.is_running() and not window.report_actions.ranking_action.isEnabled()  # one report at a time
    qtbot.mouseClick(run.dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert run.dialog.isVisible() and "لغو" in run.dialog.labelText()  # stays up while stopping
    box = _finish(qtbot, run, "cancelled")
    assert "فایلی نوشته نشد" in box.text()
    assert not out.exists()  # not even the folder the report would have made
    assert window.report_actions.ranking_action.isEnabled()


def test_closing_the_database_mid_report_stops_it_first(window, qtbot, monkeypatch, tmp_path):
    import workbench.reports.ranking as ranking

    reached = _blocking_step(monkeypatch, ranking, at=1)
    out = tmp_path / "closed"
    window.report_actions._run_ranking("province", out)
    run = window.report_actions.last_run
    qtbot.waitUntil(reached.is_set, timeout=30000)
    window.close_database()  # cancels the run and waits for its worker before the store closes
    assert run.outcome == "stopped" and not run.worker.isRunning()
    assert window.store is None and not out.exists()
    qtbot.wait(50)  # the worker's queued «cancelled» arrives: no message for a stopped run
    assert run.box is None


def test_a_ranking_with_nothing_to_rank_says_why(window, qtbot, tmp_path):
    window.open_database(tmp_path / "empty.sqlite", create=True)  # a round with no agencies
    window.report_actions.ranking_action.trigger()
    dialog = window.report_actions.dialog
    dialog.folder.edit.setText(str(tmp_path / "r"))
    _accept(qtbot, dialog)
    box = _finish(qtbot, window.report_actions.last_run, "failed")
    assert box.icon() == QMessageBox.Icon.Warning and "ارزیابی‌ای برای رتبه‌بندی" in box.text()
    assert not box.detailedText()


def test_an_unexpected_error_is_said_in_persian_and_logged(window, qtbot, monkeypatch, tmp_path):
    import workbench.reports.tables45 as tables45

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    from workbench.ui.shared.errors import log_path, setup_logging

    setup_logging()  # as run_gui does
    monkeypatch.setattr(tables45, "export_tables45_counted", broken)
    window.report_actions.tables45_action.trigger()
    dialog = window.report_actions.dialog
    dialog.file.edit.setText(str(tmp_path / "t.xlsx"))
    _accept(qtbot, dialog)
    box = _finish(qtbot, window.report_actions.last_run, "failed")
    assert box.icon() == QMessageBox.Icon.Critical and "پیش‌بینی‌نشده" in box.text()
    # No traceback on screen: it is in the log file the message names.
    assert "disk on fire" not in box.text() and not box.detailedText()
    assert str(log_path()) in box.text()
    assert "RuntimeError: disk on fire" in log_path().read_text(encoding="utf-8")
    assert not (tmp_path / "t.xlsx").exists()


# ---------------------------------------------------------------------------- summaries


def _open_final(window):
    row = next(r for r in window.agencies.model.rows() if r.status == "final")
    window.agencies.select_agency(row.uuid)
    assert window.view is not None
    return row


def test_summary_preview_print_and_pdf_of_the_open_assessment(window, qtbot, monkeypatch, tmp_path):
    row = _open_final(window)
    # Ctrl+P: the preview, window-modal, with the summary's pages laid out
    window.report_actions.preview_action.trigger()
    preview = window.report_actions.dialog
    assert preview.isVisible() and preview.layoutDirection() == Qt.LayoutDirection.RightToLeft
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() >= 1, timeout=20000)
    preview.close()

    # Print: the print dialog is answered with a PDF printer, so the printed pages can be read
    printed = tmp_path / "printed.pdf"

    def accept(dialog):
        dialog.printer().setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert window.report_actions.print_summary()
    assert len(PdfReader(printed).pages) >= 1

    # Save as PDF
    target = tmp_path / "summary"
    monkeypatch.setattr(file_dialogs, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.report_actions.pdf_action.trigger()
    pdf = tmp_path / "summary.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    assert str(pdf) in window.statusBar().currentMessage()
    assert reader.metadata.title.endswith(row.name)


def test_all_summaries_write_one_pdf_per_assessment(window, qtbot, monkeypatch, tmp_path, opened_urls):
    out = tmp_path / "summaries"
    out.mkdir()
    (out / "keep.txt").write_text("not ours")
    monkeypatch.setattr(file_dialogs, "getExistingDirectory", lambda *a, **k: str(out))
    window.report_actions.all_summaries_action.trigger()
    box = _finish(qtbot, window.report_actions.last_run)
    codes = set(window.session.scalars(
        select(Agency.code).join(Assessment, Assessment.agency_uuid == Agency.uuid)
        .where(Assessment.round_uuid == window.round_uuid)
    ))
    pdfs = sorted(out.glob("*.pdf"))
    assert {p.stem for p in pdfs} == codes
    assert all(len(PdfReader(p).pages) >= 1 for p in pdfs)
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".pdf") == ["keep.txt"]  # no work folder
    assert f"{persian_digits(len(codes))} خلاصهٔ ارزیابی (PDF) در «{path_text(out)}»" in box.text()
    next(b for b in box.buttons() if b.text() == "باز کردن پوشه").click()
    assert opened_urls == [str(out)]


def test_cancelling_all_summaries_mid_way_leaves_no_output(window, qtbot, monkeypatch, tmp_path):
    import workbench.reports.summary as summary

    original = summary.write_source_pdf
    reached = threading.Event()
    state = {"run": None}

    def slow(src, path, printed_on=None):
        pages = original(src, path, printed_on)
        reached.set()  # one file is written (in the work folder); wait for «لغو»
        for _ in range(600):
            if state["run"] is not None and state["run"]._stop.is_set():
                break
            threading.Event().wait(0.05)
        return pages

    monkeypatch.setattr(summary, "write_source_pdf", slow)
    out = tmp_path / "summaries"
    out.mkdir()
    monkeypatch.setattr(file_dialogs, "getExistingDirectory", lambda *a, **k: str(out))
    window.report_actions.all_summaries_action.trigger()
    run = state["run"] = window.report_actions.last_run
    qtbot.waitUntil(reached.is_set, timeout=30000)
    qtbot.mouseClick(run.dialog.cancel_button, Qt.MouseButton.LeftButton)
    box = _finish(qtbot, run, "cancelled")
    assert "فایلی نوشته نشد" in box.text()
    assert list(out.iterdir()) == []


def test_a_pdf_that_fails_unexpectedly_is_a_persian_message(window, monkeypatch):
    import workbench.ui.reports.summary_print as summary_print

    def broken(*_args, **_kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(summary_print, "export_summary_pdf", broken)
    _open_final(window)
    assert window.report_actions.save_pdf() is None
    box = window.report_actions.last_error
    assert box is not None and box.isVisible()
    assert "پیش‌بینی‌نشده" in box.text() and "workbench.log" in box.text()
    assert "printer on fire" not in box.text() and not box.detailedText()
    box.close()
