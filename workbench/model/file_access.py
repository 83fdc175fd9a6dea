"""What the file system lets us do with a database file: write it, only read it, or nothing.

A read-only file, a read-only folder (a CD, a write-protected stick, a shared
folder) and a full disk are not damage: SQLite's own errors for them ("unable
to open database file", "disk I/O error") read like damage, so the store asks
the file system first and says what is true.  No Qt.
"""
from __future__ import annotations

import os
from pathlib import Path

from workbench.model.problems import path_text

WRITABLE = "writable"
READ_ONLY_FILE = "read-only file"
READ_ONLY_FOLDER = "read-only folder"
DISK_FULL = "disk full"

#: Below this much free space a write cannot even start (SQLite's shared-memory index alone is 32 KB).
MIN_FREE_BYTES = 256 * 1024


def access_of(path: str | Path) -> str:
    """:data:`WRITABLE`, :data:`READ_ONLY_FILE`, :data:`READ_ONLY_FOLDER` or :data:`DISK_FULL` for an existing file."""
    path = Path(path)
    folder = path.parent
    if not os.access(path, os.W_OK):
        return READ_ONLY_FILE
    # WAL mode writes two files beside the database (-wal, -shm): a folder that takes no new file is read-only too.
    if not os.access(folder, os.W_OK | os.X_OK):
        return READ_ONLY_FOLDER
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows: a full disk shows when writing
        return WRITABLE
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return READ_ONLY_FOLDER
    if info.f_bavail * info.f_frsize < MIN_FREE_BYTES:
        return DISK_FULL
    return WRITABLE


def opened_read_only(path: str | Path, access: str) -> str:
    """What the window and the commands say about a database opened read-only."""
    why = {
        READ_ONLY_FILE: "فایل آن فقط‌خواندنی است",
        READ_ONLY_FOLDER: "پوشهٔ آن فقط‌خواندنی است",
        DISK_FULL: "دیسک آن پر است",
    }[access]
    return (f"پایگاه دادهٔ «{path_text(path)}» فقط برای خواندن باز شد، چون {why}؛ می‌توانید آن را ببینید و از آن "
            "گزارش بگیرید ولی تغییری در آن ثبت نمی‌شود.")


def cannot_open(path: str | Path, access: str) -> str:
    """Why a database that could not be opened (nor read) was not: the file system's reason, not «damaged»."""
    where = f"پایگاه دادهٔ «{path_text(path)}»"
    return {
        READ_ONLY_FILE: f"{where} فقط‌خواندنی است و خوانده هم نشد؛ آن را به پوشه‌ای نوشتنی ببرید و دوباره باز کنید.",
        READ_ONLY_FOLDER: (f"{where} در پوشه‌ای فقط‌خواندنی است و تغییرهای ذخیره‌نشده‌ای کنار آن هست که بی نوشتن در "
                           "آن پوشه خوانده نمی‌شود؛ پوشه را نوشتنی کنید یا آن را همراه فایل‌های کنارش به جای دیگری ببرید."),
        DISK_FULL: f"{where} باز نشد، چون دیسک آن پر است؛ جایی باز کنید و دوباره امتحان کنید.",
    }.get(access, f"{where} باز نشد.")


def needs_upgrade(path: str | Path, access: str) -> str:
    """A read-only database of an older schema: it cannot be upgraded where it is."""
    return (f"پایگاه دادهٔ «{path_text(path)}» با نسخهٔ قدیمی‌تری از میز کار ساخته شده است و باید به‌روز شود، "
            f"ولی نوشتنی نیست ({cannot_write_reason(access)}). آن را به پوشه‌ای نوشتنی ببرید و دوباره باز کنید.")


def cannot_write_reason(access: str) -> str:
    return {READ_ONLY_FILE: "فایل فقط‌خواندنی است", READ_ONLY_FOLDER: "پوشه فقط‌خواندنی است",
            DISK_FULL: "دیسک پر است"}.get(access, "")


def damaged(path: str | Path) -> str:
    """What every command and the window say about a damaged database file."""
    return (f"فایل «{path_text(path)}» آسیب دیده است و باز نشد تا بیش از این آسیب نبیند. آن را پاک یا "
            "جایگزین نکنید؛ از آن رونوشت بگیرید و برای بازیابی به پشتیبانی بدهید.")
