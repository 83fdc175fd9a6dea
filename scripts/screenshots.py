"""Render the README's screenshots of the main window (offscreen, on a fresh demo database).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1280x800]

Shots: the agency list with an assessment open, a checklist measure, the
services table of indicator 1, and tables 4 and 5 of indicator 5.  Each is
the real window, grabbed after the event loop has settled.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
#: (file name, agency status to pick, measure to show, agency list shown, what it shows).
#: The measure shots hide the agency list (View ▸ Ctrl+L) as an evaluator at work would.
SHOTS = (
    ("main-window.png", "draft", "4.2", True, "agency list with an assessment open"),
    ("checklist-measure.png", "draft", "4.2", False, "a checklist measure"),
    ("services-table.png", "draft", "1.1", False, "the services table (indicator 1)"),
    ("reform-tables.png", "complete", "5.1", False, "tables 4 and 5 (indicator 5)"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = str(Path(tmp) / "userdata")  # no trace in the user's settings
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage
        from PySide6.QtWidgets import QApplication

        from workbench.model.demo import build_demo
        from workbench.ui.app import setup_application
        from workbench.ui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app)
        db = build_demo(Path(tmp) / "demo.sqlite", agencies=12)
        window = MainWindow()
        window.open_database(db)
        window.show()
        window.resize(width, height)
        _settle(app, lambda: all(r.scored for r in window.agencies.model.rows()))
        args.out.mkdir(parents=True, exist_ok=True)
        for name, status, measure, with_list, what in SHOTS:
            # an assessment under way: of that status, with something scored already
            row = next(r for r in window.agencies.model.rows() if r.status == status and r.percent)
            if window.view is None or window.view.controller.agency().uuid != row.uuid:
                window.agencies.select_agency(row.uuid)
            if window.agencies.isVisible() != with_list:
                window.pane_action.trigger()
            window.view.select_measure(measure)
            _settle(app)
            path = args.out / name
            # A window has few colours: 8-bit indexed PNGs are a fifth of the size, text as sharp.
            image = window.grab().toImage().convertToFormat(
                QImage.Format.Format_Indexed8,
                Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither,
            )
            image.save(str(path), "PNG", 0)
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {what}")
        window.close()
    return 0


def _settle(app, until=lambda: True, timeout: float = 10.0) -> None:
    """Let layouts, queued signals and the background scorer finish."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if until():
            break
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
