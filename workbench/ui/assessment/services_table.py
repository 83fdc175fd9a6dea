"""The agency's services for the round with the evaluator's per-service judgements.

Indicators 1–3 and the GSB item of 8.1 are counted from these judgements: a
service the operational plan names for a stage is achieved there when the
evaluator says so (at the request stage only with all four capabilities of
indicator 1).  :class:`ServicesTableModel` is a real table model over plain
Python rows loaded with one query for the services and one for the
judgements; an edit goes through the controller and only the rows whose
judgement changed are announced (``dataChanged``), so hundreds of services
stay fast (:mod:`workbench.ui.assessment.services_model`; the columns are in
:mod:`workbench.ui.assessment.services_columns`).  :class:`ServicesPanel`
adds the search box, the "only this stage's plan" filter and the table view.
"""
from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.model.eligibility import left_out_text
from workbench.model.terms import CARD_DISAGREES, CARD_JUDGED_STAGES, NOT_COUNTED, STAGES
from workbench.model.text import persian_digits
from workbench.ui.assessment.controller import AssessmentController
from workbench.ui.assessment.measure_inputs import ReflowRow, rtl
from workbench.ui.assessment.services_columns import (
    CHECK_FIELDS,
    COLUMN_KEYS,
    COLUMNS,
    RESULT_TEXT,
    STAGE_TITLES,
    TITLE_MAX_WIDTH,
    TITLE_MIN_WIDTH,
    column,
    stage_of_column,
)
from workbench.ui.assessment.services_model import ServicesFilterProxy, ServicesTableModel


class ServicesPanel(QWidget):
    """Search box, plan filter, the services table and a bulk "not achieved" action."""

    def __init__(self, controller: AssessmentController, parent=None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self._controller = controller
        self.model = ServicesTableModel(controller, self)
        self.proxy = ServicesFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("جستجو در شناسه، عنوان یا نشانی خدمت…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.only_planned = QCheckBox("فقط خدمات برنامهٔ این مرحله", self)
        self.only_planned.setChecked(True)
        self.only_planned.toggled.connect(self._on_only_planned)
        self.count_label = QLabel(self)
        self.rest_button = QPushButton(self)
        self.rest_button.setToolTip(
            "همهٔ خدمات برنامهٔ این مرحله را که هنوز بررسی نشده‌اند «تحقق‌نیافته» ثبت می‌کند (یک گام واگرد)"
        )
        self.rest_button.clicked.connect(self._mark_rest)

        # The search field keeps a readable width; in a narrow window the filter and the bulk
        # action go to a line of their own.
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("جستجو در شناسه، عنوان یا نشانی"))
        self.top = ReflowRow(self)
        self.top.first.addWidget(self.search, 1)
        self.top.second.addWidget(self.only_planned)
        self.top.second.addWidget(self.rest_button)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(column("service_id"), Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().hide()  # source row numbers would jump once filtered
        # Tab moves on to the evidence (arrows move within the table): with rows, Qt's default
        # walked Tab through every cell, a trap for a keyboard user.
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The URL, last, takes what is left; a long title or URL scrolls sideways rather than
        # squeezing the check columns.
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        metrics = self.fontMetrics()
        for i, (key, text) in enumerate(COLUMNS):
            # A check column needs its header's width (and the box); the sort arrow shows on one
            # column at a time.  At 1280 px with the agency list, the result column stays on screen.
            width = metrics.horizontalAdvance(text) + (20 if key in CHECK_FIELDS else 36)
            if key == "result":
                width = max(width, *(metrics.horizontalAdvance(t) + 16 for t in (RESULT_TEXT[False], NOT_COUNTED)))
            elif key == "card_check":
                width = metrics.horizontalAdvance(text) + 16
            elif key == "service_id":
                width = max(width, metrics.horizontalAdvance("۰۰۰۰۰۰۰۰۰") + 36)
            elif key == "title":
                width = metrics.horizontalAdvance("م" * 18)  # until the view has a width (_fit_title)
            elif key == "url":
                width = metrics.horizontalAdvance("https://www.example.gov.ir/service/")
            elif key in ("channels", "other_agencies", "documents", "visit_reasons"):
                width = metrics.horizontalAdvance("م" * 14)
            self.view.setColumnWidth(i, width)

        self.view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._section_resized)
        self._title_dragged = False
        self._fitting = False  # the title's width being set here, not dragged

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.hide()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file's name or a cell
        self.model.message.connect(self.show_message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.top)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self.model.dataChanged.connect(self._update_counts)
        self.model.modelReset.connect(self._update_counts)
        controller.changed.connect(self._update_enabled)
        self.set_stage("request")
        self._update_enabled()

    def focus_order(self) -> list[QWidget]:
        return [self.search, self.only_planned, self.rest_button, self.view]

    # ---- the title's width
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_title()
        return False

    def _fit_title(self) -> None:
        """Give the title what the id, the stage's checks, the result and the card column leave (within bounds).

        With fixed widths the result column, the one that says what a service
        counts for, fell off the left edge in a narrow page and the titles were
        cut short on a wide one.  A width the user dragged is kept.
        """
        if self._title_dragged:
            return
        title = column("title")
        others = sum(self.view.columnWidth(c) for c in range(column("card_check") + 1)
                     if c != title and not self.view.isColumnHidden(c))
        width = max(TITLE_MIN_WIDTH, min(TITLE_MAX_WIDTH, self.view.viewport().width() - others))
        if width != self.view.columnWidth(title):
            self._fitting = True
            try:
                self.view.setColumnWidth(title, width)
            finally:
                self._fitting = False

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == column("title") and not self._fitting and self.view.isVisible():
            self._title_dragged = True  # the user's drag: from now on theirs

    def set_stage(self, stage: str) -> None:
        """Show the columns of ``stage`` (its plan flag, its capability or check, the result)."""
        self.model.set_stage(stage)
        for i, key in enumerate(COLUMN_KEYS):
            own = stage_of_column(key)
            hidden = own is not None and own != stage
            if key == "card_check":  # the card speaks of the request and delivery stages and the documents (11)
                hidden = stage not in CARD_JUDGED_STAGES
            self.view.setColumnHidden(i, hidden)
        self.only_planned.setText(f"فقط خدمات برنامهٔ {STAGE_TITLES[stage]}")
        self.only_planned.setVisible(stage in STAGES)  # the checks of 4.7, 9.2.3, 11: every service counts
        self.rest_button.setText(f"بقیهٔ خدمات{' برنامه' if stage in STAGES else ''}: {RESULT_TEXT[False]}")
        self._fit_title()  # another stage, other check columns
        self.proxy.refilter()
        self._update_counts()

    def show_message(self, text: str) -> None:
        self.message.setText(rtl(text))
        self.message.setVisible(bool(text))

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_counts()

    def _on_only_planned(self, on: bool) -> None:
        self.proxy.set_only_planned(on)
        self._update_counts()

    def _mark_rest(self) -> None:
        self.show_message("")
        self.model.mark_unjudged_not_achieved()

    def _update_enabled(self) -> None:
        read_only = self._controller.read_only()
        self.rest_button.setEnabled(not read_only and self.model.counts()[1] < self.model.counts()[2])

    def _update_counts(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        achieved, judged, planned = self.model.counts()
        left_out = self.model.left_out()
        disagree = self.model.disagreements()
        self.count_label.setText(
            f"{persian_digits(shown)} از {persian_digits(total)} خدمت نمایش داده شده؛ "
            f"بررسی‌شده {persian_digits(judged)} از {persian_digits(planned)}"
            + (f"؛ {left_out_text(left_out)}" if left_out else "")
            + (f"؛ {persian_digits(disagree)} خدمت {CARD_DISAGREES}" if disagree else "")
        )
        self._update_enabled()

