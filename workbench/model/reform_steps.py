"""Indicator 5's six steps: which of them table 5 documents for each service, and the rule on them.

The guide asks, per sub-service, for evidence of six steps («مستند اصلاح و
بهبود هر زیر خدمت شامل ارائه مستندات و شواهدی مبنی بر (1) هدف گذاری …
(6) میزان دست یابی به اهداف»).  Table 5 rows name their step; a row the
evaluator rejected documents nothing.  Whether a missing step withholds the
credit of an accepted table 4 row is the framework's ``six_steps`` rule on the
reform item (``withhold``), marked as an assumption until the guide says.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.model.errors import FrameworkError
from workbench.model.rule_source import source_and_assumption
from workbench.model.terms import REFORM_STEPS


@dataclass(frozen=True)
class StepsRule:
    """``withhold``: an accepted table 4 service counts only when table 5 documents all six steps."""

    withhold: bool = False
    source: str = ""
    assumption: str = ""

    @property
    def assumed(self) -> bool:
        return bool(self.assumption)


def parse_steps_rule(raw: object, key: str) -> StepsRule | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("withhold", False), bool):
        raise FrameworkError(f"«six_steps» برای {key} باید شیئی با «withhold» درست یا نادرست باشد", key=key)
    source, assumption = source_and_assumption(raw, "six_steps", key)
    return StepsRule(bool(raw.get("withhold", False)), source, assumption)


def documented_steps(actions: Iterable) -> dict[str, frozenset[str]]:
    """Service ID -> the six steps table 5 documents for it (rows not rejected, steps the guide names)."""
    out: dict[str, set[str]] = {}
    for a in actions:
        if a.accepted is False or a.step not in REFORM_STEPS:
            continue
        out.setdefault(a.service_id, set()).add(a.step)
    return {sid: frozenset(steps) for sid, steps in out.items()}


def missing_steps(documented: dict[str, frozenset[str]], service_id: str) -> list[str]:
    """The guide's steps table 5 does not document for ``service_id``, in the guide's order."""
    have = documented.get(service_id, frozenset())
    return [s for s in REFORM_STEPS if s not in have]


def fully_documented(documented: dict[str, frozenset[str]]) -> frozenset[str]:
    return frozenset(sid for sid, steps in documented.items() if len(steps) == len(REFORM_STEPS))


@dataclass(frozen=True)
class ServiceSteps:
    """What the window shows per table 4 service: the steps table 5 documents, and parent services."""

    documented: dict[str, frozenset[str]]
    parents: frozenset[str]  # services that have sub-services: their table 4 rows do not count

    def missing(self, service_id: str) -> list[str]:
        return missing_steps(self.documented, service_id)


def service_steps(session, assessment) -> ServiceSteps:
    """Table 5's steps per service and the parent services of the assessed agency's list."""
    from sqlalchemy import select

    from workbench.model.schema import ReformAction, Service

    where_round = (
        (ReformAction.round_uuid == assessment.round_uuid) & (ReformAction.agency_uuid == assessment.agency_uuid)
    )
    actions = session.execute(
        select(ReformAction.service_id, ReformAction.step, ReformAction.accepted).where(where_round)
    ).all()
    parents = session.scalars(
        select(Service.parent_service_id).where(
            Service.round_uuid == assessment.round_uuid,
            Service.agency_uuid == assessment.agency_uuid,
            Service.parent_service_id != "",
        )
    )
    return ServiceSteps(documented_steps(actions), frozenset(parents))
