"""A small, hand-made database for the window's and the finishing tests.

Two agencies of one round (a national ministry and its provincial directorate),
each with a few planned services and rows of tables 4 and 5; no assessment
answers, so every score a test sees comes from what the test itself entered.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from workbench.model.assessments import create_round
from workbench.model.checklists import section_keys
from workbench.model.editing import Edit
from workbench.model.framework import load_default_framework
from workbench.model.schema import Agency, Assessment, ReformAction, ReformRow, Service
from workbench.model.store import open_store
from workbench.model.terms import CHECK_FIELDS

NATIONAL_CODE = "1001"
PROVINCIAL_CODE = "1001-07"

#: (service ID, title, parent ID, request, delivery, counter, gsb)
SERVICES = (
    ("121095000", "صدور پروانه کسب", "", True, True, False, False),
    ("121095100", "صدور پروانه کسب حقیقی", "121095000", True, True, True, False),
    ("121095101", "تمدید پروانه کسب", "121095000", True, False, True, True),
    ("121095102", "ابطال پروانه کسب", "121095000", False, False, False, True),
)


def build_fixture(path: Path, year: int = 1403) -> Path:
    store = open_store(path, actor="آزمون")
    try:
        with store.session() as s:
            rnd = create_round(s, year, load_default_framework())
            ministry = Agency(code=NATIONAL_CODE, name="وزارت صنعت، معدن و تجارت", level="national")
            s.add(ministry)
            s.flush()
            province = Agency(
                code=PROVINCIAL_CODE,
                name="سازمان صنعت، معدن و تجارت استان اصفهان",
                level="provincial",
                province="اصفهان",
                parent_uuid=ministry.uuid,
            )
            other = Agency(code="2002", name="سازمان ثبت اسناد و املاک كشور", level="national")
            s.add_all([province, other])
            s.flush()
            for agency in (ministry, province):
                for sid, title, parent, req, dlv, cnt, gsb in SERVICES:
                    s.add(
                        Service(
                            round_uuid=rnd.uuid,
                            agency_uuid=agency.uuid,
                            service_id=sid,
                            title=title,
                            parent_service_id=parent,
                            in_request_plan=req,
                            in_delivery_plan=dlv,
                            in_counter_plan=cnt,
                            in_gsb_plan=gsb,
                        )
                    )
                for no, (sid, criterion) in enumerate((("121095100", "زمان"), ("121095101", "هزینه")), 1):
                    s.add(
                        ReformRow(
                            round_uuid=rnd.uuid,
                            agency_uuid=agency.uuid,
                            row_no=no,
                            service_id=sid,
                            service_title="",
                            criterion=criterion,
                            unit="روز",
                            value_before=10,
                            value_target=3,
                            value_after=4,
                        )
                    )
                    s.add(
                        ReformAction(
                            round_uuid=rnd.uuid,
                            agency_uuid=agency.uuid,
                            row_no=no,
                            service_id=sid,
                            step="هدف‌گذاری",
                            action="تعیین هدف کاهش زمان",
                            start_date=dt.date(2024, 4, 1),
                            end_date=dt.date(2024, 6, 1),
                            status="انجام شده",
                        )
                    )
            # The national ministry already has a draft; the others get one when opened.
            s.add(Assessment(round_uuid=rnd.uuid, agency_uuid=ministry.uuid, evaluator="مریم احمدی"))
    finally:
        store.close()
    return path


def answer_everything(session, assessment: Assessment, framework) -> None:
    """Answer every item "yes", a URL and a file per measure, judge every service, accept table 4.

    Leaves the assessment with no gap at all (and the session uncommitted).
    """

    def apply(edit_kind, target, **fields):
        Edit(edit_kind, assessment.uuid, target, fields).apply(session)

    for item in framework.items():
        if item.kind in ("check", "yesno"):
            apply("answer", item.key, value=True)
        elif item.kind == "ratio" and item.source == "typed":
            apply("answer", item.key, achieved=3, planned=4)
        elif item.kind == "checklist":  # every entry of appendix A met
            apply("answer", item.key, marks=" ".join(e.key for e in item.checklist.entries))
    for m in framework.measures():
        apply("evidence_add", f"ev-{m.key}", measure_key=m.key, kind="url", text="https://x.ir")
        apply("evidence_add", f"evf-{m.key}", measure_key=m.key, kind="file", text="", filename="a.pdf")
    for svc in session.scalars(select(Service).where(Service.agency_uuid == assessment.agency_uuid)):
        apply(
            "judgement", svc.service_id,
            request_portal=True, request_online=True, request_receipt=True, request_tracking=True,
            delivery=True, counter=True, gsb=True,
            **dict.fromkeys(CHECK_FIELDS, True),  # a survey tool, no copy of identity documents
            **{f"sla_{k}": True for k in section_keys(framework)},  # its SLA with every section of appendix C
        )
    for row in session.scalars(select(ReformRow).where(ReformRow.agency_uuid == assessment.agency_uuid)):
        apply("reform_row", row.uuid, accepted=True)
