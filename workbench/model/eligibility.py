"""Which services of the operational plan a stage's ratio counts: the identity card's nature (003) decides.

Indicator 3 (002) counts «خدمات ارائه شده در دفاتر پیشخوان نسبت به خدمات منتخب برای ارائه به دفاتر
پیشخوان», and the guide defines the services that may be handed over as «خدمات یا فرآیندهایی از خدمات … که
ماهیت حاکمیتی نداشته …».  A ``ratio`` item counted from services may carry the rule as data (see
``docs/framework-format.md``)::

    "eligible": {"exclude_natures": ["sovereign"], "source": "…", "assumption": "…"}

A planned service whose card gives one of those natures leaves the item's denominator and numerator; a
service whose card says nothing (``nature`` empty) is counted as before.  Pure Python, no I/O: the scorer's
two paths (``assessments.build_answers`` one assessment at a time, ``round_rows`` a round in SQL), the
not-applicable rules, the window and ``workbench report na`` all ask :func:`stage_exclusions`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.model.errors import FrameworkError
from workbench.model.terms import NOT_COUNTED, SERVICE_NATURE_LABELS, STAGE_SHORT

if TYPE_CHECKING:  # pragma: no cover
    from workbench.model.framework import Framework

_FIELDS = {"exclude_natures", "source", "assumption"}


@dataclass(frozen=True)
class EligibilityRule:
    """Planned services of these natures (``terms.SERVICE_NATURE_LABELS``' codes) are not counted."""

    exclude_natures: tuple[str, ...]
    source: str
    assumption: str = ""

    @property
    def assumed(self) -> bool:
        return bool(self.assumption)

    def excludes(self, nature: str | None) -> bool:
        return bool(nature) and nature in self.exclude_natures

    def reason(self, stage: str, nature: str) -> str:
        """Why a service of ``nature`` is not counted at ``stage`` (Persian, for the window and the report)."""
        return (f"ماهیت خدمت در شناسنامه «{SERVICE_NATURE_LABELS.get(nature, nature)}» است؛ "
                f"در شمار خدمات برنامهٔ مرحلهٔ {STAGE_SHORT.get(stage, stage)} نمی‌آید")

    def describe(self) -> str:
        """The rule with where in the guide it comes from (and the workbench's reading, when assumed)."""
        natures = "، ".join(f"«{SERVICE_NATURE_LABELS.get(n, n)}»" for n in self.exclude_natures)
        text = f"خدمت با ماهیت {natures} از صورت و مخرج نسبت بیرون می‌رود — {self.source}"
        if self.assumption:
            text += f" — فرض میز کار: {self.assumption}"
        return text


def parse_eligibility(raw: object, key: str, kind: str, source: str) -> EligibilityRule | None:
    """An item's ``eligible`` object (``None`` when absent); only a ``ratio`` counted from services has one."""
    if raw is None:
        return None
    if kind != "ratio" or source != "services":
        raise FrameworkError(f"«eligible» فقط برای مورد نسبتی شمرده از خدمات است، نه {key}", key=key)
    if not isinstance(raw, dict):
        raise FrameworkError(f"«eligible» برای {key} باید شیء JSON باشد", key=key)
    unknown = set(raw) - _FIELDS
    if unknown:
        raise FrameworkError(f"کلید ناشناخته در «eligible» {key}: {', '.join(sorted(unknown))}", key=key)
    natures = raw.get("exclude_natures")
    if not isinstance(natures, list) or not natures or any(n not in SERVICE_NATURE_LABELS for n in natures):
        raise FrameworkError(
            f"«exclude_natures» در «eligible» {key} باید فهرستی از {', '.join(SERVICE_NATURE_LABELS)} باشد", key=key
        )
    text = raw.get("source")
    if not isinstance(text, str) or not text.strip():
        raise FrameworkError(f"«eligible» {key} نمی‌گوید از کجای راهنما آمده است (source)", key=key)
    assumption = raw.get("assumption", "")
    if not isinstance(assumption, str):
        raise FrameworkError(f"«assumption» در «eligible» {key} باید متن باشد", key=key)
    return EligibilityRule(tuple(natures), text.strip(), assumption.strip())


def check_stages(items: Iterable) -> None:
    """A stage is counted once for every item that reads it: two items of one stage must share one rule."""
    seen: dict[str, tuple[str, EligibilityRule | None]] = {}
    for item in items:
        if item.kind != "ratio" or item.source != "services":
            continue
        rule = getattr(item, "eligible", None)
        first = seen.setdefault(item.stage, (item.key, rule))
        if first[1] != rule:
            raise FrameworkError(
                f"موارد {first[0]} و {item.key} هر دو مرحلهٔ «{item.stage}» را می‌شمارند ولی «eligible» یکسان ندارند",
                key=item.key,
            )


def stage_rules(framework: Framework) -> dict[str, EligibilityRule]:
    """Stage -> the rule its items count services by (stages with no rule left out)."""
    out = {}
    for item in framework.items():
        rule = getattr(item, "eligible", None)
        if rule is not None:
            out[item.stage] = rule
    return out


def stage_exclusions(framework: Framework) -> dict[str, frozenset[str]]:
    """Stage -> the natures whose planned services it does not count (what the scorer's two paths need)."""
    return {stage: frozenset(rule.exclude_natures) for stage, rule in stage_rules(framework).items()}


def left_out_text(n: int) -> str:
    """«N خدمت برنامه … شمرده نمی‌شود»: how many planned services a stage leaves out (the window, the summary)."""
    from workbench.model.text import persian_digits

    return f"{persian_digits(n)} خدمت برنامه به سبب ماهیت در شناسنامه {NOT_COUNTED}"


def counted(exclusions: Mapping[str, frozenset[str]], stage: str, nature: str | None) -> bool:
    """Whether a service planned for ``stage`` with the card's ``nature`` is counted there."""
    excluded = exclusions.get(stage)
    return not (excluded and nature and nature in excluded)
