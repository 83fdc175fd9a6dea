"""The inputs of one scored item (مورد امتیازدار): a check box, yes/no, a typed ratio, a summary.

Each editor shows one item of a measure by its kind (check, yes/no, typed
ratio, ratio counted from services, reform) and writes through ``save(key,
fields, undo_text)``, which the measure page routes to the controller.  The
editors listen only to signals a user causes (``clicked``, ``idClicked``,
``editingFinished``), so loading values never writes them back.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.model.framework import Item
from workbench.model.scoring import NodeScore
from workbench.model.terms import NOT_APPLICABLE, STAGE_RESULTS
from workbench.model.text import ascii_digits, format_number, normalize, persian_digits
from workbench.ui.assessment.measure_inputs import (
    ERROR_STYLE,
    HINT_STYLE,
    NotApplicableControl,
    Save,
    WrapLabel,
    earned_text,
    points_text,
    rtl,
)


class TriCheckBox(QCheckBox):
    """A check box whose third state means "not answered yet"; a click gives yes, then no, then yes."""

    def __init__(self, text: str, parent=None):
        super().__init__(text, parent)
        self.setTristate(True)

    def nextCheckState(self) -> None:
        # Never back to "not answered" by clicking: that would silently erase an answer.
        checked = self.checkState() != Qt.CheckState.Checked
        self.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_value(self, value: bool | None) -> None:
        state = {True: Qt.CheckState.Checked, False: Qt.CheckState.Unchecked, None: Qt.CheckState.PartiallyChecked}
        self.setCheckState(state[value])
        self.setToolTip("هنوز پاسخ داده نشده است" if value is None else "")

    def value(self) -> bool | None:
        return {Qt.CheckState.Checked: True, Qt.CheckState.Unchecked: False}.get(self.checkState())


class ClickableLabel(WrapLabel):
    """A word-wrapped title that toggles its check box when clicked, as a check box's own text would."""

    def __init__(self, text: str, target: QCheckBox, parent=None):
        super().__init__(text, parent)
        self._target = target
        self.setBuddy(target)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._target.isEnabled():
            self._target.click()
        super().mouseReleaseEvent(event)


class ItemEditor(QWidget):
    """Base of the editors: the item's title row, an inputs row, the not-applicable control.

    The title row holds (right to left) the title, the points earned and the
    N/A box; kinds with more than one input put them on :attr:`inputs` below.
    """

    def __init__(self, item: Item, save: Save, parent=None):
        super().__init__(parent)
        self.item = item
        self._save = save
        self.what = f"مورد {persian_digits(item.key)}"
        self.na = NotApplicableControl(item.key, NOT_APPLICABLE, item.not_applicable, save, self.what, self)
        self.earned = QLabel(self)
        self.earned.setStyleSheet(HINT_STYLE)
        self.title_row = QHBoxLayout()
        self.title_row.setContentsMargins(0, 0, 0, 0)
        self.inputs = QHBoxLayout()
        self.inputs.setContentsMargins(24, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addLayout(self.title_row)
        layout.addLayout(self.inputs)
        layout.addWidget(self.na.details)
        self._editable = True

    def title_text(self) -> str:
        # The guide's titles carry Latin digits («min(10، …)»); everything people read has Persian ones.
        return f"{persian_digits(self.item.title)} ({points_text(self.item.points, self.item.weight.assumed)})"

    #: Whether the points earned are worth a label of their own (a tick's points are in its title).
    SHOWS_EARNED = True

    def finish_rows(self, title: QWidget) -> None:
        self.title_row.addWidget(title, 1)
        self.title_row.addWidget(self.earned)
        self.earned.setVisible(self.SHOWS_EARNED)
        self.title_row.addWidget(self.na.check)
        self.inputs.addStretch(1)

    def focus_order(self) -> list[QWidget]:
        """The item's inputs in reading order (right to left, then down), its N/A box last."""
        return [*self.input_widgets(), self.na.check, self.na.reason]

    def input_widgets(self) -> list[QWidget]:
        return []

    def load(self, answer: dict, node: NodeScore | None, parent_na: bool) -> None:
        self.na.load(bool(answer.get("not_applicable")), answer.get("na_reason", ""))
        self.earned.setText(earned_text(node))
        self.load_value(answer)
        self._apply_editable(parent_na)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def _apply_editable(self, parent_na: bool) -> None:
        self.na.set_editable(self._editable and not parent_na)
        self.set_inputs_enabled(self._editable and not parent_na and not self.na.is_na())

    # overridden by kinds
    def load_value(self, answer: dict) -> None:
        pass

    def set_inputs_enabled(self, enabled: bool) -> None:
        pass


class CheckEditor(ItemEditor):
    SHOWS_EARNED = False
    def __init__(self, item: Item, save: Save, parent=None):
        super().__init__(item, save, parent)
        self.box = TriCheckBox("", self)
        self.box.setAccessibleName(persian_digits(item.title))
        self.box.clicked.connect(self._clicked)
        self.label = ClickableLabel(self.title_text(), self.box, self)
        self.title_row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        self.finish_rows(self.label)

    def _clicked(self) -> None:
        value = self.box.value()
        verb = "تیک" if value else "برداشتن تیک"
        self._save(self.item.key, {"value": value}, f"{verb} {self.what}")

    def input_widgets(self) -> list[QWidget]:
        return [self.box]

    def load_value(self, answer: dict) -> None:
        self.box.set_value(answer.get("value"))

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.box.setEnabled(enabled)
        self.label.setEnabled(enabled)


class YesNoEditor(ItemEditor):
    SHOWS_EARNED = False
    CHOICES = ((1, "بله", True), (0, "خیر", False), (2, "بی‌پاسخ", None))

    def __init__(self, item: Item, save: Save, parent=None):
        super().__init__(item, save, parent)
        title = WrapLabel(self.title_text(), self)
        self.group = QButtonGroup(self)
        self.buttons: dict[bool | None, QRadioButton] = {}
        for button_id, label, value in self.CHOICES:
            button = QRadioButton(label, self)
            self.group.addButton(button, button_id)
            self.buttons[value] = button
            self.inputs.addWidget(button)
        self.group.idClicked.connect(self._clicked)
        self.finish_rows(title)

    def _clicked(self, button_id: int) -> None:
        value = next(v for i, _label, v in self.CHOICES if i == button_id)
        label = next(lbl for i, lbl, _v in self.CHOICES if i == button_id)
        self._save(self.item.key, {"value": value}, f"«{label}» برای {self.what}")

    def input_widgets(self) -> list[QWidget]:
        return [self.buttons[value] for _id, _label, value in self.CHOICES]

    def load_value(self, answer: dict) -> None:
        self.buttons[answer.get("value")].setChecked(True)

    def value(self) -> bool | None:
        return next(v for v, b in self.buttons.items() if b.isChecked())

    def set_inputs_enabled(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)


def parse_count(text: str) -> float | None:
    """A non-negative number typed in any digit set; ``None`` for empty; ValueError otherwise."""
    folded = normalize(ascii_digits(text)).replace(",", "").replace(" ", "")
    if not folded:
        return None
    value = float(folded)
    if value < 0 or value != value:  # NaN is not a count
        raise ValueError(text)
    return value


class TypedRatioEditor(ItemEditor):
    """Two numbers typed by the evaluator: achieved and planned (the whole)."""

    def __init__(self, item: Item, save: Save, parent=None):
        super().__init__(item, save, parent)
        title = WrapLabel(self.title_text(), self)
        self.achieved = QLineEdit(self)
        self.planned = QLineEdit(self)
        for edit, tip in ((self.achieved, STAGE_RESULTS[True]), (self.planned, "کل")):
            edit.setPlaceholderText(tip)
            edit.setToolTip(f"تعداد {tip}")
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance(STAGE_RESULTS[True]) + 24)
            edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.achieved.editingFinished.connect(lambda: self._done("achieved"))
        self.planned.editingFinished.connect(lambda: self._done("planned"))
        self.message = WrapLabel("", self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._stored = {"achieved": None, "planned": None}
        self.inputs.addWidget(QLabel("تعداد تحقق‌یافته", self))
        self.inputs.addWidget(self.achieved)
        self.inputs.addWidget(QLabel("از کل", self))
        self.inputs.addWidget(self.planned)
        self.finish_rows(title)
        self.layout().insertWidget(2, self.message)

    def _edit(self, name: str) -> QLineEdit:
        return self.achieved if name == "achieved" else self.planned

    def _done(self, name: str) -> None:
        edit = self._edit(name)
        try:
            value = parse_count(edit.text())
        except ValueError:
            self._refuse(name, f"مقدار «{edit.text()}» عدد نامنفی نیست؛ تعداد را با رقم بنویسید.")
            return
        other = self._stored["planned" if name == "achieved" else "achieved"]
        achieved, planned = (value, other) if name == "achieved" else (other, value)
        if achieved is not None and planned is not None and achieved > planned:
            self._refuse(name, "تعداد تحقق‌یافته نمی‌تواند از تعداد کل بیشتر باشد؛ ثبت نشد.")
            return
        self.message.hide()
        if value == self._stored[name]:
            edit.setText(_count_text(value))
            return
        label = STAGE_RESULTS[True] if name == "achieved" else "کل"
        self._save(self.item.key, {name: value}, f"تعداد {label} {self.what}")

    def _refuse(self, name: str, text: str) -> None:
        self.message.setText(rtl(text))
        self.message.show()
        self._edit(name).setText(_count_text(self._stored[name]))

    def input_widgets(self) -> list[QWidget]:
        return [self.achieved, self.planned]

    def load_value(self, answer: dict) -> None:
        for name in ("achieved", "planned"):
            self._stored[name] = answer.get(name)
            edit = self._edit(name)
            if not edit.hasFocus():
                edit.setText(_count_text(answer.get(name)))

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.achieved.setEnabled(enabled)
        self.planned.setEnabled(enabled)


def _count_text(value: float | None) -> str:
    return "" if value is None else format_number(value)


class SummaryEditor(ItemEditor):
    """An item counted elsewhere (services table, tables 4 and 5): its title and a summary line."""

    def __init__(self, item: Item, save: Save, parent=None):
        super().__init__(item, save, parent)
        title = WrapLabel(self.title_text(), self)
        self.summary = WrapLabel("", self)
        self.summary.setStyleSheet("font-weight: bold;")
        self.inputs.addWidget(self.summary, 20)  # the line's whole width, not half (a stretch follows)
        self.finish_rows(title)

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)


def make_editor(item: Item, save: Save, parent=None) -> ItemEditor:
    if item.kind == "check":
        return CheckEditor(item, save, parent)
    if item.kind == "yesno":
        return YesNoEditor(item, save, parent)
    if item.kind == "ratio" and item.source == "typed":
        return TypedRatioEditor(item, save, parent)
    if item.kind == "checklist":
        from workbench.ui.assessment.checklist_editor import ChecklistEditor

        return ChecklistEditor(item, save, parent)
    return SummaryEditor(item, save, parent)
