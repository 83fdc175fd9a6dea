"""The printed assessment summary in the window: preview, print, PDF, and a whole round.

Preview, printer and PDF all paint the same ``QTextDocument`` through
:func:`workbench.reports.summary.paint_document`, so what is previewed is what
is printed.  The window's menu calls these functions; they know nothing of it.

A round's summaries (up to 2,500 files) are written on a worker thread with
its own database session, behind a progress dialog with a cancel button.
Painting a ``QTextDocument`` onto a ``QPdfWriter`` is allowed off the GUI
thread (it is a ``QPagedPaintDevice``, like ``QImage`` painting); the bundled
fonts are registered on the GUI thread before the worker starts, so the worker
only looks fonts up, which Qt guards with its own lock.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QPaintEngine
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from workbench.model.errors import UserError
from workbench.model.schema import Assessment, Round
from workbench.model.text import persian_digits
from workbench.reports.summary import (
    font_family,
    footer_text,
    page_layout,
    paint_document,
    pdf_name,
    summary_document,
    write_all,
    write_summary_pdf,
)
from workbench.reports.summary_html import load_source, render_html

log = logging.getLogger(__name__)

TITLE = "خلاصهٔ ارزیابی"
#: Resolution of the preview's page images: sharp at the preview's zoom levels.
PREVIEW_DPI = 200


def _printer(doc_name: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout())
    printer.setDocName(doc_name)
    return printer


class _Painter:
    """Paints one assessment's summary on whatever device asks (preview pages, printer)."""

    def __init__(self, session, assessment: Assessment):
        src = load_source(session, assessment)
        # Read everything now, on the GUI thread, while the session is at hand.
        self.html = render_html(src)
        self.footer = footer_text(src)
        self.name = f"{TITLE} — {src.agency.name}"
        self.code = src.agency.code

    def paint(self, device) -> None:
        # The preview records pages as QPictures, which replay Persian text
        # runs left to right; it gets page images instead.  A real printer
        # (also when printing from the preview) gets vector text.
        raster = PREVIEW_DPI if device.paintEngine().type() == QPaintEngine.Type.Picture else None
        paint_document(summary_document(self.html, device), device, self.footer, raster_dpi=raster)


def preview_dialog(parent: QWidget | None, session, assessment: Assessment) -> QPrintPreviewDialog:
    """The print preview of the summary, built but not shown."""
    painter = _Painter(session, assessment)
    printer = _printer(painter.name)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"پیش‌نمایش چاپ — {painter.name}")
    dialog.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    dialog.paintRequested.connect(painter.paint)
    # The dialog does not own its printer or our painter; keep them alive with it.
    dialog._summary_keep = (printer, painter)  # noqa: SLF001
    return dialog


def print_preview(parent: QWidget | None, session, assessment: Assessment) -> None:
    preview_dialog(parent, session, assessment).exec()


def print_summary(parent: QWidget | None, session, assessment: Assessment) -> bool:
    """Ask for a printer and print the summary; ``True`` when printed."""
    painter = _Painter(session, assessment)
    printer = _printer(painter.name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"چاپ {painter.name}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    try:
        painter.paint(printer)
    except UserError as exc:
        QMessageBox.warning(parent, "چاپ نشد", exc.message)
        return False
    return True


def export_summary_pdf(parent: QWidget | None, session, assessment: Assessment) -> Path | None:
    """Ask where, then write the summary PDF; the path written, or ``None``."""
    from workbench.model.schema import Agency

    agency = session.get(Agency, assessment.agency_uuid)
    name, _ = QFileDialog.getSaveFileName(
        parent, "ذخیرهٔ خلاصهٔ ارزیابی به‌صورت PDF", pdf_name(agency.code), "PDF (*.pdf)"
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        write_summary_pdf(session, assessment, path)
    except UserError as exc:
        QMessageBox.warning(parent, "PDF نوشته نشد", exc.message)
        return None
    return path


# --------------------------------------------------------------------------- a whole round


_running: set["SummaryExport"] = set()


class SummaryExport(QThread):
    """Writes every summary of a round on its own thread and session."""

    #: done, total, the agency just written
    progressed = Signal(int, int, str)
    #: files written, whether it was cancelled
    done = Signal(int, bool)
    #: a Persian message
    failed = Signal(str)

    def __init__(self, session_factory: Callable, round_uuid: str, out_dir: Path, parent=None):
        super().__init__(parent)
        self._factory = session_factory
        self._round_uuid = round_uuid
        self.out_dir = Path(out_dir)
        self._stop = threading.Event()
        self.written: list[Path] = []

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        session = self._factory()
        try:
            rnd = session.get(Round, self._round_uuid)
            if rnd is None:
                raise UserError("دورهٔ ارزیابی در پایگاه داده پیدا نشد")
            self.written = write_all(
                session, rnd, self.out_dir, progress=self.progressed.emit, cancelled=self._stop.is_set
            )
            self.done.emit(len(self.written), self._stop.is_set())
        except UserError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the details go to the log
            log.exception("writing the round's summaries failed")
            self.failed.emit(f"نوشتن خلاصه‌ها با خطای پیش‌بینی‌نشده متوقف شد: {exc}")
        finally:
            session.close()


def start_export_all(
    parent: QWidget | None, session_factory: Callable, rnd: Round, out_dir: Path
) -> SummaryExport:
    """Start writing the round's summaries into ``out_dir`` behind a progress dialog."""
    font_family()  # register the fonts here, on the GUI thread
    job = SummaryExport(session_factory, rnd.uuid, out_dir, parent)
    dialog = QProgressDialog("در حال آماده‌سازی خلاصه‌ها…", "لغو", 0, 0, parent)
    dialog.setWindowTitle(f"خلاصهٔ ارزیابی همهٔ دستگاه‌های دورهٔ {persian_digits(rnd.year)}")
    dialog.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(600)  # a quick run never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def on_progress(done: int, total: int, name: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if name:
            dialog.setLabelText(f"{persian_digits(done)} از {persian_digits(total)}: {name}")

    def on_cancel() -> None:
        dialog.setLabelText("در حال لغو؛ خلاصه‌ای که در حال نوشتن است تمام می‌شود…")
        job.cancel()

    job.progressed.connect(on_progress)
    dialog.canceled.connect(on_cancel)
    job.done.connect(lambda *_: dialog.close())
    job.failed.connect(lambda *_: dialog.close())
    # A running QThread must outlive every Python reference the caller drops.
    _running.add(job)
    job.finished.connect(lambda: _running.discard(job))
    job.progress_dialog = dialog
    job.start()
    return job


def export_all_summaries(parent: QWidget | None, session_factory: Callable, rnd: Round) -> SummaryExport | None:
    """Ask for a folder, then write one summary PDF per agency of the round (named by code)."""
    folder = QFileDialog.getExistingDirectory(parent, "پوشهٔ خلاصه‌های ارزیابی را انتخاب کنید")
    if not folder:
        return None
    job = start_export_all(parent, session_factory, rnd, Path(folder))

    def report_done(count: int, cancelled: bool) -> None:
        what = f"{persian_digits(count)} خلاصهٔ ارزیابی در «{folder}» نوشته شد."
        if cancelled:
            what = "کار لغو شد. " + what
        box = QMessageBox(QMessageBox.Icon.Information, TITLE, what, parent=parent)
        box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        box.open()

    def report_failed(message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, TITLE, message, parent=parent)
        box.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        box.open()

    job.done.connect(report_done)
    job.failed.connect(report_failed)
    return job
