"""``workbench report tables45|ranking|summary|na|agreement|trend``: what leaves the workbench.

The command line's side only: each command finds the round and the agency,
calls the report maker in ``workbench.reports`` and says what was written.
Works with no display: the PDF summary renders through Qt's offscreen platform.
"""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.model.backends import database_location
from workbench.model.terms import GROUPINGS


def register(sub) -> None:
    report = sub.add_parser("report", help="گزارش‌ها: جدول‌های ۴ و ۵، رتبه‌بندی، خلاصهٔ ارزیابی، عدم مصداق‌ها")
    kinds = report.add_subparsers(dest="report", required=True)

    t45 = kinds.add_parser("tables45", help="جدول‌های ۴ و ۵ در Excel")
    t45.add_argument("db", type=database_location)
    t45.add_argument("--out", type=Path, required=True, help="فایل xlsx خروجی")
    t45.add_argument("--agency", help="کد دستگاه (پیش‌فرض: همهٔ دستگاه‌های دوره)")
    t45.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    t45.set_defaults(run=run_tables45)

    rank = kinds.add_parser("ranking", help="رتبه‌بندی دستگاه‌ها با نمودار")
    rank.add_argument("db", type=database_location)
    rank.add_argument("--out", type=Path, required=True, help="پوشهٔ خروجی")
    rank.add_argument("--round", type=int, dest="year")
    rank.add_argument("--group", choices=[g for g in GROUPINGS if g is not None], help="گروه‌بندی رتبه‌بندی")
    rank.add_argument("--svg", action="store_true", help="نمودارها به‌صورت SVG نیز (کنار PNG)")
    rank.set_defaults(run=run_ranking)

    summ = kinds.add_parser("summary", help="خلاصهٔ چاپی ارزیابی (PDF)")
    summ.add_argument("db", type=database_location)
    who = summ.add_mutually_exclusive_group(required=True)
    who.add_argument("--agency", help="کد دستگاه")
    who.add_argument("--all", action="store_true", help="همهٔ دستگاه‌های دوره (خروجی: پوشه)")
    summ.add_argument("--out", type=Path, required=True, help="فایل PDF یا، با --all، پوشه")
    summ.add_argument("--round", type=int, dest="year")
    summ.set_defaults(run=run_summary)

    na = kinds.add_parser("na", help="همهٔ عدم مصداق‌های یک دوره با دلیل و قاعدهٔ راهنما، "
                                         "و ناهمخوانی داوری‌ها با شناسنامهٔ خدمات (Excel)")
    na.add_argument("db", type=database_location)
    na.add_argument("--out", type=Path, required=True, help="فایل xlsx خروجی")
    na.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    na.set_defaults(run=run_na)

    from workbench.commands import agreement

    agreement.add_parser(kinds)

    trend = kinds.add_parser("trend", help="روند دستگاه‌ها در دوره‌ها: کارپوشه و نمودارها")
    trend.add_argument("db", type=database_location)
    trend.add_argument("--out", type=Path, required=True, help="پوشهٔ خروجی")
    trend.add_argument("--rounds", help="سال دوره‌ها، جداشده با ویرگول (پیش‌فرض: همهٔ دوره‌ها)")
    trend.add_argument("--group", choices=("level", "all", "national", "provincial", "province", "parent"),
                       help="گروه‌بندی (پیش‌فرض level: ملی و استانی جدا)")
    trend.add_argument("--agency", action="append", help="کد دستگاهی که نمودار شاخص‌هایش کشیده شود (تکرارپذیر)")
    trend.set_defaults(run=run_trend)


def run_tables45(args) -> int:
    """``workbench report tables45 DB --out FILE.xlsx [--agency CODE] [--round YEAR]``."""
    from workbench.model.assessments import find_agency, find_round
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits
    from workbench.reports.tables45 import export_tables45_counted

    with existing_database(args.db) as s:
        rnd = find_round(s, args.year)
        agency = find_agency(s, args.agency) if args.agency else None
        result = export_tables45_counted(s, rnd, Path(args.out), agency)
    sys.stdout.write(
        f"جدول‌های ۴ و ۵ در «{result.path}» نوشته شد: "
        f"{persian_digits(result.table4_rows)} ردیف جدول ۴ و {persian_digits(result.table5_rows)} ردیف جدول ۵\n"
    )
    return 0


def run_ranking(args) -> int:
    """``workbench report ranking DB --out DIR [--round YEAR] [--group ...] [--svg]``."""
    from workbench.model.assessments import find_round
    from workbench.model.store import existing_database
    from workbench.model.text import format_number
    from workbench.reports.ranking import CHARTS_DIR, export_ranking
    from workbench.reports.ranking_conflicts import CONFLICTS_SHEET

    with existing_database(args.db) as s:
        rnd = find_round(s, args.year)
        result = export_ranking(s, rnd, Path(args.out), getattr(args, "group", None), svg=args.svg)
    if result.conflicts:
        sys.stderr.write(f"هشدار: {format_number(len(result.conflicts))} تعارض ادغام در این دوره باز است؛ "
                         f"امتیازها ممکن است تغییر کنند. فهرستشان در برگهٔ «{CONFLICTS_SHEET}» آمده است.\n")
    sys.stdout.write(
        f"رتبه‌بندی در «{result.workbook}» نوشته شد: {format_number(len(result.groups))} گروه، "
        f"{format_number(result.ranked_count)} دستگاه رتبه‌بندی‌شده، "
        f"{format_number(result.pending_count)} ارزیابی نهایی‌نشده (جدا و بدون رتبه)؛ "
        f"{format_number(len(result.charts))} فایل نمودار در «{result.workbook.parent / CHARTS_DIR}»\n"
    )
    return 0


def run_summary(args) -> int:
    """``workbench report summary DB (--agency CODE | --all) --out PATH [--round YEAR]``."""
    from sqlalchemy import select

    from workbench.model.assessments import find_agency, find_round
    from workbench.model.errors import UserError
    from workbench.model.schema import Assessment
    from workbench.model.store import existing_database
    from workbench.model.text import close_bidi, persian_digits
    from workbench.reports.summary import ensure_gui_app, pdf_name, write_all, write_summary_pdf

    with existing_database(args.db) as s:
        rnd = find_round(s, args.year)
        # Qt only once the input is known to be good: a refusal needs none.
        ensure_gui_app()
        if args.all:
            def report(done: int, total: int, _name: str) -> None:
                if done and (done % 50 == 0 or done == total):
                    sys.stderr.write(f"{persian_digits(done)} از {persian_digits(total)}\n")

            from workbench.reports.summary_batch import default_workers
            from workbench.reports.summary_source import count_round

            workers = default_workers(count_round(s, rnd))
            written = write_all(s, rnd, Path(args.out), progress=report, workers=workers)
            sys.stdout.write(f"{persian_digits(len(written))} خلاصهٔ ارزیابی در «{args.out}» نوشته شد\n")
            return 0
        agency = find_agency(s, args.agency)
        assessment = s.scalar(
            select(Assessment).where(Assessment.round_uuid == rnd.uuid, Assessment.agency_uuid == agency.uuid)
        )
        if assessment is None:
            raise UserError(f"دستگاه «{agency.name}» ({agency.code}) در دورهٔ {rnd.year} ارزیابی ندارد")
        out = Path(args.out)
        if out.is_dir():
            out = out / pdf_name(agency.code)
        elif out.suffix.lower() != ".pdf":
            # Whatever file is there would be replaced: only ever a PDF.
            raise UserError(f"فایل خروجی «{out}» باید پسوند ‎.pdf داشته باشد (یا پوشه‌ای باشد)")
        if not out.parent.is_dir():
            raise UserError(f"پوشهٔ «{out.parent}» برای فایل خروجی وجود ندارد")
        pages = write_summary_pdf(s, assessment, out)
        from workbench.model.round_details import agency_in_round

        name = agency_in_round(s, rnd.uuid, agency).name  # an earlier round's name, as its summary prints it
    sys.stdout.write(f"خلاصهٔ ارزیابی «{close_bidi(name)}» در {persian_digits(pages)} صفحه: {out}\n")
    return 0


def run_na(args) -> int:
    """``workbench report na DB --out FILE.xlsx [--round YEAR]``."""
    from workbench.model.assessments import find_round
    from workbench.model.store import existing_database
    from workbench.model.text import persian_digits
    from workbench.reports.na_report import export_na

    with existing_database(args.db) as s:
        rnd = find_round(s, args.year)
        result = export_na(s, rnd, Path(args.out))
    sys.stdout.write(
        f"عدم مصداق‌های دورهٔ {persian_digits(rnd.year)} در «{result.path}» نوشته شد: "
        f"{persian_digits(result.rows)} ردیف، {persian_digits(result.violations)} خلاف قاعده، "
        f"{persian_digits(result.disagreements)} ناهمخوانی داوری با شناسنامه\n"
    )
    return 0


def run_trend(args) -> int:
    """``workbench report trend DB --out DIR [--rounds 1402,1403] [--group ...] [--agency CODE ...]``."""
    from workbench.model.store import existing_database
    from workbench.model.text import format_number, persian_digits
    from workbench.reports.trend import CHARTS_DIR, export_trend, parse_years

    years = parse_years(args.rounds)
    with existing_database(args.db) as s:
        result = export_trend(s, Path(args.out), years, args.group or "level", args.agency)
    compared = sum(1 for g in result.groups for ln in g.lines if ln.change is not None)
    sys.stdout.write(
        f"روند دوره‌های {'، '.join(persian_digits(y) for y in result.years)} در «{result.workbook}» نوشته شد: "
        f"{format_number(len(result.groups))} گروه، {format_number(compared)} دستگاه نهایی در هر دو دورهٔ آخر؛ "
        f"{format_number(len(result.charts))} فایل نمودار در «{result.workbook.parent / CHARTS_DIR}»\n"
    )
    return 0
