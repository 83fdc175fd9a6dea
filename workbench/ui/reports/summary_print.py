"""The printed summary of the open assessment in the window: preview, print, PDF.

Preview, printer and PDF all paint the same ``QTextDocument`` through
:func:`workbench.reports.summary.paint_document`, so what is previewed is what
is printed.  The window's menu calls these functions; they know nothing of it.
A whole round's summaries are one of the Reports menu's background reports
(:mod:`workbench.ui.reports.actions`, through :mod:`workbench.ui.shared.task_runner`).
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEngine
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QLineEdit, QMessageBox, QToolBar, QWidget

from workbench.model.errors import UserError
from workbench.model.schema import Assessment
from workbench.model.text import persian_digits
from workbench.reports.summary import (
    footer_text,
    page_layout,
    paint_document,
    pdf_name,
    summary_document,
    write_summary_pdf,
)
from workbench.reports.summary_html import render_html
from workbench.reports.summary_source import load_source
from workbench.ui.shared import file_dialogs

log = logging.getLogger(__name__)

TITLE = "خلاصهٔ ارزیابی"
#: Resolution of the preview's page images: sharp at the preview's zoom levels.
PREVIEW_DPI = 200
#: The preview's share of the screen's height.
PREVIEW_SHARE = 0.9


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
    _page_number_in_persian(dialog)
    _readable_size(dialog, parent)
    return dialog


def _readable_size(dialog: QPrintPreviewDialog, parent: QWidget | None) -> None:
    """Most of the screen's height, the page as wide as the preview (it opened small, at 38 %)."""
    screen = (parent.screen() if parent is not None else dialog.screen()).availableGeometry()
    height = int(screen.height() * PREVIEW_SHARE)
    dialog.resize(min(screen.width() - 40, max(int(height * 0.95), 700)), height)
    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None:
        preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)


def _page_number_in_persian(dialog: QPrintPreviewDialog) -> None:
    """Qt's page box and «/ 6» print Latin digits: hidden, and «صفحهٔ ۱ از ۶» said instead."""
    preview = dialog.findChild(QPrintPreviewWidget)
    toolbar = dialog.findChild(QToolBar)
    if preview is None or toolbar is None:
        return
    label = QLabel(toolbar)
    label.setObjectName("page_number")
    anchor = None
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)  # the page box and «/ 6» sit in one small widget
        if widget is not None and widget.findChildren(QLineEdit) and widget.findChildren(QLabel):
            action.setVisible(False)
            anchor = action
    if anchor is None:
        return
    toolbar.insertWidget(anchor, label)

    def show(*_args) -> None:
        label.setText(f" صفحهٔ {persian_digits(preview.currentPage())} از {persian_digits(preview.pageCount())} ")

    preview.previewChanged.connect(show)
    scroll = preview.findChild(QAbstractScrollArea)
    if scroll is not None:
        scroll.verticalScrollBar().valueChanged.connect(show)
    for action in toolbar.actions():  # the first, previous, next and last page buttons
        action.triggered.connect(show)
    show()


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
    name, _ = file_dialogs.getSaveFileName(
        parent, "ذخیرهٔ خلاصهٔ ارزیابی به‌صورت PDF", pdf_name(agency.code), "PDF (*.pdf)", purpose="reports"
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
