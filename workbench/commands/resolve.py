"""``workbench resolve MASTER ID (--take CANDIDATE|base | --value VALUE) --reason TEXT``."""
from __future__ import annotations

import json
import sys

from workbench.model.backends import database_location
from workbench.model.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("resolve", help="حل یک تعارض ادغام با دلیل")
    p.add_argument("master", type=database_location, help="پایگاه دادهٔ اصلی سرپرست (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("id", help="شناسهٔ تعارض")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", metavar="CANDIDATE|base", help="شمارهٔ نامزد، یا base برای مقدار مبنا")
    how.add_argument("--value", help="مقدار خود سرپرست (برای گروه چندخانه‌ای: JSON)")
    p.add_argument("--reason", required=True, help="دلیل تصمیم")
    p.add_argument("--by", default="", help="نام سرپرست")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.commands.conflicts import value_text
    from workbench.exchange.conflicts import resolve
    from workbench.model.store import existing_database
    from workbench.model.text import ascii_digits, persian_digits

    ident = ascii_digits(args.id).strip()
    if not ident.isdigit():
        raise UserError(f"«{args.id}» شناسهٔ تعارض نیست (عددی که conflicts نشان می‌دهد)")
    take = ascii_digits(args.take) if args.take else None
    with existing_database(args.master, actor=args.by) as s:
        view = resolve(s, int(ident), take=take, value=args.value, reason=args.reason, by=s.info["actor"])
    if args.json:
        json.dump(view.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(f"تعارض {persian_digits(view.id)} حل شد: {value_text(view.resolution)} — {view.reason}\n")
    return 0
