"""The measure page: the guide's text beside the inputs of one measure (نماگر).

On the right (first, in right-to-left reading) the evaluator's work: the
not-applicable boxes, one editor per scored item, the services table or
tables 4 and 5 when the measure is counted from them, the note and the
evidence; on the left the guide's definition, formula, acceptable evidence,
not-applicable condition and legal basis.  Every change goes through the
controller as an undoable, at-once-committed edit; on ``controller.changed``
the page re-reads its values into the widgets it already has.

The guide's text and where it stands (beside the inputs, or on a tab of its
own when the page is narrow) are in :mod:`workbench.ui.assessment.measure_guide`.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.model.editing import Edit
from workbench.model.framework import Indicator, Item, Measure
from workbench.model.scoring import REFORM_CAP
from workbench.model.text import format_percent, persian_digits
from workbench.ui.assessment.controller import FINAL_BANNER, AssessmentController
from workbench.ui.assessment.evidence_panel import EvidencePanel
from workbench.ui.assessment.item_editors import CheckEditor, ItemEditor, SummaryEditor, make_editor
from workbench.ui.assessment.measure_guide import GuidePlacement, guide_html
from workbench.ui.assessment.measure_inputs import ERROR_STYLE, NotApplicableControl, earned_text, rtl
from workbench.ui.assessment.measure_panes import WorkAreaSizes

#: After this long without typing, the note is saved (a crash loses at most this much typing).
NOTE_IDLE_MS = 1200


class NoteEdit(QPlainTextEdit):
    """The measure's note; tells the page when focus leaves so the text is saved at once.

    One undo model: the field has no undo of its own.  Ctrl+Z (and redo) in it first saves what
    was typed, as a step of the assessment's history, then reaches the window's undo, which takes
    that step back: the field's own undo used to empty the typing, save the emptied note as a new
    step and throw the redo history away.
    """

    def __init__(self, on_leave, parent=None):
        super().__init__(parent)
        self._on_leave = on_leave
        self.setUndoRedoEnabled(False)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_or_redo(event):
            self._on_leave()  # what was typed becomes the step the window's undo takes back
            event.ignore()  # not the field's: the window's shortcut gets the key
            return True
        return super().event(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self._on_leave()


def _is_undo_or_redo(event) -> bool:
    return (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
            or QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Y"))


class MeasurePage(WorkAreaSizes, QWidget):
    """One measure of the open assessment: guide, inputs, services or tables 4/5, note, evidence."""

    def __init__(self, controller: AssessmentController, parent=None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self._controller = controller
        self._measure: Measure | None = None
        self.agreement = None  # indicator 7's agreement box (agreement_box), on its pages only
        self._indicator: Indicator | None = None
        self._show_indicator_na = False
        self._editors: list[ItemEditor] = []
        self._na_controls: list[NotApplicableControl] = []
        self._stored_note = ""
        self._applying = False
        self.services_panel = None  # made when a measure counted from services is first shown
        self.reform_panel = None
        self._panels_made = (None, None)
        self._layout_kind = "plain"
        self._sizes_pending: QWidget | None = None
        self._chain: list[QWidget] = []  # the page's Tab order (see _set_tab_order)

        self.banner = QLabel(FINAL_BANNER, self)
        self.banner.setStyleSheet("background: #fff4d6; padding: 6px;")
        self.banner.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file's name or a cell
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.score = QLabel(self)
        self.score.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.score.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.score)

        self.inputs = QScrollArea(self)
        self.inputs.setWidgetResizable(True)
        self.inputs.setFrameShape(QFrame.Shape.NoFrame)
        self.note = NoteEdit(self.save_note, self)
        self.note.setPlaceholderText("یادداشت ارزیاب دربارهٔ این نماگر (خودکار ذخیره می‌شود)")
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 4 + 16)
        self.note.setTabChangesFocus(True)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_IDLE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._note_timer.start)
        self.evidence = EvidencePanel(controller, self)

        self.work = QSplitter(Qt.Orientation.Vertical, self)
        self.work.setChildrenCollapsible(False)
        self.work.addWidget(self.inputs)
        self.work.addWidget(self.evidence)
        self.work.splitterMoved.connect(self._remember_split)
        self.guide = QTextBrowser(self)
        self.guide.setOpenExternalLinks(False)
        self.guide.setAccessibleName("راهنمای نماگر")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.work)
        self.splitter.addWidget(self.guide)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.placement = GuidePlacement(self, self.splitter, self.work, self.guide, self._first_input)
        self.page_tabs = self.placement.tabs  # shown only on a narrow page

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)  # the splitter handles beside the page are margin enough
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        # The tabs share the title's row (between the title and the score): a narrow window is
        # also a short one, and a row of their own would take it from the table.
        header.insertWidget(1, self.page_tabs, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)

        controller.refused.connect(self._on_refused)
        controller.changed.connect(self.reload)

    # ---- what is shown
    def measure_key(self) -> str:
        return self._measure.key if self._measure else ""

    def show_measure(self, key: str) -> None:
        """Show measure ``key``; an indicator's key shows its first measure and the indicator's N/A box."""
        self.save_note()
        framework = self._controller.framework()
        node = framework.node(key)
        if isinstance(node, Item):
            node = next(m for m in framework.measures() if node in m.items)
        if isinstance(node, Indicator):
            indicator, measure, self._show_indicator_na = node, node.measures[0], True
        else:
            indicator = next(i for i in framework.indicators if node in i.measures)
            measure, self._show_indicator_na = node, False
        self._indicator, self._measure = indicator, measure
        self.message.hide()
        self._build()
        self.reload()
        # Sized after reload: the summaries' texts (two lines, perhaps) are part of what the inputs need.
        self._size_panes(self.inputs.widget(), self._layout_kind == "table")

    def _build(self) -> None:
        measure, indicator = self._measure, self._indicator
        self.title.setText(f"نماگر {persian_digits(measure.key)}: {persian_digits(measure.title)}")
        self.guide.setHtml(guide_html(indicator, measure))
        container = QWidget()
        box = QVBoxLayout(container)
        self._na_controls = []
        self._indicator_na = self._na_box(
            box, indicator.key, f"کل شاخص {persian_digits(indicator.key)} عدم مصداق است",
            indicator.not_applicable, f"شاخص {persian_digits(indicator.key)}", container,
        )
        self._measure_na = self._na_box(
            box, measure.key, f"کل نماگر {persian_digits(measure.key)} عدم مصداق است",
            measure.not_applicable, f"نماگر {persian_digits(measure.key)}", container,
        )
        items = QGroupBox("موارد امتیازدار", container)
        items_layout = QVBoxLayout(items)
        self._editors = [make_editor(item, self._save, items) for item in measure.items]
        for editor in self._editors:
            items_layout.addWidget(editor)
        self.rest_button = QPushButton("موارد بی‌پاسخ: ندارد", items)
        self.rest_button.setToolTip("همهٔ موارد تیک‌نخورده و بی‌پاسخ این نماگر را «ندارد» ثبت می‌کند (یک گام واگرد)")
        self.rest_button.clicked.connect(self.mark_rest_absent)
        self.rest_button.setVisible(any(isinstance(e, CheckEditor) for e in self._editors))
        items_layout.addWidget(self.rest_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(items)
        self.agreement = None
        if indicator.na_rule is not None and indicator.na_rule.by_agreement:  # indicator 7 (na_rules)
            from workbench.ui.assessment.agreement_box import AgreementBox

            self.agreement = AgreementBox(self._controller, indicator.key, container)
            box.addWidget(self.agreement)
        self._note_label = QLabel("یادداشت ارزیاب", container)
        box.addWidget(self._note_label)
        self.note.setParent(container)
        box.addWidget(self.note)
        box.addStretch(1)
        self.inputs.setWidget(container)  # the previous measure's widgets are deleted with it

        stage = next((it.stage for it in measure.items if it.kind == "ratio" and it.source == "services"), "")
        stage = stage or next((it.per_service.stage for it in measure.items if it.kind == "per_service"), "")
        reform = any(it.kind == "reform" for it in measure.items)
        if stage and self.services_panel is None:
            from workbench.ui.assessment.services_table import ServicesPanel

            self.services_panel = ServicesPanel(self._controller, self)
            self.work.insertWidget(1, self.services_panel)
        if reform and self.reform_panel is None:
            from workbench.ui.assessment.reform_tables import ReformPanel

            self.reform_panel = ReformPanel(self._controller, self)
            self.work.insertWidget(1, self.reform_panel)
        if self.services_panel is not None:
            self.services_panel.setVisible(bool(stage))
            if stage:
                self.services_panel.set_stage(stage)
        if self.reform_panel is not None:
            self.reform_panel.setVisible(reform)
        if (stage or reform) and self._panels_made != (self.services_panel, self.reform_panel):
            # Qt calls slots in the order they were connected: the page re-reads after the
            # tables it summarises, which were made after it.
            self._panels_made = (self.services_panel, self.reform_panel)
            self._controller.changed.disconnect(self.reload)
            self._controller.changed.connect(self.reload)
        self.evidence.set_measure(measure.key, tuple(k for k in measure.evidence_kinds if k != "services"))
        self._layout_kind = "table" if stage or reform else "plain"
        self._set_tab_order(stage, reform)

    def _set_tab_order(self, stage: str, reform: bool) -> None:
        """Tab follows right-to-left reading: the inputs, the table, the evidence, then the guide.

        The inputs are made anew for each measure (after the evidence panel),
        so creation order alone would send Tab to the evidence first.
        """
        chain: list[QWidget] = [self.page_tabs]  # on a narrow page, the tabs are read first
        for control in self._na_controls:
            chain += [control.check, control.reason]
        for editor in self._editors:
            chain += editor.focus_order()
        chain += [self.rest_button, self.note]
        if stage:
            chain += self.services_panel.focus_order()
        if reform:
            chain += self.reform_panel.focus_order()
        chain += [*self.evidence.focus_order(), self.guide]
        self._chain = chain
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # ---- the guide beside the inputs, or on a tab of its own
    def guide_is_tab(self) -> bool:
        return self.placement.is_tab()

    def toggle_guide(self) -> None:
        self.placement.toggle()

    def _first_input(self) -> QWidget:
        """The first widget Tab reaches on the inputs' side (where focus goes back from the guide)."""
        return next((w for w in self._chain[1:] if w.isVisibleTo(self) and w.isEnabled()
                     and w.focusPolicy() & Qt.FocusPolicy.TabFocus), self.inputs)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.placement.fit(self.width())
        if self._sizes_pending is not None:
            self._size_panes(self._sizes_pending, self._layout_kind == "table")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.placement.fit(self.width())
        if self._sizes_pending is not None:
            QTimer.singleShot(0, self._retry_sizes)

    def _na_box(self, box, key, label, condition, what, parent) -> NotApplicableControl:
        control = NotApplicableControl(key, label, condition, self._save, what, parent)
        # Leading-aligned (right, in right-to-left), so the box is only as wide as its text.
        box.addWidget(control.check, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(control.details)
        self._na_controls.append(control)
        return control

    # ---- reading
    def _answers(self) -> dict[str, dict]:
        keys = [self._indicator.key, self._measure.key, *(it.key for it in self._measure.items)]
        return self._controller.answers(keys)

    def reload(self) -> None:
        """Show the stored values in the widgets already there (after any edit, undo or redo)."""
        if self._measure is None:
            return
        answers = self._answers()
        card = self._controller.card()
        read_only = self._controller.read_only()
        self.banner.setVisible(read_only)
        if self.agreement is not None:
            self.agreement.reload()
        self.banner.setText(self._controller.read_only_reason())
        ind_answer = answers.get(self._indicator.key, {})
        m_answer = answers.get(self._measure.key, {})
        ind_na = bool(ind_answer.get("not_applicable"))
        m_na = bool(m_answer.get("not_applicable"))
        by_rule = self._controller.na_by_rule()  # e.g. 9.1 for a provincial unit (na_rules)
        for control in (self._indicator_na, self._measure_na, *(e.na for e in self._editors)):
            control.set_refusal(self._controller.na_refusal(control.key))
        if self._measure.key in by_rule or self._indicator.key in by_rule:
            m_na = True
            self._measure_na.check.setToolTip(by_rule.get(self._measure.key) or by_rule[self._indicator.key])

        self._indicator_na.load(ind_na, ind_answer.get("na_reason", ""))
        show_ind = self._show_indicator_na or ind_na
        self._indicator_na.check.setVisible(show_ind)
        self._indicator_na.details.setVisible(show_ind and self._indicator_na.check.isChecked())
        self._indicator_na.set_editable(not read_only)
        self._measure_na.load(m_na, m_answer.get("na_reason", ""))
        self._measure_na.set_editable(not read_only and not ind_na)

        for editor in self._editors:
            editor.set_editable(not read_only)
            editor.load(answers.get(editor.item.key, {}), card.nodes.get(editor.item.key), ind_na or m_na)
            if isinstance(editor, SummaryEditor):
                editor.set_summary(self._summary(editor.item))
        self.rest_button.setEnabled(not read_only and not (ind_na or m_na))

        note = m_answer.get("note") or ""
        # Only replace the note when the user has nothing unsaved in it (or it changed by undo).
        if note != self._stored_note and self.note.toPlainText() == self._stored_note:
            self._set_note(note)
        self._stored_note = note
        self.note.setReadOnly(read_only)

        node = card.nodes.get(self._measure.key)
        ind_node = card.nodes.get(self._indicator.key)
        text = earned_text(node)
        if node is not None and node.percent is not None:
            text += f" ({format_percent(node.percent)})"
        self.score.setText(text)
        self.score.setToolTip(f"شاخص {persian_digits(self._indicator.key)}: {earned_text(ind_node)}")

    def _set_note(self, text: str) -> None:
        self.note.blockSignals(True)  # loading is not typing: no save timer
        self.note.setPlainText(text)
        self.note.blockSignals(False)

    def _summary(self, item: Item) -> str:
        if item.kind == "ratio" and self.services_panel is not None:
            achieved, judged, planned = self.services_panel.model.counts(item.stage)
            if planned == 0:
                return "برنامهٔ عملیاتی هیچ خدمتی برای این مرحله ندارد؛ فهرست خدمات را وارد کنید یا مورد را عدم مصداق بزنید."
            return (
                f"تحقق‌یافته {persian_digits(achieved)} از {persian_digits(planned)} خدمت برنامه "
                f"(بررسی‌شده {persian_digits(judged)})"
            )
        if item.kind == "per_service" and self.services_panel is not None:
            achieved, judged, services = self.services_panel.model.counts(item.per_service.stage)
            if services == 0:
                return "فهرست خدمات دستگاه خالی است؛ نخست فهرست خدمات را وارد کنید."
            rule = "هر خدمت" if item.per_service.rule == "all" else "به نسبت خدمات"
            return (f"{persian_digits(achieved)} از {persian_digits(services)} خدمت فهرست "
                    f"(بررسی‌شده {persian_digits(judged)}؛ امتیاز: {rule})")
        if item.kind == "reform" and self.reform_panel is not None:
            improved, subs = self.reform_panel.counts()
            if subs == 0:
                return "فهرست خدمات دستگاه زیرخدمتی ندارد؛ ابتدا فهرست خدمات را وارد کنید."
            if self.reform_panel.table4.rowCount() == 0:
                if self.reform_panel.none_confirmed():
                    return "جدول ۴ ارائه نشده است (تأیید ارزیاب؛ امتیاز صفر)."
                return "دستگاه جدول ۴ ارائه نکرده است؛ تا «جدول ۴ ارائه نشده است» تأیید نشود، امتیازی ثبت نمی‌شود."
            return (
                f"خدمات ردیف‌های پذیرفتهٔ جدول ۴: {persian_digits(improved)} از {persian_digits(min(REFORM_CAP, subs))} "
                f"(کمترینِ {persian_digits(REFORM_CAP)} و {persian_digits(subs)} زیرخدمت)"
            )
        return ""

    # ---- writing
    def _save(self, key: str, fields: dict, text: str) -> bool:
        self.message.hide()
        self._applying = True
        try:
            done = self._controller.apply(Edit("answer", self._controller.assessment().uuid, key, fields), text)
        finally:
            self._applying = False
        if not done:
            self.reload()  # put the widgets back to what is stored
        return done

    def _on_refused(self, text: str) -> None:
        if self._applying:
            self.message.setText(rtl(text))
            self.message.show()

    def save_note(self) -> None:
        """Save the note if it changed (on leaving the field, after a pause in typing, before switching)."""
        self._note_timer.stop()
        if self._measure is None or self._controller.read_only():
            return
        text = self.note.toPlainText()
        if text == self._stored_note:
            return
        key = self._measure.key
        if self._save(key, {"note": text}, f"یادداشت نماگر {persian_digits(key)}"):
            self._stored_note = text

    def mark_rest_absent(self) -> int:
        """Answer every unanswered check item of the measure with "no", as one undo step."""
        targets = [
            e for e in self._editors
            if isinstance(e, CheckEditor) and e.box.value() is None and e.box.isEnabled()
        ]
        if not targets:
            return 0
        uuid = self._controller.assessment().uuid
        edits = [Edit("answer", uuid, editor.item.key, {"value": False}) for editor in targets]
        self.message.hide()
        self._applying = True
        try:
            # One transaction and one re-read of the page, as one undo step.
            done = self._controller.apply_all(edits, f"موارد بی‌پاسخ نماگر {persian_digits(self._measure.key)}: ندارد")
        finally:
            self._applying = False
        if not done:
            self.reload()
        return len(targets) if done else 0
