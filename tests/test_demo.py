"""The demo database: realistic, consistent with the rules the workbench enforces, seeded."""
from __future__ import annotations

import hashlib
from collections import Counter

import jdatetime
import pytest
from sqlalchemy import func, select

from workbench.demo.build import MAX_AGENCIES, _Generator, build_demo
from workbench.demo.data import NATIONAL_AGENCIES
from workbench.model.assessments import find_round, round_framework, score_round
from workbench.model.completeness import missing
from workbench.model.errors import UserError
from workbench.model.evidence_files import read_stream
from workbench.model.framework import load_default_framework
from workbench.model.schema import (
    Agency,
    Answer,
    Assessment,
    AuditEntry,
    Blob,
    Evidence,
    ReformAction,
    ReformRow,
    Service,
)
from workbench.model.store import open_store
from workbench.model.terms import ACTION_STATUSES, REFORM_CRITERIA, REFORM_STEPS, SERVICE_KINDS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = build_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    store = open_store(path, create=False)
    yield store
    store.close()


@pytest.fixture
def s(demo):
    with demo.session() as session:
        yield session


def test_agencies(s):
    agencies = list(s.scalars(select(Agency)))
    assert len(agencies) == 12
    by_uuid = {a.uuid: a for a in agencies}
    levels = Counter(a.level for a in agencies)
    assert levels["national"] >= 2 and levels["provincial"] >= 4
    assert len({a.code for a in agencies}) == len({a.name for a in agencies}) == 12
    for a in agencies:
        assert a.ranking_group and a.website.startswith("https://")
        if a.level == "provincial":
            parent = by_uuid[a.parent_uuid]
            assert parent.level == "national" and a.code.startswith(parent.code + "-")
            assert a.province and f"استان {a.province}" in a.name
        else:
            assert a.parent_uuid is None and a.province == ""


def test_services(s):
    services = list(s.scalars(select(Service)))
    per_agency = Counter(x.agency_uuid for x in services)
    assert len(per_agency) == 12 and all(10 <= n <= 60 for n in per_agency.values())
    ids = {(x.agency_uuid, x.service_id) for x in services}
    assert len(ids) == len(services)
    subs = 0
    for x in services:
        assert len(x.service_id) == 9 and x.service_id.isdigit()
        assert x.kind in SERVICE_KINDS and x.title and x.url.endswith(x.service_id)
        if x.parent_service_id:
            subs += 1
            assert x.parent_service_id.endswith("000") and x.parent_service_id[:6] == x.service_id[:6]
            assert (x.agency_uuid, x.parent_service_id) in ids
    assert subs > 20
    assert {k for x in services for k in (x.kind,)} == set(SERVICE_KINDS)
    for stage in ("request", "delivery", "counter", "gsb"):
        planned = Counter(x.agency_uuid for x in services if x.in_plan(stage))
        assert len(planned) == 12  # every plan names at least one service per stage


def test_statuses(s):
    statuses = Counter(s.scalars(select(Assessment.status)))
    assert set(statuses) == {"draft", "complete", "final"}
    assert statuses["final"] >= 6


def test_complete_and_final_assessments_have_no_gaps(s):
    rnd = find_round(s)
    framework = round_framework(s, rnd)
    finished = list(s.scalars(select(Assessment).where(Assessment.status.in_(("complete", "final")))))
    assert len(finished) >= 8
    for a in finished:
        assert missing(s, a, framework) == [], a.agency.code


def test_drafts_have_gaps_and_one_has_nothing(s, demo):
    rnd = find_round(s)
    framework = round_framework(s, rnd)
    drafts = list(s.scalars(select(Assessment).where(Assessment.status == "draft")))
    assert all(missing(s, a, framework) for a in drafts)
    cards = {x.assessment.uuid: x.card for x in score_round(s, rnd)}
    assert any(cards[a.uuid].percent is None for a in drafts)
    finals = [x for x in score_round(s, rnd) if x.assessment.status == "final"]
    percents = [x.card.percent for x in finals]
    assert all(p is not None for p in percents)
    assert max(percents) - min(percents) > 15  # a ranking has something to rank


def test_visits_are_working_days_of_1403(s):
    for a in s.scalars(select(Assessment)):
        assert a.evaluator
        if a.visit_date is None:
            assert a.status == "draft"
            continue
        j = jdatetime.date.fromgregorian(date=a.visit_date)
        assert j.year == 1403 and 7 <= j.month <= 11
        assert j.weekday() != 6  # not a Friday


def test_not_applicable_answers_have_reasons(s):
    na = list(s.scalars(select(Answer).where(Answer.not_applicable.is_(True))))
    assert len(na) >= 5
    assert all(a.na_reason.strip() for a in na)
    assert any(a.note for a in s.scalars(select(Answer)))


def test_not_applicable_answers_keep_the_guides_rules(s):
    """Each demo N/A is one the guide allows: none for 5, 10 (national) or 11; 1–3 only with an empty stage."""
    from workbench.model.na_check import na_violations

    assert na_violations(s, find_round(s)) == []
    keys = set(s.scalars(select(Answer.key).where(Answer.not_applicable.is_(True))))
    assert keys.isdisjoint({"5", "5.1", "5.1.1", "11"})


def test_evidence_of_every_kind_and_files_stored_once(s):
    evidence = list(s.scalars(select(Evidence)))
    assert {e.kind for e in evidence} == {"url", "text", "number", "file"}
    files = [e for e in evidence if e.kind == "file"]
    blobs = list(s.scalars(select(Blob)))
    assert 0 < len(blobs) < len(files)  # shared files are stored once
    for blob in blobs:
        data = b"".join(read_stream(s, blob.sha256))  # the bytes, through the evidence interface
        assert hashlib.sha256(data).hexdigest() == blob.sha256 and blob.size == len(data)
        assert data.startswith((b"%PDF-", b"\x89PNG\r\n\x1a\n"))
    for e in files:
        magic = next(read_stream(s, e.blob_sha256))[:4]
        assert (e.mime, magic) in {("application/pdf", b"%PDF"), ("image/png", b"\x89PNG")}
        assert e.filename
    assert all(e.text.startswith("https://") for e in evidence if e.kind == "url")
    assert all(e.number is not None for e in evidence if e.kind == "number")


def test_evidence_files_open_as_real_files(s):
    import io

    from pypdf import PdfReader

    files = [b"".join(read_stream(s, b.sha256)) for b in s.scalars(select(Blob))]
    pdf = next(f for f in files if f.startswith(b"%PDF"))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and "Evaluator Workbench" in reader.pages[0].extract_text()

    import matplotlib.image

    png = next(f for f in files if f.startswith(b"\x89PNG"))
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert image.shape[:2] == (64, 96)


def test_tables_4_and_5(s):
    rows = list(s.scalars(select(ReformRow)))
    actions = list(s.scalars(select(ReformAction)))
    assert len({r.agency_uuid for r in rows}) >= 5
    assert {r.criterion for r in rows} <= set(REFORM_CRITERIA)
    assert {a.step for a in actions} <= set(REFORM_STEPS)
    assert {a.status for a in actions} <= set(ACTION_STATUSES)
    assert {r.accepted for r in rows} >= {True, False}
    services = {(x.agency_uuid, x.service_id) for x in s.scalars(select(Service))}
    parents = {(x.agency_uuid, x.parent_service_id) for x in s.scalars(select(Service)) if x.parent_service_id}
    for r in rows:
        assert (r.agency_uuid, r.service_id) in services and (r.agency_uuid, r.service_id) not in parents
        assert r.unit and r.value_before is not None and r.value_after is not None
        if r.accepted is False:
            assert r.evaluator_note
    for a in actions:
        assert a.start_date <= a.end_date
        for day in (a.start_date, a.end_date):
            assert jdatetime.date.fromgregorian(date=day).year in (1402, 1403, 1404)


def test_generated_rows_carry_tracking_columns_and_one_demo_event(s):
    for model in (Agency, Service, Assessment, Answer, Evidence, ReformRow):
        assert s.scalar(select(func.count()).select_from(model).where(model.updated_by == "")) == 0
        assert s.scalar(select(func.count()).select_from(model).where(model.updated_at.is_(None))) == 0
    events = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "demo")))
    assert len(events) == 1 and '"seed": 1403' in events[0].changes


# --------------------------------------------------------------------------- seeds


def _fingerprint(path):
    store = open_store(path, create=False)
    try:
        with store.session() as s:
            cards = [
                (x.agency.uuid, x.agency.code, x.agency.name, x.assessment.status, x.card.percent)
                for x in score_round(s, find_round(s))
            ]
            services = s.scalar(select(func.count()).select_from(Service))
            blobs = sorted(s.scalars(select(Blob.sha256)))
    finally:
        store.close()
    return cards, services, blobs


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    a = _fingerprint(build_demo(tmp_path / "a.sqlite", agencies=8, seed=7))
    b = _fingerprint(build_demo(tmp_path / "b.sqlite", agencies=8, seed=7))
    c = _fingerprint(build_demo(tmp_path / "c.sqlite", agencies=8, seed=8))
    assert a == b
    assert a != c


# --------------------------------------------------------------------------- refusals


def test_existing_file_is_refused_and_kept(tmp_path):
    path = tmp_path / "work.sqlite"
    path.write_bytes(b"evaluator's work")
    with pytest.raises(UserError) as exc:
        build_demo(path)
    assert str(path) in exc.value.message
    assert path.read_bytes() == b"evaluator's work"


def test_directory_is_refused(tmp_path):
    with pytest.raises(UserError):
        build_demo(tmp_path)


@pytest.mark.parametrize("count", [0, -3, MAX_AGENCIES + 1])
def test_agency_count_out_of_range(tmp_path, count):
    with pytest.raises(UserError):
        build_demo(tmp_path / "x.sqlite", agencies=count)
    assert not (tmp_path / "x.sqlite").exists()


def test_failure_midway_leaves_no_file(tmp_path, monkeypatch):
    def boom(self, unit, status, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(_Generator, "_unit_rows", boom)
    with pytest.raises(RuntimeError):
        build_demo(tmp_path / "half.sqlite")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- scale


def test_units_for_a_national_round():
    """2,500 units: every national agency, directorates in every province, then county offices."""
    gen = _Generator(None, load_default_framework(), 2500, 1403)
    units = gen._units()
    assert len(units) == 2500
    assert len({u.code for u in units}) == len({u.name for u in units}) == len({u.uuid for u in units}) == 2500
    kinds = Counter("county" if u.county else u.level for u in units)
    assert kinds["national"] == len(NATIONAL_AGENCIES)
    assert kinds["provincial"] == len(NATIONAL_AGENCIES) * 31
    assert kinds["county"] == 2500 - kinds["national"] - kinds["provincial"]
    seen = set()
    for u in units:  # parents come before their children (foreign keys, bulk insert)
        assert not u.parent_code or u.parent_code in seen
        seen.add(u.code)
    statuses = Counter(gen._statuses(2500))
    assert statuses["final"] == 1500 and statuses["empty"] == 1


def test_build_writes_in_bulk(tmp_path):
    """A few hundred agencies are written in bulk, not record by record through the ORM
    (2,500 agencies take about 15 s on the 2-core build machine; the time is bench/'s to measure)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", listener)
    try:
        build_demo(tmp_path / "mid.sqlite", agencies=200, seed=2)
    finally:
        event.remove(Engine, "before_cursor_execute", listener)
    store = open_store(tmp_path / "mid.sqlite", create=False)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Agency)) == 200
        services = s.scalar(select(func.count()).select_from(Service))
        assert services > 200 * 30
    store.close()
    # The generated rows go in as INSERT statements of their own, never through the ORM's flush:
    # no read-back per row and no audit entry per row (a fixed handful of SELECTs in all).
    selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    assert len(selects) < 100, len(selects)
    audits = [q for q in statements if q.lstrip().upper().startswith("INSERT INTO AUDIT_LOG")]
    assert len(audits) <= 2, len(audits)  # the round and its one «demo» event
