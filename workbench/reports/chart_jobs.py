"""Drawing many charts, on every core when there are many.

A round grouped by province or by parent agency needs tens to hundreds of
charts, and matplotlib draws one at a time at about a second each (text
shaping dominates).  Charts are independent — plain data in, files out — so
a batch is spread over worker processes.  Processes, not threads: matplotlib
and FreeType are not thread-safe, and the GIL would serialise them anyway.
They are *spawned*, never forked, because the window's process has Qt
threads running; and a frozen (PyInstaller) build draws in-process, so no
entry point has to know about ``multiprocessing.freeze_support``.

Jobs that share a ``batch`` (a group's bar chart and heat map show the same
names) go to the same worker together: a worker shapes each text once and
reuses it (``chart_canvas``), so the names are shaped once per group, not
once per chart.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from workbench.paths import is_frozen
from workbench.reports import charts
from workbench.reports.progress import ReportCancelled

#: Below this many charts, starting worker processes (about a second each,
#: to import matplotlib) costs more than it saves.
PARALLEL_FROM = 12
MAX_WORKERS = 4


@dataclass(frozen=True)
class ChartJob:
    key: str  # how the caller finds the result
    function: str  # a drawing function of ``workbench.reports.charts``, or «module.function» of another module there
    args: tuple = ()
    kwargs: dict = field(default_factory=dict, hash=False)
    batch: str = ""  # jobs with the same (non-empty) batch are drawn one after the other by one worker


def run_job(job: ChartJob) -> charts.ChartFiles:
    module, name = charts, job.function
    if "." in name:
        import importlib

        where, name = name.rsplit(".", 1)
        module = importlib.import_module(f"workbench.reports.{where}")
    return getattr(module, name)(*job.args, **job.kwargs)


def run_batch(jobs: list[ChartJob]) -> list[charts.ChartFiles]:
    return [run_job(job) for job in jobs]


def batches(jobs: list[ChartJob]) -> list[list[ChartJob]]:
    """The jobs in their order, those of one batch together (where the batch's first job is)."""
    out: list[list[ChartJob]] = []
    where: dict[str, list[ChartJob]] = {}
    for job in jobs:
        if job.batch and job.batch in where:
            where[job.batch].append(job)
            continue
        out.append([job])
        if job.batch:
            where[job.batch] = out[-1]
    return out


def default_workers(jobs: int) -> int:
    if is_frozen() or jobs < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def draw_charts(
    jobs: list[ChartJob],
    workers: int | None = None,
    on_done: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, charts.ChartFiles]:
    """Draw every job; ``on_done(done, total, key)`` after each, stop when ``cancelled()``."""
    workers = default_workers(len(jobs)) if workers is None else workers
    results: dict[str, charts.ChartFiles] = {}

    def done(job: ChartJob, files: charts.ChartFiles) -> None:
        results[job.key] = files
        if on_done is not None:
            on_done(len(results), len(jobs), job.key)

    if workers <= 1:
        for job in jobs:
            if cancelled is not None and cancelled():
                raise ReportCancelled()
            done(job, run_job(job))
        return results

    import multiprocessing

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        pending = {pool.submit(run_batch, batch): batch for batch in batches(jobs)}
        while pending:
            finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            if cancelled is not None and cancelled():
                raise ReportCancelled()
            for future in finished:
                for job, files in zip(pending.pop(future), future.result()):
                    done(job, files)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # charts being drawn finish; the rest never start
        raise
    pool.shutdown(wait=True)
    return results
