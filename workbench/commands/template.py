"""``workbench template OUT.xlsx [--agency CODE] [--db DB]``: the blank workbook agencies fill in.

With ``--agency`` the template is made for that agency: its «دستگاه» sheet is
filled from the database (``--db``, or your own database when not given) and
its hidden sheet records the code, so the file cannot later be imported into
another agency by mistake.
"""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.model.backends import database_location
from workbench.model.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("template", help="قالب خالی کارپوشهٔ خدمات و جدول‌های ۴ و ۵ برای دستگاه‌ها")
    p.add_argument("out", type=Path, help="فایل xlsx خروجی")
    p.add_argument("--agency", help="کد دستگاهی که قالب برای آن ساخته می‌شود")
    p.add_argument("--db", type=database_location, help="پایگاه داده‌ای که دستگاه در آن است (پیش‌فرض: پایگاه دادهٔ خودتان)")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.imports.template import write_template

    if args.out.suffix.lower() != ".xlsx":
        raise UserError(f"نام فایل خروجی «{args.out}» باید به ‎.xlsx‎ ختم شود")
    details = None
    if args.agency:
        details = _agency(args)
    elif args.db:
        raise UserError("گزینهٔ ‎--db‎ تنها همراه ‎--agency‎ معنا دارد")
    out = write_template(args.out, details)
    who = f" برای دستگاه «{details['code']} — {details['name']}»" if details else ""
    sys.stdout.write(f"قالب{who} در «{out}» نوشته شد.\n")
    return 0


def _agency(args) -> dict:
    from workbench.imports.template import agency_details
    from workbench.model.assessments import find_agency
    from workbench.model.backends import backend_for
    from workbench.paths import default_database_path
    from workbench.workspace.opening import unit_of_work

    db = args.db or default_database_path()
    if backend_for(db).is_new():
        raise UserError(f"پایگاه داده «{db}» وجود ندارد؛ با ‎--db‎ پایگاه داده‌ای را که دستگاه در آن است بدهید")
    with unit_of_work(db) as s:
        return agency_details(s, find_agency(s, args.agency))
