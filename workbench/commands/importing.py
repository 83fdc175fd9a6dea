"""``workbench import DB FILE.xlsx --agency CODE [--round YEAR] [--dry-run] [--json]``.

Imports an agency's workbook (services and operational plan, tables 4 and 5)
into one round, in one transaction.  Refused: exit 2 with every error (sheet,
cell, message) and the database untouched.  The agency must already be in the
database; the round defaults to the latest.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.model.backends import database_location
from workbench.model.errors import UserError

EXIT_BAD_INPUT = 2
_NAMES = {"services": "خدمات", "table4": "جدول ۴", "table5": "جدول ۵"}


def register(sub) -> None:
    p = sub.add_parser("import", help="ورود کارپوشهٔ دستگاه: خدمات و برنامهٔ عملیاتی، جدول‌های ۴ و ۵")
    p.add_argument("db", type=database_location, help="پایگاه داده")
    p.add_argument("file", type=Path, help="فایل xlsx دستگاه")
    p.add_argument("--agency", required=True, help="کد دستگاهی که فایل از آنِ اوست")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    p.add_argument("--dry-run", action="store_true", help="فقط بررسی و پیش‌نمایش؛ چیزی نوشته نمی‌شود")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.imports.findings import Finding, ImportRefused
    from workbench.imports.importer import import_workbook
    from workbench.model.assessments import find_agency, find_round
    from workbench.model.problems import storage_problem
    from workbench.model.store import open_store

    try:
        if not args.file.exists():
            raise UserError(f"فایل «{args.file}» وجود ندارد")
        store = open_store(args.db, actor=_actor(), create=False)
    except UserError as exc:
        if not args.json:
            raise
        _refusal(ImportRefused([Finding("", "", exc.message)]), True)  # scripts read JSON either way
        return EXIT_BAD_INPUT
    if store.read_only and not args.dry_run:
        from workbench.model.file_access import cannot_write_reason
        from workbench.model.problems import path_text

        store.close()
        message = (f"پایگاه دادهٔ «{path_text(args.db)}» نوشتنی نیست ({cannot_write_reason(store.read_only_because)})؛ "
                   "چیزی نوشته نشد. آن را به جای نوشتنی ببرید یا با ‎--dry-run‎ فقط بررسی کنید.")
        if not args.json:
            raise UserError(message)
        _refusal(ImportRefused([Finding("", "", message)]), True)
        return EXIT_BAD_INPUT
    session = store.new_session()
    try:
        rnd = find_round(session, args.year)
        agency = find_agency(session, args.agency)
        final = _final_assessment(session, rnd, agency)
        summary = import_workbook(session, args.file, rnd, agency, dry_run=args.dry_run)
        if final:
            # The window asks before this; a command cannot, so it says so where scripts look.
            summary["warnings"].insert(0, Finding("", "", FINAL_WARNING.format(name=agency.name)).as_dict())
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
    except ImportRefused as refused:
        session.rollback()
        _refusal(refused, args.json)
        return EXIT_BAD_INPUT
    except UserError as exc:  # no such round or agency
        session.rollback()
        if not args.json:
            raise
        _refusal(ImportRefused([Finding("", "", exc.message)]), True)
        return EXIT_BAD_INPUT
    except Exception as exc:
        session.rollback()
        problem = storage_problem(exc, args.db)
        if not (problem and args.json):
            raise  # the command line says it, or it is a real failure
        _refusal(ImportRefused([Finding("", "", problem)]), True)  # a busy or full database, as JSON too
        return EXIT_BAD_INPUT
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        store.close()
    _success(summary, args.json)
    return 0


FINAL_WARNING = (
    "ارزیابی «{name}» نهایی شده است؛ این کارپوشه فهرست خدمات و جدول‌های ۴ و ۵ آن را جایگزین می‌کند "
    "و امتیاز این ارزیابی نهایی را تغییر می‌دهد"
)


def _final_assessment(session, rnd, agency) -> bool:
    from sqlalchemy import select

    from workbench.model.schema import Assessment

    status = session.scalar(
        select(Assessment.status).where(Assessment.round_uuid == rnd.uuid, Assessment.agency_uuid == agency.uuid)
    )
    return status == "final"


def _actor() -> str:
    """Who the audit trail names for the import: the name given in the window, else the login name."""
    import getpass

    from workbench.paths import evaluator_name

    if evaluator_name():
        return evaluator_name()
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): leave it blank
        return ""


def _refusal(refused, as_json: bool) -> None:
    if as_json:
        json.dump({"errors": [e.as_dict() for e in refused.errors]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from workbench.model.text import persian_digits

    sys.stderr.write(f"فایل پذیرفته نشد؛ {persian_digits(len(refused.errors))} خطا، و پایگاه داده تغییری نکرد:\n")
    from workbench.model.text import close_bidi

    for error in refused.errors:
        sys.stderr.write(f"  {close_bidi(str(error))}\n")  # a sheet's name may open a direction


def _success(summary: dict, as_json: bool) -> None:
    if as_json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from workbench.imports.findings import Finding
    from workbench.model.text import persian_digits as fa

    out = sys.stdout
    done = "بررسی شد (آزمایشی؛ چیزی نوشته نشد)" if summary["dry_run"] else "وارد شد"
    out.write(f"فایل دستگاه {fa(summary['agency'])} برای دورهٔ {fa(summary['round'])} {done}.\n")
    for key, name in _NAMES.items():
        out.write(
            f"  {name}: {fa(summary[key])} ردیف — افزوده {fa(summary['added'][key])}، "
            f"تغییریافته {fa(summary['changed'][key])}، حذف‌شده {fa(summary['removed'][key])}، "
            f"بی‌تغییر {fa(summary['kept'][key])}\n"
        )
    out.write(f"  کنترل‌های ارزیاب روی خدمات که ماندند: {fa(summary['judgements_kept'])}\n")
    if summary["judgements_unmatched"]:
        out.write(
            f"  کنترل‌های ارزیاب روی خدماتی که دیگر در فهرست نیستند (نگه داشته شدند ولی شمرده نمی‌شوند): "
            f"{fa(summary['judgements_unmatched'])}\n"
        )
    if summary["verdicts_kept"] or summary["verdicts_dropped"]:
        out.write(
            f"  رأی ارزیاب روی ردیف‌های جدول ۴ و ۵: {fa(summary['verdicts_kept'])} ماند، "
            f"{fa(summary['verdicts_dropped'])} با حذف ردیف از میان رفت\n"
        )
    if summary["warnings"]:
        out.write(f"  هشدارها ({fa(len(summary['warnings']))}):\n")
        for w in summary["warnings"]:
            out.write(f"    {Finding(**w)}\n")  # «sheet!cell: message», or the message alone for the whole file
