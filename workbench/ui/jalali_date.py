"""A Jalali (Solar Hijri) date picker and conversions between QDate and ``datetime.date``.

Dates are stored as Gregorian ``datetime.date``; a ``QDate`` is a day number
independent of calendars, so converting is plain year/month/day in the
Gregorian calendar.  Only the display is Jalali: the edit and its popup are
given ``QCalendar.System.Jalali`` and the Persian locale (Persian month names
and digits).

The popup's weekend: ``QCalendarWidget`` colours Saturday and Sunday red
whatever the locale says, but in Iran Friday alone is the weekend and the
week starts on Saturday, so both are set here explicitly.

Every edit comes from :func:`make_jalali_date_edit`, which also removes a
keyboard trap of Qt's: an edit showing its "no date" text keeps Tab to itself.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCalendar, QDate, QEvent, QLocale, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QWidget

#: The display format; with the Persian locale the digits come out Persian.
DISPLAY_FORMAT = "yyyy/MM/dd"
#: What an edit shows when it holds no date (``None``).
NO_DATE_TEXT = "تعیین‌نشده"
WEEKEND_COLOR = QColor("#c62828")
WEEKEND_DAYS = (Qt.DayOfWeek.Friday,)
_NORMAL_DAYS = tuple(d for d in Qt.DayOfWeek if d not in WEEKEND_DAYS)


def jalali_calendar() -> QCalendar:
    return QCalendar(QCalendar.System.Jalali)


def persian_locale() -> QLocale:
    return QLocale(QLocale.Language.Persian, QLocale.Country.Iran)


def to_qdate(value: dt.date | dt.datetime | None) -> QDate:
    """A ``QDate`` for ``value``; an invalid ``QDate`` for ``None``."""
    if value is None:
        return QDate()
    if isinstance(value, dt.datetime):
        value = value.date()
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date | None:
    """The ``datetime.date`` of ``value``; ``None`` for an invalid or null ``QDate``."""
    if value is None or not value.isValid():
        return None
    # year()/month()/day() without a calendar argument are Gregorian.
    return dt.date(value.year(), value.month(), value.day())


def jalali_qdate(year: int, month: int, day: int) -> QDate:
    """The ``QDate`` of a Jalali year/month/day (invalid if the day does not exist)."""
    return QDate(year, month, day, jalali_calendar())


def style_calendar(widget: QCalendarWidget) -> QCalendarWidget:
    """Jalali months, Persian locale, week from Saturday, Friday (only) as the weekend."""
    widget.setLocale(persian_locale())
    widget.setCalendar(jalali_calendar())
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    widget.setFirstDayOfWeek(Qt.DayOfWeek.Saturday)
    # ISO week numbers count Gregorian weeks from Monday: meaningless beside Jalali months.
    widget.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
    normal = QTextCharFormat()
    normal.setForeground(widget.palette().text())
    weekend = QTextCharFormat()
    weekend.setForeground(WEEKEND_COLOR)
    for day in _NORMAL_DAYS:
        widget.setWeekdayTextFormat(day, normal)
    for day in WEEKEND_DAYS:
        widget.setWeekdayTextFormat(day, weekend)
    return widget


def make_jalali_calendar(parent: QWidget | None = None) -> QCalendarWidget:
    return style_calendar(QCalendarWidget(parent))


class JalaliDateEdit(QDateEdit):
    """A ``QDateEdit`` that lets Tab and Shift+Tab leave it while it shows "no date".

    ``QDateTimeEdit`` uses Tab to step from section to section; while the
    special "no date" text is shown there are no sections, and Qt swallows
    the key, so a keyboard user could never leave an empty date field.  With
    a real date Qt's stepping is kept (year, month, day, then out).
    """

    def event(self, event) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            and date_value(self) is None
        ):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            # QWidget's own move (up to the window's focus chain), not the sections' stepping.
            if QWidget.focusNextPrevChild(self, forward):
                event.accept()
                return True
        return super().event(event)


def make_jalali_date_edit(parent: QWidget | None = None, allow_empty: bool = False) -> QDateEdit:
    """A ``QDateEdit`` that shows and pops up Jalali dates (``۱۴۰۳/۰۱/۱۵``).

    With ``allow_empty`` the edit can also hold "no date": its minimum date
    stands for ``None`` and shows :data:`NO_DATE_TEXT` (read it with
    :func:`date_value`, set it with :func:`set_date_value`).
    """
    edit = JalaliDateEdit(parent)
    edit.setLocale(persian_locale())
    edit.setCalendar(jalali_calendar())
    # A date reads as a left-to-right run in Persian text too (۱۴۰۳/۰۱/۱۵, the year on the left),
    # as format_jalali writes it in tables; in a right-to-left edit Qt would reverse the sections.
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    edit.setDisplayFormat(DISPLAY_FORMAT)
    edit.setCalendarPopup(True)
    edit.setCalendarWidget(make_jalali_calendar(edit))
    # The years the guide's rounds and agencies' dates can fall in.
    edit.setDateRange(jalali_qdate(1300, 1, 1), jalali_qdate(1500, 12, 29))
    if allow_empty:
        edit.setSpecialValueText(NO_DATE_TEXT)
        edit.setDate(edit.minimumDate())
    else:
        edit.setDate(QDate.currentDate())
    return edit


def date_value(edit: QDateEdit) -> dt.date | None:
    """The edit's date; ``None`` when an ``allow_empty`` edit shows "no date"."""
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return from_qdate(edit.date())


def set_date_value(edit: QDateEdit, value: dt.date | None) -> None:
    """Show ``value``; ``None`` shows "no date" on an ``allow_empty`` edit."""
    if value is None:
        if not edit.specialValueText():
            raise ValueError("this date edit cannot be empty (make it with allow_empty=True)")
        edit.setDate(edit.minimumDate())
    else:
        edit.setDate(to_qdate(value))
