"""File ▸ open, open a server's database, new: the window asks for a place and opens it, saying why not.

A mixin of :class:`~workbench.ui.main_window.MainWindow`, which provides
``open_database`` (the opening itself) and the questions of
:class:`~workbench.ui.window_asking.AskingUser`.
"""
from __future__ import annotations

from pathlib import Path

from workbench.model.backends import is_server_url
from workbench.model.errors import UserError
from workbench.model.problems import path_text


class FileOpening:
    def open_database_interactive(self, path: Path | str, create: bool = False) -> bool:
        """Open ``path``; on failure say why in Persian and offer another file.  False if the user gives up."""
        while True:
            try:
                self.open_database(path, create=create)
                return True
            except UserError as exc:
                message = exc.message
            choice = self.ask_after_open_error(message)
            if choice is None:
                return False
            path, create = choice

    def open_database_dialog(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_database_interactive(Path(path), create=False)

    def open_server_dialog(self) -> None:
        """File ▸ a server's database: the consolidated store several supervisors share."""
        address = self.ask_server_address()
        if address and not is_server_url(address):
            self.warn(f"«{address}» نشانی پایگاه دادهٔ سرور نیست؛ با «postgresql://» آغاز می‌شود.")
        elif address:
            self.open_database_interactive(address, create=False)

    def new_database_dialog(self) -> None:
        path = self.ask_new_path()
        if not path:
            return
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".sqlite")
        if path.exists() and path.stat().st_size > 0:
            # Never overwrite: a new database must not cost anyone their old one.
            self.warn(f"فایل «{path_text(path)}» از پیش وجود دارد و پاک نمی‌شود؛ نام دیگری برگزینید یا آن را باز کنید.")
            return
        self.open_database_interactive(path, create=True)
