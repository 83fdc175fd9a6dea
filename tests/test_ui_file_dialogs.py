"""File dialogs: Qt's own, right to left, in Persian (labels, the list's type, size and Jalali date
columns), each purpose starting in the folder last used for it (issue 12)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from ui_strings import latin_problems

from workbench.ui.app import setup_application
from workbench.ui.shared import file_dialogs

pytestmark = pytest.mark.gui


def test_the_dialog_is_persian_and_right_to_left(qtbot, tmp_path):
    setup_application(QApplication.instance())
    assert QApplication.instance().testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    folder = tmp_path / "کارپوشه‌ها"
    folder.mkdir()
    (folder / "book.xlsx").write_bytes(b"x" * 3000)
    (folder / "زیرپوشه").mkdir()
    dialog = file_dialogs.make_dialog(None, "انتخاب کارپوشهٔ دستگاه", str(folder), "کارپوشهٔ Excel (*.xlsx)",
                                      QFileDialog.FileMode.ExistingFile)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.proxyModel().rowCount(dialog.proxyModel().mapFromSource(
        dialog.proxyModel().sourceModel().index(str(folder)))) == 2, timeout=5000)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    # The file and folder names are the user's; every other word Persian, every digit too.
    found = [p for p in latin_problems(dialog)
             if not p[0].endswith(",0]")  # a file's or folder's name
             and not p[1].startswith("/") and "lookInCombo" not in p[0]]  # the folder being looked in
    assert not found, found
    model = dialog.proxyModel()
    parent = model.mapFromSource(model.sourceModel().index(str(folder)))
    rows = {model.index(r, 0, parent).data(): [model.index(r, c, parent).data() for c in range(1, 4)]
            for r in range(model.rowCount(parent))}
    size, kind, when = rows["book.xlsx"]
    assert size == "۲٫۹ کیلوبایت" and kind == "فایل xlsx" and when.startswith("۱۴")
    assert rows["زیرپوشه"][1] == "پوشه"


def test_each_purpose_starts_where_it_was_left(qtbot, tmp_path, monkeypatch):
    setup_application(QApplication.instance())
    started = []

    def answer(dialog):
        started.append(dialog.directory().absolutePath())
        return [str(tmp_path / "a" / "book.xlsx")] if len(started) == 1 else []

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "book.xlsx").write_bytes(b"x")
    monkeypatch.setattr(file_dialogs, "_run", answer)
    from pathlib import Path

    assert file_dialogs.getOpenFileName(None, "ورود", "", "", purpose="import")[0].endswith("book.xlsx")
    assert started[0] == str(Path.home())  # the first time: home, not the working folder
    file_dialogs.getOpenFileName(None, "ورود", "", "", purpose="import")
    assert started[1] == str(tmp_path / "a")  # where the last one was chosen
    file_dialogs.getOpenFileNames(None, "مستند", "", "", purpose="evidence")
    assert started[2] == str(Path.home())  # another purpose keeps its own
