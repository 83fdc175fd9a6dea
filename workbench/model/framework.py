"""The indicator framework (شاخص‌های ارزیابی) as data.

A framework file is JSON (see ``docs/framework-format.md``).  It is validated
on load and every error names the offending key.  A round keeps the exact text
it was assessed with, so :func:`parse_framework` also accepts that stored text.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.model.bands import Band, parse_bands
from workbench.model.checklists import ChecklistRule, PerServiceRule, parse_checklist, parse_per_service
from workbench.model.eligibility import EligibilityRule, check_stages, parse_eligibility
from workbench.model.errors import FrameworkError
from workbench.model.na_rules import NaRule, parse_rule
from workbench.model.reform_steps import StepsRule, parse_steps_rule
from workbench.model.terms import MEASURE_EVIDENCE_LABELS, STAGES

#: Item kinds the scorer understands.
ITEM_KINDS = ("check", "yesno", "ratio", "reform", "checklist", "per_service")
#: Where a ``ratio`` item takes its inputs from.
RATIO_SOURCES = ("typed", "services")
#: Per-service stages a ``ratio`` item of source ``services`` counts.
SERVICE_STAGES = STAGES
#: Kinds of evidence a measure may accept.
EVIDENCE_KINDS = tuple(MEASURE_EVIDENCE_LABELS)

_TOLERANCE = 0.011  # points are written with two decimals in the file


@dataclass(frozen=True)
class Weight:
    """Points and where they come from (``guide`` or ``assumed``)."""

    points: float
    source: str = "guide"
    assumption: str = ""

    @property
    def assumed(self) -> bool:
        return self.source == "assumed"


@dataclass(frozen=True)
class Item:
    """A scored item (مورد امتیازدار) of a measure."""

    key: str
    title: str
    kind: str
    weight: Weight
    stage: str = ""  # ratio items counted from services
    source: str = ""  # ratio items: typed | services
    not_applicable: str = ""  # condition text, when the item alone may be N/A
    continues: str = ""  # the key this item had in the earlier round's framework, when renamed
    na_rule: NaRule | None = None  # who may mark it N/A (see na_rules)
    six_steps: StepsRule | None = None  # reform items: does a missing step of table 5 withhold credit
    checklist: ChecklistRule | None = None  # checklist items: the appendix's entries and their rule
    per_service: PerServiceRule | None = None  # per-service items: the check on every service, its rule
    eligible: tuple[EligibilityRule, ...] = ()  # services-counted ratios: which planned services the card leaves out

    @property
    def points(self) -> float:
        return self.weight.points


@dataclass(frozen=True)
class Measure:
    """A measure (نماگر) of an indicator."""

    key: str
    title: str
    weight: Weight
    items: tuple[Item, ...]
    definition: str = ""
    formula: str = ""
    evidence: str = ""
    evidence_kinds: tuple[str, ...] = ()
    not_applicable: str = ""
    legal_basis: str = ""
    continues: str = ""
    na_rule: NaRule | None = None

    @property
    def points(self) -> float:
        return self.weight.points


@dataclass(frozen=True)
class Indicator:
    """An indicator (شاخص)."""

    key: str
    title: str
    weight: Weight
    measures: tuple[Measure, ...]
    definition: str = ""
    formula: str = ""
    evidence: str = ""
    not_applicable: str = ""
    legal_basis: str = ""
    continues: str = ""
    na_rule: NaRule | None = None

    @property
    def points(self) -> float:
        return self.weight.points


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    version: str
    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...]
    source: str = ""
    na_default: NaRule | None = None  # the rule of nodes with none of their own
    bands_source: str = "guide"  # guide | assumed | override (a supervisor's, for the round)
    bands_assumption: str = ""
    text: str = field(default="", repr=False, compare=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def points(self) -> float:
        return sum(i.points for i in self.indicators)

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    def node(self, key: str) -> Indicator | Measure | Item:
        """The indicator, measure or item with this key."""
        for ind in self.indicators:
            if ind.key == key:
                return ind
            for m in ind.measures:
                if m.key == key:
                    return m
                for it in m.items:
                    if it.key == key:
                        return it
        raise KeyError(key)

    def measures(self) -> list[Measure]:
        return [m for ind in self.indicators for m in ind.measures]

    def items(self) -> list[Item]:
        return [it for m in self.measures() for it in m.items]

    def band_for(self, percent: float | None) -> Band | None:
        if percent is None:
            return None
        for band in sorted(self.bands, key=lambda b: -b.minimum):
            if percent + 1e-9 >= band.minimum:
                return band
        return None

    def with_indicator_points(self, overrides: dict[str, float]) -> "Framework":
        """A copy in which some indicators are worth other points.

        A supervisor's override of an indicator's weight scales its measures
        and items in proportion, so their shares inside the indicator stay as
        the guide gives them.
        """
        if not overrides:
            return self
        indicators = []
        for ind in self.indicators:
            if ind.key not in overrides:
                indicators.append(ind)
                continue
            new = float(overrides[ind.key])
            if not math.isfinite(new):
                raise FrameworkError(f"امتیاز شاخص {ind.key} عدد نیست: {new}", key=ind.key)
            if new < 0:
                raise FrameworkError(f"امتیاز شاخص {ind.key} نمی‌تواند منفی باشد: {new}", key=ind.key)
            if not ind.points:
                raise FrameworkError(f"شاخص {ind.key} امتیازی ندارد که بتوان آن را مقیاس کرد", key=ind.key)
            factor = new / ind.points
            reason = "وزن تعیین‌شده برای این دوره توسط سرپرست"
            measures = tuple(
                replace(
                    m,
                    weight=Weight(m.points * factor, "override", reason),
                    items=tuple(
                        replace(it, weight=Weight(it.points * factor, "override", reason)) for it in m.items
                    ),
                )
                for m in ind.measures
            )
            indicators.append(replace(ind, weight=Weight(new, "override", reason), measures=measures))
        return replace(self, indicators=tuple(indicators))


# --------------------------------------------------------------------------- loading


def load_framework(path: str | Path) -> Framework:
    """Read and validate a framework file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(f"فایل چارچوب «{path}» خوانده نشد: {exc}") from exc
    return parse_framework(text, origin=str(path))


def parse_framework(text: str, origin: str = "") -> Framework:
    """Validate framework JSON text; every error names the key at fault."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkError(
            f"فایل چارچوب {origin} JSON معتبر نیست (سطر {exc.lineno}، ستون {exc.colno}): {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise FrameworkError("فایل چارچوب باید یک شیء JSON باشد")
    seen: set[str] = set()
    indicators = tuple(_indicator(raw, seen) for raw in _list(data, "indicators", "چارچوب"))
    if not indicators:
        raise FrameworkError("چارچوب هیچ شاخصی ندارد")
    bands = parse_bands(data.get("bands", []))
    check_stages(it for ind in indicators for m in ind.measures for it in m.items)
    return Framework(
        id=_str(data, "id", "چارچوب"),
        title=_str(data, "title", "چارچوب"),
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        indicators=indicators,
        bands=bands,
        na_default=parse_rule(data.get("na_default"), "na_default"),
        **_bands_origin(data),
        text=text,
    )


def _indicator(raw: dict, seen: set[str]) -> Indicator:
    key = _key(raw, seen, parent=None)
    measures = tuple(_measure(m, seen, key) for m in _list(raw, "measures", key))
    if not measures:
        raise FrameworkError(f"شاخص {key} هیچ نماگری ندارد", key=key)
    ind = Indicator(
        key=key,
        title=_str(raw, "title", key),
        weight=_weight(raw, key),
        measures=measures,
        continues=_continues(raw, key),
        na_rule=parse_rule(raw.get("na_rule"), key),
        **_texts(raw),
    )
    _check_sum(key, ind.points, [m.points for m in measures], "نماگرهای")
    return ind


def _measure(raw: dict, seen: set[str], parent: str) -> Measure:
    key = _key(raw, seen, parent)
    items = tuple(_item(it, seen, key) for it in _list(raw, "items", key))
    if not items:
        raise FrameworkError(f"نماگر {key} هیچ مورد امتیازداری ندارد", key=key)
    raw_kinds = raw.get("evidence_kinds", [])
    if not isinstance(raw_kinds, list):
        raise FrameworkError(f"«evidence_kinds» برای {key} باید فهرست باشد", key=key)
    kinds = tuple(raw_kinds)
    for k in kinds:
        if k not in EVIDENCE_KINDS:
            raise FrameworkError(f"نوع مستند ناشناخته «{k}» در نماگر {key}", key=key)
    m = Measure(
        key=key,
        title=_str(raw, "title", key),
        weight=_weight(raw, key),
        items=items,
        evidence_kinds=kinds,
        continues=_continues(raw, key),
        na_rule=parse_rule(raw.get("na_rule"), key),
        **_texts(raw),
    )
    _check_sum(key, m.points, [it.points for it in items], "موارد")
    return m


def _item(raw: dict, seen: set[str], parent: str) -> Item:
    key = _key(raw, seen, parent)
    kind = raw.get("kind")
    if kind not in ITEM_KINDS:
        raise FrameworkError(
            f"نوع ناشناخته «{kind}» برای مورد {key}؛ نوع‌های مجاز: {', '.join(ITEM_KINDS)}", key=key
        )
    source = stage = ""
    if kind == "ratio":
        source = raw.get("source", "typed")
        if source not in RATIO_SOURCES:
            raise FrameworkError(f"منبع ناشناخته «{source}» برای مورد نسبتی {key}", key=key)
        if source == "services":
            stage = raw.get("stage", "")
            if stage not in SERVICE_STAGES:
                raise FrameworkError(
                    f"مرحلهٔ ناشناخته «{stage}» برای مورد {key}؛ مرحله‌های مجاز: {', '.join(SERVICE_STAGES)}",
                    key=key,
                )
    return Item(
        key=key,
        title=_str(raw, "title", key),
        kind=kind,
        weight=_weight(raw, key),
        source=source,
        stage=stage,
        not_applicable=_optional_text(raw, "not_applicable"),
        continues=_continues(raw, key),
        na_rule=parse_rule(raw.get("na_rule"), key),
        six_steps=parse_steps_rule(raw.get("six_steps"), key),
        checklist=parse_checklist(raw.get("checklist"), key) if kind == "checklist" else None,
        per_service=parse_per_service(raw.get("per_service"), key) if kind == "per_service" else None,
        eligible=parse_eligibility(raw.get("eligible"), key, kind, source),
    )


def _continues(raw: dict, key: str) -> str:
    """``"continues": "4.3"``: the key this one had in the earlier round's framework.

    Only the shape is checked here (a key of the same depth); whether the
    earlier framework has it is checked when two rounds are compared.
    """
    value = raw.get("continues")
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"«continues» برای {key} باید کلیدی از چارچوب پیشین باشد، نه {value!r}", key=key)
    value = value.strip()
    if value.count(".") != key.count(".") or any(not part for part in value.split(".")):
        raise FrameworkError(
            f"«continues» برای {key} کلید «{value}» است که هم‌سطح آن نیست "
            f"(شاخص به شاخص، نماگر به نماگر، مورد به مورد)",
            key=key,
        )
    return value


def _bands_origin(data: dict) -> dict[str, str]:
    source = data.get("bands_source", "guide")
    assumption = str(data.get("bands_assumption", "")).strip()
    if source not in ("guide", "assumed") or (source == "assumed" and not assumption):
        raise FrameworkError("«bands_source» باید guide یا assumed (با «bands_assumption») باشد")
    return {"bands_source": source, "bands_assumption": assumption}


def _key(raw: object, seen: set[str], parent: str | None) -> str:
    if not isinstance(raw, dict):
        raise FrameworkError(f"یک عضو زیر {parent or 'چارچوب'} شیء JSON نیست", key=parent or "")
    key = str(raw.get("key", "")).strip()
    if not key:
        raise FrameworkError(f"عضوی بدون کلید زیر {parent or 'چارچوب'}", key=parent or "")
    if parent is not None and (not key.startswith(parent + ".") or "." in key[len(parent) + 1 :]):
        raise FrameworkError(f"کلید {key} باید به شکل «{parent}.N» باشد", key=key)
    if parent is None and "." in key:
        raise FrameworkError(f"کلید شاخص {key} نباید نقطه داشته باشد", key=key)
    if key in seen:
        raise FrameworkError(f"کلید تکراری {key}", key=key)
    seen.add(key)
    return key


def _weight(raw: dict, key: str) -> Weight:
    if "points" not in raw:
        raise FrameworkError(f"امتیاز {key} تعیین نشده است", key=key)
    value = raw["points"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FrameworkError(f"امتیاز {key} عدد نیست: {value!r}", key=key)
    points = float(value)
    if points < 0:
        raise FrameworkError(f"امتیاز {key} منفی است", key=key)
    source = raw.get("points_source", "guide")
    if source not in ("guide", "assumed"):
        raise FrameworkError(f"منبع امتیاز {key} باید guide یا assumed باشد، نه «{source}»", key=key)
    assumption = str(raw.get("assumption", "")).strip()
    if source == "assumed" and not assumption:
        raise FrameworkError(f"امتیاز فرضی {key} دلیل ندارد (assumption)", key=key)
    return Weight(points, source, assumption)


def _check_sum(key: str, total: float, parts: list[float], what: str) -> None:
    if abs(sum(parts) - total) > _TOLERANCE:
        raise FrameworkError(
            f"جمع امتیاز {what} {key} ({sum(parts):g}) با امتیاز آن ({total:g}) برابر نیست", key=key
        )


def _texts(raw: dict) -> dict[str, str]:
    names = ("definition", "formula", "evidence", "not_applicable", "legal_basis")
    return {n: _optional_text(raw, n) for n in names}


def _optional_text(raw: dict, name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FrameworkError(f"«{name}» برای {raw.get('key', '?')} باید متن باشد")
    return value.strip()


def _str(raw: dict, name: str, key: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"«{name}» برای {key} خالی یا نامعتبر است", key=key)
    return value.strip()


def _list(raw: dict, name: str, key: str) -> list:
    value = raw.get(name)
    if not isinstance(value, list):
        raise FrameworkError(f"«{name}» برای {key} باید فهرست باشد", key=key)
    return value


def default_framework_path() -> Path:
    from workbench.paths import resource_path

    return resource_path("frameworks", "egov-1403.json")


def load_default_framework() -> Framework:
    return load_framework(default_framework_path())
