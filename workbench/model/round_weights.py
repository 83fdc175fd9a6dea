"""A supervisor's settings of a round's weights: indicator points, the split of a measure's
points among its items (indicator 7's parts), and the classification bands.

Stored as tracked rows (``WeightOverride``, ``BandSet``), so every change is in
the audit trail with who and when; :func:`apply_round_settings` turns them and
the round's framework text into the framework the round is scored with.
"""
from __future__ import annotations

import math
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.bands import parse_band_spec
from workbench.model.errors import FrameworkError, UserError
from workbench.model.framework import Framework, Measure, Weight
from workbench.model.schema import BandSet, Round, WeightOverride

OVERRIDE_REASON = "وزن تعیین‌شده برای این دوره توسط سرپرست"
_TOLERANCE = 0.011


def apply_round_settings(base: Framework, overrides: dict[str, float], band_spec: str | None) -> Framework:
    """``base`` with the round's item splits (keys with a dot), indicator points and bands applied."""
    splits = {k: v for k, v in overrides.items() if "." in k}
    framework = base
    if splits:
        indicators = []
        for ind in base.indicators:
            measures = tuple(_split_measure(m, splits) for m in ind.measures)
            indicators.append(replace(ind, measures=measures))
        framework = replace(base, indicators=tuple(indicators))
    framework = framework.with_indicator_points({k: v for k, v in overrides.items() if "." not in k})
    if band_spec:
        framework = replace(framework, bands=parse_band_spec(band_spec), bands_source="override",
                            bands_assumption="")
    return framework


def _split_measure(measure: Measure, splits: dict[str, float]) -> Measure:
    if not any(it.key in splits for it in measure.items):
        return measure
    items = tuple(
        replace(it, weight=Weight(float(splits[it.key]), "override", OVERRIDE_REASON)) if it.key in splits else it
        for it in measure.items
    )
    return replace(measure, items=items)


def set_split(session: Session, rnd: Round, measure_key: str, points: list[float] | None, reason: str = "") -> None:
    """Set (or with ``None`` clear) how a measure's points divide among its items, for one round.

    The parts must be as many as the items, none negative, and add up to the
    measure's points in the round's framework file (so the indicator keeps its points).
    """
    from workbench.model.assessments import _parse_cached
    from workbench.model.text import ascii_digits, format_number, persian_digits

    measure_key = ascii_digits(str(measure_key)).strip()
    base = _parse_cached(rnd.framework_text)
    try:
        measure = base.node(measure_key)
    except KeyError:
        raise UserError(f"نماگر {measure_key} در چارچوب این دوره نیست") from None
    if not isinstance(measure, Measure):
        raise UserError(f"«{measure_key}» نماگر نیست؛ تقسیم امتیاز برای اجزای یک نماگر است (مثلاً 7.1)")
    keys = [it.key for it in measure.items]
    rows = {
        r.indicator_key: r
        for r in session.scalars(
            select(WeightOverride).where(WeightOverride.round_uuid == rnd.uuid, WeightOverride.indicator_key.in_(keys))
        )
    }
    if points is None:
        for row in rows.values():
            session.delete(row)
        return
    if len(points) != len(keys):
        raise UserError(
            f"نماگر {persian_digits(measure_key)} {persian_digits(len(keys))} مورد دارد، نه {persian_digits(len(points))}"
        )
    if any(not math.isfinite(p) or p < 0 for p in points):
        raise UserError("امتیاز هر مورد باید عددی نامنفی باشد")
    if abs(sum(points) - measure.points) > _TOLERANCE:
        raise UserError(
            f"جمع امتیاز موارد ({format_number(sum(points))}) باید برابر امتیاز نماگر "
            f"{persian_digits(measure_key)} ({format_number(measure.points)}) باشد"
        )
    for key, value in zip(keys, points):
        row = rows.get(key)
        if row is None:
            session.add(WeightOverride(round_uuid=rnd.uuid, indicator_key=key, points=value, reason=reason))
        else:
            row.points, row.reason = value, reason


def set_bands(session: Session, rnd: Round, spec: str | None, reason: str = "") -> None:
    """Set (or with ``None`` clear) the round's bands from «نام=حد، …», highest first."""
    row = session.scalar(select(BandSet).where(BandSet.round_uuid == rnd.uuid))
    if spec is None:
        if row is not None:
            session.delete(row)
        return
    try:
        bands = parse_band_spec(spec)
    except FrameworkError as exc:
        raise UserError(exc.message) from None
    from workbench.model.bands import bands_text

    text = bands_text(bands)
    if row is None:
        session.add(BandSet(round_uuid=rnd.uuid, bands=text, reason=reason))
    else:
        row.bands, row.reason = text, reason


def band_set(session: Session, rnd: Round) -> BandSet | None:
    return session.scalar(select(BandSet).where(BandSet.round_uuid == rnd.uuid))
