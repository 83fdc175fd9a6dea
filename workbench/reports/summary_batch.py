"""A round's summary PDFs written by several processes at once.

Laying out and painting a summary is CPU work inside Qt (about a tenth of a
second each); a national round of 2,500 agencies takes minutes on one core.
Qt's text layout cannot be shared between threads of one document set, and
Python threads would not run it in parallel anyway, so each worker is its own
process: it starts Qt (offscreen), opens the database (only to read it) and
writes a chunk of agencies.  The parent hands out chunks,
reports progress as they finish and, when cancelled, drops the chunks not yet
started.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from workbench.paths import is_frozen

#: Agencies per task: small enough that cancelling is prompt, large enough
#: that loading a chunk's rows is a few queries, not one per agency.
CHUNK = 16


def default_workers(count: int) -> int:
    """Processes worth starting for ``count`` summaries (starting one costs about a second).

    One, i.e. in-process, in the frozen program (see :func:`workbench.paths.is_frozen`).
    """
    if count < 40 or is_frozen():
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def write_chunks(
    db_path: str | Path,
    round_uuid: str,
    agencies: list[tuple[str, str]],
    out_dir: Path,
    workers: int,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Write the summaries of ``agencies`` ((code, name) pairs) with ``workers`` processes."""
    total = len(agencies)
    chunks = [agencies[i : i + CHUNK] for i in range(0, total, CHUNK)]
    today = dt.date.today()
    written: list[Path] = []
    # "spawn": a child forked from a process that already runs Qt inherits its
    # threads' locks in whatever state they were; a fresh interpreter does not.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: set[Future] = {
            pool.submit(_write_chunk, str(db_path), round_uuid, [c for c, _ in chunk], str(out_dir), today)
            for chunk in chunks
        }
        names = {}
        for chunk in chunks:
            names.update(chunk)
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                for code, path in future.result():  # a worker's error is raised here
                    written.append(Path(path))
                    if progress is not None:
                        progress(len(written), total, names.get(code, code))
            if cancelled is not None and cancelled():
                for future in pending:
                    future.cancel()
                # chunks already running finish; their files are kept
                for future in pending:
                    if not future.cancelled():
                        written += [Path(p) for _, p in future.result()]
                break
    return sorted(written)


def _write_chunk(db_path: str, round_uuid: str, codes: list[str], out_dir: str, printed_on: dt.date):
    """In a worker process: write the summaries of ``codes``; their (code, path) pairs."""
    from workbench.model.schema import Round
    from workbench.model.store import open_store
    from workbench.reports.summary import ensure_gui_app, pdf_name, write_source_pdf
    from workbench.reports.summary_source import iter_round_sources

    ensure_gui_app()
    store = open_store(db_path, create=False)
    out = []
    try:
        with store.session() as session:
            rnd = session.get(Round, round_uuid)
            for src in iter_round_sources(session, rnd, agency_codes=codes):
                path = Path(out_dir) / pdf_name(src.agency.code)
                write_source_pdf(src, path, printed_on)
                out.append((src.agency.code, str(path)))
    finally:
        store.close()
    return out
