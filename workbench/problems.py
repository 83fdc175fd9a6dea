"""Problems put in Persian words, with no Qt: database errors and paths inside sentences.

The window, the workspace and the commands describe a failure the same way:
:func:`database_problem` turns an SQLite error (a damaged file, a locked one,
a full disk) into a Persian sentence, and :func:`path_text` keeps a file path
readable inside right-to-left text.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy.exc import SQLAlchemyError

DAMAGED = (
    "پایگاه داده آسیب دیده است و این بخش از آن خوانده یا نوشته نشد. فایل را پاک یا جایگزین نکنید؛ "
    "از آن رونوشت بگیرید و برای بازیابی به پشتیبانی بدهید."
)
LOCKED = (
    "پایگاه داده در دسترس نبود (برنامهٔ دیگری آن را در دست دارد)؛ این تغییر ثبت نشد. "
    "چند لحظهٔ دیگر دوباره امتحان کنید."
)
DISK = "روی دیسک جای کافی نیست یا فایل پایگاه داده نوشتنی نیست؛ این تغییر ثبت نشد."


def path_text(path) -> str:
    """A file path inside a Persian sentence, kept left to right as one piece.

    Without the isolate (LRI … PDI) the bidi algorithm moves a leading «/» to
    the far end of the path and reverses the order of its Persian folders.
    """
    return f"\u2066{path}\u2069"


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def database_problem(exc: BaseException) -> str:
    """A Persian sentence for a database error (damaged, locked, disk full); "" for anything else."""
    for link in _chain(exc):
        if not isinstance(link, (sqlite3.Error, SQLAlchemyError)):
            continue
        text = str(getattr(link, "orig", None) or link).lower()
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return DAMAGED
        if "locked" in text or "busy" in text:
            return LOCKED
        if "disk" in text or "full" in text or "readonly" in text or "read-only" in text:
            return DISK
        return DAMAGED if isinstance(link, sqlite3.DatabaseError) else ""
    return ""
