"""The guide's not-applicable rules (002, «شرایط عدم مصداق» of each indicator), refused and allowed.

Every test is one of the guide's sentences: the model refuses the edit with a
Persian reason, the checker lists a stored record that breaks it, and the
scorer applies what a rule decides for everybody.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, PROVINCIAL_CODE, build_fixture

from workbench.model.assessments import find_agency, find_round, round_framework, score_assessment
from workbench.model.editing import Edit
from workbench.model.errors import FrameworkError, UserError
from workbench.model.framework import load_default_framework, parse_framework
from workbench.model.na_check import na_violations, refusal_for, round_na_rows
from workbench.model.na_rules import AgencyFacts, refusal, rule_for
from workbench.model.schema import Answer, Assessment, NaAgreement, Service
from workbench.model.store import open_store


@pytest.fixture
def db(tmp_path):
    store = open_store(build_fixture(tmp_path / "f.sqlite"))
    session = store.new_session()
    yield session
    session.close()
    store.close()


def _assessment(session, code: str) -> Assessment:
    agency = find_agency(session, code)
    a = session.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))
    if a is None:
        a = Assessment(round_uuid=find_round(session).uuid, agency_uuid=agency.uuid)
        session.add(a)
        session.commit()
    return a


def _na(session, a, key, reason="دلیل ارزیاب"):
    Edit("answer", a.uuid, key, {"not_applicable": True, "na_reason": reason}).apply(session)


def _refused(session, a, key) -> str:
    with pytest.raises(UserError) as exc:
        _na(session, a, key)
    session.rollback()
    return exc.value.message


def _clear_plan(session, a, stage):
    for svc in session.scalars(select(Service).where(Service.agency_uuid == a.agency_uuid)):
        setattr(svc, f"in_{stage}_plan", False)
    session.commit()


def test_indicator_10_never_at_national_level(db):
    """«برای هیچ دستگاه در سطح ملی عدم مصداق وجود ندارد»."""
    national = _assessment(db, NATIONAL_CODE)
    assert "فقط برای واحد استانی" in _refused(db, national, "10")
    assert "فقط برای واحد استانی" in _refused(db, national, "10.1.1")
    _na(db, _assessment(db, PROVINCIAL_CODE), "10")  # the guide is silent on provincial units: allowed (assumed)
    assert rule_for(round_framework(db, find_round(db)), "10").assumed


def test_indicator_11_never_for_anyone(db):
    """«برای هیچ دستگاه عدم مصداق وجود ندارد»."""
    for code in (NATIONAL_CODE, PROVINCIAL_CODE):
        a = _assessment(db, code)
        for key in ("11", "11.1", "11.1.1"):
            assert "عدم مصداق ندارد" in _refused(db, a, key)


@pytest.mark.parametrize(("key", "stage"), [("1", "request"), ("2", "delivery"), ("3", "counter")])
def test_indicators_1_to_3_only_for_a_provincial_unit_without_its_own_services(db, key, stage):
    """«در صورت نداشتن خدمت خاص استانی، عدم مصداق است، خدمات ملی و کشوری نیز به عهده دستگاه ملی میباشد»."""
    national = _assessment(db, NATIONAL_CODE)
    _clear_plan(db, national, stage)
    assert "فقط برای واحد استانی" in _refused(db, national, key)  # a national agency, even with no such service
    unit = _assessment(db, PROVINCIAL_CODE)
    message = _refused(db, unit, key)  # its own plan lists services for the stage
    assert "برنامهٔ عملیاتی این دستگاه" in message and "خدمت دارد" in message
    _clear_plan(db, unit, stage)
    _na(db, unit, key)
    assert score_assessment(db, unit)[key].applicable is False


def test_indicator_5_is_not_a_not_applicable_condition(db):
    """«در مرحله جاری سازی خدمت در استان مورد ارزیابی قرار می گیرد» says when it is assessed, not where it is not."""
    unit = _assessment(db, PROVINCIAL_CODE)
    assert "عدم مصداق ندارد" in _refused(db, unit, "5")
    assert "برداشت میز کار" in _refused(db, unit, "5.1.1")  # marked as the workbench's reading
    assert rule_for(round_framework(db, find_round(db)), "5").assumed


def test_what_the_guide_allows_is_allowed(db):
    """4.4.3 (no foreign audience), 8.1 (GSB through the national agency), 8.3, 9.2.2, indicator 6."""
    national = _assessment(db, NATIONAL_CODE)
    for key in ("4.4.3", "8.1", "8.3.1", "9.2.2", "6", "6.3"):
        _na(db, national, key)
    for key in ("4.1.1", "4.4", "8.2", "8.4.1", "9.2.1", "9.2.3"):  # the guide states no condition there
        assert "عدم مصداق ندارد" in _refused(db, national, key)


def test_indicator_7_only_by_an_agreement_that_covers_the_services(db):
    """«عدم مصداق مرتبط با خدمات در صورت تفاهم با سازمان میسر است»."""
    a = _assessment(db, NATIONAL_CODE)
    assert "تفاهمی" in _refused(db, a, "7")
    Edit("answer", a.uuid, "7.1.1", {"achieved": 2, "planned": 4}).apply(db)
    assert score_assessment(db, a)["7.1.1"].earned == pytest.approx(2)  # 4 × 2/4
    # An agreement covering two of the four services: they leave the ratio's denominator.
    Edit("agreement", a.uuid, "7", {"letter_no": "۱۲۳۴/۵۶", "service_ids": "121095100 ۱۲۱۰۹۵۱۰۱"}).apply(db)
    assert db.scalar(select(NaAgreement.service_ids)) == "121095100 121095101"
    assert score_assessment(db, a)["7.1.1"].earned == pytest.approx(4)  # 4 × min(1, 2/(4-2))
    assert "۲ خدمت" in _refused(db, a, "7")  # not all services covered yet
    Edit("agreement", a.uuid, "7", {"service_ids": "121095000 121095100 121095101 121095102"}).apply(db)
    _na(db, a, "7")
    assert score_assessment(db, a)["7"].applicable is False
    # Narrowing the agreement under a whole-indicator N/A is refused, naming why.
    with pytest.raises(UserError, match="ابتدا عدم مصداق 7 را بردارید"):
        Edit("agreement", a.uuid, "7", {"service_ids": "121095000"}).apply(db)
    db.rollback()
    with pytest.raises(UserError, match="در فهرست خدمات دستگاه نیستند"):
        Edit("agreement", a.uuid, "7", {"service_ids": "999999999"}).apply(db)
    db.rollback()


def test_agreement_edit_undoes(db):
    a = _assessment(db, NATIONAL_CODE)
    inverse = Edit("agreement", a.uuid, "7", {"letter_no": "۱۲", "service_ids": "121095100"}).apply(db)
    redo = inverse.apply(db)
    assert db.scalar(select(NaAgreement.service_ids)) == ""
    redo.apply(db)
    assert db.scalar(select(NaAgreement.letter_no)) == "۱۲"


def test_9_1_participation_strategy_is_not_applicable_for_every_provincial_unit(db):
    """«راهبرد مشارکت دستگاه ملی برای دستگاه های استانی کفایت می کند» — the measure leaves a unit's possible points."""
    unit = _assessment(db, PROVINCIAL_CODE)
    national = _assessment(db, NATIONAL_CODE)
    assert score_assessment(db, unit)["9.1"].applicable is False  # by the rule, without the evaluator's word
    assert score_assessment(db, unit).total.possible == pytest.approx(270 - 7)
    assert score_assessment(db, national)["9.1"].applicable is True
    assert "فقط برای واحد استانی" in _refused(db, national, "9.1")
    fw = round_framework(db, find_round(db))
    assert rule_for(fw, "9.1.1").automatic and rule_for(fw, "9.1").assumed


def test_stored_records_that_break_a_rule_are_listed_not_changed(db):
    """An old database (or a merged one) keeps its records; the checker names each one that breaks a rule."""
    a = _assessment(db, NATIONAL_CODE)
    for key in ("10", "11.1.1", "4.4.3"):
        db.add(Answer(assessment_uuid=a.uuid, key=key, not_applicable=True, na_reason="قدیمی", note=""))
    db.flush()
    rnd = find_round(db)
    found = na_violations(db, rnd)
    assert sorted(v.key for v in found) == ["10", "11.1.1"]
    assert all(v.agency_code == NATIONAL_CODE and v.reason == "قدیمی" for v in found)
    assert na_violations(db, rnd, assessment_uuids=[]) == []
    assert db.scalar(select(Answer.not_applicable).where(Answer.key == "10")) is True  # not changed
    unit = _assessment(db, PROVINCIAL_CODE)
    rows = round_na_rows(db, rnd)
    assert {(r.agency_code, r.key, bool(r.problem)) for r in rows} >= {
        (NATIONAL_CODE, "10", True), (NATIONAL_CODE, "4.4.3", False)
    }
    assert [r.key for r in rows if r.by_rule and r.agency_code == PROVINCIAL_CODE] == ["9.1"]
    assert refusal_for(db, unit.uuid, "9.1") is None


def test_every_rule_in_the_framework_file_says_where_in_the_guide():
    fw = load_default_framework()
    guide = "راهنما (002)"
    for key in ("1", "2", "3", "4", "4.4.3", "5", "6", "7", "8", "8.1", "8.3", "9", "9.1", "9.2.2", "10", "11"):
        rule = fw.node(key).na_rule
        assert rule is not None and rule.source.startswith(guide), key
    # Every node is governed by some rule of the file (none falls through to "allowed by silence").
    assert all(rule_for(fw, it.key) is not None for it in fw.items())


def test_rule_errors_name_the_key():
    raw = json.loads(load_default_framework().text)
    raw["indicators"][10]["na_rule"] = {"levels": ["county"], "source": "x"}
    with pytest.raises(FrameworkError, match="11") as exc:
        parse_framework(json.dumps(raw))
    assert exc.value.key == "11"
    raw["indicators"][10]["na_rule"] = {"levels": []}
    with pytest.raises(FrameworkError, match="source"):
        parse_framework(json.dumps(raw))


def test_a_framework_without_rules_allows_with_a_reason():
    fw = load_default_framework()
    bare = parse_framework(fw.text.replace('"na_rule"', '"na_rule_off"'))
    assert refusal(bare, "11", AgencyFacts()) is None


# --------------------------------------------------------------------------- upgrade and the report


def test_an_old_database_upgrades_keeping_its_records_and_lists_those_breaking_a_rule(tmp_path):
    """A database of revision 0003 with indicator 11 marked not applicable: upgraded, kept, listed."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    import workbench.exchange.tables  # noqa: F401 - the exchange's models are part of the schema compared
    from workbench.model.schema import Base
    from workbench.model.store import _alembic_config

    path = build_fixture(tmp_path / "old.sqlite")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0003")  # as the release before this rule left it
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO answers (uuid, assessment_uuid, key, value, achieved, planned, not_applicable, na_reason,"
            " note, created_at, updated_at, updated_by) SELECT 'old-11', uuid, '11', NULL, NULL, NULL, 1,"
            " 'قدیمی', '', '2024-09-01', '2024-09-01', 'ارزیاب' FROM assessments"
        )
    engine.dispose()
    store = open_store(path)
    try:
        assert store.backup_path is not None and "before-0003" in store.backup_path.name
        with store.session() as s:
            found = na_violations(s, find_round(s))
            assert [(v.key, v.reason) for v in found] == [("11", "قدیمی")]
            assert s.get(Answer, "old-11").not_applicable is True
        with store.engine.connect() as conn:  # the migrations make exactly the models' schema
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        store.close()


def test_report_na_on_the_command_line(db, tmp_path):
    from openpyxl import load_workbook

    from workbench.cli import main

    a = _assessment(db, NATIONAL_CODE)
    _assessment(db, PROVINCIAL_CODE)
    _na(db, a, "4.4.3", "مخاطب خارجی ندارد")
    db.add(Answer(assessment_uuid=a.uuid, key="11", not_applicable=True, na_reason="قدیمی", note=""))
    db.commit()
    path = db.get_bind().url.database
    out = tmp_path / "na.xlsx"
    assert main(["report", "na", path, "--out", str(out), "--round", "1403"]) == 0
    ws = load_workbook(out)["عدم مصداق‌ها"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "کد دستگاه")
    rows = {ws.cell(r, 7).value: [ws.cell(r, c).value for c in range(1, 14)] for r in range(header + 1, ws.max_row + 1)}
    assert set(rows) == {"۴.۴.۳", "۱۱", "۹.۱"}  # 9.1: the provincial unit, by the framework's rule
    assert rows["۱۱"][12] and "عدم مصداق ندارد" in rows["۱۱"][12]
    assert not rows["۴.۴.۳"][12] and "راهنما (002)" in rows["۴.۴.۳"][10]
    assert rows["۹.۱"][9] == "قاعدهٔ چارچوب" and rows["۹.۱"][11] == "فرضی"


def test_the_workspace_counts_the_rounds_breaches_for_the_window(tmp_path):
    """Opening an upgraded database, the window says how many stored not-applicables break a rule."""
    from workbench.workspace.opening import open_workspace

    path = build_fixture(tmp_path / "w.sqlite")
    store = open_store(path)
    with store.session() as s:
        a = s.scalar(select(Assessment))
        s.add(Answer(assessment_uuid=a.uuid, key="11", not_applicable=True, na_reason="قدیمی", note=""))
    store.close()
    workspace = open_workspace(path)
    try:
        assert workspace.rule_breaches() == 1
    finally:
        workspace.close()
