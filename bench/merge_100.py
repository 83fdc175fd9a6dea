"""Merging evaluators' packages into a 2,500-agency master (issue 9: within 5× the floor, under 400 MB).

Setup (not timed): a demo master of ``evaluators × agencies`` agencies (every
assessment set back to draft), one assignment of ``agencies`` agencies per
evaluator, each received into the evaluator's own database, edited there
(a note on one answer in seven, the value of one in eleven turned over, each
audited) and given ``evidence-mb`` of new evidence files (random bytes, 1 MB
each, spread over its agencies), then exported as a signed package.

Timed, each in a fresh process (its peak memory its own):

* **merge**: ``merge(master, every package)`` — one batch, checks and all — and the commit;
* **floor**: plain ``sqlite3`` copying the same rows (each package's records as
  key + table + JSON) and the same evidence files into a copy of the master,
  in one transaction: no checks, no comparison, no audit.

* **merge on PostgreSQL** (``--postgres``): the same merge into the same master
  copied onto a PostgreSQL server (``bench/pg_bench_server.py``; the copy not timed).

    .venv/bin/python bench/merge_100.py [--evaluators 100] [--agencies 25] [--evidence-mb 20] [--work DIR] [--postgres]

The issue's full scale (20 MB per agency: 50 GB of evidence) needs some 150 GB of
disk; ``--evidence-mb`` is per package.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MB = 1024 * 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(work: Path, evaluators: int, agencies: int, evidence_mb: int) -> list[Path]:
    from sqlalchemy import select

    from workbench.demo.build import build_demo
    from workbench.exchange.assign import assign
    from workbench.exchange.export import export
    from workbench.exchange.receive import receive
    from workbench.model.schema import Agency
    from workbench.model.store import open_store

    master = work / "master.sqlite"
    t = time.perf_counter()
    build_demo(master, agencies=evaluators * agencies, seed=9)
    conn = sqlite3.connect(master)
    with conn:
        conn.execute("UPDATE assessments SET status = 'draft'")
    conn.close()
    print(f"setup: demo master of {evaluators * agencies} agencies in {time.perf_counter() - t:.0f} s", flush=True)
    store = open_store(master, actor="سرپرست")
    with store.session() as s:
        codes = sorted(s.scalars(select(Agency.code)))
    packages = []
    rng = random.Random(9)
    for e in range(evaluators):
        t = time.perf_counter()
        mine = codes[e * agencies : (e + 1) * agencies]
        name = f"ارزیاب {e + 1:03d}"
        with store.session() as s:
            assign(s, name, mine, work / f"a{e:03d}.wba", issued_by="سرپرست")
        db = work / f"e{e:03d}.sqlite"
        ev = open_store(db, actor=name)
        with ev.session() as s:
            receive(s, work / f"a{e:03d}.wba")
        ev.close()
        _edit(db, name, evidence_mb, rng)
        ev = open_store(db, actor=name)
        with ev.session() as s:
            export(s, work / f"p{e:03d}.wbp")
        ev.close()
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        (work / f"a{e:03d}.wba").unlink()
        packages.append(work / f"p{e:03d}.wbp")
        if e % 10 == 0:
            print(f"setup: package {e + 1}/{evaluators} in {time.perf_counter() - t:.1f} s", flush=True)
    store.close()
    return packages


def _edit(db: Path, name: str, evidence_mb: int, rng: random.Random) -> None:
    import datetime as dt
    import hashlib
    import uuid

    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE answers SET note = 'بازبینی ' || key, updated_at = ?, updated_by = ? WHERE rowid % 7 = 0", (now, name))
        conn.execute("UPDATE answers SET value = NOT value, updated_at = ?, updated_by = ? "
                     "WHERE value IS NOT NULL AND rowid % 11 = 0", (now, name))
        conn.execute("INSERT INTO audit_log (uuid, at, actor, action, table_name, row_uuid, changes) "
                     "SELECT lower(hex(randomblob(16))), ?, ?, 'update', 'answers', uuid, '{\"note\": [null, \"x\"]}' "
                     "FROM answers WHERE rowid % 7 = 0", (now, name))
        assessments = [r[0] for r in conn.execute("SELECT uuid FROM assessments ORDER BY uuid")]
        for i in range(evidence_mb):
            data = rng.randbytes(MB)
            sha = hashlib.sha256(data).hexdigest()
            conn.execute("INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)", (sha, MB, data, now))
            conn.execute(
                "INSERT INTO evidence (uuid, assessment_uuid, measure_key, kind, text, number, blob_sha256, filename, mime,"
                " created_at, updated_at, updated_by) VALUES (?, ?, '1.1', 'file', 'اسکن', NULL, ?, ?, 'application/pdf', ?, ?, ?)",
                (str(uuid.uuid4()), assessments[i % len(assessments)], sha, f"سند {i}.pdf", now, now, name))
    conn.close()


def run_merge(master: Path | str, packages: list[Path]) -> dict:
    from workbench.exchange.merge import merge
    from workbench.model.store import open_store

    t = time.perf_counter()
    store = open_store(master, actor="سرپرست")
    with store.session() as s:
        result = merge(s, packages, merged_by="سرپرست")
    store.close()
    elapsed = time.perf_counter() - t
    statuses = {}
    for p in result.packages:
        statuses[p.status] = statuses.get(p.status, 0) + 1
    return {"seconds": elapsed, "peak_mb": _peak_mb(), "statuses": statuses,
            "added": sum(p.added for p in result.packages), "updated": sum(p.updated for p in result.packages),
            "unchanged": sum(p.unchanged for p in result.packages),
            "conflicts": sum(p.conflicts for p in result.packages), "per_agency": per_agency(result)}


def per_agency(result) -> dict:
    """Each package's counts per agency (added, updated, unchanged, conflicts): what a preview must equal."""
    return {f"{o.file}|{c}": [n.added, n.updated, n.unchanged, n.conflicts]
            for o in result.packages for c, n in o.per_agency.items()}


def run_floor(master: Path, packages: list[Path]) -> dict:
    t = time.perf_counter()
    conn = sqlite3.connect(master)
    conn.execute("CREATE TABLE IF NOT EXISTS floor_rows (rkey TEXT PRIMARY KEY, tbl TEXT, uuid TEXT, v TEXT)")
    rows = 0
    with conn:
        for path in packages:
            with zipfile.ZipFile(path) as zf:
                with zf.open("records.jsonl") as fh:
                    batch = []
                    for line in fh:
                        r = json.loads(line)
                        batch.append((r["k"], r["t"], r["u"], json.dumps(r["v"], ensure_ascii=False)))
                    conn.executemany("INSERT OR REPLACE INTO floor_rows VALUES (?, ?, ?, ?)", batch)
                    rows += len(batch)
                for name in zf.namelist():
                    if name.startswith("evidence/"):
                        data = zf.read(name)
                        conn.execute("INSERT OR IGNORE INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, '')",
                                     (name[9:], len(data), data))
    conn.close()
    return {"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(), "rows": rows}


def child(kind: str, master: Path | str, listing: Path, script: str = __file__) -> dict:
    """``script --KIND-only MASTER LISTING`` in a fresh process (its peak memory its own); its JSON line."""
    out = subprocess.run([sys.executable, script, f"--{kind}-only", str(master), str(listing)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluators", type=int, default=100)
    parser.add_argument("--agencies", type=int, default=25)
    parser.add_argument("--evidence-mb", type=int, default=20, help="MB of new evidence files per package")
    parser.add_argument("--work", type=Path, help="folder for the files (default: a temporary one, removed)")
    parser.add_argument("--postgres", action="store_true", help="the same merge on PostgreSQL too")
    parser.add_argument("--merge-only", nargs=2, help=argparse.SUPPRESS)  # a file or a server's URL
    parser.add_argument("--floor-only", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:  # in a process of its own, so that the timed ones start small (peak memory is inherited)
        packages = build(args.build_only, args.evaluators, args.agencies, args.evidence_mb)
        (args.build_only / "packages.txt").write_text("\n".join(str(p) for p in packages))
        return 0
    for kind, job in (("merge_only", run_merge), ("floor_only", run_floor)):
        given = getattr(args, kind)
        if given:
            master, listing = given
            from workbench.model.backends import database_location

            packages = [Path(p) for p in Path(listing).read_text().split("\n") if p]
            print(json.dumps(job(database_location(str(master)), packages)))
            return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="merge-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, __file__, "--build-only", str(work), "--evaluators", str(args.evaluators),
                        "--agencies", str(args.agencies), "--evidence-mb", str(args.evidence_mb)], check=True)
        listing = work / "packages.txt"
        packages = [Path(p) for p in listing.read_text().split("\n") if p]
        size = sum(p.stat().st_size for p in packages) / MB
        master = work / "master.sqlite"
        floor_db = work / "floor.sqlite"
        shutil.copyfile(master, floor_db)
        for suffix in ("-wal",):
            if Path(str(master) + suffix).exists():
                shutil.copyfile(Path(str(master) + suffix), Path(str(floor_db) + suffix))
        pristine = work / "pristine.sqlite"
        if args.postgres:
            shutil.copyfile(floor_db, pristine)
        os.sync()
        floor = child("floor", floor_db, listing)
        merged = child("merge", master, listing)
        on_server = None
        if args.postgres:
            from pg_bench_server import copy_onto, pg_server

            with pg_server() as server:
                url = copy_onto(server, pristine)
                on_server = child("merge", url, listing)
        print(f"{args.evaluators} packages of {args.agencies} agencies, {args.evidence_mb} MB of new evidence each "
              f"({size:.0f} MB of packages) into a {args.evaluators * args.agencies}-agency master")
        print(f"merge: {merged['seconds']:.1f} s, peak {merged['peak_mb']:.0f} MB — {merged['statuses']}, "
              f"{merged['added']} added, {merged['updated']} updated, {merged['unchanged']} unchanged, "
              f"{merged['conflicts']} conflicts")
        print(f"floor (plain sqlite3, {floor['rows']} rows + files): {floor['seconds']:.1f} s, peak {floor['peak_mb']:.0f} MB")
        print(f"ratio: {merged['seconds'] / floor['seconds']:.1f}× the floor; load average {os.getloadavg()[0]:.1f}")
        if on_server is not None:
            same = {k: on_server[k] for k in ("statuses", "added", "updated", "unchanged", "conflicts")} == \
                {k: merged[k] for k in ("statuses", "added", "updated", "unchanged", "conflicts")}
            print(f"merge on PostgreSQL: {on_server['seconds']:.1f} s, peak {on_server['peak_mb']:.0f} MB — "
                  f"{on_server['seconds'] / merged['seconds']:.2f}× the same merge on SQLite; "
                  f"{'the same' if same else 'NOT the same'} outcome ({on_server['statuses']}, "
                  f"{on_server['added']} added, {on_server['updated']} updated, {on_server['conflicts']} conflicts)")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
