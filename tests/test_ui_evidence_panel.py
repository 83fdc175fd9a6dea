"""Evidence of a measure: URLs, numbers, texts and files kept in the database."""
from __future__ import annotations

import hashlib

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select
from ui_page_fixture import open_controller, type_text

import workbench.ui.assessment.evidence_panel as evidence_module
import workbench.workspace.pages as pages_module
from workbench.model.evidence_files import read_stream
from workbench.model.schema import Blob, Evidence, Tombstone
from workbench.ui.assessment.evidence_panel import EvidencePanel

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(ctl, qtbot):
    widget = EvidencePanel(ctl)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.set_measure("4.4", ("url", "file", "text"))
    widget.show()
    return widget


def evidence_rows(store, measure="4.4"):
    with store.session() as s:
        return [
            (e.kind, e.text, e.number, e.filename, e.blob_sha256)
            for e in s.scalars(select(Evidence).where(Evidence.measure_key == measure).order_by(Evidence.created_at))
        ]


def add_typed(panel, qtbot, kind: str, text: str) -> None:
    panel.kind.setCurrentIndex(panel.kind.findData(kind))
    panel.input.clear()
    panel.input.setFocus()
    type_text(panel.input, text)
    qtbot.keyClick(panel.input, Qt.Key.Key_Return)


def click_row(panel, qtbot, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row, 1))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def shown(panel) -> list[str]:
    return [panel.model.index(r, 1).data() for r in range(panel.model.rowCount())]


def test_url_number_and_text(panel, store, qtbot):
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir/accessibility")
    add_typed(panel, qtbot, "number", "۱۲٫۵")
    add_typed(panel, qtbot, "text", "نسخهٔ ویژهٔ نابینایان دارد")
    assert evidence_rows(store) == [
        ("url", "https://mimt.gov.ir/accessibility", None, "", None),
        ("number", "", 12.5, "", None),
        ("text", "نسخهٔ ویژهٔ نابینایان دارد", None, "", None),
    ]
    assert shown(panel) == ["https://mimt.gov.ir/accessibility", "۱۲٫۵", "نسخهٔ ویژهٔ نابینایان دارد"]
    assert panel.model.index(0, 0).data() == "نشانی اینترنتی"
    assert panel.input.text() == ""


def test_an_address_without_its_scheme_is_completed(panel, store, qtbot):
    """«mimt.gov.ir/a» was refused for lacking https://; a mature tool completes it."""
    add_typed(panel, qtbot, "url", "mimt.gov.ir/accessibility")
    assert [r[1] for r in evidence_rows(store)] == ["https://mimt.gov.ir/accessibility"]
    assert panel.message.isHidden()


@pytest.mark.parametrize(
    ("kind", "text", "words"),
    [
        ("url", "mimt", "http"),  # no host name: nothing to complete
        ("url", "ftp://mimt.gov.ir/file", "http"),
        ("url", "https://mimt.gov.ir/a b", "فاصله"),
        ("number", "*4*123#", "عدد نیست"),
        ("text", "   ", "وارد نشده"),
    ],
)
def test_bad_input_is_refused_with_a_persian_message(panel, store, qtbot, kind, text, words):
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir")
    add_typed(panel, qtbot, kind, text)
    assert words in panel.message.text()
    assert not panel.message.isHidden()
    assert len(evidence_rows(store)) == 1  # what was there is untouched
    assert panel.input.text() == text  # the user can correct what was typed


def test_files_are_stored_in_the_database_once(panel, ctl, store, tmp_path):
    first = tmp_path / "دستورالعمل به‌روزرسانی.pdf"
    first.write_bytes(b"%PDF-1.4 procedure" * 100)
    second = tmp_path / "screenshot.png"
    second.write_bytes(b"\x89PNG image bytes")
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(first.read_bytes())
    assert panel.add_files([first, second, copy]) == 3
    rows = evidence_rows(store)
    assert [r[3] for r in rows] == [first.name, "screenshot.png", "copy.pdf"]
    assert shown(panel)[0] == first.name
    assert panel.model.index(0, 2).data() == "۱٫۸ کیلوبایت"
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 2  # identical bytes stored once
        assert b"".join(read_stream(s, hashlib.sha256(first.read_bytes()).hexdigest())) == first.read_bytes()
    assert ctl.undo_stack.count() == 1  # the three files are one step
    ctl.undo_stack.undo()
    assert evidence_rows(store) == []
    assert panel.model.rowCount() == 0
    ctl.undo_stack.redo()
    assert len(evidence_rows(store)) == 3


def test_drag_and_drop_of_files(panel, store, tmp_path):
    path = tmp_path / "گواهی.jpg"
    path.write_bytes(b"jpeg")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)), QUrl.fromLocalFile(str(tmp_path))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    assert [r[3] for r in evidence_rows(store)] == ["گواهی.jpg"]
    assert "پوشه" in panel.message.text()  # the folder dropped with it is named, not stored


def test_large_files_are_read_off_the_gui_thread(panel, store, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(evidence_module, "BACKGROUND_BYTES", 1000)
    path = tmp_path / "big.bin"
    data = bytes(range(256)) * 40
    path.write_bytes(data)
    assert panel.add_files([path]) == 0
    assert panel.busy()
    assert not panel.file_button.isEnabled()  # no second batch while one is being read
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10000)
    assert [r[3] for r in evidence_rows(store)] == ["big.bin"]
    with store.session() as s:
        assert b"".join(read_stream(s, hashlib.sha256(data).hexdigest())) == data
    assert panel.progress.isHidden()
    assert panel.file_button.isEnabled()


def test_an_unexpected_failure_while_storing_a_file_is_reported_and_the_panel_frees(panel, store, tmp_path, qtbot, monkeypatch):
    """The worker's message used the evidence row's describe() (a redefined name): TypeError, the
    panel stayed busy with its controls disabled.  Now the failure is said and the panel is usable."""
    monkeypatch.setattr(evidence_module, "BACKGROUND_BYTES", 1000)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk controller on fire")

    monkeypatch.setattr(pages_module, "file_evidence_fields", broken)
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 5000)
    assert panel.add_files([path]) == 0 and panel.busy()
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10000)
    assert "big.bin" in panel.message.text() and "fire" not in panel.message.text()
    assert panel.file_button.isEnabled()
    assert evidence_rows(store) == []


def test_large_files_arrive_even_if_another_agency_is_opened_meanwhile(ctl, store, tmp_path, qtbot, monkeypatch):
    """The panel that started the worker is gone (another agency opened): the files still land."""
    import threading

    monkeypatch.setattr(evidence_module, "BACKGROUND_BYTES", 1000)
    release = threading.Event()
    read = pages_module.file_evidence_fields

    def slow_read(*args):
        release.wait(10)
        return read(*args)

    monkeypatch.setattr(pages_module, "file_evidence_fields", slow_read)
    panel = EvidencePanel(ctl)
    panel.set_measure("4.4", ("url", "file", "text"))
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF" * 1000)
    assert panel.add_files([path]) == 0 and panel.busy()
    panel.deleteLater()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the panel is really gone
    release.set()
    qtbot.waitUntil(lambda: ctl.undo_stack.count() == 1, timeout=10000)  # undoable like any other addition
    assert [r[3] for r in evidence_rows(store)] == ["scan.pdf"]
    ctl.undo_stack.undo()
    assert evidence_rows(store) == []
    ctl.undo_stack.redo()
    assert [r[3] for r in evidence_rows(store)] == ["scan.pdf"]


def test_a_large_file_refused_off_thread_leaves_no_stored_file(ctl, store, tmp_path, qtbot, monkeypatch):
    """The file and its row are one transaction: refused (here: the row), neither is kept."""
    from sqlalchemy import func, select

    from workbench.model.schema import Blob

    monkeypatch.setattr(evidence_module, "BACKGROUND_BYTES", 1000)
    panel = EvidencePanel(ctl)
    panel.set_measure("4.4", ("url", "file", "text"))
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF" * 1000)
    with store.session() as s:  # finalized elsewhere while the worker starts
        s.execute(ctl.assessment().__table__.update().values(status="final"))
    assert panel.add_files([path]) == 0
    qtbot.waitUntil(lambda: not panel.busy(), timeout=10000)
    assert evidence_rows(store) == [] and ctl.undo_stack.count() == 0
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0


def test_open_a_file_from_a_temporary_copy(panel, tmp_path):
    path = tmp_path / "بیانیه.pdf"
    path.write_bytes(b"%PDF statement")
    panel.add_files([path])
    opened = []
    panel.open_url = opened.append
    target = panel.open_evidence(0)
    assert target.name == "بیانیه.pdf"
    assert target.read_bytes() == b"%PDF statement"
    assert opened == [QUrl.fromLocalFile(str(target))]


def test_remove_asks_first(panel, store, ctl, qtbot, monkeypatch):
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir/a")
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir/b")
    answers = []

    def question(*args, **kwargs):
        answers.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    click_row(panel, qtbot, 0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    first = panel.model.evidence(0)["text"]
    assert first in answers[0]
    assert len(evidence_rows(store)) == 2

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click_row(panel, qtbot, 0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert [r[1] for r in evidence_rows(store)] == [u for u in ("https://mimt.gov.ir/a", "https://mimt.gov.ir/b") if u != first]
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Tombstone)) == 1  # a merge will carry the deletion
    ctl.undo_stack.undo()
    assert sorted(r[1] for r in evidence_rows(store)) == ["https://mimt.gov.ir/a", "https://mimt.gov.ir/b"]


def test_each_measure_has_its_own_evidence(panel, store, qtbot):
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir/a")
    panel.set_measure("6.2", ("number", "url"))
    assert panel.model.rowCount() == 0
    assert panel.kind.currentData() == "number"  # the measure's first typed kind
    assert "عدد" in panel.hint.text()
    add_typed(panel, qtbot, "number", "7")
    assert evidence_rows(store, "6.2") == [("number", "", 7.0, "", None)]
    panel.set_measure("4.4")
    assert shown(panel) == ["https://mimt.gov.ir/a"]


def test_finalized_assessment_refuses_new_evidence(qapp, store, framework, qtbot, tmp_path):
    ctl = open_controller(qapp, store, framework, status="final")
    widget = EvidencePanel(ctl)
    qtbot.addWidget(widget)
    widget.set_measure("4.4", ("url",))
    assert not widget.input.isEnabled() and not widget.file_button.isEnabled()
    widget.input.setText("https://mimt.gov.ir")
    assert widget.add_typed() is False
    path = tmp_path / "a.pdf"
    path.write_bytes(b"x")
    assert widget.add_files([path]) == 0
    assert "نهایی" in widget.message.text()
    assert evidence_rows(store) == []
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0
    ctl.session().close()


def test_evidence_removed_elsewhere_is_explained_and_leaves_the_list(panel, store, ctl, qtbot, monkeypatch):
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir/a")
    add_typed(panel, qtbot, "url", "https://mimt.gov.ir/b")
    held = ctl.session().scalars(select(Evidence)).all()  # the window's session still holds them
    with store.session() as other:  # another session on the same file removes the first
        other.delete(other.scalar(select(Evidence).where(Evidence.text == "https://mimt.gov.ir/a")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    row = shown(panel).index("https://mimt.gov.ir/a")
    assert panel.remove_evidence(row) is False
    assert "پیدا نشد" in panel.message.text() and panel.message.isVisibleTo(panel)
    assert shown(panel) == ["https://mimt.gov.ir/b"]  # the list read again
    assert ctl.undo_stack.count() == 2  # the two additions only
    assert held


def test_buttons_wrap_rather_than_squeeze_the_field(panel, qtbot):
    panel.resize(900, 400)
    qtbot.waitUntil(lambda: not panel.actions.wrapped())
    assert panel.file_button.y() == panel.add_button.y()  # one row
    # Narrow (a laptop, the agency list shown): the file, open and remove buttons go below.
    panel.resize(430, 400)
    qtbot.waitUntil(panel.actions.wrapped)
    qtbot.waitUntil(lambda: panel.input.width() >= evidence_module.INPUT_MIN_WIDTH)
    qtbot.waitUntil(lambda: panel.file_button.mapTo(panel, panel.file_button.rect().topLeft()).y()
                    > panel.input.mapTo(panel, panel.input.rect().bottomLeft()).y())
    assert panel.file_button.isVisible() and panel.remove_button.width() > 0
    panel.resize(900, 400)
    qtbot.waitUntil(lambda: not panel.actions.wrapped())
