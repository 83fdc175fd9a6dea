"""The measure page driven like a user: the guide beside the inputs, every edit saved and undoable."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_page_fixture import open_controller, planned, stored_answer, type_text

from workbench.model.terms import REQUEST_CAPABILITIES
from workbench.ui.assessment import measure_page as page_module
from workbench.ui.assessment.item_editors import CheckEditor, TypedRatioEditor, YesNoEditor
from workbench.ui.assessment.measure_inputs import NA_REASON_REQUIRED
from workbench.ui.assessment.measure_page import MeasurePage
from workbench.ui.assessment.services_table import column

pytestmark = pytest.mark.gui
CHECKED = Qt.CheckState.Checked.value


@pytest.fixture
def page(ctl, qtbot):
    widget = MeasurePage(ctl)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    return widget


def editor(page, key):
    return next(e for e in page._editors if e.item.key == key)


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def test_guide_is_shown_beside_the_inputs(page):
    page.show_measure("4.4")
    text = page.guide.toPlainText()
    for heading in ("تعریف", "نحوهٔ محاسبه", "مستندات قابل قبول", "مستندات قانونی"):
        assert heading in text
    assert "۱۳۹۳/۱۱/۲۰" in text  # the legal basis, with Persian digits
    assert "مخاطب خارجی" in text  # item 4.4.3's not-applicable condition
    assert page.title.text() == "نماگر ۴.۴: دسترس‌پذیری تارنما"
    assert [type(e) for e in page._editors] == [CheckEditor] * 5
    # Right to left: the inputs are first (on the right), the guide beside them.
    assert page.splitter.widget(0) is page.work and page.splitter.widget(1) is page.guide
    assert page.isRightToLeft()


def test_ticking_items_of_4_1_scores_their_points(page, ctl, store, qtbot):
    page.show_measure("4.1")
    first, third = editor(page, "4.1.1"), editor(page, "4.1.3")
    assert first.box.checkState() == Qt.CheckState.PartiallyChecked  # not answered yet
    click(qtbot, first.box)
    click(qtbot, third.label)  # the title toggles its box too
    assert ctl.card()["4.1"].earned == pytest.approx(3.0)
    assert stored_answer(store, ctl, "4.1.1")["value"] is True
    assert stored_answer(store, ctl, "4.1.3")["value"] is True
    assert page.score.text() == "۳ از ۶ امتیاز (۵۰٪)"
    assert first.earned.text() == "۱٫۵ از ۱٫۵ امتیاز"
    assert ctl.undo_stack.count() == 2  # one step per click, no echo from reloading

    click(qtbot, first.box)  # a second click means "no", never back to unanswered
    assert stored_answer(store, ctl, "4.1.1")["value"] is False
    assert first.box.checkState() == Qt.CheckState.Unchecked
    assert ctl.card()["4.1"].earned == pytest.approx(1.5)

    ctl.undo_stack.undo()
    assert first.box.checkState() == Qt.CheckState.Checked
    ctl.undo_stack.undo()
    ctl.undo_stack.undo()
    assert first.box.checkState() == Qt.CheckState.PartiallyChecked
    assert ctl.card()["4.1"].answered == 0


def test_rest_absent_answers_the_remaining_checks_in_one_step(page, ctl, qtbot):
    page.show_measure("4.2")
    click(qtbot, editor(page, "4.2.4").box)
    click(qtbot, page.rest_button)
    card = ctl.card()["4.2"]
    assert (card.answered, card.total, card.earned) == (5, 5, pytest.approx(2.0))
    assert editor(page, "4.2.1").box.checkState() == Qt.CheckState.Unchecked
    assert ctl.undo_stack.count() == 2
    ctl.undo_stack.undo()
    assert ctl.card()["4.2"].answered == 1


def test_yes_no_has_a_distinguishable_unanswered_state(page, ctl, store, qtbot):
    page.show_measure("6.1")
    yes_no = editor(page, "6.1.1")
    assert isinstance(yes_no, YesNoEditor)
    assert yes_no.buttons[None].isChecked()
    click(qtbot, yes_no.buttons[False])
    assert stored_answer(store, ctl, "6.1.1")["value"] is False
    assert ctl.card()["6.1"].answered == 1 and ctl.card()["6.1"].earned == 0
    click(qtbot, yes_no.buttons[True])
    assert ctl.card()["6.1"].earned == pytest.approx(7)
    click(qtbot, yes_no.buttons[None])
    assert stored_answer(store, ctl, "6.1.1")["value"] is None
    assert ctl.card()["6.1"].answered == 0
    assert page.score.text() == "— از ۷ امتیاز"


def test_not_applicable_needs_a_reason(page, ctl, store, qtbot):
    page.show_measure("4.4")
    english = editor(page, "4.4.3")
    click(qtbot, english.na.check)
    assert english.na.reason.isVisibleTo(page)
    assert "مخاطب خارجی" in english.na.condition.text()
    english.na.reason.editingFinished.emit()  # leaving the field empty
    assert NA_REASON_REQUIRED in english.na.message.text()
    assert english.na.message.isVisibleTo(page)
    assert stored_answer(store, ctl, "4.4.3") is None
    assert ctl.card()["4.4"].possible == pytest.approx(5)

    # Another item's edit meanwhile does not untick the pending box.
    click(qtbot, editor(page, "4.4.1").box)
    assert english.na.check.isChecked()

    english.na.reason.setFocus()
    type_text(english.na.reason, "دستگاه مخاطب خارجی ندارد")
    qtbot.keyClick(english.na.reason, Qt.Key.Key_Return)
    answer = stored_answer(store, ctl, "4.4.3")
    assert answer["not_applicable"] is True and answer["na_reason"] == "دستگاه مخاطب خارجی ندارد"
    assert ctl.card()["4.4"].possible == pytest.approx(4)
    assert not english.box.isEnabled()  # an item not applicable takes no answer
    assert english.earned.text() == "عدم مصداق"

    # Emptying the reason of a stored N/A is refused and the reason kept.
    english.na.reason.clear()
    english.na.reason.editingFinished.emit()
    assert stored_answer(store, ctl, "4.4.3")["na_reason"] == "دستگاه مخاطب خارجی ندارد"
    assert english.na.reason.text() == "دستگاه مخاطب خارجی ندارد"

    click(qtbot, english.na.check)  # lifting it
    assert stored_answer(store, ctl, "4.4.3")["not_applicable"] is False
    assert ctl.card()["4.4"].possible == pytest.approx(5)
    assert english.box.isEnabled()


def test_measure_and_indicator_not_applicable(page, ctl, qtbot):
    page.show_measure("8")  # an indicator: its first measure and the indicator's own box
    assert page.measure_key() == "8.1"
    assert page._indicator_na.check.isVisibleTo(page)
    page._measure_na.reason.setText("اتصال به GSB از طریق دستگاه ملی است")
    click(qtbot, page._measure_na.check)  # a reason already typed is used at once
    assert ctl.card()["8.1"].applicable is False
    assert not editor(page, "8.1.1").buttons[True].isEnabled()
    assert page.score.text() == "عدم مصداق"

    page.show_measure("6.2")
    assert not page._indicator_na.check.isVisibleTo(page)  # only on the indicator's page…
    page.show_measure("10.1")
    assert not page._indicator_na.check.isVisibleTo(page)
    page.show_measure("6")
    page._indicator_na.reason.setText("در برنامهٔ عملیاتی دستگاه نیامده است")
    click(qtbot, page._indicator_na.check)
    assert ctl.card()["6"].applicable is False
    page.show_measure("6.2")
    assert page._indicator_na.check.isVisibleTo(page)  # …or wherever it is in force
    assert not page._measure_na.check.isEnabled()


def test_not_applicable_offered_only_where_the_guide_allows(page, ctl, qtbot):
    """«برای هیچ دستگاه عدم مصداق وجود ندارد» (11); «… در سطح ملی …» (10); 9.1 only for provincial units."""
    for key, words in (("11.1", "عدم مصداق ندارد"), ("10.1", "فقط برای واحد استانی"), ("9.1", "فقط برای واحد استانی")):
        page.show_measure(key)
        assert not page._measure_na.check.isEnabled(), key
        assert words in page._measure_na.check.toolTip(), key
    page.show_measure("4.4")
    assert editor(page, "4.4.3").na.check.isEnabled()  # the guide's English-site condition
    assert not editor(page, "4.4.1").na.check.isEnabled()
    assert "عدم مصداق اینجا مجاز نیست" in editor(page, "4.4.1").na.check.toolTip()


def test_typed_ratio(page, ctl, store, qtbot):
    page.show_measure("7.1")
    desk = editor(page, "7.1.1")
    assert isinstance(desk, TypedRatioEditor)
    desk.achieved.setFocus()
    type_text(desk.achieved, "۳")
    qtbot.keyClick(desk.achieved, Qt.Key.Key_Return)
    desk.planned.setFocus()
    type_text(desk.planned, "4")
    qtbot.keyClick(desk.planned, Qt.Key.Key_Return)
    answer = stored_answer(store, ctl, "7.1.1")
    assert (answer["achieved"], answer["planned"]) == (3, 4)
    assert ctl.card()["7.1.1"].earned == pytest.approx(3.0)
    assert desk.earned.text() == "۳ از ۴ امتیاز"

    desk.planned.setText("2")  # fewer than achieved
    desk.planned.editingFinished.emit()
    assert "بیشتر" in desk.message.text()
    assert stored_answer(store, ctl, "7.1.1")["planned"] == 4
    assert desk.planned.text() == "۴"
    desk.achieved.setText("سه")
    desk.achieved.editingFinished.emit()
    assert "عدد" in desk.message.text()
    assert stored_answer(store, ctl, "7.1.1")["achieved"] == 3


def test_note_is_saved_after_a_pause_and_when_switching(page, ctl, store, qtbot, monkeypatch):
    page.show_measure("4.1")
    page.note.setFocus()
    type_text(page.note, "سایت روی موبایل کند است")
    qtbot.waitUntil(lambda: (stored_answer(store, ctl, "4.1") or {}).get("note") == "سایت روی موبایل کند است",
                    timeout=page_module.NOTE_IDLE_MS + 3000)
    assert ctl.undo_stack.count() == 1

    # Typing and at once moving to another measure loses nothing.
    page.note.setPlainText("سایت روی موبایل کند است؛ جستجو ندارد")
    page.show_measure("4.2")
    assert stored_answer(store, ctl, "4.1")["note"] == "سایت روی موبایل کند است؛ جستجو ندارد"
    assert page.note.toPlainText() == ""
    page.show_measure("4.1")
    assert page.note.toPlainText() == "سایت روی موبایل کند است؛ جستجو ندارد"
    ctl.undo_stack.undo()
    assert page.note.toPlainText() == "سایت روی موبایل کند است"


def test_services_measure_scores_from_the_table(page, ctl, qtbot):
    page.show_measure("1.1")
    panel = page.services_panel
    assert panel is not None and panel.isVisibleTo(page)
    assert page.reform_panel is None
    summary = editor(page, "1.1.1").summary
    assert summary.text() == "تحقق‌یافته ۰ از ۲۴ خدمت برنامه (بررسی‌شده ۰)"
    for sid in sorted(planned("request"))[:8]:
        row = next(r for r in range(panel.proxy.rowCount())
                   if panel.proxy.index(r, 0).data() == sid.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
        for field in REQUEST_CAPABILITIES:
            panel.proxy.setData(panel.proxy.index(row, column(field)), CHECKED, Qt.ItemDataRole.CheckStateRole)
    assert ctl.card()["1"].earned == pytest.approx(30 * 8 / 24)
    assert summary.text() == "تحقق‌یافته ۸ از ۲۴ خدمت برنامه (بررسی‌شده ۸)"
    assert page.score.text() == "۱۰ از ۳۰ امتیاز (۳۳٫۳۳٪)"

    page.show_measure("8.1")  # the same table, at the GSB stage
    assert panel.model.stage() == "gsb"
    assert editor(page, "8.1.2").summary.text().startswith("تحقق‌یافته ۰ از ۸")
    page.show_measure("4.1")
    assert not panel.isVisibleTo(page)


def test_reform_measure_shows_tables_4_and_5(page, ctl):
    page.show_measure("5.1")
    assert page.reform_panel is not None and page.reform_panel.isVisibleTo(page)
    t4 = page.reform_panel.table4
    t4.setData(t4.index(0, t4.column_of("accepted")), True)
    t4.setData(t4.index(2, t4.column_of("accepted")), True)
    assert ctl.card()["5"].earned == pytest.approx(5.0)
    assert "۲ از ۱۰" in editor(page, "5.1.1").summary.text()
    assert page.score.text() == "۵ از ۲۵ امتیاز (۲۰٪)"


def test_evidence_follows_the_measure(page):
    page.show_measure("6.2")
    assert page.evidence.measure() == "6.2"
    assert page.evidence.kind.currentData() == "number"
    page.show_measure("8.1")
    assert "جدول خدمات" not in page.evidence.hint.text()  # services are the table, not evidence


def test_finalized_assessment_is_read_only(qapp, store, framework, qtbot):
    ctl = open_controller(qapp, store, framework, status="final")
    page = MeasurePage(ctl)
    qtbot.addWidget(page)
    page.show()
    page.show_measure("4.1")
    assert page.banner.isVisibleTo(page)
    box = editor(page, "4.1.1").box
    assert not box.isEnabled()
    click(qtbot, box)
    assert not page._measure_na.check.isEnabled()
    assert page.note.isReadOnly()
    assert not page.rest_button.isEnabled()
    assert not page.evidence.input.isEnabled()
    assert stored_answer(store, ctl, "4.1.1") is None
    assert ctl.undo_stack.count() == 0
    ctl.session().close()


def test_refused_edit_is_explained_and_the_widget_restored(page, ctl, store, qtbot):
    page.show_measure("4.1")
    ctl.assessment().status = "final"  # finalized meanwhile (e.g. from the menu)
    ctl.session().commit()
    box = editor(page, "4.1.2").box
    box.click()  # the widget was still enabled: the controller refuses
    assert "نهایی" in page.message.text() and page.message.isVisibleTo(page)
    assert box.checkState() == Qt.CheckState.PartiallyChecked
    assert stored_answer(store, ctl, "4.1.2") is None
    QApplication.processEvents()


def tab_sequence(page, start):
    """The widgets Tab reaches from ``start``, in order (visible, enabled, taking focus by Tab)."""
    seq, widget = [], start
    for _ in range(500):
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(page) and widget.isEnabled():
            seq.append(widget)
    return seq


@pytest.mark.parametrize("key", ["4.1", "1.1", "5.1", "7.1"])
def test_tab_order_follows_reading_order(page, key):
    page.show_measure("4.1")
    page.show_measure(key)  # the second page's inputs are made after the evidence panel
    start = page._measure_na.check
    seq = tab_sequence(page, start)
    expected = [w for e in page._editors for w in e.focus_order() if w.isVisibleTo(page) and w.isEnabled()]
    expected += [page.note]
    if page.services_panel is not None and page.services_panel.isVisibleTo(page):
        expected += [page.services_panel.search, page.services_panel.view]
    if page.reform_panel is not None and page.reform_panel.isVisibleTo(page):
        expected += [page.reform_panel.view4]
    expected += [page.evidence.input, page.guide]
    positions = [seq.index(w) for w in expected]
    assert positions == sorted(positions)


def test_note_is_saved_when_focus_leaves(page, ctl, store, qtbot):
    page.show_measure("4.3")
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window(), timeout=3000)
    page.note.setFocus()
    qtbot.waitUntil(page.note.hasFocus, timeout=3000)
    type_text(page.note, "نظرسنجی فعال نیست")
    page.evidence.input.setFocus()  # the user moves on: no waiting for the idle timer
    qtbot.waitUntil(lambda: not page.note.hasFocus(), timeout=3000)
    assert stored_answer(store, ctl, "4.3")["note"] == "نظرسنجی فعال نیست"
    assert not page._note_timer.isActive()


def _activate(page, qtbot):
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window(), timeout=3000)


def _tab_walk(qtbot, stop, backward=False, limit=80):
    """Press Tab (or Shift+Tab) until ``stop`` has focus; the widgets focused on the way."""
    key = Qt.Key.Key_Backtab if backward else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backward else Qt.KeyboardModifier.NoModifier
    seen = []
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)
        seen.append(QApplication.focusWidget())
        if seen[-1] is stop:
            break
    return seen


@pytest.mark.parametrize("key", ["1.1", "5.1", "4.4"])
def test_tab_key_moves_through_inputs_table_evidence_and_guide(page, qtbot, key):
    page.show_measure(key)
    # Evidence with rows: a table with rows is where Tab used to stay.
    page.evidence.kind.setCurrentIndex(page.evidence.kind.findData("text"))
    for text in ("یک", "دو"):
        page.evidence.input.setText(text)
        assert page.evidence.add_typed()
    _activate(page, qtbot)
    first_input = next(
        (w for e in page._editors for w in e.focus_order() if w.isVisibleTo(page) and w.isEnabled()), None
    )
    # The measure's N/A box where the guide allows it (not 1.1 of a national agency), else the first input.
    start = page._measure_na.check if page._measure_na.check.isEnabled() else first_input or page.note
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    seen = _tab_walk(qtbot, page.guide)
    assert seen[-1] is page.guide, [type(w).__name__ for w in seen]
    assert all(a is not b for a, b in zip(seen, seen[1:]))  # never held by one widget
    order = [w for w in (first_input, page.note) if w is not None and w is not start]
    table = {"1.1": page.services_panel and page.services_panel.view,
             "5.1": page.reform_panel and page.reform_panel.view4}.get(key)
    if table is not None:
        assert table.model().rowCount() > 0
        order.append(table)
    order += [page.evidence.view, page.evidence.input, page.guide]
    positions = [seen.index(w) for w in order]
    assert positions == sorted(positions)
    # Tab leaves the guide too, and Shift+Tab walks back without a trap.
    back = _tab_walk(qtbot, table or page.note, backward=True)
    assert back[-1] is (table or page.note)
    assert page.evidence.view in back


def test_guide_beside_the_inputs_or_on_a_tab(page, qtbot):
    from workbench.ui.assessment.measure_guide import (
        GUIDE_MIN_WIDTH,
        SIDE_BY_SIDE_WIDTH,
        TAB_GUIDE,
        TAB_INPUTS,
        WORK_MIN_WIDTH,
    )

    page.show_measure("4.2")
    assert page.width() >= SIDE_BY_SIDE_WIDTH
    assert not page.guide_is_tab() and not page.page_tabs.isVisibleTo(page)
    assert page.guide.isVisibleTo(page) and page.work.isVisibleTo(page)
    assert page.guide.width() >= GUIDE_MIN_WIDTH and page.work.width() >= WORK_MIN_WIDTH

    # A narrow page (a laptop with the agency list shown): the guide is a tab, not a strip.
    page.resize(680, 850)
    qtbot.waitUntil(page.guide_is_tab)
    assert page.page_tabs.isVisibleTo(page) and page.page_tabs.currentIndex() == TAB_INPUTS
    assert page.work.isVisibleTo(page) and not page.guide.isVisibleTo(page)
    qtbot.waitUntil(lambda: page.work.width() >= 600)
    page.page_tabs.setCurrentIndex(TAB_GUIDE)
    assert page.guide.isVisibleTo(page) and not page.work.isVisibleTo(page)
    qtbot.waitUntil(lambda: page.guide.width() >= 600)
    assert "شفافیت تارنما" in page.guide.toPlainText()
    # F1 goes back and forth, and focus follows to what is shown.
    _activate(page, qtbot)
    page.guide.setFocus()
    qtbot.keyClick(page.guide, Qt.Key.Key_F1)
    assert page.page_tabs.currentIndex() == TAB_INPUTS and page.work.isVisibleTo(page)
    assert page.work.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    assert page.page_tabs.currentIndex() == TAB_GUIDE and page.guide.hasFocus()
    # Another measure keeps the tab the evaluator chose.
    page.show_measure("4.3")
    assert page.guide.isVisibleTo(page) and "کیفیت خدمات تارنما" in page.guide.toPlainText()

    page.resize(1300, 850)
    qtbot.waitUntil(lambda: not page.guide_is_tab())
    assert not page.page_tabs.isVisibleTo(page)
    assert page.guide.isVisibleTo(page) and page.work.isVisibleTo(page)
    qtbot.waitUntil(lambda: page.guide.width() >= GUIDE_MIN_WIDTH and page.work.width() >= WORK_MIN_WIDTH)


def test_reform_summary_without_table_4(page, ctl, store, qtbot):
    from sqlalchemy import select

    from workbench.model.schema import ReformRow

    with store.session() as s:
        for row in s.scalars(select(ReformRow)):
            s.delete(row)
    page.show_measure("5.1")
    summary = editor(page, "5.1.1").summary
    assert "جدول ۴ ارائه نکرده است" in summary.text()
    assert page.score.text() == "— از ۲۵ امتیاز"
    qtbot.mouseClick(page.reform_panel.confirm_none, Qt.MouseButton.LeftButton)
    assert "تأیید ارزیاب" in summary.text()
    assert page.score.text() == "۰ از ۲۵ امتیاز (۰٪)"


def test_titles_from_the_guide_are_shown_with_persian_digits(page, ctl):
    import re

    from workbench.ui.assessment.score_tree import ScoreTreeModel

    page.show_measure("5.1")  # «بهبود فرآیند زیرخدمات (جداول 4 و 5)», «… min(10، تعداد زیرخدمات)»
    latin = re.compile(r"[0-9]")
    assert page.title.text() == "نماگر ۵.۱: بهبود فرآیند زیرخدمات (جداول ۴ و ۵)"
    item = editor(page, "5.1.1")
    titles = [w.text() for w in item.findChildren(type(page.title)) if "زیرخدمات" in w.text()]
    assert titles and not any(latin.search(t) for t in titles), titles
    tree = ScoreTreeModel(ctl.framework())
    assert not latin.search(tree.index_of("5.1").data())


def test_indicator_7_agreement_recorded_on_its_page(page, ctl, qtbot):
    """«عدم مصداق مرتبط با خدمات در صورت تفاهم با سازمان میسر است»: the letter and the services it covers."""
    page.show_measure("7.1")
    box = page.agreement
    assert box is not None and "۰ خدمت از" in box.summary.text()
    assert not page._indicator_na.check.isEnabled()  # no agreement yet: the whole indicator may not be N/A
    desk = editor(page, "7.1.1")
    desk.achieved.setText("2")
    desk.achieved.editingFinished.emit()
    desk.planned.setText("10")
    desk.planned.editingFinished.emit()
    assert ctl.card()["7.1.1"].earned == pytest.approx(4 * 2 / 10)
    box.letter.setText("۱۲۳۴/۵۶")
    box.date.setText("۱۴۰۳/۰۵/۲۰")
    box.services.setText("999999999")
    assert not box.save()
    assert "در فهرست خدمات دستگاه نیستند" in box.message.text()
    from ui_page_fixture import service_ids

    from workbench.model.text import persian_digits

    covered = service_ids()[:6]
    box.services.setText("، ".join(covered))
    assert box.save()
    assert f"{persian_digits(6)} خدمت از" in box.summary.text()
    assert ctl.card()["7.1.1"].earned == pytest.approx(4 * 2 / (10 - 6))
