"""The agency's services for the round with the evaluator's per-service judgements.

Indicators 1–3 and the GSB item of 8.1 are counted from these judgements: a
service the operational plan names for a stage is achieved there when the
evaluator says so (at the request stage only with all four capabilities of
indicator 1).  :class:`ServicesTableModel` is a real table model over plain
Python rows loaded with one query for the services and one for the
judgements; an edit goes through the controller and only the rows whose
judgement changed are announced (``dataChanged``), so hundreds of services
stay fast.  :class:`ServicesPanel` adds the search box, the "only this
stage's plan" filter and the table view.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
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

from workbench.model.editing import Edit
from workbench.model.schema import REQUEST_CAPABILITIES, STAGES
from workbench.model.text import complete_url, normalize, persian_digits, url_problem
from workbench.ui.assessment.controller import AssessmentController
from workbench.ui.assessment.measure_inputs import ReflowRow, rtl

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

STAGE_TITLES = {
    "request": "درخواست خدمت",
    "delivery": "ارائهٔ خدمت",
    "counter": "دفاتر پیشخوان",
    "gsb": "گذرگاه خدمات دولت (GSB)",
}

# (field, header, tooltip, stage it belongs to)
CHECK_COLUMNS = (
    ("request_portal", "درگاه واحد", "دسترسی به خدمت از درگاه واحد (پنجره واحد) دستگاه", "request"),
    ("request_online", "درخواست برخط", "ثبت درخواست و بارگذاری مدارک به‌صورت الکترونیکی", "request"),
    ("request_receipt", "رسید", "رسید الکترونیکی درخواست همراه با زمان پاسخ‌گویی", "request"),
    ("request_tracking", "کد رهگیری", "کد رهگیری یکتا هنگام پذیرش درخواست", "request"),
    ("delivery", "ارائهٔ الکترونیکی", "خدمت به‌صورت الکترونیکی تحویل می‌شود", "delivery"),
    ("counter", "در پیشخوان", "خدمت در دفاتر پیشخوان ارائه می‌شود", "counter"),
    ("gsb", "در GSB", "خدمت از طریق گذرگاه خدمات دولت (GSB) تبادل می‌شود", "gsb"),
)
_CHECK_FIELDS = {c[0]: c for c in CHECK_COLUMNS}

# Column order: what the evaluator judges comes first (rightmost); the plan flag (read-only,
# only the one of the stage in view is shown), the type and the URL follow.
COLUMNS = (
    ("service_id", "شناسه خدمت"),
    ("title", "عنوان خدمت"),
    *((c[0], c[1]) for c in CHECK_COLUMNS),
    ("result", "نتیجه"),  # «in this stage» is the tooltip: a narrow header keeps the column on screen
    ("plan_request", "در برنامهٔ درخواست"),
    ("plan_delivery", "در برنامهٔ ارائه"),
    ("plan_counter", "در برنامهٔ پیشخوان"),
    ("plan_gsb", "در برنامهٔ GSB"),
    ("kind", "نوع"),
    ("url", "نشانی خدمت"),
)
COLUMN_KEYS = tuple(c[0] for c in COLUMNS)

RESULT_TEXT = {True: "تحقق‌یافته", False: "تحقق‌نیافته", None: "بررسی‌نشده"}
OUT_OF_PLAN_TEXT = "خارج از برنامه"
#: The title column's width bounds: it takes what the columns up to the result leave, within these.
TITLE_MIN_WIDTH, TITLE_MAX_WIDTH = 100, 380
_UNJUDGED_BRUSH = QBrush(QColor("#fff4d6"))
_ACHIEVED_BRUSH = QBrush(QColor("#e3f2e1"))
_NOT_ACHIEVED_BRUSH = QBrush(QColor("#fbe3e1"))
_DIM_BRUSH = QBrush(QColor("#8a8a8a"))


def column(key: str) -> int:
    return COLUMN_KEYS.index(key)


def stage_of_column(key: str) -> str | None:
    if key in _CHECK_FIELDS:
        return _CHECK_FIELDS[key][3]
    if key.startswith("plan_"):
        return key[5:]
    return None


@dataclass
class ServiceRow:
    """One service with its plan flags and the evaluator's judgement (plain values)."""

    service_id: str
    title: str
    kind: str
    plans: dict[str, bool]
    service_url: str
    judgement: dict[str, object] = field(default_factory=dict)
    haystack: str = ""

    def value(self, name: str):
        return self.judgement.get(name)

    def stage_result(self, stage: str) -> bool | None:
        """The same rule as ``ServiceJudgement.stage_result``."""
        if stage == "request":
            values = [self.judgement.get(c) for c in REQUEST_CAPABILITIES]
            if all(v is None for v in values):
                return None
            return all(bool(v) for v in values)
        return self.judgement.get(stage)

    def url(self) -> str:
        return str(self.judgement.get("url") or "")


def _judgement_fields() -> tuple[str, ...]:
    return (*(c[0] for c in CHECK_COLUMNS), "url")


class ServicesTableModel(QAbstractTableModel):
    """The agency's services of the round joined with this assessment's judgements."""

    #: A Persian message for the user (a refused URL, a refused edit).
    message = Signal(str)

    def __init__(self, controller: AssessmentController, parent=None):
        super().__init__(parent)
        self._controller = controller
        self._rows: list[ServiceRow] = []
        self._stage = "request"
        self._applying = False
        self.reload()
        controller.changed.connect(self._changed)
        controller.refused.connect(self._on_refused)

    # ---- loading
    def _changed(self, changes) -> None:
        if changes.judgements or changes.status:
            self.refresh()

    def reload(self) -> None:
        """Load every row again (a new service list, a new assessment)."""
        self.beginResetModel()
        self._rows = self._load_services()
        judgements = self._load_judgements()
        for row in self._rows:
            row.judgement = judgements.get(row.service_id, {})
            row.haystack = self._haystack(row)
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the judgements after an edit, undo or redo; announce only the rows that changed."""
        services = self._load_services()
        if [s.service_id for s in services] != [r.service_id for r in self._rows]:
            self.reload()
            return
        judgements = self._load_judgements()
        last = self.columnCount() - 1
        for i, row in enumerate(self._rows):
            new = judgements.get(row.service_id, {})
            if new != row.judgement:
                row.judgement = new
                row.haystack = self._haystack(row)
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))

    def _load_services(self) -> list[ServiceRow]:
        return [ServiceRow(sid, title, kind, plans, url) for sid, title, kind, plans, url
                in self._controller.planned_services()]

    def _load_judgements(self) -> dict[str, dict]:
        return self._controller.judgements(_judgement_fields())

    @staticmethod
    def _haystack(row: ServiceRow) -> str:
        return normalize(" ".join((row.service_id, row.title, row.kind, row.url() or row.service_url)))

    # ---- the stage in view
    def stage(self) -> str:
        return self._stage

    def set_stage(self, stage: str) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        if stage != self._stage:
            self._stage = stage
            if self._rows:
                col = column("result")
                self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def row(self, i: int) -> ServiceRow:
        return self._rows[i]

    def rows(self) -> list[ServiceRow]:
        return list(self._rows)

    def counts(self, stage: str | None = None) -> tuple[int, int, int]:
        """(achieved, judged, planned) for ``stage`` among this model's rows."""
        stage = stage or self._stage
        achieved = judged = planned = 0
        for row in self._rows:
            if not row.plans[stage]:
                continue
            planned += 1
            verdict = row.stage_result(stage)
            if verdict is not None:
                judged += 1
                achieved += int(verdict)
        return achieved, judged, planned

    # ---- Qt model
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return persian_digits(section + 1)
            return None
        key = COLUMN_KEYS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.ToolTipRole and key in _CHECK_FIELDS:
            return _CHECK_FIELDS[key][2]
        if role == Qt.ItemDataRole.ToolTipRole and key == "result":
            return "نتیجه در این مرحله: تحقق‌یافته، تحقق‌نیافته، بررسی‌نشده یا خارج از برنامه"
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        stage = stage_of_column(key)
        if key in _CHECK_FIELDS:
            return self._check_data(row, key, stage, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            return row.url() if key == "url" else self._display(row, key)
        if role == SORT_ROLE:
            return self._sort_key(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and (key.startswith("plan_") or key in ("kind", "service_id")):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and key == "result":
            if not row.plans[self._stage]:
                return None
            return {None: _UNJUDGED_BRUSH, True: _ACHIEVED_BRUSH, False: _NOT_ACHIEVED_BRUSH}[
                row.stage_result(self._stage)
            ]
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "url" and not row.url() and row.service_url:
                return _DIM_BRUSH  # the agency's own address, not yet confirmed by the evaluator
            if key == "result" and not row.plans[self._stage]:
                return _DIM_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "url" and not row.url() and row.service_url:
                return "نشانی اعلام‌شده در فهرست خدمات دستگاه؛ برای ثبت نشانی بررسی‌شده آن را ویرایش کنید"
            if key == "title":
                return row.title
        return None

    def _display(self, row: ServiceRow, key: str) -> str:
        if key == "service_id":
            return persian_digits(row.service_id)
        if key == "title":
            return row.title
        if key == "kind":
            return row.kind
        if key.startswith("plan_"):
            return "بله" if row.plans[key[5:]] else "—"
        if key == "result":
            if not row.plans[self._stage]:
                return OUT_OF_PLAN_TEXT
            return RESULT_TEXT[row.stage_result(self._stage)]
        if key == "url":
            return row.url() or row.service_url
        return ""

    def _sort_key(self, row: ServiceRow, key: str):
        if key.startswith("plan_"):
            return int(row.plans[key[5:]])
        if key == "result":
            if not row.plans[self._stage]:
                return -2
            verdict = row.stage_result(self._stage)
            return -1 if verdict is None else int(verdict)
        if key == "title":
            return normalize(row.title)
        return self._display(row, key)

    def _check_data(self, row: ServiceRow, key: str, stage: str, role):
        value = row.value(key)
        if role == Qt.ItemDataRole.CheckStateRole:
            if not row.plans[stage] and value is None:
                return None  # no box at all for a service outside this stage's plan
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return -1 if value is None else int(bool(value))
        if role == Qt.ItemDataRole.BackgroundRole and row.plans[stage] and value is None:
            return _UNJUDGED_BRUSH  # not judged yet: the evaluator must see what is left
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.plans[stage]:
                return "این خدمت در برنامهٔ عملیاتی این مرحله نیست"
            return _CHECK_FIELDS[key][2] + ("؛ هنوز بررسی نشده" if value is None else "")
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        if self._controller.read_only():
            return base
        if key in _CHECK_FIELDS:
            if not row.plans[_CHECK_FIELDS[key][3]]:
                return Qt.ItemFlag.ItemIsSelectable  # disabled: not in this stage's plan
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if key == "url":
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not (self.flags(index) & Qt.ItemFlag.ItemIsEnabled):
            return False
        row = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        if key in _CHECK_FIELDS and role == Qt.ItemDataRole.CheckStateRole:
            if not self.flags(index) & Qt.ItemFlag.ItemIsUserCheckable:
                return False
            checked = _is_checked(value)
            title = _CHECK_FIELDS[key][1]
            verb = "تأیید" if checked else "رد"
            return self.set_judgement(row.service_id, {key: checked}, f"{verb} «{title}» برای خدمت {persian_digits(row.service_id)}")
        if key == "url" and role == Qt.ItemDataRole.EditRole:
            if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
                return False
            text = complete_url(str(value or ""))
            problem = url_problem(text)
            if problem:
                self.message.emit(problem)
                return False
            if text == row.url():
                return True
            return self.set_judgement(row.service_id, {"url": text}, f"نشانی خدمت {persian_digits(row.service_id)}")
        return False

    def set_judgement(self, service_id: str, fields: dict, text: str) -> bool:
        edit = Edit("judgement", self._controller.assessment().uuid, service_id, fields)
        self._applying = True
        try:
            return self._controller.apply(edit, text)
        finally:
            self._applying = False

    def _on_refused(self, text: str) -> None:
        if self._applying:  # only this table's own edits: others are explained where they were made
            self.message.emit(text)

    def mark_unjudged_not_achieved(self, stage: str | None = None) -> int:
        """Judge every planned, not yet judged service of ``stage`` as not achieved (one undo step).

        Saves the evaluator a click per service once the achieved ones are ticked.
        """
        stage = stage or self._stage
        targets = [r for r in self._rows if r.plans[stage] and r.stage_result(stage) is None]
        if not targets or self._controller.read_only():
            return 0
        fields = dict.fromkeys(REQUEST_CAPABILITIES if stage == "request" else (stage,), False)
        uuid = self._controller.assessment().uuid
        edits = [Edit("judgement", uuid, row.service_id, dict(fields)) for row in targets]
        self._applying = True
        try:
            # One transaction and one re-read (see controller.apply_all), not one per service.
            done = self._controller.apply_all(
                edits, f"تحقق‌نیافته برای {persian_digits(len(targets))} خدمت بررسی‌نشده ({STAGE_TITLES[stage]})"
            )
        finally:
            self._applying = False
        return len(targets) if done else 0


def _is_checked(value) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    try:
        return int(value) == Qt.CheckState.Checked.value
    except (TypeError, ValueError):
        return bool(value)


class ServicesFilterProxy(QSortFilterProxyModel):
    """Search (normalised: ي/ی, ك/ک and digit forms match) and "only this stage's plan"."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tokens: list[str] = []
        self._only_planned = True
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        tokens = normalize(text).split()
        if tokens != self._tokens:
            self.refilter(lambda: setattr(self, "_tokens", tokens))

    def set_only_planned(self, on: bool) -> None:
        if on != self._only_planned:
            self.refilter(lambda: setattr(self, "_only_planned", on))

    def refilter(self, change=None) -> None:
        """Apply a change of the filter's criteria (Qt 6.10 wants it bracketed; older Qt invalidates)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            if change:
                change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            if change:
                change()
            self.invalidateRowsFilter()

    def only_planned(self) -> bool:
        return self._only_planned

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        row = model.row(source_row)
        if self._only_planned and not row.plans[model.stage()]:
            return False
        return all(t in row.haystack for t in self._tokens)


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
        self.rest_button = QPushButton("بقیهٔ خدمات برنامه: تحقق‌نیافته", self)
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
            width = metrics.horizontalAdvance(text) + (20 if key in _CHECK_FIELDS else 36)
            if key == "result":
                width = max(width, metrics.horizontalAdvance(RESULT_TEXT[False]) + 16)
            elif key == "service_id":
                width = max(width, metrics.horizontalAdvance("۰۰۰۰۰۰۰۰۰") + 36)
            elif key == "title":
                width = metrics.horizontalAdvance("م" * 18)  # until the view has a width (_fit_title)
            elif key == "url":
                width = metrics.horizontalAdvance("https://www.example.gov.ir/service/")
            self.view.setColumnWidth(i, width)

        self.view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._section_resized)
        self._title_dragged = False
        self._fitting = False  # the title's width being set here, not dragged

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.hide()
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
        """Give the title what the id, the stage's checks and the result leave (within bounds).

        With fixed widths the result column, the one that says what a service
        counts for, fell off the left edge in a narrow page and the titles were
        cut short on a wide one.  A width the user dragged is kept.
        """
        if self._title_dragged:
            return
        title = column("title")
        others = sum(self.view.columnWidth(c) for c in range(column("result") + 1)
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
            self.view.setColumnHidden(i, own is not None and own != stage)
        self.only_planned.setText(f"فقط خدمات برنامهٔ {STAGE_TITLES[stage]}")
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
        self.count_label.setText(
            f"{persian_digits(shown)} از {persian_digits(total)} خدمت نمایش داده شده؛ "
            f"بررسی‌شده {persian_digits(judged)} از {persian_digits(planned)}"
        )
        self._update_enabled()

