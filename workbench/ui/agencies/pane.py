"""The agencies pane (فهرست دستگاه‌ها): the round's agencies, searchable and filtered.

A real table model over plain rows (:class:`~workbench.workspace.agencies.AgencyRow`)
behind a filter proxy (both in :mod:`workbench.ui.agencies.model`).  The pane starts narrow, so the assessment beside
it has the room: names are elided in the middle (a directorate's province,
at the end of its name, stays visible; the tooltip has the whole name) and
the columns the name and the filters already tell are hidden while the
name would be too narrow (:meth:`AgenciesPane._fit_columns`).  Rows appear at once from a quick query; total
scores of a large round are computed off the GUI thread
(:func:`start_scoring`, a background task) and filled in when ready, so a 2,500-agency round opens
as fast as a small one; meanwhile a progress bar under the list says how far
the scoring has got (about 3 s for 2,500 agencies here).
"""
from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.model.text import persian_digits
from workbench.ui.agencies.model import (
    COL_CODE,
    COL_HOLDER,
    COL_LEVEL,
    COL_NAME,
    COL_PROVINCE,
    COL_SCORE,
    COL_STATUS,
    LEVEL_NAMES,
    NAME_MIN_WIDTH,
    NOBODY,
    OPEN_DELAY_MS,
    STATUS_NAMES,
    UUID_ROLE,
    YIELDING_COLUMNS,
    AgencyFilter,
    AgencyTableModel,
)
from workbench.ui.shared.background import run_task
from workbench.workspace.agencies import AgencyRow, round_totals

#: Beside the holder column the level and province (in the name and the filters) give way sooner.
SUPERVISOR_NAME_MIN_WIDTH = 260


class AgenciesPane(QWidget):
    """Search box, filters and the table; :attr:`agency_chosen` carries an agency uuid."""

    agency_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = AgencyTableModel(self)
        self.proxy = AgencyFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("جست‌وجوی نام یا کد دستگاه (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("جست‌وجوی دستگاه")
        self.level_filter = QComboBox(self)
        self.level_filter.addItem("همهٔ سطح‌ها", "")
        for key, name in LEVEL_NAMES.items():
            self.level_filter.addItem(name, key)
        self.province_filter = QComboBox(self)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("همهٔ وضعیت‌ها", None)
        for key, name in STATUS_NAMES.items():
            self.status_filter.addItem(name, key)
        # A supervisor's database: who the agency is assigned to (set_holdings); hidden elsewhere.
        self.holder_filter = QComboBox(self)
        self.holder_filter.hide()
        for combo, name in (
            (self.level_filter, "سطح"),
            (self.province_filter, "استان"),
            (self.status_filter, "وضعیت"),
            (self.holder_filter, "واگذاری"),
        ):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_CODE, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("فهرست دستگاه‌ها")
        self.table.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it), so the form is reachable
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "اداره کل ورز…استان قم"
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # Fixed, measured widths for the short columns leave the name all the room there is
        # (resizing to contents would measure 2,500 rows and starve the name column).
        metrics = self.table.fontMetrics()
        samples = {COL_CODE: "۱۲۳۰-۱۹۰", COL_LEVEL: LEVEL_NAMES["provincial"], COL_PROVINCE: "خوزستان",
                   COL_STATUS: STATUS_NAMES["complete"], COL_SCORE: "۱۰۰٫۰۰٪"}  # the one rounding rule: two decimals
        #: The short columns' widths, kept apart: a hidden section's size reads 0.
        self._widths = {col: metrics.horizontalAdvance(sample) + 16 for col, sample in samples.items()}
        for col, width in self._widths.items():
            header.resizeSection(col, width)
        header.setSectionHidden(COL_HOLDER, True)
        #: The name's narrowest width before the level, province and code give way (wider beside holders).
        self._name_min = NAME_MIN_WIDTH
        self._holder_width = metrics.horizontalAdvance("رضا کریمی، مریم احمدی (۱۴۰۵/۰۹/۱۰)") + 16
        header.sectionResized.connect(self._column_resized)
        self.table.viewport().installEventFilter(self)
        self.count_label = QLabel(self)
        # While the round is scored in the background: the score column shows «…» until then.
        # A busy bar shows no text (Fusion), so what is being done is said beside it.
        self.scoring_label = QLabel(self)
        self.scoring_bar = QProgressBar(self)
        self.scoring_bar.setAccessibleName("پیشرفت محاسبهٔ امتیاز دستگاه‌ها")
        self.scoring_bar.setMaximumHeight(self.count_label.sizeHint().height() + 4)
        self.scoring_bar.setTextVisible(True)
        self.scoring_label.hide()
        self.scoring_bar.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.level_filter)
        filters.addWidget(self.province_filter)
        filters.addWidget(self.status_filter)
        filters.addStretch(1)
        holders = QHBoxLayout()  # a row of its own: three filters fill the narrow list already
        holders.addWidget(self.holder_filter)
        holders.addStretch(1)
        title = QLabel("<b>دستگاه‌های اجرایی</b>", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addLayout(holders)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addSpacing(8)
        bottom.addWidget(self.scoring_label)
        bottom.addWidget(self.scoring_bar, 1)
        layout.addLayout(bottom)
        # Right-to-left reading: search, then the filters from the right, then the table.
        QWidget.setTabOrder(self.search, self.level_filter)
        QWidget.setTabOrder(self.level_filter, self.province_filter)
        QWidget.setTabOrder(self.province_filter, self.status_filter)
        QWidget.setTabOrder(self.status_filter, self.table)

        self.search.textChanged.connect(self._filter_changed)
        self.level_filter.currentIndexChanged.connect(self._filter_changed)
        self.province_filter.currentIndexChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.holder_filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(self._open_now)
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(OPEN_DELAY_MS)
        self._open_timer.timeout.connect(self._open_current)
        self._opened_uuid = ""
        #: True while the list itself moves the current row (filtering, new scores): see _reshape.
        self._reshaping = False

        self.search.returnPressed.connect(self._search_enter)

    # ---- width
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns(event.size().width())
        return False

    def _fit_columns(self, width: int) -> None:
        """Show every column the name can spare; hide :data:`YIELDING_COLUMNS` in order while it cannot."""
        header = self.table.horizontalHeader()
        hidden: set[int] = set()
        for col in YIELDING_COLUMNS:
            if width - sum(w for c, w in self._widths.items() if c not in hidden) >= self._name_min:
                break
            hidden.add(col)
        for col in YIELDING_COLUMNS:
            if header.isSectionHidden(col) != (col in hidden):
                header.setSectionHidden(col, col in hidden)

    def _column_resized(self, col: int, _old: int, new: int) -> None:
        if col in self._widths and new > 0:  # the user's drag of a short column (hiding reads 0)
            self._widths[col] = new

    # ---- loading
    def set_rows(self, rows: list[AgencyRow]) -> None:
        keep = self._opened_uuid
        # Unsorted while the rows change, then sorted as the header says: the proxy decides whether
        # the new rows need it (AgencyFilter.sort), rather than sorting them at the reset regardless.
        self.proxy.sort(-1)
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        provinces = sorted({r.province for r in rows if r.province})
        current = self.province_filter.currentData() or ""
        self.province_filter.blockSignals(True)
        self.province_filter.clear()
        self.province_filter.addItem("همهٔ استان‌ها", "")
        for p in provinces:
            self.province_filter.addItem(p, p)
        self.province_filter.setCurrentIndex(max(0, self.province_filter.findData(current)))
        self.province_filter.blockSignals(False)
        self._filter_changed()
        if keep:
            self.select_agency(keep, open_it=False)

    def set_scores(self, scores: dict[str, tuple[str, float | None]]) -> None:
        self._reshape(lambda: self.model.set_scores(scores))  # new statuses may leave the status filter
        self._update_count()
        self.scoring_stopped()

    # ---- a supervisor's database
    def set_holdings(self, holdings: dict | None, evaluators: list[str] = ()) -> None:
        """Show who each agency is assigned to (a column and a filter), choosing several at once;
        ``None`` (an evaluator's database) hides both and chooses one agency at a time."""
        supervisor = holdings is not None
        self.model.set_holdings(holdings or {})
        current = self.holder_filter.currentData()
        self.holder_filter.blockSignals(True)
        self.holder_filter.clear()
        self.holder_filter.addItem("همهٔ واگذاری‌ها", None)
        self.holder_filter.addItem(NOBODY, "")
        for name in evaluators:
            self.holder_filter.addItem(name, name)
        self.holder_filter.setCurrentIndex(max(0, self.holder_filter.findData(current)) if supervisor else 0)
        self.holder_filter.blockSignals(False)
        self.holder_filter.setVisible(supervisor)
        if supervisor:
            self._widths[COL_HOLDER] = self._holder_width
        else:
            self._widths.pop(COL_HOLDER, None)
        self._name_min = SUPERVISOR_NAME_MIN_WIDTH if supervisor else NAME_MIN_WIDTH
        self.table.horizontalHeader().setSectionHidden(COL_HOLDER, not supervisor)
        if supervisor:
            self.table.horizontalHeader().resizeSection(COL_HOLDER, self._holder_width)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if supervisor
                                    else QAbstractItemView.SelectionMode.SingleSelection)
        self._fit_columns(self.table.viewport().width())
        self._filter_changed()

    def selected_codes(self) -> list[str]:
        """The codes of the agencies chosen in the list (several on a supervisor's database)."""
        # Rows with any cell selected: a hidden column (the narrow list hides the code) is never selected.
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedIndexes()}
        return sorted(self.model.row_data(r).code for r in rows)

    def listed_codes(self) -> list[str]:
        """The codes of every agency the search and filters list now."""
        return sorted(self.model.row_data(self.proxy.mapToSource(self.proxy.index(r, 0)).row()).code
                      for r in range(self.proxy.rowCount()))

    # ---- background scoring
    def scoring_started(self) -> None:
        """The round is being scored: a busy bar until the worker says how many there are."""
        self.scoring_label.setText("خواندن ارزیابی‌ها…")
        self.scoring_bar.setRange(0, 0)
        self.scoring_label.show()
        self.scoring_bar.show()

    def scoring_progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        self.scoring_label.setText("امتیازها:")
        self.scoring_bar.setRange(0, total)
        self.scoring_bar.setValue(done)
        self.scoring_bar.setFormat(f"{persian_digits(done)} از {persian_digits(total)}")

    def scoring_stopped(self) -> None:
        self.scoring_label.hide()
        self.scoring_bar.hide()

    def update_agency(self, agency_uuid: str, status: str, percent: float | None) -> None:
        self._reshape(lambda: self.model.update_agency(agency_uuid, status, percent))
        self._update_count()

    # ---- selecting
    def select_agency(self, agency_uuid: str, open_it: bool = True) -> bool:
        row = self.model.row_of(agency_uuid)
        if row < 0:
            return False
        if not open_it:
            self._opened_uuid = agency_uuid  # the caller has it open already
            self.proxy.set_pinned(agency_uuid)  # listed even if its status no longer matches
        proxy_index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
        if not proxy_index.isValid():
            return False
        self.table.setCurrentIndex(proxy_index)
        self.table.scrollTo(proxy_index)
        if open_it:
            self._open_now()
        else:
            self._open_timer.stop()
        return True

    def current_agency(self) -> str:
        index = self.table.currentIndex()
        return index.data(UUID_ROLE) if index.isValid() else ""

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_enter(self) -> None:
        """Enter in the search box opens the first match and moves to the table."""
        if self.proxy.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, COL_NAME))
        self._open_now()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reshaping:
            return  # the list moved it, not the user
        if len({i.row() for i in self.table.selectionModel().selectedIndexes()}) > 1:
            self._open_timer.stop()  # choosing several (to assign them) opens none of them
            return
        if current.isValid() and current.data(UUID_ROLE) != self._opened_uuid:
            self._open_timer.start()

    def _reshape(self, change) -> None:
        """Run ``change`` (filtering, new statuses); the current row is never moved onto another agency.

        When the current row is filtered out, Qt makes a neighbour current;
        that used to open the neighbour (and make it a draft) 180 ms later:
        typing a search that no longer matched the open agency opened another
        one.  Now the open agency stays current if it is listed, else no row is.
        """
        before = self.current_agency()
        self._reshaping = True
        try:
            change()
            if self.current_agency() != before:
                index = self._index_of(before) if before else QModelIndex()
                if not index.isValid() and self._opened_uuid:
                    index = self._index_of(self._opened_uuid)
                if index.isValid():
                    self.table.setCurrentIndex(index)
                else:
                    self.table.selectionModel().clear()
                    self._open_timer.stop()  # what was about to open is no longer listed
        finally:
            self._reshaping = False

    def _index_of(self, agency_uuid: str) -> QModelIndex:
        row = self.model.row_of(agency_uuid)
        return self.proxy.mapFromSource(self.model.index(row, COL_NAME)) if row >= 0 else QModelIndex()

    def _open_now(self, *_args) -> None:
        self._open_timer.stop()
        self._open_current()

    def _open_current(self) -> None:
        uuid = self.current_agency()
        if uuid and uuid != self._opened_uuid:
            self._opened_uuid = uuid
            self.proxy.set_pinned(uuid)  # listed while open, whatever its new status
            self.agency_chosen.emit(uuid)

    def forget_opened(self) -> None:
        self._opened_uuid = ""
        self.proxy.set_pinned("")

    def _filter_changed(self, *_args) -> None:
        self._reshape(self._apply_filters)
        self._update_count()

    def _apply_filters(self) -> None:
        self.proxy.set_search(self.search.text())
        self.proxy.set_level(self.level_filter.currentData() or "")
        self.proxy.set_province(self.province_filter.currentData() or "")
        self.proxy.set_status(self.status_filter.currentData())
        self.proxy.set_holder(self.holder_filter.currentData() if self.holder_filter.isVisibleTo(self) else None)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{persian_digits(shown)} از {persian_digits(total)} دستگاه")


# --------------------------------------------------------------------------- background scoring


def start_scoring(store, round_uuid: str, generation: int, on_done, on_failed, on_progress=None, owner=None):
    """Score every assessment of the round off the GUI thread, in a session of its own (a background task).

    ``generation`` lets the window ignore the answer of a database it has since
    closed; the handlers get it first.  Read-only: closing the database cancels it.
    """

    def work(job):
        def progress(done: int, total: int) -> None:
            job.check()  # cancelled: stop between assessments
            job.progress(done, total)

        # A cancel also stops the query running then (the bulk reads are most of the time).
        with store.cancellable(job.session, job.cancelled):
            try:
                return round_totals(job.session, round_uuid, progress)
            except Exception:
                job.check()  # the query was stopped because the work was cancelled: a cancel
                raise

    return run_task(
        work, new_session=store.new_session, name="امتیاز دستگاه‌ها", owner=owner,
        on_success=lambda scores: on_done(generation, scores),
        on_failure=lambda message, _unexpected: on_failed(generation, message),
        on_progress=(lambda done, total: on_progress(generation, done, total)) if on_progress else None,
    )
