"""``workbench score PATH [--agency CODE] [--json]``: the score card."""
from __future__ import annotations

import json
import sys

from workbench.model.backends import database_location
from workbench.model.terms import NOT_APPLICABLE, status_label


def register(sub) -> None:
    p = sub.add_parser("score", help="کارنامهٔ امتیاز ارزیابی‌ها (score card)")
    p.add_argument("db", type=database_location, help="پایگاه داده")
    p.add_argument("--agency", help="کد دستگاه")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from workbench.model.assessments import find_agency, find_round, score_round
    from workbench.model.jalali import format_jalali
    from workbench.model.text import format_percent, persian_digits, round_percent
    from workbench.workspace.opening import unit_of_work

    with unit_of_work(args.db) as s:
        rnd = find_round(s, args.year)
        codes = None
        if args.agency:
            codes = [find_agency(s, args.agency).code]
        scored = score_round(s, rnd, codes)
    rows = []
    for item in scored:
        card = item.card
        rows.append(
            {
                "agency_code": item.agency.code,
                "agency_name": item.agency.name,
                "status": item.assessment.status,
                "evaluator": item.assessment.evaluator,
                "visit_date": item.assessment.visit_date.isoformat() if item.assessment.visit_date else None,
                "total_percent": round_percent(card.percent),
                "band": card.band.title if card.band else None,
                "indicators": {node.key: node.as_dict() for node in card.total.children},
            }
        )
    if args.json:
        # One string written in 64 KiB pieces: json.dump writes each token on its own (600,000 writes
        # for a national round).  Each piece is flushed, so a reader that left (``| head``) is met
        # here, where the command says so, and not at exit.
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        for start in range(0, len(text), 65536):
            sys.stdout.write(text[start:start + 65536])
            sys.stdout.flush()
        return 0
    out = sys.stdout
    out.write(f"دورهٔ {persian_digits(rnd.year)} — {rnd.title}\n")
    for row, item in zip(rows, scored):
        date = format_jalali(item.assessment.visit_date)
        out.write(
            f"\n{persian_digits(row['agency_code'])}  {row['agency_name']}  "
            f"[{status_label(item.assessment.status)}]  {date}\n"
            f"  امتیاز کل: {format_percent(item.card.percent)}  طبقه: {row['band'] or '—'}\n"
        )
        for node in item.card.total.children:
            out.write(f"    شاخص {persian_digits(node.key)}: {_indicator_text(node)}\n")
    return 0


def _indicator_text(node) -> str:
    """«۱۸ از ۳۰»; an indicator with nothing answered yet is not shown as a zero."""
    from workbench.model.text import format_number

    if not node.applicable:
        return NOT_APPLICABLE
    if node.answered == 0:
        return f"بی‌پاسخ (از {format_number(node.possible)})"
    return f"{format_number(node.earned)} از {format_number(node.possible)}"
