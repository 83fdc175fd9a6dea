"""The inbox's preview beside the merge it previews (issue 14): the same packages, the same master.

The preview (``exchange.inbox.check``) is the merge run as a dry run and
rolled back, so that its counts are the merge's; its floor is the merge
itself (``exchange.merge.merge``, committed), the plainest way to know what a
merge would do.  Setup as ``bench/merge_100.py`` (its ``build``); each timed
step in a fresh process, on its own copy of the master.

    .venv/bin/python bench/inbox_preview.py [--evaluators 20] [--agencies 25] [--evidence-mb 2] [--work DIR]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _merge_bench():
    spec = importlib.util.spec_from_file_location("merge_100", HERE / "merge_100.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_preview(master: Path, packages: list[Path]) -> dict:
    from workbench.exchange.inbox import check
    from workbench.model.store import open_store

    bench = _merge_bench()
    t = time.perf_counter()
    store = open_store(master, actor="سرپرست")
    with store.session() as s:
        result = check(s, packages)
    store.close()
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "peak_mb": bench._peak_mb(), "per_agency": bench.per_agency(result)}


def run_merge(master: Path, packages: list[Path]) -> dict:
    return _merge_bench().run_merge(master, packages)


def _child(kind: str, master: Path, listing: Path) -> dict:
    return _merge_bench().child(kind, master, listing, script=__file__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluators", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=25)
    parser.add_argument("--evidence-mb", type=int, default=2)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--preview-only", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--merge-only", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for kind, job in (("preview_only", run_preview), ("merge_only", run_merge)):
        given = getattr(args, kind)
        if given:
            master, listing = given
            print(json.dumps(job(master, [Path(p) for p in listing.read_text().split("\n") if p])))
            return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="inbox-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, str(HERE / "merge_100.py"), "--build-only", str(work), "--evaluators",
                        str(args.evaluators), "--agencies", str(args.agencies), "--evidence-mb",
                        str(args.evidence_mb)], check=True)
        listing = work / "packages.txt"
        master = work / "master.sqlite"
        copy = work / "merge.sqlite"
        shutil.copyfile(master, copy)
        if Path(f"{master}-wal").exists():
            shutil.copyfile(f"{master}-wal", f"{copy}-wal")
        os.sync()
        preview = _child("preview", master, listing)
        merged = _child("merge", copy, listing)
        same = preview["per_agency"] == {k.replace(str(copy), str(master)): v for k, v in merged["per_agency"].items()}
        print(f"{args.evaluators} packages of {args.agencies} agencies, {args.evidence_mb} MB of new evidence each")
        print(f"preview (dry-run merge, rolled back): {preview['seconds']:.1f} s, peak {preview['peak_mb']:.0f} MB")
        print(f"floor (the merge, committed): {merged['seconds']:.1f} s, peak {merged['peak_mb']:.0f} MB")
        print(f"ratio: {preview['seconds'] / merged['seconds']:.2f}× the floor; per-agency counts "
              f"{'equal' if same else 'DIFFER'} ({len(preview['per_agency'])} agencies); "
              f"load average {os.getloadavg()[0]:.1f}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
