"""The services table's Qt models: the agency's services with the judgements, and the search filter.

:class:`ServicesTableModel` is a real table model over plain Python rows
loaded with one query for the services and one for the judgements (through
the controller); an edit goes through the controller and only the rows whose
judgement changed are announced (``dataChanged``), so hundreds of services
stay fast.
"""
from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from workbench.model.editing import Edit
from workbench.model.eligibility import stage_exclusions
from workbench.model.terms import (
    CARD_DISAGREES,
    CARD_DISAGREES_SHORT,
    CHECK_STAGES,
    NOT_COUNTED,
    STAGE_RESULTS,
    STAGES,
)
from workbench.model.text import complete_url, normalize, persian_digits, url_problem
from workbench.ui.assessment.controller import AssessmentController
from workbench.ui.assessment.services_columns import (
    CARD_KEYS,
    CHECK_FIELDS,
    COLUMN_KEYS,
    COLUMNS,
    OUT_OF_PLAN_TEXT,
    RESULT_TEXT,
    SORT_ROLE,
    STAGE_TITLES,
    ServiceRow,
    column,
    judgement_fields,
    stage_fields,
    stage_of_column,
)

_UNJUDGED_BRUSH = QBrush(QColor("#fff4d6"))
_ACHIEVED_BRUSH = QBrush(QColor("#e3f2e1"))
_NOT_ACHIEVED_BRUSH = QBrush(QColor("#fbe3e1"))
_DIM_BRUSH = QBrush(QColor("#8a8a8a"))
_WARN_BRUSH = QBrush(QColor("#b71c1c"))



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
        self._level: str | None = None  # the agency's level, for the framework's «eligible» rules
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
        # The per-service checks of 4.7, 9.2.3 and 11 look at every service of the list («هر خدمت»).
        every = dict.fromkeys(CHECK_STAGES, True)
        exclusions = stage_exclusions(self._controller.framework())
        if exclusions and self._level is None:  # read once: a refresh reads the services and judgements only
            self._level = self._controller.agency().level
        level = self._level
        rows = []
        for sid, title, kind, plans, url, card in self._controller.planned_services():
            row = ServiceRow(sid, title, kind, {**plans, **every}, url, card)
            if exclusions:
                why = {stage: exclusions.why_not(stage, card.get("nature"), card.get("service_level"), level)
                       for stage in STAGES if plans.get(stage)}
                row.left_out = {stage: persian_digits(text) for stage, text in why.items() if text}
                row.left_out_by = {stage: "nature" if (card.get("nature") or "") in exclusions.natures(stage)
                                   else "service_level" for stage in row.left_out}
            rows.append(row)
        return rows

    def _load_judgements(self) -> dict[str, dict]:
        return self._controller.judgements(judgement_fields())

    @staticmethod
    def _haystack(row: ServiceRow) -> str:
        return normalize(" ".join((row.service_id, row.title, row.kind, row.url() or row.service_url,
                                   row.card.get("documents", ""), row.card.get("other_agencies", ""))))

    # ---- the stage in view
    def stage(self) -> str:
        return self._stage

    def set_stage(self, stage: str) -> None:
        if stage not in STAGES and stage not in CHECK_STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        if stage != self._stage:
            self._stage = stage
            if self._rows:
                for col in (column("result"), column("channels"), column("nature"), column("card_check")):
                    self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def row(self, i: int) -> ServiceRow:
        return self._rows[i]

    def rows(self) -> list[ServiceRow]:
        return list(self._rows)

    def counts(self, stage: str | None = None) -> tuple[int, int, int]:
        """(achieved, judged, planned) for ``stage`` among this model's rows, as the scorer counts them
        (a planned service the stage does not count — see :meth:`left_out` — is in none of them)."""
        stage = stage or self._stage
        achieved = judged = planned = 0
        for row in self._rows:
            if not row.counted(stage):
                continue
            planned += 1
            verdict = row.stage_result(stage)
            if verdict is not None:
                judged += 1
                achieved += int(verdict)
        return achieved, judged, planned

    def disagreements(self, stage: str | None = None) -> int:
        """Services whose card contradicts the judgement of ``stage`` (request and delivery)."""
        stage = stage or self._stage
        return sum(1 for row in self._rows if row.disagreement(stage) is not None)

    def left_out(self, stage: str | None = None) -> int:
        """Planned services of ``stage`` its ratio does not count (a sovereign service at the counter)."""
        stage = stage or self._stage
        return sum(1 for row in self._rows if row.plans[stage] and stage in row.left_out)

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
        if role == Qt.ItemDataRole.ToolTipRole and key in CHECK_FIELDS:
            return CHECK_FIELDS[key][2]
        if role == Qt.ItemDataRole.ToolTipRole and key == "result":
            return "نتیجه در این مرحله: تحقق‌یافته، تحقق‌نیافته، بررسی‌نشده یا خارج از برنامه"
        if role == Qt.ItemDataRole.ToolTipRole and key == "card_check":
            return (f"«{CARD_DISAGREES}»: نحوه دسترسی این مرحله (یا مدارک لازم، در شاخص ۱۱) در شناسنامهٔ خدمت "
                    "با داوری شما نمی‌خواند (برای کنترل؛ امتیاز همان داوری شماست)")
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        stage = stage_of_column(key)
        if key in CHECK_FIELDS:
            return self._check_data(row, key, stage, role)
        if key == "card_check":
            return self._card_check_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            return row.url() if key == "url" else self._display(row, key)
        if role == SORT_ROLE:
            return self._sort_key(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and (key.startswith("plan_") or key in ("kind", "service_id")):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and key == "result":
            if not row.counted(self._stage):
                return None
            return {None: _UNJUDGED_BRUSH, True: _ACHIEVED_BRUSH, False: _NOT_ACHIEVED_BRUSH}[
                row.stage_result(self._stage)
            ]
        if role == Qt.ItemDataRole.ForegroundRole:
            if key in ("nature", "service_level") and self._not_eligible(row, key):
                return _WARN_BRUSH
            if key == "url" and not row.url() and row.service_url:
                return _DIM_BRUSH  # the agency's own address, not yet confirmed by the evaluator
            if key == "result" and not row.counted(self._stage):
                return _DIM_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "url" and not row.url() and row.service_url:
                return "نشانی اعلام‌شده در فهرست خدمات دستگاه؛ برای ثبت نشانی بررسی‌شده آن را ویرایش کنید"
            if key == "title":
                return row.title
            if key == "channels":
                return row.channels_tip()
            if key in ("nature", "service_level", "result") and self._not_eligible(row, key):
                return row.left_out[self._stage]
            if key in CARD_KEYS:
                return row.card_text(key, self._stage) or "در شناسنامهٔ خدمت نیامده است"
        return None

    def _card_check_data(self, row: ServiceRow, role):
        """The card's channels against the judgement of the stage in view: flagged, with what disagrees."""
        found = row.disagreement(self._stage)
        if role == Qt.ItemDataRole.DisplayRole:
            return CARD_DISAGREES_SHORT if found else ""
        if role == SORT_ROLE:
            return int(found is not None)
        if role == Qt.ItemDataRole.ForegroundRole and found:
            return _WARN_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole and found:
            if self._stage == "copies":
                return f"{found.describe()}.\nمدارک لازم در شناسنامه: {row.card.get('documents', '')}"
            return f"{found.describe()}.\n{row.channels_tip()}"
        return None

    def _not_eligible(self, row: ServiceRow, key: str = "result") -> bool:
        """A planned service the stage in view does not count (by its card's nature or level: ``key``, when
        one of those, must be the field that leaves it out)."""
        if not (row.plans.get(self._stage, False) and self._stage in row.left_out):
            return False
        return key not in ("nature", "service_level") or row.left_out_by.get(self._stage) == key

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
            if self._stage in row.left_out:
                return NOT_COUNTED
            return RESULT_TEXT[row.stage_result(self._stage)]
        if key == "url":
            return row.url() or row.service_url
        if key in CARD_KEYS:
            return row.card_text(key, self._stage)
        return ""

    def _sort_key(self, row: ServiceRow, key: str):
        if key.startswith("plan_"):
            return int(row.plans[key[5:]])
        if key == "result":
            if not row.plans[self._stage]:
                return -2
            if self._stage in row.left_out:
                return -3
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
        if role == Qt.ItemDataRole.BackgroundRole and row.counted(stage) and value is None:
            return _UNJUDGED_BRUSH  # not judged yet: the evaluator must see what is left
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.plans[stage]:
                return "این خدمت در برنامهٔ عملیاتی این مرحله نیست"
            if stage in row.left_out:
                return row.left_out[stage]
            return CHECK_FIELDS[key][2] + ("؛ هنوز بررسی نشده" if value is None else "")
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        if self._controller.read_only():
            return base
        if key in CHECK_FIELDS:
            if not row.plans[CHECK_FIELDS[key][3]]:
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
        if key in CHECK_FIELDS and role == Qt.ItemDataRole.CheckStateRole:
            if not self.flags(index) & Qt.ItemFlag.ItemIsUserCheckable:
                return False
            checked = _is_checked(value)
            title = CHECK_FIELDS[key][1]
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
        targets = [r for r in self._rows if r.counted(stage) and r.stage_result(stage) is None]
        if not targets or self._controller.read_only():
            return 0
        fields = dict.fromkeys(stage_fields(stage), False)
        uuid = self._controller.assessment().uuid
        edits = [Edit("judgement", uuid, row.service_id, dict(fields)) for row in targets]
        self._applying = True
        try:
            # One transaction and one re-read (see controller.apply_all), not one per service.
            done = self._controller.apply_all(
                edits, f"{STAGE_RESULTS[False]} برای {persian_digits(len(targets))} خدمت {STAGE_RESULTS[None]} ({STAGE_TITLES[stage]})"
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
