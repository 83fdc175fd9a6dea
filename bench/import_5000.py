"""Importing a workbook of 5,000 services (issue 4: target under 3 s).

Generates an agency workbook in the template's layout — 5,000 service rows
(250 services with 19 sub-services each), 1,000 table 4 rows and 1,200
table 5 rows, Persian titles, a mix of digit sets — then imports it into a
fresh database each run, timing:

* dry run: open + read + check every cell + compare with the database (nothing written);
* import: the same plus writing every row (with its audit entry) in one transaction and committing;
* re-import: importing the same file again into the now-filled database (no changes).

The clock covers exactly what ``workbench import DB FILE --agency CODE`` does after
start-up (``import_workbook`` and the commit).  Also times the whole command once
as a fresh process, start-up included.

    .venv/bin/python bench/import_5000.py [--runs 5] [--services 5000]
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

from openpyxl import Workbook

from workbench.imports.importer import import_workbook
from workbench.imports.layout import AGENCY, SERVICES, TABLE4, TABLE5
from workbench.model.assessments import create_round, find_agency, find_round
from workbench.model.framework import load_default_framework
from workbench.model.schema import Agency
from workbench.model.store import open_store
from workbench.model.terms import ACTION_STATUSES, REFORM_CRITERIA, REFORM_STEPS
from workbench.model.text import persian_digits

CODE = "1001"


def make_workbook(path: Path, services: int) -> tuple[int, int, int]:
    # An ordinary (not write-only) workbook: like Excel's, it has shared strings and a
    # recorded sheet size, so the reader is measured on what agencies actually send.
    book = Workbook()
    ws = book.active
    ws.title = AGENCY.name
    ws.append(["کد دستگاه", CODE])
    ws.append(["نام دستگاه", "وزارت نمونه"])
    ws.append(["سطح", "ملی"])
    ws = book.create_sheet(SERVICES.name)
    ws.append([c.header for c in SERVICES.columns])
    ids = []
    per_parent = 20
    for n in range(services):
        parent_no, child = divmod(n, per_parent)
        sid = f"{100 + parent_no:03d}{child:03d}000" if child == 0 else f"{100 + parent_no:03d}000{child:03d}"
        parent = "" if child == 0 else f"{100 + parent_no:03d}000000"
        ids.append(sid)
        shown = persian_digits(sid) if n % 3 == 0 else sid
        ws.append([
            shown, f"خدمت شمارهٔ {persian_digits(n + 1)} برای صدور پروانه و مجوز", persian_digits(parent) if parent else None,
            ("G2C", "G2B", "G2G")[n % 3], "بله" if n % 2 else "خیر", "بله" if n % 3 else "خیر",
            "بله" if n % 5 == 0 else "", "بله" if n % 7 == 0 else "خیر", f"https://example.ir/s/{sid}",
        ])
    ws = book.create_sheet(TABLE4.name)
    ws.append([c.header for c in TABLE4.columns])
    leaves = [sid for sid in ids if not sid.endswith("000")]
    t4 = 0
    for i, sid in enumerate(leaves[:500]):
        for k in range(2):
            t4 += 1
            ws.append([t4, sid, None, REFORM_CRITERIA[(i + k) % len(REFORM_CRITERIA)], "روز", 20 + i % 10, 10, 12, None])
    ws = book.create_sheet(TABLE5.name)
    ws.append([c.header for c in TABLE5.columns])
    t5 = 0
    for sid in leaves[:200]:
        for step in REFORM_STEPS:
            t5 += 1
            ws.append([t5, sid, None, step, f"اقدام {persian_digits(t5)}", "۱۴۰۳/۰۱/۱۵", "1403/06/31",
                       ACTION_STATUSES[t5 % 3], None])
    book.save(path)
    return services, t4, t5


def fresh_db(path: Path):
    store = open_store(path, actor="bench")
    with store.session() as s:
        create_round(s, 1403, load_default_framework())
        s.add(Agency(code=CODE, name="وزارت نمونه", level="national"))
    return store


def timed_import(store, book: Path, dry_run: bool) -> tuple[float, float, dict]:
    """Wall-clock and CPU seconds of one import (CPU time shows the cost when the machine is busy)."""
    session = store.new_session()
    try:
        start, cpu = time.perf_counter(), time.process_time()
        rnd, agency = find_round(session), find_agency(session, CODE)
        summary = import_workbook(session, book, rnd, agency, dry_run=dry_run)
        session.rollback() if dry_run else session.commit()
        return time.perf_counter() - start, time.process_time() - cpu, summary
    finally:
        session.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    book = work / "agency.xlsx"
    t0 = time.perf_counter()
    counts = make_workbook(book, args.services)
    print(f"workbook: {counts[0]} services, {counts[1]} table 4 rows, {counts[2]} table 5 rows; "
          f"{book.stat().st_size / 1024:.0f} KB, generated in {time.perf_counter() - t0:.1f} s")

    load = os.getloadavg()[0]
    dry, full, again = [], [], []
    for run in range(args.runs):
        store = fresh_db(work / f"run{run}.sqlite")
        try:
            *seconds, summary = timed_import(store, book, dry_run=True)
            dry.append(seconds)
            assert summary["added"]["services"] == counts[0] and not summary["warnings"], summary["warnings"][:3]
            *seconds, summary = timed_import(store, book, dry_run=False)
            full.append(seconds)
            assert summary["services"] == counts[0]
            *seconds, summary = timed_import(store, book, dry_run=False)
            again.append(seconds)
            assert summary["kept"]["services"] == counts[0]
        finally:
            store.close()

    def line(name, values):
        wall = [w for w, _ in values]
        cpu = [c for _, c in values]
        return (f"{name:<26} wall: median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f})"
                f"   CPU: median {statistics.median(cpu):.2f} s   [{len(values)} runs]")

    print(f"load average at the start: {load:.1f} on {os.cpu_count()} cores (others' work slows the wall clock)")
    print(line("dry run (check only)", dry))
    print(line("import into a fresh DB", full))
    print(line("re-import, no changes", again))

    store = fresh_db(work / "cli.sqlite")
    store.close()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "import", str(work / "cli.sqlite"), str(book), "--agency", CODE, "--json"],
        capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    print(f"{'whole command, fresh process':<28} {elapsed:.2f} s (exit {proc.returncode}, start-up included)")
    target = 3.0
    verdict = "meets" if statistics.median([w for w, _ in full]) < target else "MISSES"
    print(f"target: import under {target:.0f} s — {verdict} it")
    return 0 if proc.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
