"""Which services of the operational plan a stage's ratio counts: the identity card (003) decides.

Two sentences of the guide (002) make the card's fields decide points:

* indicator 3 counts «خدمات ارائه شده در دفاتر پیشخوان نسبت به خدمات منتخب برای ارائه به دفاتر پیشخوان»,
  and the services that may be handed over are «خدمات یا فرآیندهایی از خدمات … که ماهیت حاکمیتی نداشته
  …»: a service whose card's nature is sovereign is not counted there;
* indicators 1–3, «شرایط عدم مصداق»: «در صورت نداشتن خدمت خاص استانی، عدم مصداق است، خدمات ملی و کشوری
  نیز به عهده دستگاه ملی میباشد»: a provincial unit's service whose card says its level is national is
  the national agency's, not counted in the unit's ratios.

A ``ratio`` item counted from services carries them as data (see ``docs/framework-format.md``), one
rule or a list::

    "eligible": [{"exclude_natures": ["sovereign"], "source": "…", "assumption": "…"},
                 {"agency_levels": ["provincial"], "exclude_levels": ["national"], "source": "…", "assumption": "…"}]

A planned service a rule excludes leaves the item's denominator and numerator; a card that says nothing
(``nature`` or ``service_level`` empty) counts as before.  Pure Python, no I/O: the scorer's two paths
(``assessments.build_answers`` one assessment at a time, ``round_rows`` a round in SQL), the not-applicable
rules, the window, the printed summary and ``workbench report na`` all ask :class:`Exclusions`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.model.errors import FrameworkError
from workbench.model.rule_source import source_and_assumption
from workbench.model.terms import (
    LEVEL_UNITS,
    LEVELS,
    NOT_COUNTED,
    SERVICE_LEVEL_LABELS,
    SERVICE_NATURE_LABELS,
    STAGE_SHORT,
)

if TYPE_CHECKING:  # pragma: no cover
    from workbench.model.framework import Framework

_FIELDS = {"exclude_natures", "agency_levels", "exclude_levels", "source", "assumption"}


@dataclass(frozen=True)
class EligibilityRule:
    """Planned services of these natures, or (for agencies of ``agency_levels``) of these card levels, are not
    counted (codes of ``terms.SERVICE_NATURE_LABELS``, ``terms.LEVELS``, ``terms.SERVICE_LEVEL_LABELS``)."""

    exclude_natures: tuple[str, ...] = ()
    source: str = ""
    assumption: str = ""
    agency_levels: tuple[str, ...] = ()
    exclude_levels: tuple[str, ...] = ()

    @property
    def assumed(self) -> bool:
        return bool(self.assumption)

    def excludes(self, nature: str | None, service_level: str | None = "", agency_level: str | None = "") -> bool:
        if nature and nature in self.exclude_natures:
            return True
        return bool(service_level) and service_level in self.exclude_levels and agency_level in self.agency_levels

    def reason(self, stage: str, nature: str, service_level: str = "") -> str:
        """Why such a service is not counted at ``stage`` (Persian, for the window and the report)."""
        where = f"در شمار خدمات برنامهٔ مرحلهٔ {STAGE_SHORT.get(stage, stage)} نمی‌آید"
        if nature and nature in self.exclude_natures:
            return f"ماهیت خدمت در شناسنامه «{SERVICE_NATURE_LABELS.get(nature, nature)}» است؛ {where}"
        return (f"سطح خدمت در شناسنامه «{SERVICE_LEVEL_LABELS.get(service_level, service_level)}» است و خدمات ملی "
                f"به عهدهٔ دستگاه ملی است؛ {where}")

    def describe(self) -> str:
        """The rule with where in the guide it comes from (and the workbench's reading, when assumed)."""
        parts = []
        if self.exclude_natures:
            parts.append("خدمت با ماهیت " + "، ".join(f"«{SERVICE_NATURE_LABELS.get(n, n)}»" for n in self.exclude_natures))
        if self.exclude_levels:
            parts.append("خدمت با سطح " + "، ".join(f"«{SERVICE_LEVEL_LABELS.get(v, v)}»" for v in self.exclude_levels)
                         + " در شناسنامه، برای " + "، ".join(LEVEL_UNITS.get(lv, lv) for lv in self.agency_levels))
        text = " و ".join(parts) + f" از صورت و مخرج نسبت بیرون می‌رود — {self.source}"
        if self.assumption:
            text += f" — فرض میز کار: {self.assumption}"
        return text


def parse_eligibility(raw: object, key: str, kind: str, source: str) -> tuple[EligibilityRule, ...]:
    """An item's ``eligible`` rule or list of rules (none when absent); only a ``ratio`` counted from services."""
    if raw is None:
        return ()
    if kind != "ratio" or source != "services":
        raise FrameworkError(f"«eligible» فقط برای مورد نسبتی شمرده از خدمات است، نه {key}", key=key)
    rules = tuple(_rule(r, key) for r in (raw if isinstance(raw, list) else [raw]))
    if sum(1 for r in rules if r.exclude_levels) > 1:  # the bulk scorer counts one level rule per stage
        raise FrameworkError(f"«eligible» {key} بیش از یک قاعدهٔ سطح («exclude_levels») دارد", key=key)
    return rules


def _codes(raw: dict, name: str, allowed: Iterable[str], key: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    allowed = tuple(allowed)
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise FrameworkError(f"«{name}» در «eligible» {key} باید فهرستی از {', '.join(allowed)} باشد", key=key)
    return tuple(value)


def _rule(raw: object, key: str) -> EligibilityRule:
    if not isinstance(raw, dict):
        raise FrameworkError(f"«eligible» برای {key} باید شیء JSON یا فهرستی از آن باشد", key=key)
    unknown = set(raw) - _FIELDS
    if unknown:
        raise FrameworkError(f"کلید ناشناخته در «eligible» {key}: {', '.join(sorted(unknown))}", key=key)
    natures = _codes(raw, "exclude_natures", SERVICE_NATURE_LABELS, key)
    agency_levels = _codes(raw, "agency_levels", LEVELS, key)
    levels = _codes(raw, "exclude_levels", SERVICE_LEVEL_LABELS, key)
    if not natures and not levels:
        raise FrameworkError(f"«eligible» {key} نه «exclude_natures» دارد نه «exclude_levels»", key=key)
    if bool(levels) != bool(agency_levels):
        raise FrameworkError(f"«exclude_levels» و «agency_levels» در «eligible» {key} با هم می‌آیند", key=key)
    text, assumption = source_and_assumption(raw, "eligible", key)
    return EligibilityRule(natures, text, assumption, agency_levels, levels)


def check_stages(items: Iterable) -> None:
    """A stage is counted once for every item that reads it: two items of one stage must share their rules."""
    seen: dict[str, tuple[str, tuple]] = {}
    for item in items:
        if item.kind != "ratio" or item.source != "services":
            continue
        rules = getattr(item, "eligible", ())
        first = seen.setdefault(item.stage, (item.key, rules))
        if first[1] != rules:
            raise FrameworkError(
                f"موارد {first[0]} و {item.key} هر دو مرحلهٔ «{item.stage}» را می‌شمارند ولی «eligible» یکسان ندارند",
                key=item.key,
            )


@dataclass(frozen=True)
class Exclusions:
    """Stage -> the rules its ratio counts planned services by (a framework's ``eligible`` rules)."""

    rules: dict[str, tuple[EligibilityRule, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def rule_for(self, stage: str, nature: str | None, service_level: str | None,
                 agency_level: str | None) -> EligibilityRule | None:
        """The rule that leaves such a planned service out of ``stage``'s count, or ``None`` (it counts)."""
        for rule in self.rules.get(stage, ()):
            if rule.excludes(nature, service_level, agency_level):
                return rule
        return None

    def counted(self, stage: str, nature: str | None, service_level: str | None = "",
                agency_level: str | None = "") -> bool:
        return self.rule_for(stage, nature, service_level, agency_level) is None

    def why_not(self, stage: str, nature: str | None, service_level: str | None, agency_level: str | None) -> str:
        """Why such a service is not counted at ``stage``, with the rule ("" when it is counted)."""
        rule = self.rule_for(stage, nature, service_level, agency_level)
        return "" if rule is None else f"{rule.reason(stage, nature or '', service_level or '')}: {rule.describe()}"

    def natures(self, stage: str) -> frozenset[str]:
        """Natures ``stage`` never counts, whatever the agency (the SQL filters them)."""
        return frozenset(n for rule in self.rules.get(stage, ()) for n in rule.exclude_natures)

    def level_rule(self, stage: str) -> EligibilityRule | None:
        """``stage``'s rule by the card's level (it depends on the agency's level; one at most)."""
        return next((rule for rule in self.rules.get(stage, ()) if rule.exclude_levels), None)


def stage_exclusions(framework: Framework) -> Exclusions:
    """The framework's ``eligible`` rules by stage (what the scorer's two paths and the checks need)."""
    out: dict[str, tuple[EligibilityRule, ...]] = {}
    for item in framework.items():
        rules = getattr(item, "eligible", ())
        if rules:
            out[item.stage] = rules
    return Exclusions(out)


def left_out_text(n: int) -> str:
    """«N خدمت برنامه … شمرده نمی‌شود»: how many planned services a stage leaves out (the window, the summary)."""
    from workbench.model.text import persian_digits

    return f"{persian_digits(n)} خدمت برنامه به سبب شناسنامهٔ خدمت {NOT_COUNTED}"
