"""``workbench assign MASTER --evaluator NAME --agency CODE... [--round YEAR] --out FILE``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.model.backends import database_location


def register(sub) -> None:
    p = sub.add_parser("assign", help="واگذاری دستگاه‌ها به یک ارزیاب (فایل واگذاری)")
    p.add_argument("master", type=database_location, help="پایگاه دادهٔ اصلی سرپرست (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("--evaluator", required=True, help="نام ارزیاب")
    p.add_argument("--agency", nargs="+", required=True, metavar="CODE", help="کد دستگاه‌ها")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    p.add_argument("--out", type=Path, required=True, help="فایل واگذاری")
    p.add_argument("--by", default="", help="نام سرپرست (در فایل و سابقه می‌ماند)")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.exchange.assign import assign
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits

    with existing_database(args.master, actor=args.by) as s:
        r = assign(s, args.evaluator, args.agency, args.out, args.year, issued_by=args.by)
    if args.json:
        json.dump({"assignment": r.assignment, "evaluator": r.evaluator, "round": r.round_year, "file": str(r.path),
                   "agencies": r.agencies, "records": r.records, "evidence_files": r.evidence_files,
                   "key": r.key_fingerprint}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(
        f"واگذاری به «{r.evaluator}» در «{r.path}» نوشته شد: {persian_digits(len(r.agencies))} دستگاه، "
        f"{persian_digits(r.records)} رکورد، {persian_digits(r.evidence_files)} فایل مستند (دورهٔ {persian_digits(r.round_year)}).\n"
        f"شناسهٔ واگذاری: {r.assignment}\nاثر کلید امضای سرپرست: {r.key_fingerprint}\n"
    )
    return 0
