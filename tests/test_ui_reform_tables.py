"""Tables 4 and 5 (indicator 5): the evaluator accepts or rejects the agency's rows."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem
from sqlalchemy import select
from ui_page_fixture import REFORM_SERVICES, open_controller

from workbench.model.schema import ReformAction, ReformRow
from workbench.ui.assessment.reform_tables import ReformPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(ctl, qtbot):
    widget = ReformPanel(ctl)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def stored(store, model, row_no):
    with store.session() as s:
        row = s.scalar(select(model).where(model.row_no == row_no))
        return row.accepted, row.evaluator_note


def choose_in_delegate(view, index, label: str) -> None:
    """Open the «پذیرش» editor as a double-click would, pick ``label``, commit."""
    delegate = view.itemDelegateForColumn(index.column())
    editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    delegate.setEditorData(editor, index)
    editor.setCurrentIndex(editor.findText(label))
    delegate.setModelData(editor, view.model(), index)
    editor.deleteLater()


def test_rows_in_the_agencys_order_with_jalali_dates_and_persian_digits(panel):
    t4, t5 = panel.table4, panel.table5
    assert t4.rowCount() == 5 and t5.rowCount() == 4
    assert [t4.index(r, t4.column_of("service_id")).data() for r in range(5)] == [
        sid.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) for sid in REFORM_SERVICES
    ]
    assert t4.index(0, t4.column_of("value_before")).data() == "۱۱"
    assert t4.index(0, t4.column_of("accepted")).data() == "بررسی‌نشده"
    assert t5.index(0, t5.column_of("start_date")).data() == "۱۴۰۳/۰۱/۱۳"  # 2024-04-01
    assert t5.index(0, t5.column_of("end_date")).data() == "۱۴۰۳/۰۶/۳۱"  # 2024-09-21
    assert t4.headerData(t4.column_of("accepted"), Qt.Orientation.Horizontal) == "پذیرش"


def test_accepting_rows_scores_distinct_services(panel, ctl, store):
    t4 = panel.table4
    col = t4.column_of("accepted")
    # Rows 1 and 2 are the same service (two criteria): one improved sub-service.
    choose_in_delegate(panel.view4, t4.index(0, col), "پذیرفته")
    assert t4.setData(t4.index(1, col), True)
    assert ctl.card()["5"].earned == pytest.approx(25 * 1 / 10)
    assert t4.setData(t4.index(2, col), True)
    assert ctl.card()["5"].earned == pytest.approx(25 * 2 / 10)
    assert stored(store, ReformRow, 1) == (True, "")
    assert t4.index(0, col).data() == "پذیرفته"
    assert panel.counts() == (2, 24)
    assert "۲ خدمت از ۱۰" in panel.summary.text()
    assert panel.tabs.tabText(0).endswith("(۳ از ۵ بررسی‌شده)")

    choose_in_delegate(panel.view4, t4.index(2, col), "ردشده")
    assert stored(store, ReformRow, 3)[0] is False
    assert ctl.card()["5"].earned == pytest.approx(25 * 1 / 10)


def test_table_5_verdict_and_notes(panel, ctl, store):
    t5 = panel.table5
    choose_in_delegate(panel.view5, t5.index(1, t5.column_of("accepted")), "ردشده")
    assert stored(store, ReformAction, 2)[0] is False
    note = t5.index(1, t5.column_of("evaluator_note"))
    assert t5.setData(note, "  مستند مدل‌سازی ارائه نشد ")
    assert stored(store, ReformAction, 2) == (False, "مستند مدل‌سازی ارائه نشد")
    assert t5.index(1, t5.column_of("evaluator_note")).data() == "مستند مدل‌سازی ارائه نشد"
    assert ctl.card()["5"].answered == 0  # table 5 verdicts do not score by themselves


def test_agency_columns_are_read_only(panel, store):
    t4 = panel.table4
    index = t4.index(0, t4.column_of("criterion"))
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    assert not t4.setData(index, "هزینه")
    with store.session() as s:
        assert s.scalar(select(ReformRow.criterion).where(ReformRow.row_no == 1)) == "زمان"


def test_undo_restores_verdict_and_score(panel, ctl, store):
    t4 = panel.table4
    col = t4.column_of("accepted")
    t4.setData(t4.index(3, col), True)
    assert ctl.card()["5"].earned == pytest.approx(2.5)
    ctl.undo_stack.undo()
    assert stored(store, ReformRow, 4)[0] is None
    assert t4.index(3, col).data() == "بررسی‌نشده"
    assert ctl.card()["5"].answered == 0  # no row judged again: nothing scored, not 0 %
    assert ctl.card()["5"].percent is None
    ctl.undo_stack.redo()
    assert t4.index(3, col).data() == "پذیرفته"


def test_finalized_assessment_refuses(qapp, store, framework, qtbot):
    ctl = open_controller(qapp, store, framework, status="final")
    widget = ReformPanel(ctl)
    qtbot.addWidget(widget)
    t4 = widget.table4
    index = t4.index(0, t4.column_of("accepted"))
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    assert not t4.setData(index, True)
    assert stored(store, ReformRow, 1)[0] is None
    ctl.session().close()


def test_a_refused_verdict_is_explained(panel, ctl, store, qtbot):
    # The agency's file was imported again elsewhere and row 1 is gone; the table still shows it,
    # and the window's session still holds the row in memory.
    held = ctl.session().scalars(select(ReformRow)).all()
    with store.session() as s:
        s.delete(s.scalar(select(ReformRow).where(ReformRow.row_no == 1)))
    t4 = panel.table4
    assert not t4.setData(t4.index(0, t4.column_of("accepted")), True)
    assert "پیدا نشد" in panel.message.text() and panel.message.isVisibleTo(panel)
    assert ctl.undo_stack.count() == 0
    qtbot.waitUntil(lambda: t4.rowCount() == 4)  # the table is read again: the row has gone
    assert t4.index(0, t4.column_of("row_no")).data() == "۲"
    assert held


@pytest.fixture
def no_table4(ctl, store, qtbot):
    """The agency submitted no table 4 (table 5 stays): the panel of such an assessment."""
    with store.session() as s:
        for row in s.scalars(select(ReformRow)):
            s.delete(row)
    widget = ReformPanel(ctl)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    return widget


def _gaps_of_5(ctl):
    from workbench.model.completeness import missing

    return [g.message for g in missing(ctl.session(), ctl.assessment(), ctl.framework()) if g.key.startswith("5")]


def stored_value(store, ctl, key):
    from workbench.model.schema import Answer

    with store.session() as s:
        return s.scalar(select(Answer.value).where(Answer.assessment_uuid == ctl.assessment().uuid, Answer.key == key))


def test_no_table_4_is_said_and_the_zero_confirmed(no_table4, ctl, store, qtbot):
    panel = no_table4
    assert panel.table4.rowCount() == 0 and panel.table5.rowCount() == 4
    assert panel.no_table.isVisibleTo(panel) and panel.confirm_none.isVisibleTo(panel)
    assert not panel.summary.isVisibleTo(panel)  # nothing to accept or reject
    assert not panel.confirm_none.isChecked()
    # Untouched: not scored (never a silent 0 %), and the gap asks for the confirmation.
    assert ctl.card()["5.1.1"].answered == 0 and ctl.card()["5"].percent is None
    assert any("جدول ۴ ارائه نشده است" in m for m in _gaps_of_5(ctl))

    qtbot.mouseClick(panel.confirm_none, Qt.MouseButton.LeftButton)
    assert stored_value(store, ctl, "5.1.1") is False
    assert panel.confirm_none.isChecked()
    assert ctl.card()["5.1.1"].answered == 1 and ctl.card()["5"].percent == 0
    assert _gaps_of_5(ctl) == []  # the gap is gone (a zero needs no evidence either)

    ctl.undo_stack.undo()
    assert stored_value(store, ctl, "5.1.1") is None
    assert not panel.confirm_none.isChecked()
    assert ctl.card()["5"].percent is None
    assert any("جدول ۴ ارائه نشده است" in m for m in _gaps_of_5(ctl))
    ctl.undo_stack.redo()
    assert panel.confirm_none.isChecked() and ctl.card()["5"].percent == 0

    qtbot.mouseClick(panel.confirm_none, Qt.MouseButton.LeftButton)  # unticking withdraws it
    assert stored_value(store, ctl, "5.1.1") is None
    assert ctl.card()["5"].percent is None
    assert ctl.undo_stack.count() == 2


def test_with_table_4_rows_there_is_nothing_to_confirm(panel):
    assert not panel.no_table.isVisibleTo(panel)
    assert panel.summary.isVisibleTo(panel)


def test_confirming_no_table_4_is_refused_when_final(no_table4, ctl, store, qtbot):
    ctl.assessment().status = "final"  # finalized meanwhile
    ctl.session().commit()
    no_table4.confirm_none.click()  # the box was still enabled: the controller refuses
    assert "نهایی" in no_table4.message.text() and no_table4.message.isVisibleTo(no_table4)
    assert not no_table4.confirm_none.isChecked()
    assert stored_value(store, ctl, "5.1.1") is None


def test_six_steps_of_table_5_shown_per_service_and_asked_before_accepting(panel, ctl, store, steps_question,
                                                                          monkeypatch):
    """«مستند اصلاح و بهبود هر زیر خدمت شامل ... (1) هدف گذاری ... (6) میزان دست یابی به اهداف»."""
    t4 = panel.table4
    steps = t4.column_of("steps")
    assert t4.headerData(steps, Qt.Orientation.Horizontal) == "گام‌های مستند در جدول ۵"
    assert t4.index(0, steps).data() == "۲ از ۶"  # 121095100: goal-setting and modelling
    tip = t4.index(0, steps).data(Qt.ItemDataRole.ToolTipRole)
    assert "تحلیل و آسیب‌شناسی" in tip and "هدف‌گذاری" not in tip
    assert t4.index(4, steps).data() == "۰ از ۶"  # 121097102: nothing in table 5
    col = t4.column_of("accepted")
    assert t4.setData(t4.index(0, col), True)
    assert len(steps_question) == 1 and "۱۲۱۰۹۵۱۰۰" in steps_question[0]
    assert stored(store, ReformRow, 1)[0] is True
    # Declined: nothing stored, nothing scored.
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not t4.setData(t4.index(4, col), True)
    assert stored(store, ReformRow, 5)[0] is None
    # Rejecting a table 5 row takes its step away from the count.
    t5 = panel.table5
    assert t5.setData(t5.index(0, t5.column_of("accepted")), False)
    assert t4.index(0, steps).data() == "۱ از ۶"
