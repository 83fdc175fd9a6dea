"""Floor of the printed summaries (``bench/summaries_2500.py --limit N``): the same HTML laid out once and drawn.

    python bench/floors/summaries.py DB N OUT_DIR

The first N summaries of the latest round, each from the same source and HTML as the workbench's
(``summary_source``, ``summary_html``) in the same document (Vazirmatn, right-to-left tables), laid
out once on the PDF writer and painted page by page with the same footer — but with no tables kept
whole (``summary.keep_tables_whole``), the one step the floor leaves out.  Prints its own CPU
time on a ``BENCH`` line (bench/run.py), as the workbench's row does.
"""
import datetime as dt
import itertools
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QPainter, QPdfWriter  # noqa: E402

from workbench.model.assessments import find_round  # noqa: E402
from workbench.model.store import open_store  # noqa: E402
from workbench.reports import summary  # noqa: E402
from workbench.reports.summary_html import render_html  # noqa: E402
from workbench.reports.summary_source import iter_round_sources  # noqa: E402

db, count, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
summary.ensure_gui_app()
summary.font_family()
store = open_store(db, create=False)
today = dt.date.today()
wall, cpu = time.perf_counter(), time.process_time()
with store.session() as session:
    for src in itertools.islice(iter_round_sources(session, find_round(session)), count):
        writer = QPdfWriter(str(out / summary.pdf_name(src.agency.code)))
        writer.setResolution(summary.RESOLUTION)
        writer.setPageLayout(summary.page_layout())
        doc = summary.summary_document(render_html(src, today), writer)
        pages = doc.pageCount()  # the one layout
        body = writer.pageLayout().paintRectPixels(writer.resolution())
        painter = QPainter(writer)
        for page in range(pages):
            if page:
                writer.newPage()
            summary._paint_page(painter, doc, page, pages, body.height(), writer.resolution(),
                                summary.footer_text(src))
        painter.end()
        del doc, writer
store.close()
print("BENCH " + json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
