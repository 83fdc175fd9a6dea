"""The conflict view beside the guide: each side's note and evidence (a file opens from there), who and when."""
from __future__ import annotations

import sqlite3

import pytest
from exchange_fixture import codes, do_export, do_merge, evaluator_db, master_copy, set_answer
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from workbench.model.completeness import measure_key_of
from workbench.model.editing import file_evidence_fields
from workbench.model.framework import load_default_framework
from workbench.model.schema import Agency, Assessment, Evidence
from workbench.model.store import open_store
from workbench.ui.app import setup_application
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

A, B = "رضا کریمی", "مریم احمدی"
PDF = b"%PDF-1.4 the letter the evaluator saw\n"


def _add_file(db, agency_code, measure_key, path, actor):
    store = open_store(db, actor=actor)
    try:
        with store.session() as s:
            assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == agency_code))
            s.add(Evidence(assessment_uuid=assessment.uuid, **file_evidence_fields(s, measure_key, path)))
    finally:
        store.close()


def test_each_side_shows_its_note_evidence_author_and_time(qtbot, tmp_path, tmp_path_factory):
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    agency = codes(master)[0]
    conn = sqlite3.connect(master)
    with conn:  # the agency starts with no answers, so each side's answer is a change
        conn.execute("DELETE FROM answers WHERE assessment_uuid IN (SELECT a.uuid FROM assessments a "
                     "JOIN agencies g ON g.uuid = a.agency_uuid WHERE g.code = ?)", (agency,))
    conn.close()
    framework = load_default_framework()
    key = next(it.key for it in framework.items() if it.kind in ("check", "yesno"))
    measure = measure_key_of(framework, key)
    a = evaluator_db(tmp_path, master, A, [agency])
    b = evaluator_db(tmp_path, master, B, [agency])
    set_answer(a, agency, key, actor=A, value=True, note="نامهٔ شمارهٔ ۱۲ را دیدم")
    letter = tmp_path / "نامه.pdf"
    letter.write_bytes(PDF)
    _add_file(a, agency, measure, letter, A)
    set_answer(b, agency, key, actor=B, value=False, note="در بازدید نبود")
    do_export(a, tmp_path / "a.wbp")
    do_export(b, tmp_path / "b.wbp")
    assert sum(p.conflicts for p in do_merge(master, [tmp_path / "a.wbp", tmp_path / "b.wbp"]).packages) >= 1

    setup_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.open_database(master)
    window.show()
    dialog = window.supervisor_actions.show_conflicts()
    row = next(r for r in range(dialog.proxy.rowCount())
               if dialog.model.rows[dialog.proxy.mapToSource(dialog.proxy.index(r, 0)).row()].key == [key]
               and dialog.model.rows[dialog.proxy.mapToSource(dialog.proxy.index(r, 0)).row()].group == "value")
    dialog.select_row(row)
    text = dialog.sides.toPlainText()
    a_part, b_part = text.split(f"{B} (b.wbp)")
    assert A in a_part and "نامهٔ شمارهٔ ۱۲ را دیدم" in a_part and "نامه.pdf" in a_part
    assert "در بازدید نبود" in b_part and "نامه.pdf" not in b_part
    # Who changed it on the evaluator's laptop (the audit trail the package carried) and when, Jalali.
    assert f"آخرین تغییر: {A}، ۱۴" in a_part and f"آخرین تغییر: {B}، ۱۴" in b_part

    # The file opens from there: a copy of the stored bytes, in the system's viewer.
    opened = []
    dialog.open_url = opened.append
    html = dialog.sides.toHtml()
    href = html[html.index('href="evidence:') + 6:]
    href = href[:href.index('"')]
    target = dialog.open_link(QUrl(href))
    assert target is not None and target.read_bytes() == PDF and target.name == "نامه.pdf"
    assert opened == [QUrl.fromLocalFile(str(target))]

    # Settled with A's side and a reason: gone from the open ones, visible later with who, when and why.
    shown = dialog.current()
    dialog.candidates.setCurrentRow([c.evaluator for c in shown.candidates].index(A))
    dialog.reason.setText("نامهٔ دستگاه را دیدم")
    dialog.take_button.click()
    assert all(v.id != shown.id for v in dialog.model.rows) and not dialog.decision.isVisible()
    open_count = dialog.model.rowCount()
    dialog.show_settled.setChecked(True)
    assert dialog.model.rowCount() == open_count + 1
    settled = next(r for r in range(dialog.proxy.rowCount())
                   if dialog.model.rows[dialog.proxy.mapToSource(dialog.proxy.index(r, 0)).row()].id == shown.id)
    dialog.select_row(settled)
    assert dialog.proxy.index(settled, 5).data() == "حل‌شده"
    decision = dialog.decision.text()
    assert dialog.decision.isVisible() and window.store.actor in decision and "نامهٔ دستگاه را دیدم" in decision
    assert "مقدار: پاسخ: بله" in decision and "۱۴" in decision
    assert not dialog.take_button.isEnabled() and not dialog.alike_button.isEnabled()
    dialog.close()
    window.close()
