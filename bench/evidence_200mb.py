"""Adding a 200 MB evidence file, and adding it again, on SQLite and on PostgreSQL (issue 16's rows).

Each measurement runs in a fresh process.  Memory is the process's peak
resident size while adding (``VmHWM``, reset just before through
``/proc/self/clear_refs``) above what it held just before, and what it holds
after (target: peak ≤ +64 MB, back to the baseline after).  The floor is the
plainest streaming on SQLite: a hash pass, then ``sqlite3``'s incremental blob
I/O in 1 MiB pieces.  Adding the same file again must not read the stored
file: the statements that touch the stored bytes are counted (target: 0).

    .venv/bin/python bench/evidence_200mb.py [--mb 200]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r'''
import hashlib, json, sqlite3, sys, time
kind, target, path = sys.argv[1:4]

def status(key):
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) // 1024 for l in fh if l.startswith(key + ":"))

def reset_peak():
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")

out = {}
if kind == "floor":
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER, data BLOB)")
    base = status("VmRSS"); reset_peak(); t = time.perf_counter()
    sha = hashlib.sha256(); size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk); size += len(chunk)
    with conn:
        rowid = conn.execute("INSERT INTO blobs VALUES (?, ?, zeroblob(?))", (sha.hexdigest(), size, size)).lastrowid
        with conn.blobopen("blobs", "data", rowid) as blob, open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                blob.write(chunk)
    out["add"] = {"s": time.perf_counter() - t, "base": base, "peak": status("VmHWM"), "after": status("VmRSS")}
else:
    from sqlalchemy import event
    from workbench.model.editing import file_evidence_fields
    from workbench.model.store import open_store
    store = open_store(target)
    with store.session() as s:
        s.execute(__import__("sqlalchemy").text("SELECT 1"))
    base = status("VmRSS"); reset_peak(); t = time.perf_counter()
    with store.session() as s:
        file_evidence_fields(s, "4.1", path)
    out["add"] = {"s": time.perf_counter() - t, "base": base, "peak": status("VmHWM"), "after": status("VmRSS")}
    seen = []
    event.listen(store.engine, "before_cursor_execute", lambda c, cur, sql, *a: seen.append(sql))
    base = status("VmRSS"); reset_peak(); t = time.perf_counter()
    with store.session() as s:
        file_evidence_fields(s, "4.2", path)
    out["again"] = {"s": time.perf_counter() - t, "base": base, "peak": status("VmHWM"), "after": status("VmRSS"),
                    "reads_of_stored_bytes": sum("blob_chunks" in q or "blobs.data" in q for q in seen)}
    store.close()
print(json.dumps(out))
'''


def child(kind: str, target: str, path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, kind, target, str(path)], capture_output=True, text=True,
                            cwd=ROOT)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from backends import start_server

    work = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    server = None
    try:
        path = work / "video.bin"
        with open(path, "wb") as fh:
            for _ in range(args.mb):
                fh.write(os.urandom(1 << 20))
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average {load}; a {args.mb} MB file of random bytes")
        floor = child("floor", str(work / "floor.sqlite"), path)["add"]
        runs = {"SQLite": child("store", str(work / "store.sqlite"), path)}
        server, reason = start_server()
        if server is not None:
            runs["PostgreSQL"] = child("store", server.url_of(server.new_database()), path)
        else:
            print("PostgreSQL skipped:", reason)
        print(f"{'':34} {'time':>7} {'peak above base':>16} {'after − base':>13}")
        print(f"{'floor (hash + sqlite3 blobopen)':34} {floor['s']:6.2f}s {floor['peak'] - floor['base']:+13d} MB "
              f"{floor['after'] - floor['base']:+10d} MB")
        for name, run in runs.items():
            for step in ("add", "again"):
                r = run[step]
                extra = f"   stored bytes read: {r['reads_of_stored_bytes']}" if step == "again" else ""
                print(f"{name + ' ' + ('adding' if step == 'add' else 'adding again'):34} {r['s']:6.2f}s "
                      f"{r['peak'] - r['base']:+13d} MB {r['after'] - r['base']:+10d} MB{extra}")
    finally:
        if server is not None:
            server.stop()
        subprocess.run(["rm", "-rf", str(work)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
