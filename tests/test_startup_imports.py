"""What the window's first screen imports (issue 16): the agency list, listed and scored, needs none of
the assessment's pages, the supervisor's merge and inbox, the packages' signatures, the reports'
charts and workbooks, nor alembic.  Counted in a fresh interpreter (a test process has them all)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from workbench_fixture import build_fixture

pytestmark = pytest.mark.gui

NOT_AT_START = (
    "workbench.ui.assessment.view", "workbench.ui.assessment.controller", "workbench.ui.assessment.measure_page",
    "workbench.ui.supervisor.conflicts", "workbench.ui.supervisor.inbox",
    "workbench.exchange.inbox", "workbench.exchange.merge", "workbench.exchange.package", "cryptography",
    "workbench.exchange.desk", "workbench.exchange.tables",  # an evaluator's database: exchange.role only
    "matplotlib", "openpyxl", "alembic",
)

CHILD = r"""
import json, sys, time
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from workbench.ui.app import setup_application
setup_application(app)
from workbench.ui.main_window import MainWindow
w = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat))
w.open_database(sys.argv[1])
w.show()
deadline = time.monotonic() + 60
while not (w.agencies.model.rowCount() and all(r.scored for r in w.agencies.model.rows())):
    app.processEvents()
    time.sleep(0.01)
    assert time.monotonic() < deadline, "never scored"
loaded = [m for m in json.loads(sys.argv[3]) if m in sys.modules]
w.close()
print(json.dumps(loaded))
"""


def test_the_first_screen_imports_only_what_it_shows(tmp_path):
    db = build_fixture(tmp_path / "fixture.sqlite")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKBENCH_DATA_DIR=str(tmp_path / "userdata"))
    out = subprocess.run([sys.executable, "-c", CHILD, str(db), str(tmp_path / "s.ini"), json.dumps(NOT_AT_START)],
                         capture_output=True, text=True, env=env, timeout=300, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
