"""Assessments as the scorer sees them: rounds, their frameworks, score cards.

Bridges the store (``schema``) and the pure scorer (``scoring``).  Scoring a
whole round loads everything in a handful of queries, not one per agency.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.checklists import Marks, section_keys, section_verdict
from workbench.model.eligibility import Exclusions, stage_exclusions
from workbench.model.errors import UserError
from workbench.model.framework import Framework, parse_framework
from workbench.model.reform_steps import documented_steps, fully_documented
from workbench.model.round_rows import collector_paused, round_answers
from workbench.model.schema import (
    Agency,
    Answer,
    Assessment,
    NaAgreement,
    ReformAction,
    ReformRow,
    Round,
    Service,
    ServiceJudgement,
    ServiceSection,
    WeightOverride,
    stage_verdict,
)
from workbench.model.scoring import Answers, ItemAnswer, ReformCount, ScoreCard, Scorer, StageCount, score
from workbench.model.terms import CHECK_STAGES, SECTIONED_STAGES, STAGES


@lru_cache(maxsize=16)
def _parse_cached(text: str) -> Framework:
    return parse_framework(text, origin="(دوره)")


def create_round(session: Session, year: int, framework: Framework, title: str = "") -> Round:
    """A new round assessed with ``framework`` (its exact text is kept)."""
    if session.scalar(select(Round).where(Round.year == year)) is not None:
        raise UserError(f"دورهٔ {year} از پیش وجود دارد")
    rnd = Round(
        year=year,
        title=title or framework.title,
        framework_id=framework.id,
        framework_text=framework.text,
        framework_sha256=framework.sha256,
    )
    session.add(rnd)
    session.flush()
    return rnd


def round_framework(session: Session, rnd: Round) -> Framework:
    """The framework a round is assessed with, with the supervisor's weights, item splits and bands."""
    from workbench.model.round_weights import apply_round_settings
    from workbench.model.schema import BandSet

    base = _parse_cached(rnd.framework_text)
    overrides = {
        o.indicator_key: o.points
        for o in session.scalars(select(WeightOverride).where(WeightOverride.round_uuid == rnd.uuid))
    }
    bands = session.scalar(select(BandSet.bands).where(BandSet.round_uuid == rnd.uuid))
    return apply_round_settings(base, overrides, bands)


def set_weight_override(session: Session, rnd: Round, indicator_key: str, points: float | None, reason: str = "") -> None:
    """Set (or with ``None`` remove) a round's points for one indicator (its key in any digit set)."""
    from workbench.model.text import ascii_digits

    indicator_key = ascii_digits(str(indicator_key)).strip()
    base = _parse_cached(rnd.framework_text)
    try:
        base.indicator(indicator_key)
    except KeyError:
        raise UserError(f"شاخص {indicator_key} در چارچوب این دوره نیست") from None
    row = session.scalar(
        select(WeightOverride).where(
            WeightOverride.round_uuid == rnd.uuid, WeightOverride.indicator_key == indicator_key
        )
    )
    if points is None:
        if row is not None:
            session.delete(row)
        return
    # Refused here by the same rules that apply the overrides when the round is
    # scored (negative, «inf», «nan», an indicator of no points to scale):
    # stored, such a value would make every later score of the round fail.
    base.with_indicator_points({indicator_key: points})
    if row is None:
        session.add(WeightOverride(round_uuid=rnd.uuid, indicator_key=indicator_key, points=points, reason=reason))
    else:
        row.points, row.reason = points, reason


def find_round(session: Session, year: int | None = None) -> Round:
    """The round of ``year``, or the latest round."""
    query = select(Round)
    query = query.where(Round.year == year) if year is not None else query.order_by(Round.year.desc())
    rnd = session.scalars(query).first()
    if rnd is None:
        raise UserError(f"دورهٔ {year} در این پایگاه داده نیست" if year else "این پایگاه داده هیچ دوره‌ای ندارد")
    return rnd


def find_agency(session: Session, code: str) -> Agency:
    from workbench.model.text import ascii_digits

    agency = session.scalar(select(Agency).where(Agency.code == ascii_digits(str(code)).strip()))
    if agency is None:
        raise UserError(f"دستگاهی با کد «{code}» در این پایگاه داده نیست")
    return agency


# --------------------------------------------------------------------------- answers


_PLAN_FLAGS = tuple(f"in_{stage}_plan" for stage in STAGES)


def build_answers(
    answers: list[Answer],
    services: list[Service],
    judgements: list[ServiceJudgement],
    reform_rows: list[ReformRow],
    level: str = "",
    agreements: list[NaAgreement] = (),
    actions: list[ReformAction] = (),
    exclusions: Exclusions | None = None,
    sections=(),
    section_keys: tuple[str, ...] = (),
) -> Answers:
    """The scorer's view of one assessment from its stored rows.

    Any objects with the models' attribute names will do (``score_round``
    passes plain result rows: building 300,000 ORM objects for a national
    round would cost more than the scoring).  ``level`` is the agency's (rules
    that make a node not applicable by level read it); ``agreements`` take
    services out of an indicator's typed ratios (indicator 7); ``actions``
    (table 5) say which of the six steps each service documents; ``exclusions``
    (:func:`~workbench.model.eligibility.stage_exclusions` of the framework) leave planned services out of
    the stage's count by their card (a sovereign service at the counter offices, a provincial unit's national
    service).  ``sections`` are the services' section rows (``ServiceSection``: 4.7's SLA), judged against
    ``section_keys``, the round's framework's sections (:func:`~workbench.model.checklists.stage_sections`).
    """
    result = Answers(level=level)
    ids = {s.service_id for s in services}
    for ag in agreements:
        result.agreed[ag.indicator_key] = len(set(ag.service_ids.split()) & ids)
    for a in answers:
        if a.not_applicable:
            result.not_applicable[a.key] = a.na_reason
        if a.value is not None or a.achieved is not None or a.planned is not None:
            result.items[a.key] = ItemAnswer(value=a.value, achieved=a.achieved, planned=a.planned)
        if getattr(a, "marks", None) is not None:
            result.marks[a.key] = Marks.parse(a.marks)
    by_id = {j.service_id: j for j in judgements}
    marked: dict[str, dict] = {}
    for row in sections:
        marked.setdefault(row.service_id, {})[row.section] = row.met
    for stage in CHECK_STAGES:  # every service of the list is checked (4.7, 9.2.3, 11)
        count = StageCount(planned=len(services))
        for svc in services:
            j = by_id.get(svc.service_id)
            if stage in SECTIONED_STAGES:
                verdict = section_verdict(marked.get(svc.service_id), section_keys)
            else:
                verdict = None if j is None else stage_verdict(j, stage)
            if verdict is not None:
                count.judged += 1
                count.achieved += verdict
        result.checks[stage] = count
    for stage, flag in zip(STAGES, _PLAN_FLAGS):
        count = StageCount()
        for svc in services:
            if not getattr(svc, flag):
                continue
            if exclusions and not exclusions.counted(
                stage, getattr(svc, "nature", ""), getattr(svc, "service_level", ""), level
            ):
                count.excluded += 1
                continue
            count.planned += 1
            j = by_id.get(svc.service_id)
            if j is not None:
                verdict = stage_verdict(j, stage)
                if verdict is not None:
                    count.judged += 1
                    count.achieved += verdict
        result.stages[stage] = count
    parents = {s.parent_service_id for s in services if s.parent_service_id}
    leaves = sum(1 for s in services if s.service_id not in parents)
    # The guide counts «زیرخدمات (یا خدمات بدون زیرخدمت)»: a row on a parent service does not count.
    accepted = {r.service_id for r in reform_rows if r.accepted}
    improved = frozenset(accepted - parents)
    judged = sum(1 for r in reform_rows if r.accepted is not None)
    result.reform = ReformCount(
        improved=len(improved), sub_services=leaves, rows=len(reform_rows), judged=judged,
        improved_ids=improved, documented=fully_documented(documented_steps(actions)),
        on_parents=len(accepted & parents),
    )
    return result


def load_answers(session: Session, assessment: Assessment, framework: Framework | None = None) -> Answers:
    """One assessment's answers read from its stored rows (the framework decides which services count and
    names the sections 4.7's SLA is judged on; read from the round when not given)."""
    if framework is None:
        framework = round_framework(session, session.get(Round, assessment.round_uuid))
    services = list(
        session.scalars(
            select(Service).where(
                Service.round_uuid == assessment.round_uuid, Service.agency_uuid == assessment.agency_uuid
            )
        )
    )
    rows = list(
        session.scalars(
            select(ReformRow).where(
                ReformRow.round_uuid == assessment.round_uuid, ReformRow.agency_uuid == assessment.agency_uuid
            )
        )
    )
    answers = list(session.scalars(select(Answer).where(Answer.assessment_uuid == assessment.uuid)))
    judgements = list(
        session.scalars(select(ServiceJudgement).where(ServiceJudgement.assessment_uuid == assessment.uuid))
    )
    agreements = list(session.scalars(select(NaAgreement).where(NaAgreement.assessment_uuid == assessment.uuid)))
    level = session.scalar(select(Agency.level).where(Agency.uuid == assessment.agency_uuid)) or ""
    actions = session.execute(
        select(ReformAction.service_id, ReformAction.step, ReformAction.accepted).where(
            ReformAction.round_uuid == assessment.round_uuid, ReformAction.agency_uuid == assessment.agency_uuid
        )
    ).all()
    sections = session.execute(select(ServiceSection.service_id, ServiceSection.section, ServiceSection.met).where(
        ServiceSection.assessment_uuid == assessment.uuid)).all()
    return build_answers(answers, services, judgements, rows, level, agreements, actions, stage_exclusions(framework),
                         sections=sections, section_keys=section_keys(framework))


def score_assessment(session: Session, assessment: Assessment, framework: Framework | None = None) -> ScoreCard:
    if framework is None:
        framework = round_framework(session, session.get(Round, assessment.round_uuid))
    return score(framework, load_answers(session, assessment, framework))


@dataclass
class ScoredAssessment:
    assessment: Assessment
    agency: Agency
    card: ScoreCard


def round_assessments(
    session: Session, rnd: Round, agency_codes: list[str] | None = None
) -> list[tuple[Assessment, Agency]]:
    """The assessments of a round (of ``agency_codes`` only, when given) with their agencies, in agency-code order.

    An earlier round's agencies come with the details that round kept of them
    (:mod:`workbench.model.round_details`), so its reports never change.
    """
    from workbench.model.round_details import as_of, kept_details

    query = (
        select(Assessment, Agency)
        .join(Agency, Assessment.agency_uuid == Agency.uuid)
        .where(Assessment.round_uuid == rnd.uuid)
        .order_by(Agency.code)
    )
    if agency_codes is not None:
        query = query.where(Agency.code.in_(agency_codes))
    pairs = [(assessment, agency) for assessment, agency in session.execute(query)]
    kept = kept_details(session, rnd.uuid)
    if kept:
        pairs = [(assessment, as_of(agency, kept.get(agency.uuid))) for assessment, agency in pairs]
    return pairs


#: How often :func:`score_round` reports progress (assessments scored between two reports).
PROGRESS_EVERY = 50


def score_round(
    session: Session,
    rnd: Round,
    agency_codes: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ScoredAssessment]:
    """Every assessment of a round with its score card, in agency-code order.

    ``progress(done, total)``, when given, is called once the rows are read
    (``done`` 0) and every :data:`PROGRESS_EVERY` assessments scored, so the
    window can show how far a large round has got.
    """
    framework = round_framework(session, rnd)
    scorer = Scorer(framework)
    with collector_paused():
        pairs = round_assessments(session, rnd, agency_codes)
        answers = round_answers(session, rnd.uuid, pairs, framework, agency_codes)
        out = []
        for i, (assessment, agency) in enumerate(pairs):
            if progress is not None and i % PROGRESS_EVERY == 0:
                progress(i, len(pairs))
            out.append(ScoredAssessment(assessment, agency, scorer(answers[assessment.uuid])))
    if progress is not None:
        progress(len(pairs), len(pairs))
    return out
