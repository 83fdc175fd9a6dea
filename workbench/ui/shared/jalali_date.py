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

An empty edit (a new assessment's visit date) holds the range's minimum,
1300/01/01, behind its "no date" text.  Left to Qt, its popup opened on
Farvardin 1300, typed digits were appended to the "no date" text and came to
nothing, and the up arrow gave 1301/01/01.  Here an empty edit starts from
today as soon as the user begins to enter a date, and its popup opens on
today (nothing is stored until a day is chosen).  F4 and Alt+Down open the
popup, as they open a combo box, so the picker is there without a mouse.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCalendar, QDate, QEvent, QLocale, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from workbench.model.errors import UserError
from workbench.model.jalali import parse_jalali
from workbench.model.text import ascii_digits, persian_digits

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
    """A ``QDateEdit`` that can be used from the keyboard, and from empty.

    * Tab and Shift+Tab leave it while it shows "no date": ``QDateTimeEdit``
      uses Tab to step from section to section; with the special "no date"
      text there are no sections and Qt swallowed the key, so a keyboard user
      could never leave an empty date field.  With a real date Qt's stepping
      is kept (year, month, day, then out).
    * A digit or an arrow key in an empty edit first puts today's date in it
      (the year selected), so typing ``14030716`` gives 1403/07/16.
    * F4 and Alt+Down open the popup; on an empty edit it shows today's month.
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

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
            self.open_popup()
            event.accept()
            return
        typed = event.text()[:1]
        if (
            not self.isReadOnly()
            and typed
            and (typed.isdigit() or typed == "/")
            and not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            and date_value(self) is not None  # an empty field starts from today (below)
            and self._whole_text_selected()
        ):
            # Ctrl+A then a whole date: Qt would type it into one section and keep the rest
            # (1402/05/05 over 1404/08/10 gave 1404/05/05); it is read whole instead.
            self.typing.begin(typed)
            event.accept()
            return
        if date_value(self) is not None or self.isReadOnly():
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.start_from_today()  # that is the step: from "no date" to today, not to 1300/01/02
            event.accept()
            return
        if event.text()[:1].isdigit():  # Persian, Arabic-Indic or Latin digits
            self.start_from_today()
        super().keyPressEvent(event)

    #: A typed date that does not exist or cannot be read: the Persian reason (the date is unchanged).
    refused = Signal(str)

    @property
    def typing(self) -> "_TypedDate":
        field = self.findChild(_TypedDate)
        return field if field is not None else _TypedDate(self)

    def _whole_text_selected(self) -> bool:
        line = self.lineEdit()
        return bool(line.text()) and line.selectedText() == line.text()

    def start_from_today(self) -> None:
        """Put today's date in an empty edit, its year selected for typing over."""
        if date_value(self) is None:
            self.setDate(max(min(QDate.currentDate(), self.maximumDate()), self.minimumDate().addDays(1)))
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)

    def open_popup(self) -> None:
        """Open the calendar popup, as a click on the arrow does (Qt has no call for it)."""
        if not self.calendarPopup() or self.isReadOnly():
            return
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.editable = True
        option.subControls = QStyle.SubControl.SC_All
        arrow = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxArrow, self)
        where = QPointF(arrow.center())
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            QApplication.sendEvent(self, QMouseEvent(kind, where, self.mapToGlobal(where), Qt.MouseButton.LeftButton,
                                                     Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


class _TypedDate(QLineEdit):
    """A whole date typed over the edit (after Ctrl+A), read when the typing ends.

    Enter, Tab or leaving the field reads it: a date that exists is set (the edit's
    ``editingFinished`` fires as for any entry: on Enter, or as focus leaves it); one that does not — 1403/07/31, Mehr has 30
    days — is refused where it was typed: the text stays, marked, with the reason, and the
    date is unchanged (never replaced by another day).  Escape gives the date back.
    Digits show Persian as they are typed; 14020505 reads as 1402/05/05.
    """

    ERROR_STYLE = "QLineEdit { border: 2px solid #c62828; }"

    def __init__(self, edit: JalaliDateEdit):
        super().__init__(edit)
        self._edit = edit
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.hide()
        self.textEdited.connect(self._persian_digits)

    def begin(self, first: str) -> None:
        self.setGeometry(self._edit.lineEdit().geometry())
        self.setFont(self._edit.font())
        self.setAlignment(self._edit.lineEdit().alignment())
        self._clear_error()
        self.setText(persian_digits(first))
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _persian_digits(self, text: str) -> None:
        shown = persian_digits(text)
        if shown != text:
            cursor = self.cursorPosition()
            self.setText(shown)
            self.setCursorPosition(cursor)
        self._clear_error()

    def finish(self) -> bool:
        """Read the typed date: True when it was set (or nothing was typed), False when refused."""
        if self.isHidden():
            return True
        raw = ascii_digits(self.text()).strip()
        if raw.isdigit() and len(raw) == 8:
            raw = f"{raw[:4]}/{raw[4:6]}/{raw[6:]}"
        try:
            value = parse_jalali(raw)
            if not self._edit.minimumDate() < to_qdate(value) <= self._edit.maximumDate():
                raise UserError(f"تاریخ «{persian_digits(raw)}» بیرون از سال‌های پذیرفتنی است")
        except UserError as exc:
            self.setStyleSheet(self.ERROR_STYLE)
            self.setToolTip(exc.message)
            self.setAccessibleDescription(exc.message)
            self._edit.refused.emit(exc.message)
            return False
        self.hide()
        set_date_value(self._edit, value)
        return True

    def cancel(self) -> None:
        self._clear_error()
        self.hide()
        self._edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_error(self) -> None:
        self.setStyleSheet("")
        self.setToolTip("")
        self.setAccessibleDescription("")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.finish():
                self._edit.setFocus(Qt.FocusReason.OtherFocusReason)
                self._edit.editingFinished.emit()  # as Enter in the field itself does
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if self.finish():
                forward = key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self._edit.setFocus(Qt.FocusReason.TabFocusReason)
                QWidget.focusNextPrevChild(self._edit, forward)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def event(self, event) -> bool:  # noqa: N802 - Tab reaches keyPressEvent, not the focus chain
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.finish()  # a refused date stays shown, marked, until corrected or Escape


class _PopupOnToday(QObject):
    """Shows today's month (today selected, quietly) when an empty edit's popup opens.

    The selection is made with the calendar's signals blocked, so the edit
    keeps "no date" until the user picks a day (Escape leaves it empty).
    """

    def __init__(self, edit: QDateEdit):
        super().__init__(edit)
        self._edit = edit

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and date_value(self._edit) is None:
            calendar = self._edit.calendarWidget()
            calendar.blockSignals(True)
            calendar.setSelectedDate(QDate.currentDate())
            calendar.blockSignals(False)
        return False


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
    # The popup (the calendar's window, made by setCalendarWidget) is shown anew each time.
    edit.calendarWidget().window().installEventFilter(_PopupOnToday(edit))
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
