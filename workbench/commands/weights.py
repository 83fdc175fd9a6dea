"""``workbench weights DB [--round YEAR] [--set KEY=POINTS] [--clear KEY] [--split MEASURE=P1,P2,…]
[--clear-split MEASURE] [--bands NAME=MIN,…] [--clear-bands] [--reason TEXT] [--json]``.

A supervisor's settings of one round: an indicator's points, how a measure's
points divide among its items (indicator 7's parts: ``--split 7.1=4,4,3,3,3,3``)
and the classification bands (``--bands "عالی=85،خوب=70،متوسط=50،ضعیف=30،بسیار ضعیف=0"``).
Every change is a tracked row, so it is in the audit trail with who and when.
Without a change it lists every indicator's points, the splits and the bands,
and where each comes from (the guide, an assumption, or the supervisor).
"""
from __future__ import annotations

import json
import sys

from workbench.model.backends import database_location
from workbench.model.errors import UserError

LABELS = {"guide": "راهنما", "assumed": "فرضی", "override": "تعیین سرپرست"}


def register(sub) -> None:
    p = sub.add_parser("weights", help="امتیاز شاخص‌ها، تقسیم امتیاز موارد و طبقه‌ها در یک دوره (نمایش و تغییر)")
    p.add_argument("db", type=database_location, help="پایگاه داده")
    p.add_argument("--round", type=int, dest="year", help="سال دوره (پیش‌فرض: آخرین دوره)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=POINTS", help="امتیاز تازهٔ یک شاخص")
    p.add_argument("--clear", action="append", default=[], metavar="KEY", help="بازگشت به امتیاز چارچوب")
    p.add_argument("--split", action="append", default=[], metavar="MEASURE=P1,P2,…",
                   help="تقسیم امتیاز یک نماگر میان موارد آن (مثلاً 7.1=4,4,3,3,3,3)")
    p.add_argument("--clear-split", action="append", default=[], metavar="MEASURE", help="بازگشت به تقسیم چارچوب")
    p.add_argument("--bands", metavar="NAME=MIN,…", help="طبقه‌های این دوره از بالا به پایین (آخرین از ۰)")
    p.add_argument("--clear-bands", action="store_true", help="بازگشت به طبقه‌های چارچوب")
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


def _parse_split(text: str) -> tuple[str, list[float]]:
    from workbench.model.text import ascii_digits

    key, sep, values = ascii_digits(text).replace("٫", ".").replace("،", ",").partition("=")
    try:
        if not sep:
            raise ValueError
        return key.strip(), [float(v) for v in values.split(",")]
    except ValueError:
        raise UserError(f"«{text}» به شکل «نماگر=امتیاز۱,امتیاز۲,…» نیست (مثلاً 7.1=4,4,3,3,3,3)") from None


def run(args) -> int:
    from workbench.model.assessments import find_round, round_framework, set_weight_override
    from workbench.model.assumptions import round_assumptions
    from workbench.model.framework import parse_framework
    from workbench.model.round_weights import set_bands, set_split
    from workbench.workspace.opening import unit_of_work

    changes = [_parse_setting(t) for t in args.set] + [(k.strip(), None) for k in args.clear]
    splits = [_parse_split(t) for t in args.split] + [(k.strip(), None) for k in args.clear_split]
    with unit_of_work(args.db) as s:
        rnd = find_round(s, args.year)
        for key, points in changes:
            set_weight_override(s, rnd, key, points, args.reason)
        for key, points in splits:
            set_split(s, rnd, key, points, args.reason)
        if args.bands is not None or args.clear_bands:
            set_bands(s, rnd, None if args.clear_bands else args.bands, args.reason)
        s.flush()
        base = parse_framework(rnd.framework_text)
        effective = round_framework(s, rnd)
        assumed = round_assumptions(s, rnd, effective)
        rows = [_indicator_row(ind, base) for ind in effective.indicators]
        bands = [{"key": b.key, "title": b.title, "min": b.minimum} for b in effective.bands]
        bands_source = effective.bands_source
    if args.json:
        json.dump({"round": rnd.year, "indicators": rows, "bands": bands, "bands_source": bands_source,
                   "assumptions": {"line": assumed.line, "notes": list(assumed.notes)}},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print(rnd, rows, bands, bands_source)
    return 0


def _indicator_row(ind, base) -> dict:
    return {
        "indicator": ind.key,
        "title": ind.title,
        "points": ind.points,
        "framework_points": base.indicator(ind.key).points,
        "source": ind.weight.source,
        "note": ind.weight.assumption,
        "items": [
            {"item": it.key, "points": it.points, "framework_points": base.node(it.key).points,
             "source": it.weight.source}
            for m in ind.measures for it in m.items
        ],
    }


def _print(rnd, rows, bands, bands_source) -> None:
    from workbench.model.text import format_number, persian_digits

    out = sys.stdout
    out.write(f"امتیاز شاخص‌ها در دورهٔ {persian_digits(rnd.year)}\n")
    for r in rows:
        changed = "" if r["source"] != "override" else f" (در چارچوب: {format_number(r['framework_points'])})"
        out.write(
            f"  شاخص {persian_digits(r['indicator'])}: {format_number(r['points'])}{changed}"
            f" — {LABELS.get(r['source'], r['source'])} — {r['title']}\n"
        )
        if len(r["items"]) > 1 and any(i["source"] != "guide" for i in r["items"]):
            parts = "، ".join(f"{persian_digits(i['item'])}: {format_number(i['points'])}" for i in r["items"])
            kinds = {LABELS.get(i["source"], i["source"]) for i in r["items"]}
            out.write(f"    موارد ({'، '.join(sorted(kinds))}): {parts}\n")
    out.write(f"  جمع: {format_number(sum(r['points'] for r in rows))}\n")
    shown = "، ".join(f"{b['title']} از {format_number(b['min'])}٪" for b in bands)
    out.write(f"طبقه‌ها ({LABELS.get(bands_source, bands_source)}): {shown}\n")
