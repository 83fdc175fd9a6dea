"""One way to run background work (workbench.ui.shared.background): results, failures, closing."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from workbench.model.errors import UserError
from workbench.model.problems import LOCKED, UNEXPECTED
from workbench.model.schema import Meta
from workbench.ui.shared import background
from workbench.ui.shared.background import run_task, stop_all

pytestmark = pytest.mark.gui


def _ended(qtbot, task) -> str:
    qtbot.waitUntil(lambda: not task.is_running(), timeout=30000)
    return task.outcome


def test_the_result_and_progress_reach_the_handlers_on_the_window_thread(qapp, qtbot, store):
    seen, steps = [], []

    def work(job):
        for i in range(3):
            job.progress(i + 1, 3)
        return job.session.get(Meta, "device_id").value

    task = run_task(work, new_session=store.new_session, on_success=seen.append,
                    on_progress=lambda done, total: steps.append((done, total, threading.current_thread())))
    assert _ended(qtbot, task) == "done"
    assert seen and len(seen[0]) == 36  # the device id, read in the task's own session
    assert [s[:2] for s in steps] == [(1, 3), (2, 3), (3, 3)]
    assert {s[2] for s in steps} == {threading.main_thread()}
    assert task not in background.running()


@pytest.mark.parametrize(("error", "expected", "unexpected"), [
    (UserError("پیام فارسی کار"), "پیام فارسی کار", False),
    (RuntimeError("disk on fire"), UNEXPECTED, True),
    (sqlite3.OperationalError("database is locked"), LOCKED, True),
])
def test_every_failure_is_one_persian_message(qapp, qtbot, error, expected, unexpected):
    failures = []

    def work(_job):
        raise error

    task = run_task(work, on_failure=lambda message, flag: failures.append((message, flag)))
    assert _ended(qtbot, task) == "failed"
    assert failures == [(expected, unexpected)]
    assert "disk on fire" not in failures[0][0]


def test_closing_cancels_reading_work_and_waits_for_writing_work(qapp, qtbot, store):
    """What closing the database does (MainWindow.close_database calls stop_all): counted, not timed."""
    read_steps, write_steps = [], []
    reading_reached, writing_reached = threading.Event(), threading.Event()
    reading_gate, writing_gate = threading.Event(), threading.Event()

    def read(job):
        for i in range(1000):
            job.check()  # cancelled: stops at the next check
            read_steps.append(i)
            if i == 2:
                reading_reached.set()
                reading_gate.wait(30)
        return "read everything"

    def write(job):
        for i in range(5):
            job.session.merge(Meta(key=f"step-{i}", value=str(i)))
            job.session.commit()
            write_steps.append(i)
            if i == 1:
                writing_reached.set()
                writing_gate.wait(30)
        return "wrote everything"

    handled = []
    reader = run_task(read, on_success=handled.append, on_cancel=lambda: handled.append("cancelled"))
    writer = run_task(write, writes=True, new_session=store.new_session, on_success=handled.append)
    assert reading_reached.wait(30) and writing_reached.wait(30)
    # Closing releases each task only once it is asked to stop: the reader when cancelled,
    # the writer when waited for, so both are mid-way when closing begins.
    cancel, wait = reader.cancel, writer.wait
    reader.cancel = lambda: (cancel(), reading_gate.set())
    writer.wait = lambda ms=120000: (writing_gate.set(), wait(ms))[1]
    assert stop_all() == 2
    assert not reader.thread.isRunning() and not writer.thread.isRunning()
    assert read_steps == [0, 1, 2]  # cancelled at once: not another step of the 1,000
    assert write_steps == [0, 1, 2, 3, 4]  # the writer finished all five before closing went on
    assert reader.outcome == writer.outcome == "stopped" and background.running() == []
    with store.session() as s:
        assert sorted(m.key for m in s.query(Meta).filter(Meta.key.like("step-%"))) == [f"step-{i}" for i in range(5)]
    qtbot.wait(50)  # their queued results arrive: a stopped task's handlers never run
    assert handled == []


def test_a_gone_owner_hears_nothing_and_its_reading_work_is_cancelled(qapp, qtbot):
    from PySide6.QtCore import QObject

    owner, heard, gate = QObject(), [], threading.Event()

    def work(job):
        gate.wait(30)
        job.check()
        return "late"

    task = run_task(work, owner=owner, on_success=heard.append, on_cancel=lambda: heard.append("cancelled"))
    owner.deleteLater()
    qtbot.waitUntil(task.is_cancelled, timeout=5000)
    gate.set()
    assert _ended(qtbot, task) == "cancelled" and heard == []


def test_closing_the_window_s_database_cancels_the_round_scoring(qapp, qtbot, tmp_path, monkeypatch):
    """The window's own background work is in the registry: closing its database cancels the scorer."""
    from PySide6.QtCore import QSettings

    import workbench.ui.agencies.pane as pane
    from workbench.ui.main_window import MainWindow

    steps, reached, gate = [], threading.Event(), threading.Event()

    def slow_totals(_session, _round_uuid, progress):
        for i in range(1000):
            progress(i, 1000)  # the scorer's progress checks for a cancel first
            steps.append(i)
            if i == 2:
                reached.set()
                gate.wait(30)
        return {}

    monkeypatch.setattr(pane, "round_totals", slow_totals)
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.open_database(tmp_path / "new.sqlite", create=True)
    qtbot.waitUntil(reached.is_set, timeout=30000)  # scoring starts once the window has listed the agencies
    scorer = window._scorer
    cancel = scorer.cancel
    scorer.cancel = lambda: (cancel(), gate.set())
    window.close_database()
    assert steps == [0, 1, 2]  # not another assessment of the 1,000
    assert scorer.outcome == "stopped" and not scorer.thread.isRunning() and window.store is None


def test_closing_the_window_s_database_stops_the_scorer_s_query_where_it_is(qapp, qtbot, tmp_path, monkeypatch):
    """The round's bulk reads are most of its scoring: a cancel stops the query running then
    (SQLite's progress handler, ``Store.cancellable``), not only the next check between assessments."""
    from PySide6.QtCore import QSettings
    from sqlalchemy import text

    import workbench.ui.agencies.pane as pane
    from workbench.ui.main_window import MainWindow

    started, raised, finished = threading.Event(), [], []
    endless = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 300000000)"
               " SELECT count(*) FROM n")  # a minute of SQLite's work, were it not stopped

    def endless_totals(session, _round_uuid, _progress):
        started.set()
        try:
            session.execute(text(endless)).scalar()
        except Exception as exc:
            raised.append(exc)
            raise
        finished.append("the query ran to its end")
        return {}

    monkeypatch.setattr(pane, "round_totals", endless_totals)
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.open_database(tmp_path / "new.sqlite", create=True)
    qtbot.waitUntil(started.is_set, timeout=30000)
    scorer = window._scorer
    handled = []
    scorer.ended.connect(handled.append)
    window.close_database()  # waits for the scorer's thread to end
    assert not scorer.thread.isRunning() and scorer.outcome == "stopped" and window.store is None
    assert len(raised) == 1 and "interrupted" in str(raised[0]) and finished == []
    assert handled == ["stopped"]
