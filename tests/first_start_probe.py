"""Run in a process of its own by ``test_ui_first_start``: the real start (``run_gui``) on a screen of
the size given, with the evaluator answering the first start's name question; prints what it saw."""
from __future__ import annotations

import json
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench.ui import app as app_module
from workbench.ui.evaluator_name import NameDialog
from workbench.ui.main_window import MainWindow


def main(db: str, step: str) -> None:
    app = QApplication(sys.argv[:1])
    seen: dict = {"screen": app.primaryScreen().availableGeometry().getRect(), "asked": False}

    def answer() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, NameDialog) and w.isVisible():
                seen["asked"] = True
                w.edit.setText("مریم احمدی")
                w.accept()
                return
        QTimer.singleShot(50, answer)

    def look() -> None:
        wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not wins or not all(r.scored for r in wins[0].agencies.model.rows()):
            QTimer.singleShot(100, look)
            return
        w = wins[0]
        bar = w.statusBar().geometry()
        seen.update(window=w.frameGeometry().getRect(), maximized=w.isMaximized(),
                    status_bar_inside=w.rect().contains(bar), title=w.windowTitle(), actor=w.actor_name(),
                    agency=w.view.controller.agency().code if w.view else "",
                    measure=w.view.current_measure() if w.view else "")
        if step == "first":
            row = w.agencies.model.rows()[-1]
            w.agencies.select_agency(row.uuid)
            w.view.select_measure("4.3")
            seen["opened"] = row.code
        QTimer.singleShot(100, w.close)

    QTimer.singleShot(50, answer)
    QTimer.singleShot(300, look)
    seen["exit"] = app_module.run_gui(db)
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
