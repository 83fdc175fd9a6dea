"""Opening a round and listing the rounds (دوره‌ها) of a database.

``open_round`` makes the next (or any) round with its own framework text;
with ``from_year`` it carries, as a starting point the agency may correct by
a new import, each agency's services and operational plan, and opens an empty
draft assessment for each agency assessed in that round.  Nothing of the old
round's answers, judgements, verdicts, evidence or tables 4 and 5 is carried,
and nothing of the old round is changed: its rows stay as they are, and the
rounds that are no longer the latest keep their agencies' details
(:mod:`workbench.model.round_details`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.model.assessments import create_round, find_round
from workbench.model.audit import bulk_insert, record_event
from workbench.model.errors import FrameworkError, UserError
from workbench.model.framework import Framework, parse_framework
from workbench.model.round_details import freeze_earlier_rounds
from workbench.model.schema import Assessment, Round, Service
from workbench.model.terms import STATUSES
from workbench.model.text import persian_digits

#: Jalali years a round may have (the evaluation started in 1395).
YEARS = range(1390, 1500)
#: The service columns a new round carries (the agency's list, its operational plan, its identity cards).
CARRIED_SERVICE_FIELDS = (
    "service_id", "title", "parent_service_id", "kind",
    "in_request_plan", "in_delivery_plan", "in_counter_plan", "in_gsb_plan", "url",
    "service_level", "nature", "info_channels", "request_channels", "delivery_channels",
    "other_agencies", "documents", "visit_reasons",
)


@dataclass
class OpenedRound:
    round: Round
    from_year: int | None = None
    services: int = 0  # services carried
    assessments: int = 0  # empty draft assessments opened
    agencies_kept: dict[int, int] = field(default_factory=dict)  # year → agencies whose details it kept


def open_round(
    session: Session, year: int, framework: Framework, from_year: int | None = None, title: str = ""
) -> OpenedRound:
    """A new round assessed with ``framework``; see the module's docstring for what ``from_year`` carries."""
    if year not in YEARS:
        raise UserError(f"سال دوره باید سالی شمسی بین {persian_digits(YEARS.start)} و "
                        f"{persian_digits(YEARS.stop - 1)} باشد، نه {persian_digits(year)}")
    source = find_round(session, from_year) if from_year is not None else None
    if source is not None and source.year == year:
        raise UserError(f"دورهٔ {persian_digits(year)} نمی‌تواند از خودش ساخته شود")
    previous = session.scalars(select(Round).where(Round.year < year).order_by(Round.year.desc())).first()
    if previous is not None:
        check_continues(parse_framework(previous.framework_text, origin="(دوره)"), framework, previous.year)
    rnd = create_round(session, year, framework, title)
    opened = OpenedRound(rnd, from_year)
    if source is not None:
        opened.services = _carry_services(session, source, rnd)
        opened.assessments = _open_assessments(session, source, rnd)
    opened.agencies_kept = freeze_earlier_rounds(session)
    record_event(session, rnd, "open", {
        "framework_id": framework.id, "framework_sha256": framework.sha256, "from": from_year,
        "services": opened.services, "assessments": opened.assessments,
    })
    session.flush()
    return opened


def check_continues(previous: Framework, current: Framework, previous_year: int) -> None:
    """Refuse a ``continues`` that names a key the earlier round's framework does not have."""
    for node in (*current.indicators, *current.measures(), *current.items()):
        if not node.continues:
            continue
        try:
            previous.node(node.continues)
        except KeyError:
            raise FrameworkError(
                f"«continues» برای {node.key} کلید «{node.continues}» است که در چارچوب دورهٔ "
                f"{persian_digits(previous_year)} نیست",
                key=node.key,
            ) from None


def _carry_services(session: Session, source: Round, target: Round) -> int:
    columns = [getattr(Service, name) for name in ("agency_uuid", *CARRIED_SERVICE_FIELDS)]
    rows = [
        {"round_uuid": target.uuid, **row._asdict()}
        for row in session.execute(select(*columns).where(Service.round_uuid == source.uuid))
    ]
    bulk_insert(session, Service, rows)
    return len(rows)


def _open_assessments(session: Session, source: Round, target: Round) -> int:
    agencies = session.scalars(
        select(Assessment.agency_uuid).where(Assessment.round_uuid == source.uuid).order_by(Assessment.agency_uuid)
    ).all()
    bulk_insert(session, Assessment, [
        {"round_uuid": target.uuid, "agency_uuid": uuid, "status": "draft", "evaluator": ""} for uuid in agencies
    ])
    return len(agencies)


@dataclass
class RoundInfo:
    year: int
    title: str
    framework_id: str
    framework_version: str
    framework_sha256: str
    agencies: int
    services: int
    statuses: dict[str, int]  # draft / complete / final → assessments
    details_kept: int  # agencies whose details this round keeps (0 for the latest)

    @property
    def assessments(self) -> int:
        return sum(self.statuses.values())

    def as_dict(self) -> dict:
        return {
            "year": self.year, "title": self.title, "framework_id": self.framework_id,
            "framework_version": self.framework_version, "framework_sha256": self.framework_sha256,
            "agencies": self.agencies, "services": self.services, "assessments": self.assessments,
            "statuses": self.statuses, "details_kept": self.details_kept,
        }


def list_rounds(session: Session) -> list[RoundInfo]:
    """Every round, oldest first, with its framework and what it holds (a few grouped queries)."""
    from workbench.model.schema import RoundAgency

    statuses: dict[str, dict[str, int]] = {}
    for round_uuid, status, n in session.execute(
        select(Assessment.round_uuid, Assessment.status, func.count()).group_by(Assessment.round_uuid, Assessment.status)
    ):
        statuses.setdefault(round_uuid, {})[status] = n
    services = dict(session.execute(select(Service.round_uuid, func.count()).group_by(Service.round_uuid)).all())
    agencies = dict(session.execute(
        select(Assessment.round_uuid, func.count(func.distinct(Assessment.agency_uuid))).group_by(Assessment.round_uuid)
    ).all())
    kept = dict(session.execute(
        select(RoundAgency.round_uuid, func.count()).group_by(RoundAgency.round_uuid)
    ).all())
    out = []
    for rnd in session.scalars(select(Round).order_by(Round.year)):
        try:
            version = parse_framework(rnd.framework_text, origin="(دوره)").version
        except FrameworkError:
            version = "?"
        by_status = statuses.get(rnd.uuid, {})
        out.append(RoundInfo(
            rnd.year, rnd.title, rnd.framework_id, version, rnd.framework_sha256,
            agencies.get(rnd.uuid, 0), services.get(rnd.uuid, 0),
            {s: by_status.get(s, 0) for s in STATUSES}, kept.get(rnd.uuid, 0),
        ))
    return out
