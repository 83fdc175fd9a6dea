"""Render the README's pictures of rounds over the years (offscreen, on a fresh three-round demo).

    .venv/bin/python scripts/trend_screenshots.py [--out docs/screenshots]

Writes ``trend-agency.png`` (an agency's indicators over the rounds),
``trend-distribution.png`` (the national agencies' totals per round) and
``trend-movers.png`` (risers and fallers) from ``workbench report trend``, and
``trend-window.png``: the window with an assessment beside its earlier rounds
and the indicators dialog.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = str(Path(tmp) / "userdata")
        from screenshots import _save, _settle

        from workbench.demo.build import build_demo
        from workbench.demo.rounds import add_earlier_rounds
        from workbench.model.store import existing_database
        from workbench.reports.trend import export_trend

        db = build_demo(Path(tmp) / "demo.sqlite", agencies=12)
        add_earlier_rounds(db, 3)
        with existing_database(db) as s:
            result = export_trend(s, Path(tmp) / "trend")
        national = next(n for n, g in enumerate(result.groups, start=1) if g.key == "national")
        charts = {p.name: p for p in result.charts if p.suffix == ".png"}
        # The agency that rose most since the previous round: its chart has the most to show.
        riser = max((ln for g in result.groups for ln in g.lines if ln.change is not None), key=lambda ln: ln.change)
        agency = f"agency-{riser.code}.png"
        args.out.mkdir(parents=True, exist_ok=True)
        for source, name in ((agency, "trend-agency.png"), (f"{national:02d}-distribution.png", "trend-distribution.png"),
                             (f"{national:02d}-movers.png", "trend-movers.png")):
            shutil.copy(charts[source], args.out / name)
            print(args.out / name)

        from PySide6.QtWidgets import QApplication

        from workbench.ui.app import setup_application
        from workbench.ui.assessment.history import HistoryDialog
        from workbench.ui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app)
        window = MainWindow()
        window.open_database(db)
        window.show()
        window.resize(1366, 768)
        _settle(app, lambda: all(r.scored for r in window.agencies.model.rows()))
        code = agency.removeprefix("agency-").removesuffix(".png")
        row = next(r for r in window.agencies.model.rows() if r.code == code)
        window.agencies.select_agency(row.uuid)
        _settle(app, lambda: window.view is not None and window.view.history.trend is not None, timeout=120)
        dialog = HistoryDialog(window.view.history.trend, window)
        dialog.show()
        dialog.move(window.geometry().center() - dialog.rect().center())
        _settle(app)
        shot = window.grab().toImage()
        from PySide6.QtGui import QPainter

        painter = QPainter(shot)  # offscreen, a dialog is its own window: draw it where it sits
        painter.drawImage(dialog.pos() - window.pos(), dialog.grab().toImage())
        painter.end()
        _save(shot, args.out / "trend-window.png")
        print(args.out / "trend-window.png")
        dialog.close()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
