"""``workbench weights DB [--round YEAR] [--set KEY=POINTS ...] [--clear KEY ...]``.

A supervisor's override of indicators' points for one round.  Without
``--set``/``--clear`` it lists every indicator's points and where they come
from (the guide, an assumption, or an override).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.model.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("weights", help="امتیاز شاخص‌ها در یک دوره (نمایش و تغییر)")
    p.add_argument("db", type=Path, help="پایگاه داده")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=POINTS", help="امتیاز تازهٔ یک شاخص")
    p.add_argument("--clear", action="append", default=[], metavar="KEY", help="بازگشت به امتیاز چارچوب")
    p.add_argument("--reason", default="", help="دلیل تغییر (در سابقهٔ تغییرات می‌ماند)")
    p.add_argument("--json", action="store_true", help="خروجی JSON")
    p.set_defaults(run=run)


def _parse_setting(text: str) -> tuple[str, float]:
    from workbench.model.text import ascii_digits

    key, sep, value = ascii_digits(text).replace("٫", ".").partition("=")
    try:
        if not sep:
            raise ValueError
        return key.strip(), float(value)
    except ValueError:
        raise UserError(f"«{text}» به شکل «شمارهٔ شاخص=امتیاز» نیست (مثلاً 1=40)") from None


def run(args) -> int:
    from workbench.model.assessments import find_round, round_framework, set_weight_override
    from workbench.model.framework import parse_framework
    from workbench.model.text import format_number, persian_digits
    from workbench.workspace.opening import unit_of_work

    changes = [_parse_setting(t) for t in args.set] + [(k.strip(), None) for k in args.clear]
    with unit_of_work(args.db) as s:
        rnd = find_round(s, args.year)
        for key, points in changes:
            set_weight_override(s, rnd, key, points, args.reason)
        s.flush()
        base = parse_framework(rnd.framework_text)
        effective = round_framework(s, rnd)
        rows = [
            {
                "indicator": ind.key,
                "title": ind.title,
                "points": ind.points,
                "framework_points": base.indicator(ind.key).points,
                "source": ind.weight.source,
                "note": ind.weight.assumption,
            }
            for ind in effective.indicators
        ]
    if args.json:
        json.dump({"round": rnd.year, "indicators": rows}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    labels = {"guide": "راهنما", "assumed": "فرضی", "override": "تعیین سرپرست"}
    sys.stdout.write(f"امتیاز شاخص‌ها در دورهٔ {persian_digits(rnd.year)}\n")
    for r in rows:
        changed = "" if r["source"] != "override" else f" (در چارچوب: {format_number(r['framework_points'])})"
        sys.stdout.write(
            f"  شاخص {persian_digits(r['indicator'])}: {format_number(r['points'])}{changed}"
            f" — {labels.get(r['source'], r['source'])} — {r['title']}\n"
        )
    total = sum(r["points"] for r in rows)
    sys.stdout.write(f"  جمع: {format_number(total)}\n")
    return 0
