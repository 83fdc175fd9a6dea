"""The main window as the desk's and the receive's tests open it: on its own settings, at a laptop's size."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workbench.ui.app import setup_application
from workbench.ui.main_window import MainWindow


def open_main_window(qtbot, tmp_path, path, *, create: bool = False, size: tuple[int, int] | None = (1366, 768)
                     ) -> MainWindow:
    setup_application(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.open_database(path, create=create)
    window.show()
    return window
