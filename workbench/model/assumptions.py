"""What a published output must say is assumed: weights, bands and scoring rules not in the guide, and the supervisor's.

:func:`round_assumptions` gives one short line (for a title block, a page, a
chart's foot) and the notes behind it: every indicator whose points, or whose
parts' points, are the workbench's assumption, with the reason from the
framework file; every weight or split a supervisor set for the round, with who,
when and why (from the tracked rows, also in the audit trail); and whether the
bands are assumed or the supervisor's; and every item whose rule from its parts to its points (a
checklist, a per-service item, indicator 5's six steps, which planned services indicator 3 counts) the
guide leaves open.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.framework import Framework
from workbench.model.schema import BandSet, Round, WeightOverride
from workbench.model.text import format_number, persian_digits

WHERE_SET = "سرپرست با فرمان «workbench weights» برای این دوره تعیین کرده است"


@dataclass(frozen=True)
class Assumptions:
    line: str
    notes: tuple[str, ...]
    assumed_points: float
    total_points: float


def _indicators(keys: list[str]) -> str:
    return ("شاخص " if len(keys) == 1 else "شاخص‌های ") + _keys_text(keys)


def _keys_text(keys: list[str]) -> str:
    keys = [persian_digits(k) for k in keys]
    return keys[0] if len(keys) == 1 else "، ".join(keys[:-1]) + " و " + keys[-1]


def describe(framework: Framework, overrides: list | None = None, band_set=None) -> Assumptions:
    """The assumptions of ``framework`` as the round scores with it (``overrides``/``band_set``: the rows)."""
    assumed, set_by_supervisor, notes = [], [], []
    assumed_points = 0.0
    for ind in framework.indicators:
        nodes = [ind, *ind.measures, *(it for m in ind.measures for it in m.items)]
        if any(n.weight.source == "override" for n in nodes):
            set_by_supervisor.append(ind.key)  # its points, or how they divide among its items
        if any(n.weight.assumed for n in nodes):
            assumed.append(ind.key)
            assumed_points += ind.points
            reason = ind.weight.assumption or next(n.weight.assumption for n in nodes if n.weight.assumed)
            notes.append(
                f"شاخص {persian_digits(ind.key)} ({format_number(ind.points)} امتیاز): فرضی — {persian_digits(reason)}"
            )
    for row in sorted(overrides or [], key=lambda r: r.indicator_key):
        what = "تقسیم امتیاز مورد" if "." in row.indicator_key else "امتیاز شاخص"
        notes.append(
            f"{what} {persian_digits(row.indicator_key)} = {format_number(row.points)}: {WHERE_SET}"
            f" ({_who(row)}){'؛ دلیل: ' + row.reason if row.reason else ''}"
        )
    if framework.bands_source == "override" and band_set is not None:
        notes.append(f"طبقه‌ها ({persian_digits(band_set.bands)}): {WHERE_SET} ({_who(band_set)})"
                     f"{'؛ دلیل: ' + band_set.reason if band_set.reason else ''}")
    elif framework.bands_source == "assumed":
        notes.append(f"طبقه‌ها: فرضی — {persian_digits(framework.bands_assumption)}")
    rules = scoring_rule_assumptions(framework)
    for key, reason in rules:
        notes.append(f"قاعدهٔ امتیاز مورد {persian_digits(key)}: فرضی — {persian_digits(reason)}")
    parts = []
    if assumed:
        parts.append(
            f"امتیاز {_indicators(assumed)} ({format_number(assumed_points)} از "
            f"{format_number(framework.points)} امتیاز) در راهنما نیامده و فرضی است"
        )
    if rules:
        parts.append(f"قاعدهٔ امتیاز {'مورد' if len(rules) == 1 else 'موارد'} {_keys_text([k for k, _ in rules])} "
                     "در راهنما نیامده و فرضی است")
    if set_by_supervisor:
        parts.append(f"وزن {_indicators(set_by_supervisor)} را سرپرست برای این دوره تعیین کرده است")
    if framework.bands_source == "assumed":
        parts.append("طبقه‌ها در راهنما نیامده و فرضی‌اند")
    elif framework.bands_source == "override":
        parts.append("طبقه‌ها را سرپرست برای این دوره تعیین کرده است")
    line = ("فرض‌ها: " + "؛ ".join(parts) + ".") if parts else ""
    return Assumptions(line, tuple(notes), assumed_points, framework.points)


def scoring_rule_assumptions(framework: Framework) -> list[tuple[str, str]]:
    """(item key, reason) of every item whose rule from parts to points is the workbench's reading.

    A checklist (4.3.1, appendix A), a per-service item (4.7, 9.2.3, 11), indicator 5's six steps or
    the services a stage's ratio counts (3.1.1: the card's nature), where the framework file marks the
    rule with an ``assumption``.
    """
    out = []
    for item in framework.items():
        reasons = [rule.assumption for rule in (item.checklist, item.per_service, item.six_steps, *item.eligible)
                   if rule is not None and rule.assumed]
        if reasons:
            out.append((item.key, " ".join(reasons)))
    return out


def round_assumptions(session: Session, rnd: Round, framework: Framework | None = None) -> Assumptions:
    from workbench.model.assessments import round_framework

    framework = framework or round_framework(session, rnd)
    overrides = list(session.scalars(select(WeightOverride).where(WeightOverride.round_uuid == rnd.uuid)))
    band_set = session.scalar(select(BandSet).where(BandSet.round_uuid == rnd.uuid))
    return describe(framework, overrides, band_set)


def _who(row) -> str:
    from workbench.model.jalali import format_jalali

    who = row.updated_by or "نامشخص"
    return f"{who}، {format_jalali(row.updated_at.date()) if row.updated_at else ''}".rstrip("، ")
