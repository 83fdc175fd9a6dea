"""When the guide allows «عدم مصداق» (not applicable): the rules as data, and their verdict.

Each indicator, measure or item of a framework file may carry an ``na_rule``
(see ``docs/framework-format.md``); a node without one takes its measure's,
then its indicator's, then the file's ``na_default``; with none at all,
not-applicable is allowed with a reason (a framework that says nothing).

Pure Python, no I/O: :func:`refusal` decides from an agency's facts
(:class:`AgencyFacts`), which ``na_check`` reads from the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.model.errors import FrameworkError
from workbench.model.rule_source import source_and_assumption
from workbench.model.terms import LEVEL_UNITS, LEVELS, STAGE_TITLES, STAGES

if TYPE_CHECKING:  # pragma: no cover
    from workbench.model.framework import Framework

#: Agency levels a rule may name (the store's ``Agency.level``).
RULE_LEVELS = LEVELS
LEVEL_LABELS = LEVEL_UNITS
#: Stages an ``unless_planned`` rule may name (the operational plan's flags).
RULE_STAGES = STAGES
STAGE_LABELS = STAGE_TITLES
_FIELDS = {"levels", "unless_planned", "by_agreement", "automatic", "source", "assumption"}


@dataclass(frozen=True)
class NaRule:
    """Who may mark a node not applicable, and where the guide says so.

    ``levels``: agency levels that may (``None``: any; empty: nobody).
    ``unless_planned``: a stage; refused when the agency's operational plan
    lists a service for it.  ``by_agreement``: only when an agreement with the
    Organization covers every service of the agency (and, per service, the
    covered services leave the indicator's typed ratios).  ``automatic``: for
    ``levels`` the node is not applicable without the evaluator's word.
    """

    levels: tuple[str, ...] | None = None
    unless_planned: str = ""
    by_agreement: bool = False
    automatic: bool = False
    source: str = ""
    assumption: str = ""

    @property
    def assumed(self) -> bool:
        return bool(self.assumption)

    @property
    def never(self) -> bool:
        return self.levels == () and not self.by_agreement

    def describe(self) -> str:
        """The rule in one Persian sentence (the window's and the report's words)."""
        if self.automatic and self.levels:
            who = "، ".join(LEVEL_LABELS[lv] for lv in self.levels)
            return f"برای {who} خودبه‌خود عدم مصداق است"
        if self.by_agreement:
            return "فقط برای خدماتی که با تفاهم با سازمان مستثنا شده‌اند؛ کل آن فقط وقتی تفاهم همهٔ خدمات را بپوشاند"
        if self.levels == ():
            return "عدم مصداق ندارد"
        parts = []
        if self.levels is not None:
            parts.append("فقط برای " + "، ".join(LEVEL_LABELS[lv] for lv in self.levels))
        if self.unless_planned:
            parts.append(f"که در برنامهٔ عملیاتی خود خدمتی برای مرحلهٔ «{STAGE_LABELS[self.unless_planned]}» ندارد")
        return " ".join(parts) if parts else "با ذکر دلیل مجاز است"


@dataclass(frozen=True)
class AgencyFacts:
    """What the rules look at: the agency's level, its plan, its agreements."""

    level: str = "national"
    planned_stages: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    #: indicator key -> service IDs an agreement with the Organization covers
    agreements: dict[str, frozenset[str]] = field(default_factory=dict)

    def covered(self, indicator_key: str) -> frozenset[str]:
        return self.agreements.get(indicator_key, frozenset()) & self.services


def parse_rule(raw: object, key: str) -> NaRule | None:
    """An ``na_rule`` object of the framework file (``None`` when absent); errors name ``key``."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise FrameworkError(f"«na_rule» برای {key} باید شیء JSON باشد", key=key)
    unknown = set(raw) - _FIELDS
    if unknown:
        raise FrameworkError(f"کلید ناشناخته در «na_rule» {key}: {', '.join(sorted(unknown))}", key=key)
    levels = raw.get("levels")
    if levels is not None:
        if not isinstance(levels, list) or any(lv not in RULE_LEVELS for lv in levels):
            raise FrameworkError(
                f"«levels» در «na_rule» {key} باید فهرستی از {', '.join(RULE_LEVELS)} باشد", key=key
            )
        levels = tuple(levels)
    stage = raw.get("unless_planned", "")
    if stage and stage not in RULE_STAGES:
        raise FrameworkError(f"مرحلهٔ ناشناخته «{stage}» در «na_rule» {key}", key=key)
    source, assumption = source_and_assumption(raw, "na_rule", key)
    flags = {}
    for name in ("by_agreement", "automatic"):
        value = raw.get(name, False)
        if not isinstance(value, bool):
            raise FrameworkError(f"«{name}» در «na_rule» {key} باید true یا false باشد", key=key)
        flags[name] = value
    if flags["automatic"] and not levels:
        raise FrameworkError(f"«automatic» در «na_rule» {key} سطحی («levels») لازم دارد", key=key)
    return NaRule(
        levels=levels,
        unless_planned=stage,
        source=source,
        assumption=assumption,
        **flags,
    )


def rule_for(framework: Framework, key: str) -> NaRule | None:
    """The rule that governs ``key``: its own, else its measure's, else its indicator's, else the default."""
    parts = key.split(".")
    for depth in range(len(parts), 0, -1):
        try:
            node = framework.node(".".join(parts[:depth]))
        except KeyError:
            continue
        if node.na_rule is not None:
            return node.na_rule
    return framework.na_default


def refusal(framework: Framework, key: str, facts: AgencyFacts) -> str | None:
    """Why ``key`` may not be marked not applicable for this agency (Persian), or ``None`` if it may."""
    rule = rule_for(framework, key)
    if rule is None:
        return None
    where = _where(key)
    if rule.by_agreement:
        indicator = key.split(".")[0]
        covered = facts.covered(indicator)
        head = f"عدم مصداق {where} فقط با تفاهم با سازمان و برای خدمات مشمول آن است"
        if not covered:
            return f"{head}؛ تفاهمی با خدمات این دستگاه برای شاخص {_count(indicator)} ثبت نشده است."
        if covered != facts.services:
            missing = len(facts.services - covered)
            return (
                f"{head}؛ {_count(missing)} خدمت از فهرست خدمات دستگاه در تفاهم ثبت‌شده نیامده است "
                "(خدمات مشمول تفاهم از مخرج نسبت‌های این شاخص کم می‌شوند)."
            )
        return None
    reading = " (برداشت میز کار از متن راهنما)" if rule.assumed else ""
    if rule.levels == ():
        return f"طبق راهنما {where} عدم مصداق ندارد{reading}."
    if rule.levels is not None and facts.level not in rule.levels:
        allowed = "، ".join(LEVEL_LABELS[lv] for lv in rule.levels)
        return f"عدم مصداق {where} فقط برای {allowed} است، نه برای {LEVEL_LABELS.get(facts.level, facts.level)}."
    if rule.unless_planned and rule.unless_planned in facts.planned_stages:
        return (
            f"عدم مصداق {where} فقط وقتی است که دستگاه خدمت خاص استانی ندارد؛ برنامهٔ عملیاتی این دستگاه "
            f"برای مرحلهٔ «{STAGE_LABELS[rule.unless_planned]}» خدمت دارد{reading}."
        )
    return None


def automatic(framework: Framework, level: str) -> dict[str, str]:
    """Keys not applicable by rule for agencies of ``level``, with the rule's words as the reason."""
    out = {}
    for node in _nodes(framework):
        rule = node.na_rule
        if rule is not None and rule.automatic and rule.levels and level in rule.levels:
            out[node.key] = f"{rule.describe()} ({rule.source})"
    return out


def agreement_indicators(framework: Framework) -> list[str]:
    """Indicators whose not-applicable goes service by service, by agreement with the Organization."""
    return [ind.key for ind in framework.indicators if ind.na_rule is not None and ind.na_rule.by_agreement]


def _nodes(framework: Framework):
    for ind in framework.indicators:
        yield ind
        for m in ind.measures:
            yield m
            yield from m.items


def _where(key: str) -> str:
    from workbench.model.text import persian_digits

    kind = {1: "شاخص", 2: "نماگر"}.get(key.count(".") + 1, "مورد")
    return f"{kind} {persian_digits(key)}"


def _count(n: int) -> str:
    from workbench.model.text import persian_digits

    return persian_digits(n)
