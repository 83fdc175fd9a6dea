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
