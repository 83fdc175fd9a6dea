"""Appendix A's checklist (4.3.1), appendix C's SLA per service (4.7), 9.2.3 and indicator 11 per service.

Each test records the parts in the database through the editing layer, as the window does, and
recomputes the item's points by hand from the guide's line and the framework's rule:

- 4.3.1 (002, indicator 4, measure 3): «1- نحوه و کیفیت اطلاع رسانی خدمات (5 امتیاز) - طبق راهنمای
  پیوست (الف)»: 5 × entries met / entries that apply (assumed rule, shown as such);
- 4.7.1 (measure 7): «تدوین بیانیه سطح توافق خدمت برای هر یک از خدمات دستگاه و درج آن در بخش معرفی
  خدمات در وبگاه - نمونه در پیوست (ج)»: 3 × services whose SLA has every section / services (assumed);
- 9.2.3: «برای این کار روی هر خدمت ابزار نظرسنجی و ارائه پیشنهادات وجود دارد؟ (5 امتیاز)»: 5 when every
  service has it, 0 when one has not;
- 11.1.1: «آیا دستگاه موفق به حذف دریافت کپی مدارک هویتی … شده است؟ (20 امتیاز)», its evidence «خدماتی
  که کپی مدارک هویتی … دریافت نمی کنند، فهرست شوند»: 20 when no service takes copies (assumed reading).
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, SERVICES, build_fixture

from workbench.model.assessments import find_agency, find_round, score_assessment, score_round
from workbench.model.assumptions import round_assumptions
from workbench.model.checklists import stage_sections
from workbench.model.editing import Edit
from workbench.model.errors import FrameworkError
from workbench.model.framework import load_default_framework, parse_framework
from workbench.model.schema import Assessment, Service
from workbench.model.store import open_store

#: 4.7's SLA sections (appendix C), the framework file's data, as a judgement's fields name them (``sla_KEY``).
SLA_FIELDS = tuple(f"sla_{s.key}" for s in stage_sections(load_default_framework()))

IDS = [s[0] for s in SERVICES]  # four services: 121095000 and its sub-services …100, …101, …102


@pytest.fixture
def wb(tmp_path):
    st = open_store(build_fixture(tmp_path / "w.sqlite"), actor="آزمون")
    yield st
    st.close()


def _assessment(s) -> Assessment:
    agency = find_agency(s, NATIONAL_CODE)
    return s.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))


def _edit(wb, kind, target, **fields):
    with wb.session() as s:
        Edit(kind, _assessment(s).uuid, target, fields).apply(s)


def _card(wb):
    with wb.session() as s:
        return score_assessment(s, _assessment(s))


def test_appendix_a_checklist_gives_4_3_1_its_share(wb):
    fw = load_default_framework()
    entries = [e.key for e in fw.node("4.3.1").checklist.entries]
    assert len(entries) == 18  # a, ii, iii's table 1 (11 fields), IV, V and the form's complaint access
    assert _card(wb)["4.3.1"].answered == 0  # not checked yet: not scored, never zero
    # The made example: «خدمات دستگاه‌های زیرمجموعه» (V) does not apply; 12 of the other 17 are met.
    met = entries[:3] + entries[4:13]
    _edit(wb, "answer", "4.3.1", marks=" ".join(met) + " !A04")
    node = _card(wb)["4.3.1"]
    assert (node.earned, node.possible) == (pytest.approx(5 * 12 / 17), 5)  # 3.5294 of 5
    # Checked and nothing met: a real zero.
    _edit(wb, "answer", "4.3.1", marks="")
    node = _card(wb)["4.3.1"]
    assert node.answered == 1 and node.earned == 0


def test_appendix_c_sla_per_service_gives_4_7_its_share(wb):
    assert len(SLA_FIELDS) == 10 and SLA_FIELDS[0] == "sla_intro" and SLA_FIELDS[-1] == "sla_published"
    every = dict.fromkeys(SLA_FIELDS, True)
    _edit(wb, "judgement", IDS[0], **every)
    _edit(wb, "judgement", IDS[1], **{**every, "sla_disputes": False})  # no dispute resolution (section 4)
    _edit(wb, "judgement", IDS[2], **every)
    # IDS[3] not looked at yet: it counts as no complete SLA, as an unjudged planned service counts in 1–3.
    node = _card(wb)["4.7.1"]
    assert (node.earned, node.possible) == (pytest.approx(3 * 2 / 4), 3)  # 1.5 of 3
    _edit(wb, "judgement", IDS[3], **{**every, "sla_published": False})  # complete but not on the site
    assert _card(wb)["4.7.1"].earned == pytest.approx(1.5)
    _edit(wb, "judgement", IDS[3], sla_published=True)
    assert _card(wb)["4.7.1"].earned == pytest.approx(2.25)  # 3 × 3/4


def test_9_2_3_needs_a_survey_tool_on_every_service(wb):
    for sid in IDS[:3]:
        _edit(wb, "judgement", sid, survey=True)
    assert _card(wb)["9.2.3"].answered == 0  # one service not yet looked at: the answer is still open
    _edit(wb, "judgement", IDS[3], survey=False)
    node = _card(wb)["9.2.3"]
    assert (node.answered, node.earned, node.possible) == (1, 0, 5)  # «روی هر خدمت»: one without, no points
    _edit(wb, "judgement", IDS[3], survey=True)
    assert _card(wb)["9.2.3"].earned == 5


def test_indicator_11_is_judged_per_service(wb):
    _edit(wb, "judgement", IDS[0], no_id_copy=False)  # this one still takes a copy of the national card
    card = _card(wb)
    assert (card["11.1.1"].answered, card["11"].earned, card["11"].possible) == (1, 0, 20)
    for sid in IDS:
        _edit(wb, "judgement", sid, no_id_copy=True)
    card = _card(wb)
    assert (card["11"].earned, card["11"].possible) == (20, 20)
    # The bulk path the ranking uses reads the same columns and gives the same points.
    with wb.session() as s:
        (scored,) = [x for x in score_round(s, find_round(s)) if x.agency.code == NATIONAL_CODE]
        assert scored.card["11"].earned == 20


def test_every_assumed_rule_is_named_with_its_reason(wb):
    with wb.session() as s:
        said = round_assumptions(s, find_round(s))
    assert "قاعدهٔ امتیاز موارد ۱.۱.۱، ۲.۱.۱، ۳.۱.۱، ۴.۳.۱، ۴.۷.۱، ۵.۱.۱، ۹.۲.۳ و ۱۱.۱.۱ در راهنما نیامده و فرضی است" in said.line
    note = next(n for n in said.notes if n.startswith("قاعدهٔ امتیاز مورد ۴.۳.۱"))
    assert "طبق راهنمای پیوست (الف)" in note and "به نسبت" in note


def test_the_framework_file_says_where_each_rule_comes_from():
    fw = load_default_framework()
    assert "پیوست (الف)" in fw.node("4.3.1").checklist.source
    for key in ("4.7.1", "9.2.3", "11.1.1"):
        assert fw.node(key).per_service.source.startswith("راهنما (002)"), key
    text = fw.text
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text.replace('"rule": "share", "source": "راهنما (002)، شاخص 4، نماگر 3',
                                     '"rule": "most", "source": "راهنما (002)، شاخص 4، نماگر 3'))
    assert caught.value.key == "4.3.1"
    with pytest.raises(FrameworkError):
        parse_framework(text.replace('"stage": "copies"', '"stage": "photocopies"'))


def test_an_older_database_upgrades_with_nothing_judged(tmp_path):
    """A 0007 database: answers and judgements kept; appendix A and the per-service checks unjudged."""
    path = build_fixture(tmp_path / "old.sqlite")
    wb = open_store(path)
    with wb.session() as s:
        uuid = _assessment(s).uuid
        Edit("answer", uuid, "4.3.2", {"value": True}).apply(s)
        Edit("judgement", uuid, IDS[1], {"delivery": True}).apply(s)
    wb.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("ALTER TABLE answers DROP COLUMN marks")
        for name in ("survey", "no_id_copy"):
            conn.execute(f"ALTER TABLE service_judgements DROP COLUMN {name}")
        conn.execute("DROP TABLE service_sections")  # 0011's
        conn.execute("DROP TABLE blob_chunks")  # 0009's
        conn.execute("ALTER TABLE answers DROP COLUMN entry_notes")  # 0010's
        conn.execute("UPDATE alembic_version SET version_num = '0007'")
    conn.close()
    wb = open_store(path)
    try:
        assert wb.backup_path is not None
        card = _card(wb)
        assert card["4.3.2"].earned == 2 and card["4.3.1"].answered == 0 and card["11.1.1"].answered == 0
    finally:
        wb.close()


# --------------------------------------------------------------------------- the window


@pytest.mark.gui
def test_the_measure_page_ticks_appendix_a_and_judges_slas_per_service(ctl, qtbot, store):
    from PySide6.QtCore import Qt
    from ui_page_fixture import stored_answer

    from workbench.ui.assessment.checklist_editor import ChecklistEditor
    from workbench.ui.assessment.measure_page import MeasurePage
    from workbench.ui.assessment.services_columns import COLUMN_KEYS
    from workbench.ui.assessment.services_table import column

    page = MeasurePage(ctl)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.show_measure("4.3")
    checklist = next(e for e in page._editors if e.item.key == "4.3.1")
    assert isinstance(checklist, ChecklistEditor) and checklist.summary.text() == "هنوز بررسی نشده است"
    checklist.skips["A04"].click()  # «خدمات دستگاه‌های زیرمجموعه»: this agency has none
    for key in ("A01", "A02", "A05"):
        checklist.ticks[key].click()
    assert stored_answer(store, ctl, "4.3.1")["marks"] == "A01 A02 A05 !A04"
    assert ctl.card()["4.3.1"].earned == pytest.approx(5 * 3 / 17)
    assert checklist.summary.text() == "۳ از ۱۷ بند رعایت شده است (۱ بند صدق نمی‌کند)"
    assert not checklist.ticks["A04"].isEnabled()
    ctl.undo_stack.undo()
    assert stored_answer(store, ctl, "4.3.1")["marks"] == "A01 A02 !A04"

    page.show_measure("4.7")  # every service of the list, appendix C's sections as columns
    panel = page.services_panel
    assert panel.isVisible() and panel.model.stage() == "sla" and not panel.only_planned.isVisible()
    shown = [k for i, k in enumerate(COLUMN_KEYS) if not panel.view.isColumnHidden(i)]
    assert [k for k in shown if k.startswith("sla_")] == list(SLA_FIELDS)
    model = panel.model
    sid = model.row(0).service_id
    for field in SLA_FIELDS:
        assert model.setData(model.index(0, column(field)), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    total = model.rowCount()
    assert model.counts("sla") == (1, 1, total)
    assert ctl.card()["4.7.1"].earned == pytest.approx(3 / total)
    assert model.index(0, column("result")).data() == "تحقق‌یافته" and sid


def test_an_evaluators_package_carries_the_checklist_and_the_per_service_checks(tmp_path, master):
    """Appendix A's ticks and a service's SLA, survey and copies reach the supervisor's database."""
    from exchange_fixture import codes, do_export, do_merge, evaluator_db, set_answer

    from workbench.model.schema import Agency, Answer, ServiceJudgement, ServiceSection

    code = codes(master)[0]
    db = evaluator_db(tmp_path, master, "مریم", [code])
    set_answer(db, code, "4.3.1", marks="A01 A02 !A04")
    evaluator = open_store(db, actor="مریم")
    try:
        with evaluator.session() as s:
            assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == code))
            sid = s.scalar(select(Service.service_id).where(Service.agency_uuid == assessment.agency_uuid)
                           .order_by(Service.service_id))
            Edit("judgement", assessment.uuid, sid, {**dict.fromkeys(SLA_FIELDS, True), "survey": False,
                                                     "no_id_copy": True}).apply(s)
    finally:
        evaluator.close()
    do_merge(master, [do_export(db, tmp_path / "p.wbp").path])
    store = open_store(master)
    try:
        with store.session() as s:
            assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == code))
            marks = s.scalar(select(Answer.marks).where(Answer.assessment_uuid == assessment.uuid,
                                                        Answer.key == "4.3.1"))
            j = s.scalar(select(ServiceJudgement).where(ServiceJudgement.assessment_uuid == assessment.uuid,
                                                        ServiceJudgement.service_id == sid))
            assert marks == "A01 A02 !A04"
            met = dict(s.execute(select(ServiceSection.section, ServiceSection.met).where(
                ServiceSection.assessment_uuid == assessment.uuid, ServiceSection.service_id == sid)).all())
            assert [f"sla_{k}" for k, v in met.items() if v] == sorted(SLA_FIELDS, key=[f"sla_{k}" for k in met].index)
            assert len(met) == len(SLA_FIELDS) and (j.survey, j.no_id_copy) == (False, True)
    finally:
        store.close()


def test_an_entry_that_does_not_apply_is_listed_in_the_not_applicable_report(wb):
    """report na lists each appendix A entry marked «صدق نمی‌کند» (it leaves 4.3.1's count of entries)
    with the item's note as its reason and the checklist's rule and assumption; ticked entries are not listed."""
    from workbench.model.na_check import round_na_rows

    fw = load_default_framework()
    titles = {e.key: e.title for e in fw.node("4.3.1").checklist.entries}
    _edit(wb, "answer", "4.3.1", marks="A01 A02 !A04 !A07", note="دستگاه زیرمجموعه ندارد")
    with wb.session() as s:
        rows = [r for r in round_na_rows(s, find_round(s, 1403)) if r.key.startswith("4.3.1")]
    assert [r.key for r in rows] == ["4.3.1 A04", "4.3.1 A07"]
    assert rows[0].title.endswith(titles["A04"]) and rows[0].reason == "دستگاه زیرمجموعه ندارد"
    assert rows[0].assumed and "پیوست (الف)" in rows[0].rule and not rows[0].by_rule and rows[0].problem == ""
    assert rows[0].agency_code == NATIONAL_CODE
