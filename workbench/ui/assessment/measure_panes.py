"""How the measure page shares its work area: inputs, the services or reform table, evidence.

A mixin of :class:`~workbench.ui.assessment.measure_page.MeasurePage`: the
split for each kind of measure (the user's last one for the kind, else one
measured from what the inputs need), redone once the page has its real size.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from workbench.ui.assessment.remembered import WorkRemembered as _Remembered

#: A services or reform table keeps at least this height (its header and a few rows).
TABLE_MIN_HEIGHT = 200


class WorkAreaSizes:
    """The page's work splitter sized per kind of measure (``self.work``, ``self.inputs``, ``self.evidence``…)."""

    def _size_panes(self, container: QWidget, has_table: bool) -> None:
        """Split the work area for this kind of measure: the user's last split for the kind, else a default.

        Inputs get what they need (within reason), a services or reform
        table most of the rest, evidence the remainder.  Done again once
        the page has its real size (see :meth:`resizeEvent`).
        """
        self._layout_kind = "table" if has_table else "plain"
        height = self.work.height()
        if height < 200 or not self.isVisible():
            self._sizes_pending = container
            return
        self._sizes_pending = None
        shown = [self.work.widget(i) for i in range(self.work.count())]
        remembered = _Remembered.work_split.get(self._layout_kind)
        if remembered is not None:
            self.work.setSizes([remembered.get(self._part(w), 0) for w in shown])
            return
        # The width the inputs will have with their scroll bar, the height without the handles.
        width = max(self.inputs.width() - self.inputs.verticalScrollBar().sizeHint().width(), 300)
        height -= self.work.handleWidth() * (sum(1 for w in shown if not w.isHidden()) - 1)
        # Lay the inputs out at this width (with room to spare: the stretch at the end takes it)
        # and read where things fall.  Wrapped labels take their height only once laid out, and
        # nested layouts hear of it through posted requests: deliver them until it settles.
        container.resize(width, container.layout().totalHeightForWidth(width) + 400)
        for _ in range(4):
            container.layout().activate()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        needed = self.note.geometry().bottom() + 1 + container.layout().contentsMargins().bottom()
        if has_table:
            # The table is the work here: evidence gets its minimum, the inputs what their items
            # need (the note, below them, is scrolled to) as long as the table keeps a few rows.
            evidence = min(self.evidence.comfortable_height(), max(self.evidence.minimumSizeHint().height(),
                                                                   height - TABLE_MIN_HEIGHT - height * 3 // 10))
            items = self._note_label.y()
            inputs = min(items, max(height * 3 // 10, height - evidence - TABLE_MIN_HEIGHT))
            big = self.services_panel if self.services_panel and not self.services_panel.isHidden() else self.reform_panel
            sizes = {self.inputs: inputs, self.evidence: evidence, big: height - inputs - evidence}
        else:
            evidence = max(height // 5, self.evidence.comfortable_height())
            inputs = min(needed, height - evidence)
            sizes = {self.inputs: inputs, self.evidence: height - inputs}
        self.work.setSizes([sizes.get(w, 0) for w in shown])

    def _part(self, widget: QWidget) -> str:
        if widget is self.inputs:
            return "inputs"
        if widget is self.evidence:
            return "evidence"
        return "table"

    def _remember_split(self, *_args) -> None:
        shown = [self.work.widget(i) for i in range(self.work.count())]
        _Remembered.work_split[self._layout_kind] = {self._part(w): h for w, h in zip(shown, self.work.sizes())}

    def _retry_sizes(self) -> None:
        if self._sizes_pending is not None:
            self._size_panes(self._sizes_pending, self._layout_kind == "table")
