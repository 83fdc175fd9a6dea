"""The ranking of a 2,500-agency round on PostgreSQL beside the same on SQLite (issue 15).

Builds the demo round (``workbench demo``, 2,500 agencies) into a SQLite file,
copies it onto a PostgreSQL server with ``workbench copy`` (timed), then ranks
the round on each store in paired runs: every assessment scored
(``score_round``, all rows read through the store) and ranked by province
(``rank_groups``), as the ranking report does before it draws anything.  The
SQLite run is the floor; the ratio is the median of the paired ratios.

The server is ``WORKBENCH_BENCH_PG_URL`` (a ``postgres`` database URL whose role
may create databases), else a throwaway one started with
``scripts/pg_test_server.sh`` (unix socket, fsync off) and removed at the end.

    .venv/bin/python bench/postgres_2500.py [--agencies 2500] [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from backends import PgServer  # noqa: E402

from workbench.demo.build import build_demo  # noqa: E402
from workbench.model.assessments import find_round, score_round  # noqa: E402
from workbench.model.copying import copy_store  # noqa: E402
from workbench.model.schema import Agency  # noqa: E402
from workbench.model.store import open_store  # noqa: E402
from workbench.reports.ranks import rank_groups  # noqa: E402


def rank_round(target) -> tuple[float, float, int]:
    """Open, score every assessment, rank by province; (wall s, CPU s, ranked)."""
    wall, cpu = time.perf_counter(), time.process_time()
    store = open_store(target, create=False)
    try:
        with store.session() as s:
            rnd = find_round(s)
            scored = score_round(s, rnd)
            agencies = {a.uuid: a for a in s.query(Agency)}
            groups = rank_groups(scored, "province", agencies)
            ranked = sum(len(g.ranked) for g in groups)
    finally:
        store.close()
    return time.perf_counter() - wall, time.process_time() - cpu, ranked


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    server_folder = None
    if os.environ.get("WORKBENCH_BENCH_PG_URL"):
        server = PgServer(os.environ["WORKBENCH_BENCH_PG_URL"])
    else:
        server_folder = str(work / "srv")
        started = subprocess.run(["bash", str(ROOT / "scripts" / "pg_test_server.sh"), "start", server_folder],
                                 capture_output=True, text=True)
        if started.returncode:
            print("no PostgreSQL server:", started.stderr.strip())
            return 1
        server = PgServer(started.stdout.strip().splitlines()[-1], server_folder)
    try:
        print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}; "
              f"{args.agencies} agencies, {args.runs} paired runs")
        t = time.perf_counter()
        path = build_demo(work / "round.sqlite", agencies=args.agencies, seed=1403)
        print(f"demo built (SQLite): {time.perf_counter() - t:.1f} s, {path.stat().st_size / 1e6:.0f} MB")
        url = server.url_of(server.new_database())
        t = time.perf_counter()
        copied = copy_store(path, url)
        rows = sum(n for k, n in copied.rows.items() if k != "blobs")
        print(f"workbench copy file → server: {time.perf_counter() - t:.1f} s ({rows} rows, {copied.files} files, "
              f"{copied.file_bytes / 1e6:.1f} MB)")
        rank_round(path), rank_round(url)  # warm the caches of both alike
        pairs = []
        for _ in range(args.runs):
            lite = rank_round(path)
            pg = rank_round(url)
            assert lite[2] == pg[2], (lite, pg)
            pairs.append((lite, pg))
            print(f"  SQLite {lite[0]:6.2f} s (CPU {lite[1]:5.2f})   PostgreSQL {pg[0]:6.2f} s (CPU {pg[1]:5.2f})"
                  f"   ratio {pg[0] / lite[0]:.2f}")
        lite_med = statistics.median(p[0][0] for p in pairs)
        pg_med = statistics.median(p[1][0] for p in pairs)
        ratio = statistics.median(p[1][0] / p[0][0] for p in pairs)
        print(f"ranking {pairs[0][0][2]} ranked agencies by province: PostgreSQL {pg_med:.2f} s beside its floor, "
              f"SQLite {lite_med:.2f} s: ratio {ratio:.2f} (median of {args.runs} pairs); "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        if server_folder:
            server.stop()
        subprocess.run(["rm", "-rf", str(work)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
