"""How a failure is told to a person: one Persian wording for each kind of problem.  No Qt.

SQLite, SQLAlchemy and the operating system describe their failures in
English; the window, the command line and the store all tell them with the
sentences here, so the same problem reads the same everywhere:

* :func:`database_kind` sorts a database error into damaged, locked (another
  program is writing), disk full, read-only or a disk error;
* :func:`database_problem` says it in Persian, naming the file when it is known;
  :func:`storage_problem` does so only for a write that could not be made just
  then (the command line's "bad input, try again" cases);
* :func:`os_problem` is a phrase for a file-system error;
* :func:`describe` is what to tell about an error nobody expected;
* :func:`path_text` keeps a file path readable inside right-to-left text.
"""
from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

from sqlalchemy.exc import SQLAlchemyError

#: The kinds of database problem :func:`database_kind` tells apart.
KINDS = ("damaged", "locked", "full", "readonly", "disk")
#: The kinds a write meets when the file cannot be written just then; nothing is damaged.
CANNOT_WRITE_NOW = ("locked", "full", "readonly")

#: What each kind is (after «پایگاه داده …») and what the person can do about it.
_SAYS = {
    "damaged": ("آسیب دیده است و این بخش از آن خوانده یا نوشته نشد",
              "فایل را پاک یا جایگزین نکنید؛ از آن رونوشت بگیرید و برای بازیابی به پشتیبانی بدهید"),
    "locked": ("را برنامهٔ دیگری (شاید پنجرهٔ میز کار) در همین لحظه می‌نویسد", "کمی بعد دوباره امتحان کنید"),
    "full": ("جا ندارد: دیسک پر است", "جایی باز کنید و دوباره امتحان کنید"),
    "readonly": ("فقط‌خواندنی است و نوشته نمی‌شود", "آن را به جای نوشتنی ببرید"),
    "disk": ("روی دیسک خوانده یا نوشته نشد (خطای دیسک)", "دیسک یا حافظهٔ جانبی را بررسی کنید"),
}
NOTHING_WRITTEN = "چیزی نوشته نشد."

UNEXPECTED = (
    "کار با خطای پیش‌بینی‌نشده‌ای متوقف شد. آنچه پیش از این ثبت شده بود در پایگاه داده می‌ماند؛ "
    "اگر آخرین تغییر شما دیده نمی‌شود، آن را دوباره وارد کنید."
)

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
OS_OTHER = "خواندن یا نوشتن فایل ممکن نشد"


def path_text(path) -> str:
    """A file path inside a Persian sentence, kept left to right as one piece.

    Without the isolate (LRI … PDI) the bidi algorithm moves a leading «/» to
    the far end of the path and reverses the order of its Persian folders.
    """
    return f"\u2066{path}\u2069"


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def database_kind(exc: BaseException) -> str | None:
    """One of :data:`KINDS` ("damaged", "locked", "full", "readonly", "disk"); None if not the database's."""
    for link in _chain(exc):
        if not isinstance(link, (sqlite3.Error, SQLAlchemyError)):
            continue
        text = str(getattr(link, "orig", None) or link).lower()
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return "damaged"
        if "not authorized" in text:  # a write refused because the file's quick check found damage (sqlite_check)
            return "damaged"
        if "locked" in text or "busy" in text:
            return "locked"
        if "full" in text:
            return "full"
        if "readonly" in text or "read-only" in text:
            return "readonly"
        if "disk" in text:
            return "disk"
        return "damaged" if isinstance(link, sqlite3.DatabaseError) else None
    return None


def shown_name(path: object) -> object:
    """A database as messages name it: a file's path, or a server's URL without its password."""
    from workbench.model.backends import backend_for, is_server_url

    if is_server_url(path):
        try:
            return backend_for(path).display
        except Exception:  # noqa: BLE001 - an address that does not parse is shown as given
            return path
    return path


def _sentence(kind: str, path: object = None) -> str:
    what, advice = _SAYS[kind]
    where = f"پایگاه دادهٔ «{path_text(shown_name(path))}»" if path else "پایگاه داده"
    return f"{where} {what}؛ {advice}."


def _server_problem(exc: BaseException, path: object = None) -> str | None:
    """A PostgreSQL server's refusal (no server, refused role, missing database, full disk…), in its words."""
    from workbench.model.backends.postgres import PostgresBackend

    for link in _chain(exc):
        said = PostgresBackend.storage_problem(link, shown_name(path) if path else None)
        if said:
            return said
    return None


def database_problem(exc: BaseException, path: object = None) -> str:
    """A Persian account of a database error, naming ``path`` if given; ``""`` for any other error."""
    server = _server_problem(exc, path)
    if server:
        return server
    kind = database_kind(exc)
    return "" if kind is None else _sentence(kind, path)


#: The sentences of :func:`database_problem` when no file is named (compared with by callers).
DAMAGED, LOCKED, FULL, READONLY, DISK = (_sentence(k) for k in KINDS)


def storage_problem(exc: BaseException, path: object = None) -> str | None:
    """:func:`database_problem` and «چیزی نوشته نشد» when ``exc`` is a write the file could not take just then, else None.

    The window of the same or another evaluator may hold the file for a
    moment; a disk may be full or read-only.  The transaction was rolled back,
    so nothing was written, and the person can act on the message.
    """
    server = _server_problem(exc, path)
    if server:
        return server
    if database_kind(exc) not in CANNOT_WRITE_NOW:
        return None
    return f"{database_problem(exc, path)} {NOTHING_WRITTEN}"


def os_problem(exc: OSError) -> str:
    """A Persian phrase for a file-system error (the system's own text is English on most machines)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_PROBLEMS.get(name, OS_OTHER)


def describe(exc: BaseException) -> str:
    """What to tell the user about ``exc``: always Persian, never the exception's own text."""
    return database_problem(exc) or UNEXPECTED
