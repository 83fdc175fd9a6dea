"""Damaged workbooks never crash the import: mutants of a good file end in exit 0 or 2, never a traceback.

A child process, its address space capped at 1.5 GB, imports each mutant of
``tests/workbook_mutants.py`` (bit flips, broken zip headers, broken sheet XML,
zip bombs, a named pipe, a link to /dev/zero…) into one database.  Every one
must be accepted (exit 0: the damage hit a part the import ignores) or refused
(exit 2) in Persian, with no English exception text, within 30 s, and a
refused one must leave the database file byte-identical.

``WORKBENCH_MUTANTS=3000`` (default 250) runs more; ``WORKBENCH_MUTANTS_SEED``
picks other ones.
"""
from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

COUNT = int(os.environ.get("WORKBENCH_MUTANTS", "250"))
SEED = int(os.environ.get("WORKBENCH_MUTANTS_SEED", "13"))
MEMORY_MB = 1536


def test_every_mutant_is_imported_or_refused_in_persian(tmp_path):
    tests = Path(__file__).resolve().parent
    env = dict(os.environ, WORKBENCH_DATA_DIR=str(tmp_path / "data"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tests), env.get("PYTHONPATH", "")]))
    child = subprocess.run(
        [sys.executable, str(tests / "workbook_mutants.py"), str(tmp_path / "work"), str(COUNT), str(SEED), str(MEMORY_MB)],
        env=env, capture_output=True, text=True, timeout=60 + COUNT * 30,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    lines = [json.loads(line) for line in child.stdout.splitlines()]
    peak = lines.pop()["peak_mb"]
    assert len(lines) == COUNT + 5  # the mutants and the five things that are not files

    failed = [r for r in lines if r["exit"] not in (0, 2) or r["english"] or r["changed"] or r["seconds"] > 30]
    by_kind = collections.Counter((r["kind"], "accepted" if r["exit"] == 0 else "refused") for r in lines)
    print(f"\n{len(lines)} cases, {len(lines) - len(failed)} clean ({dict(sorted(by_kind.items()))}), "
          f"{len(failed)} failed; peak {peak} MB")
    assert not failed, "\n".join(f"{r['name']}: exit {r['exit']}\n{r.get('output', '')}" for r in failed[:10])
    assert peak < MEMORY_MB
    assert all(r["exit"] == 2 for r in lines if r["kind"] == "special")
