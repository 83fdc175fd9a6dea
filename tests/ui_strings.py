"""Every string a person reads in a widget tree, and which of them hold Latin a Persian evaluator must read.

:func:`visible_strings` walks a window or dialog: labels, buttons, check
boxes, line edits (text and placeholder), combo box items, group box and
window titles, tab titles, menus and their actions, tool tips, table and
tree headers and the cells on screen.  :func:`latin_problems` keeps the
strings with a Latin word (two letters or more) or a Latin digit, less what a
person types or reads as it is: keyboard keys, file extensions, URLs, paths
and the codes of the guide (G2B…).
"""
from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

#: What may stay Latin: keys (as printed on a keyboard), extensions, URLs and paths, the guide's codes.
ALLOWED = [
    r"\b(?:Ctrl|Shift|Alt)(?:\+(?:Shift|Alt|PgUp|PgDown|\w))+",  # a shortcut, as the menus print it
    r"\bF\d{1,2}\b",
    r"[\w\-*]*\.(?:sqlite|db|xlsx|xls|csv|pdf|png|svg|zip|wbx|ini|log|json)\b",
    # Names Persian users read in Latin, as the guide and the formats write them.
    r"\b(?:GSB|USSD|SMS|Excel|PDF|PNG|SVG|CSV|SQLite)\b",
    r"https?://\S*",
    r"\bG2[BCGE]\b",
    # Codes: a digest, a framework's identifier (kebab-case), as the file and the guide write them.
    r"\bSHA-256: [0-9a-f]{64}\b",
    r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b",
    r"\u2066[^\u2069]*\u2069",  # text isolated left to right: a path or a name from outside (path_text)
]
_ALLOWED = re.compile("|".join(ALLOWED))
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_LATIN_DIGIT = re.compile(r"[0-9]")


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def latin_in(text: str) -> list[str]:
    """The Latin words and digits of ``text`` a person must read (after the allowed parts)."""
    rest = _ALLOWED.sub(" ", _plain(text).replace("&&", "&"))
    return _LATIN_WORD.findall(rest) + _LATIN_DIGIT.findall(rest)


def _columns(model, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model's is private in PySide: one column
        return 1


def _rows(model, parent: QModelIndex) -> int:
    try:
        return model.rowCount(parent)
    except TypeError:
        return 0 if parent.isValid() else model.rowCount()


def _model_strings(view: QAbstractItemView, where: str, max_rows: int = 40):
    model = view.model()
    if model is None:
        return
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else getattr(view, "header", lambda: None)()
    if header is not None and header.isVisibleTo(view):
        for section in range(_columns(model, QModelIndex())):
            if not header.isSectionHidden(section):
                value = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                if value:
                    yield f"{where} header {section}", str(value)

    def walk(parent: QModelIndex, depth: int):
        for row in range(min(_rows(model, parent), max_rows)):
            for col in range(_columns(model, parent)):
                index = model.index(row, col, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str) and value:
                        yield f"{where} [{row},{col}]", value
            first = model.index(row, 0, parent)
            if depth < 3 and _columns(model, first) and _rows(model, first) > 0:
                yield from walk(first, depth + 1)

    yield from walk(QModelIndex(), 0)


def visible_strings(root: QWidget, skip=()):
    """(where, text) for every string shown by ``root`` and the widgets under it that are visible."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if w in skip or any(s.isAncestorOf(w) for s in skip):
            continue
        if not isinstance(w, QMenu) and not w.isVisibleTo(root) and w is not root:
            continue
        name = f"{type(w).__name__}({w.objectName() or w.accessibleName()})"
        if w.isWindow() and w.windowTitle():
            yield f"{name} title", w.windowTitle()
        if w.toolTip():
            yield f"{name} tooltip", w.toolTip()
        if isinstance(w, QLabel):
            yield name, w.text()
        elif isinstance(w, QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QLineEdit):
            if "/" not in w.text() and "\\" not in w.text():  # a folder typed or chosen is the user's
                yield f"{name} text", w.text()
            yield f"{name} placeholder", w.placeholderText()
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            yield f"{name} placeholder", w.placeholderText()
            if w.isReadOnly():  # a guide's text, a message: read, not typed
                yield f"{name} text", w.toPlainText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name} item {i}", w.itemText(i)
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{name} tab {i}", w.tabText(i)
        elif isinstance(w, QMenu):
            yield f"{name} title", w.title()
            for action in w.actions():
                if action.isVisible() and action.text():
                    yield f"{name} action", action.text()
                    if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
                        yield f"{name} action tooltip", action.toolTip()
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.isVisibleTo(root):
            yield from _model_strings(w, name)


def latin_problems(root: QWidget, skip=()) -> list[tuple[str, str, list[str]]]:
    found = []
    for where, text in visible_strings(root, skip):
        latin = latin_in(text or "")
        if latin:
            found.append((where, text, latin))
    return found
