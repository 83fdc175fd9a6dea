"""Indicator 3 counts only the services that may be handed to the counter offices (002, 003).

002, indicator 3: «خدمات قابل واگذاری: خدمات یا فرآیندهایی از خدمات هستند که ماهیت حاکمیتی نداشته و
قابلیت الکترونیکی شدن و واگذاری به بخش عمومی غیردولتی و خصوصی دارند»; 003: «حاکمیتی: …؛ تصدی گری: خدمتی
که از نوع حاکمیتی نباشد».  A sovereign service in the counter plan leaves 3.1.1's denominator and numerator
(the framework file's ``eligible`` rule, assumed); a business (تصدی‌گری) one counts, and so does one whose
card says nothing.  The bulk scorer and the one-assessment scorer agree, on SQLite and on PostgreSQL; the
not-applicable rule of indicator 3 looks at the counted services; ``report na`` lists the services left out;
the published assumptions name the rule; stored data is never changed.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from workbench.model.assessments import build_answers, create_round, score_assessment, score_round
from workbench.model.assumptions import round_assumptions
from workbench.model.eligibility import stage_exclusions
from workbench.model.errors import FrameworkError
from workbench.model.framework import load_default_framework, parse_framework
from workbench.model.na_check import refusal_for, round_na_rows
from workbench.model.schema import Agency, Assessment, Round, Service, ServiceJudgement
from workbench.model.scoring import StageCount, score

pytestmark = pytest.mark.backends

#: (service ID, nature, in the counter plan, judged delivered at the counter)
COUNTER_SERVICES = (
    ("121095001", "sovereign", True, True),   # حاکمیتی, delivered: not counted at all
    ("121095002", "sovereign", True, True),
    ("121095003", "enterprise", True, True),  # تصدی‌گری: counted, achieved
    ("121095004", "", True, False),           # the card says nothing: counted as before
    ("121095005", "sovereign", False, None),  # not in the counter plan: nothing to leave out
)


def _seed(store, level="national", services=COUNTER_SERVICES) -> None:
    with store.session() as s:
        rnd = create_round(s, 1403, load_default_framework())
        agency = Agency(code="3001", name="ادارهٔ نمونه", level=level, province="اصفهان" if level != "national" else "")
        s.add(agency)
        s.flush()
        assessment = Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="ارزیاب")
        s.add(assessment)
        s.flush()
        for sid, nature, planned, delivered in services:
            s.add(Service(round_uuid=rnd.uuid, agency_uuid=agency.uuid, service_id=sid, title=f"خدمت {sid}",
                          nature=nature, in_counter_plan=planned))
            if delivered is not None:
                s.add(ServiceJudgement(assessment_uuid=assessment.uuid, service_id=sid, counter=delivered))


def _cards(store):
    """3.1.1 by the one-assessment path and by the bulk path (they must agree)."""
    with store.session() as s:
        rnd = s.scalar(select(Round))
        (scored,) = score_round(s, rnd)
        single = score_assessment(s, scored.assessment)
        bulk = scored.card
        for key in single.nodes:
            assert (single[key].earned, single[key].possible, single[key].applicable, single[key].answered) == (
                bulk[key].earned, bulk[key].possible, bulk[key].applicable, bulk[key].answered), key
        return single["3.1.1"]


def test_a_sovereign_service_in_the_counter_plan_is_not_counted_a_business_one_is(store):
    _seed(store)
    node = _cards(store)
    # Counted: 121095003 (تصدی‌گری, delivered) and 121095004 (no nature, not delivered): 20 × 1/2.
    assert (node.earned, node.possible) == (pytest.approx(10), 20)
    with store.session() as s:  # the stored plan and cards are as they were
        rows = s.execute(select(Service.service_id, Service.nature, Service.in_counter_plan)
                         .order_by(Service.service_id)).all()
    assert [tuple(r) for r in rows] == [(sid, n, p) for sid, n, p, _ in COUNTER_SERVICES]


def test_without_sovereign_services_the_score_is_what_it_was(store):
    # The same services with no nature on any card: every planned service counts, 20 × 3/4.
    _seed(store, services=[(sid, "", planned, done) for sid, _n, planned, done in COUNTER_SERVICES])
    node = _cards(store)
    assert (node.earned, node.possible) == (pytest.approx(15), 20)


def test_a_plan_of_sovereign_services_only_is_no_counter_plan(store):
    """A provincial unit whose counter plan names only sovereign services has no service indicator 3 counts:
    it may mark indicator 3 not applicable («در صورت نداشتن خدمت استانی، عدم مصداق است»); with a business
    service in the plan it may not."""
    _seed(store, level="provincial", services=[("121095001", "sovereign", True, None)])
    with store.session() as s:
        a = s.scalar(select(Assessment))
        assert refusal_for(s, a.uuid, "3") is None
        s.add(Service(round_uuid=a.round_uuid, agency_uuid=a.agency_uuid, service_id="121095009",
                      title="خدمت تصدی", nature="enterprise", in_counter_plan=True))
        s.flush()
        assert "دفاتر پیشخوان" in refusal_for(s, a.uuid, "3")
    with store.session() as s:
        assert score_assessment(s, s.scalar(select(Assessment)))["3.1.1"].answered == 0  # nothing counted, not zero


def test_report_na_lists_the_services_left_out(store):
    _seed(store)
    with store.session() as s:
        rows = [r for r in round_na_rows(s, s.scalar(select(Round))) if r.key.startswith("3.1.1 ")]
    assert [r.key for r in rows] == ["3.1.1 121095001", "3.1.1 121095002"]
    row = rows[0]
    assert "خدمت 121095001" in row.title and "حاکمیتی" in row.reason
    assert row.by_rule and row.assumed and not row.problem
    assert "ماهیت حاکمیتی نداشته" in row.rule and "فرض میز کار" in row.rule


def test_the_rule_is_published_as_an_assumption(store):
    _seed(store)
    with store.session() as s:
        said = round_assumptions(s, s.scalar(select(Round)))
    assert "۳.۱.۱" in said.line and "۱.۱.۱" in said.line
    assert any(n.startswith("قاعدهٔ امتیاز مورد ۳.۱.۱: فرضی") and "حاکمیتی" in n and "خدمات ملی" in n
               for n in said.notes)


def test_the_two_paths_count_from_the_same_rule_without_a_store():
    framework = load_default_framework()
    exclusions = stage_exclusions(framework)
    assert exclusions.natures("counter") == {"sovereign"} and not exclusions.natures("request")
    services = [SimpleNamespace(service_id=sid, nature=n, parent_service_id="", in_request_plan=False,
                                in_delivery_plan=False, in_counter_plan=p, in_gsb_plan=False)
                for sid, n, p, _d in COUNTER_SERVICES]
    judgements = [SimpleNamespace(service_id=sid, counter=d) for sid, _n, _p, d in COUNTER_SERVICES if d is not None]
    answers = build_answers([], services, judgements, [], "national", exclusions=exclusions)
    assert answers.stages["counter"] == StageCount(achieved=1, planned=2, judged=2, excluded=2)
    assert score(framework, answers)["3.1.1"].earned == pytest.approx(10)
    # Without the rule (an older round's framework text): every planned service counts.
    assert build_answers([], services, judgements, []).stages["counter"] == StageCount(3, 4, 4)


def _with_rule(rule, key="3.1.1") -> str:
    data = json.loads(load_default_framework().text)
    for ind in data["indicators"]:
        for m in ind["measures"]:
            for it in m["items"]:
                if it["key"] == key:
                    it["eligible"] = rule
    return json.dumps(data, ensure_ascii=False)


def test_the_framework_file_checks_the_rule():
    good = stage_exclusions(load_default_framework()).rules["counter"][0]
    assert good.source.startswith("راهنما (002)، شاخص 3") and good.assumed
    with pytest.raises(FrameworkError, match="4.1.1"):
        parse_framework(_with_rule({"exclude_natures": ["sovereign"], "source": "x"}, key="4.1.1"))
    with pytest.raises(FrameworkError, match="exclude_natures"):
        parse_framework(_with_rule({"exclude_natures": ["royal"], "source": "x"}))
    with pytest.raises(FrameworkError, match="source"):
        parse_framework(_with_rule({"exclude_natures": ["sovereign"]}))
    parsed = parse_framework(_with_rule(None))  # the key absent: no rule, as an older round's text
    assert parsed.node("3.1.1").eligible == () and not stage_exclusions(parsed).natures("counter")
    with pytest.raises(FrameworkError, match="agency_levels"):
        parse_framework(_with_rule({"exclude_levels": ["national"], "source": "x"}))


def test_the_printed_summary_says_how_many_were_left_out(store):
    from workbench.reports.summary_html import summary_html

    _seed(store)
    with store.session() as s:
        html = summary_html(s, s.scalar(select(Assessment)))
    assert "۱ از ۲ خدمت برنامه" in html and "۲ خدمت برنامه به سبب شناسنامهٔ خدمت شمرده نمی‌شود" in html


# --------------------------------------------------------------------------- a provincial unit's national services

#: (service ID, the card's level, in the request plan, judged: all four capabilities found)
REQUEST_SERVICES = (
    ("121096001", "national", True, True),    # «خدمات ملی و کشوری نیز به عهده دستگاه ملی»: not the unit's
    ("121096002", "provincial", True, False),  # the unit's own: counted
    ("121096003", "urban", True, True),
    ("121096004", "", True, False),            # the card says nothing: counted as before
)


def _seed_request(store, level):
    from workbench.model.terms import REQUEST_CAPABILITIES

    with store.session() as s:
        rnd = create_round(s, 1403, load_default_framework())
        agency = Agency(code="3002", name="ادارهٔ استانی", level=level, province="یزد" if level == "provincial" else "")
        s.add(agency)
        s.flush()
        a = Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="ارزیاب")
        s.add(a)
        s.flush()
        for sid, service_level, planned, found in REQUEST_SERVICES:
            s.add(Service(round_uuid=rnd.uuid, agency_uuid=agency.uuid, service_id=sid, title=f"خدمت {sid}",
                          service_level=service_level, in_request_plan=planned))
            s.add(ServiceJudgement(assessment_uuid=a.uuid, service_id=sid, **dict.fromkeys(REQUEST_CAPABILITIES, found)))


def _request_node(store):
    with store.session() as s:
        (scored,) = score_round(s, s.scalar(select(Round)))
        single = score_assessment(s, scored.assessment)
        assert (single["1.1.1"].earned, single["1.1.1"].possible) == (scored.card["1.1.1"].earned,
                                                                      scored.card["1.1.1"].possible)
        return single["1.1.1"]


def test_a_provincial_units_national_service_is_not_counted(store):
    """«در صورت نداشتن خدمت خاص استانی، عدم مصداق است، خدمات ملی و کشوری نیز به عهده دستگاه ملی میباشد»."""
    _seed_request(store, "provincial")
    node = _request_node(store)
    assert node.earned == pytest.approx(30 * 1 / 3)  # 121096002, 003, 004 counted; 003 found
    with store.session() as s:
        rows = [r for r in round_na_rows(s, s.scalar(select(Round))) if r.key.startswith("1.1.1 ")]
    assert [r.key for r in rows] == ["1.1.1 121096001"] and "«ملی»" in rows[0].reason and rows[0].assumed


def test_a_national_agencys_national_service_counts(store):
    _seed_request(store, "national")
    assert _request_node(store).earned == pytest.approx(30 * 2 / 4)


def test_a_provincial_unit_with_only_national_services_may_mark_indicator_1_not_applicable(store):
    _seed_request(store, "provincial")
    with store.session() as s:
        a = s.scalar(select(Assessment))
        assert "درخواست" in refusal_for(s, a.uuid, "1")  # its own provincial services are in the plan
        for svc in s.scalars(select(Service).where(Service.service_level != "national")):
            svc.in_request_plan = False
        s.flush()
        assert refusal_for(s, a.uuid, "1") is None
