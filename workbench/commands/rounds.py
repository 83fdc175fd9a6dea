"""``workbench round new|list``: open a round (from the last one) and list the rounds."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.model.backends import database_location
from workbench.model.terms import STATUS_LABELS


def register(sub) -> None:
    rounds = sub.add_parser("round", help="دوره‌ها: گشودن دورهٔ تازه، فهرست دوره‌ها")
    kinds = rounds.add_subparsers(dest="round_command", required=True)

    new = kinds.add_parser("new", help="گشودن دورهٔ تازه با چارچوب آن")
    new.add_argument("db", type=database_location, help="پایگاه داده")
    new.add_argument("--round", type=int, dest="year", required=True, help="سال دورهٔ تازه، مانند ۱۴۰۴")
    new.add_argument("--framework", type=Path, required=True, help="فایل چارچوب (JSON) این دوره")
    new.add_argument("--from", type=int, dest="from_year",
                     help="سال دوره‌ای که خدمات و برنامهٔ عملیاتی دستگاه‌ها از آن آورده شود")
    new.add_argument("--title", default="", help="عنوان دوره (پیش‌فرض: عنوان چارچوب)")
    new.set_defaults(run=run_new)

    listing = kinds.add_parser("list", help="فهرست دوره‌ها با چارچوب و شمار ارزیابی‌ها")
    listing.add_argument("db", type=database_location, help="پایگاه داده")
    listing.add_argument("--json", action="store_true", help="خروجی JSON")
    listing.set_defaults(run=run_list)


def run_new(args) -> int:
    from workbench.model.errors import FrameworkError, UserError
    from workbench.model.framework import load_framework
    from workbench.model.rounds import open_round
    from workbench.model.store import existing_database
    from workbench.model.text import ascii_digits, format_number, persian_digits

    try:
        framework = load_framework(args.framework)
        year = int(ascii_digits(str(args.year)))
        with existing_database(args.db) as s:
            opened = open_round(s, year, framework, args.from_year, args.title.strip())
            title = opened.round.title
    except FrameworkError as exc:
        from workbench.workspace.rounds import framework_refusal

        raise UserError(framework_refusal(args.framework, exc)) from exc
    out = sys.stdout
    out.write(f"دورهٔ {persian_digits(year)} گشوده شد: {title} (چارچوب {framework.id}، نسخهٔ "
              f"{persian_digits(framework.version)})\n")
    if args.from_year is not None:
        out.write(
            f"از دورهٔ {persian_digits(args.from_year)}: {format_number(opened.services)} خدمت با برنامهٔ عملیاتی "
            f"آورده شد و {format_number(opened.assessments)} ارزیابی تازهٔ پیش‌نویس باز شد؛ پاسخ‌ها، کنترل‌ها، "
            "مستندات و جدول‌های ۴ و ۵ آورده نمی‌شوند. دستگاه‌ها می‌توانند با ورود کارپوشهٔ تازه خدمات را اصلاح کنند.\n"
        )
    for kept_year, n in sorted(opened.agencies_kept.items()):
        out.write(f"مشخصات {format_number(n)} دستگاه در دورهٔ {persian_digits(kept_year)} همان‌گونه که بود نگه داشته شد.\n")
    return 0


def run_list(args) -> int:
    from workbench.model.rounds import list_rounds
    from workbench.model.store import existing_database
    from workbench.model.text import format_number, persian_digits

    with existing_database(args.db) as s:
        rounds = list_rounds(s)
    if args.json:
        json.dump([r.as_dict() for r in rounds], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    if not rounds:
        out.write("این پایگاه داده هیچ دوره‌ای ندارد.\n")
    for r in rounds:
        states = "، ".join(f"{format_number(r.statuses[k])} {v}" for k, v in STATUS_LABELS.items())
        out.write(
            f"دورهٔ {persian_digits(r.year)} — {r.title}\n"
            f"  چارچوب: {r.framework_id} نسخهٔ {persian_digits(r.framework_version)} "
            f"(SHA-256 {r.framework_sha256[:12]}…)\n"
            f"  {format_number(r.agencies)} دستگاه، {format_number(r.services)} خدمت؛ ارزیابی‌ها: {states}\n"
        )
    return 0
