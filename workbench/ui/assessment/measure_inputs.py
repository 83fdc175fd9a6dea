"""What the measure page's inputs share: right-to-left text, points, wrapping rows, not applicable.

The editors of the scored items (مورد امتیازدار) are in
:mod:`workbench.ui.assessment.item_editors`; they write through ``save(key,
fields, undo_text)`` (:data:`Save`), which the measure page routes to the
controller.

Not applicable (عدم مصداق) needs a reason: ticking the box opens the reason
field and nothing is saved until a non-empty reason is confirmed (Enter or
leaving the field); an empty reason is refused with a message.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.model.scoring import NodeScore
from workbench.model.terms import NOT_APPLICABLE
from workbench.model.text import close_bidi, format_number, persian_digits

Save = Callable[[str, dict, str], bool]

ERROR_STYLE = "color: #b71c1c;"
HINT_STYLE = "color: #5f6368;"
NA_REASON_REQUIRED = "برای عدم مصداق باید دلیل نوشته شود؛ بدون دلیل ثبت نشد."


def rtl(text: str) -> str:
    """``text`` with a right-to-left mark opening each line.

    A label lays a paragraph out in the direction of its first strong
    character, so a Persian message that opens with a quoted URL or Latin
    name («mimt.gov.ir» …) would otherwise be shown left to right, scrambled.
    """
    text = close_bidi(text)  # a quoted file name or URL that opens a direction closes it
    return "\n".join("\u200f" + line if line else line for line in text.split("\n")) if text else ""


def points_text(points: float, assumed: bool = False) -> str:
    return f"{format_number(points)} امتیاز" + ("، فرضی" if assumed else "")


def earned_text(node: NodeScore | None) -> str:
    """``۴٫۵ از ۶ امتیاز``; ``عدم مصداق``; ``— از ۶ امتیاز`` while nothing is answered."""
    if node is None:
        return ""
    if not node.applicable:
        return NOT_APPLICABLE
    earned = format_number(node.earned) if node.answered else "—"
    return f"{earned} از {format_number(node.possible)} امتیاز"


class WrapLabel(QLabel):
    """A word-wrapped label that asks its layout for the height its text needs at its width.

    Layouts size a wrapped ``QLabel`` by its one-line hint in several places (a
    scroll area, a group box), which clipped long item titles; a minimum
    height kept equal to ``heightForWidth`` makes every parent make room.
    """

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        needed = self.heightForWidth(event.size().width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class ReflowRow(QWidget):
    """Two groups of controls on one row when there is room, the second under the first when not.

    A plain row only shrinks, which squeezed a URL or search field to a few
    pixels in a narrow window.  Here :attr:`first` (the group with the
    stretching field, which should have a minimum width) keeps its minimum
    and :attr:`second` (buttons) moves to a line of its own instead.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.first = QHBoxLayout()
        self.second = QHBoxLayout()
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)  # mirrored in right-to-left
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addLayout(self.first, 1)
        self._box.addLayout(self.second)

    def wrapped(self) -> bool:
        return self._box.direction() == QBoxLayout.Direction.TopToBottom

    def minimumSizeHint(self) -> QSize:
        # As narrow as the wrapped arrangement, so a parent may make the row narrow enough to wrap.
        width = max(self.first.minimumSize().width(), self.second.minimumSize().width())
        return QSize(width, self._box.minimumSize().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        needed = self.first.minimumSize().width() + self._box.spacing() + self.second.sizeHint().width()
        direction = (QBoxLayout.Direction.LeftToRight if event.size().width() >= needed
                     else QBoxLayout.Direction.TopToBottom)
        if self._box.direction() != direction:
            self._box.setDirection(direction)
            self.updateGeometry()  # one line or two: the parent's layout makes room


class NotApplicableControl(QObject):
    """A "not applicable" box for one key (item, measure or indicator) and its reason.

    Its widgets are laid out by the owner: :attr:`check` where the key's
    other inputs are, :attr:`details` (reason, condition, message) below.
    """

    def __init__(self, key: str, label: str, condition: str, save: Save, what: str, parent: QWidget):
        super().__init__(parent)
        self.key = key
        self._save = save
        self._what = what  # e.g. «مورد ۴.۴.۳», for the undo text
        self._stored = False
        self._stored_reason = ""
        self._pending = False  # ticked by the user, no reason confirmed yet
        self._refusal: str | None = None  # why the guide's rule does not allow it here
        self._tooltip = condition or "عدم مصداق فقط با ذکر دلیل ثبت می‌شود"
        self.check = QCheckBox(label, parent)
        self.check.setToolTip(self._tooltip)
        self.details = QWidget(parent)
        self.reason = QLineEdit(self.details)
        self.reason.setPlaceholderText("دلیل عدم مصداق را بنویسید و کلید اینتر را بزنید")
        self.condition = WrapLabel(f"شرط عدم مصداق در راهنما: {persian_digits(condition)}" if condition else "", self.details)
        self.condition.setStyleSheet(HINT_STYLE)
        self.message = WrapLabel("", self.details)
        self.message.setStyleSheet(ERROR_STYLE)
        lay = QVBoxLayout(self.details)
        lay.setContentsMargins(24, 0, 0, 4)
        lay.addWidget(self.reason)
        lay.addWidget(self.condition)
        lay.addWidget(self.message)
        self.check.clicked.connect(self._on_clicked)
        self.reason.editingFinished.connect(self._on_reason_done)
        self._show()

    def load(self, stored: bool, reason: str) -> None:
        """Show what is stored, unless the user is in the middle of giving a reason."""
        self._stored, self._stored_reason = stored, reason or ""
        if self._pending and not stored:
            return  # ticked, reason still being written: another field's save must not untick it
        self._pending = False
        self.check.setChecked(stored)
        if not self.reason.hasFocus():
            self.reason.setText(self._stored_reason)
        if stored:
            self.message.clear()
        self._show()

    def set_refusal(self, why: str | None) -> None:
        """Offer the box only where the guide allows it; elsewhere say why (one stored already can be lifted)."""
        self._refusal = why
        self.check.setToolTip(f"عدم مصداق اینجا مجاز نیست: {why}" if why else self._tooltip)

    def set_editable(self, editable: bool) -> None:
        self.check.setEnabled(editable and (not self._refusal or self._stored))
        self.reason.setReadOnly(not editable)

    def is_na(self) -> bool:
        return self._stored

    def _show(self) -> None:
        on = self.check.isChecked()
        self.details.setVisible(on or bool(self.message.text()))
        self.reason.setVisible(on)
        self.condition.setVisible(on and bool(self.condition.text()))
        self.message.setVisible(bool(self.message.text()))

    def _on_clicked(self, checked: bool) -> None:
        self.message.clear()
        if checked:
            reason = self.reason.text().strip()
            if reason:  # a reason given before (kept when N/A was lifted) is reused
                self._commit(reason)
            else:
                self._pending = True
                self._show()
                self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._pending = False
        if self._stored:
            self._save(self.key, {"not_applicable": False}, f"لغو عدم مصداق {self._what}")
        self._show()

    def _on_reason_done(self) -> None:
        if not self.check.isChecked():
            return
        reason = self.reason.text().strip()
        if not reason:
            self.message.setText(rtl(NA_REASON_REQUIRED))
            if self._stored:
                self.reason.setText(self._stored_reason)
            self._show()
            return
        if self._stored and reason == self._stored_reason:
            return
        self._commit(reason)

    def pending(self) -> bool:
        return self._pending

    def _commit(self, reason: str) -> None:
        self._pending = False
        self.message.clear()
        text = f"عدم مصداق {self._what}" if not self._stored else f"دلیل عدم مصداق {self._what}"
        self._save(self.key, {"not_applicable": True, "na_reason": reason}, text)
        self._show()
