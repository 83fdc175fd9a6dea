"""Time the Excel reports of issue 5 on a generated round of 2,500 agencies.

    .venv/bin/python bench/reports_2500.py [--db PATH] [--agencies 2500] [--out DIR] [--groups none,province,parent]
                                           [--postgres]

Builds a demo database with ``workbench.demo.build.build_demo`` (or reuses
``--db`` when that file exists), then times, each on its own:

* scoring the round (``score_round``), which every ranking starts with;
* the ranking export (``ranking.xlsx`` and its PNG/SVG charts) for each
  grouping asked for — ``none`` is one ranking of every agency;
* tables 4 and 5 of the whole round in one workbook.

With ``--postgres`` the round is then copied onto a PostgreSQL server and the
same steps timed there, each printed beside SQLite's (issue 15).

``time_excel_reports(db, out)`` does the same and returns the timings, so a
bench that also times the printed summaries (``bench/summaries_2500.py``)
can call it.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the chart workers).

    The machine may be shared: wall-clock time then says more about the
    neighbours than about the reports, CPU time does not."""
    try:
        import resource
    except ImportError:  # not on Windows
        return time.process_time()
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def time_excel_reports(db: Path | str, out: Path, groups: tuple[str | None, ...] = (None, "province")) -> dict[str, float]:
    """Wall-clock seconds per step, keyed ``score``, ``ranking:<group>``, ``tables45``
    (and the CPU seconds under the same keys with ``cpu:`` in front); prints as it goes."""
    from sqlalchemy import func, select

    from workbench.model.assessments import find_round, score_round
    from workbench.model.schema import Assessment, ReformAction, ReformRow
    from workbench.model.store import open_store
    from workbench.reports.ranking import export_ranking
    from workbench.reports.tables45 import export_tables45_counted

    timings: dict[str, float] = {}
    store = open_store(db, create=False)
    try:
        with store.session() as s:
            rnd = find_round(s)
            n = s.scalar(select(func.count()).select_from(Assessment).where(Assessment.round_uuid == rnd.uuid))
            n4 = s.scalar(select(func.count()).select_from(ReformRow).where(ReformRow.round_uuid == rnd.uuid))
            n5 = s.scalar(select(func.count()).select_from(ReformAction).where(ReformAction.round_uuid == rnd.uuid))
            print(f"round {rnd.year}: {n} assessments, {n4} table 4 rows, {n5} table 5 rows")

            t0, c0 = time.perf_counter(), _cpu()
            score_round(s, rnd)
            timings["score"], timings["cpu:score"] = time.perf_counter() - t0, _cpu() - c0
            print(f"score_round:              {timings['score']:6.1f} s wall {timings['cpu:score']:6.1f} s CPU")

            for group in groups:
                name = group or "none"
                t0, c0 = time.perf_counter(), _cpu()
                result = export_ranking(s, rnd, out / f"ranking-{name}", group)
                timings[f"ranking:{name}"] = elapsed = time.perf_counter() - t0
                timings[f"cpu:ranking:{name}"] = cpu = _cpu() - c0
                size = result.workbook.stat().st_size / 1e6
                print(
                    f"ranking --group {name:<9} {elapsed:6.1f} s wall {cpu:6.1f} s CPU  {len(result.groups)} groups, "
                    f"{result.ranked_count} ranked, {result.pending_count} not final, "
                    f"{len(result.charts)} chart files, ranking.xlsx {size:.1f} MB"
                )

            t0, c0 = time.perf_counter(), _cpu()
            t45 = export_tables45_counted(s, rnd, out / "tables45.xlsx")
            timings["tables45"] = elapsed = time.perf_counter() - t0
            timings["cpu:tables45"] = cpu = _cpu() - c0
            print(
                f"tables45 (whole round):   {elapsed:6.1f} s wall {cpu:6.1f} s CPU  "
                f"{t45.table4_rows} + {t45.table5_rows} rows, "
                f"{t45.path.stat().st_size / 1e6:.1f} MB"
            )
    finally:
        store.close()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="demo database to reuse (built there when missing)")
    parser.add_argument("--agencies", type=int, default=2500)
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary folder)")
    parser.add_argument("--groups", default="none,province", help="groupings to time, comma-separated")
    parser.add_argument("--postgres", action="store_true",
                        help="then the same on PostgreSQL (bench/pg_bench_server.py), each step beside SQLite's")
    args = parser.parse_args()

    from workbench.demo.build import build_demo

    work = Path(tempfile.mkdtemp(prefix="reports-bench-"))
    db = args.db or work / "demo.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        build_demo(db, agencies=args.agencies)
        print(f"demo database: {args.agencies} agencies in {time.perf_counter() - t0:.1f} s -> {db}")
    groups = tuple(None if g == "none" else g for g in args.groups.split(",") if g)
    out = args.out or work / "out"
    print(f"SQLite ({os.getloadavg()[0]:.1f} load average):", flush=True)
    lite = time_excel_reports(db, out, groups)
    print(f"output: {out}")
    if args.postgres:
        from pg_bench_server import copy_onto, pg_server

        with pg_server() as server:
            url = copy_onto(server, db)
            print(f"PostgreSQL ({os.getloadavg()[0]:.1f} load average):", flush=True)
            pg = time_excel_reports(url, work / "out-pg", groups)
        print("PostgreSQL beside SQLite (wall; CPU of this process and its chart workers):")
        for key in (k for k in lite if not k.startswith("cpu:")):
            print(f"  {key:<18} {pg[key]:6.1f} s / {lite[key]:6.1f} s = {pg[key] / lite[key]:.2f}   "
                  f"CPU {pg['cpu:' + key]:6.1f} s / {lite['cpu:' + key]:6.1f} s = "
                  f"{pg['cpu:' + key] / max(lite['cpu:' + key], 1e-9):.2f}")
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
