"""What one printed summary shows, loaded from the store in a few queries.  No Qt.

:class:`SummarySource` holds an assessment with its agency, round,
framework, score card, answers, evidence (file sizes only, never the bytes),
services, per-service judgements and not-applicable agreements;
:func:`iter_round_sources` loads a whole round a chunk of assessments at a
time.  ``summary_html.py`` renders it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.model.assessments import build_answers, round_assessments, round_framework
from workbench.model.assumptions import Assumptions, round_assumptions
from workbench.model.checklists import section_keys
from workbench.model.eligibility import stage_exclusions
from workbench.model.framework import Framework
from workbench.model.round_details import agencies_in_round, agency_in_round
from workbench.model.schema import (
    Agency,
    Answer,
    Assessment,
    Blob,
    Evidence,
    NaAgreement,
    ReformAction,
    ReformRow,
    Round,
    Service,
    ServiceJudgement,
    ServiceSection,
)
from workbench.model.scoring import Answers, ScoreCard, score
from workbench.reports.trend_data import AgencyTrend, compare_with_previous, earlier_rounds


@dataclass
class SummarySource:
    """Everything one summary shows, loaded from the store."""

    assessment: Assessment
    agency: Agency
    parent: Agency | None
    round: Round
    framework: Framework
    card: ScoreCard
    answers: Answers  # the scorer's view (stage counts, reform counts)
    rows: dict[str, Answer]  # stored answers by framework key: notes, N/A reasons
    evidence: dict[str, list[Evidence]]  # by measure key, in the order they were added
    blob_sizes: dict[str, int] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    judgements: dict[str, ServiceJudgement] = field(default_factory=dict)
    assumptions: Assumptions | None = None  # weights and bands the guide does not give (model.assumptions)
    previous: AgencyTrend | None = None  # beside the last earlier round that assessed the agency


def load_source(session: Session, assessment: Assessment, framework: Framework | None = None) -> SummarySource:
    """The summary's data for one assessment (a handful of queries)."""
    rnd = session.get(Round, assessment.round_uuid)
    framework = framework or round_framework(session, rnd)
    # An earlier round's summary shows the agency as that round kept it.
    agency = agency_in_round(session, rnd.uuid, session.get(Agency, assessment.agency_uuid))
    return next(_sources(session, rnd, framework, [(assessment, agency)]))


def iter_round_sources(
    session: Session, rnd: Round, agency_codes: list[str] | None = None, chunk: int = 100
) -> Iterator[SummarySource]:
    """Every assessment of a round, in agency-code order, loaded ``chunk`` at a time.

    A round of 2,500 agencies with up to 200 services each would not fit in
    memory at once, and one query set per agency would be 2,500 round trips;
    chunks keep both small.
    """
    framework = round_framework(session, rnd)
    pairs = round_assessments(session, rnd, agency_codes)
    for start in range(0, len(pairs), chunk):
        yield from _sources(session, rnd, framework, pairs[start : start + chunk])


def count_round(session: Session, rnd: Round) -> int:
    return session.scalar(select(func.count()).select_from(Assessment).where(Assessment.round_uuid == rnd.uuid))


def _sources(session: Session, rnd: Round, framework: Framework, pairs) -> Iterator[SummarySource]:
    assumptions = round_assumptions(session, rnd, framework)
    wanted = [a.uuid for a, _ in pairs]
    agency_ids = [ag.uuid for _, ag in pairs]
    earlier = earlier_rounds(session, rnd)  # for «compared with the previous round»
    answers: dict[str, list[Answer]] = defaultdict(list)
    for row in session.scalars(select(Answer).where(Answer.assessment_uuid.in_(wanted))):
        answers[row.assessment_uuid].append(row)
    judgements: dict[str, list[ServiceJudgement]] = defaultdict(list)
    for row in session.scalars(select(ServiceJudgement).where(ServiceJudgement.assessment_uuid.in_(wanted))):
        judgements[row.assessment_uuid].append(row)
    sections: dict[str, list] = defaultdict(list)  # 4.7's SLA, section by section
    for row in session.execute(select(ServiceSection.assessment_uuid, ServiceSection.service_id,
                                      ServiceSection.section, ServiceSection.met)
                               .where(ServiceSection.assessment_uuid.in_(wanted))):
        sections[row.assessment_uuid].append(row)
    keys = section_keys(framework)
    agreements: dict[str, list[NaAgreement]] = defaultdict(list)
    for row in session.scalars(select(NaAgreement).where(NaAgreement.assessment_uuid.in_(wanted))):
        agreements[row.assessment_uuid].append(row)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for row in session.scalars(
        select(Evidence).where(Evidence.assessment_uuid.in_(wanted)).order_by(Evidence.created_at)
    ):
        evidence[row.assessment_uuid].append(row)
    services: dict[str, list[Service]] = defaultdict(list)
    for row in session.scalars(
        select(Service)
        .where(Service.round_uuid == rnd.uuid, Service.agency_uuid.in_(agency_ids))
        .order_by(Service.service_id)
    ):
        services[row.agency_uuid].append(row)
    reform: dict[str, list[ReformRow]] = defaultdict(list)
    for row in session.scalars(
        select(ReformRow).where(ReformRow.round_uuid == rnd.uuid, ReformRow.agency_uuid.in_(agency_ids))
    ):
        reform[row.agency_uuid].append(row)
    actions: dict[str, list] = defaultdict(list)
    for row in session.execute(
        select(ReformAction.agency_uuid, ReformAction.service_id, ReformAction.step, ReformAction.accepted).where(
            ReformAction.round_uuid == rnd.uuid, ReformAction.agency_uuid.in_(agency_ids)
        )
    ):
        actions[row.agency_uuid].append(row)
    # Only the sizes of evidence files: their bytes may be hundreds of MB.
    digests = {e.blob_sha256 for rows in evidence.values() for e in rows if e.blob_sha256}
    sizes = dict(session.execute(select(Blob.sha256, Blob.size).where(Blob.sha256.in_(digests))).all())
    parent_ids = {ag.parent_uuid for _, ag in pairs if ag.parent_uuid}
    # The parent's name as this round saw it too.
    parents = agencies_in_round(session, rnd.uuid, session.scalars(select(Agency).where(Agency.uuid.in_(parent_ids))))

    exclusions = stage_exclusions(framework)
    for assessment, agency in pairs:
        built = build_answers(
            answers[assessment.uuid], services[agency.uuid], judgements[assessment.uuid], reform[agency.uuid],
            agency.level, agreements[assessment.uuid], actions[agency.uuid], exclusions,
            sections=sections[assessment.uuid], section_keys=keys,
        )
        by_measure: dict[str, list[Evidence]] = defaultdict(list)
        for ev in evidence[assessment.uuid]:
            by_measure[ev.measure_key].append(ev)
        yield SummarySource(
            assessment=assessment,
            agency=agency,
            parent=parents.get(agency.parent_uuid),
            round=rnd,
            framework=framework,
            card=(card := score(framework, built)),
            answers=built,
            rows={a.key: a for a in answers[assessment.uuid]},
            evidence=dict(by_measure),
            blob_sizes=sizes,
            services=services[agency.uuid],
            judgements={j.service_id: j for j in judgements[assessment.uuid]},
            assumptions=assumptions,
            previous=compare_with_previous(earlier, rnd, framework, agency, card, assessment.status),
        )
