"""The identity card's channels against the evaluator's judgement of the request and delivery stages.

002 (indicators 1 and 2) calls a stage electronic when it is done «به صورت غیرحضوری از پست الکترونیک؛ تلفن
گویا یا مرکز تماس؛ تلفن همراه (برنامه کاربردی)؛ ارسال پستی؛ پیام کوتاه؛ و یا به صورت اینترنتی»; the card (003)
records per stage «الکترونیکی» / «غیرالکترونیکی» and the channels.  Each kind of disagreement is found, the
matching cases are not, and nothing is a disagreement where the card or the evaluator says nothing.  The
supervisor's list (``report na``'s sheet) holds them; the points stay as the evaluator judged.
"""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from workbench.model.assessments import create_round, score_assessment
from workbench.model.card_channels import card_says_electronic, disagreement, round_disagreements
from workbench.model.framework import load_default_framework
from workbench.model.schema import Agency, Assessment, Round, Service, ServiceJudgement
from workbench.model.terms import REQUEST_CAPABILITIES
from workbench.reports.card_sheet import SHEET_CARD
from workbench.reports.na_report import export_na

pytestmark = pytest.mark.backends

ALL = dict.fromkeys(REQUEST_CAPABILITIES, True)
NO_TRACKING = {**ALL, "request_tracking": False}


@pytest.mark.parametrize(("codes", "says"), [
    ("internet", True), ("email in_person", True), ("post", True), ("sms", True), ("phone", True),
    ("mobile counter", True), ("electronic", True),                 # the card's own «الکترونیکی»
    ("in_person", False), ("counter", False), ("counter in_person", False),  # a visit, or the counter offices
    ("", None), ("other", None), ("other in_person", None),         # the card does not say which
])
def test_what_the_card_says_of_a_stage(codes, says):
    assert card_says_electronic(codes) is says


def test_the_card_electronic_the_evaluator_not_is_a_disagreement():
    # «در مرحله درخواست خدمت: الکترونیکی — اینترنتی» but no tracking code found: indicator 1 not met.
    found = disagreement("121095001", "request", "internet", NO_TRACKING)
    assert found is not None and found.card_electronic and found.missing == ("request_tracking",)
    assert "الکترونیکی می‌داند (از راه اینترنتی)" in found.describe() and "«کد رهگیری» یافت نشد" in found.describe()
    found = disagreement("121095001", "delivery", "email", {"delivery": False})
    assert found is not None and "ارائه" in found.describe()


def test_the_card_in_person_the_evaluator_electronic_is_a_disagreement():
    found = disagreement("121095001", "request", "in_person", ALL)
    assert found is not None and not found.card_electronic
    assert "فقط غیرالکترونیکی" in found.describe() and "الکترونیکی یافته است" in found.describe()
    # The counter offices are not one of the guide's remote channels.
    assert disagreement("121095001", "delivery", "counter", {"delivery": True}) is not None


@pytest.mark.parametrize(("stage", "codes", "judgement"), [
    ("request", "internet", ALL),                 # both electronic
    ("request", "in_person", NO_TRACKING),        # both not
    ("delivery", "sms", {"delivery": True}),
    ("delivery", "counter in_person", {"delivery": False}),
    ("request", "", NO_TRACKING),                 # the card gives no channel for the stage
    ("request", "other", ALL),                    # «سایر»: the card does not say which
    ("request", "internet", {"request_portal": True}),  # partly judged, nothing found missing: not yet judged
    ("delivery", "in_person", {}),                # not judged
])
def test_matching_or_silent_is_no_disagreement(stage, codes, judgement):
    assert disagreement("121095001", stage, codes, judgement) is None


#: (service ID, in the request plan, request channels, request judgement, in the delivery plan, delivery channels,
#: delivery judgement)
SERVICES = (
    ("121095001", True, "internet", NO_TRACKING, True, "internet", True),      # request: card electronic, not found
    ("121095002", True, "in_person", ALL, True, "counter", False),            # request: card in person, found;
                                                                              # delivery: both not electronic
    ("121095003", True, "mobile", ALL, True, "in_person", True),              # delivery: card in person, found
    ("121095004", False, "in_person", ALL, False, "internet", False),         # not in either plan: not compared
    ("121095005", True, "", NO_TRACKING, True, "sms", True),                  # matches / silent
)


def _seed(store):
    with store.session() as s:
        rnd = create_round(s, 1403, load_default_framework())
        agency = Agency(code="3001", name="ادارهٔ نمونه", level="national")
        s.add(agency)
        s.flush()
        a = Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="ارزیاب یکم")
        s.add(a)
        s.flush()
        for sid, in_req, req, req_j, in_dlv, dlv, dlv_j in SERVICES:
            # 121095004 is in no plan, but indicator 11 looks at every service: its card asks for a copy.
            documents, no_copy = ("تصویر کارت ملی", True) if sid == "121095004" else ("اصل کارت ملی", True)
            s.add(Service(round_uuid=rnd.uuid, agency_uuid=agency.uuid, service_id=sid, title=f"خدمت {sid}",
                          in_request_plan=in_req, request_channels=req, in_delivery_plan=in_dlv, delivery_channels=dlv,
                          documents=documents))
            s.add(ServiceJudgement(assessment_uuid=a.uuid, service_id=sid, delivery=dlv_j, no_id_copy=no_copy, **req_j))


def test_the_supervisor_gets_every_disagreement_of_the_round(store, tmp_path):
    _seed(store)
    with store.session() as s:
        rnd = s.scalar(select(Round))
        rows = round_disagreements(s, rnd)
        before = score_assessment(s, s.scalar(select(Assessment)))
        result = export_na(s, rnd, tmp_path / "na.xlsx")
    assert [(r.found.service_id, r.found.stage, r.found.card_electronic) for r in rows] == [
        ("121095001", "request", True), ("121095002", "request", False), ("121095003", "delivery", False),
        ("121095004", "copies", True),
    ]
    assert {r.evaluator for r in rows} == {"ارزیاب یکم"} and rows[0].title == "خدمت 121095001"
    # Information, not a change of points: indicator 1 counts what the evaluator judged (3 of 4 planned).
    assert before["1.1.1"].earned == pytest.approx(30 * 2 / 4)
    assert result.disagreements == 4
    ws = load_workbook(result.path)[SHEET_CARD]
    texts = [" ".join(str(c) for c in row if c) for row in ws.iter_rows(values_only=True)]
    assert sum("۱۲۱۰۹۵۰۰۲" in t for t in texts) == 1
    assert any("۱۲۱۰۹۵۰۰۱" in t and "«کد رهگیری» یافت نشد" in t for t in texts)
    assert any("۱۲۱۰۹۵۰۰۴" in t and "«تصویر کارت ملی»" in t for t in texts)
    assert not any("۱۲۱۰۹۵۰۰۵" in t for t in texts)


@pytest.mark.parametrize(("documents", "named"), [
    ("اصل کارت ملی، تصویر کارت ملی", "تصویر کارت ملی"),
    ("کپی صفحه اول شناسنامه و فرم درخواست", "کپی صفحه اول شناسنامه"),
    ("فتوکپی برابر اصل كارت ملي", "فتوکپی برابر اصل کارت ملی"),   # Arabic letters folded
    ("رونوشت مدارک هویتی", "رونوشت مدارک هویتی"),
    ("اصل کارت ملی، اصل شناسنامه", None),                          # originals are not copies
    ("تصویر سند مالکیت", None),
    ("", None),
])
def test_a_copy_of_an_identity_document_among_the_cards_documents(documents, named):
    """002, indicator 11: «حذف دریافت کپی مدارک هویتی (کارت ملی و شناسنامه) از خدمت گیرندگان»."""
    from workbench.model.card_channels import copy_named

    assert copy_named(documents) == named


def test_the_card_asks_for_a_copy_the_evaluator_found_none():
    found = disagreement("121095001", "copies", "اصل کارت ملی، تصویر کارت ملی", {"no_id_copy": True})
    assert found is not None and "«تصویر کارت ملی»" in found.describe() and found.judged is False
    assert "بدون دریافت کپی مدارک هویتی" in found.describe()
    # The evaluator found copies taken, or has not judged, or the card asks for originals only: none.
    assert disagreement("121095001", "copies", "تصویر کارت ملی", {"no_id_copy": False}) is None
    assert disagreement("121095001", "copies", "تصویر کارت ملی", {}) is None
    assert disagreement("121095001", "copies", "اصل شناسنامه", {"no_id_copy": True}) is None
