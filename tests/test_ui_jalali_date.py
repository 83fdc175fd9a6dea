"""The Jalali date edit and its popup: Persian months and digits, week from Saturday, Friday the weekend."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QToolButton
from ui_page_fixture import setup_app, type_text

from workbench.model.jalali import to_gregorian, to_jalali
from workbench.model.text import persian_digits
from workbench.ui.shared.jalali_date import (
    NO_DATE_TEXT,
    WEEKEND_COLOR,
    date_value,
    from_qdate,
    jalali_qdate,
    make_jalali_date_edit,
    set_date_value,
    to_qdate,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def edit(qapp, qtbot):
    setup_app(qapp)
    widget = make_jalali_date_edit()
    qtbot.addWidget(widget)
    return widget


def test_shows_jalali_date_with_persian_digits(edit):
    set_date_value(edit, dt.date(2024, 3, 20))  # Nowruz 1403
    assert edit.text() == "۱۴۰۳/۰۱/۰۱"
    assert date_value(edit) == dt.date(2024, 3, 20)
    set_date_value(edit, dt.date(2025, 3, 20))  # the 30th of Esfand of the leap year 1403
    assert edit.text() == "۱۴۰۳/۱۲/۳۰"


def test_conversions_agree_with_jdatetime_across_years():
    for year in (1399, 1402, 1403, 1404):
        for month, day in ((1, 1), (6, 31), (7, 1), (12, 29)):
            gregorian = to_gregorian(year, month, day)
            assert jalali_qdate(year, month, day) == to_qdate(gregorian)
            assert from_qdate(jalali_qdate(year, month, day)) == gregorian
    assert not jalali_qdate(1402, 12, 30).isValid()  # 1402 is not a leap year
    assert from_qdate(QDate()) is None
    assert to_qdate(None).isValid() is False
    assert to_qdate(dt.datetime(2024, 3, 20, 23, 59)) == QDate(2024, 3, 20)


@pytest.mark.parametrize("typed", ["۱۴۰۳۰۵۱۰", "14030510"])
def test_typing_a_date_in_either_digit_set(edit, typed):
    set_date_value(edit, dt.date(2024, 3, 20))
    edit.setFocus()
    edit.setSelectedSection(QDateEdit.Section.YearSection)
    type_text(edit, typed)
    edit.interpretText()
    assert date_value(edit) == to_gregorian(1403, 5, 10)
    assert edit.text() == "۱۴۰۳/۰۵/۱۰"


def test_a_day_that_does_not_exist_is_not_accepted(edit):
    set_date_value(edit, dt.date(2024, 3, 20))
    edit.setSelectedSection(QDateEdit.Section.MonthSection)
    type_text(edit, "07")  # Mehr has 30 days
    edit.setSelectedSection(QDateEdit.Section.DaySection)
    type_text(edit, "31")
    edit.interpretText()
    shown = to_jalali(date_value(edit))
    # The edit always holds a real date: Mehr 1403 has no 31st.
    assert (shown.year, shown.month) == (1403, 7)
    assert shown.day <= 30
    assert edit.text() == f"۱۴۰۳/۰۷/{persian_digits(f'{shown.day:02d}')}"


def test_empty_date(qapp, qtbot):
    setup_app(qapp)
    edit = make_jalali_date_edit(allow_empty=True)
    qtbot.addWidget(edit)
    assert date_value(edit) is None
    assert edit.text() == NO_DATE_TEXT
    set_date_value(edit, dt.date(2024, 4, 1))
    assert edit.text() == "۱۴۰۳/۰۱/۱۳"
    set_date_value(edit, None)
    assert date_value(edit) is None
    plain = make_jalali_date_edit()
    qtbot.addWidget(plain)
    with pytest.raises(ValueError):
        set_date_value(plain, None)


def test_popup_week_starts_saturday_and_only_friday_is_weekend(edit):
    calendar = edit.calendarWidget()
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Saturday
    friday = calendar.weekdayTextFormat(Qt.DayOfWeek.Friday).foreground().color()
    assert friday == WEEKEND_COLOR
    for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday, Qt.DayOfWeek.Thursday):
        assert calendar.weekdayTextFormat(day).foreground().color() != WEEKEND_COLOR


def test_popup_shows_persian_month_names(edit):
    calendar = edit.calendarWidget()
    calendar.setSelectedDate(to_qdate(dt.date(2024, 10, 1)))  # 10 Mehr 1403
    calendar.show()
    month_button = calendar.findChild(QToolButton, "qt_calendar_monthbutton")
    year_button = calendar.findChild(QToolButton, "qt_calendar_yearbutton")
    assert month_button.text() == "مهر"
    assert year_button.text() == "۱۴۰۳"


def _form_with_date(qapp, qtbot, allow_empty: bool):
    """A window: a line edit, the date edit, another line edit; active, so focus moves really."""
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

    setup_app(qapp)
    form = QWidget()
    before = QLineEdit(form)  # made in this order: the order Tab follows
    date = make_jalali_date_edit(form, allow_empty=allow_empty)
    after = QLineEdit(form)
    layout = QVBoxLayout(form)
    for widget in (before, date, after):
        layout.addWidget(widget)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    return form, before, date, after


def _press(qtbot, key, shift=False):
    from PySide6.QtWidgets import QApplication

    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def test_tab_leaves_an_empty_date(qapp, qtbot):
    _form, before, date, after = _form_with_date(qapp, qtbot, allow_empty=True)
    date.setFocus()
    assert date_value(date) is None and date.text() == NO_DATE_TEXT
    assert _press(qtbot, Qt.Key.Key_Tab) is after
    date.setFocus()
    assert _press(qtbot, Qt.Key.Key_Backtab, shift=True) is before
    # Tab from before reaches the empty date and then leaves it again.
    before.setFocus()
    assert _press(qtbot, Qt.Key.Key_Tab) is date
    assert _press(qtbot, Qt.Key.Key_Tab) is after


def test_tab_steps_through_a_dates_sections_then_leaves(qapp, qtbot):
    _form, _before, date, after = _form_with_date(qapp, qtbot, allow_empty=True)
    set_date_value(date, dt.date(2024, 4, 1))
    date.setFocus()
    date.setCurrentSectionIndex(0)
    seen = [_press(qtbot, Qt.Key.Key_Tab) for _ in range(3)]
    # Qt's own stepping (year, month, day) is kept for a real date, and the last Tab leaves.
    assert seen[:2] == [date, date] and seen[2] is after
    assert date_value(date) == dt.date(2024, 4, 1)  # stepping changed nothing


def test_an_empty_date_is_typed_from_the_keyboard(qapp, qtbot):
    """Digits typed into "no date" make the date (Qt appended them to the "no date" text)."""
    _form, _before, date, _after = _form_with_date(qapp, qtbot, allow_empty=True)
    date.setFocus()
    type_text(date, "۱۴۰۳۰۷۱۶")
    date.interpretText()
    assert date_value(date) == to_gregorian(1403, 7, 16)
    assert date.text() == "۱۴۰۳/۰۷/۱۶"


def test_an_arrow_on_an_empty_date_gives_today_not_1300(qapp, qtbot):
    _form, _before, date, _after = _form_with_date(qapp, qtbot, allow_empty=True)
    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_Up)
    assert date_value(date) == dt.date.today()


def test_popup_of_an_empty_date_opens_on_today_from_the_keyboard(qapp, qtbot):
    from PySide6.QtWidgets import QTableView

    _form, _before, date, _after = _form_with_date(qapp, qtbot, allow_empty=True)
    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_F4)
    calendar = date.calendarWidget()
    assert calendar.isVisible()
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(calendar.calendar()),
                                                             today.month(calendar.calendar()))
    assert date_value(date) is None  # opening the popup stores nothing
    days = calendar.findChild(QTableView)
    qtbot.keyClick(days, Qt.Key.Key_Escape)
    assert not calendar.isVisible() and date_value(date) is None and date.text() == NO_DATE_TEXT
    # Alt+Down opens it too; Enter takes the day shown selected: today.
    qtbot.keyClick(date, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert calendar.isVisible()
    qtbot.keyClick(days, Qt.Key.Key_Return)
    assert date_value(date) == dt.date.today() and not calendar.isVisible()


# --------------------------------------------------------------------------- a whole date typed over the field


def _type_whole_date(qtbot, date, text: str):
    """Ctrl+A in the field, then the date as a keyboard sends it; returns the field typed into."""
    from PySide6.QtWidgets import QApplication

    date.setFocus()
    qtbot.keyClick(date, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(date, text[0])
    typing = QApplication.focusWidget()
    type_text(typing, text[1:])
    return typing


@pytest.mark.parametrize("typed", ["1402/05/05", "۱۴۰۲/۰۵/۰۵", "14020505", "۱۴۰۲-۵-۵"])
def test_a_whole_date_typed_over_the_field_is_taken_whole(qapp, qtbot, typed):
    """Ctrl+A then 1402/05/05 and Tab gave the current year with the typed month and day."""
    _form, _before, date, after = _form_with_date(qapp, qtbot, allow_empty=True)
    set_date_value(date, to_gregorian(1404, 8, 10))
    finished = []
    date.editingFinished.connect(lambda: finished.append(date_value(date)))
    typing = _type_whole_date(qtbot, date, typed)
    assert typing is not date and typing.isVisible()
    assert not any(ch.isascii() and ch.isdigit() for ch in typing.text())  # Persian digits as typed
    assert _press(qtbot, Qt.Key.Key_Tab) is after
    assert date_value(date) == to_gregorian(1402, 5, 5)
    assert date.text() == "۱۴۰۲/۰۵/۰۵" and finished[-1] == to_gregorian(1402, 5, 5)
    assert typing.isHidden()


def test_a_date_that_does_not_exist_is_refused_where_it_was_typed(qapp, qtbot):
    """1403/07/31 became 07/30 silently: now it is refused, the date is unchanged, the reason shown."""
    _form, _before, date, after = _form_with_date(qapp, qtbot, allow_empty=True)
    set_date_value(date, to_gregorian(1403, 1, 15))
    refusals = []
    date.refused.connect(refusals.append)
    typing = _type_whole_date(qtbot, date, "1403/07/31")
    assert _press(qtbot, Qt.Key.Key_Tab) is typing  # not left with a wrong date
    assert date_value(date) == to_gregorian(1403, 1, 15)  # never another day
    assert typing.isVisible() and typing.text() == "۱۴۰۳/۰۷/۳۱"
    assert "وجود ندارد" in typing.toolTip() and "۳۰ روز" in typing.toolTip()
    assert refusals == [typing.toolTip()]
    # Corrected in place, then taken.
    typing.selectAll()
    type_text(typing, "۱۴۰۳/۰۷/۳۰")
    assert typing.toolTip() == ""
    assert _press(qtbot, Qt.Key.Key_Return) is date
    assert date_value(date) == to_gregorian(1403, 7, 30)


def test_escape_gives_the_date_back(qapp, qtbot):
    _form, _before, date, _after = _form_with_date(qapp, qtbot, allow_empty=True)
    set_date_value(date, to_gregorian(1403, 1, 15))
    typing = _type_whole_date(qtbot, date, "99")
    assert _press(qtbot, Qt.Key.Key_Escape) is date
    assert typing.isHidden() and date_value(date) == to_gregorian(1403, 1, 15)


def test_text_that_is_no_date_is_refused_not_guessed(qapp, qtbot):
    _form, _before, date, _after = _form_with_date(qapp, qtbot, allow_empty=True)
    set_date_value(date, to_gregorian(1403, 1, 15))
    typing = _type_whole_date(qtbot, date, "5/5")
    assert _press(qtbot, Qt.Key.Key_Return) is typing
    assert date_value(date) == to_gregorian(1403, 1, 15) and "۱۴۰۳/۰۱/۱۵" in typing.toolTip()
