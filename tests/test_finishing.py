"""Completeness gaps and the draft → complete → final → draft cycle (no Qt)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, answer_everything, build_fixture

from workbench.model.assessments import find_agency, find_round, round_framework
from workbench.model.completeness import measure_key_of, missing
from workbench.model.editing import Edit, FinalizedError
from workbench.model.errors import UserError
from workbench.model.finishing import IncompleteError, finalize, mark_complete, reopen
from workbench.model.schema import Assessment, AuditEntry, ReformRow, Service
from workbench.model.store import open_store


@pytest.fixture
def db(tmp_path):
    store = open_store(build_fixture(tmp_path / "f.sqlite"))
    session = store.new_session()
    yield session
    session.close()
    store.close()


def _assessment(session) -> Assessment:
    agency = find_agency(session, NATIONAL_CODE)
    return session.scalar(select(Assessment).where(Assessment.agency_uuid == agency.uuid))


def _apply(session, a, edit_kind, target, **fields):
    Edit(edit_kind, a.uuid, target, fields).apply(session)


def _answer_everything(session, a, framework):
    answer_everything(session, a, framework)
    session.commit()


def test_a_fresh_assessment_is_missing_every_measure(db):
    a = _assessment(db)
    fw = round_framework(db, find_round(db))
    gaps = missing(db, a, fw)
    keys = {measure_key_of(fw, g.key) for g in gaps}
    assert keys == {m.key for m in fw.measures()}
    # a many-item measure with nothing answered is one gap, not one per item
    assert [g.key for g in gaps if g.key.startswith("4.1")] == ["4.1"]
    assert all(g.message for g in gaps)


def test_gaps_name_items_reasons_services_and_evidence(db):
    a = _assessment(db)
    fw = round_framework(db, find_round(db))
    _answer_everything(db, a, fw)
    assert missing(db, a, fw) == []

    _apply(db, a, "answer", "4.1.2", value=None)  # one item unanswered again
    _apply(db, a, "answer", "4.4.3", not_applicable=True, na_reason="  ")  # N/A without a reason
    for m in ("4.6",):  # earns points, evidence removed
        _apply(db, a, "evidence_remove", f"ev-{m}")
        _apply(db, a, "evidence_remove", f"evf-{m}")
    _apply(db, a, "judgement", "121095101", request_portal=None, request_online=None,
           request_receipt=None, request_tracking=None)  # one planned request service unjudged
    row = db.scalars(select(ReformRow).where(ReformRow.agency_uuid == a.agency_uuid)).first()
    _apply(db, a, "reform_row", row.uuid, accepted=None)
    db.commit()

    gaps = {g.key: g.message for g in missing(db, a, fw)}
    assert set(gaps) == {"4.1.2", "4.4.3", "4.6", "1.1.1", "5.1.1"}
    assert "دلیل" in gaps["4.4.3"]
    assert "۱ خدمت از ۳" in gaps["1.1.1"]
    assert "جدول ۴" in gaps["5.1.1"]

    # any one of the listed proof kinds suffices; a measure scored zero needs no proof
    _apply(db, a, "evidence_add", "ev2-4.6", measure_key="4.6", kind="file", filename="p.pdf")
    _apply(db, a, "evidence_remove", "ev-4.7")
    _apply(db, a, "evidence_remove", "evf-4.7")
    for svc in db.scalars(select(Service).where(Service.agency_uuid == a.agency_uuid)):  # no SLA on the site
        _apply(db, a, "judgement", svc.service_id, sla_published=False)
    db.commit()
    assert {"4.6", "4.7"}.isdisjoint(g.key for g in missing(db, a, fw))


def test_not_applicable_measure_or_indicator_needs_only_a_reason(db):
    a = _assessment(db)
    fw = round_framework(db, find_round(db))
    _apply(db, a, "answer", "6", not_applicable=True, na_reason="")
    _apply(db, a, "answer", "8.3", not_applicable=True, na_reason="شبکه را دستگاه ملی می‌گرداند")
    db.commit()
    gaps = missing(db, a, fw)
    assert [g.key for g in gaps if g.key.startswith("6")] == ["6"]
    assert not [g for g in gaps if g.key.startswith("8.3")]


def test_services_ratio_with_no_planned_service_asks_for_na(db):
    a = _assessment(db)
    fw = round_framework(db, find_round(db))
    for svc in db.scalars(select(Service).where(Service.agency_uuid == a.agency_uuid)):
        svc.in_counter_plan = False
    db.commit()
    msg = {g.key: g.message for g in missing(db, a, fw)}["3.1.1"]
    assert "عدم مصداق" in msg


def test_finishing_cycle_and_audit_of_reopen(db):
    a = _assessment(db)
    fw = round_framework(db, find_round(db))
    with pytest.raises(IncompleteError) as refused:
        mark_complete(db, a)
    assert refused.value.gaps and a.status == "draft"
    with pytest.raises(UserError):
        finalize(db, a)
    assert a.status == "draft"

    _answer_everything(db, a, fw)
    mark_complete(db, a)
    assert a.status == "complete"
    finalize(db, a)
    db.commit()
    assert a.status == "final"
    with pytest.raises(FinalizedError):
        _apply(db, a, "answer", "4.1.1", value=False)
    db.rollback()

    with pytest.raises(UserError):
        reopen(db, a, "   ")
    assert a.status == "final"
    reopen(db, a, "مستند گواهی امنیتی اشتباه بود")
    db.commit()
    assert a.status == "draft"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.row_uuid == a.uuid, AuditEntry.action == "reopen"))
    assert json.loads(entry.changes) == {"reason": "مستند گواهی امنیتی اشتباه بود"}
    with pytest.raises(UserError):
        reopen(db, a, "دوباره")


def test_finalize_rechecks_gaps_made_after_complete(db):
    a = _assessment(db)
    fw = round_framework(db, find_round(db))
    _answer_everything(db, a, fw)
    mark_complete(db, a)
    _apply(db, a, "judgement", "121095101", no_id_copy=None)  # one service's identity copies unjudged again
    with pytest.raises(IncompleteError):
        finalize(db, a)
    assert a.status == "complete"
