"""Render the README's screenshots of the main window (offscreen, on a fresh demo database).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--size 1366x768]

Shots: the agency list with an assessment open, a checklist measure, the
services table of indicator 1, tables 4 and 5 of indicator 5, appendix A's
checklist (4.3), appendix C's SLA sections per service (4.7) and indicator 3's
services with a sovereign one not counted.  Each is
the real window, grabbed after the event loop has settled.  Then two dialogs
of the menus: the import dialog refusing a workbook (a template made for
another agency, with mistakes in it), the ranking dialog, an assessment's
history (Assessment ▸ «سابقهٔ تغییرات…») and a file dialog.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
#: (file name, agency status to pick, measure to show, agency list shown, what it shows).
#: The measure shots hide the agency list (View ▸ Ctrl+L) as an evaluator at work would.
SHOTS = (
    ("main-window.png", "draft", "4.2", True, "agency list with an assessment open"),
    ("checklist-measure.png", "draft", "4.2", False, "a checklist measure"),
    ("services-table.png", "draft", "1.1", False, "the services table (indicator 1)"),
    ("reform-tables.png", "complete", "5.1", False, "tables 4 and 5 (indicator 5)"),
    ("appendix-a-checklist.png", "draft", "4.3", False, "appendix A's checklist (4.3.1)"),
    ("sla-per-service.png", "complete", "4.7", False, "appendix C's SLA sections per service (4.7)"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1366x768")  # a laptop's screen, the smallest evaluators have
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = str(Path(tmp) / "userdata")  # no trace in the user's settings
        from PySide6.QtWidgets import QApplication

        from workbench.demo.build import build_demo
        from workbench.ui.app import setup_application
        from workbench.ui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app)
        db = build_demo(Path(tmp) / "demo.sqlite", agencies=12)
        window = MainWindow()
        window.set_evaluator_name("مریم احمدی")  # as asked at first start
        window.open_database(db)
        window.show()
        window.resize(width, height)
        _settle(app, lambda: all(r.scored for r in window.agencies.model.rows()))
        args.out.mkdir(parents=True, exist_ok=True)
        for name, status, measure, with_list, what in SHOTS:
            # an assessment under way: of that status, with something scored already
            row = next(r for r in window.agencies.model.rows() if r.status == status and r.percent)
            if window.view is None or window.view.controller.agency().uuid != row.uuid:
                window.agencies.select_agency(row.uuid)
            if window.agencies.isVisible() != with_list:
                window.pane_action.trigger()
            window.view.select_measure(measure)
            _settle(app)
            path = args.out / name
            _save(window.grab().toImage(), path)
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {what}")
        # The identity card's columns beside the services (scrolled to them, as the evaluator would).
        window.view.select_measure("1.1")
        _settle(app)
        panel = window.view.measure_page.services_panel
        from workbench.ui.assessment.services_table import column

        panel.view.scrollTo(panel.proxy.index(0, column("visit_reasons")))
        _settle(app)
        path = args.out / "service-card.png"
        _save(window.grab().toImage(), path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: the identity card's columns")
        path = args.out / "counter-eligibility.png"
        _save(_counter_shot(app, window).toImage(), path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: indicator 3 leaving a sovereign "
              "service out, and the card against the judgement")
        for name, what, dialog in _dialog_shots(app, window, Path(tmp)):
            path = args.out / name
            _save(dialog.grab().toImage(), path)
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {what}")
            dialog.reject()
            _settle(app)
        window.close()
    return 0


def _counter_shot(app, window):
    """Indicator 3's services of an agency whose counter plan names a sovereign service (sorted first:
    «شمرده نمی‌شود»), its tooltip open on the reason; the window as it is then."""
    from PySide6.QtCore import Qt

    from workbench.ui.assessment.services_table import column

    for row in sorted(window.agencies.model.rows(), key=lambda r: r.code):
        window.agencies.select_agency(row.uuid)
        window.view.select_measure("3.1")
        _settle(app)
        panel = window.view.measure_page.services_panel
        if panel.model.left_out("counter"):
            break
    panel.view.sortByColumn(column("result"), Qt.SortOrder.AscendingOrder)
    panel.view.scrollTo(panel.proxy.index(0, column("nature")))
    _settle(app)
    return window.grab()


def _save(image, path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    # A window has few colours: 8-bit indexed PNGs are a fifth of the size, text as sharp.
    image = image.convertToFormat(
        QImage.Format.Format_Indexed8,
        Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither,
    )
    image.save(str(path), "PNG", 0)


def _dialog_shots(app, window, tmp: Path):
    """The import dialog with refusals, then the ranking dialog, as the File and Reports menus open them."""
    from openpyxl import load_workbook

    from workbench.imports.template import agency_details, write_template
    from workbench.model.schema import Agency

    rows = sorted(window.agencies.model.rows(), key=lambda r: r.code)
    target, other = rows[0], rows[1]
    # The commonest real mistake: a template made for another agency, filled in with slips.
    book_path = write_template(tmp / "submitted.xlsx", agency_details(window.session,
                                                                       window.session.get(Agency, other.uuid)))
    book = load_workbook(book_path)
    services = book["خدمات"]
    for values in (
        ("121095000", "صدور پروانهٔ کسب", "", "G2B", "بله", "بله", "خیر", "بله", ""),
        ("12109510", "تمدید پروانهٔ کسب", "121095000", "G2C", "بله", "خیر", "بله", "خیر", ""),
        ("121095101", "ابطال پروانهٔ کسب", "121095999", "G2X", "بله", "خیر", "شاید", "خیر", ""),
        ("121095000", "صدور پروانهٔ کسب (تکراری)", "", "G2B", "بله", "بله", "خیر", "بله", ""),
    ):
        services.append(values)
    book["جدول ۵"].append((1, "121095000", "", "هدف‌گذاری", "تعیین هدف زمانی", "1404/12/30", "1404/01/10",
                           "انجام شده", ""))
    book.save(book_path)

    window.agencies.select_agency(target.uuid)
    _settle(app)
    dialog = window.import_actions.import_workbook()
    dialog.resize(900, 640)
    dialog.check_file(book_path)
    _settle(app, lambda: not dialog.is_busy(), timeout=30)
    yield "import-dialog.png", "the import dialog refusing a workbook, each error with its sheet and cell", dialog

    dialog = window.report_actions.ranking()
    dialog.grouping.setCurrentIndex(dialog.grouping.findData("province"))
    dialog.folder.edit.setText("/home/arzyab/Documents/ranking-1403")  # a typical answer, not this machine's home
    _settle(app)
    yield "ranking-dialog.png", "the ranking dialog (Reports menu)", dialog

    # An assessment's history after a few edits, under the evaluator's name.
    draft = next(r for r in window.agencies.model.rows() if r.status == "draft" and r.percent)
    window.agencies.select_agency(draft.uuid)
    view = window.view
    view.evaluator_edit.setText("مریم احمدی")
    view.evaluator_edit.editingFinished.emit()
    view.select_measure("4.2")
    view.measure_page.note.setPlainText("بیانیهٔ حریم خصوصی در پانویس همهٔ صفحه‌ها پیوند دارد.")
    view.measure_page.save_note()
    panel = view.measure_page.evidence
    panel.kind.setCurrentIndex(panel.kind.findData("url"))
    panel.input.setText("https://example.ir/privacy")
    panel.add_typed()
    _settle(app)
    dialog = window.audit_actions.show()
    dialog.resize(1100, 520)
    _settle(app)
    yield "history-dialog.png", "an assessment's history (Assessment menu)", dialog

    from PySide6.QtWidgets import QFileDialog

    from workbench.ui.shared.file_dialogs import make_dialog

    folder = tmp / "کارپوشه‌های دریافتی"
    folder.mkdir()
    book_path.rename(folder / "کارپوشه-۱۱۲۰.xlsx")
    (folder / "نامه‌ها").mkdir()
    dialog = make_dialog(window, "انتخاب کارپوشهٔ دستگاه", str(folder), "کارپوشهٔ Excel (*.xlsx)",
                         QFileDialog.FileMode.ExistingFile)
    dialog.resize(820, 480)
    dialog.show()
    _settle(app)
    yield "file-dialog.png", "a file dialog: Persian, right to left, Jalali dates", dialog


def _settle(app, until=lambda: True, timeout: float = 10.0) -> None:
    """Let layouts, queued signals and the background scorer finish."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if until():
            break
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
