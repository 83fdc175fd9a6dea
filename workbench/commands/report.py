"""``workbench report tables45|ranking|summary|na``: what leaves the workbench.

Works with no display: the PDF summary renders through Qt's offscreen platform.
Each report module under ``workbench.reports`` provides ``run_cli(args) -> int``.
"""
from __future__ import annotations

import importlib
from pathlib import Path


def _runner(module: str):
    def run(args) -> int:
        return importlib.import_module(f"workbench.reports.{module}").run_cli(args)

    return run


def register(sub) -> None:
    report = sub.add_parser("report", help="گزارش‌ها: جدول‌های ۴ و ۵، رتبه‌بندی، خلاصهٔ ارزیابی، عدم مصداق‌ها")
    kinds = report.add_subparsers(dest="report", required=True)

    t45 = kinds.add_parser("tables45", help="جدول‌های ۴ و ۵ در Excel")
    t45.add_argument("db", type=Path)
    t45.add_argument("--out", type=Path, required=True, help="فایل xlsx خروجی")
    t45.add_argument("--agency", help="کد دستگاه (پیش‌فرض: همهٔ دستگاه‌های دوره)")
    t45.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    t45.set_defaults(run=_runner("tables45"))

    rank = kinds.add_parser("ranking", help="رتبه‌بندی دستگاه‌ها با نمودار")
    rank.add_argument("db", type=Path)
    rank.add_argument("--out", type=Path, required=True, help="پوشهٔ خروجی")
    rank.add_argument("--round", type=int, dest="year")
    rank.add_argument(
        "--group", choices=("national", "provincial", "province", "parent"), help="گروه‌بندی رتبه‌بندی"
    )
    rank.set_defaults(run=_runner("ranking"))

    summ = kinds.add_parser("summary", help="خلاصهٔ چاپی ارزیابی (PDF)")
    summ.add_argument("db", type=Path)
    who = summ.add_mutually_exclusive_group(required=True)
    who.add_argument("--agency", help="کد دستگاه")
    who.add_argument("--all", action="store_true", help="همهٔ دستگاه‌های دوره (خروجی: پوشه)")
    summ.add_argument("--out", type=Path, required=True, help="فایل PDF یا، با --all، پوشه")
    summ.add_argument("--round", type=int, dest="year")
    summ.set_defaults(run=_runner("summary"))

    na = kinds.add_parser("na", help="همهٔ عدم مصداق‌های یک دوره با دلیل و قاعدهٔ راهنما (Excel)")
    na.add_argument("db", type=Path)
    na.add_argument("--out", type=Path, required=True, help="فایل xlsx خروجی")
    na.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    na.set_defaults(run=_runner("na_report"))
