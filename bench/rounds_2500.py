"""Rounds over the years at national scale: 2,500 agencies, three rounds.

Builds the demo with ``--rounds 3`` (2,500 agencies, ≈100,000 services a round)
once, then times, each on a fresh copy:

* ``open_round(1404, from 1403)``: carrying ≈100,000 services and opening
  2,500 drafts (with their audit entries) and keeping the earlier rounds'
  agency details — beside its floor, the same rows copied by one plain SQL
  ``INSERT … SELECT`` each (no audit entries, no checks);
* ``report trend`` over the three rounds (scoring every round, ranking, the
  workbook; charts drawn in-process) — beside its floor, ``score_round`` of
  each round alone, the scoring every comparison needs;
* one agency beside its earlier rounds, as the window reads it when the agency
  is opened (on a worker thread): the first time, scoring the two earlier
  rounds — beside its floor, ``score_round`` of those two rounds alone — and
  again once they are cached (only the check that they did not change).

    .venv/bin/python bench/rounds_2500.py [--agencies 2500]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=2500)
    args = parser.parse_args()
    from workbench.demo.build import build_demo
    from workbench.demo.rounds import add_earlier_rounds
    from workbench.model.assessments import find_round, score_round
    from workbench.model.framework import load_default_framework
    from workbench.model.rounds import open_round
    from workbench.model.store import open_store
    from workbench.reports import trend_data
    from workbench.reports.trend import export_trend
    from workbench.reports.trend_data import earlier_rounds, history

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        built, base = _timed(lambda: build_demo(tmp / "base.sqlite", agencies=args.agencies))
        extra, _ = _timed(lambda: add_earlier_rounds(base, 3))
        print(f"demo of {args.agencies} agencies: {built:.1f} s; two earlier rounds: {extra:.1f} s")
        framework = load_default_framework()

        copy = tmp / "open.sqlite"
        shutil.copy(base, copy)
        store = open_store(copy)
        with store.session() as s:
            took, opened = _timed(lambda: open_round(s, 1404, framework, 1403))
        store.close()
        copy.unlink()
        shutil.copy(base, copy)
        conn = sqlite3.connect(copy)
        conn.create_function("new_uuid", 0, lambda: str(uuid.uuid4()))
        start = time.perf_counter()
        with conn:
            (src,) = conn.execute("SELECT uuid FROM rounds WHERE year = 1403").fetchone()
            conn.execute("INSERT INTO rounds (uuid, created_at, updated_at, updated_by, year, title, framework_id, "
                         "framework_text, framework_sha256) SELECT 'r1404', created_at, updated_at, '', 1404, title, "
                         "framework_id, framework_text, framework_sha256 FROM rounds WHERE uuid = ?", (src,))
            conn.execute("INSERT INTO services (uuid, created_at, updated_at, updated_by, round_uuid, agency_uuid, "
                         "service_id, title, parent_service_id, kind, in_request_plan, in_delivery_plan, "
                         "in_counter_plan, in_gsb_plan, url) SELECT new_uuid(), created_at, updated_at, '', 'r1404', "
                         "agency_uuid, service_id, title, parent_service_id, kind, in_request_plan, in_delivery_plan, "
                         "in_counter_plan, in_gsb_plan, url FROM services WHERE round_uuid = ?", (src,))
            conn.execute("INSERT INTO assessments (uuid, created_at, updated_at, updated_by, round_uuid, agency_uuid, "
                         "evaluator, status) SELECT new_uuid(), created_at, updated_at, '', 'r1404', agency_uuid, '', "
                         "'draft' FROM assessments WHERE round_uuid = ?", (src,))
        floor = time.perf_counter() - start
        conn.close()
        print(f"round new --from 1403: {took:.2f} s ({opened.services:,} services, {opened.assessments:,} drafts, "
              f"audited)  | floor, plain INSERT…SELECT: {floor:.2f} s")

        store = open_store(base)
        with store.session() as s:
            floors = {y: _timed(lambda y=y: score_round(s, find_round(s, y)))[0] for y in (1401, 1402, 1403)}
            took, result = _timed(lambda: export_trend(s, tmp / "trend", workers=1))
            rnd = find_round(s, 1403)
            scored = score_round(s, rnd)
            item = scored[len(scored) // 2]
            trend_data._cache.clear()
            first, _ = _timed(lambda: history(earlier_rounds(s, rnd, item.agency.code), rnd, framework, item.agency,
                                              item.card, item.assessment.status))
            one, _ = _timed(lambda: history(earlier_rounds(s, rnd, item.agency.code), rnd, framework, item.agency,
                                            item.card, item.assessment.status))
        store.close()
        charts = sum(1 for p in result.charts if p.suffix == ".png")
        print(f"report trend, 3 rounds: {took:.1f} s ({len(result.groups)} groups, {charts} charts) "
              f"| floor, score_round of each round: {sum(floors.values()):.1f} s")
        print(f"one agency beside its earlier rounds, first read: {first:.1f} s "
              f"| floor, score_round of 1401 and 1402: {floors[1401] + floors[1402]:.1f} s; "
              f"again (cached): {one * 1000:.0f} ms")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
