"""Who holds each agency of a round: the master's assignments as the agency list shows them (no Qt).

An agency may be handed to more than one evaluator (a double assessment for the agreement
report), and to the same evaluator again (a new file after a lost laptop): each evaluator is
listed once, with the latest time that evaluator was handed it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.exchange.tables import Assignment, AssignmentAgency
from workbench.model.jalali import format_jalali


@dataclass
class Holding:
    """The evaluators one agency is assigned to, with when, oldest first."""

    evaluators: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.evaluators)

    def text(self) -> str:
        """«مریم احمدی (۱۴۰۵/۰۹/۱۰)، رضا کریمی (۱۴۰۵/۰۹/۱۲)»; one date after the names when it is the same day."""
        days = {format_jalali(when) for when in self.evaluators.values()}
        if len(days) == 1:
            return f"{'، '.join(self.evaluators)} ({days.pop()})"
        return "، ".join(f"{name} ({format_jalali(when)})" for name, when in self.evaluators.items())


def holdings(session: Session, round_uuid: str) -> dict[str, Holding]:
    """{agency code: its holding} for the assignments this database issued in the round (one query)."""
    query = (
        select(AssignmentAgency.agency_code, Assignment.evaluator, Assignment.issued_at)
        .join(Assignment, Assignment.uuid == AssignmentAgency.assignment_uuid)
        .where(Assignment.round_uuid == round_uuid, Assignment.received_at.is_(None))
        .order_by(Assignment.issued_at)
    )
    out: dict[str, Holding] = {}
    for code, evaluator, issued_at in session.execute(query):
        held = out.setdefault(code, Holding()).evaluators
        held.pop(evaluator, None)  # the latest time last
        held[evaluator] = issued_at
    return out


def evaluators(session: Session) -> list[str]:
    """Every evaluator this database has handed agencies to, by name."""
    query = select(Assignment.evaluator).where(Assignment.received_at.is_(None)).distinct()
    return sorted(session.scalars(query))
