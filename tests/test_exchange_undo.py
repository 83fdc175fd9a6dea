"""Undoing a batch, listing conflicts and settling them; the commands' output and exit codes."""
from __future__ import annotations

import json

import pytest
from exchange_fixture import (
    answer,
    do_export,
    do_merge,
    evaluator_db,
    first_assessment_answer_keys,
    set_answer,
    snapshot,
)
from sqlalchemy import select

from workbench.cli import main
from workbench.exchange.conflicts import list_conflicts, resolve
from workbench.exchange.tables import Provenance
from workbench.exchange.unmerge import unmerge
from workbench.model.errors import UserError
from workbench.model.schema import AuditEntry
from workbench.model.store import open_store

pytestmark = pytest.mark.backends  # each test on a SQLite master and on a PostgreSQL one


def _in(master, fn, *args, **kwargs):
    store = open_store(master, actor="سرپرست")
    try:
        with store.session() as s:
            return fn(s, *args, **kwargs)
    finally:
        store.close()


def test_unmerge_restores_what_the_batch_changed_but_not_what_changed_since(tmp_path, master, agency):
    k1, k2, k3 = first_assessment_answer_keys(master, agency)[:3]
    before = snapshot(master)
    notes = {k: answer(master, agency, k)["note"] for k in (k1, k2)}
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, k1, note="الف ۱")
    set_answer(a, agency, k2, note="الف ۲")
    set_answer(a, agency, k3 + ".x", value=True)  # a new answer the evaluator made
    do_export(a, tmp_path / "a.wbp")
    batch = do_merge(master, [tmp_path / "a.wbp"]).batch
    set_answer(master, agency, k2, actor="سرپرست", note="سرپرست پس از ادغام")
    result = _in(master, unmerge, batch, by="سرپرست")
    assert result.restored == 1 and result.removed == 1
    assert len(result.kept) == 1 and agency in result.kept[0]
    assert answer(master, agency, k1)["note"] == notes[k1]
    assert answer(master, agency, k2)["note"] == "سرپرست پس از ادغام"
    assert answer(master, agency, k3 + ".x") is None
    after = snapshot(master)
    changed = {k for k in before["records"] if before["records"][k] != after["records"].get(k)}
    assert len(changed) == 1  # only the supervisor's own later edit
    with pytest.raises(UserError, match="پیش‌تر برگردانده"):
        _in(master, unmerge, batch)
    # Undone, the package can be merged again.
    assert do_merge(master, [tmp_path / "a.wbp"]).packages[0].status == "merged"
    assert answer(master, agency, k1)["note"] == "الف ۱"


def test_unmerge_brings_back_what_the_batch_deleted_and_removes_its_conflicts(tmp_path, master, agency):
    k1 = first_assessment_answer_keys(master, agency)[0]
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, k1, note="الف")
    set_answer(b, agency, k1, note="ب")
    from workbench.model.schema import Evidence

    store = open_store(b, actor="ب")
    with store.session() as s:
        s.delete(s.scalars(select(Evidence).order_by(Evidence.uuid)).first())
    store.close()
    first = do_merge(master, [_export(tmp_path, a, "a.wbp")])
    mid = snapshot(master)
    second = do_merge(master, [_export(tmp_path, b, "b.wbp")])
    assert second.packages[0].conflicts == 1 and second.packages[0].updated == 1
    result = _in(master, unmerge, second.batch)
    assert result.reinserted == 1 and result.conflicts_removed == 1 and result.restored == 1
    assert snapshot(master) == mid
    assert first.batch != second.batch


def _export(tmp_path, db, name):
    do_export(db, tmp_path / name)
    return tmp_path / name


def _conflicted(tmp_path, master, agency):
    k1 = first_assessment_answer_keys(master, agency)[0]
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, k1, note="الف")
    set_answer(b, agency, k1, note="ب")
    do_merge(master, [_export(tmp_path, a, "a.wbp"), _export(tmp_path, b, "b.wbp")])
    return k1


def test_resolve_takes_a_candidate_records_who_and_why(tmp_path, master, agency):
    k1 = _conflicted(tmp_path, master, agency)
    [view] = _in(master, list_conflicts)
    assert [c.evaluator for c in view.candidates] == ["الف", "ب"]
    assert [c.package for c in view.candidates] == ["a.wbp", "b.wbp"]
    take = view.candidates[1]
    done = _in(master, resolve, view.id, take=str(take.id), reason="بازدید دوم دقیق‌تر بود", by="سرپرست")
    assert done.status == "resolved" and done.resolution == {"note": "ب"}
    assert answer(master, agency, k1)["note"] == "ب"
    assert _in(master, list_conflicts) == []
    store = open_store(master)
    with store.session() as s:
        prov = s.scalars(select(Provenance).where(Provenance.resolved_by != "")).one()
        assert prov.resolved_by == "سرپرست" and prov.grp == "note"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "resolve")).one()
        assert entry.actor == "سرپرست" and "بازدید دوم" in entry.changes
    store.close()
    with pytest.raises(UserError, match="پیش‌تر حل شده"):
        _in(master, resolve, view.id, take="base", reason="x")


def test_resolve_with_base_or_a_value_of_ones_own(tmp_path, master, agency):
    k1 = _conflicted(tmp_path, master, agency)
    base = answer(master, agency, k1)["note"]
    [view] = _in(master, list_conflicts)
    with pytest.raises(UserError, match="دلیل"):
        _in(master, resolve, view.id, take="base", reason=" ")
    with pytest.raises(UserError, match="نامزد"):
        _in(master, resolve, view.id, take="9999", reason="x")
    _in(master, resolve, view.id, value="یادداشت سرپرست", reason="هیچ‌کدام")
    assert answer(master, agency, k1)["note"] == "یادداشت سرپرست"
    assert base != "یادداشت سرپرست"


def test_the_commands_json_text_and_exit_codes(tmp_path, master, agency, capsys):
    k1 = first_assessment_answer_keys(master, agency)[0]
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, k1, note="الف")
    set_answer(b, agency, k1, note="ب")
    pa, pb = _export(tmp_path, a, "a.wbp"), _export(tmp_path, b, "b.wbp")
    junk = tmp_path / "junk.wbp"
    junk.write_text("not a package")
    assert main(["merge", str(master), str(pa), str(junk), str(pb), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert [p["status"] for p in out["packages"]] == ["merged", "refused", "merged"]
    assert set(out["packages"][0]) >= {"file", "evaluator", "status", "added", "updated", "unchanged", "conflicts", "errors"}
    assert out["packages"][1]["errors"][0]["file"] == str(junk) and out["batch"]
    assert out["packages"][2]["conflicts"] == 1
    assert main(["merge", str(master), str(pa)]) == 0
    text = capsys.readouterr().out
    assert "پیش‌تر ادغام شده بود" in text
    assert main(["conflicts", str(master), "--json"]) == 0
    [conflict] = json.loads(capsys.readouterr().out)
    assert main(["conflicts", str(master)]) == 0
    text = capsys.readouterr().out
    assert "تعارض" in text and "نامزد" in text and "a.wbp" in text
    cand = conflict["candidates"][0]["id"]
    assert main(["resolve", str(master), str(conflict["id"]), "--take", str(cand), "--reason", "درست"]) == 0
    assert main(["conflicts", str(master)]) == 0
    assert "تعارض بازی نیست" in capsys.readouterr().out
    assert main(["unmerge", str(master), out["batch"], "--json"]) == 0
    undone = json.loads(capsys.readouterr().out)
    assert undone["batch"] == out["batch"] and undone["packages"] == ["a.wbp", "b.wbp"]
    assert main(["unmerge", str(master), out["batch"]]) == 2
    assert "پیش‌تر برگردانده" in capsys.readouterr().err


def test_ranking_a_round_with_open_conflicts_warns_and_lists_them(tmp_path, master, agency, capsys):
    from openpyxl import load_workbook

    from workbench.reports.ranking_conflicts import CONFLICTS_SHEET

    _conflicted(tmp_path, master, agency)
    assert main(["report", "ranking", str(master), "--out", str(tmp_path / "r")]) == 0
    assert "تعارض" in capsys.readouterr().err
    wb = load_workbook(tmp_path / "r" / "ranking.xlsx")
    ws = wb[CONFLICTS_SHEET]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert agency in texts and any("الف" in str(t) and "ب" in str(t) for t in texts)


def test_resolving_an_update_delete_conflict_keeps_or_deletes_the_record(tmp_path, master, agency):
    from workbench.model.schema import Evidence

    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    store = open_store(a, actor="الف")
    with store.session() as s:
        ev = s.scalars(select(Evidence).order_by(Evidence.uuid)).first()
        uuid = ev.uuid
        s.delete(ev)
    store.close()
    store = open_store(b, actor="ب")
    with store.session() as s:
        s.get(Evidence, uuid).filename = "نام تازه.pdf"
    store.close()
    do_merge(master, [_export(tmp_path, b, "b.wbp"), _export(tmp_path, a, "a.wbp")])
    [view] = _in(master, list_conflicts)
    assert view.kind == "delete" and {c.evaluator for c in view.candidates} == {"ب", "الف"}
    deleted = next(c for c in view.candidates if c.value is None)
    _in(master, resolve, view.id, take=str(deleted.id), reason="مستند تکراری بود")
    store = open_store(master)
    with store.session() as s:
        assert s.scalars(select(Evidence).where(Evidence.filename == "نام تازه.pdf")).first() is None
    store.close()


def test_merge_reports_progress_and_a_cancel_merges_nothing(tmp_path, master, agency):
    from workbench.exchange.merge import merge
    from workbench.exchange.package import Cancel

    k1 = first_assessment_answer_keys(master, agency)[0]
    a = evaluator_db(tmp_path, master, "الف", [agency])
    set_answer(a, agency, k1, note="لغو")
    pkg = _export(tmp_path, a, "a.wbp")
    before = snapshot(master)
    seen = []
    store = open_store(master)
    with pytest.raises(Cancel):
        with store.session() as s:
            merge(s, [pkg], progress=lambda f, d, t: seen.append((f, d, t)), cancelled=lambda: len(seen) > 0)
    store.close()
    assert seen and seen[0][0] == str(pkg) and seen[-1][1] <= seen[-1][2]
    assert snapshot(master) == before
