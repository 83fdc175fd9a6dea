"""What is missing before "mark complete" (موارد ناقص), with a jump to each.

Not modal: the evaluator keeps it open beside the window, jumps to a gap
(double-click or Enter), fixes it, and watches the list shrink, since the
window hands it the new gap list after every change.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from workbench.model.completeness import Gap
from workbench.model.text import persian_digits

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class GapsDialog(QDialog):
    """Lists :class:`Gap`\\ s; :attr:`jump_requested` carries the framework key of the chosen one."""

    jump_requested = Signal(str)

    def __init__(self, gaps: list[Gap], parent=None):
        super().__init__(parent)
        self.setWindowTitle("موارد ناقص ارزیابی")
        self.setModal(False)
        self.resize(620, 420)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName("فهرست موارد ناقص")
        hint = QLabel("برای رفتن به هر مورد روی آن دوبار کلیک کنید یا کلید اینتر را بزنید.", self)
        buttons = QDialogButtonBox(self)
        self.jump_button = QPushButton("رفتن به این مورد (&G)", self)
        self.jump_button.setDefault(True)
        buttons.addButton(self.jump_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText("بستن")

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

        self.list.itemActivated.connect(self._jump_to)
        self.jump_button.clicked.connect(lambda: self._jump_to(self.list.currentItem()))
        buttons.rejected.connect(self.reject)
        self.set_gaps(gaps)

    def set_gaps(self, gaps: list[Gap]) -> None:
        """Show a new list, keeping the selection on the same gap where it still exists."""
        current = self.list.currentItem()
        keep = current.data(KEY_ROLE) if current is not None else None
        self.list.clear()
        for gap in gaps:
            item = QListWidgetItem(persian_digits(gap.message))  # titles quoted from the guide have Latin digits
            item.setData(KEY_ROLE, gap.key)
            self.list.addItem(item)
            if gap.key == keep and self.list.currentItem() is None:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        if gaps:
            self.summary.setText(
                f"ارزیابی هنوز کامل نیست: <b>{persian_digits(len(gaps))}</b> مورد باقی مانده است."
            )
        else:
            self.summary.setText("چیزی کم نیست؛ اکنون می‌توانید ارزیابی را «تکمیل‌شده» علامت بزنید.")
        self.jump_button.setEnabled(bool(gaps))

    def keys(self) -> list[str]:
        return [self.list.item(i).data(KEY_ROLE) for i in range(self.list.count())]

    def _jump_to(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.jump_requested.emit(item.data(KEY_ROLE))
