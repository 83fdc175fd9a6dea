"""A database for the measure page's tests: one agency with 30 planned services.

Six parent services (``…000``) each with four sub-services, so the agency has
24 sub-services (indicator 5 divides by min(10, 24) = 10); plan flags follow
simple rules so a test can count them by hand; five rows of table 4 over four
distinct sub-services and four rows of table 5.  Some titles carry Arabic
letter forms (ي, ك) as agencies' spreadsheets do, for the search tests.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from workbench.model.assessments import create_round
from workbench.model.schema import Agency, Assessment, ReformAction, ReformRow, Service
from workbench.ui.assessment.controller import AssessmentController

PARENTS = (
    ("121095", "صدور پروانه كسب"),
    ("121096", "ثبت علامت تجاري"),
    ("121097", "صدور کارت بازرگانی"),
    ("121098", "مجوز واحد صنفی"),
    ("121099", "استعلام سوابق"),
    ("121100", "گواهی استاندارد"),
)
SUB_TITLES = ("صدور", "تمدید", "ابطال", "المثنی")


def plan_flags(i: int) -> tuple[bool, bool, bool, bool]:
    """(request, delivery, counter, gsb) of the ``i``-th service (0-based, in ID order)."""
    return (i % 5 != 0, i % 2 == 0, i % 3 == 0, i % 4 == 1)


def service_ids() -> list[str]:
    ids = []
    for prefix, _title in PARENTS:
        ids.append(prefix + "000")
        ids.extend(f"{prefix}{100 + k}" for k in range(len(SUB_TITLES)))
    return ids


def planned(stage: str) -> list[str]:
    index = ("request", "delivery", "counter", "gsb").index(stage)
    return [sid for i, sid in enumerate(sorted(service_ids())) if plan_flags(i)[index]]


REFORM_SERVICES = ("121095100", "121095100", "121095101", "121096100", "121097102")


def build(store, framework, status: str = "draft") -> str:
    """Fill ``store`` with the round, the agency, its services and tables; the assessment's uuid."""
    with store.session() as s:
        rnd = create_round(s, 1403, framework)
        agency = Agency(code="1001", name="وزارت صنعت، معدن و تجارت", level="national", website="https://mimt.gov.ir")
        s.add(agency)
        s.flush()
        titles = {}
        for prefix, title in PARENTS:
            titles[prefix + "000"] = (title, "")
            for k, sub in enumerate(SUB_TITLES):
                titles[f"{prefix}{100 + k}"] = (f"{title} - {sub}", prefix + "000")
        for i, sid in enumerate(sorted(titles)):
            title, parent = titles[sid]
            req, dlv, cnt, gsb = plan_flags(i)
            s.add(
                Service(
                    round_uuid=rnd.uuid,
                    agency_uuid=agency.uuid,
                    service_id=sid,
                    title=title,
                    parent_service_id=parent,
                    kind=("G2C", "G2B", "G2G")[i % 3],
                    in_request_plan=req,
                    in_delivery_plan=dlv,
                    in_counter_plan=cnt,
                    in_gsb_plan=gsb,
                    url=f"https://mimt.gov.ir/service/{sid}" if i % 2 else "",
                )
            )
        criteria = ("زمان", "هزینه", "رضایت شهروند و ارباب رجوع", "زمان", "کاهش تخلفات")
        for no, (sid, criterion) in enumerate(zip(REFORM_SERVICES, criteria), 1):
            s.add(
                ReformRow(
                    round_uuid=rnd.uuid,
                    agency_uuid=agency.uuid,
                    row_no=no,
                    service_id=sid,
                    service_title=titles[sid][0],
                    criterion=criterion,
                    unit="روز",
                    value_before=10 + no,
                    value_target=3,
                    value_after=4,
                    description="کاهش مراجعهٔ حضوری با استعلام برخط مدارک",
                )
            )
        steps = ("هدف‌گذاری", "مدل‌سازی وضع موجود", "تحلیل و آسیب‌شناسی", "اجرای اقدامات بهبود")
        for no, (sid, step) in enumerate(zip(REFORM_SERVICES[:4], steps), 1):
            s.add(
                ReformAction(
                    round_uuid=rnd.uuid,
                    agency_uuid=agency.uuid,
                    row_no=no,
                    service_id=sid,
                    service_title=titles[sid][0],
                    step=step,
                    action="استعلام برخط مدارک از سامانهٔ ثبت احوال",
                    start_date=dt.date(2024, 4, 1),
                    end_date=dt.date(2024, 9, 21),
                    status="انجام شده",
                )
            )
        assessment = Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="مریم احمدی", status=status)
        s.add(assessment)
        s.flush()
        return assessment.uuid


def make_controller(store, framework, status: str = "draft") -> AssessmentController:
    """A controller over a fresh fixture database (its session lives as long as the test)."""
    uuid = build(store, framework, status)
    session = store.new_session()
    return AssessmentController(session, uuid, QUndoStack())


def setup_app(app: QApplication) -> None:
    """The application's own set-up (fonts, direction, locale), as the window has it."""
    from workbench.ui.app import setup_application

    setup_application(app)


def open_controller(qapp, store, framework, status: str = "draft") -> AssessmentController:
    """The set-up every measure-page test starts from: the app as the window has it, a controller."""
    setup_app(qapp)
    return make_controller(store, framework, status)


def stored_answer(store, controller, key: str):
    """The stored answer of ``key``, read in a fresh session (what a reopened database would show)."""
    from sqlalchemy import select

    from workbench.model.schema import Answer

    with store.session() as s:
        row = s.scalar(
            select(Answer).where(Answer.assessment_uuid == controller.assessment().uuid, Answer.key == key)
        )
        if row is None:
            return None
        return {c: getattr(row, c) for c in ("value", "achieved", "planned", "not_applicable", "na_reason", "note", "marks", "entry_notes")}


def type_text(widget, text: str) -> None:
    """Key presses carrying ``text``, as a keyboard would send them.

    ``QTest.keyClicks`` asserts on characters outside ASCII (Persian letters
    and digits), so the events are made here.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        key = ord(ch.upper()) if ch.isascii() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
