"""A round's stored rows as the scorer needs them, read in bulk (issue 16).

:func:`~workbench.model.assessments.score_round` scores a national round (2,500
assessments, some 300,000 stored rows) in a fixed handful of queries, whatever its size:

* the answers, as the database driver gives them (plain tuples: SQLAlchemy's conversion
  of every value cost more than the SQL did);
* each assessment's services counted per stage by the database — planned, judged and
  achieved by :func:`~workbench.model.schema.stage_verdict_sql`, the one stage rule
  written as SQL — rather than 100,000 services and 90,000 judgements read and matched
  one by one in Python;
* the parent services (table 4 counts sub-services, or services with none) and table 4's
  verdicts; table 5's steps only when the framework withholds credit for a service whose
  six steps are not all documented; indicator 7's agreements and the services they name.

:func:`round_answers` gives every assessment the same :class:`~workbench.model.scoring.Answers`
that :func:`~workbench.model.assessments.build_answers` makes from its stored rows one
by one (tests compare the two cards on every assessment of demo rounds).
"""
from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import and_, case, exists, func, literal_column, null, select
from sqlalchemy.orm import Session, aliased

from workbench.model.checklists import Marks, section_keys
from workbench.model.eligibility import Exclusions, stage_exclusions
from workbench.model.framework import Framework
from workbench.model.reform_steps import documented_steps, fully_documented
from workbench.model.schema import (
    Agency,
    Answer,
    Assessment,
    NaAgreement,
    ReformAction,
    ReformRow,
    Service,
    ServiceJudgement,
    ServiceSection,
    stage_verdict_sql,
)
from workbench.model.scoring import Answers, ItemAnswer, ReformCount, StageCount
from workbench.model.terms import CHECK_STAGES, SECTIONED_STAGES, STAGES


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a round's rows are read and scored.

    Those are some 500,000 new objects that hold no cycles, and each time their number
    passes a threshold the collector walks every object alive: on a national round that
    was half of the scoring's time.  Reference counting still frees what is dropped;
    the collector runs again as before once the block ends (it was left off if it was).

    At the end the objects made meanwhile go straight to the oldest generation
    (``gc.freeze`` then ``gc.unfreeze``), where a collection would have moved them:
    otherwise the first allocation after the block walks all of them at once
    (0.1 s of a national round's 1 s).  Nothing is exempt from collection.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # every tracked object into the permanent generation, the young counts reset...
        gc.unfreeze()  # ...and back, into the oldest generation
        if was_on:
            gc.enable()


def driver_rows(connection, statement) -> list[tuple]:
    """All rows of ``statement`` as plain tuples from the database driver.

    No per-value conversion by SQLAlchemy: a Boolean column comes as SQLite stores it
    (0, 1 or None), so only code that reads it for truth (or ``is None``) may use these.
    """
    result = connection.execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def withholds_undocumented(framework: Framework) -> bool:
    """Whether some reform item withholds credit from services table 5 does not fully document."""
    return any(it.six_steps is not None and it.six_steps.withhold for it in framework.items())


def round_answers(
    session: Session, round_uuid: str, pairs: list, framework: Framework, agency_codes: list[str] | None = None
) -> dict[str, Answers]:
    """Assessment UUID -> the scorer's view of it, for the ``(assessment, agency)`` ``pairs`` of a round.

    ``agency_codes`` (when given) must be the codes ``pairs`` was chosen by: the queries
    read only those agencies' rows.
    """
    connection = session.connection()
    chosen = Assessment.round_uuid == round_uuid
    if agency_codes is not None:
        chosen = and_(chosen, Assessment.agency_uuid.in_(select(Agency.uuid).where(Agency.code.in_(agency_codes))))
    out: dict[str, Answers] = {}
    of_agency: dict[str, Answers] = {}  # a round assesses an agency once
    for assessment, agency in pairs:
        answers = Answers(level=agency.level)
        answers.stages = {stage: StageCount() for stage in STAGES}
        answers.checks = {stage: StageCount() for stage in CHECK_STAGES}
        out[assessment.uuid] = of_agency[agency.uuid] = answers

    _read_answers(connection, chosen, out)
    services = _count_stages(connection, round_uuid, chosen, of_agency, stage_exclusions(framework),
                             section_keys(framework))
    parents, listed_parents = _parents(connection, round_uuid, chosen)
    steps = _documented(connection, round_uuid, chosen) if withholds_undocumented(framework) else {}
    reform_rows: dict[str, list] = defaultdict(list)
    for agency_uuid, service_id, accepted in driver_rows(
        connection,
        select(ReformRow.agency_uuid, ReformRow.service_id, ReformRow.accepted).where(
            ReformRow.round_uuid == round_uuid, ReformRow.agency_uuid.in_(select(Assessment.agency_uuid).where(chosen))
        ),
    ):
        reform_rows[agency_uuid].append((service_id, accepted))
    for agency_uuid, answers in of_agency.items():
        rows = reform_rows.get(agency_uuid, ())
        parent_ids = parents.get(agency_uuid, frozenset())
        # The guide counts «زیرخدمات (یا خدمات بدون زیرخدمت)»: a row on a parent service does not count.
        accepted = {service_id for service_id, verdict in rows if verdict}
        improved = frozenset(accepted - parent_ids)
        answers.reform = ReformCount(
            improved=len(improved),
            sub_services=services.get(agency_uuid, 0) - listed_parents.get(agency_uuid, 0),
            rows=len(rows),
            judged=sum(1 for _sid, verdict in rows if verdict is not None),
            improved_ids=improved,
            documented=steps.get(agency_uuid, frozenset()),
            on_parents=len(accepted & parent_ids),
        )
    _agreements(connection, round_uuid, chosen, out)
    return out


def _read_answers(connection, chosen, out: dict[str, Answers]) -> None:
    for uuid, key, value, achieved, planned, not_applicable, reason, marks in driver_rows(
        connection,
        select(
            Answer.assessment_uuid, Answer.key, Answer.value, Answer.achieved, Answer.planned,
            Answer.not_applicable, Answer.na_reason, Answer.marks,
        ).where(Answer.assessment_uuid.in_(select(Assessment.uuid).where(chosen))),
    ):
        answers = out.get(uuid)
        if answers is None:
            continue
        if not_applicable:
            answers.not_applicable[key] = reason
        if value is not None or achieved is not None or planned is not None:
            answers.items[key] = ItemAnswer(value, achieved, planned)
        if marks is not None:  # a checklist (4.3.1, appendix A)
            answers.marks[key] = Marks.parse(marks)


def _stage_columns(stage: str, exclusions: Exclusions) -> list:
    """Planned, judged, achieved and left out of ``stage``, then the same three among the services its
    level rule would leave out (0 without one): whether it does depends on the agency's level, read
    per assessment (an earlier round's agencies as that round kept them)."""
    plan = getattr(Service, f"in_{stage}_plan")
    verdict = stage_verdict_sql(stage)
    natures = sorted(exclusions.natures(stage))
    left_out = literal_column("0")
    if natures:  # a card's nature leaves it out for every agency
        left_out = func.count(case((and_(plan, Service.nature.in_(natures)), 1)))
        plan = and_(plan, func.coalesce(Service.nature, "").notin_(natures))
    columns = [
        func.count(case((plan, 1))),
        func.count(case((plan, verdict))),  # judged: a verdict, 1 or 0
        func.count(case((and_(plan, verdict == 1), 1))),
        left_out,
    ]
    rule = exclusions.level_rule(stage)
    if rule is None:
        return columns + [literal_column("0")] * 3
    by_level = and_(plan, Service.service_level.in_(sorted(rule.exclude_levels)))
    return columns + [
        func.count(case((by_level, 1))),
        func.count(case((by_level, verdict))),
        func.count(case((and_(by_level, verdict == 1), 1))),
    ]


def _count_stages(
    connection, round_uuid: str, chosen, of_agency: dict[str, Answers], exclusions: Exclusions,
    keys: tuple[str, ...] = (),
) -> dict[str, int]:
    """Fill each assessment's stage counts; agency UUID -> how many services it lists.

    Grouped by the services' agency, the order SQLite's index of a round's services
    already reads them in (no sort).  A stage with ``eligible`` rules counts only the
    planned services the card does not exclude (``eligibility.Exclusions.counted``).  A sectioned check
    (4.7's SLA) is counted from its section rows, per service: judged with any of the framework's ``keys``
    judged, achieved with all met.
    """
    sections = (
        select(ServiceSection.assessment_uuid, ServiceSection.service_id,
               func.count(ServiceSection.met).label("judged"),
               func.count(case((ServiceSection.met, 1))).label("met"))
        .where(ServiceSection.assessment_uuid.in_(select(Assessment.uuid).where(chosen)),
               ServiceSection.section.in_(keys or ("",)))
        .group_by(ServiceSection.assessment_uuid, ServiceSection.service_id)
        .subquery()
    )
    sectioned = case((sections.c.judged.is_(None) | (sections.c.judged == 0), null()),
                     (sections.c.met == len(keys), 1), else_=0)
    columns = []
    for stage in STAGES:
        columns += _stage_columns(stage, exclusions)
    for stage in CHECK_STAGES:  # every service of the list (4.7, 9.2.3, 11): judged, achieved
        verdict = sectioned if stage in SECTIONED_STAGES else stage_verdict_sql(stage)
        columns += [func.count(verdict), func.count(case((verdict == 1, 1)))]
    query = (
        select(Service.agency_uuid, func.count(Service.service_id), *columns)
        .join(Assessment, and_(Assessment.round_uuid == Service.round_uuid, Assessment.agency_uuid == Service.agency_uuid))
        .outerjoin(
            ServiceJudgement,
            and_(ServiceJudgement.assessment_uuid == Assessment.uuid, ServiceJudgement.service_id == Service.service_id),
        )
        .outerjoin(sections, and_(sections.c.assessment_uuid == Assessment.uuid,
                                  sections.c.service_id == Service.service_id))
        .where(chosen, Service.round_uuid == round_uuid)
        .group_by(Service.agency_uuid)
    )
    listed = {}
    for agency_uuid, count, *counts in driver_rows(connection, query):
        listed[agency_uuid] = count
        answers = of_agency.get(agency_uuid)
        if answers is None:
            continue
        for i, stage in enumerate(STAGES):
            planned, judged, achieved, excluded, by_level, judged_by_level, achieved_by_level = counts[7 * i: 7 * i + 7]
            rule = exclusions.level_rule(stage)
            if rule is not None and answers.level in rule.agency_levels:  # a provincial unit's national services
                planned, judged, achieved = planned - by_level, judged - judged_by_level, achieved - achieved_by_level
                excluded += by_level
            answers.stages[stage] = StageCount(achieved=achieved, planned=planned, judged=judged, excluded=excluded)
        checked = counts[7 * len(STAGES):]
        for i, stage in enumerate(CHECK_STAGES):
            judged, achieved = checked[2 * i: 2 * i + 2]
            answers.checks[stage] = StageCount(achieved=achieved, planned=count, judged=judged)
    return listed


def _parents(connection, round_uuid: str, chosen) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """Agency UUID -> the services its services name as their parent, and how many of those it lists."""
    parent = aliased(Service)
    listed = (
        exists()
        .where(
            parent.round_uuid == Service.round_uuid,
            parent.agency_uuid == Service.agency_uuid,
            parent.service_id == Service.parent_service_id,
        )
        .correlate(Service)
    )
    query = (
        select(Service.agency_uuid, Service.parent_service_id, listed)
        .where(
            Service.round_uuid == round_uuid,
            Service.agency_uuid.in_(select(Assessment.agency_uuid).where(chosen)),
            Service.parent_service_id != "",
        )
        .distinct()
    )
    parents: dict[str, set[str]] = defaultdict(set)
    counted: dict[str, int] = defaultdict(int)
    for agency_uuid, parent_id, is_listed in driver_rows(connection, query):
        parents[agency_uuid].add(parent_id)
        if is_listed:
            counted[agency_uuid] += 1
    return {k: frozenset(v) for k, v in parents.items()}, counted


def _documented(connection, round_uuid: str, chosen) -> dict[str, frozenset[str]]:
    """Agency UUID -> services whose six steps table 5 documents (typed rows: the rule asks ``is False``)."""
    by_agency: dict[str, list] = defaultdict(list)
    for row in connection.execute(
        select(ReformAction.agency_uuid, ReformAction.service_id, ReformAction.step, ReformAction.accepted).where(
            ReformAction.round_uuid == round_uuid,
            ReformAction.agency_uuid.in_(select(Assessment.agency_uuid).where(chosen)),
        )
    ).all():
        by_agency[row.agency_uuid].append(row)
    return {agency: fully_documented(documented_steps(rows)) for agency, rows in by_agency.items()}


def _agreements(connection, round_uuid: str, chosen, out: dict[str, Answers]) -> None:
    """Indicator 7: how many of the agency's services each agreement with the Organization names."""
    agreed = select(NaAgreement.assessment_uuid, NaAgreement.indicator_key, NaAgreement.service_ids).where(
        NaAgreement.assessment_uuid.in_(select(Assessment.uuid).where(chosen))
    )
    rows = driver_rows(connection, agreed)
    with_agreements = select(Assessment.agency_uuid).join(
        NaAgreement, NaAgreement.assessment_uuid == Assessment.uuid
    ).where(chosen)
    ids: dict[str, set[str]] = defaultdict(set)
    for uuid, service_id in driver_rows(
        connection,
        select(Assessment.uuid, Service.service_id)
        .join(Assessment, and_(Assessment.round_uuid == Service.round_uuid, Assessment.agency_uuid == Service.agency_uuid))
        .where(Service.round_uuid == round_uuid, Service.agency_uuid.in_(with_agreements)),
    ):
        ids[uuid].add(service_id)
    for uuid, indicator_key, service_ids in rows:
        if uuid in out:
            out[uuid].agreed[indicator_key] = len(set(service_ids.split()) & ids[uuid])
