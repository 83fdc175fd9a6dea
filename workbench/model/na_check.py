"""The not-applicable rules applied to what is in the database (no Qt).

* :func:`refusal_for` — why one key may not be marked not applicable in one
  assessment (the editing layer refuses with it; the window greys the box out
  and shows it).
* :func:`na_violations` — every stored not-applicable of a round (or of some
  assessments) that breaks a rule, for an upgraded database, an import or a
  merge: listed, never changed.
* :func:`round_na_rows` — every not-applicable of a round with its reason and
  the rule it answers to (``workbench report na``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workbench.model.assessments import round_framework
from workbench.model.checklists import NA_MARK, Marks, parse_notes
from workbench.model.eligibility import Exclusions, stage_exclusions
from workbench.model.framework import Framework
from workbench.model.na_rules import STAGE_LABELS, AgencyFacts, automatic, refusal, rule_for
from workbench.model.schema import Agency, Answer, Assessment, NaAgreement, Round, Service
from workbench.model.text import persian_digits

_STAGES = tuple(STAGE_LABELS)


@dataclass(frozen=True)
class Violation:
    """A stored not-applicable that a rule refuses: where, and why (Persian)."""

    assessment_uuid: str
    agency_code: str
    agency_name: str
    key: str
    reason: str  # the evaluator's reason
    problem: str  # why the rule refuses it

    def describe(self) -> str:
        return f"{self.agency_code} {self.agency_name} — {persian_digits(self.key)}: {self.problem}"


@dataclass(frozen=True)
class NaRow:
    """One not-applicable of a round, for the supervisor's report."""

    agency_code: str
    agency_name: str
    level: str
    province: str
    evaluator: str
    status: str
    key: str
    title: str
    reason: str
    by_rule: bool  # made so by a framework rule, not marked by the evaluator
    rule: str  # the rule in words, with where in the guide it comes from
    assumed: bool
    problem: str  # empty when the rule allows it


def facts_for(session: Session, assessment: Assessment, framework: Framework | None = None) -> AgencyFacts:
    """One assessment's agency facts (level, planned stages, services, agreements).

    A stage is planned when the plan lists a service the stage counts (``eligibility``: a sovereign
    service in the counter plan does not make indicator 3 applicable, nor a provincial unit's national one).
    """
    if framework is None:
        framework = round_framework(session, session.get(Round, assessment.round_uuid))
    agency = session.get(Agency, assessment.agency_uuid)
    services = session.execute(
        select(Service.service_id, *[getattr(Service, f"in_{st}_plan") for st in _STAGES], Service.nature,
               Service.service_level).where(
            Service.round_uuid == assessment.round_uuid, Service.agency_uuid == assessment.agency_uuid
        )
    ).all()
    agreements = session.scalars(select(NaAgreement).where(NaAgreement.assessment_uuid == assessment.uuid))
    return _facts(agency.level, services, {g.indicator_key: g.covered() for g in agreements},
                  stage_exclusions(framework))


def _facts(level: str, services, agreements: dict[str, frozenset[str]], exclusions: Exclusions) -> AgencyFacts:
    """``services``: (service ID, the plan's flags in ``_STAGES``' order, the card's nature and level) rows."""
    planned = {st for s in services for i, st in enumerate(_STAGES)
               if s[i + 1] and exclusions.counted(st, s[-2], s[-1], level)}
    return AgencyFacts(
        level=level,
        planned_stages=frozenset(planned),
        services=frozenset(s[0] for s in services),
        agreements=agreements,
    )


def refusal_for(session: Session, assessment_uuid: str, key: str, framework: Framework | None = None) -> str | None:
    """Why ``key`` may not be marked not applicable in this assessment, or ``None`` when it may."""
    assessment = session.get(Assessment, assessment_uuid)
    if assessment is None:
        return None
    if framework is None:
        framework = round_framework(session, session.get(Round, assessment.round_uuid))
    return refusal(framework, key, facts_for(session, assessment, framework))


def _round_data(session: Session, rnd: Round, assessment_uuids: Iterable[str] | None, framework: Framework):
    """Assessments, agencies, facts and N/A answers of a round, in a handful of queries."""
    query = (
        select(Assessment, Agency)
        .join(Agency, Assessment.agency_uuid == Agency.uuid)
        .where(Assessment.round_uuid == rnd.uuid)
        .order_by(Agency.code)
    )
    if assessment_uuids is not None:
        query = query.where(Assessment.uuid.in_(list(assessment_uuids)))
    pairs = [(a, ag) for a, ag in session.execute(query)]
    in_round = select(Assessment.uuid).where(Assessment.round_uuid == rnd.uuid)
    services: dict[str, list] = defaultdict(list)
    for row in session.execute(
        select(Service.agency_uuid, Service.service_id, *[getattr(Service, f"in_{st}_plan") for st in _STAGES],
               Service.nature, Service.service_level).where(Service.round_uuid == rnd.uuid)
    ):
        services[row[0]].append(row[1:])
    exclusions = stage_exclusions(framework)
    agreements: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for g in session.scalars(select(NaAgreement).where(NaAgreement.assessment_uuid.in_(in_round))):
        agreements[g.assessment_uuid][g.indicator_key] = g.covered()
    answers: dict[str, list[Answer]] = defaultdict(list)
    for a in session.scalars(
        select(Answer).where(Answer.assessment_uuid.in_(in_round), Answer.not_applicable.is_(True)).order_by(Answer.key)
    ):
        answers[a.assessment_uuid].append(a)
    for assessment, agency in pairs:
        facts = _facts(agency.level, services[agency.uuid], agreements[assessment.uuid], exclusions)
        yield assessment, agency, facts, answers[assessment.uuid]


def na_violations(
    session: Session, rnd: Round, assessment_uuids: Iterable[str] | None = None, framework: Framework | None = None
) -> list[Violation]:
    """Every stored not-applicable of ``rnd`` (or of ``assessment_uuids``) that breaks a rule.

    For the upgrade of an old database, the import of old data and the merge:
    the records are listed, not changed.
    """
    framework = framework or round_framework(session, rnd)
    out = []
    for assessment, agency, facts, rows in _round_data(session, rnd, assessment_uuids, framework):
        for a in rows:
            problem = _problem(framework, a.key, facts)
            if problem:
                out.append(Violation(assessment.uuid, agency.code, agency.name, a.key, a.na_reason, problem))
    return out


def _problem(framework: Framework, key: str, facts: AgencyFacts) -> str | None:
    try:
        framework.node(key)
    except KeyError:
        return f"کلید {persian_digits(key)} در چارچوب این دوره نیست"
    return refusal(framework, key, facts)


def round_na_rows(session: Session, rnd: Round) -> list[NaRow]:
    """Every not-applicable of a round — marked by an evaluator or made so by a rule, the checklist
    entries marked «صدق نمی‌کند», and the planned services a stage does not count by the card's nature
    (indicator 3's sovereign services) — with its rule."""
    framework = round_framework(session, rnd)
    out = []
    entries = _checklist_na(session, rnd)
    exclusions = stage_exclusions(framework)
    candidates = _services_left_out(session, rnd, framework, exclusions)
    for assessment, agency, facts, rows in _round_data(session, rnd, None, framework):
        marked = {a.key: a for a in rows}
        base = (agency.code, agency.name, agency.level, agency.province, assessment.evaluator, assessment.status)
        for key, reason in sorted(automatic(framework, agency.level).items()):
            if key not in marked:
                out.append(NaRow(*base, key, _title(framework, key), reason, True, *_rule(framework, key), ""))
        for a in rows:
            problem = _problem(framework, a.key, facts) or ""
            out.append(NaRow(*base, a.key, _title(framework, a.key), a.na_reason, False, *_rule(framework, a.key), problem))
        out.extend(_entry_rows(framework, base, entries.get(assessment.uuid, ())))
        for item, service_id, title, nature, level in candidates.get(agency.uuid, ()):
            rule = exclusions.rule_for(item.stage, nature, level, agency.level)
            if rule is not None:
                out.append(NaRow(*base, f"{item.key} {service_id}", f"{item.title} — {title}",
                                 rule.reason(item.stage, nature, level), True, rule.describe(), rule.assumed, ""))
    return out


def _services_left_out(session: Session, rnd: Round, framework: Framework,
                       exclusions: Exclusions) -> dict[str, list[tuple]]:
    """Agency UUID -> (item, service ID, title, nature, level) of each planned service an item's ``eligible``
    rule may leave out by its card (a sovereign service in the counter plan; a national one, for a provincial
    unit, decided per agency); the stored service is not changed.  One query per such item."""
    out: dict[str, list[tuple]] = defaultdict(list)
    for item in (it for it in framework.items() if it.eligible):
        natures = sorted(exclusions.natures(item.stage))
        rule = exclusions.level_rule(item.stage)
        levels = sorted(rule.exclude_levels) if rule is not None else []
        plan = getattr(Service, f"in_{item.stage}_plan")
        for agency_uuid, *row in session.execute(
            select(Service.agency_uuid, Service.service_id, Service.title, Service.nature, Service.service_level)
            .where(Service.round_uuid == rnd.uuid, plan.is_(True),
                   or_(Service.nature.in_(natures), Service.service_level.in_(levels)))
            .order_by(Service.service_id)
        ):
            out[agency_uuid].append((item, *row))
    return out


def _checklist_na(session: Session, rnd: Round) -> dict[str, list[Answer]]:
    """Answers of the round's checklist items (4.3.1) with an entry marked «صدق نمی‌کند», by assessment."""
    in_round = select(Assessment.uuid).where(Assessment.round_uuid == rnd.uuid)
    out: dict[str, list[Answer]] = defaultdict(list)
    for a in session.scalars(select(Answer).where(Answer.assessment_uuid.in_(in_round),
                                                  Answer.marks.contains(NA_MARK)).order_by(Answer.key)):
        out[a.assessment_uuid].append(a)
    return out


def _entry_rows(framework: Framework, base: tuple, answers: Iterable[Answer]) -> list[NaRow]:
    """A checklist entry the evaluator marked «صدق نمی‌کند» leaves the item's count of entries (its
    points are a share of the entries that apply): one row each, the entry's own note as its reason
    (the item's note where the entry has none)."""
    out = []
    for a in answers:
        marks = Marks.parse(a.marks)
        notes = parse_notes(a.entry_notes)
        try:
            item = framework.node(a.key)
        except KeyError:
            continue
        rule = getattr(item, "checklist", None)
        if marks is None or rule is None:
            continue
        titles = {e.key: e.title for e in rule.entries}
        text = f"بند صدق‌نکردنی از شمار بندهای فهرست وارسی بیرون می‌رود — {rule.source}"
        if rule.assumption:
            text += f" — فرض میز کار: {rule.assumption}"
        for entry in sorted(marks.not_applicable):
            out.append(NaRow(*base, f"{a.key} {entry}", f"{item.title} — {titles.get(entry, entry)}",
                             notes.get(entry) or a.note or "", False, text, rule.assumed, ""))
    return out


def _title(framework: Framework, key: str) -> str:
    try:
        return framework.node(key).title
    except KeyError:
        return ""


def _rule(framework: Framework, key: str) -> tuple[str, bool]:
    rule = rule_for(framework, key)
    if rule is None:
        return "چارچوب شرطی ننوشته است (با ذکر دلیل مجاز)", False
    text = f"{rule.describe()} — {rule.source}"
    if rule.assumption:
        text += f" — فرض میز کار: {rule.assumption}"
    return text, rule.assumed


def agreement_of(session: Session, assessment_uuid: str, indicator_key: str) -> dict:
    """The recorded agreement of one indicator (empty fields when none) and how many of the agency's
    services it covers, for the window."""
    row = session.scalar(
        select(NaAgreement).where(
            NaAgreement.assessment_uuid == assessment_uuid, NaAgreement.indicator_key == indicator_key
        )
    )
    assessment = session.get(Assessment, assessment_uuid)
    facts = facts_for(session, assessment)
    covered = row.covered() & facts.services if row is not None else frozenset()
    return {
        "letter_no": row.letter_no if row else "",
        "letter_date": row.letter_date if row else None,
        "service_ids": row.service_ids if row else "",
        "note": row.note if row else "",
        "covered": len(covered),
        "services": len(facts.services),
    }
