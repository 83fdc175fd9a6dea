"""Scoring with the real framework file, on small cases worked out by hand from the guide.

Points used below (``resources/frameworks/egov-1403.json``): indicator 4 is 35
points in seven measures (4.1: four items of 1.5; 4.4: five items of 1, 4.4.3
being the English version); indicator 5 is 25 points (assumed) in one reform
item; indicator 1 is 30 points (assumed) in one ratio counted from the
request stage; 7.1.1 is a typed ratio worth 4; 8.1 (GSB) is 6 of indicator
8's 25; indicator 10 is 20; the whole framework is 270.
"""
from __future__ import annotations

import pytest

from workbench.model.assessments import build_answers, create_round, round_framework, set_weight_override
from workbench.model.checklists import Marks
from workbench.model.schema import Agency, ReformRow, Service, ServiceJudgement
from workbench.model.scoring import Answers, ItemAnswer, ReformCount, StageCount, score

pytestmark = pytest.mark.backends  # the store's tests run on SQLite and on PostgreSQL


def _tick_all(framework, prefix: str, answers: Answers | None = None) -> Answers:
    answers = answers or Answers()
    for it in framework.items():
        if it.key.startswith(prefix + ".") and it.kind in ("check", "yesno"):
            answers.items[it.key] = ItemAnswer(value=True)
        elif it.key.startswith(prefix + ".") and it.kind == "checklist":  # every entry of appendix A met
            answers.marks[it.key] = Marks(frozenset(e.key for e in it.checklist.entries))
        elif it.key.startswith(prefix + ".") and it.kind == "per_service":  # every service of the list
            answers.checks[it.per_service.stage] = StageCount(achieved=3, planned=3, judged=3)
    return answers


def test_the_framework_totals_used_here(framework):
    assert framework.points == 270
    assert framework.indicator("4").points == 35
    assert framework.node("4.1.2").points == 1.5 and "جستجو" in framework.node("4.1.2").title
    assert framework.node("4.4.3").points == 1 and "انگلیسی" in framework.node("4.4.3").title
    assert framework.indicator("5").points == 25


# --------------------------------------------------------------------------- the guide's examples


def test_indicator_4_english_not_applicable_search_missing(framework):
    """Everything ticked but search (missing) and the English version (not applicable).

    possible = 35 − 1 (English) = 34; earned = 34 − 1.5 (search) = 32.5; 32.5 / 34 = 95.59 %.
    """
    answers = _tick_all(framework, "4")
    answers.items["4.1.2"] = ItemAnswer(value=False)
    answers.not_applicable["4.4.3"] = "دستگاه مخاطب خارجی ندارد"
    card = score(framework, answers)

    ind = card["4"]
    assert ind.possible == pytest.approx(34)
    assert ind.earned == pytest.approx(32.5)
    assert round(ind.percent, 2) == 95.59
    assert card["4.4.3"].applicable is False and card["4.4.3"].possible == 0
    assert card["4.4"].possible == pytest.approx(4) and card["4.4"].earned == pytest.approx(4)
    assert card["4.1"].earned == pytest.approx(4.5) and card["4.1"].possible == pytest.approx(6)
    # The rest of the framework is not answered yet: it stays possible but unearned.
    assert card.total.possible == pytest.approx(269)
    assert card.total.earned == pytest.approx(32.5)
    assert card.percent == pytest.approx(32.5 / 269 * 100)
    assert card["6"].percent is None and card["6"].applicable is True


def test_indicator_5_three_of_four_sub_services_improved(framework):
    card = score(framework, Answers(reform=ReformCount(improved=3, sub_services=4, rows=4, judged=4)))
    assert card["5"].possible == 25
    assert card["5"].earned == pytest.approx(0.75 * 25)
    assert card["5"].percent == pytest.approx(75)


@pytest.mark.parametrize(
    ("improved", "sub_services", "fraction"),
    [
        (7, 25, 0.7),  # denominator is min(10, 25) = 10
        (12, 30, 1.0),  # more than ten improved: capped
        (0, 6, 0.0),  # nothing improved is a real zero
        (2, 2, 1.0),
    ],
)
def test_indicator_5_denominator_is_at_most_ten(framework, improved, sub_services, fraction):
    card = score(framework, Answers(reform=ReformCount(improved=improved, sub_services=sub_services, rows=12, judged=12)))
    assert card["5"].earned == pytest.approx(25 * fraction)
    assert card["5"].percent == pytest.approx(100 * fraction)


def test_indicator_5_not_scored_until_table_4_is_judged(framework):
    untouched = ReformCount(improved=0, sub_services=4, rows=3, judged=0)
    assert score(framework, Answers(reform=untouched))["5"].percent is None
    half = ReformCount(improved=1, sub_services=4, rows=3, judged=2)
    assert score(framework, Answers(reform=half))["5"].percent == pytest.approx(25)


def test_indicator_5_without_table_4_is_zero_only_once_confirmed(framework):
    """No table 4 submitted: an untouched assessment is "not scored", not 0 %."""
    none_submitted = ReformCount(improved=0, sub_services=4, rows=0, judged=0)
    untouched = score(framework, Answers(reform=none_submitted))
    assert untouched["5"].percent is None
    assert untouched.percent is None
    confirmed = Answers(reform=none_submitted, items={"5.1.1": ItemAnswer(value=False)})
    assert score(framework, confirmed)["5"].percent == 0.0


def test_indicator_5_counted_from_stored_rows(framework):
    """4 sub-services under one parent; accepted rows for 3 distinct ones (one with two rows), one rejected."""
    services = [Service(service_id="121095000", parent_service_id="", title="صدور پروانه کسب")] + [
        Service(service_id=f"12109510{n}", parent_service_id="121095000", title=f"زیرخدمت {n}") for n in range(4)
    ]
    rows = [
        ReformRow(service_id="121095100", criterion="زمان", accepted=True),
        ReformRow(service_id="121095100", criterion="هزینه", accepted=True),
        ReformRow(service_id="121095101", criterion="زمان", accepted=True),
        ReformRow(service_id="121095102", criterion="زمان", accepted=True),
        ReformRow(service_id="121095103", criterion="زمان", accepted=False),
    ]
    answers = build_answers([], services, [], rows)
    assert (answers.reform.improved, answers.reform.sub_services) == (3, 4)
    assert score(framework, answers)["5"].percent == pytest.approx(75)


# --------------------------------------------------------------------------- nothing to score


def test_everything_not_applicable_is_nothing_to_score(framework):
    answers = Answers(not_applicable={ind.key: "آزمون" for ind in framework.indicators})
    card = score(framework, answers)
    assert card.percent is None
    assert card.band is None
    assert card.total.applicable is False
    assert card.total.possible == 0 and card.total.earned == 0
    assert all(not card[ind.key].applicable for ind in framework.indicators)


def test_every_item_not_applicable_is_nothing_to_score(framework):
    answers = Answers(not_applicable={it.key: "آزمون" for it in framework.items()})
    card = score(framework, answers)
    assert card.percent is None
    # Measures and indicators whose every item is not applicable do not apply either.
    assert not card["4.1"].applicable and not card["4"].applicable


def test_nothing_answered_is_none_not_zero(framework):
    card = score(framework, Answers())
    assert card.percent is None and card.band is None
    assert card.total.possible == 270 and card.total.earned == 0
    assert card.total.answered == 0


def test_all_answered_no_is_a_real_zero(framework):
    answers = Answers()
    for it in framework.items():
        if it.kind in ("check", "yesno"):
            answers.items[it.key] = ItemAnswer(value=False)
        elif it.kind == "ratio" and it.source == "typed":
            answers.items[it.key] = ItemAnswer(achieved=0, planned=10)
        elif it.kind == "checklist":
            answers.marks[it.key] = Marks(frozenset())  # checked: no entry of appendix A met
    answers.stages = {st: StageCount(achieved=0, planned=5, judged=5) for st in ("request", "delivery", "counter", "gsb")}
    answers.checks = {st: StageCount(achieved=0, planned=5, judged=5) for st in ("sla", "survey", "copies")}
    answers.reform = ReformCount(improved=0, sub_services=4, rows=2, judged=2)
    card = score(framework, answers)
    assert card.percent == 0.0
    assert card.band.key == "E"
    assert card.total.complete


# --------------------------------------------------------------------------- ratios


def test_request_ratio_needs_all_four_capabilities(framework):
    services = [
        Service(service_id=f"12109510{n}", parent_service_id="", title=f"خدمت {n}", in_request_plan=True)
        for n in range(4)
    ] + [Service(service_id="121095200", parent_service_id="", title="خارج از برنامه", in_request_plan=False)]
    caps = dict(request_portal=True, request_online=True, request_receipt=True, request_tracking=True)
    judgements = [
        ServiceJudgement(service_id="121095100", **caps),
        ServiceJudgement(service_id="121095101", **{**caps, "request_tracking": False}),  # no tracking code
        ServiceJudgement(service_id="121095102", **caps),
        # 121095103 not judged yet; the unplanned service is judged but does not count
        ServiceJudgement(service_id="121095200", **caps),
    ]
    answers = build_answers([], services, judgements, [])
    count = answers.stages["request"]
    assert (count.achieved, count.planned, count.judged) == (2, 4, 3)
    card = score(framework, answers)
    assert card["1.1.1"].earned == pytest.approx(30 * 2 / 4)
    assert card["1"].percent == pytest.approx(50)
    # No planned service judged at a stage: that ratio is not scored yet.
    assert card["2"].percent is None


def test_partial_capabilities_alone_do_not_count_as_a_judgement(framework):
    judgement = ServiceJudgement(service_id="121095100", request_portal=True)
    assert judgement.stage_result("request") is False
    assert ServiceJudgement(service_id="121095100").stage_result("request") is None


def test_typed_ratio_is_capped_at_one(framework):
    over = score(framework, Answers(items={"7.1.1": ItemAnswer(achieved=30, planned=20)}))
    assert over["7.1.1"].earned == pytest.approx(4)
    part = score(framework, Answers(items={"7.1.1": ItemAnswer(achieved=5, planned=20)}))
    assert part["7.1.1"].earned == pytest.approx(1)
    # Nothing planned: not answerable, not a division by zero.
    none = score(framework, Answers(items={"7.1.1": ItemAnswer(achieved=5, planned=0)}))
    assert none["7.1.1"].percent is None and none.percent is None


# --------------------------------------------------------------------------- not applicable levels


def test_measure_not_applicable(framework):
    answers = _tick_all(framework, "8")
    answers.stages["gsb"] = StageCount(achieved=1, planned=2, judged=2)
    answers.not_applicable["8.1"] = "اتصال از طریق دستگاه ملی"
    card = score(framework, answers)
    assert card["8.1"].applicable is False
    assert card["8"].possible == pytest.approx(19)
    assert card["8"].earned == pytest.approx(19)
    assert card["8"].percent == pytest.approx(100)


def test_indicator_not_applicable(framework):
    answers = _tick_all(framework, "10")
    answers.checks["copies"] = StageCount(achieved=3, planned=3, judged=3)  # no service takes copies: 20
    answers.not_applicable["10"] = "آزمون"
    card = score(framework, answers)
    assert card["10"].applicable is False and card["10"].earned == 0
    assert card.total.possible == pytest.approx(250)
    assert card.total.earned == pytest.approx(20)


# --------------------------------------------------------------------------- weights and bands


def test_weight_override_scales_measures_and_items(framework):
    doubled = framework.with_indicator_points({"4": 70})
    assert doubled.points == pytest.approx(305)
    assert doubled.indicator("4").points == 70
    assert doubled.node("4.1").points == pytest.approx(12)
    assert doubled.node("4.1.2").points == pytest.approx(3)
    assert doubled.node("4.1.2").weight.source == "override"
    assert framework.indicator("4").points == 35  # the original is unchanged

    answers = _tick_all(framework, "4")
    answers.items["4.1.2"] = ItemAnswer(value=False)
    answers.not_applicable["4.4.3"] = "آزمون"
    answers.checks["copies"] = StageCount(achieved=3, planned=3, judged=3)  # no service takes copies: 20
    before, after = score(framework, answers), score(doubled, answers)
    assert after["4"].earned == pytest.approx(65) and after["4"].possible == pytest.approx(68)
    assert after["4"].percent == pytest.approx(before["4"].percent)  # shares inside stay as the guide gives
    assert before.percent == pytest.approx(52.5 / 269 * 100)
    assert after.percent == pytest.approx(85 / 303 * 100)  # 305 − 2 (English, doubled) possible


def test_weight_override_stored_with_the_round(store, framework):
    with store.session() as s:
        rnd = create_round(s, 1403, framework)
        set_weight_override(s, rnd, "5", 50, "اهمیت اصلاح فرایندها در این دوره")
    with store.session() as s:
        fw = round_framework(s, rnd)
        assert fw.indicator("5").points == 50 and fw.points == pytest.approx(295)
        set_weight_override(s, rnd, "5", None)
    with store.session() as s:
        assert round_framework(s, rnd).indicator("5").points == 25


def test_weight_override_that_would_break_scoring_is_refused_and_not_stored(store, framework):
    from sqlalchemy import select

    from workbench.model.errors import FrameworkError, UserError
    from workbench.model.schema import WeightOverride

    with store.session() as s:
        rnd = create_round(s, 1403, framework)
    for bad in (float("inf"), float("nan"), -1.0):
        with store.session() as s:
            with pytest.raises(UserError, match="شاخص 5"):
                set_weight_override(s, rnd, "5", bad)
            assert s.scalars(select(WeightOverride)).all() == []
    # One already stored by an older workbench is refused by name when the round is scored, not a crash.
    with pytest.raises(FrameworkError, match="شاخص 5"):
        framework.with_indicator_points({"5": float("inf")})


@pytest.mark.parametrize(
    ("percent", "band"),
    [(100, "A"), (85, "A"), (84.99, "B"), (70, "B"), (69.9, "C"), (50, "C"), (49.99, "D"), (30, "D"), (29.9, "E"), (0, "E")],
)
def test_bands(framework, percent, band):
    assert framework.band_for(percent).key == band


def test_band_comes_with_the_card(framework):
    answers = _tick_all(framework, "4")
    answers.items["4.1.2"] = ItemAnswer(value=False)
    answers.not_applicable = {ind.key: "آزمون" for ind in framework.indicators if ind.key != "4"}
    answers.not_applicable["4.4.3"] = "آزمون"
    card = score(framework, answers)
    assert round(card.percent, 2) == 95.59
    assert card.band.key == "A" and card.band.title == "عالی"
    assert framework.band_for(None) is None


def test_round_keeps_its_framework_text(store, framework):
    with store.session() as s:
        rnd = create_round(s, 1403, framework)
        s.add(Agency(code="1010", name="وزارت نمونه"))
    assert rnd.framework_text == framework.text and rnd.framework_sha256 == framework.sha256
    with store.session() as s:
        assert round_framework(s, rnd).sha256 == framework.sha256
