"""File and folder dialogs in Persian, right to left, starting where the user last was.

The native dialogs (and Qt's own with the bundled translation) said «Look in»,
«Files of type», «Folder» and Latin dates, and opened in the working folder.
These are Qt's own dialog (:data:`~PySide6.QtCore.Qt.ApplicationAttribute.AA_DontUseNativeDialogs`
is set for the whole program in :func:`workbench.ui.app.setup_application`),
laid out right to left, every label in Persian, the list's type, size and
date columns in Persian words, Persian digits and the Jalali calendar; each
*purpose* («import», «reports», «evidence»…) remembers its own last folder
in the user's settings.

Call them as the static ``QFileDialog`` functions (same arguments and
results, plus ``purpose``); tests replace them on this module.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.model.jalali import format_jalali
from workbench.model.text import format_number, persian_digits
from workbench.paths import user_data_dir

_LABELS = {
    QFileDialog.DialogLabel.LookIn: "پوشه:",
    QFileDialog.DialogLabel.FileName: "نام فایل:",
    QFileDialog.DialogLabel.FileType: "نوع فایل:",
    QFileDialog.DialogLabel.Reject: "انصراف",
}
_HEADERS = ("نام", "اندازه", "نوع", "تاریخ تغییر")


class _PersianColumns(QIdentityProxyModel):
    """The file list's size, type and date in Persian; the names are the files' own."""

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt's name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < 4:
            return _HEADERS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or index.column() == 0:
            return super().data(index, role)
        source = self.mapToSource(index)
        model = self.sourceModel()
        info = model.fileInfo(source) if hasattr(model, "fileInfo") else None
        if info is None:
            return super().data(index, role)
        if index.column() == 1:
            return "" if info.isDir() else _size(info.size())
        if index.column() == 2:
            if info.isDir():
                return "پوشه"
            return f"فایل {info.suffix().lower()}" if info.suffix() else "فایل"
        if index.column() == 3:
            when = info.lastModified().toPython()
            return f"{format_jalali(when.date())} {persian_digits(when.strftime('%H:%M'))}" \
                if isinstance(when, dt.datetime) else ""
        return super().data(index, role)


def _size(size: int) -> str:
    for unit, scale in (("گیگابایت", 1 << 30), ("مگابایت", 1 << 20), ("کیلوبایت", 1 << 10)):
        if size >= scale:
            return f"{format_number(round(size / scale, 1))} {unit}"
    return f"{persian_digits(size)} بایت"


def _settings() -> QSettings:
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def last_folder(purpose: str) -> str:
    """The folder last used for ``purpose``; the home folder the first time (not the working folder)."""
    folder = str(_settings().value(f"folders/{purpose}", "") or "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember(purpose: str, chosen: str) -> None:
    """Keep the folder of ``chosen`` (a file or a folder) for the next dialog of ``purpose``."""
    if not chosen:
        return
    path = Path(chosen)
    settings = _settings()
    settings.setValue(f"folders/{purpose}", str(path if path.is_dir() else path.parent))
    settings.sync()


def _start(purpose: str, suggested: str) -> str:
    """Where the dialog opens: the purpose's last folder, with ``suggested`` as the file's name."""
    folder = last_folder(purpose)
    remembered = _settings().contains(f"folders/{purpose}")
    if suggested and Path(suggested).is_dir():  # a folder to start in, until the user chooses one
        return folder if remembered else suggested
    if suggested:
        given = Path(suggested)
        if given.is_absolute() and given.parent.is_dir() and not remembered:
            return str(given)  # the caller's own choice of folder, until the user chooses one
        return str(Path(folder) / given.name)
    return folder


def make_dialog(parent: QWidget | None, caption: str, start: str, file_filter: str,
                mode: QFileDialog.FileMode, save: bool = False) -> QFileDialog:
    """Qt's own file dialog, right to left and in Persian."""
    dialog = QFileDialog(parent, caption, start, file_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    for label, text in _LABELS.items():
        dialog.setLabelText(label, text)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "ذخیره" if save else "برگزیدن")
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setLabelText(QFileDialog.DialogLabel.FileName, "پوشه:")
    dialog.setProxyModel(_PersianColumns(dialog))
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []


def getOpenFileName(parent, caption: str, dir: str = "", filter: str = "", purpose: str = "files"):  # noqa: A002, N802
    chosen = _run(make_dialog(parent, caption, _start(purpose, dir), filter, QFileDialog.FileMode.ExistingFile))
    remember(purpose, chosen[0] if chosen else "")
    return (chosen[0] if chosen else "", "")


def getOpenFileNames(parent, caption: str, dir: str = "", filter: str = "", purpose: str = "files"):  # noqa: A002, N802
    chosen = _run(make_dialog(parent, caption, _start(purpose, dir), filter, QFileDialog.FileMode.ExistingFiles))
    remember(purpose, chosen[0] if chosen else "")
    return (chosen, "")


def getSaveFileName(parent, caption: str, dir: str = "", filter: str = "", purpose: str = "files"):  # noqa: A002, N802
    chosen = _run(make_dialog(parent, caption, _start(purpose, dir), filter, QFileDialog.FileMode.AnyFile,
                              save=True))
    remember(purpose, chosen[0] if chosen else "")
    return (chosen[0] if chosen else "", "")


def getExistingDirectory(parent, caption: str, dir: str = "", purpose: str = "folders"):  # noqa: A002, N802
    remembered = _settings().value(f"folders/{purpose}", "")
    start = last_folder(purpose) if remembered or not dir else dir
    chosen = _run(make_dialog(parent, caption, start, "", QFileDialog.FileMode.Directory))
    remember(purpose, chosen[0] if chosen else "")
    return chosen[0] if chosen else ""
