"""``workbench report agreement MASTER --out FILE.xlsx [--round YEAR]``: how far evaluators agree."""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.model.backends import database_location


def add_parser(kinds) -> None:
    p = kinds.add_parser("agreement", help="توافق ارزیابان در ارزیابی‌های دوگانه (کاپای کوهن)")
    p.add_argument("db", type=database_location, help="پایگاه دادهٔ اصلی (سرپرست) (فایل یا نشانی postgresql+psycopg://…)")
    p.add_argument("--out", type=Path, required=True, help="فایل xlsx خروجی")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.model.assessments import find_round
    from workbench.model.store import existing_database
    from workbench.model.text import format_number, persian_digits
    from workbench.reports.agreement_book import export_agreement, kappa_text

    with existing_database(args.db) as s:
        rnd = find_round(s, args.year)
        path, agreement = export_agreement(s, rnd, args.out)
    overall = agreement.overall
    share = "—" if overall.share is None else format_number(overall.share) + "٪"
    sys.stdout.write(
        f"گزارش توافق ارزیابان در «{path}» نوشته شد: {persian_digits(len(agreement.pairs))} جفت ارزیابی، "
        f"{persian_digits(len(overall.binary))} گویهٔ مقایسه‌شده، توافق {share}، کاپای کوهن {kappa_text(overall.kappa)}\n"
    )
    return 0
