"""Time writing every printed summary (PDF) of a generated round (issue 5).

    .venv/bin/python bench/summaries_2500.py [--db PATH] [--agencies 2500] [--out DIR] [--limit N]

Builds a demo database of ``--agencies`` agencies with
``workbench.demo.build.build_demo`` (or reuses ``--db`` when that file exists),
then writes one summary PDF per assessment with ``write_all``, as
``workbench report summary DB --all`` does, and prints the total and the time
per summary.  ``--limit`` writes only the first N (for a quick look).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="demo database to reuse (built there when missing)")
    parser.add_argument("--agencies", type=int, default=2500)
    parser.add_argument("--out", type=Path, help="folder for the PDFs (default: a temporary folder)")
    parser.add_argument("--limit", type=int, help="stop after this many summaries")
    parser.add_argument("--workers", type=int, help="processes (default: as `workbench report summary --all`)")
    parser.add_argument("--bench", action="store_true", help="print a BENCH line (bench/run.py)")
    args = parser.parse_args()

    from workbench.demo.build import build_demo
    from workbench.model.assessments import find_round
    from workbench.model.store import open_store
    from workbench.reports.summary import ensure_gui_app, font_family, write_all
    from workbench.reports.summary_batch import default_workers
    from workbench.reports.summary_source import count_round

    work = Path(tempfile.mkdtemp(prefix="summaries-bench-"))
    db = args.db or work / "demo.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        build_demo(db, agencies=args.agencies)
        print(f"demo database: {args.agencies} agencies in {time.perf_counter() - t0:.1f} s -> {db}")
    out = args.out or work / "summaries"
    ensure_gui_app()
    font_family()  # registered once per process, before the clock starts (as in the floor)

    store = open_store(db, create=False)
    done_at: list[float] = []

    def progress(done: int, total: int, _name: str) -> None:
        done_at.append(time.perf_counter())
        if done and done % 250 == 0:
            print(f"  {done}/{total}  {done_at[-1] - start:.1f} s", flush=True)

    try:
        with store.session() as s:
            rnd = find_round(s)
            workers = args.workers or default_workers(count_round(s, rnd))
            print(f"writing with {workers} process(es) on {os.cpu_count()} cores")
            start = time.perf_counter()
            cpu_start = _cpu()
            limit = args.limit
            written = write_all(
                s,
                rnd,
                out,
                progress=progress,
                cancelled=(lambda: limit is not None and len(done_at) > limit),
                workers=workers,
            )
            total = time.perf_counter() - start
            cpu = _cpu() - cpu_start
    finally:
        store.close()
    size = sum(p.stat().st_size for p in written)
    per = total / max(1, len(written))
    print(
        f"summaries: {len(written)} PDFs in {total:.1f} s wall ({per * 1000:.0f} ms per summary), "
        f"{size / 1e6:.1f} MB -> {out}"
    )
    # CPU seconds of this process and its workers: the figure that does not
    # depend on what else the machine is running.
    if args.bench:  # the writing alone, for bench/run.py (its floor: bench/floors/summaries.py)
        print("BENCH " + json.dumps({"wall": total, "cpu": cpu}))
    print(
        f"CPU: {cpu:.1f} s in all ({cpu / max(1, len(written)) * 1000:.0f} ms per summary); "
        f"on an idle machine about {cpu / workers / 60:.1f} min with {workers} process(es)"
    )
    return 0 if written else 1


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # finished workers
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    sys.exit(main())
