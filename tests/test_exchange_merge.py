"""The merge's rules, each shown on real databases: assign → receive → edit → export → merge."""
from __future__ import annotations

import itertools
import sqlite3

import pytest
from exchange_fixture import (
    answer,
    copy_assignments,
    do_export,
    do_merge,
    evaluator_db,
    first_assessment_answer_keys,
    set_answer,
    snapshot,
    sql,
)
from sqlalchemy import func, select

from workbench.exchange.tables import Conflict, ConflictCandidate, Provenance, Submission
from workbench.model.schema import Agency, Answer, AuditEntry, Evidence
from workbench.model.store import open_store

pytestmark = pytest.mark.backends  # each test on a SQLite master and on a PostgreSQL one


@pytest.fixture
def key(master, agency):
    return first_assessment_answer_keys(master, agency)[0]


def _package(tmp_path, db, name):
    do_export(db, tmp_path / name)
    return tmp_path / name


def _open_conflicts(master):
    store = open_store(master)
    try:
        with store.session() as s:
            out = []
            for c in s.scalars(select(Conflict).where(Conflict.status == "open")):
                cands = s.scalars(select(ConflictCandidate).where(ConflictCandidate.conflict_id == c.id)).all()
                out.append((c, sorted((x.evaluator, x.value) for x in cands)))
            return out
    finally:
        store.close()


def test_two_evaluators_creating_the_same_answer_make_one_record(tmp_path, master, agency, key):
    sql(master, "DELETE FROM answers WHERE key = :k", {"k": key})  # the answer does not exist when the agency is handed out
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, value=True, note="")
    set_answer(b, agency, key, value=True)
    result = do_merge(master, [_package(tmp_path, a, "a.wbp"), _package(tmp_path, b, "b.wbp")])
    assert [p.status for p in result.packages] == ["merged", "merged"]
    assert result.packages[0].added == 1 and result.packages[1].added == 0
    assert sum(p.conflicts for p in result.packages) == 0
    store = open_store(master)
    with store.session() as s:
        n = s.scalar(select(func.count()).select_from(Answer).join(Answer.assessment).join(Agency).where(
            Agency.code == agency, Answer.key == key))
    store.close()
    assert n == 1 and answer(master, agency, key)["value"] is True


def test_one_sided_edit_is_taken_and_the_unchanged_side_changes_nothing(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="دیده شد")
    result = do_merge(master, [_package(tmp_path, b, "b.wbp"), _package(tmp_path, a, "a.wbp")])
    assert sum(p.conflicts for p in result.packages) == 0
    assert answer(master, agency, key)["note"] == "دیده شد"
    assert result.packages[1].updated == 1


def test_the_same_change_on_both_sides_is_no_conflict(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="یکسان")
    set_answer(b, agency, key, note="یکسان")
    result = do_merge(master, [_package(tmp_path, a, "a.wbp"), _package(tmp_path, b, "b.wbp")])
    assert sum(p.conflicts for p in result.packages) == 0
    assert answer(master, agency, key)["note"] == "یکسان"


def test_conflicting_edits_are_a_conflict_holding_the_base_value(tmp_path, master, agency, key):
    base = answer(master, agency, key)["note"]
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="اول")
    set_answer(b, agency, key, note="دوم")
    result = do_merge(master, [_package(tmp_path, a, "a.wbp"), _package(tmp_path, b, "b.wbp")])
    assert result.packages[1].conflicts == 1
    assert answer(master, agency, key)["note"] == base
    [(conflict, candidates)] = _open_conflicts(master)
    assert conflict.grp == "note" and conflict.kind == "value"
    assert candidates == [("الف", '{"note": "اول"}'), ("ب", '{"note": "دوم"}')]


def test_edits_to_different_field_groups_of_one_record_both_apply(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="یادداشت الف")
    set_answer(b, agency, key, not_applicable=True, na_reason="خدمتی ندارد")
    result = do_merge(master, [_package(tmp_path, a, "a.wbp"), _package(tmp_path, b, "b.wbp")])
    assert sum(p.conflicts for p in result.packages) == 0
    got = answer(master, agency, key)
    assert got["note"] == "یادداشت الف" and got["not_applicable"] is True and got["na_reason"] == "خدمتی ندارد"


def _delete_first_evidence(db, agency):
    store = open_store(db, actor="الف")
    with store.session() as s:
        ev = s.scalars(select(Evidence).join(Evidence.assessment).join(Agency).where(Agency.code == agency)
                       .order_by(Evidence.uuid)).first()
        uuid = ev.uuid
        s.delete(ev)
    store.close()
    return uuid


def _evidence_count(db, agency):
    store = open_store(db)
    with store.session() as s:
        n = s.scalar(select(func.count()).select_from(Evidence).join(Evidence.assessment).join(Agency).where(
            Agency.code == agency))
    store.close()
    return n


def test_a_tombstone_deletes_and_a_stale_package_never_brings_it_back(tmp_path, master, agency):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    before = _evidence_count(master, agency)
    stale = _package(tmp_path, b, "b.wbp")  # still has the evidence, unchanged
    _delete_first_evidence(a, agency)
    result = do_merge(master, [_package(tmp_path, a, "a.wbp")])
    assert result.packages[0].updated == 1
    assert _evidence_count(master, agency) == before - 1
    result = do_merge(master, [stale])
    assert result.packages[0].status == "merged" and result.packages[0].conflicts == 0
    assert _evidence_count(master, agency) == before - 1


def test_a_tombstone_against_a_changed_record_is_an_update_delete_conflict(tmp_path, master, agency):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    uuid = _delete_first_evidence(a, agency)
    store = open_store(b, actor="ب")
    with store.session() as s:
        s.get(Evidence, uuid).filename = "نام تازه.pdf"
    store.close()
    before = _evidence_count(master, agency)
    result = do_merge(master, [_package(tmp_path, b, "b.wbp"), _package(tmp_path, a, "a.wbp")])
    assert result.packages[1].conflicts == 1
    assert _evidence_count(master, agency) == before  # kept while the conflict is open
    [(conflict, _)] = _open_conflicts(master)
    assert conflict.kind == "delete"


def test_every_order_of_three_packages_gives_the_same_master(tmp_path, master, make_master, agency, key):
    keys = first_assessment_answer_keys(master, agency)
    dbs = {}
    for name in ("الف", "ب", "پ"):
        dbs[name] = evaluator_db(tmp_path, master, name, [agency])
    set_answer(dbs["الف"], agency, key, note="X")
    set_answer(dbs["ب"], agency, key, note="Y")
    set_answer(dbs["پ"], agency, key, note="X")
    set_answer(dbs["الف"], agency, keys[1], na_reason="دلیل", not_applicable=True)
    set_answer(dbs["پ"], agency, keys[2], note="فقط پ")
    set_answer(dbs["ب"], agency, keys[2], note="فقط پ")
    packages = {n: _package(tmp_path, db, f"{abs(hash(n))}.wbp") for n, db in dbs.items()}
    results = []
    for i, order in enumerate(itertools.permutations(packages)):
        copy = tmp_path / f"order{i}"
        copy.mkdir()
        m = make_master(copy)
        copy_assignments(master, m)  # the same assignments: the first master's
        do_merge(m, [packages[n] for n in order])
        results.append(snapshot(m))
    assert all(r == results[0] for r in results[1:])
    assert len(results[0]["conflicts"]) == 1
    [(_k, grp, _kind, status, _base, cands)] = results[0]["conflicts"]
    assert grp == "note" and status == "open" and {e for e, _ in cands} == {"الف", "ب", "پ"}


def test_the_same_package_twice_changes_nothing_the_second_time(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, key, note="یک بار")
    pkg = _package(tmp_path, a, "a.wbp")
    do_merge(master, [pkg])
    once = snapshot(master)
    again = _package(tmp_path, a, "a-again.wbp")  # exported again, nothing changed
    result = do_merge(master, [pkg, again])
    assert [p.status for p in result.packages] == ["already merged", "already merged"]
    assert result.batch is None and snapshot(master) == once


def test_an_older_package_of_a_device_is_superseded(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, key, note="اول")
    old = _package(tmp_path, a, "old.wbp")
    set_answer(a, agency, key, note="دوم")
    new = _package(tmp_path, a, "new.wbp")
    do_merge(master, [new])
    result = do_merge(master, [old])
    assert result.packages[0].status == "superseded"
    assert answer(master, agency, key)["note"] == "دوم"


def test_a_later_package_is_compared_with_the_devices_last_merged_one(tmp_path, master, agency, key):
    keys = first_assessment_answer_keys(master, agency)
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="الف")
    set_answer(b, agency, key, note="ب")
    do_merge(master, [_package(tmp_path, a, "a1.wbp"), _package(tmp_path, b, "b1.wbp")])
    set_answer(a, agency, keys[1], note="تازه")  # the conflicting note is unchanged since a1
    result = do_merge(master, [_package(tmp_path, a, "a2.wbp")])
    assert result.packages[0].conflicts == 0 and result.packages[0].updated == 1
    assert answer(master, agency, keys[1])["note"] == "تازه"
    [(_c, candidates)] = _open_conflicts(master)
    assert [e for e, _ in candidates] == ["الف", "ب"]


def test_a_clock_two_years_off_changes_nothing(tmp_path, make_master, agency, key):
    def run(shift_years):
        work = tmp_path / f"clock{shift_years}"
        work.mkdir()
        m = make_master(work)
        a = evaluator_db(work, m, "الف", [agency])
        b = evaluator_db(work, m, "ب", [agency])
        set_answer(a, agency, key, note="الف")
        set_answer(b, agency, key, note="ب")
        conn = sqlite3.connect(a)
        with conn:  # every stamp of one laptop two years ahead
            for table in ("answers", "assessments", "evidence", "audit_log"):
                col = "at" if table == "audit_log" else "updated_at"
                conn.execute(f"UPDATE {table} SET {col} = datetime({col}, '+{shift_years} years')")
        conn.close()
        do_merge(m, [_package(work, a, "a.wbp"), _package(work, b, "b.wbp")])
        return snapshot(m), answer(m, agency, key)

    assert run(0) == run(2)


def test_status_final_is_never_made_by_a_merge_and_a_final_assessment_is_never_changed(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    conn = sqlite3.connect(a)
    with conn:
        conn.execute("UPDATE assessments SET status = 'final'")
    conn.close()
    set_answer(a, agency, key, note="پس از نهایی")
    result = do_merge(master, [_package(tmp_path, a, "a.wbp")])
    assert any("نهایی" in w for w in result.packages[0].warnings)
    store = open_store(master)
    with store.session() as s:
        from workbench.model.schema import Assessment

        status = s.scalar(select(Assessment.status).join(Agency).where(Agency.code == agency))
    store.close()
    assert status == "complete"

    # Now the master finalises it; a change from another evaluator is a conflict, not a change.
    sql(master, "UPDATE assessments SET status = 'final'")
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(b, agency, key, note="تغییر دیرهنگام")
    result = do_merge(master, [_package(tmp_path, b, "b.wbp")])
    assert result.packages[0].conflicts == 1 and result.packages[0].updated == 0
    assert answer(master, agency, key)["note"] == "پس از نهایی"
    [(conflict, _)] = _open_conflicts(master)
    assert conflict.kind == "final"


def test_agencies_belong_to_the_supervisor(tmp_path, master, agency):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    conn = sqlite3.connect(a)
    with conn:
        conn.execute("UPDATE agencies SET name = 'نام دیگر' WHERE code = ?", (agency,))
    conn.close()
    result = do_merge(master, [_package(tmp_path, a, "a.wbp")])
    assert result.packages[0].status == "merged"
    assert any(agency in w and "سرپرست" in w for w in result.packages[0].warnings)
    store = open_store(master)
    with store.session() as s:
        assert s.scalar(select(Agency.name).where(Agency.code == agency)) != "نام دیگر"
    store.close()


def test_two_evaluators_each_complete_submission_is_kept(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="الف")
    do_merge(master, [_package(tmp_path, a, "a.wbp"), _package(tmp_path, b, "b.wbp")])
    from workbench.exchange import records

    store = open_store(master)
    with store.session() as s:
        subs = s.scalars(select(Submission).where(Submission.agency_code == agency)).all()
        sizes = {x.evaluator: len(records.unpack(x.data)) for x in subs}
    store.close()
    total = len(snapshot(a)["records"])
    assert sizes == {"الف": total, "ب": total}


def test_provenance_and_audit_name_the_evaluator(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, key, actor="الف", note="از الف")
    result = do_merge(master, [_package(tmp_path, a, "a.wbp")])
    store = open_store(master)
    with store.session() as s:
        row = s.scalar(select(Answer).join(Answer.assessment).join(Agency).where(Agency.code == agency, Answer.key == key))
        assert row.updated_by == "الف"
        prov = s.scalars(select(Provenance).where(Provenance.grp == "note")).all()
        assert [(p.evaluator, p.batch_uuid, p.package_uuid) for p in prov] == [
            ("الف", result.batch, result.packages[0].package)]
        assert prov[0].device_id
        audit = s.scalars(select(AuditEntry).where(AuditEntry.row_uuid == row.uuid)).all()
        assert audit and {e.actor for e in audit} == {"الف"}
    store.close()


def test_dry_run_reports_what_a_merge_would_do_and_writes_nothing(tmp_path, master, agency, key):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, key, note="آزمایشی")
    pkg = _package(tmp_path, a, "a.wbp")
    before = snapshot(master)
    dry = do_merge(master, [pkg], dry_run=True)
    assert snapshot(master) == before
    real = do_merge(master, [pkg])
    assert [p.as_json() for p in dry.packages] == [p.as_json() for p in real.packages]
    assert answer(master, agency, key)["note"] == "آزمایشی"


def test_a_dry_run_of_a_new_evidence_file_checks_references_only_at_its_end(tmp_path, master, agency, key):
    """A dry run stores no file, yet its evidence rows name one: references are checked at the end
    of the transaction (SQLite's pragma, PostgreSQL's deferred constraints), which is rolled back."""
    from workbench.model.editing import store_blob
    from workbench.model.schema import Assessment, Blob

    a = evaluator_db(tmp_path, master, "الف", [agency])
    store = open_store(a, actor="الف")
    with store.session() as s:
        assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == agency))
        digest = store_blob(s, "سند تازهٔ بازدید".encode() * 1000)
        s.add(Evidence(assessment_uuid=assessment.uuid, measure_key=key.split(".x")[0], kind="file",
                       blob_sha256=digest, filename="بازدید.pdf", mime="application/pdf"))
    store.close()
    pkg = _package(tmp_path, a, "a.wbp")
    before = snapshot(master)
    dry = do_merge(master, [pkg], dry_run=True)
    assert [p.status for p in dry.packages] == ["merged"] and dry.packages[0].added >= 1
    assert snapshot(master) == before
    store = open_store(master)
    with store.session() as s:
        assert s.get(Blob, digest) is None  # a dry run stores nothing
    store.close()
    assert [p.status for p in do_merge(master, [pkg]).packages] == ["merged"]


def test_an_update_delete_conflict_is_the_same_in_either_order(tmp_path, master, make_master, agency):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    uuid = _delete_first_evidence(a, agency)
    store = open_store(b, actor="ب")
    with store.session() as s:
        s.get(Evidence, uuid).filename = "نام تازه.pdf"
    store.close()
    pa, pb = _package(tmp_path, a, "a.wbp"), _package(tmp_path, b, "b.wbp")
    results = []
    for i, order in enumerate(([pa, pb], [pb, pa])):
        copy = tmp_path / f"order{i}"
        copy.mkdir()
        m = make_master(copy)
        copy_assignments(master, m)
        do_merge(m, order)
        results.append(snapshot(m))
    assert results[0]["records"] == results[1]["records"]
    assert results[0]["conflicts"] == results[1]["conflicts"], (results[0]["conflicts"], results[1]["conflicts"])
    [(_k, grp, kind, _s, _b, cands)] = results[0]["conflicts"]
    assert (grp, kind) == ("*", "delete") and {e for e, _ in cands} == {"الف", "ب"}


def test_a_not_applicable_the_guide_refuses_is_merged_and_listed(tmp_path, master, agency):
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, "11", not_applicable=True, na_reason="به نظر ارزیاب")  # indicator 11 is never N/A
    result = do_merge(master, [_package(tmp_path, a, "a.wbp")])
    assert result.packages[0].status == "merged"
    assert any("خلاف قاعده" in w and "۱۱" in w for w in result.packages[0].warnings)
    assert answer(master, agency, "11")["not_applicable"] is True


def test_an_agreement_with_the_organization_travels_with_the_package(tmp_path, master, agency):
    """Indicator 7's agreement (its letter and the services it covers) is part of what the evaluator recorded."""
    import datetime as dt

    from workbench.model.schema import Assessment, NaAgreement

    a = evaluator_db(tmp_path, master, "الف", [agency])
    store = open_store(a, actor="الف")
    with store.session() as s:
        assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == agency))
        s.add(NaAgreement(assessment_uuid=assessment.uuid, indicator_key="7", letter_no="۱۲۳/ص",
                          letter_date=dt.date(2025, 1, 5), service_ids="100000001 100000002", note="نامهٔ سازمان"))
    store.close()
    result = do_merge(master, [_package(tmp_path, a, "a.wbp")])
    assert [p.status for p in result.packages] == ["merged"]
    store = open_store(master)
    with store.session() as s:
        rows = s.scalars(select(NaAgreement).join(Assessment).join(Agency).where(Agency.code == agency)).all()
        got = [(r.indicator_key, r.letter_no, r.letter_date, r.covered()) for r in rows]
    store.close()
    assert got == [("7", "۱۲۳/ص", dt.date(2025, 1, 5), frozenset({"100000001", "100000002"}))]
