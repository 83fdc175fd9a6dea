"""The Qt application: Persian, right-to-left, in the bundled Vazirmatn font.

:func:`setup_application` is shared by the window and by every GUI test, so a
test sees the same fonts, direction and locale as the user.  :func:`run_gui`
is what ``workbench`` with no sub-command runs.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from workbench.paths import default_database_path, resource_path

FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")
FONT_FAMILY = "Vazirmatn"
FONT_POINT_SIZE = 10
APP_NAME = "میز کار ارزیاب"

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def setup_application(app: QApplication) -> None:
    """Fonts, direction, locale and Qt's own Persian strings.  Safe to call twice."""
    if app.property("workbench_ready"):
        return
    family = _register_fonts()
    font = QFont(family, FONT_POINT_SIZE)
    app.setFont(font)
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    # Qt's own file dialogs, right to left (ui/shared/file_dialogs.py puts them in Persian): a native
    # one spoke the system's language, left to right.
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    QLocale.setDefault(QLocale(QLocale.Language.Persian, QLocale.Country.Iran))
    app.setApplicationName("evaluator-workbench")
    app.setOrganizationName("evaluator-workbench")
    app.setApplicationDisplayName(APP_NAME)
    _install_qt_translations(app)
    app.setProperty("workbench_ready", True)


def _register_fonts() -> str:
    """Register the bundled font files; never rely on what the system has."""
    family = FONT_FAMILY
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0:
            families = QFontDatabase.applicationFontFamilies(font_id)
            if families:
                family = families[0]
    return family


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own dialogs (file dialog, message box buttons) in Persian, when the wheel has them."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)  # parented to the app so it lives as long as it does
    if translator.load("qtbase_fa", folder):
        app.installTranslator(translator)


def run_gui(db_path: str | None) -> int:
    """Open the window on ``db_path`` or on the user's own database; the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(app)
    # The window module pulls in the model and SQLAlchemy; import it once Qt is up.
    from workbench.ui.main_window import MainWindow
    from workbench.ui.shared.errors import ErrorReporter, setup_logging

    setup_logging()
    window = MainWindow()
    window.ensure_evaluator_name()  # at first start: who the audit trail names
    # From here on an error nobody expected is a Persian message (details to the log), never a
    # traceback on a console the evaluator does not have.
    reporter = ErrorReporter(lambda: window, window.recover_after_error)
    reporter.install()
    try:
        try:
            if db_path:
                opened = window.open_database_interactive(db_path, create=False)
            else:
                # The user's own database is created (with a round) on first start.
                opened = window.open_database_interactive(default_database_path(), create=True)
        except Exception:  # noqa: BLE001 - the window never opened: say so, then exit 1
            reporter.handle(*sys.exc_info())
            if reporter.box is not None:
                reporter.box.exec()
            window.close()
            return EXIT_FAILURE
        if not opened:
            window.close()
            return EXIT_BAD_INPUT
        window.show_fitted()  # as it was left, inside the screen it opens on
        window.resume()  # the agency and measure left on screen
        return EXIT_OK if app.exec() == 0 else EXIT_FAILURE
    finally:
        reporter.uninstall()
