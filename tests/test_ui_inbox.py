"""The supervisor's inbox: packages checked and previewed, taken in as one step, undone from the menu.

The preview is the merge run and rolled back, so its counts are the merge's (compared with the
merge the dialog then makes and with a command-line merge of a copy); a refused package is said
in Persian; 100 packages report their progress one by one and a cancel leaves the master's dump
as it was.
"""
from __future__ import annotations

import shutil
import sqlite3
import time

import pytest
from exchange_fixture import codes, do_export, do_merge, evaluator_db, master_copy, set_answer, snapshot
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from window_fixture import open_main_window

from workbench.exchange import inbox
from workbench.model.framework import load_default_framework
from workbench.model.text import persian_digits
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

A, B = "رضا کریمی", "مریم احمدی"


def _window(qtbot, tmp_path, path) -> MainWindow:
    return open_main_window(qtbot, tmp_path, path)


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def round_of_three(tmp_path, tmp_path_factory):
    """A master (made a supervisor's by its assignments), two evaluators' packages and a damaged third."""
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    first, second = codes(master)[:2]
    keys = [it.key for it in load_default_framework().items() if it.kind in ("check", "yesno")][:4]
    a = evaluator_db(tmp_path, master, A, [first, second])
    b = evaluator_db(tmp_path, master, B, [first])
    for key in keys:
        set_answer(a, first, key, actor=A, value=True, note=f"دیدم: {key}")
        set_answer(b, first, key, actor=B, value=False, note="در بازدید نبود")
    set_answer(a, second, keys[0], actor=A, value=True)
    do_export(a, tmp_path / "a.wbp")
    do_export(b, tmp_path / "b.wbp")
    damaged = tmp_path / "c.wbp"
    shutil.copyfile(tmp_path / "b.wbp", damaged)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    return master, [tmp_path / "a.wbp", tmp_path / "b.wbp", damaged], (first, second)


def _drop(window, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(600, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(600, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)


def _per_agency(result) -> dict:
    return {(o.evaluator, code): (c.added, c.updated, c.unchanged, c.conflicts)
            for o in result.packages for code, c in o.per_agency.items()}


def test_three_packages_dropped_one_refused_previewed_taken_in_and_undone(qtbot, tmp_path, round_of_three):
    master, packages, (first, second) = round_of_three
    reference = tmp_path / "reference.sqlite"
    shutil.copyfile(master, reference)
    window = _window(qtbot, tmp_path, master)
    actions = window.supervisor_actions
    assert actions.merging.inbox_action.isVisible() and actions.merging.undo_action.isVisible()
    before = snapshot(master)
    conflicts = actions.show_conflicts()  # left open while packages are taken in: it follows the merge
    assert conflicts.model.rowCount() == 0

    _drop(window, packages)
    dialog = actions.merging.inbox
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.result is not None, timeout=60000)
    assert [r for r in dialog.reports if r[0] == "check"] == [("check", n, 3) for n in (1, 2, 3)]
    table = dialog.packages
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}
    assert rows["a.wbp"][1] == A and rows["b.wbp"][1] == B
    assert rows["a.wbp"][5] == inbox.READY and rows["b.wbp"][5] == inbox.READY
    assert rows["a.wbp"][4] == "، ".join(sorted([first, second])).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert rows["a.wbp"][3].startswith("۱۴")  # the package's date, Jalali
    assert rows["c.wbp"][5] == "پذیرفته نشد" and rows["c.wbp"][6].startswith("امضای بسته با محتوای آن نمی‌خواند")
    assert snapshot(master) == before  # the preview wrote nothing

    preview = _per_agency(dialog.result)
    assert set(preview) == {(A, first), (A, second), (B, first)}
    assert preview[(A, first)][0] + preview[(A, first)][1] > 0 and preview[(B, first)][3] == 4
    assert dialog.preview.rowCount() == 3

    # The merge from the dialog: its counts are the preview's, and a command-line merge's.
    assert dialog.merge_button.isEnabled()
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: dialog.merged_result is not None, timeout=60000)
    assert _per_agency(dialog.merged_result) == preview
    command = do_merge(reference, packages)
    assert _per_agency(command) == preview
    assert [o.status for o in dialog.merged_result.packages] == ["merged", "merged", "refused"]
    assert actions.count_label.text() == "تعارض باز: ۴"
    assert conflicts.model.rowCount() == 4
    merged = snapshot(master)
    assert merged != before and merged == snapshot(reference)

    # Undo from the Edit menu: what it restores is shown first, then the master is as before.
    shown = []
    actions.merging.confirm = lambda text: shown.append(text) or True
    assert actions.merging.undo_action in window.edit_menu.actions()
    actions.merging.undo_action.trigger()
    qtbot.waitUntil(lambda: actions.merging.task is None and shown and actions.count_label.text() == "تعارض باز: ۰",
                    timeout=60000)
    assert "a.wbp" in shown[0] and "b.wbp" in shown[0] and "تعارض‌های باز این ادغام که برداشته می‌شوند: ۴" in shown[0]
    assert snapshot(master)["records"] == before["records"] and not snapshot(master)["conflicts"]
    assert conflicts.model.rowCount() == 0
    window.close()


def test_a_hundred_packages_progress_one_by_one_and_a_cancel_changes_nothing(qtbot, tmp_path, round_of_three,
                                                                            monkeypatch):
    master, packages, _agencies = round_of_three
    many = []
    for n in range(100):  # one evaluator's package, sent 100 times (a resend is «already merged»)
        copy = tmp_path / f"p{n:03d}.wbp"
        shutil.copyfile(packages[n % 2], copy)
        many.append(copy)
    window = _window(qtbot, tmp_path, master)
    merging = window.supervisor_actions.merging
    merging.ask_paths = lambda: [str(p) for p in many]
    dialog = merging.open_inbox()  # File ▸ «دریافت بسته‌ها…»
    assert dialog.busy()
    # The window takes input while the packages are checked on another thread.
    window.agencies.search.clear()
    qtbot.keyClicks(window.agencies.search, "1200-2")
    assert window.agencies.search.text() == "1200-2" and window.agencies.listed_codes() == ["1200-20"]
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=120000)
    assert [n for phase, n, _t in dialog.reports if phase == "check"] == list(range(1, 101))
    assert [n for phase, n, _t in dialog.reports if phase == "merge"] == list(range(1, 101))
    statuses = [o.status for o in dialog.result.packages]
    assert statuses.count("merged") == 2 and statuses.count("already merged") == 98

    # Taking them in, cancelled at the 30th package: the master's dump is what it was.
    before = _dump(master)
    real = inbox.take_in

    def held(session, paths, by, on_package, cancelled, waiting=None):
        def step(phase, n, total, outcome):
            on_package(phase, n, total, outcome)
            if phase == "merge" and n == 30:
                deadline = time.monotonic() + 60
                while not cancelled() and time.monotonic() < deadline:  # until the window's cancel arrives
                    time.sleep(0.01)
        return real(session, paths, by, step, cancelled, waiting)

    monkeypatch.setattr(inbox, "take_in", held)

    task = dialog.take_in()
    qtbot.waitUntil(lambda: ("merge", 30, 100) in dialog.reports, timeout=120000)  # the window sees the 30th
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: task.outcome != "", timeout=120000)
    assert task.outcome == "cancelled" and "لغو شد" in dialog.summary.text()
    assert max(n for phase, n, _t in dialog.reports if phase == "merge") <= 30
    assert _dump(master) == before

    # Again, to the end: every package reported, one batch.
    monkeypatch.setattr(inbox, "take_in", real)
    dialog.take_in()
    qtbot.waitUntil(lambda: dialog.merged_result is not None, timeout=120000)
    assert [n for phase, n, _t in dialog.reports if phase == "merge"] == list(range(1, 101))
    assert _dump(master) != before
    window.close()


def test_a_preview_waiting_for_another_supervisor_says_for_whom(qtbot, tmp_path, round_of_three, monkeypatch):
    """On a server another supervisor may be writing an agency the packages answer: the inbox says who while
    it waits (``test_store_concurrency`` holds a real lock; here the backend says it is held, once)."""
    from workbench.exchange import merge as merging
    from workbench.model.backends.sqlite import SqliteBackend

    master, packages, (first, _second) = round_of_three
    held = {"times": 0}
    real = SqliteBackend.try_lock_agency.__func__

    def held_once(cls, session, round_uuid, agency):
        if held["times"] == 0:
            held["times"] += 1
            return "سارا احمدی"
        return real(cls, session, round_uuid, agency)

    monkeypatch.setattr(SqliteBackend, "try_lock_agency", classmethod(held_once))
    monkeypatch.setattr(merging, "LOCK_POLL_SECONDS", 0)
    window = _window(qtbot, tmp_path, master)
    said = []
    _drop(window, packages[:1])
    dialog = window.supervisor_actions.merging.inbox
    dialog.progress_label.setText = lambda text, _set=dialog.progress_label.setText: said.append(text) or _set(text)
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.result is not None, timeout=60000)
    assert ("wait", 0, 0) in dialog.reports
    assert f"«سارا احمدی» هم‌اکنون دادهٔ دستگاه {persian_digits(first)} را می‌نویسد؛ منتظر پایان کار او…" in said
    assert [o.status for o in dialog.result.packages] == ["merged"]  # then the preview went on
    window.close()
