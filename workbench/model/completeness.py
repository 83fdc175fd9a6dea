"""What is still missing before an assessment can be marked complete (no Qt).

:func:`missing` walks the framework in order and returns one :class:`Gap` per
thing the evaluator still has to do:

* an applicable measure none of whose items is answered (one gap for the
  measure), or some of whose items are not (one gap per item);
* anything marked not applicable (عدم مصداق) without a reason, or against the
  guide's rule for it (``na_rules``); what a rule makes not applicable for the
  agency's level (9.1 for a provincial unit) needs nothing;
* a ratio counted from services whose planned services are not all judged, or
  for which the operational plan names no service at all (then the item must
  be marked not applicable, with a reason, or the service list imported);
* indicator 5 with table 4 rows not yet accepted or rejected, or with no
  sub-services to count;
* a measure whose acceptable evidence includes a file or a URL but that has
  neither.  Any one of the listed kinds suffices (a measure accepting "url,
  file" is covered by a URL alone): the guide lists alternatives, not a
  checklist.  Evidence is asked for only where the measure earns points: a
  measure judged zero ("the site has no privacy statement") has nothing to
  prove with a file.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.assessments import build_answers
from workbench.model.eligibility import stage_exclusions
from workbench.model.framework import Framework, Item, Measure
from workbench.model.schema import (
    Answer,
    Assessment,
    Evidence,
    NaAgreement,
    ReformAction,
    ReformRow,
    Service,
    ServiceJudgement,
)
from workbench.model.scoring import Answers, item_fraction, score
from workbench.model.terms import EVIDENCE_LABELS, STAGE_SHORT
from workbench.model.text import persian_digits

#: Evidence kinds that must be present when a measure lists them (see module doc).
PROOF_KINDS = ("file", "url")


@dataclass(frozen=True)
class Gap:
    """One thing missing: the framework key to jump to and a Persian message."""

    key: str
    message: str


def measure_key_of(framework: Framework, key: str) -> str:
    """The measure to show for a gap's key (an item's measure, an indicator's first measure)."""
    node = framework.node(key)
    if isinstance(node, Measure):
        return node.key
    if isinstance(node, Item):
        return next(m.key for m in framework.measures() if any(it.key == key for it in m.items))
    return node.measures[0].key


def missing(session: Session, assessment: Assessment, framework: Framework) -> list[Gap]:
    """Every gap of ``assessment``, in the framework's order; empty when it is complete."""
    rows = list(session.scalars(select(Answer).where(Answer.assessment_uuid == assessment.uuid)))
    services = list(
        session.scalars(
            select(Service).where(
                Service.round_uuid == assessment.round_uuid, Service.agency_uuid == assessment.agency_uuid
            )
        )
    )
    judgements = list(
        session.scalars(select(ServiceJudgement).where(ServiceJudgement.assessment_uuid == assessment.uuid))
    )
    reform_rows = list(
        session.scalars(
            select(ReformRow).where(
                ReformRow.round_uuid == assessment.round_uuid, ReformRow.agency_uuid == assessment.agency_uuid
            )
        )
    )
    evidence_kinds: dict[str, set[str]] = {}
    for measure_key, kind in session.execute(
        select(Evidence.measure_key, Evidence.kind).where(Evidence.assessment_uuid == assessment.uuid)
    ):
        evidence_kinds.setdefault(measure_key, set()).add(kind)

    from workbench.model.na_check import facts_for
    from workbench.model.na_rules import refusal

    facts = facts_for(session, assessment, framework)
    agreements = list(session.scalars(select(NaAgreement).where(NaAgreement.assessment_uuid == assessment.uuid)))
    actions = session.execute(
        select(ReformAction.service_id, ReformAction.step, ReformAction.accepted).where(
            ReformAction.round_uuid == assessment.round_uuid, ReformAction.agency_uuid == assessment.agency_uuid
        )
    ).all()
    from workbench.model.checklists import section_keys
    from workbench.model.schema import ServiceSection

    sections = session.execute(select(ServiceSection.service_id, ServiceSection.section, ServiceSection.met).where(
        ServiceSection.assessment_uuid == assessment.uuid)).all()
    answers = build_answers(rows, services, judgements, reform_rows, facts.level, agreements, actions,
                            stage_exclusions(framework), sections=sections, section_keys=section_keys(framework))
    card = score(framework, answers)
    na_rows = {r.key: r for r in rows if r.not_applicable}
    by_rule = set(answers.not_applicable_keys(framework)) - set(na_rows)
    unjudged_rows = sum(1 for r in reform_rows if r.accepted is None)

    gaps: list[Gap] = []
    for key in sorted(na_rows, key=_order(framework)):
        why = refusal(framework, key, facts) if key in _keys(framework) else None
        if why:
            gaps.append(Gap(key, why + " «عدم مصداق» را بردارید."))
    for ind in framework.indicators:
        if ind.key in by_rule:
            continue
        if ind.key in na_rows:
            _need_reason(gaps, na_rows[ind.key], f"شاخص {_n(ind.key)}")
            continue
        for measure in ind.measures:
            label = f"نماگر {_n(measure.key)} («{measure.title}»)"
            if measure.key in by_rule:
                continue
            if measure.key in na_rows:
                _need_reason(gaps, na_rows[measure.key], label)
                continue
            applicable = [it for it in measure.items if it.key not in na_rows and it.key not in by_rule]
            for it in measure.items:
                if it.key in na_rows:
                    _need_reason(gaps, na_rows[it.key], f"مورد {_n(it.key)}")
            if not applicable:
                continue
            unanswered = [it for it in applicable if item_fraction(it, answers) is None]
            if len(unanswered) == len(applicable) and len(applicable) > 1:
                gaps.append(Gap(measure.key, f"{label} هنوز پاسخ داده نشده است"))
            else:
                for it in unanswered:
                    gaps.append(Gap(it.key, _unanswered_message(it, answers)))
            for it in applicable:
                if it.kind == "ratio" and it.source == "services" and it not in unanswered:
                    count = answers.stages[it.stage]
                    if count.judged < count.planned:
                        left = count.planned - count.judged
                        gaps.append(
                            Gap(
                                it.key,
                                f"مورد {_n(it.key)}: {_n(left)} خدمت از {_n(count.planned)} خدمت برنامهٔ "
                                f"مرحلهٔ {STAGE_SHORT[it.stage]} هنوز بررسی نشده است",
                            )
                        )
                if it.kind == "per_service" and it not in unanswered:
                    count = answers.checks[it.per_service.stage]
                    if count.judged < count.planned:
                        gaps.append(Gap(it.key, f"مورد {_n(it.key)}: {_n(count.planned - count.judged)} خدمت از "
                                                f"{_n(count.planned)} خدمت فهرست هنوز بررسی نشده است"))
                if it.kind == "reform" and unjudged_rows and it not in unanswered:
                    gaps.append(
                        Gap(it.key, f"مورد {_n(it.key)}: {_n(unjudged_rows)} ردیف جدول ۴ هنوز پذیرفته یا رد نشده است")
                    )
            _need_evidence(gaps, measure, label, evidence_kinds.get(measure.key, set()), card[measure.key].earned)
    return gaps


def _keys(framework: Framework) -> set[str]:
    return {n.key for ind in framework.indicators for m in ind.measures for n in (ind, m, *m.items)}


def _order(framework: Framework):
    order = {}
    for ind in framework.indicators:
        for m in ind.measures:
            for n in (ind, m, *m.items):
                order.setdefault(n.key, len(order))
    return lambda key: order.get(key, len(order))


def _need_reason(gaps: list[Gap], row: Answer, label: str) -> None:
    if not (row.na_reason or "").strip():
        gaps.append(Gap(row.key, f"{label} «عدم مصداق» زده شده ولی دلیل آن نوشته نشده است"))


def _need_evidence(gaps: list[Gap], measure: Measure, label: str, present: set[str], earned: float) -> None:
    wanted = [k for k in measure.evidence_kinds if k in PROOF_KINDS]
    if not wanted or earned <= 0 or present.intersection(wanted):
        return
    names = " یا ".join(EVIDENCE_LABELS[k] for k in wanted)
    gaps.append(Gap(measure.key, f"{label} امتیاز گرفته ولی مستندی از نوع {names} ندارد"))


def _unanswered_message(item: Item, answers: Answers) -> str:
    head = f"مورد {_n(item.key)} («{item.title}»)"
    if item.kind == "ratio" and item.source == "services":
        count = answers.stages.get(item.stage)
        if count is None or count.planned == 0:
            return (
                f"{head}: برنامهٔ عملیاتی هیچ خدمتی برای مرحلهٔ {STAGE_SHORT[item.stage]} ندارد؛ "
                "فهرست خدمات را وارد کنید یا با ذکر دلیل «عدم مصداق» بزنید"
            )
        return f"{head}: هیچ‌یک از {_n(count.planned)} خدمت برنامه هنوز بررسی نشده است"
    if item.kind == "ratio":
        return f"{head}: عدد محقق‌شده یا برنامه‌ریزی‌شده وارد نشده است"
    if item.kind == "per_service":
        count = answers.checks.get(item.per_service.stage)
        if count is None or count.planned == 0:
            return f"{head}: فهرست خدمات دستگاه خالی است؛ نخست فهرست خدمات را وارد کنید"
        return f"{head}: {_n(count.planned - count.judged)} خدمت از {_n(count.planned)} خدمت فهرست هنوز بررسی نشده است"
    if item.kind == "checklist":
        return f"{head}: بندهای فهرست وارسی هنوز علامت نخورده‌اند"
    if item.kind == "reform":
        reform = answers.reform
        if reform is not None and reform.sub_services > 0 and reform.rows > 0:
            return f"{head}: هیچ‌یک از {_n(reform.rows)} ردیف جدول ۴ هنوز پذیرفته یا رد نشده است"
        if reform is not None and reform.sub_services > 0:
            return (
                f"{head}: دستگاه جدول ۴ ارائه نکرده است؛ آن را وارد کنید یا "
                "«جدول ۴ ارائه نشده است» را در این نماگر تأیید کنید (امتیاز صفر)"
            )
        return f"{head}: فهرست زیرخدمات دستگاه خالی است؛ فهرست خدمات و جدول‌های ۴ و ۵ را وارد کنید"
    return f"{head} پاسخ داده نشده است"


def _n(value: object) -> str:
    return persian_digits(value)
