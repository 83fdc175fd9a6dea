"""``workbench conflicts MASTER [--round YEAR] [--all] [--json]``: the open conflicts and their candidates."""
from __future__ import annotations

import json
import sys

from workbench.model.backends import database_location


def register(sub) -> None:
    p = sub.add_parser("conflicts", help="تعارض‌های باز ادغام و نامزدهای هر یک")
    p.add_argument("master", type=database_location, help="پایگاه دادهٔ اصلی سرپرست (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: همهٔ دوره‌ها)")
    p.add_argument("--all", action="store_true", help="حل‌شده‌ها هم")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def value_text(value) -> str:
    """A candidate's value for people: its fields, Persian digits, yes/no in words."""
    from workbench.model.text import persian_digits

    if value is None:
        return "حذف‌شده"
    if isinstance(value, dict):
        return "، ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if value is True:
        return "بله"
    if value is False:
        return "خیر"
    if value == "":
        return "(خالی)"
    return persian_digits(value)


def run(args) -> int:
    from workbench.exchange.conflicts import list_conflicts
    from workbench.exchange.labels import GROUPS, KINDS, MASTER, TABLES
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits

    with existing_database(args.master) as s:
        views = list_conflicts(s, args.year, include_resolved=args.all)
    if args.json:
        json.dump([v.as_json() for v in views], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    if not views:
        out.write("تعارض بازی نیست.\n")
        return 0
    out.write(f"{persian_digits(len(views))} تعارض:\n")
    for v in views:
        key = " / ".join(persian_digits(k) for k in v.key)
        out.write(f"تعارض {persian_digits(v.id)} — دستگاه «{v.agency_code}»، {TABLES.get(v.table, v.table)} {key}، "
                  f"{GROUPS.get(v.group, v.group)} ({KINDS.get(v.kind, v.kind)})\n")
        out.write(f"  مبنا (اکنون در پایگاه اصلی): {value_text(v.base)}\n")
        for c in v.candidates:
            who = f"{c.evaluator}، بستهٔ «{c.package}»" if c.package else MASTER
            out.write(f"  نامزد {persian_digits(c.id)} — {who}: {value_text(c.value)}\n")
        if v.status != "open":
            out.write(f"  حل‌شده به دست «{v.resolved_by}»: {value_text(v.resolution)} — {v.reason}\n")
    out.write(f"برای حل: workbench resolve {args.master} شناسه (--take نامزد|base | --value مقدار) --reason دلیل\n")
    return 0
