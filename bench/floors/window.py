"""The window until every agency's total is shown, or the floor: a bare right-to-left window with a
table of as many rows, filled from the database with plain sqlite3.

    window.py workbench|listed|bare DB

``listed`` stops as soon as the window is shown with the agencies listed (start-up, the row
«startup»), ``workbench`` once every agency's total is in the list (the row «window»).
"""
import sqlite3
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

who, db = sys.argv[1], sys.argv[2]
app = QApplication(sys.argv[:1])

if who == "bare":
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    rows = sqlite3.connect(db).execute("SELECT code, name, level, province FROM agencies ORDER BY code").fetchall()
    window = QMainWindow()
    table = QTableWidget(len(rows), 4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    window.setCentralWidget(table)
    window.resize(1366, 768)
    window.show()
    QTimer.singleShot(0, app.quit)
    sys.exit(app.exec())


def poll():
    for w in app.topLevelWidgets():
        if type(w).__name__ == "MainWindow" and w.isVisible():
            model = w.agencies.model
            if model.rowCount() > 0 and (who == "listed" or all(r.scored for r in model.rows())):
                QTimer.singleShot(0, w.close)
                return
    QTimer.singleShot(50, poll)  # a busy poll would hold the GIL the scorer thread needs


QTimer.singleShot(0, poll)
from workbench.cli import main  # noqa: E402
from workbench.ui.evaluator_name import EvaluatorNaming  # noqa: E402

EvaluatorNaming.ensure_evaluator_name = lambda self: None  # a first start's question, not what is measured

sys.exit(main(["--db", db]))
