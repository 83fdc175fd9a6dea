"""Several supervisors on one PostgreSQL store at once, each a process of its own.

Two merges of packages for the same agency run one after the other (a lock
per round and agency), giving what merging them in turn gives; two supervisors
resolving the same conflict: the second is told who resolved it and when, and
nothing of the first is overwritten; a merge killed half way leaves no part of
its batch.  The audit trail names each supervisor by their workbench name,
the one their database role carries, and a merged change keeps its evaluator.

Each test stops the first process at a chosen point with its locks held
(``concurrency_worker``), sees the second wait for them on the server
(``pg_locks``), then lets the first go: nothing is timed.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

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
)
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from workbench.exchange.conflicts import list_conflicts
from workbench.exchange.tables import ExchangePackage, MergeBatch
from workbench.model.errors import StoreError
from workbench.model.schema import AuditEntry
from workbench.model.store import open_store
from workbench.model.text import persian_digits

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

#: role → the supervisor's name in the workbench (what the role's comment says).
SUPERVISORS = {"sup_sara": "سارا", "sup_bahram": "بهرام"}
WAIT = 90  # seconds: against a hang only


@pytest.fixture
def as_role(master, pg_server):
    """``as_role(role)``: the master's URL for that supervisor's role (made once, allowed on this master)."""
    server, _reason = pg_server
    with server.admin() as conn:
        for role, name in SUPERVISORS.items():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                conn.execute(f'CREATE ROLE "{role}" LOGIN')
            conn.execute(f"COMMENT ON ROLE \"{role}\" IS '{name}'")
    database = make_url(master).database
    with server.admin() as admin:
        admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {", ".join(SUPERVISORS)}')
    import psycopg

    u = make_url(master)
    with psycopg.connect(dbname=database, user=u.username, host=u.query["host"], autocommit=True) as conn:
        for role in SUPERVISORS:
            conn.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
            conn.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    return lambda role: make_url(master).set(username=role).render_as_string(hide_password=False)


def _waiting(url: str) -> int:
    """How many lock requests on the master's database wait, on the server."""
    import psycopg

    u = make_url(url)
    with psycopg.connect(dbname="postgres", user="workbench", host=u.query["host"], autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE NOT l.granted AND d.datname = %s", (u.database,)).fetchone()[0]


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _read(url: str, read):
    store = open_store(url)
    try:
        with store.session() as s:
            return read(s)
    finally:
        store.close()


def _export(tmp_path, db, name):
    do_export(db, tmp_path / name)
    return tmp_path / name


def _two_packages(tmp_path, master, agency):
    """Two evaluators' packages of one agency: one answer changed by both (a conflict), one each alone."""
    keys = first_assessment_answer_keys(master, agency)
    a = evaluator_db(tmp_path, master, "الف", [agency])
    b = evaluator_db(tmp_path, master, "ب", [agency])
    set_answer(a, agency, keys[0], actor="الف", note="الف")
    set_answer(b, agency, keys[0], actor="ب", note="ب")
    set_answer(a, agency, keys[1], actor="الف", note="فقط الف")
    set_answer(b, agency, keys[2], actor="ب", note="فقط ب")
    return _export(tmp_path, a, "a.wbp"), _export(tmp_path, b, "b.wbp")


def _processes():
    ctx = multiprocessing.get_context("spawn")
    return ctx, ctx.Queue()


def _first_held(target, args: tuple, tail: tuple = (), what: str = ""):
    """The first supervisor's process, started and stopped where its ``reached`` says, its locks held
    until ``go`` is set: (ctx, queue, process, go)."""
    ctx, queue = _processes()
    reached, go = ctx.Event(), ctx.Event()
    process = ctx.Process(target=target, args=(*args, queue, reached, go, *tail))
    process.start()
    assert reached.wait(WAIT), what
    return ctx, queue, process, go


def _results(queue, n: int) -> list:
    return [queue.get(timeout=WAIT) for _ in range(n)]


def test_two_merges_of_one_agency_at_once_give_what_one_after_the_other_gives(tmp_path, master, make_master, agency,
                                                                              as_role):
    from concurrency_worker import merge_packages

    pa, pb = _two_packages(tmp_path, master, agency)
    serial = make_master(tmp_path / "serial")
    copy_assignments(master, serial)
    do_merge(serial, [pa])
    do_merge(serial, [pb])

    ctx, queue, first, go = _first_held(merge_packages, (as_role("sup_sara"), [str(pa)], "سارا"), ("locked",),
                                        "the first merge never took its lock")
    second = ctx.Process(target=merge_packages, args=(as_role("sup_bahram"), [str(pb)], "بهرام", queue))
    second.start()
    _until(lambda: _waiting(master) >= 1, "the second merge did not wait for the first's lock on the agency")
    assert second.is_alive()
    go.set()
    outcomes = _results(queue, 2)
    for p in (first, second):
        p.join(WAIT)
    assert outcomes == [("ok", ["merged"]), ("ok", ["merged"])], outcomes
    at_once, one_after_other = snapshot(master), snapshot(serial)
    assert at_once == one_after_other
    assert len(at_once["conflicts"]) == 1
    assert _read(master, lambda s: sorted(s.scalars(select(MergeBatch.merged_by)))) == ["بهرام", "سارا"]


def test_two_supervisors_resolving_one_conflict_the_second_is_told_by_whom(tmp_path, master, agency, as_role):
    from concurrency_worker import resolve_conflict

    pa, pb = _two_packages(tmp_path, master, agency)
    do_merge(master, [pa, pb])
    [view] = _read(master, list_conflicts)
    [take_a, take_b] = view.candidates
    key = first_assessment_answer_keys(master, agency)[0]

    ctx, queue, first, go = _first_held(resolve_conflict, (as_role("sup_sara"), view.id, str(take_a.id), "سارا"),
                                        what="the first resolution never took the conflict")
    second = ctx.Process(target=resolve_conflict, args=(as_role("sup_bahram"), view.id, str(take_b.id), "بهرام", queue))
    second.start()
    _until(lambda: _waiting(master) >= 1, "the second resolution did not wait for the first")
    go.set()
    outcomes = dict(reversed(_results(queue, 2)))
    for p in (first, second):
        p.join(WAIT)
    assert outcomes["ok"] == "سارا"
    refusal = outcomes["error"]
    assert "پیش‌تر" in refusal and "سارا" in refusal, refusal
    assert answer(master, agency, key)["note"] == "الف"  # the first's choice, not overwritten
    [(actor, changes)] = _read(master, lambda s: s.execute(
        select(AuditEntry.actor, AuditEntry.changes).where(AuditEntry.action == "resolve")).all())
    assert actor == "سارا" and "تصمیم سارا" in changes


def test_a_merge_killed_half_way_leaves_no_part_of_its_batch(tmp_path, master, agency, as_role):
    from concurrency_worker import merge_packages

    pa, _pb = _two_packages(tmp_path, master, agency)
    before = snapshot(master)
    ctx, queue, doomed, _never = _first_held(merge_packages, (as_role("sup_sara"), [str(pa)], "سارا"), ("written",),
                                             "the merge never wrote its batch")
    os.kill(doomed.pid, signal.SIGKILL)  # every record written, nothing committed
    doomed.join(WAIT)
    assert doomed.exitcode == -signal.SIGKILL
    assert snapshot(master) == before
    for table in (MergeBatch, ExchangePackage):
        assert _read(master, lambda s, t=table: s.scalar(select(func.count()).select_from(t))) == 0
    # The server rolled the dead merge back and let go of its lock: the same package merges whole.
    assert [p.status for p in do_merge(master, [pa]).packages] == ["merged"]
    assert snapshot(master) != before


def test_the_audit_trail_names_the_supervisor_by_the_roles_name_and_merged_changes_their_evaluator(
        tmp_path, master, agency, as_role):
    url = as_role("sup_sara")
    with pytest.raises(StoreError, match="سارا"):
        open_store(url, actor="بهرام")  # another supervisor's name over Sara's role
    store = open_store(url)
    assert store.actor == "سارا"
    store.close()
    key = first_assessment_answer_keys(master, agency)[3]
    set_answer(url, agency, key, actor="سارا", note="سرپرست خودش")
    pa, _pb = _two_packages(tmp_path, master, agency)
    store = open_store(url, actor="سارا")
    try:
        from workbench.exchange.merge import merge

        with store.session() as s:
            merge(s, [pa])
        with store.session() as s:
            own = s.scalars(select(AuditEntry.actor).where(AuditEntry.changes.contains("سرپرست خودش"))).all()
            merged = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.changes.contains("فقط الف"))))
            assert own == ["سارا"] and merged == {"الف"}
            assert s.scalars(select(MergeBatch.merged_by)).one() == "سارا"
    finally:
        store.close()


def test_the_window_is_told_who_writes_the_agency_instead_of_waiting(tmp_path, master, agency, as_role):
    """The window's conflicts dialog and undo do not freeze behind another supervisor: refused at once, naming them."""
    from concurrency_worker import resolve_conflict

    from workbench.exchange.conflicts import resolve
    from workbench.exchange.inbox import last_batch, preview_undo
    from workbench.model.errors import UserError

    pa, pb = _two_packages(tmp_path, master, agency)
    do_merge(master, [pa, pb])
    [view] = _read(master, list_conflicts)
    [take_a, take_b] = view.candidates
    _ctx, queue, first, go = _first_held(resolve_conflict, (as_role("sup_sara"), view.id, str(take_a.id), "سارا"),
                                         what="the first resolution never took the conflict")
    try:
        store = open_store(as_role("sup_bahram"), actor="بهرام")
        try:
            with store.session() as s:
                with pytest.raises(UserError, match=f"«سارا» هم‌اکنون دادهٔ دستگاه {persian_digits(agency)} را می‌نویسد"):
                    resolve(s, view.id, take=str(take_b.id), reason="تصمیم بهرام", wait=False)
                s.rollback()
                with pytest.raises(UserError, match="«سارا» هم‌اکنون"):
                    preview_undo(s, last_batch(s).uuid, wait=False)
                s.rollback()
        finally:
            store.close()
    finally:
        go.set()
    assert [kind for kind, _ in _results(queue, 1)] == ["ok"]
    first.join(WAIT)
    assert _read(master, list_conflicts) == []  # Sara's decision stands; nothing of Bahram's was written


def test_a_merge_that_waits_says_for_whom_and_a_cancel_ends_the_wait(tmp_path, master, agency, as_role):
    from concurrency_worker import merge_packages

    from workbench.exchange.merge import merge
    from workbench.exchange.package import Cancel

    pa, pb = _two_packages(tmp_path, master, agency)
    before = snapshot(master)
    _ctx, queue, first, go = _first_held(merge_packages, (as_role("sup_sara"), [str(pa)], "سارا"), ("locked",),
                                         "the first merge never took its locks")
    told: list[tuple[str, str]] = []
    try:
        store = open_store(as_role("sup_bahram"), actor="بهرام")
        try:
            with store.session() as s:
                with pytest.raises(Cancel):  # cancelled once told: the wait ends without the lock
                    merge(s, [pb], merged_by="بهرام", waiting=lambda who, code: told.append((who, code)),
                          cancelled=lambda: bool(told))
                s.rollback()
        finally:
            store.close()
        assert told == [("سارا", agency)]
        assert snapshot(master) == before  # Sara's merge not yet committed, Bahram's cancelled
    finally:
        go.set()
    assert [kind for kind, _ in _results(queue, 1)] == ["ok"]
    first.join(WAIT)
