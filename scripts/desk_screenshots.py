"""Render the README's screenshots of the supervisor's desk (offscreen, 1366×768, from a fresh demo round).

    .venv/bin/python scripts/desk_screenshots.py [--out docs/screenshots]

A 12-agency demo master hands agencies to two evaluators (four of them to
both: double assessments), each evaluator answers on a laptop database of
their own — differently on some items, with notes and a file — and exports a
package; a third package is the second one with a byte flipped.  Shots: the
agency list with who holds what, the inbox with the three packages checked
and previewed, the conflict view after the merge (the guide, the base, each
side's value, note, evidence, who and when), and the agreement report's
workbook as LibreOffice prints it (first page).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import ROOT, _save, _settle  # noqa: E402 - after the platform is set

A, B = "رضا کریمی", "مریم احمدی"
WIDTH, HEIGHT = 1366, 768


def build_round(tmp: Path) -> tuple[Path, list[Path]]:
    """The master and the three packages (the third damaged)."""
    from sqlalchemy import select

    from workbench.demo.build import build_demo
    from workbench.exchange.assign import assign
    from workbench.exchange.export import export
    from workbench.exchange.receive import receive
    from workbench.model.editing import file_evidence_fields
    from workbench.model.framework import load_default_framework
    from workbench.model.schema import Agency, Answer, Assessment, Evidence
    from workbench.model.store import open_store

    master = build_demo(tmp / "master.sqlite", agencies=12, seed=7)
    conn = sqlite3.connect(master)
    with conn:
        conn.execute("UPDATE assessments SET status = 'draft'")
    conn.close()
    store = open_store(master, actor="سرپرست")
    with store.session() as s:
        codes = sorted(s.scalars(select(Agency.code)))
    store.close()
    framework = load_default_framework()
    items = [it for it in framework.items() if it.kind in ("check", "yesno")]
    shared = codes[:4]
    plans = {A: codes[:7], B: shared}
    packages = []
    for n, (name, mine) in enumerate(plans.items()):
        store = open_store(master, actor="سرپرست")
        with store.session() as s:
            assign(s, name, mine, tmp / f"{n}.wba", issued_by="سرپرست")
        store.close()
        laptop = tmp / f"laptop-{n}.sqlite"
        store = open_store(laptop, actor=name)
        with store.session() as s:
            receive(s, tmp / f"{n}.wba")
        store.close()
        store = open_store(laptop, actor=name)
        with store.session() as s:
            for code in shared:
                assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == code))
                for i, item in enumerate(items[:24]):
                    row = s.scalar(select(Answer).where(Answer.assessment_uuid == assessment.uuid,
                                                        Answer.key == item.key))
                    if row is None:
                        row = Answer(assessment_uuid=assessment.uuid, key=item.key)
                        s.add(row)
                    # The two agree on most items and differ on every fifth.
                    row.value = (i % 3 != 0) if (n == 0 or i % 5) else (i % 3 == 0)
                    if i % 5 == 0:
                        row.note = "در بازدید صفحهٔ خدمت را دیدم" if row.value else "در درگاه پیدا نشد"
            if n == 0:
                letter = tmp / "نامهٔ دستگاه.pdf"
                letter.write_bytes(b"%PDF-1.4\n% the agency's letter\n")
                assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == shared[0]))
                from workbench.model.completeness import measure_key_of

                s.add(Evidence(assessment_uuid=assessment.uuid,
                               **file_evidence_fields(s, measure_key_of(framework, items[0].key), letter)))
        store.close()
        store = open_store(laptop, actor=name)
        with store.session() as s:
            packages.append(export(s, tmp / f"{'ab'[n]}-1.wbp").path)
        store.close()
    damaged = tmp / "b-2.wbp"
    data = bytearray(packages[1].read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    return master, [*packages, damaged]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["WORKBENCH_DATA_DIR"] = str(tmp / "userdata")
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from workbench.ui.app import setup_application
        from workbench.ui.main_window import MainWindow

        master, packages = build_round(tmp)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_application(app)
        window = MainWindow(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
        window.open_database(master)
        window.show()
        window.resize(WIDTH, HEIGHT)
        _settle(app, lambda: all(r.scored for r in window.agencies.model.rows()))
        shot(window, args.out / "desk-agencies.png", "the agency list of a master: who holds each agency")

        inbox = window.supervisor_actions.merging.open_inbox([str(p) for p in packages])
        inbox.resize(WIDTH - 40, HEIGHT - 60)
        _settle(app, lambda: not inbox.busy() and inbox.result is not None, timeout=120)
        shot(inbox, args.out / "desk-inbox.png", "the inbox: three packages checked, one refused, the preview")
        inbox.take_in()
        _settle(app, lambda: inbox.merged_result is not None, timeout=120)
        inbox.close()
        _settle(app)

        dialog = window.supervisor_actions.show_conflicts()
        dialog.resize(WIDTH - 40, HEIGHT - 60)
        with_file = next((r for r in range(dialog.proxy.rowCount())
                          if _select(app, dialog, r) and ".pdf" in dialog.sides.toPlainText()), 0)
        _select(app, dialog, with_file)
        shot(dialog, args.out / "conflicts-dialog.png", "a conflict: the guide, the base, each side with its evidence")
        dialog.close()
        window.close()

        from workbench.model.schema import Round
        from workbench.model.store import open_store
        from workbench.reports.agreement_book import export_agreement

        store = open_store(master)
        with store.session() as s:
            book, _agreement = export_agreement(s, s.query(Round).one(), tmp / "agreement.xlsx")
        store.close()
        print_first_page(book, args.out / "agreement-report.png", tmp)
    return 0


def _select(app, dialog, row: int) -> bool:
    dialog.select_row(row)
    _settle(app)
    return True


def shot(widget, path: Path, what: str) -> None:
    _save(widget.grab().toImage(), path)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {what}")


def print_first_page(book: Path, path: Path, tmp: Path) -> None:
    """The workbook as LibreOffice prints it: to PDF, then the first page at 110 dpi."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice is not installed: the agreement report's picture was not made")
        return
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(book)], check=True, capture_output=True, timeout=300)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp / (book.stem + ".pdf")), str(path.with_suffix(""))], check=True, timeout=120)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: the agreement report, first page")


if __name__ == "__main__":
    raise SystemExit(main())
