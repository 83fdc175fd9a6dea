"""``workbench merge MASTER PACKAGE... [--dry-run] [--json]``: evaluators' packages into the master.

Exit status 2 when any package was refused, 0 when every one merged or was
already merged (or superseded).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.model.backends import database_location


def register(sub) -> None:
    p = sub.add_parser("merge", help="ادغام بسته‌های ارزیابان در پایگاه دادهٔ اصلی")
    p.add_argument("master", type=database_location, help="پایگاه دادهٔ اصلی سرپرست (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("packages", type=Path, nargs="+", metavar="PACKAGE", help="بسته‌های ارزیابان")
    p.add_argument("--dry-run", action="store_true", help="فقط گزارش آنچه ادغام می‌کند؛ چیزی نوشته نمی‌شود")
    p.add_argument("--by", default="", help="نام سرپرست")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.exchange.inbox import waiting_text
    from workbench.exchange.labels import STATUS
    from workbench.exchange.merge import merge
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits

    with existing_database(args.master, actor=args.by) as s:
        result = merge(s, args.packages, dry_run=args.dry_run, merged_by=s.info["actor"],
                       waiting=lambda holder, agency: sys.stderr.write(waiting_text(holder, agency) + "\n"))
    if args.json:
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 2 if result.any_refused else 0
    out = sys.stdout
    if args.dry_run:
        out.write("آزمایشی: آنچه ادغام می‌کرد (چیزی نوشته نشد)\n")
    for p in result.packages:
        who = f" — {p.evaluator}" if p.evaluator else ""
        out.write(f"«{p.file}»{who}: {STATUS[p.status]}")
        if p.status == "merged":
            out.write(
                f" — {persian_digits(p.added)} افزوده، {persian_digits(p.updated)} به‌روز، "
                f"{persian_digits(p.unchanged)} بی‌تغییر، {persian_digits(p.conflicts)} تعارض"
            )
        out.write("\n")
        for e in p.errors:
            out.write(f"  خطا: {e['reason']}\n")
        for w in p.warnings:
            out.write(f"  توجه: {w}\n")
    if result.batch and not args.dry_run:
        out.write(f"شناسهٔ این دسته: {result.batch} (برای برگرداندن: workbench unmerge {args.master} {result.batch})\n")
    if any(p.conflicts for p in result.packages):
        out.write(f"تعارض‌های باز را ببینید: workbench conflicts {args.master}\n")
    return 2 if result.any_refused else 0
