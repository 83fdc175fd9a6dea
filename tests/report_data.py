"""A small round for the Excel report tests, with answers that give known scores.

Indicators 1, 2, 3 and 5 (which count services and table 4) are marked not
applicable, so a score depends only on the yes/no, check and typed ratio
items a test sets here; ``score_round`` is still what the tests compare with.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbench.model.assessments import create_round
from workbench.model.checklists import section_keys
from workbench.model.framework import Framework
from workbench.model.schema import (
    Agency,
    Answer,
    Assessment,
    ReformAction,
    ReformRow,
    Service,
    ServiceJudgement,
    ServiceSection,
)
from workbench.model.terms import STAGE_FIELDS

NA_INDICATORS = ("1", "2", "3", "5")
HOSTILE = ('=HYPERLINK("http://example.com/x","کلیک")', "+1", "-2", "@SUM(A1)")


@dataclass
class Spec:
    code: str
    name: str
    level: str = "national"
    province: str = ""
    parent: str = ""  # parent agency code
    status: str = "final"
    #: share of the check/yes-no items answered "yes" (the first ones in framework order)
    share: float = 1.0
    evaluator: str = "مریم احمدی"
    na_extra: tuple[str, ...] = ()
    assessed: bool = True


@dataclass
class Built:
    year: int
    agencies: dict[str, Agency] = field(default_factory=dict)


def build(store, framework: Framework, specs: list[Spec], year: int = 1403, tables: bool = True) -> Built:
    built = Built(year)
    with store.session() as s:
        rnd = create_round(s, year, framework)
        for spec in specs:  # parents first in the spec lists of the tests
            parent = built.agencies.get(spec.parent)
            ag = Agency(
                code=spec.code,
                name=spec.name,
                level=spec.level,
                province=spec.province,
                parent_uuid=parent.uuid if parent is not None else None,
            )
            s.add(ag)
            s.flush()
            built.agencies[spec.code] = ag
            if spec.assessed:
                a = Assessment(
                    round_uuid=rnd.uuid,
                    agency_uuid=ag.uuid,
                    evaluator=spec.evaluator,
                    visit_date=dt.date(2024, 11, 5),
                    status=spec.status,
                )
                s.add(a)
                s.flush()
                _answer(s, a, framework, spec)
            if tables:
                _tables(s, rnd, ag)
    return built


def _answer(s, a: Assessment, framework: Framework, spec: Spec) -> None:
    for key in NA_INDICATORS + spec.na_extra:
        s.add(Answer(assessment_uuid=a.uuid, key=key, not_applicable=True, na_reason="آزمون"))
    skip = set(NA_INDICATORS + spec.na_extra)
    items = [it for it in framework.items() if it.key.split(".")[0] not in skip]
    yes_count = round(len(items) * spec.share)
    checks: dict[str, bool] = {}
    for n, it in enumerate(items):
        yes = n < yes_count
        if it.kind in ("check", "yesno"):
            s.add(Answer(assessment_uuid=a.uuid, key=it.key, value=yes))
        elif it.kind == "ratio" and it.source == "typed":
            s.add(Answer(assessment_uuid=a.uuid, key=it.key, achieved=4.0 if yes else 1.0, planned=4.0))
        elif it.kind == "ratio":  # counted from services: none planned here, so it does not apply
            s.add(Answer(assessment_uuid=a.uuid, key=it.key, not_applicable=True, na_reason="آزمون"))
        elif it.kind == "checklist":  # every entry of the appendix met, or none
            met = " ".join(e.key for e in it.checklist.entries) if yes else ""
            s.add(Answer(assessment_uuid=a.uuid, key=it.key, marks=met))
        elif it.kind == "per_service":  # every service of the list has it, or none
            checks[it.per_service.stage] = yes
    if checks:
        # One service, outside every stage of the plan (indicators 1–3 stay not applicable here), judged
        # for the per-service checks (4.7, 9.2.3, 11).
        s.add(Service(round_uuid=a.round_uuid, agency_uuid=a.agency_uuid, service_id="999000000",
                      title="خدمت نمونه"))
        fields = {f: yes for stage, yes in checks.items() for f in STAGE_FIELDS.get(stage, ())}
        s.add(ServiceJudgement(assessment_uuid=a.uuid, service_id="999000000", url="", note="", **fields))
        if "sla" in checks:  # 4.7's SLA: a row per section of appendix C (the framework's)
            s.add_all(ServiceSection(assessment_uuid=a.uuid, service_id="999000000", section=k, met=checks["sla"])
                      for k in section_keys(framework))


def _tables(s, rnd, ag: Agency) -> None:
    s.add_all(
        [
            ReformRow(round_uuid=rnd.uuid, agency_uuid=ag.uuid, row_no=1, service_id="121095100",
                      service_title="صدور پروانه کسب حقیقی", criterion="زمان", unit="روز",
                      value_before=30, value_target=10, value_after=7.5, description=HOSTILE[0],
                      accepted=True, evaluator_note="مستند زمان‌سنجی دیده شد"),
            ReformRow(round_uuid=rnd.uuid, agency_uuid=ag.uuid, row_no=2, service_id="121095101",
                      service_title=HOSTILE[1], criterion="هزینه", unit=HOSTILE[2],
                      value_before=1500000, value_target=900000, value_after=None, description=HOSTILE[3],
                      accepted=False, evaluator_note="=1+1"),
            ReformRow(round_uuid=rnd.uuid, agency_uuid=ag.uuid, row_no=3, service_id="121095102",
                      service_title="ابطال پروانه کسب", criterion="رضایت شهروند و ارباب رجوع", unit="درصد",
                      value_before=40, value_target=80, value_after=75, accepted=None),
            ReformAction(round_uuid=rnd.uuid, agency_uuid=ag.uuid, row_no=1, service_id="121095100",
                         service_title="صدور پروانه کسب حقیقی", step="هدف‌گذاری", action=HOSTILE[0],
                         start_date=dt.date(2024, 3, 20), end_date=dt.date(2024, 6, 21),
                         status="انجام شده", description=HOSTILE[2], accepted=True),
            ReformAction(round_uuid=rnd.uuid, agency_uuid=ag.uuid, row_no=2, service_id="121095100",
                         service_title="صدور پروانه کسب حقیقی", step="مدل‌سازی وضع موجود",
                         action="ترسیم فرایند فعلی", start_date=dt.date(2024, 6, 22), end_date=None,
                         status="در حال اجرا", description=HOSTILE[3], accepted=None,
                         evaluator_note=HOSTILE[1]),
        ]
    )
