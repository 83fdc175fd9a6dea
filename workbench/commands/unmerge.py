"""``workbench unmerge MASTER BATCH``: undo one merge batch (never over a later change)."""
from __future__ import annotations

import json
import sys

from workbench.model.backends import database_location


def register(sub) -> None:
    p = sub.add_parser("unmerge", help="برگرداندن یک دستهٔ ادغام")
    p.add_argument("master", type=database_location, help="پایگاه دادهٔ اصلی سرپرست (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("batch", help="شناسهٔ دسته (در خروجی merge)")
    p.add_argument("--by", default="", help="نام سرپرست")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.exchange.unmerge import unmerge
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits

    with existing_database(args.master, actor=args.by) as s:
        r = unmerge(s, args.batch.strip(), by=s.info["actor"])
    if args.json:
        json.dump(r.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(
        f"دستهٔ {r.batch} برگردانده شد: {persian_digits(r.restored)} خانه به مقدار پیشین، "
        f"{persian_digits(r.removed)} رکورد افزوده برداشته، {persian_digits(r.reinserted)} رکورد حذف‌شده بازگشت، "
        f"{persian_digits(r.conflicts_removed)} تعارض برداشته شد.\n"
    )
    if r.kept:
        sys.stdout.write("این‌ها پس از ادغام دوباره تغییر کرده‌اند و دست‌نخورده ماندند:\n")
        for line in r.kept:
            sys.stdout.write(f"  {line}\n")
    return 0
