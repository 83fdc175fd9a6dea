"""Text from a workbook or a person is shown as text: never markup, never turning what follows around.

An agency's name, province and parent, a service title, a note and a piece of
evidence carry HTML (40-point red text, an image from /etc/passwd) and an
unclosed right-to-left override (U+202E).  Every label and tooltip of the
window showing them must take them as plain text (or escape them), and the
printed summary must close each direction control where its text ends.
(Excel reports keep ``= + - @`` strings as text: tests/test_report_tables45.py.)
"""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, build_fixture

from workbench.model.editing import Edit, apply_edits
from workbench.model.schema import Agency, Assessment, Service
from workbench.model.store import open_store
from workbench.model.text import close_bidi
from workbench.reports.summary_html import summary_html

pytestmark = pytest.mark.gui

MARKUP = '<b style="font-size:40pt;color:red">بزرگ</b><img src="file:///etc/passwd">'
OVERRIDE = "\u202eدرج وارونه"  # opened, never closed


@pytest.fixture
def hostile_db(tmp_path):
    db = build_fixture(tmp_path / "hostile.sqlite")
    store = open_store(db, actor="آزمون")
    with store.session() as s:
        agency = s.scalar(select(Agency).where(Agency.code == NATIONAL_CODE))
        agency.name = f"وزارت {MARKUP} {OVERRIDE}"
        agency.province = MARKUP + OVERRIDE
        for child in s.scalars(select(Agency).where(Agency.parent_uuid == agency.uuid)):
            child.name = MARKUP
        for service in s.scalars(select(Service).where(Service.agency_uuid == agency.uuid)):
            service.title = MARKUP + OVERRIDE
        a = s.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))
        a.evaluator = MARKUP
        apply_edits(s, [
            Edit("answer", a.uuid, "4.1", {"note": f"یادداشت {MARKUP} {OVERRIDE}"}),
            Edit("evidence_add", a.uuid, "ev-hostile", {"measure_key": "4.1", "kind": "text",
                                                        "text": f"مستند {OVERRIDE} {MARKUP}", "number": None,
                                                        "blob_sha256": None, "filename": "", "mime": ""}),
        ])
    store.close()
    return db


def _shown_as_markup(widget: QWidget) -> list[str]:
    """Where ``widget`` and its children would take outside text as HTML."""
    found = []
    for label in [widget, *widget.findChildren(QWidget)]:
        tip = label.toolTip()
        if "<img" in tip:
            found.append(f"tooltip of {type(label).__name__} {label.objectName()}: {tip[:60]}")
        if isinstance(label, QLabel) and "<img" in label.text() and label.textFormat() != Qt.TextFormat.PlainText:
            found.append(f"label {label.objectName()}: {label.text()[:60]}")
    return found


def test_the_window_shows_outside_text_as_text(hostile_db, tmp_path, qtbot):
    from workbench.ui.app import setup_application
    from workbench.ui.main_window import MainWindow

    setup_application(QApplication.instance())
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.open_database(hostile_db)
    w.show()
    uuid = w.session.scalar(select(Agency.uuid).where(Agency.code == NATIONAL_CODE))
    controller = w.open_agency(uuid)
    view = w.view
    problems = _shown_as_markup(w)
    for key in ("1.1", "4.1", "5.1"):  # the services table, a note and evidence, tables 4 and 5
        view.select_measure(key)
        problems += _shown_as_markup(w)
    assert not problems, "\n".join(problems)
    # The header names the agency, escaped: its text is there, its markup is not taken as markup.
    header = view.agency_label.text()
    assert "&lt;img" in header and "<img" not in header
    assert controller.agency().name.startswith("وزارت")
    w.close()


def test_the_summary_closes_every_direction_control_outside_text_opens(hostile_db):
    store = open_store(hostile_db)
    try:
        with store.session() as s:
            agency = s.scalar(select(Agency).where(Agency.code == NATIONAL_CODE))
            page = summary_html(s, s.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid)))
    finally:
        store.close()
    assert "\u202e" in page and "<img" not in page and "&lt;img" in page
    for paragraph in re.split(r"<(?:td|th|p|div|li)\b[^>]*>", page):
        plain = re.sub(r"<[^>]+>", "", paragraph)
        assert close_bidi(plain) == plain, repr(plain[:120])  # nothing left open


@pytest.mark.parametrize("text, closed", [
    ("\u202eabc", "\u202eabc\u202c"),
    ("a\u202cb", "ab"),  # a closer that closes nothing is dropped
    ("\u2067x\u202ey\u2069z", "\u2067x\u202ey\u2069z"),  # an isolate's end closes what it holds
    ("\u202bx\u202c\u202ey\nz", "\u202bx\u202c\u202ey\u202c\nz"),  # line by line
    ("\u2066\u202ax", "\u2066\u202ax\u202c\u2069"),
])
def test_close_bidi(text, closed):
    assert close_bidi(text) == closed
