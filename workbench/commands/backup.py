"""``workbench backup DB OUT`` and ``workbench maintain DB``: keeping a database safe to hand over.

``backup`` writes one consistent file holding every saved change (those still
in the write-ahead log of an open window included), replaced only when
complete: what to copy to a USB stick or send, while the window stays open.
``maintain`` removes evidence files no evidence row, undo step or audit entry
names any more (left by a crash between storing a file and its row), then
folds the log into the file.
"""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.model.backends import database_location


def register(sub) -> None:
    p = sub.add_parser("backup", help="رونوشت یک‌پارچه از پایگاه داده (حتی وقتی پنجره باز است)")
    p.add_argument("db", type=database_location, help="پایگاه داده (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("out", type=Path, help="فایل رونوشت")
    p.set_defaults(run=run_backup)
    p = sub.add_parser("maintain", help="نگه‌داری پایگاه داده: پاک کردن فایل‌های مستندی که هیچ‌جا به کار نمی‌روند")
    p.add_argument("db", type=database_location, help="پایگاه داده (فایل یا نشانی postgresql+psycopg://…)")
    p.set_defaults(run=run_maintain)


def run_backup(args) -> int:
    from workbench.model.problems import path_text
    from workbench.model.store import open_store

    store = open_store(args.db, create=False)  # checked (quick check) and upgraded like any open
    try:
        out = store.backend.snapshot(args.out)
    finally:
        store.close()
    sys.stdout.write(f"رونوشت پایگاه داده در «{path_text(out)}» نوشته شد.\n")
    return 0


def run_maintain(args) -> int:
    from workbench.model.errors import StoreError
    from workbench.model.file_access import cannot_write_reason
    from workbench.model.maintenance import collect_orphans
    from workbench.model.problems import path_text
    from workbench.model.store import open_store
    from workbench.model.text import persian_digits

    store = open_store(args.db, create=False)
    try:
        if store.read_only:
            raise StoreError(f"پایگاه دادهٔ «{path_text(store.display)}» نوشتنی نیست ({cannot_write_reason(store.read_only_because)})"
                             "؛ چیزی پاک نشد.")
        with store.session() as session:
            count, size = collect_orphans(session)
    finally:
        store.close()
    mb = persian_digits(f"{size / (1024 * 1024):.1f}").replace(".", "٫")
    sys.stdout.write(f"{persian_digits(count)} فایل مستند بی‌استفاده ({mb} مگابایت) پاک شد.\n")
    return 0
