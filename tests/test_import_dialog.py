"""The import dialog, driven offscreen: check in the background, preview, refuse with cells, import."""
from __future__ import annotations

import pytest
from import_books import AGENCY_CODE, agency_rows, dump, seed, services_rows, write_book
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from workbench.model.schema import Agency, Round, Service
from workbench.ui.importing.dialog import ImportDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp):
    from workbench.ui.app import setup_application

    setup_application(qapp)
    return qapp


@pytest.fixture
def ids(store, framework):
    seed(store, framework)
    with store.session() as s:
        return s.scalar(select(Round.uuid)), s.scalar(select(Agency.uuid).where(Agency.code == AGENCY_CODE))


def _dialog(qtbot, source, ids):
    dialog = ImportDialog(source, *ids)
    qtbot.addWidget(dialog)
    return dialog


def _check(qtbot, dialog, path) -> dict:
    with qtbot.waitSignal(dialog.checked, timeout=20000) as blocker:
        dialog.check_file(path)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    return blocker.args[0]


def test_a_good_file_is_previewed_then_imported(app, qtbot, store, ids, tmp_path):
    dialog = _dialog(qtbot, store, ids)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert not dialog.import_button.isEnabled()  # nothing chosen yet
    before = dump(store.path)
    result = _check(qtbot, dialog, write_book(tmp_path / "good.xlsx"))
    assert result["errors"] == [] and result["summary"]["added"]["services"] == 3
    assert dump(store.path) == before  # checking writes nothing
    assert dialog.import_button.isEnabled()
    assert dialog.summary_model.count("services", "added") == 3
    assert dialog.summary_model.count("table4", "total") == 2
    assert dialog.summary_model.index(0, 1).data() == "۳"
    assert dialog.findings_model.rowCount() == 0

    with qtbot.waitSignal(dialog.imported, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0]["services"] == 3 and blocker.args[0]["dry_run"] is False
    qtbot.waitUntil(lambda: not dialog.is_busy())
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Service).where(Service.service_id.like("121095%"))) == 3
    assert not dialog.import_button.isEnabled()  # imported once; choose the file again to re-import
    dialog.reject()
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_refusals_are_listed_with_sheet_and_cell_and_import_stays_disabled(app, qtbot, store, ids, tmp_path):
    rows = services_rows(3)
    rows[1][0] = "123"
    rows[2][3] = "G2X"
    path = write_book(tmp_path / "bad.xlsx", services=rows, agency=agency_rows("2002"))
    dialog = _dialog(qtbot, store, ids)
    before = dump(store.path)
    result = _check(qtbot, dialog, path)
    assert result["summary"] is None
    model = dialog.findings_model
    shown = [(model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data()) for r in range(model.rowCount())]
    assert shown[:3] == [("خطا", "دستگاه", "B1"), ("خطا", "خدمات", "A3"), ("خطا", "خدمات", "D4")]
    assert "۹ رقم" in model.index(1, 3).data()
    dialog.resize(640, 520)  # narrow enough that the first message needs two lines
    dialog.show()
    view = dialog.findings_view
    # The long message of the first refusal wraps onto a second line instead of being cut off.
    qtbot.waitUntil(lambda: view.rowHeight(0) > view.rowHeight(1) * 1.5, timeout=3000)
    assert not dialog.import_button.isEnabled()
    dialog.start_import()  # even if called directly, a refused file is not imported
    assert not dialog.is_busy()
    assert dump(store.path) == before
    assert "خطا" in dialog.status.text()


def test_a_file_that_is_not_a_workbook(app, qtbot, store, ids, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    dialog = _dialog(qtbot, store, ids)
    result = _check(qtbot, dialog, path)
    assert len(result["errors"]) == 1 and "xlsx" in result["errors"][0]["message"]
    assert dialog.findings_model.index(0, 1).data() == "—"
    assert not dialog.import_button.isEnabled()


def test_warnings_do_not_block_and_a_session_factory_works_too(app, qtbot, store, ids, tmp_path):
    path = write_book(tmp_path / "warn.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["خدمات"]["J1"] = "ملاحظات"
    book.save(path)
    dialog = _dialog(qtbot, store.new_session, ids)
    result = _check(qtbot, dialog, path)
    assert [(w["sheet"], w["cell"]) for w in result["warnings"]] == [("خدمات", "J1")]
    assert dialog.findings_model.index(0, 0).data() == "هشدار"
    assert dialog.import_button.isEnabled()


def test_the_check_can_be_stopped(app, qtbot, store, ids, tmp_path):
    path = write_book(tmp_path / "big.xlsx", services=services_rows(3000))
    dialog = _dialog(qtbot, store, ids)
    dialog.check_file(path)
    assert dialog.is_busy() and dialog.stop_button.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert dialog.status.text() == "بررسی متوقف شد."
    assert not dialog.import_button.isEnabled()


def test_a_newer_file_replaces_the_check_in_progress(app, qtbot, store, ids, tmp_path):
    big = write_book(tmp_path / "big.xlsx", services=services_rows(2000))
    small = write_book(tmp_path / "small.xlsx")
    dialog = _dialog(qtbot, store, ids)
    dialog.check_file(big)
    result = _check(qtbot, dialog, small)
    assert result["summary"]["services"] == 3  # the answer about the big file was ignored
    assert dialog.path_edit.text().endswith("small.xlsx")


def test_choose_a_file_and_save_this_agencys_template(app, qtbot, store, ids, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from workbench.imports.layout import META_SHEET
    from workbench.ui.shared import file_dialogs

    target = tmp_path / "قالب"
    monkeypatch.setattr(file_dialogs, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = _dialog(qtbot, store, ids)
    qtbot.mouseClick(dialog.template_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "قالب.xlsx"
    meta = {r[0].value: r[1].value for r in load_workbook(saved)[META_SHEET].iter_rows(max_col=2)}
    assert meta["کد دستگاه"] == AGENCY_CODE
    assert "ذخیره شد" in dialog.status.text()

    good = write_book(tmp_path / "good.xlsx")
    monkeypatch.setattr(file_dialogs, "getOpenFileName", lambda *a, **k: (str(good), ""))
    with qtbot.waitSignal(dialog.checked, timeout=20000):
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert dialog.path_edit.text() == str(good) and dialog.import_button.isEnabled()
