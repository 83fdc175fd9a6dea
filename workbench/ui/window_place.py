"""Where the window stands and how it was left: its size on the screen it opens on, its splits,
the last agency and measure (a mixin of :class:`~workbench.ui.main_window.MainWindow`).

* :meth:`WindowPlace.show_fitted` shows the window as it was left (its saved
  geometry, brought inside the screen when that screen is smaller now), or on
  a first start at 1280×800 where that fits and maximized where it does not:
  a laptop's 1366×768 screen had the status bar, where «saved» appears, below
  its edge.
* :meth:`WindowPlace.save_place` (on closing) keeps the geometry, the agency
  list's width and whether it is shown, the score tree's width and the
  measure page's split per kind of measure, and the database, agency and
  measure on screen; :meth:`WindowPlace.resume` opens that agency and measure
  again when the same database is opened at the next start.
"""
from __future__ import annotations

import json

from PySide6.QtCore import QRect, QSize

from workbench.ui.assessment.remembered import TreeRemembered, WorkRemembered

#: The size a first start asks for; a smaller screen gets the window maximized.
FIRST_SIZE = QSize(1280, 800)
#: Room a window manager's title bar and borders take around the window.
FRAME_ROOM = QSize(16, 48)


def fitted(available: QRect, saved: QRect | None) -> QRect | None:
    """The geometry to show on a screen whose free area is ``available``; None: maximize."""
    if saved is not None and saved.isValid():
        width = min(saved.width(), available.width() - FRAME_ROOM.width())
        height = min(saved.height(), available.height() - FRAME_ROOM.height())
        x = min(max(saved.x(), available.x()), available.right() - width)
        y = min(max(saved.y(), available.y()), available.bottom() - height)
        return QRect(x, y, width, height)
    if (FIRST_SIZE.width() + FRAME_ROOM.width() > available.width()
            or FIRST_SIZE.height() + FRAME_ROOM.height() > available.height()):
        return None
    x = available.x() + (available.width() - FIRST_SIZE.width()) // 2
    y = available.y() + (available.height() - FIRST_SIZE.height()) // 2
    return QRect(x, y, FIRST_SIZE.width(), FIRST_SIZE.height())


class WindowPlace:
    def show_fitted(self, available: QRect | None = None) -> None:
        """Show the window inside ``available`` (the screen's free area, by default)."""
        if available is None:
            available = self.screen().availableGeometry()
        saved = self.settings.value("window/geometry")
        maximized = self.settings.value("window/maximized", "false") in (True, "true")
        place = fitted(available, saved if isinstance(saved, QRect) else None)
        if place is None or maximized:
            if place is not None:
                self.setGeometry(place)  # what un-maximizing returns to
            self.showMaximized()
        else:
            self.setGeometry(place)
            self.show()

    def restore_layout(self) -> None:
        """The splits as they were left (before any assessment is shown)."""
        s = self.settings
        width = _int(s.value("layout/agencies_width"))
        if width:
            self._list_width = width
            if self.view is not None:
                self.splitter.setSizes([width, max(self.width() - width, 1)])
        if s.value("layout/agencies_shown", "true") in (False, "false"):
            self._toggle_agencies()
        tree = _int(s.value("layout/tree_width"))
        if tree:
            TreeRemembered.tree_width = tree
        try:
            split = json.loads(str(s.value("layout/work_split", "") or "{}"))
        except ValueError:
            split = {}
        if isinstance(split, dict):
            WorkRemembered.work_split.update(
                {k: {p: int(h) for p, h in v.items()} for k, v in split.items() if isinstance(v, dict)})

    def save_place(self) -> None:
        s = self.settings
        maximized = self.isMaximized()
        s.setValue("window/maximized", "true" if maximized else "false")
        s.setValue("window/geometry", self.normalGeometry() if maximized else self.geometry())
        s.setValue("layout/agencies_shown", "true" if self.agencies.isVisibleTo(self) else "false")
        s.setValue("layout/agencies_width", self.list_width())
        if TreeRemembered.tree_width:
            s.setValue("layout/tree_width", TreeRemembered.tree_width)
        s.setValue("layout/work_split", json.dumps(WorkRemembered.work_split))
        if self.workspace is not None:
            controller = self.current_controller()
            s.setValue("resume/database", self.workspace.remembered)
            s.setValue("resume/agency", controller.assessment().agency_uuid if controller is not None else "")
            s.setValue("resume/measure", self.view.current_measure() if self.view is not None else "")

    def resume(self) -> bool:
        """Open the agency and measure left on screen, when this is the database they were in."""
        s = self.settings
        if self.workspace is None or str(s.value("resume/database", "")) != self.workspace.remembered:
            return False
        agency = str(s.value("resume/agency", "") or "")
        if not agency or self.workspace.agency(agency) is None:
            return False
        if self.open_agency(agency) is None:
            return False
        measure = str(s.value("resume/measure", "") or "")
        if measure and self.view is not None and self.view.tree_model.index_of(measure).isValid():
            self.view.select_measure(measure)
        return True


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
