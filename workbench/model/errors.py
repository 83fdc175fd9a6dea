"""Errors the user is meant to read.  Messages are Persian and say what and where."""
from __future__ import annotations

import errno


class UserError(Exception):
    """Bad input from the user: shown as it is, exit status 2 on the command line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FrameworkError(UserError):
    """An invalid framework file; ``key`` names the indicator, measure or item at fault."""

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.key = key


class StoreError(UserError):
    """A database file that cannot be opened, upgraded or written."""


class DateError(UserError, ValueError):
    """A Jalali date that cannot be read or does not exist."""


_OS_PROBLEMS = {
    "EACCES": "اجازهٔ دسترسی نیست",
    "EPERM": "اجازهٔ دسترسی نیست",
    "ENOSPC": "روی دیسک جای کافی نیست",
    "EROFS": "دیسک فقط‌خواندنی است",
    "ENOENT": "پیدا نشد",
    "EISDIR": "پوشه است، نه فایل",
    "ENAMETOOLONG": "نام یا مسیر بیش از حد بلند است",
    "EBUSY": "در دست برنامهٔ دیگری است",
}


def os_problem(exc: OSError) -> str:
    """A Persian phrase for a file-system error (the system's own text is English on most machines)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_PROBLEMS.get(name, "خواندن یا نوشتن فایل ممکن نشد")
