"""Nothing is lost: a window killed mid-session keeps everything but the field being typed.

A child process drives the real window offscreen (keys typed into the
header, a tick, a note left to its idle save, a service judged, a URL added
with Enter), starts typing a second note and dies at once with ``os._exit``
(no close event, no Python clean-up: a crash or a power cut as the program
sees it).  The database is then opened again, here and in a new window.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from workbench_fixture import build_fixture

from workbench.model.assessments import find_agency
from workbench.model.schema import Answer, Assessment, Evidence, ServiceJudgement
from workbench.model.store import open_store
from workbench.ui.app import setup_application
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

AGENCY = "1001-07"  # no assessment yet: the window makes the draft; it has services
DIED = 3

CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from workbench.ui.app import setup_application
    from workbench.ui.main_window import MainWindow
    from workbench.ui.assessment.measure_page import NOTE_IDLE_MS
    from workbench.ui.assessment.services_table import column

    app = QApplication(sys.argv[:1])
    setup_application(app)

    def wait(ms=0, until=lambda: True):
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end or not until():
            app.processEvents()
            time.sleep(0.005)

    window = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.open_database(Path(sys.argv[1]))
    window.show()
    window.activateWindow()
    wait(until=lambda: all(r.scored for r in window.agencies.model.rows()))
    uuid = next(r.uuid for r in window.agencies.model.rows() if r.code == "1001-07")
    window.agencies.select_agency(uuid)
    view = window.view
    page = view.measure_page

    view.evaluator_edit.setFocus()
    QTest.keyClicks(view.evaluator_edit, "Sara Karimi")
    view.tree.setFocus()  # leaving the field commits it
    view.select_measure("4.1")
    next(e for e in page._editors if e.item.key == "4.1.1").box.click()
    page.note.setFocus()
    QTest.keyClicks(page.note, "site search works")
    wait(NOTE_IDLE_MS + 300)  # a pause in typing saves the note, focus still in it
    page.evidence.kind.setCurrentIndex(page.evidence.kind.findData("url"))
    page.evidence.input.setFocus()
    QTest.keyClicks(page.evidence.input, "https://example.gov.ir/search")
    QTest.keyClick(page.evidence.input, Qt.Key.Key_Return)
    view.select_measure("1.1")
    model = page.services_panel.model
    row = next(i for i, r in enumerate(model.rows()) if r.service_id == "121095000")
    model.setData(model.index(row, column("request_portal")), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    view.select_measure("4.2")
    page.note.setFocus()
    QTest.keyClicks(page.note, "half a sentence")  # being typed when the power goes
    wait(100)
    print("DYING", flush=True)
    os._exit(%d)
    """
    % DIED
)


def test_a_killed_window_loses_only_the_field_being_typed(tmp_path, qtbot):
    db = build_fixture(tmp_path / "fixture.sqlite")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKBENCH_DATA_DIR=str(tmp_path / "child-data"))
    tests = Path(__file__).resolve().parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tests.parent), env.get("PYTHONPATH", "")]))
    child = subprocess.run([sys.executable, "-c", CHILD, str(db), str(tmp_path / "child.ini")], env=env,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == DIED and "DYING" in child.stdout, child.stderr
    assert Path(f"{db}-wal").exists()  # it really died with the write-ahead log not yet folded in

    store = open_store(db, create=False)
    try:
        with store.session() as s:
            agency = find_agency(s, AGENCY)
            a = s.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))
            assert a.evaluator == "Sara Karimi"
            answers = {x.key: x for x in s.scalars(select(Answer).where(Answer.assessment_uuid == a.uuid))}
            assert answers["4.1.1"].value is True
            assert answers["4.1"].note == "site search works"
            assert "4.2" not in answers or not answers["4.2"].note  # only what was being typed is gone
            urls = [e.text for e in s.scalars(select(Evidence).where(Evidence.assessment_uuid == a.uuid))]
            assert urls == ["https://example.gov.ir/search"]
            judged = s.scalar(select(ServiceJudgement).where(ServiceJudgement.assessment_uuid == a.uuid,
                                                             ServiceJudgement.service_id == "121095000"))
            assert judged.request_portal is True
    finally:
        store.close()

    # And the window, opened again, shows it.
    setup_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.open_database(db)
    window.show()
    uuid = next(r.uuid for r in window.agencies.model.rows() if r.code == AGENCY)
    window.agencies.select_agency(uuid)
    view = window.view
    assert view.evaluator_edit.text() == "Sara Karimi"
    view.select_measure("4.1")
    assert view.measure_page.note.toPlainText() == "site search works"
    assert view.measure_page.evidence.model.rowCount() == 1
    window.close()


# --------------------------------------------------------------------------- kills during import, evidence, upgrade


def _env(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKBENCH_DATA_DIR=str(tmp_path / "child-data"))
    tests = Path(__file__).resolve().parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tests), str(tests.parent), env.get("PYTHONPATH", "")]))
    return env


def _kill_after(argv, env, seconds: float, marker: str = "") -> int:
    """Start ``argv``; SIGKILL it ``seconds`` after it prints ``marker`` (or after start); its exit status."""
    import signal
    import time

    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if marker:
        for line in child.stdout:
            if marker in line:
                break
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    child.wait(60)
    return child.returncode


def _intact(path: Path) -> bool:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_a_killed_import_leaves_the_old_state_or_the_whole_new_one(tmp_path):
    import sqlite3

    from import_books import agency_rows, services_rows, write_book

    db = build_fixture(tmp_path / "fixture.sqlite")
    book = write_book(tmp_path / "big.xlsx", agency=agency_rows("1001"), services=services_rows(3000), table4=[],
                      table5=[])
    env = _env(tmp_path)
    argv = [sys.executable, "-m", "workbench", "import", str(db), str(book), "--agency", "1001"]

    def services():
        conn = sqlite3.connect(db)
        try:
            return conn.execute("SELECT count(*) FROM services s JOIN agencies a ON a.uuid = s.agency_uuid "
                                "WHERE a.code = '1001'").fetchone()[0]
        finally:
            conn.close()

    old = services()
    seen = set()
    for delay in (0.5, 1.0, 1.5, 2.5, 3.5):
        _kill_after(argv, env, delay)
        assert _intact(db)
        count = services()
        assert count in (old, 3000), count  # never a part of the file
        seen.add(count)
    assert old in seen or 3000 in seen


def test_a_killed_window_storing_a_large_file_leaves_no_stored_file_without_its_row(tmp_path):
    from workbench.model.maintenance import orphan_blobs

    db = build_fixture(tmp_path / "fixture.sqlite")
    big = tmp_path / "scan.pdf"
    big.write_bytes(os.urandom(9 * 1024 * 1024))  # past BACKGROUND_BYTES: stored off the GUI thread
    child = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
        from sqlalchemy import select
        from workbench.model.schema import Agency
        from workbench.ui.app import setup_application
        from workbench.ui.main_window import MainWindow

        app = QApplication(sys.argv[:1])
        setup_application(app)
        window = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat))
        window.open_database(Path(sys.argv[1]))
        controller = window.open_agency(window.session.scalar(select(Agency.uuid).where(Agency.code == "1001")))
        window.view.select_measure("4.4")
        panel = window.view.measure_page.evidence
        panel.add_files([Path(sys.argv[3])])
        print("STORING", flush=True)
        while True:
            app.processEvents()
            time.sleep(0.002)
        """
    )
    env = _env(tmp_path)
    for delay in (0.02, 0.1, 0.3):
        _kill_after([sys.executable, "-c", child, str(db), str(tmp_path / "c.ini"), str(big)], env, delay, "STORING")
        assert _intact(db)
        store = open_store(db, create=False)
        try:
            with store.session() as s:
                assert orphan_blobs(s) == []  # stored with its row or not at all
        finally:
            store.close()


def test_a_killed_upgrade_leaves_the_old_file_or_the_upgraded_one_and_no_false_backup(tmp_path):
    import sqlite3

    from alembic import command
    from sqlalchemy import create_engine

    from workbench.model.store import _alembic_config, head_revision

    db = build_fixture(tmp_path / "fixture.sqlite")
    with sqlite3.connect(db) as conn:  # weight, so that the backup copy takes a while
        conn.execute("INSERT INTO blobs (sha256, size, data, created_at) VALUES ('x', 1, randomblob(25000000), '2024')")
    conn.close()
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0002")
    engine.dispose()
    pristine = tmp_path / "pristine.sqlite"
    pristine.write_bytes(db.read_bytes())
    env = _env(tmp_path)
    argv = [sys.executable, "-m", "workbench", "score", str(db), "--json"]
    for delay in (0.5, 0.9, 1.3, 1.8, 2.5):
        for p in tmp_path.glob("fixture*"):
            p.unlink()
        db.write_bytes(pristine.read_bytes())
        _kill_after(argv, env, delay)
        assert _intact(db)
        revision = sqlite3.connect(db).execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert revision in ("0002", head_revision())
        for backup in tmp_path.glob("fixture.before-*.sqlite"):  # whatever looks like a backup is a whole one
            conn = sqlite3.connect(backup)
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
            assert conn.execute("SELECT count(*) FROM blobs").fetchone() == (1,)
            conn.close()
