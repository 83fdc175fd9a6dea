"""What the assessment's panes remember for the run (a view and its pages are made anew for every
agency opened), kept apart from the panes so that the window's place (``ui/window_place.py``)
reads and saves it at start-up without importing the assessment's pages (issue 16)."""
from __future__ import annotations


class TreeRemembered:
    """The tree's width as the user last dragged it, for the run: a view is made for every agency."""

    tree_width: int | None = None


class WorkRemembered:
    """The user's split of the work area per kind of measure, for the run: a page is made anew
    for every agency opened."""

    work_split: dict[str, dict[str, int]] = {}  # kind of measure -> part -> height
