"""The printed assessment summary as PDF (for the window and ``workbench report summary``).

The HTML of :mod:`summary_html` is laid out by a ``QTextDocument`` (QtGui only,
no widgets, so it runs with no display on the ``offscreen`` platform) and
painted page by page, because ``QTextDocument.print_`` cannot add the
«صفحه ۱ از ۳» footer.  The same painting serves the PDF writer, the print
preview and the printer (``workbench.ui.reports.summary_print``).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextOption,
    QTextTable,
)
from sqlalchemy.orm import Session

from workbench.atomic_write import write_replacing
from workbench.model.errors import UserError
from workbench.model.problems import os_problem, path_text
from workbench.model.schema import Assessment, Round
from workbench.model.text import persian_digits
from workbench.paths import resource_path
from workbench.reports.print_font import print_font
from workbench.reports.summary_html import agency_label, render_html
from workbench.reports.summary_source import SummarySource, iter_round_sources, load_source

FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")
BODY_POINTS = 10
FOOTER_POINTS = 8
#: A4 portrait; 15 mm sides, 14 mm top, 18 mm bottom (the footer lives in the bottom margin).
MARGINS_MM = QMarginsF(15, 14, 15, 18)
RESOLUTION = 300

_font_lock = threading.Lock()
_font_family: str | None = None


def font_family() -> str:
    """Register the bundled Vazirmatn (once) and return its family name.

    The printed summary never relies on a system font: a machine without a
    Persian font would otherwise print boxes.  It is Vazirmatn as
    :mod:`print_font` makes it, so the PDF's text can be searched and copied.
    """
    global _font_family
    with _font_lock:
        if _font_family is None:
            families: list[str] = []
            for name in FONT_FILES:
                data = QByteArray(print_font(resource_path("fonts", name)))
                font_id = QFontDatabase.addApplicationFontFromData(data)
                if font_id < 0:
                    raise RuntimeError(f"قلم {name} بارگذاری نشد")
                families += QFontDatabase.applicationFontFamilies(font_id)
            _font_family = families[0]
        return _font_family


def summary_document(html: str, device: QPagedPaintDevice | None = None) -> QTextDocument:
    """The summary laid out for reading right to left in Vazirmatn.

    Given the ``device`` it will be painted on, the document is fitted to its
    pages before the HTML goes in, so it is laid out once rather than first
    for the screen and then again for the paper.
    """
    doc = QTextDocument()
    font = QFont(font_family())
    font.setPointSizeF(BODY_POINTS)
    doc.setDefaultFont(font)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setDocumentMargin(0)
    if device is not None:
        fit_to(doc, device)
    doc.setHtml(html)
    right_to_left_tables(doc)
    return doc


def right_to_left_tables(doc: QTextDocument) -> None:
    """Every table laid out left to right, as its cells are written (see ``summary_html.cells_right_to_left``).

    Qt's layout of a ``dir="rtl"`` table is unreliable (the same HTML gave
    one table its first column at the right and the next at the left); the
    HTML writes each row's cells in visual order, so every table's direction
    is set here, explicitly, to the one that needs no guessing.

    The text inside the cells stays right to left, explicitly too: a block
    in a left-to-right table would otherwise take the table's direction, put
    «(۶۲٫۹ از ۲۴۹ امتیاز)» in the wrong order and align to the left.
    """
    rtl = QTextBlockFormat()
    rtl.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()  # one layout for all of it
    frames = list(doc.rootFrame().childFrames())
    while frames:
        frame = frames.pop()
        frames.extend(frame.childFrames())
        if not isinstance(frame, QTextTable):
            continue
        fmt = frame.format()
        fmt.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        frame.setFormat(fmt)
        block = doc.findBlock(frame.firstPosition())
        while block.isValid() and block.position() < frame.lastPosition():
            centred = block.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter
            rtl.setAlignment(Qt.AlignmentFlag.AlignHCenter if centred else Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
            QTextCursor(block).mergeBlockFormat(rtl)
            block = block.next()
    cursor.endEditBlock()


def fit_to(doc: QTextDocument, device: QPagedPaintDevice) -> None:
    """Lay ``doc`` out for the printable area of ``device``'s pages, at its resolution."""
    body = device.pageLayout().paintRectPixels(device.resolution())
    size = QSizeF(body.width(), body.height())
    if getattr(doc, "_fitted_to", None) is device and doc.pageSize() == size:
        return  # each change of page size lays the whole document out again
    doc.documentLayout().setPaintDevice(device)
    doc.setPageSize(size)
    doc._fitted_to = device


def page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def paint_document(
    doc: QTextDocument, device: QPagedPaintDevice, footer: str = "", raster_dpi: float | None = None
) -> int:
    """Paint ``doc`` on ``device`` (a PDF writer or a printer) page by page; the page count.

    The document is laid out against the device itself, so its fonts are
    measured at the device's resolution and lines break where they will print.
    Each page shows a window of the document the height of the printable area
    (clipped, so a line cut by the page edge is never drawn twice) and, in the
    bottom margin, the footer and «صفحه n از N».

    With ``raster_dpi`` each page is first drawn on an image of that
    resolution.  The print preview needs this: it records pages as
    ``QPicture``s, whose replay lays each text run out again left to right,
    which moves the punctuation of Persian text to the wrong end.
    """
    layout = device.pageLayout()
    dpi = device.resolution()
    body = layout.paintRectPixels(dpi)  # the printable area, in device pixels, inside the margins
    full = layout.fullRectPixels(dpi)
    fit_to(doc, device)
    keep_tables_whole(doc)
    pages = max(1, doc.pageCount())
    # QPainter on a paged device starts at the paint rect's top-left corner:
    # the page is drawn in that frame, down to the bottom edge of the paper.
    area = QRectF(0, 0, body.width(), full.bottom() - body.top())

    painter = QPainter()
    if not painter.begin(device):
        raise UserError("نوشتن خلاصهٔ ارزیابی آغاز نشد؛ مسیر خروجی یا چاپگر در دسترس نیست")
    try:
        for page in range(pages):
            if page:
                device.newPage()
            if raster_dpi is None:
                _paint_page(painter, doc, page, pages, body.height(), dpi, footer)
                continue
            scale = raster_dpi / dpi
            image = QImage(
                max(1, round(area.width() * scale)), max(1, round(area.height() * scale)), QImage.Format.Format_RGB32
            )
            image.fill(Qt.GlobalColor.white)
            image_painter = QPainter(image)
            image_painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            image_painter.scale(scale, scale)
            _paint_page(image_painter, doc, page, pages, body.height(), dpi, footer)
            image_painter.end()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(area, image)
    finally:
        painter.end()
    return pages


def _paint_page(painter: QPainter, doc: QTextDocument, page: int, pages: int, page_h: float, dpi: int, footer: str) -> None:
    width = doc.pageSize().width()
    painter.save()
    painter.translate(0, -page * page_h)
    doc.drawContents(painter, QRectF(0, page * page_h, width, page_h))
    painter.restore()
    gap = dpi * 4 / 25.4  # 4 mm between the text and the footer
    rect = QRectF(0, page_h + gap, width, dpi * 6 / 25.4)
    font = QFont(font_family())
    font.setPointSizeF(FOOTER_POINTS)
    # Point sizes follow the painter's device; the page was measured on ``dpi``.
    font.setPixelSize(max(1, round(FOOTER_POINTS * dpi / 72)))
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.darkGray)
    painter.drawLine(rect.topLeft(), rect.topRight())
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
    painter.drawText(rect, footer, option)
    option.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
    painter.drawText(rect, f"صفحه {persian_digits(page + 1)} از {persian_digits(pages)}", option)


def keep_tables_whole(doc: QTextDocument, max_passes: int = 6) -> None:
    """Start on a new page any table that would be cut by a page break but fits on one page.

    Qt's rich text has no ``page-break-inside: avoid``: a measure's table or
    the signature block would otherwise be split between two sheets, leaving
    signatures away from their names.  The headings just above a moved table
    move with it.

    Laying the document out again after each break would cost a layout per
    table (most of the time of a summary), so each pass predicts where the
    tables land once the earlier breaks push them down, sets all the breaks
    it found in one edit, and lays out once.  The prediction can be wrong
    (a table that was split loses the gap Qt had left at the page's foot), so
    each pass first looks at the real layout: a break that left a page empty
    (Qt breaks even before a block already at the top of a page) is taken out
    again, and tables still cut are moved in the next pass.
    """
    page_h = doc.pageSize().height()
    layout = doc.documentLayout()
    moved: list = []  # the blocks and tables given a break so far
    for _ in range(max_passes):
        pages = doc.pageCount()  # lay out (again, after the last pass's breaks)
        empty = _empty_pages(doc, pages, page_h) if moved else set()
        if empty:
            undo = [t for t in moved if int(_top(layout, t) // page_h) - 1 in empty]
            _set_breaks(doc, undo, QTextFormat.PageBreakFlag.PageBreak_Auto)
            moved = [t for t in moved if t not in undo]
            if undo:
                continue
        breaks = []
        shift = 0.0  # how far the breaks found so far push what follows down
        for frame in doc.rootFrame().childFrames():
            rect = layout.frameBoundingRect(frame)
            top, bottom = rect.top() + shift, rect.bottom() + shift
            if rect.height() > page_h * 0.95:
                if shift and int(top // page_h) != int((bottom - 1) // page_h):
                    break  # moved and split anew: what follows is unpredictable until laid out
                continue
            if int(top // page_h) == int((bottom - 1) // page_h):
                continue
            heading = None
            block = doc.findBlock(frame.firstPosition() - 1)
            while block.isValid() and block.blockFormat().headingLevel() > 0:
                heading, block = block, block.previous()
            target = heading if heading is not None else frame
            start = _top(layout, target) + shift
            if start % page_h < 1:
                continue  # already at the top of a page: a break would not help
            shift += (int(start // page_h) + 1) * page_h - start
            breaks.append(target)
        if not breaks:
            return
        _set_breaks(doc, breaks, QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        moved += breaks


def _top(layout, target) -> float:
    if isinstance(target, QTextFrame):
        return layout.frameBoundingRect(target).top()
    return layout.blockBoundingRect(target).top()


def _set_breaks(doc: QTextDocument, targets: list, policy) -> None:
    if not targets:
        return
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()  # one layout for all of them, not one each
    for target in targets:
        if isinstance(target, QTextTable):
            fmt = target.format()
            fmt.setPageBreakPolicy(policy)
            target.setFormat(fmt)
        else:
            fmt = target.blockFormat()
            fmt.setPageBreakPolicy(policy)
            QTextCursor(target).setBlockFormat(fmt)
    cursor.endEditBlock()


def _empty_pages(doc: QTextDocument, pages: int, page_h: float) -> set[int]:
    """Pages on which no text at all is laid out."""
    layout = doc.documentLayout()
    empty = set(range(pages))
    block = doc.begin()
    while block.isValid() and empty:
        if block.length() > 1:  # empty separator blocks reach into the next page with their margin
            top = layout.blockBoundingRect(block).top()
            bottom = top + block.layout().boundingRect().height()  # the lines, not the margins
            empty.difference_update(range(int(top // page_h), int((bottom - 1) // page_h) + 1))
        block = block.next()
    return empty


def footer_text(src: SummarySource) -> str:
    return f"خلاصهٔ ارزیابی {agency_label(src)} — دورهٔ {persian_digits(src.round.year)}"


def write_source_pdf(src: SummarySource, out_path: Path, printed_on: dt.date | None = None) -> int:
    """One summary PDF; written beside the target and renamed, so a failure leaves no half file."""
    out_path = Path(out_path)
    html = render_html(src, printed_on)
    pages = 0

    def write(tmp: str) -> None:
        nonlocal pages
        writer = QPdfWriter(tmp)
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(page_layout())
        writer.setTitle(f"خلاصهٔ ارزیابی — {src.agency.name}")
        writer.setCreator("میز کار ارزیاب")
        doc = summary_document(html, writer)
        pages = paint_document(doc, writer, footer_text(src))
        del doc, writer  # the document first: its layout points at the writer; the file is closed with it

    try:
        write_replacing(out_path, write)
    except OSError as exc:
        raise UserError(f"فایل «{path_text(out_path)}» نوشته نشد: {os_problem(exc)}") from exc
    return pages


def write_summary_pdf(session: Session, assessment: Assessment, out_path: Path) -> int:
    """The summary of one assessment as an A4 PDF; returns its page count."""
    return write_source_pdf(load_source(session, assessment), Path(out_path))


def pdf_name(code: str) -> str:
    """A file name from an agency code: anything a file system may refuse becomes ``_``."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", str(code)).strip(" .") or "agency"
    return f"{safe}.pdf"


def write_all(
    session: Session,
    rnd: Round,
    out_dir: Path,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
) -> list[Path]:
    """One summary PDF per assessment of the round, named by agency code.

    ``progress(done, total, agency_name)`` once with 0 before the first file and
    after each file; when ``cancelled()`` turns true the work stops between
    files (the files already written stay).  With ``workers`` > 1 the files
    are written by that many processes (see ``summary_batch``), which read the
    database file the session is bound to.
    """
    from workbench.model.assessments import round_assessments
    from workbench.reports.summary_batch import write_chunks

    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"«{path_text(out_dir)}» پوشه نیست؛ با --all مسیر خروجی باید پوشه باشد")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"پوشهٔ «{path_text(out_dir)}» ساخته نشد: {os_problem(exc)}") from exc
    agencies = [(agency.code, agency.name) for _, agency in round_assessments(session, rnd)]
    total = len(agencies)
    if progress is not None:
        progress(0, total, "")
    if workers > 1 and total > 1:
        from workbench.model.backends import target_of

        return write_chunks(target_of(session), rnd.uuid, agencies, out_dir, workers, progress, cancelled)
    today = dt.date.today()
    written: list[Path] = []
    for src in iter_round_sources(session, rnd):
        if cancelled is not None and cancelled():
            break
        path = out_dir / pdf_name(src.agency.code)
        write_source_pdf(src, path, today)
        written.append(path)
        if progress is not None:
            progress(len(written), total, src.agency.name)
    return written


# --------------------------------------------------------------------------- Qt with no window


def ensure_gui_app() -> QGuiApplication:
    """The running Qt application, or a new ``QGuiApplication`` (offscreen with no display)."""
    app = QGuiApplication.instance()
    if app is not None:
        return app
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QGuiApplication(["workbench"])
