"""Start-up to a usable window on the demo database (issue 3: target under 2 s).

Each run is a fresh ``python`` process that runs ``workbench --db DEMO`` (the
same ``cli.main`` the installed command runs).  The clock starts in this
process just before the child is spawned (so interpreter start-up and every
import count) and stops when the child reports that the main window is shown
with the agencies listed; a second mark follows when the background scorer
has filled in every agency's total; in between, the time the agency list's
progress bar first counts scored assessments (a large round).  The child
also reports whether matplotlib or openpyxl were imported on the way (they
should not be).

    .venv/bin/python bench/startup.py [--runs 7] [--agencies 12] [--db PATH]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
marks = {}

def poll():
    for w in app.topLevelWidgets():
        if type(w).__name__ != "MainWindow" or not w.isVisible():
            continue
        model = w.agencies.model
        if "ready" not in marks and model.rowCount() > 0:
            marks["ready"] = True
            print("READY", flush=True)
        bar = w.agencies.scoring_bar
        if "counting" not in marks and bar.isVisible() and bar.maximum() > 0:
            marks["counting"] = True
            print("COUNTING", flush=True)
        if "ready" in marks and all(r.scored for r in model.rows()):
            heavy = [m for m in ("matplotlib", "openpyxl") if m in sys.modules]
            print("SCORED", ",".join(heavy) or "-", flush=True)
            QTimer.singleShot(0, w.close)
            return
    QTimer.singleShot(2, poll)

QTimer.singleShot(0, poll)
from workbench.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def one_run(db: Path, env: dict) -> tuple[float, float, str, float]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    ready = scored = counting = float("nan")
    heavy = "?"
    for line in child.stdout:
        if line.startswith("READY"):
            ready = time.perf_counter() - start
        elif line.startswith("COUNTING"):
            counting = time.perf_counter() - start
        elif line.startswith("SCORED"):
            scored = time.perf_counter() - start
            heavy = line.split()[1]
    child.wait(timeout=60)
    return ready, scored, heavy, counting


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--agencies", type=int, default=12, help="size of the demo database to build")
    parser.add_argument("--db", type=Path, help="an existing database instead of a fresh demo")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   WORKBENCH_DATA_DIR=str(Path(tmp) / "userdata"))
        db = args.db
        if db is None:
            from workbench.demo.build import build_demo

            db = build_demo(Path(tmp) / "demo.sqlite", agencies=args.agencies)
        one_run(db, env)  # warm the OS file cache; not counted
        results = [one_run(db, env) for _ in range(args.runs)]
    ready = [r[0] for r in results]
    scored = [r[1] for r in results]
    heavy = {r[2] for r in results}
    counting = [r[3] for r in results if r[3] == r[3]]  # not NaN: a small round is scored between two polls
    print(f"database: {args.db or f'demo, {args.agencies} agencies'}; runs: {args.runs}")
    print(f"window shown with agencies listed: median {statistics.median(ready):.3f} s "
          f"(min {min(ready):.3f}, max {max(ready):.3f})")
    if counting:
        print(f"scoring progress counting:        median {statistics.median(counting):.3f} s "
              f"(in {len(counting)} of {len(results)} runs)")
    print(f"every agency's total score shown:  median {statistics.median(scored):.3f} s "
          f"(min {min(scored):.3f}, max {max(scored):.3f})")
    print(f"heavy modules imported at start-up: {', '.join(sorted(heavy))}")
    return 0 if statistics.median(ready) < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
