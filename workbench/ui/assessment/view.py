"""The assessment view (نمای ارزیابی) of one agency: header, score tree, measure page.

Everything shown is re-read from the controller whenever it says
``changed``, so an edit on the measure page, an undo or a status change shows
up in the tree marks and the header's total at once.  Header edits go through
``controller.apply`` like every other edit: committed at once, undoable.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.model.completeness import Gap, measure_key_of
from workbench.model.editing import Edit
from workbench.model.jalali import format_jalali
from workbench.model.terms import LEVEL_LABELS, status_label
from workbench.model.text import clean_display, close_bidi, format_number, format_percent
from workbench.ui.assessment.controller import AssessmentController
from workbench.ui.assessment.history import HistoryStrip
from workbench.ui.assessment.measure_page import MeasurePage
from workbench.ui.assessment.remembered import TreeRemembered as _Remembered
from workbench.ui.assessment.score_tree import KEY_ROLE, ScoreTree, ScoreTreeModel
from workbench.ui.shared.jalali_date import date_value, make_jalali_date_edit, set_date_value
from workbench.ui.shared.outside_text import plain, rich
from workbench.workspace.rounds import beside_earlier

STATUS_COLORS = {"draft": "#5a5a5a", "complete": "#1565c0", "final": "#1b7837"}
#: The tree's starting share of the view, within bounds: its titles wrap, so it can be narrow,
#: and on a wide screen it need not take more than long titles on one or two lines need.
TREE_SHARE = 0.25
TREE_MIN_WIDTH, TREE_MAX_WIDTH = 270, 380
#: Narrowest the user can drag the tree to (a measure's key and a word or two of its title).
TREE_DRAG_MIN = 170


class AssessmentView(QWidget):
    """One open assessment.  :attr:`gaps_changed` carries the current gap list."""

    gaps_changed = Signal(list)

    def __init__(self, controller: AssessmentController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._gaps: list[Gap] = []
        self._shown_key = ""
        framework = controller.framework()

        # ---- header
        self.agency_label = QLabel(self)
        self.agency_label.setWordWrap(True)
        self.agency_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.agency_label.setTextFormat(Qt.TextFormat.RichText)  # bold name; what it shows is escaped
        self.parent_label = QLabel(self)
        self.evaluator_edit = QLineEdit(self)
        self.evaluator_edit.setPlaceholderText("نام ارزیاب")
        self.evaluator_edit.setAccessibleName("ارزیاب")
        self.visit_date_edit = make_jalali_date_edit(self, allow_empty=True)
        self.visit_date_edit.setAccessibleName("تاریخ بازدید")
        self.status_label = QLabel(self)
        self.total_label = QLabel(self)
        self.band_label = QLabel(self)
        #: who the audit trail names for the changes made here (the workbench user's name)
        self.actor_label = QLabel(self)
        self.actor_label.setStyleSheet("color:#5a5a5a")
        plain(self.parent_label, self.status_label, self.band_label, self.actor_label)

        evaluator_caption = QLabel("ارزیاب (&U):", self)  # Alt+E is the Edit menu
        evaluator_caption.setBuddy(self.evaluator_edit)
        date_caption = QLabel("تاریخ بازدید (&D):", self)
        date_caption.setBuddy(self.visit_date_edit)
        # Two rows, read from the right: who and how far; then who assesses and when.
        first = QHBoxLayout()
        first.addWidget(self.agency_label, 1)
        first.addSpacing(12)
        first.addWidget(self.status_label)
        first.addSpacing(12)
        first.addWidget(self.total_label)
        first.addWidget(self.band_label)
        second = QHBoxLayout()
        second.addWidget(QLabel("دستگاه مادر:", self))
        second.addWidget(self.parent_label, 1)
        second.addSpacing(12)
        second.addWidget(evaluator_caption)
        second.addWidget(self.evaluator_edit, 1)
        second.addSpacing(12)
        second.addWidget(date_caption)
        second.addWidget(self.visit_date_edit)
        second.addSpacing(12)
        second.addWidget(self.actor_label)
        # The earlier rounds beside the current figures (hidden when none assessed this agency).
        self.history = HistoryStrip(self)
        header = QVBoxLayout()
        header.setContentsMargins(6, 4, 6, 4)
        header.addLayout(first)
        header.addLayout(second)
        header.addWidget(self.history)
        header_frame = QFrame(self)
        header_frame.setFrameShape(QFrame.Shape.StyledPanel)
        header_frame.setLayout(header)

        # ---- tree and measure page
        self.tree_model = ScoreTreeModel(framework, self)
        self.tree = ScoreTree(self.tree_model, self)
        self.measure_page = MeasurePage(controller, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tree)  # first = right-hand side in a right-to-left window
        self.splitter.addWidget(self.measure_page)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([TREE_MIN_WIDTH, 1000])  # set again once the view has its width
        self.splitter.setChildrenCollapsible(False)
        self.tree.setMinimumWidth(TREE_DRAG_MIN)
        self._tree_sized = False
        self.splitter.splitterMoved.connect(self._remember_tree)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(header_frame)
        layout.addWidget(self.splitter, 1)

        QWidget.setTabOrder(self.evaluator_edit, self.visit_date_edit)
        QWidget.setTabOrder(self.visit_date_edit, self.tree)
        QWidget.setTabOrder(self.tree, self.measure_page)

        self.evaluator_edit.editingFinished.connect(self._commit_evaluator)
        self.visit_date_edit.editingFinished.connect(self._commit_visit_date)
        self.visit_date_edit.refused.connect(self._say_in_status_bar)
        # A date picked in the popup (a click, or Enter) does not finish editing until focus
        # leaves; commit it now.
        calendar = self.visit_date_edit.calendarWidget()
        for picked in (calendar.clicked, calendar.activated):
            picked.connect(lambda *_: QTimer.singleShot(0, self._commit_visit_date))
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        controller.changed.connect(self.refresh)
        self.refresh()
        self.select_measure(framework.measures()[0].key)
        self.history.read_earlier(controller, self._show_history)

    # ---- width
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        total = self.splitter.width()
        if not self._tree_sized and total > 2 * TREE_MIN_WIDTH:
            # Once, at the first real width; after that the user's drag and the stretch factors rule.
            self._tree_sized = True
            tree = _Remembered.tree_width or max(TREE_MIN_WIDTH, min(TREE_MAX_WIDTH, int(total * TREE_SHARE)))
            self.splitter.setSizes([tree, total - tree - self.splitter.handleWidth()])

    def _remember_tree(self, *_args) -> None:
        _Remembered.tree_width = self.splitter.sizes()[0]

    def show_actor(self, actor: str, given: bool) -> None:
        """Whose name the changes made here are recorded under (Edit ▸ «نام ارزیاب…» changes it)."""
        self.actor_label.setText(f"ثبت به نام: {close_bidi(actor)}" if given else "ثبت به نام: (نام داده نشده)")
        self.actor_label.setToolTip("تغییرهای این ارزیابی در سابقهٔ تغییرات به این نام ثبت می‌شود؛ "
                                    "از منوی ویرایش ◂ «نام ارزیاب…» عوض می‌شود.")

    # ---- reading
    def gaps(self) -> list[Gap]:
        return list(self._gaps)

    def refresh(self) -> None:
        c = self.controller
        assessment = c.assessment()
        agency = c.agency()
        card = c.card()
        self._gaps = c.gaps()
        self.tree_model.set_scores(card, self._gaps)

        level = LEVEL_LABELS.get(agency.level, agency.level)
        where = f" — {agency.province}" if agency.province else ""
        # The name and province come from a workbook: escaped, never taken as markup.
        self.agency_label.setText(f"<b>{rich(agency.name)}</b> ({rich(level)}{rich(where)})")
        self.parent_label.setText(close_bidi(agency.parent.name) if agency.parent is not None else "ندارد")
        if self.evaluator_edit.text() != assessment.evaluator:
            self.evaluator_edit.blockSignals(True)
            self.evaluator_edit.setText(assessment.evaluator)
            self.evaluator_edit.blockSignals(False)
        if date_value(self.visit_date_edit) != assessment.visit_date:
            self.visit_date_edit.blockSignals(True)
            set_date_value(self.visit_date_edit, assessment.visit_date)
            self.visit_date_edit.blockSignals(False)
        self.visit_date_edit.setToolTip(format_jalali(assessment.visit_date))

        status = assessment.status
        # Short: a long status wrapped the agency's name onto two lines.  The measure page's banner
        # says how to reopen.
        suffix = " (فقط‌خواندنی)" if status == "final" else ""
        self.status_label.setText("وضعیت: " + status_label(status) + suffix)
        self.status_label.setStyleSheet(f"color:{STATUS_COLORS.get(status, '#000')};font-weight:bold")
        total = card.total
        self.total_label.setText(
            f"امتیاز کل: <b>{format_number(total.earned)}</b> از {format_number(total.possible)}"
            f" ({format_percent(card.percent)})"
        )
        if card.band is not None:
            self.band_label.setText(f"— طبقه: {card.band.title}")
            self.band_label.setStyleSheet(f"color:{card.band.color};font-weight:bold")
        else:
            self.band_label.setText("— طبقه: هنوز امتیازی ثبت نشده")
            self.band_label.setStyleSheet("")

        self._show_history(card, status)

        read_only = c.read_only()
        self.evaluator_edit.setReadOnly(read_only)
        self.visit_date_edit.setReadOnly(read_only)
        self.visit_date_edit.calendarWidget().setEnabled(not read_only)
        self.gaps_changed.emit(self.gaps())

    def _show_history(self, card=None, status: str | None = None) -> None:
        """The earlier rounds (once read) beside the current figures."""
        if self.history.earlier is None:
            return
        c = self.controller
        card = card if card is not None else c.card()
        status = status if status is not None else c.assessment().status
        self.history.show_trend(beside_earlier(self.history.earlier, c.round(), c.framework(), c.agency(), card, status))

    def current_measure(self) -> str:
        key = self.tree.current_key()
        if not key:
            return ""
        return measure_key_of(self.controller.framework(), key)

    # ---- moving
    def select_measure(self, key: str) -> None:
        """Show the measure of ``key`` (an item's measure); an indicator's key selects its own row,
        whose page carries the indicator's not-applicable box."""
        framework = self.controller.framework()
        if any(ind.key == key for ind in framework.indicators):
            self.tree.select_key(key)
        else:
            self.tree.select_key(measure_key_of(framework, key))

    def next_measure(self, step: int = 1) -> None:
        keys = self.tree_model.measure_keys()
        current = self.current_measure()
        i = keys.index(current) if current in keys else -1
        self.tree.select_key(keys[max(0, min(len(keys) - 1, i + step))])

    def previous_measure(self) -> None:
        self.next_measure(-1)

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        # An indicator's row shows its first measure with the indicator's own not-applicable box,
        # which is how the whole indicator is marked not applicable.
        key = current.data(KEY_ROLE)
        if key != self._shown_key:
            self._shown_key = key
            self.measure_page.show_measure(key)

    # ---- writing
    def _commit_evaluator(self) -> None:
        if self.controller.read_only():
            return
        text = clean_display(self.evaluator_edit.text())
        if text != self.controller.assessment().evaluator:
            self.controller.apply(
                Edit("assessment", self.controller.assessment().uuid, "", {"evaluator": text}), "تغییر ارزیاب"
            )

    def _say_in_status_bar(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 10000)

    def _commit_visit_date(self) -> None:
        if self.controller.read_only():
            return
        value = date_value(self.visit_date_edit)
        if value != self.controller.assessment().visit_date:
            self.controller.apply(
                Edit("assessment", self.controller.assessment().uuid, "", {"visit_date": value}),
                "تغییر تاریخ بازدید",
            )
