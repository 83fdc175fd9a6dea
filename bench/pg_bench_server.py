"""The PostgreSQL server a benchmark runs on, beside the same work on SQLite (issue 15).

``WORKBENCH_BENCH_PG_URL`` (a ``postgres`` database URL whose role may create
databases) when it is set, else a throwaway server of the bench's own
(``scripts/pg_test_server.sh``: a unix socket in a temporary folder, fsync
off as for the tests), stopped and removed at the end.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from backends import PgServer  # noqa: E402


@contextlib.contextmanager
def pg_server() -> Iterator[PgServer]:
    """A server to create databases on; ``SystemExit`` saying why when none can be started."""
    if os.environ.get("WORKBENCH_BENCH_PG_URL"):
        yield PgServer(os.environ["WORKBENCH_BENCH_PG_URL"])
        return
    parent = tempfile.mkdtemp(prefix="bench-pg-")
    folder = os.path.join(parent, "srv")
    started = subprocess.run(["bash", str(ROOT / "scripts" / "pg_test_server.sh"), "start", folder],
                             capture_output=True, text=True)
    if started.returncode:
        subprocess.run(["rm", "-rf", parent], check=False)
        raise SystemExit(f"no PostgreSQL server: {started.stderr.strip()}")
    server = PgServer(started.stdout.strip().splitlines()[-1], folder)
    try:
        yield server
    finally:
        server.stop()


def copy_onto(server: PgServer, sqlite_file: Path) -> str:
    """A new database on ``server`` holding what ``sqlite_file`` holds (``workbench copy``); its URL."""
    from workbench.model.copying import copy_store

    url = server.url_of(server.new_database())
    t = time.perf_counter()
    copied = copy_store(sqlite_file, url)
    rows = sum(n for k, n in copied.rows.items() if k != "blobs")
    print(f"workbench copy onto PostgreSQL: {time.perf_counter() - t:.1f} s ({rows} rows, {copied.files} files, "
          f"{copied.file_bytes / 1e6:.0f} MB)", flush=True)
    return url
