"""Packages the master refuses (changing nothing), and those it merges only in part."""
from __future__ import annotations

import pytest
from exchange_fixture import (
    answer,
    codes,
    do_assign,
    do_export,
    do_merge,
    do_receive,
    evaluator_db,
    first_assessment_answer_keys,
    set_answer,
    snapshot,
    sql,
)

from workbench.exchange import keys
from workbench.exchange.package import open_package, write_package
from workbench.model.store import open_store

pytestmark = pytest.mark.backends  # each test on a SQLite master and on a PostgreSQL one


def _export(tmp_path, db, name):
    do_export(db, tmp_path / name)
    return tmp_path / name


def test_a_package_signed_by_another_key_for_the_assignment_is_refused(tmp_path, master, agency):
    assignment = do_assign(master, "الف", [agency], tmp_path / "a.wba")
    laptop1, laptop2 = tmp_path / "l1.sqlite", tmp_path / "l2.sqlite"
    do_receive(assignment, laptop1)
    do_receive(assignment, laptop2)  # the same assignment on a second laptop: another key
    first = do_merge(master, [_export(tmp_path, laptop1, "1.wbp")])
    assert first.packages[0].status == "merged" and "ثبت شد" in first.packages[0].warnings[0]
    before = snapshot(master)
    result = do_merge(master, [_export(tmp_path, laptop2, "2.wbp")])
    assert result.packages[0].status == "refused"
    assert "کلیدی امضا شده" in result.packages[0].errors[0]["reason"]
    assert snapshot(master) == before


def test_a_package_of_another_round_or_framework_is_refused(tmp_path, master, agency):
    db = evaluator_db(tmp_path, master, "الف", [agency])
    pkg = _export(tmp_path, db, "a.wbp")
    sql(master, "UPDATE rounds SET framework_sha256 = 'x' || substr(framework_sha256, 2)")
    result = do_merge(master, [pkg])
    assert result.packages[0].status == "refused" and "چارچوب" in result.packages[0].errors[0]["reason"]
    other = tmp_path / "other"
    other.mkdir()
    from workbench.demo.build import build_demo

    build_demo(other / "m.sqlite", agencies=1, seed=3)
    result = do_merge(other / "m.sqlite", [pkg])
    assert result.packages[0].status == "refused" and "دورهٔ دیگری" in result.packages[0].errors[0]["reason"]


def _resign(db, source, target, manifest_change=None, record_change=None):
    """The package at ``source`` written again with the evaluator's own key, its manifest or records changed."""
    store = open_store(db)
    with store.session() as s:
        key = keys.signing_key(s)
    store.close()
    with open_package(source, "submission") as pkg:
        m = dict(pkg.manifest)

        def fill(writer):
            for name in ("agencies.jsonl", "records.jsonl", "tombstones.jsonl", "audit.jsonl"):
                rows = list(pkg.lines(name))
                if name == "records.jsonl" and record_change:
                    rows = [record_change(r) for r in rows]
                writer.add_lines(name, rows)
            for sha, size in pkg.blobs():
                writer.add_blob(sha, size, pkg.blob_chunks(sha))
            own = {k: v for k, v in m.items() if k not in ("parts", "content_sha256", "public_key", "format", "format_version")}
            if manifest_change:
                manifest_change(own)
            return own

        write_package(target, fill, key)
    return target


def test_a_newer_schema_is_refused_and_an_older_one_upgraded(tmp_path, master, agency):
    key = first_assessment_answer_keys(master, agency)[0]
    db = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(db, agency, key, value=True, note="کهنه")
    pkg = _export(tmp_path, db, "a.wbp")
    newer = _resign(db, pkg, tmp_path / "newer.wbp", lambda m: m.update(schema_revision="9999"))
    result = do_merge(master, [newer])
    assert result.packages[0].status == "refused" and "تازه‌تری" in result.packages[0].errors[0]["reason"]

    def without_note(row):  # a schema before the note existed
        row["v"].pop("note", None)
        return row

    older = _resign(db, pkg, tmp_path / "older.wbp", lambda m: m.update(schema_revision="0003"), without_note)
    result = do_merge(master, [older])
    assert result.packages[0].status == "merged"
    assert any("قدیمی‌تر" in w for w in result.packages[0].warnings)
    got = answer(master, agency, key)
    assert got["value"] is True and got["note"] == ""


def test_records_of_an_agency_not_assigned_are_reported_and_not_merged(tmp_path, master):
    first, second = codes(master)[:2]
    k1 = first_assessment_answer_keys(master, first)[0]
    k2 = first_assessment_answer_keys(master, second)[0]
    db = evaluator_db(tmp_path, master, "الف", [first, second])
    set_answer(db, first, k1, note="واگذارشده")
    set_answer(db, second, k2, note="پس گرفته")
    # the supervisor took the second agency back
    sql(master, "DELETE FROM assignment_agencies WHERE agency_code = :c", {"c": second})
    result = do_merge(master, [_export(tmp_path, db, "a.wbp")])
    p = result.packages[0]
    assert p.status == "merged" and len(p.errors) == 1 and second in p.errors[0]["reason"]
    assert answer(master, first, k1)["note"] == "واگذارشده"
    assert answer(master, second, k2)["note"] != "پس گرفته"


def test_a_tampered_package_is_refused_and_the_others_merge(tmp_path, master, agency):
    key = first_assessment_answer_keys(master, agency)[0]
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, key, note="سالم")
    good, bad = _export(tmp_path, a, "a.wbp"), _export(tmp_path, b, "b.wbp")
    data = bytearray(bad.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    result = do_merge(master, [bad, good])
    assert [p.status for p in result.packages] == ["refused", "merged"]
    assert "b.wbp" in result.packages[0].errors[0]["file"]
    assert answer(master, agency, key)["note"] == "سالم"
