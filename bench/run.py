"""Every national-scale benchmark in one run, each beside its floor (issue 16).

    .venv/bin/python bench/run.py [--agencies 2500] [--db PATH] [--only score,tables45,...] [--keep DIR]

Each row runs the workbench's own command (or window) in a fresh process and, in the same
run, the same work done the plainest way (the floor), so the ratio holds on a shared, noisy
machine.  For each it prints wall time, CPU time (user + system of that process and its
children) and peak resident memory (of that process, from ``wait4``), then the ratios of the
workbench's wall and CPU time to the floor's (on a loaded machine the CPU ratio is the steadier).  A row without a floor says so.

Rows:

* ``score``    — ``workbench score DB --json``  /  the same rows read with plain ``sqlite3``;
* ``score_round`` — the function alone, timed inside its process once the database is open
  (bench/score_round.py)  /  the floor's reads alone, timed the same way;
* ``tables45`` — ``workbench report tables45`` for the whole round  /  openpyxl write-only
  with the same rows;
* ``summaries`` — the first 100 summary PDFs, in one process (bench/summaries_2500.py)  /  the
  same HTML in the same document laid out once and drawn, no tables kept whole; both timed
  inside their process (``BENCH`` lines);
* ``ranking``  — ``workbench report ranking --group province`` (no floor: the target is CPU);
* ``startup``  — the window on DB until it is shown with the agencies listed  /  the bare window;
* ``window``   — the window on DB until every agency's total is shown  /  a bare right-to-left
  window with a table of as many rows;
* ``evidence`` — adding one 200 MB evidence file (peak memory)  /  hashing it and writing it
  with SQLite's incremental blob I/O in 1 MiB chunks.

The database is a demo round built once (``--db`` reuses a file; ``--keep`` keeps outputs).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floors"
#: How many summary PDFs the ``summaries`` row writes (the first of the round, in one process).
SUMMARIES = 100


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    ok: bool


def measure(argv: list[str], env: dict) -> Run:
    """Run ``argv`` to its end; its wall time, CPU time and peak RSS (this child and its own children).

    A child that times its own part (a ``BENCH {"wall": …, "cpu": …}`` line on its output)
    is reported by those figures; its peak memory is still the whole process's.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=env)
        err = child.stderr.read().decode(errors="replace") if child.stderr else ""
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        out.seek(max(0, out.seek(0, os.SEEK_END) - 4096))
        tail = out.read().decode(errors="replace").splitlines()
    ok = os.waitstatus_to_exitcode(status) == 0
    if not ok:
        print(f"    ! {' '.join(map(str, argv[:4]))}… exited {os.waitstatus_to_exitcode(status)}: {err[-400:]}")
    run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ok)
    for line in reversed(tail):
        if line.startswith("BENCH "):
            own = json.loads(line[len("BENCH "):])
            run.wall, run.cpu = own["wall"], own["cpu"]
            break
    return run


def workbench(*args: str) -> list[str]:
    return [sys.executable, "-m", "workbench.cli", *args]


def floor(name: str, *args: str) -> list[str]:
    return [sys.executable, str(FLOORS / f"{name}.py"), *args]


def rows(db: Path, out: Path) -> dict[str, tuple[list[str], list[str] | None]]:
    big = out / "big.bin"
    return {
        "score": (workbench("score", str(db), "--json"), floor("score", str(db))),
        "score_round": ([sys.executable, str(HERE / "score_round.py"), str(db)], floor("score", str(db), "--timed")),
        "tables45": (
            workbench("report", "tables45", str(db), "--out", str(out / "t45.xlsx")),
            floor("tables45", str(db), str(out / "t45-floor.xlsx")),
        ),
        "summaries": (
            [sys.executable, str(HERE / "summaries_2500.py"), "--db", str(db), "--limit", str(SUMMARIES),
             "--workers", "1", "--out", str(out / "summaries"), "--bench"],
            floor("summaries", str(db), str(SUMMARIES), str(out / "summaries-floor")),
        ),
        "ranking": (workbench("report", "ranking", str(db), "--out", str(out / "ranking"), "--group", "province"), None),
        "startup": (floor("window", "listed", str(db)), floor("window", "bare", str(db))),
        "window": (floor("window", "workbench", str(db)), floor("window", "bare", str(db))),
        "evidence": (floor("evidence", "workbench", str(big), str(out / "ev.sqlite")),
                     floor("evidence", "floor", str(big), str(out / "ev-floor.sqlite"))),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=2500)
    parser.add_argument("--db", type=Path, help="an existing round (built if missing)")
    parser.add_argument("--only", default="score,score_round,tables45,summaries,ranking,startup,window,evidence")
    parser.add_argument("--keep", type=Path, help="keep outputs in this folder")
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]

    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   WORKBENCH_DATA_DIR=str(Path(tmp) / "userdata"), PYTHONPATH=str(HERE.parent))
        # Bytecode as an installed program has it: without, every run compiles the workbench's
        # modules from source again (0.3-0.5 s of start-up that no user pays).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        db = args.db or out / f"demo-{args.agencies}.sqlite"
        if not db.exists():
            print(f"building the demo round ({args.agencies} agencies)…", flush=True)
            measure(workbench("demo", str(db), "--agencies", str(args.agencies)), env)
        if "evidence" in wanted:
            with open(out / "big.bin", "wb") as f:  # 200 MB that does not compress
                for i in range(200):
                    f.write(os.urandom(1024 * 1024) if i == 0 else bytes([i % 251]) * (1024 * 1024))
        load = os.getloadavg()
        print(f"database: {db}  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}  cores: {os.cpu_count()}")
        print(f"{'row':<10} {'who':<10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'ratio':>7} {'cpu ratio':>9}")
        table = rows(db, out)
        for name in wanted:
            ours, plain = table[name]
            mine = measure(ours, env)
            base = measure(plain, env) if plain else None
            ratio = f"{mine.wall / base.wall:.1f}×" if base and base.wall > 0 else "—"
            cpu_ratio = f"{mine.cpu / base.cpu:.1f}×" if base and base.cpu > 0 else "—"
            print(f"{name:<10} {'workbench':<10} {mine.wall:8.2f} {mine.cpu:8.2f} {mine.peak_mb:8.0f} {ratio:>7} "
                  f"{cpu_ratio:>9}")
            if base:
                print(f"{'':<10} {'floor':<10} {base.wall:8.2f} {base.cpu:8.2f} {base.peak_mb:8.0f}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
