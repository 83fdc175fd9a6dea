"""``workbench demo PATH [--agencies N] [--seed S]``: build a realistic demo database."""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("demo", help="ساخت پایگاه داده نمونه (demo database)")
    p.add_argument("db", type=Path, help="فایل پایگاه داده تازه")
    p.add_argument("--agencies", type=int, default=12, help="تعداد دستگاه‌ها (پیش‌فرض ۱۲)")
    p.add_argument("--seed", type=int, default=1403, help="بذر تصادفی؛ بذر یکسان داده یکسان می‌سازد")
    p.add_argument("--rounds", type=int, default=1, help="شمار دوره‌ها، ۱ تا ۳ (پیش‌فرض ۱: فقط ۱۴۰۳)")
    p.set_defaults(run=run)


def run(args) -> int:
    from sqlalchemy import func, select

    from workbench.demo.build import build_demo
    from workbench.demo.rounds import MAX_ROUNDS, add_earlier_rounds
    from workbench.model.errors import UserError
    from workbench.model.schema import Agency, Assessment, Service
    from workbench.model.store import open_store
    from workbench.model.terms import STATUS_LABELS
    from workbench.model.text import persian_digits

    if not 1 <= args.rounds <= MAX_ROUNDS:
        raise UserError(f"تعداد دوره‌های نمونه باید بین ۱ و ۳ باشد، نه {args.rounds}")
    path = build_demo(args.db, agencies=args.agencies, seed=args.seed)
    try:
        earlier = add_earlier_rounds(path, args.rounds, args.seed)
    except BaseException:
        from workbench.demo.build import _remove_database

        _remove_database(path)
        raise
    store = open_store(path, create=False)
    try:
        with store.session() as s:
            agencies = s.scalar(select(func.count()).select_from(Agency))
            services = s.scalar(select(func.count()).select_from(Service))
            by_status = {status: n for status, n in s.execute(select(Assessment.status, func.count()).group_by(Assessment.status))}
    finally:
        store.close()
    states = "، ".join(f"{persian_digits(by_status.get(k, 0))} {v}" for k, v in STATUS_LABELS.items())
    sys.stdout.write(
        f"پایگاه داده نمونه ساخته شد: {path}\n"
        f"{persian_digits(agencies)} دستگاه، {persian_digits(services)} خدمت؛ ارزیابی‌ها: {states}\n"
    )
    if earlier:
        sys.stdout.write(f"دوره‌های پیشین: {'، '.join(persian_digits(y) for y in earlier)} (ارزیابی‌های نهایی، بی‌فایل مستند)\n")
    return 0
