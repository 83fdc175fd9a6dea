"""Edits with inverses: each kind applies, its inverse restores, the inverse of that redoes.

A finalized assessment refuses every kind and is left unchanged.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from workbench.model.editing import Edit, FinalizedError, answer_row, file_evidence_fields
from workbench.model.errors import UserError
from workbench.model.evidence_files import read_stream
from workbench.model.framework import parse_framework
from workbench.model.schema import (
    Agency,
    Assessment,
    AuditEntry,
    Evidence,
    ReformAction,
    ReformRow,
    ServiceJudgement,
    Tombstone,
)

# Editing does not read the framework; a small one keeps the round honest.
SMALL_FRAMEWORK = """{
  "id": "t", "title": "چارچوب آزمون", "version": "1",
  "bands": [{"key": "A", "title": "خوب", "min": 50}, {"key": "B", "title": "ضعیف", "min": 0}],
  "indicators": [{"key": "1", "title": "شاخص", "points": 2, "measures": [
    {"key": "1.1", "title": "نماگر", "points": 2, "evidence_kinds": ["url", "file"], "items": [
      {"key": "1.1.1", "title": "مورد", "kind": "check", "points": 2}]}]}]
}"""


@pytest.fixture
def db(store):
    from workbench.model.assessments import create_round

    with store.session() as s:
        rnd = create_round(s, 1403, parse_framework(SMALL_FRAMEWORK))
        agency = Agency(code="1010", name="وزارت نمونه")
        s.add(agency)
        s.flush()
        assessment = Assessment(round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="مریم احمدی")
        row = ReformRow(round_uuid=rnd.uuid, agency_uuid=agency.uuid, row_no=1, service_id="121095100", criterion="زمان")
        action = ReformAction(
            round_uuid=rnd.uuid, agency_uuid=agency.uuid, row_no=1, service_id="121095100", step="هدف‌گذاری"
        )
        s.add_all([assessment, row, action])
    session = store.new_session()
    ids = {"assessment": assessment.uuid, "row": row.uuid, "action": action.uuid}
    yield session, ids
    session.close()


def _state(session, ids) -> dict:
    """Everything an edit may touch, as plain values."""
    session.expire_all()
    a = session.get(Assessment, ids["assessment"])
    answer = answer_row(session, a.uuid, "1.1.1")
    judgement = session.scalar(select(ServiceJudgement).where(ServiceJudgement.assessment_uuid == a.uuid))
    return {
        "evaluator": a.evaluator,
        "visit_date": a.visit_date,
        "answer": None
        if answer is None
        else (answer.value, answer.achieved, answer.planned, answer.not_applicable, answer.na_reason, answer.note),
        "judgement": None if judgement is None else (judgement.request_portal, judgement.delivery, judgement.note),
        "row": (session.get(ReformRow, ids["row"]).accepted, session.get(ReformRow, ids["row"]).evaluator_note),
        "action": (session.get(ReformAction, ids["action"]).accepted, session.get(ReformAction, ids["action"]).evaluator_note),
        "evidence": sorted(
            (e.uuid, e.kind, e.text, e.blob_sha256) for e in session.scalars(select(Evidence).where(Evidence.assessment_uuid == a.uuid))
        ),
    }


def _round_trip(session, ids, edit: Edit, check_applied) -> None:
    """Apply, undo, redo, undo again; the state after each undo is the original."""
    original = _state(session, ids)
    inverse = edit.apply(session)
    session.commit()
    applied = _state(session, ids)
    check_applied(applied)
    assert applied != original
    redo = inverse.apply(session)
    session.commit()
    restored = _state(session, ids)
    if original["answer"] is None and restored["answer"] is not None:
        # The answer row stays once created; undoing empties it.
        assert restored["answer"] == (None, None, None, False, "", "")
        restored["answer"] = None
    if original["judgement"] is None and restored["judgement"] is not None:
        assert restored["judgement"] == (None, None, "")
        restored["judgement"] = None
    assert restored == original
    redo.apply(session)
    session.commit()
    assert _state(session, ids) == applied


def test_answer(db):
    session, ids = db
    edit = Edit("answer", ids["assessment"], "1.1.1", {"value": True, "note": "در بازدید دیده شد"})
    _round_trip(session, ids, edit, lambda st: st["answer"][0] is True and st["answer"][5] == "در بازدید دیده شد")


def test_answer_not_applicable(db):
    session, ids = db
    edit = Edit("answer", ids["assessment"], "1.1.1", {"not_applicable": True, "na_reason": "مخاطب خارجی ندارد"})
    _round_trip(session, ids, edit, lambda st: st["answer"][3] is True and st["answer"][4] == "مخاطب خارجی ندارد")


def test_judgement(db):
    session, ids = db
    edit = Edit("judgement", ids["assessment"], "121095100", {"request_portal": True, "delivery": False, "note": "بدون رسید"})
    _round_trip(session, ids, edit, lambda st: st["judgement"] == (True, False, "بدون رسید"))


def test_reform_row(db):
    session, ids = db
    edit = Edit("reform_row", ids["assessment"], ids["row"], {"accepted": False, "evaluator_note": "مستند ندارد"})
    _round_trip(session, ids, edit, lambda st: st["row"] == (False, "مستند ندارد"))


def test_reform_action(db):
    session, ids = db
    edit = Edit("reform_action", ids["assessment"], ids["action"], {"accepted": True})
    _round_trip(session, ids, edit, lambda st: st["action"][0] is True)


def test_assessment_fields(db):
    session, ids = db
    edit = Edit("assessment", ids["assessment"], "", {"evaluator": "علی رضایی", "visit_date": dt.date(2024, 10, 12)})
    _round_trip(session, ids, edit, lambda st: st["evaluator"] == "علی رضایی" and st["visit_date"] == dt.date(2024, 10, 12))


def test_evidence_add_and_remove(db, tmp_path):
    session, ids = db
    path = tmp_path / "گواهی امنیتی.pdf"
    path.write_bytes(b"%PDF-1.4 test certificate")
    fields = file_evidence_fields(session, "1.1", path)
    assert fields["mime"] == "application/pdf" and fields["filename"] == path.name
    evidence_uuid = str(uuid.uuid4())
    edit = Edit("evidence_add", ids["assessment"], evidence_uuid, fields)
    _round_trip(session, ids, edit, lambda st: [e[0] for e in st["evidence"]] == [evidence_uuid])
    # Removing an existing piece of evidence, and undoing that, round-trips too.
    _round_trip(
        session, ids, Edit("evidence_remove", ids["assessment"], evidence_uuid), lambda st: st["evidence"] == []
    )
    assert b"".join(read_stream(session, fields["blob_sha256"])) == path.read_bytes()
    # Removed now: a tombstone tells a merge.  Added back: the tombstone goes, so no merge deletes it.
    assert session.get(Tombstone, evidence_uuid) is not None
    Edit("evidence_add", ids["assessment"], evidence_uuid, fields).apply(session)
    session.commit()
    assert session.get(Tombstone, evidence_uuid) is None
    assert session.get(Evidence, evidence_uuid).blob_sha256 == fields["blob_sha256"]


def test_evidence_remove_leaves_a_tombstone(db):
    session, ids = db
    edit = Edit("evidence_add", ids["assessment"], str(uuid.uuid4()), {"measure_key": "1.1", "kind": "url", "text": "https://example.ir"})
    undo = edit.apply(session)
    session.commit()
    undo.apply(session)
    session.commit()
    tomb = session.get(Tombstone, edit.target)
    assert tomb is not None and tomb.table_name == "evidence"


def test_edits_are_audited(db):
    session, ids = db
    Edit("answer", ids["assessment"], "1.1.1", {"value": True}).apply(session)
    session.commit()
    row = answer_row(session, ids["assessment"], "1.1.1")
    actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.row_uuid == row.uuid)))
    assert actions == ["insert"]


def test_unknown_field_is_refused(db):
    session, ids = db
    with pytest.raises(ValueError):
        Edit("answer", ids["assessment"], "1.1.1", {"status": "final"}).apply(session)


def test_missing_evidence_file_is_a_user_error(db, tmp_path):
    session, _ = db
    with pytest.raises(UserError) as exc:
        file_evidence_fields(session, "1.1", tmp_path / "گم‌شده.png")
    assert "گم‌شده.png" in exc.value.message


EDITS = [
    ("answer", "1.1.1", {"value": True}),
    ("judgement", "121095100", {"delivery": True}),
    ("reform_row", "row", {"accepted": True}),
    ("reform_action", "action", {"accepted": True}),
    ("assessment", "", {"evaluator": "علی رضایی"}),
    ("evidence_add", "new", {"measure_key": "1.1", "kind": "text", "text": "توضیح"}),
    ("evidence_remove", "existing", {}),
]


@pytest.mark.parametrize(("kind", "target", "fields"), EDITS, ids=[e[0] for e in EDITS])
def test_finalized_assessment_refuses_every_edit(db, kind, target, fields):
    session, ids = db
    existing = str(uuid.uuid4())
    Edit("evidence_add", ids["assessment"], existing, {"measure_key": "1.1", "kind": "url", "text": "https://x.ir"}).apply(session)
    session.get(Assessment, ids["assessment"]).status = "final"
    session.commit()
    before = _state(session, ids)
    target = {"row": ids["row"], "action": ids["action"], "new": str(uuid.uuid4()), "existing": existing}.get(target, target)
    with pytest.raises(FinalizedError) as exc:
        Edit(kind, ids["assessment"], target, fields).apply(session)
    assert "نهایی" in exc.value.message
    session.rollback()
    assert _state(session, ids) == before


# --------------------------------------------------------------------------- rows deleted elsewhere
#
# The window edits in one long-lived session while the import dialog replaces an agency's tables 4
# and 5 in a session of its own.  A row the long-lived session still holds in memory may be gone.

GONE = [
    ("reform_row", "row", {"accepted": True}),
    ("reform_action", "action", {"evaluator_note": "بررسی شد"}),
    ("evidence_remove", "evidence", {}),
]


def _with_evidence(session, ids) -> dict:
    evidence = str(uuid.uuid4())
    Edit("evidence_add", ids["assessment"], evidence, {"measure_key": "1.1", "kind": "url", "text": "https://x.ir"}).apply(session)
    session.commit()
    return {**ids, "evidence": evidence}


def _delete_elsewhere(store, model, key) -> None:
    with store.session() as other:  # another session on the same file, committed
        other.delete(other.get(model, key))


_MODELS = {"row": ReformRow, "action": ReformAction, "evidence": Evidence}


@pytest.mark.parametrize("expired", [False, True], ids=["fresh", "expired"])
@pytest.mark.parametrize(("kind", "target", "fields"), GONE, ids=[g[0] for g in GONE])
def test_row_deleted_by_another_session_is_a_user_error(db, store, kind, target, fields, expired):
    session, ids = db
    ids = _with_evidence(session, ids)
    # Held in memory by the long-lived session: loaded after its last commit (fresh), or
    # loaded and then expired by a commit.
    held = [session.get(model, ids[name]) for name, model in _MODELS.items()]
    if expired:
        session.commit()
    _delete_elsewhere(store, _MODELS[target], ids[target])

    with pytest.raises(UserError) as exc:
        Edit(kind, ids["assessment"], ids[target], fields).apply(session)
    assert "پیدا نشد" in exc.value.message
    session.rollback()
    # Nothing else was touched, and the session goes on working.
    session.expire_all()
    others = [n for n in _MODELS if n != target]
    assert all(session.get(_MODELS[n], ids[n]) is not None for n in others)
    Edit("answer", ids["assessment"], "1.1.1", {"value": True}).apply(session)
    session.commit()
    assert answer_row(session, ids["assessment"], "1.1.1").value is True
    assert held  # kept alive to the end: the identity map holds them only while referenced


@pytest.mark.parametrize(("kind", "target", "fields"), GONE[:2], ids=[g[0] for g in GONE[:2]])
def test_row_deleted_between_read_and_write_is_a_user_error(db, store, kind, target, fields):
    """Gone after the edit read it, before its UPDATE: SQLAlchemy's StaleDataError.

    (Evidence removed elsewhere at that moment is simply gone, as the user asked: SQLAlchemy
    only warns about a DELETE that matched nothing.)
    """
    from sqlalchemy import event
    from sqlalchemy.orm.exc import StaleDataError

    session, ids = db
    ids = _with_evidence(session, ids)
    model = _MODELS[target]
    deleted = []

    def delete_now(obj, *_args) -> None:  # the edit has just read the row
        if not deleted and obj.uuid == ids[target]:
            deleted.append(True)
            _delete_elsewhere(store, model, ids[target])

    for name in ("load", "refresh"):
        event.listen(model, name, delete_now)
    try:
        with pytest.raises(UserError) as exc:
            Edit(kind, ids["assessment"], ids[target], fields).apply(session)
    finally:
        for name in ("load", "refresh"):
            event.remove(model, name, delete_now)
    assert deleted  # the row really went between the edit's read and its write
    assert "پیدا نشد" in exc.value.message
    assert isinstance(exc.value.__cause__, StaleDataError)
    session.rollback()
