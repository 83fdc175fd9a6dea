"""``workbench receive FILE [--db EVAL.sqlite]``: an assignment into the evaluator's database."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("receive", help="دریافت فایل واگذاری در پایگاه دادهٔ ارزیاب")
    p.add_argument("file", type=Path, help="فایل واگذاری")
    p.add_argument("--db", type=Path, dest="eval_db", help="پایگاه دادهٔ ارزیاب (پیش‌فرض: پایگاه دادهٔ خود شما)")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.exchange.receive import receive
    from workbench.model.store import open_store
    from workbench.model.text import persian_digits
    from workbench.paths import default_database_path

    path = args.eval_db or default_database_path()
    store = open_store(path)
    try:
        with store.session() as s:
            r = receive(s, args.file)
    finally:
        store.close()
    if args.json:
        json.dump({"assignment": r.assignment, "evaluator": r.evaluator, "round": r.round_year, "db": str(path),
                   "agencies": r.agencies, "added": r.added, "kept": r.kept, "evidence_files": r.evidence_files,
                   "already_received": r.already_received, "warnings": r.warnings},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if r.already_received:
        sys.stdout.write(f"این واگذاری پیش‌تر در «{path}» دریافت شده است؛ چیزی تغییر نکرد.\n")
        return 0
    for w in r.warnings:
        sys.stderr.write(f"هشدار: {w}\n")
    sys.stdout.write(
        f"واگذاری به «{r.evaluator}» در «{path}» دریافت شد: {persian_digits(len(r.agencies))} دستگاه، "
        f"{persian_digits(r.added)} رکورد افزوده، {persian_digits(r.kept)} رکورد از کار خود شما دست‌نخورده، "
        f"{persian_digits(r.evidence_files)} فایل مستند.\n"
    )
    return 0
