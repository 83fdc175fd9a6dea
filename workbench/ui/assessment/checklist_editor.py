"""A checklist item (4.3.1, the guide's appendix A): one box per entry of the appendix, «صدق نمی‌کند», a note.

Every entry the evaluator ticks, leaves or marks as not applying to this agency is stored on the
item's answer (``marks``, :class:`~workbench.model.checklists.Marks`); the framework's rule turns
them into points (shown beside the title, with the rule's assumption in the tooltip).  Each entry
has a note of its own (``entry_notes``) where the evaluator justifies a partial or missing entry,
or why it does not apply; ``report na`` gives it as the reason of an entry that does not apply.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from workbench.model.checklists import Marks, parse_notes, with_note
from workbench.model.framework import Item
from workbench.model.text import persian_digits
from workbench.ui.assessment.item_editors import ClickableLabel, ItemEditor
from workbench.ui.assessment.measure_inputs import HINT_STYLE, Save, WrapLabel

NOT_APPLYING = "صدق نمی‌کند"
NOT_CHECKED = "هنوز بررسی نشده است"
NONE_MET = "هیچ‌کدام رعایت نشده است"
NOTE_HINT = "توجیه / یادداشت"
NOTE_WIDTH = 230


class ChecklistEditor(ItemEditor):
    """Entries of the appendix in its order and groups; each a tick, a «does not apply» box and a note."""

    def __init__(self, item: Item, save: Save, parent=None):
        super().__init__(item, save, parent)
        rule = item.checklist
        title = WrapLabel(self.title_text(), self)
        if rule.assumption:
            title.setToolTip(f"{rule.source}\n\nفرض: {rule.assumption}")
        self.summary = QLabel(self)
        self.summary.setStyleSheet(HINT_STYLE)
        self.none_met = QPushButton(NONE_MET, self)
        self.none_met.setToolTip("بررسی شد و هیچ بندی از پیوست رعایت نشده است (امتیاز صفر)")
        self.none_met.clicked.connect(lambda: self._write(Marks(frozenset(), self._marks_na())))
        self.grid_box = QWidget(self)
        grid = QGridLayout(self.grid_box)
        grid.setContentsMargins(24, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.ticks: dict[str, QCheckBox] = {}
        self.skips: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.titles = {e.key: e.title for e in rule.entries}
        self._notes_text: str | None = None
        row, group = 0, None
        for entry in rule.entries:
            if entry.group and entry.group != group:
                group = entry.group
                head = QLabel(f"<b>{group}</b>", self.grid_box)
                grid.addWidget(head, row, 0, 1, 4)
                row += 1
            # The box, then the entry's words wrapped to the page's width (a click on them ticks too),
            # then «does not apply» and the entry's note at the left end: a long entry never pushes them off
            # the page.
            tick = QCheckBox(self.grid_box)
            tick.setAccessibleName(persian_digits(entry.title))
            tick.clicked.connect(self._changed)
            label = ClickableLabel(persian_digits(entry.title), tick, self.grid_box)
            skip = QCheckBox(NOT_APPLYING, self.grid_box)
            skip.setToolTip(f"این بند برای این دستگاه صدق نمی‌کند؛ از شمار بندها بیرون می‌رود ({entry.key})")
            skip.clicked.connect(self._changed)
            note = QLineEdit(self.grid_box)
            note.setPlaceholderText(NOTE_HINT)
            note.setFixedWidth(NOTE_WIDTH)
            note.setAccessibleName(f"{NOTE_HINT}: {persian_digits(entry.title)}")
            note.setToolTip("چرا این بند کامل، ناقص یا صدق‌نکردنی است (در گزارش موارد عدم شمول می‌آید)")
            note.editingFinished.connect(lambda key=entry.key: self._note_changed(key))
            grid.addWidget(tick, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
            grid.addWidget(skip, row, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note, row, 3, Qt.AlignmentFlag.AlignTop)
            self.ticks[entry.key], self.skips[entry.key], self.notes[entry.key] = tick, skip, note
            row += 1
        self.inputs.addWidget(self.summary, 1)
        self.inputs.addWidget(self.none_met)
        self.layout().insertWidget(2, self.grid_box)
        self.finish_rows(title)
        self._marks: Marks | None = None

    def _marks_na(self) -> frozenset[str]:
        return frozenset(k for k, box in self.skips.items() if box.isChecked())

    def _changed(self) -> None:
        na = self._marks_na()
        ticked = frozenset(k for k, box in self.ticks.items() if box.isChecked() and k not in na)
        self._write(Marks(ticked, na))

    def _write(self, marks: Marks) -> None:
        met = persian_digits(len(marks.ticked))
        self._save(self.item.key, {"marks": marks.text()}, f"فهرست وارسی {self.what} ({met} بند رعایت‌شده)")

    def _note_changed(self, key: str) -> None:
        text = self.notes[key].text().strip()
        if text == parse_notes(self._notes_text).get(key, ""):
            return  # focus left without a change
        self._notes_text = with_note(self._notes_text, key, text)
        title = persian_digits(self.titles[key])
        title = title if len(title) <= 40 else title[:39] + "…"
        self._save(self.item.key, {"entry_notes": self._notes_text}, f"یادداشت بند «{title}» از فهرست وارسی {self.what}")

    def input_widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        for key in self.ticks:
            widgets += [self.ticks[key], self.skips[key], self.notes[key]]
        return [*widgets, self.none_met]

    def load_value(self, answer: dict) -> None:
        marks = Marks.parse(answer.get("marks"))
        self._marks = marks
        for key, tick in self.ticks.items():
            tick.setChecked(marks is not None and key in marks.ticked)
            self.skips[key].setChecked(marks is not None and key in marks.not_applicable)
        self._notes_text = answer.get("entry_notes")
        notes = parse_notes(self._notes_text)
        for key, box in self.notes.items():
            if not box.hasFocus() or box.text().strip() == notes.get(key, ""):
                box.setText(notes.get(key, ""))
        self.summary.setText(summary_text(self.item, marks))
        self._enable_ticks()

    def set_inputs_enabled(self, enabled: bool) -> None:
        self.grid_box.setEnabled(enabled)
        self.none_met.setEnabled(enabled)
        self._enable_ticks()

    def _enable_ticks(self) -> None:
        for key, tick in self.ticks.items():
            tick.setEnabled(not self.skips[key].isChecked())


def summary_text(item: Item, marks: Marks | None) -> str:
    """«۱۲ از ۱۷ بند رعایت شده است (۱ بند صدق نمی‌کند)», or that nothing is checked yet."""
    if marks is None:
        return NOT_CHECKED
    applies = [e.key for e in item.checklist.entries if e.key not in marks.not_applicable]
    met = sum(1 for k in applies if k in marks.ticked)
    text = f"{persian_digits(met)} از {persian_digits(len(applies))} بند رعایت شده است"
    skipped = len(item.checklist.entries) - len(applies)
    return text + (f" ({persian_digits(skipped)} بند {NOT_APPLYING})" if skipped else "")
