"""The evaluator's window takes in an assignment (File ▸ «دریافت فایل واگذاری…»), as `workbench receive` does."""
from __future__ import annotations

import pytest
from exchange_fixture import codes, do_assign
from PySide6.QtWidgets import QMessageBox
from window_fixture import open_main_window

from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _window(qtbot, tmp_path, path) -> MainWindow:
    return open_main_window(qtbot, tmp_path, path, create=True, size=None)


def test_an_assignment_received_from_the_file_menu_lists_its_agencies(qtbot, tmp_path, master, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    handed = codes(master)[:2]
    assignment = do_assign(master, "مریم احمدی", handed, tmp_path / "maryam.wba")
    laptop = tmp_path / "laptop.sqlite"
    window = _window(qtbot, tmp_path, laptop)
    assert window.agencies.model.rowCount() == 0  # a new evaluator's database: nothing handed out yet
    actions = window.assignment_actions
    assert actions.receive_action in window.file_menu.actions()
    task = actions.receive(str(assignment))
    qtbot.waitUntil(lambda: actions.task is None, timeout=60000)
    assert task is not None and not said, said
    assert sorted(r.code for r in window.agencies.model.rows()) == sorted(handed)
    assert "دریافت شد" in window.statusBar().currentMessage()
    # The same file again changes nothing, and says so.
    actions.receive(str(assignment))
    qtbot.waitUntil(lambda: actions.task is None, timeout=60000)
    assert "پیش‌تر دریافت" in window.statusBar().currentMessage()
    window.close()


def test_a_file_that_is_not_an_assignment_is_refused_in_persian(qtbot, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    window = _window(qtbot, tmp_path, tmp_path / "laptop.sqlite")
    wrong = tmp_path / "notes.wba"
    wrong.write_text("یادداشت", encoding="utf-8")
    window.assignment_actions.receive(str(wrong))
    qtbot.waitUntil(lambda: window.assignment_actions.task is None, timeout=60000)
    assert said and "notes.wba" in said[0] and "Traceback" not in said[0]
    assert window.agencies.model.rowCount() == 0 and window.workspace is not None
    window.close()
