"""Indicator 5 as the guide counts it (002): «تعداد زیرخدمات (یا خدمات بدون زیرخدمت) بهبود داده شده تقسیم بر 10»."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, build_fixture

from workbench.model.assessments import find_agency, find_round, round_framework, score_assessment
from workbench.model.editing import Edit
from workbench.model.framework import parse_framework
from workbench.model.reform_steps import service_steps
from workbench.model.schema import Assessment, ReformAction, ReformRow
from workbench.model.scoring import score
from workbench.model.store import open_store

STEPS = ("هدف‌گذاری", "مدل‌سازی وضع موجود", "تحلیل و آسیب‌شناسی", "شناسایی اقدامات و برنامه بهبود",
         "اجرای اقدامات بهبود", "سنجش میزان دستیابی به اهداف")


@pytest.fixture
def db(tmp_path):
    store = open_store(build_fixture(tmp_path / "f.sqlite"))
    session = store.new_session()
    yield session
    session.close()
    store.close()


def _setup(db):
    agency = find_agency(db, NATIONAL_CODE)
    a = db.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))
    rnd = find_round(db)
    # the fixture's list: parent 121095000 with sub-services 121095100, 121095101, 121095102 (3 to count)
    db.add(ReformRow(round_uuid=rnd.uuid, agency_uuid=agency.uuid, row_no=3, service_id="121095000",
                     criterion="زمان"))
    db.commit()
    return a


def test_an_accepted_row_on_a_parent_service_does_not_count(db):
    a = _setup(db)
    for row in db.scalars(select(ReformRow).where(ReformRow.agency_uuid == a.agency_uuid)):
        Edit("reform_row", a.uuid, row.uuid, {"accepted": True}).apply(db)
    card = score_assessment(db, a)
    # two sub-services of three (not three of three: the parent's row is not «زیرخدمات یا خدمات بدون زیرخدمت»)
    assert card["5.1.1"].earned == pytest.approx(25 * 2 / 3)
    from workbench.model.assessments import load_answers

    reform = load_answers(db, a).reform
    assert (reform.improved, reform.on_parents, reform.sub_services) == (2, 1, 3)


def test_whether_a_missing_step_withholds_credit_is_the_frameworks_rule(db):
    a = _setup(db)
    fw = round_framework(db, find_round(db))
    rule = fw.node("5.1.1").six_steps
    assert rule is not None and not rule.withhold and rule.assumed  # credit kept, and said to be assumed
    for row in db.scalars(select(ReformRow).where(ReformRow.agency_uuid == a.agency_uuid)):
        Edit("reform_row", a.uuid, row.uuid, {"accepted": True}).apply(db)
    steps = service_steps(db, a)
    assert steps.missing("121095100") == list(STEPS[1:])  # the fixture documents goal-setting only
    assert "121095000" in steps.parents
    strict = parse_framework(fw.text.replace('"withhold": false', '"withhold": true'))
    from workbench.model.assessments import load_answers

    answers = load_answers(db, a)
    assert score(strict, answers)["5.1.1"].earned == 0  # no service has all six steps
    rnd = find_round(db)
    for n, step in enumerate(STEPS[1:], start=10):
        db.add(ReformAction(round_uuid=rnd.uuid, agency_uuid=a.agency_uuid, row_no=n, service_id="121095100",
                            step=step))
    db.commit()
    answers = load_answers(db, a)
    assert score(strict, answers)["5.1.1"].earned == pytest.approx(25 / 3)
    assert score(fw, answers)["5.1.1"].earned == pytest.approx(25 * 2 / 3)
