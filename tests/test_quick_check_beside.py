"""The window's quick check beside the work (model/backends/sqlite_check.py, issue 16).

What is counted: whether the check ran before the store opened, how many writes waited for
it, what was refused, and that the file's bytes did not change.  The window's side (a damaged
file closed and said so in Persian, unchanged) is in the damaged-database matrix
(tests/test_damaged_databases.py, whose probe lets the check end).
"""
from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from workbench_fixture import build_fixture

from workbench.model.problems import DAMAGED, database_problem
from workbench.model.schema import Meta
from workbench.model.store import open_store


@pytest.fixture(scope="module")
def sound(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("beside") / "sound.sqlite")


def _copy(sound, tmp_path):
    path = tmp_path / "db.sqlite"
    shutil.copy(sound, path)
    return path


def _damaged_where_opening_does_not_read(sound, tmp_path, table: str = "audit_log"):
    """A copy whose audit trail's first page is zeroed: opening, listing and scoring never read it, so
    only the quick check finds the damage (a page chosen by position moves as the schema grows)."""
    path = _copy(sound, tmp_path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes(page_size))
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_sound_file_opens_before_its_check_and_a_write_waits_for_the_verdict(sound, tmp_path):
    path = _copy(sound, tmp_path)
    store = open_store(path, create=False, check_later=True)
    heard = []
    try:
        quick = store.backend.quick
        assert quick is not None and quick.problems is None  # opened without the check having run
        store.when_checked(heard.append)
        with store.session() as s:
            assert s.get(Meta, "device_id") is not None  # reads do not wait
            assert quick.waited == 0
            s.add(Meta(key="beside", value="1"))  # the first write starts the check and waits for it
        assert quick.waited >= 1 and quick.sound and heard == [[]]
        with store.session() as s:
            s.merge(Meta(key="beside", value="2"))  # passed: writes go on without asking
        assert quick.waited >= 1
    finally:
        store.close()
    with open_store(path, create=False).session() as s:
        assert s.get(Meta, "beside").value == "2"


def test_a_damaged_file_found_beside_the_work_refuses_every_write_and_is_left_as_it_was(sound, tmp_path):
    path = _damaged_where_opening_does_not_read(sound, tmp_path)
    before = _digest(path)
    store = open_store(path, create=False, check_later=True)
    heard = []
    store.when_checked(heard.append)
    try:
        store.start_check()
        assert store.backend.quick.wait(60)
        assert heard and heard[0]  # what SQLite found
        with pytest.raises(Exception) as refused:  # noqa: PT011 - SQLAlchemy's wrapper of SQLite's refusal
            with store.session() as s:
                s.add(Meta(key="never", value="written"))
        assert store.backend.quick.waited == 1
    finally:
        store.close()
    assert database_problem(refused.value) == DAMAGED  # said as damage, in Persian
    assert _digest(path) == before


def test_closing_before_the_check_started_tells_no_verdict_and_never_runs_it(sound, tmp_path):
    store = open_store(_copy(sound, tmp_path), create=False, check_later=True)
    heard = []
    store.when_checked(heard.append)
    store.close()
    assert heard == [None]
    assert store.backend.quick.problems is None


def test_the_commands_and_a_file_not_in_wal_mode_are_checked_as_they_open(sound, tmp_path):
    path = _copy(sound, tmp_path)
    store = open_store(path, create=False)  # a command: the check before anything
    assert store.backend.quick is None
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    store = open_store(path, create=False, check_later=True)  # the engine would switch it to WAL: checked first
    try:
        assert store.backend.quick is None
    finally:
        store.close()


def _window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from workbench.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    return window


@pytest.mark.gui
def test_the_window_checks_the_file_once_the_totals_are_shown(qapp, qtbot, sound, tmp_path):
    window = _window(qtbot, tmp_path)
    window.open_database(_copy(sound, tmp_path))
    quick = window.store.backend.quick
    assert quick is not None and quick.problems is None  # listed before the check
    qtbot.waitUntil(lambda: all(r.scored for r in window.agencies.model.rows()), timeout=30000)
    assert quick.wait(60) and quick.sound and quick.waited == 0  # started by the totals, not by a write
    assert window.store is not None


@pytest.mark.gui
def test_the_window_closes_a_file_its_check_finds_damaged_and_says_so(qapp, qtbot, sound, tmp_path):
    path = _damaged_where_opening_does_not_read(sound, tmp_path)
    before = _digest(path)
    window = _window(qtbot, tmp_path)
    window.open_database(path)  # the pages the list and the totals read are sound
    assert window.agencies.model.rowCount() > 0
    qtbot.waitUntil(lambda: window.store is None, timeout=60000)  # the check's verdict closed it
    assert "آسیب دیده" in window.statusBar().currentMessage()
    assert window.agencies.model.rowCount() == 0
    window.close()
    assert _digest(path) == before


@pytest.mark.gui
def test_a_damaged_page_the_window_reads_before_the_check_refuses_the_file_as_the_check_would(
        qapp, qtbot, sound, tmp_path):
    from workbench.model.errors import UserError

    path = _damaged_where_opening_does_not_read(sound, tmp_path, "assignments")  # read at opening (supervisor?)
    before = _digest(path)
    window = _window(qtbot, tmp_path)
    with pytest.raises(UserError) as refused:
        window.open_database(path)
    assert "آسیب دیده" in refused.value.message
    assert window.store is None and window.agencies.model.rowCount() == 0
    window.close()
    assert _digest(path) == before
