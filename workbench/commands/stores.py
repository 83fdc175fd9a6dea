"""``workbench init DB`` and ``workbench copy SRC DST``: making a store, and moving one.

``DB``, ``SRC`` and ``DST`` are each a SQLite file or a PostgreSQL URL
(``postgresql+psycopg://role@host/name``, or ``…@/name?host=/socket/folder``).
"""
from __future__ import annotations

import sys

from workbench.model.backends import database_location


def register(sub) -> None:
    p = sub.add_parser("init", help="ساختن طرح پایگاه داده (فایل یا سرور PostgreSQL) یا به‌روز کردن آن")
    p.add_argument("db", type=database_location, help="فایل پایگاه داده یا نشانی postgresql+psycopg://…")
    p.set_defaults(run=run_init)

    p = sub.add_parser("copy", help="رونوشت کامل یک پایگاه داده در پایگاه دادهٔ تازه (فایل ↔ سرور)")
    p.add_argument("source", type=database_location, help="پایگاه دادهٔ مبدأ")
    p.add_argument("target", type=database_location, help="پایگاه دادهٔ تازهٔ مقصد (فایل تازه یا پایگاه دادهٔ خالی سرور)")
    p.set_defaults(run=run_copy)


def run_init(args) -> int:
    from workbench.model.backends import backend_for
    from workbench.model.errors import StoreError
    from workbench.model.store import open_store

    backend = backend_for(args.db)
    try:
        backend.is_new()
    except StoreError as exc:
        if not getattr(exc, "missing", False):
            raise
        backend.create_database()
    store = open_store(args.db, create=True)
    try:
        revision = store.revision()
        sys.stdout.write(f"پایگاه دادهٔ «{store.display}» آماده است (طرح {revision}).\n")
        if store.backup_path is not None:
            sys.stdout.write(f"پیش از به‌روزرسانی، نسخهٔ پشتیبان گرفته شد: {store.backup_path}\n")
    finally:
        store.close()
    return 0


def run_copy(args) -> int:
    from workbench.model.copying import copy_store
    from workbench.model.text import persian_digits

    result = copy_store(args.source, args.target)
    rows = sum(n for name, n in result.rows.items() if name != "blobs")
    megabytes = result.file_bytes / (1024 * 1024)
    sys.stdout.write(
        f"رونوشت نوشته شد: {persian_digits(rows)} ردیف و {persian_digits(result.files)} فایل مستند "
        f"({persian_digits(f'{megabytes:.1f}')} مگابایت).\n"
    )
    return 0
