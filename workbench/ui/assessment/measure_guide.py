"""The guide (راهنما) of a measure: its text, and where it stands on the measure page.

The guide stands beside the inputs only when both get a readable width
(:data:`SIDE_BY_SIDE_WIDTH`).  A narrower page (a laptop with the agency list
shown) puts it on a tab of its own, «راهنمای نماگر» (F1 switches), rather than
squeezing it to a word a line, as it was at 1280 px.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QSplitter, QTabBar, QTextBrowser, QWidget

from workbench.model.framework import Indicator, Measure
from workbench.model.text import format_number, persian_digits
from workbench.ui.assessment.evidence_model import KIND_TITLES

#: The inputs column's narrowest width: an item's title beside its points and its "not
#: applicable" box, a URL still readable in the evidence row.
WORK_MIN_WIDTH = 440
#: The guide's narrowest width beside the inputs: six or seven Persian words a line.
GUIDE_MIN_WIDTH = 300
#: From this page width on, the guide stands beside the inputs; below it the guide is a tab.
SIDE_BY_SIDE_WIDTH = 860
#: The guide's share of a wide page until the user drags the splitter.
GUIDE_SHARE = 0.3
TAB_INPUTS, TAB_GUIDE = 0, 1

GUIDE_SECTIONS = (
    ("definition", "تعریف"),
    ("formula", "نحوهٔ محاسبه"),
    ("evidence", "مستندات قابل قبول"),
    ("not_applicable", "شرایط عدم مصداق"),
    ("legal_basis", "مستندات قانونی"),
)


def guide_html(indicator: Indicator, measure: Measure) -> str:
    """The guide's texts of ``measure`` (and of its indicator where they add something)."""

    def para(text: str) -> str:
        return html.escape(persian_digits(text)).replace("\n", "<br>")

    parts = [
        f"<h3>نماگر {persian_digits(measure.key)}: {para(measure.title)}</h3>",
        f"<p><b>شاخص {persian_digits(indicator.key)}:</b> {para(indicator.title)} "
        f"({format_number(indicator.points)} امتیاز)</p>",
        f"<p><b>امتیاز نماگر:</b> {format_number(measure.points)}"
        + (f" <i>(فرضی: {para(measure.weight.assumption)})</i>" if measure.weight.assumed else "")
        + "</p>",
    ]
    for name, title in GUIDE_SECTIONS:
        text = getattr(measure, name) or ""
        ind_text = getattr(indicator, name) or ""
        if name == "evidence" and measure.evidence_kinds:
            kinds = "، ".join(KIND_TITLES.get(k, k) for k in measure.evidence_kinds)
            text = f"{text}\n(انواع: {kinds})" if text else f"انواع: {kinds}"
        if not text and not ind_text:
            continue
        parts.append(f"<h4>{title}</h4>")
        if text:
            parts.append(f"<p>{para(text)}</p>")
        if ind_text and ind_text.strip() != (getattr(measure, name) or "").strip():
            parts.append(f"<p><i>در سطح شاخص:</i> {para(ind_text)}</p>")
    rule = measure.na_rule or indicator.na_rule
    if rule is not None:  # who may mark it not applicable, as the framework file states it (na_rules)
        assumed = f" <i>(فرض میز کار: {para(rule.assumption)})</i>" if rule.assumption else ""
        parts.append(f"<h4>قاعدهٔ عدم مصداق</h4><p>{para(rule.describe())}؛ {para(rule.source)}{assumed}</p>")
    items = "".join(
        f"<li>{para(it.title)} — {format_number(it.points)} امتیاز"
        + (f"<br><i>عدم مصداق: {para(it.not_applicable)}</i>" if it.not_applicable else "")
        + "</li>"
        for it in measure.items
    )
    parts.append(f"<h4>موارد امتیازدار</h4><ul>{items}</ul>")
    return f'<div dir="rtl">{"".join(parts)}</div>'


class _Remembered:
    """The guide's width as the user last dragged it, for the run: a page is made for every agency."""

    guide_width: int | None = None


class GuidePlacement(QObject):
    """Puts ``guide`` beside ``work`` in ``splitter``, or makes the two tabs of :attr:`tabs`.

    The page calls :meth:`fit` with its width whenever it is resized or shown;
    ``first_input`` gives the widget to focus when the inputs come back.
    """

    def __init__(self, page: QWidget, splitter: QSplitter, work: QWidget, guide: QTextBrowser, first_input):
        super().__init__(page)
        self._splitter, self._work, self._guide = splitter, work, guide
        self._first_input = first_input
        self._narrow: bool | None = None  # None: not laid out yet
        work.setMinimumWidth(WORK_MIN_WIDTH)
        guide.setMinimumWidth(GUIDE_MIN_WIDTH)
        splitter.setChildrenCollapsible(False)
        splitter.splitterMoved.connect(self._remember)

        self.tabs = QTabBar(page)
        self.tabs.addTab("ورود ارزیابی")
        self.tabs.addTab("راهنمای نماگر")
        self.tabs.setTabToolTip(TAB_GUIDE, "تعریف، مستندات قابل قبول و شرایط عدم مصداق این نماگر (F1)")
        self.tabs.setExpanding(False)
        self.tabs.hide()
        self.tabs.currentChanged.connect(self._show_tab)
        key = QShortcut(QKeySequence(Qt.Key.Key_F1), page)
        key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        key.activated.connect(self.toggle)

    def is_tab(self) -> bool:
        return bool(self._narrow)

    def fit(self, width: int) -> None:
        """Side by side from :data:`SIDE_BY_SIDE_WIDTH` on; below it the guide is a tab."""
        narrow = width < SIDE_BY_SIDE_WIDTH
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self.tabs.setVisible(narrow)
        if narrow:
            self._show_tab(self.tabs.currentIndex())
            return
        self._work.show()
        self._guide.show()
        total = self._splitter.width()
        guide = _Remembered.guide_width or int(total * GUIDE_SHARE)
        guide = max(GUIDE_MIN_WIDTH, min(guide, total - WORK_MIN_WIDTH))
        self._splitter.setSizes([total - guide, guide])

    def toggle(self) -> None:
        """F1: on a narrow page switch between the inputs and the guide; beside them, go to the guide."""
        if self._narrow:
            self.tabs.setCurrentIndex(TAB_INPUTS if self.tabs.currentIndex() == TAB_GUIDE else TAB_GUIDE)
        else:
            self._guide.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_tab(self, index: int) -> None:
        if not self._narrow:
            return
        on_guide = index == TAB_GUIDE
        focus = QApplication.focusWidget()
        # Focus in the part being hidden follows to the part shown (not when on the tabs themselves).
        follow = focus is not None and focus is not self.tabs and self._splitter.isAncestorOf(focus)
        self._work.setVisible(not on_guide)
        self._guide.setVisible(on_guide)
        if follow:
            (self._guide if on_guide else self._first_input()).setFocus(Qt.FocusReason.OtherFocusReason)

    def _remember(self, *_args) -> None:
        if not self._narrow:
            _Remembered.guide_width = self._splitter.sizes()[1]
