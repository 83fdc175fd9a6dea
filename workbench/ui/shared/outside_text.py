"""Text from a file or a person, shown as text: never as markup, never turning the lines after it around.

A QLabel (and a QMessageBox) guesses whether its text is HTML; an agency's
name from a workbook then drew 40-point red text and loaded an image from the
disk.  Labels that show such text are plain text (:func:`plain`); the few
that format it escape what they put in (:func:`rich`).  Either way the
direction controls the text opens are closed at its end
(:func:`workbench.model.text.close_bidi`).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt

from workbench.model.text import close_bidi


def plain(*widgets) -> None:
    """Show whatever these labels or message boxes are given as plain text."""
    for widget in widgets:
        widget.setTextFormat(Qt.TextFormat.PlainText)


def rich(text: object) -> str:
    """Outside text to put inside a label's HTML."""
    return html.escape(close_bidi(str(text or "")), quote=True)
