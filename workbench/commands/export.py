"""``workbench export EVAL.sqlite --out FILE [--round YEAR]``: the evaluator's signed package."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("export", help="بستهٔ کار ارزیاب برای سرپرست (امضاشده)")
    p.add_argument("db", type=Path, help="پایگاه دادهٔ ارزیاب")
    p.add_argument("--out", type=Path, required=True, help="فایل بسته")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دورهٔ واگذارشده)")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.exchange.export import export
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits

    with existing_database(args.db) as s:
        r = export(s, args.out, args.year)
    if args.json:
        json.dump({"file": str(r.path), "evaluator": r.evaluator, "device": r.device, "sequence": r.sequence,
                   "round": r.round_year, "agencies": r.agencies, "records": r.records, "tombstones": r.tombstones,
                   "evidence_files": r.evidence_files, "unchanged": r.unchanged, "key": r.key_fingerprint},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    same = " (از بستهٔ پیشین تغییری نکرده است)" if r.unchanged else ""
    sys.stdout.write(
        f"بستهٔ «{r.evaluator}» در «{r.path}» نوشته شد{same}: شمارهٔ {persian_digits(r.sequence)}، "
        f"{persian_digits(len(r.agencies))} دستگاه، {persian_digits(r.records)} رکورد، "
        f"{persian_digits(r.tombstones)} حذف، {persian_digits(r.evidence_files)} فایل مستند.\n"
        f"اثر کلید امضای این دستگاه: {r.key_fingerprint}\n"
    )
    return 0
