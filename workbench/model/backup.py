"""Copies of a database file that are one consistent file, or no file at all.

A copy is written under a hidden temporary name beside its target and renamed
only once complete and checked, so a crash, a kill or a full disk part way
leaves no file that looks like a copy (a half-written one opened as an empty
database).  The copy is SQLite's online backup of the open file: it holds
every committed change, those still in the write-ahead log included, and is
itself a single file with no ``-wal`` beside it.  No Qt.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from workbench.atomic_write import write_replacing
from workbench.model.errors import StoreError
from workbench.model.problems import KINDS, database_kind, os_problem, path_text


def backup_to(source: str | Path, target: str | Path) -> Path:
    """Write a consistent copy of the database ``source`` to ``target`` (replaced only when complete).

    Raises :class:`StoreError` saying why, in Persian, when it cannot; ``target`` is then untouched.
    """
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        raise StoreError(f"رونوشت را نمی‌توان روی خود پایگاه داده «{path_text(source)}» نوشت؛ نام دیگری برگزینید")
    if target.is_dir():
        raise StoreError(f"«{path_text(target)}» پوشه است؛ نام فایل رونوشت را بدهید")
    try:
        write_replacing(target, lambda tmp: _copy(source, Path(tmp)))
    except sqlite3.Error as exc:
        full, damaged, read_only = KINDS[2], KINDS[0], KINDS[3]
        kind = database_kind(exc)
        if kind == full:
            why = "روی دیسک جای کافی نیست"
        elif kind == damaged and "unable to open" not in str(exc):
            why = "پایگاه داده آسیب دیده است"
        elif kind == read_only or "unable to open" in str(exc):
            why = "در آن پوشه نمی‌توان نوشت"
        else:
            why = "پایگاه داده خوانده نشد"
        raise StoreError(f"رونوشت «{path_text(target)}» نوشته نشد ({why})؛ فایلی ساخته نشد.") from exc
    except OSError as exc:
        raise StoreError(f"رونوشت «{path_text(target)}» نوشته نشد ({os_problem(exc)})؛ فایلی ساخته نشد.") from exc
    return target


def _copy(source: Path, tmp: Path) -> None:
    src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file: the copy needs no -wal beside it
            verdict = dst.execute("PRAGMA quick_check(1)").fetchone()
            if verdict != ("ok",):
                raise sqlite3.DatabaseError(f"copy failed its check: {verdict}")
        finally:
            dst.close()
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{tmp}{suffix}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    finally:
        src.close()


def backup_copy(path: Path, label: str) -> Path:
    """A consistent copy of the database beside it, ``NAME.LABEL.DATE.sqlite`` (before an upgrade).

    No copy, no upgrade: :class:`StoreError` stops the caller before it touches the original.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}.{stamp}{path.suffix or '.sqlite'}")
    try:
        return backup_to(path, target)
    except StoreError as exc:
        raise StoreError(
            f"از «{path_text(path)}» پیش از به‌روزرسانی نسخهٔ پشتیبان گرفته نشد؛ فایل به‌روز نشد و تغییری نکرد. "
            f"پوشهٔ آن را نوشتنی کنید یا فایل را به جای دیگری ببرید. ({exc.message})"
        ) from exc

