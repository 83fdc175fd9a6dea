"""A filled database upgraded to head: 4.7's SLA sections move from ten columns to rows (Alembic 0011).

On SQLite and on the throwaway PostgreSQL server: a two-round demo (every judgement of appendix C's
sections the demo makes, in both rounds) with a record that breaks one of the guide's rules (indicator
11 marked not applicable: «برای هیچ دستگاه عدم مصداق وجود ندارد»), taken down to revision 0010 — the
sections back in their columns, as a store of the previous release holds them — and opened by the
workbench, which upgrades it.  Every section judgement is the same before and after, every score of
both rounds is the same (the bulk scorer and the one-assessment reference alike), every other table
keeps its rows, and the rule-breaking record is listed by ``na_violations``, not changed.
"""
from __future__ import annotations

import importlib.util
import json

import pytest
from sqlalchemy import func, select, text

from workbench.model.assessments import find_round, score_assessment, score_round
from workbench.model.na_check import na_violations
from workbench.model.revisions import MIGRATIONS_DIR, alembic_config, head_revision
from workbench.model.schema import Answer, Assessment, Base, Round, ServiceSection
from workbench.model.store import open_store

pytestmark = pytest.mark.backends
OLD = "0010"
SECTIONS = ("intro", "purpose", "responsibility", "obligations", "conditions", "disputes", "costs", "period",
            "termination", "published")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from workbench.demo.build import build_demo
    from workbench.demo.rounds import add_earlier_rounds

    path = build_demo(tmp_path_factory.mktemp("upgrade") / "demo.sqlite", agencies=8)
    add_earlier_rounds(path, 2)
    return path


@pytest.fixture
def filled(backend, demo_file, tmp_path, request):
    if backend == "sqlite":
        target = tmp_path / "filled.sqlite"
        target.write_bytes(demo_file.read_bytes())
        yield target
        return
    server, reason = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip(reason)
    name = server.database_like(demo_file, "wb_upgrade_demo")
    yield server.url_of(name)
    server.drop(name)


def _scores(store) -> dict:
    """(year, agency code) -> {key: (earned, possible)} from the bulk scorer, checked against the reference."""
    out = {}
    with store.session() as s:
        for rnd in s.scalars(select(Round).order_by(Round.year)):
            for scored in score_round(s, rnd):
                card = _plain(scored.card)
                assert card == _plain(score_assessment(s, s.get(Assessment, scored.assessment.uuid)))
                out[(rnd.year, scored.agency.code)] = card
    return out


def _plain(card) -> dict:
    out = {k: (n.earned, n.possible, n.answered) for k, n in card.nodes.items()}
    out[""] = (card.total.earned, card.total.possible, card.band.key if card.band else None)
    return out


def _counts(engine) -> dict[str, int]:
    names = [t for t in Base.metadata.sorted_tables if t.name != "service_sections"]
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in names
                if t.name in _tables(conn)}


def _tables(conn) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def test_a_filled_store_at_0010_upgrades_with_every_sla_section_and_score_kept(filled):
    store = open_store(filled, actor="آزمون")
    try:
        with store.session() as s:  # the rule breaker: indicator 11 not applicable (never allowed)
            rnd = find_round(s, 1403)
            victim = s.scalars(select(Assessment).where(Assessment.round_uuid == rnd.uuid)
                               .order_by(Assessment.uuid)).first()
            s.execute(Answer.__table__.delete().where(Answer.assessment_uuid == victim.uuid, Answer.key == "11"))
            s.add(Answer(uuid="old-11", assessment_uuid=victim.uuid, key="11", not_applicable=True,
                         na_reason="دستگاه کپی مدارک نمی‌گیرد", note=""))
        before_scores = _scores(store)
        with store.session() as s:
            marks = set(s.execute(select(ServiceSection.assessment_uuid, ServiceSection.service_id,
                                         ServiceSection.section, ServiceSection.met)).all())
            assert any(v.key == "11" for v in na_violations(s, find_round(s, 1403), [victim.uuid]))
        engine = store.engine
        with engine.begin() as conn:
            from alembic import command

            command.downgrade(alembic_config(conn), OLD)  # as the previous release left it
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == OLD
            assert "service_sections" not in _tables(conn)
            columns = ", ".join(f"sla_{k}" for k in SECTIONS)
            old = set()
            for a, sid, *values in conn.execute(text(f"SELECT assessment_uuid, service_id, {columns} "
                                                     "FROM service_judgements")):
                old |= {(a, sid, k, bool(v)) for k, v in zip(SECTIONS, values) if v is not None}
        counts = _counts(engine)
    finally:
        store.close()
    assessments_judged = {a for a, *_ in marks}
    assert len(marks) > 1000 and len(assessments_judged) > 8 and {m for *_, m in marks} == {True, False}
    assert old == marks  # the old columns hold exactly what the rows held

    store = open_store(filled)  # the workbench upgrades it
    try:
        assert store.revision() == head_revision()
        with store.session() as s:
            after = set(s.execute(select(ServiceSection.assessment_uuid, ServiceSection.service_id,
                                         ServiceSection.section, ServiceSection.met)).all())
            assert after == marks
            rnd = find_round(s, 1403)
            listed = [(v.key, v.reason) for v in na_violations(s, rnd) if v.assessment_uuid == victim.uuid]
            assert ("11", "دستگاه کپی مدارک نمی‌گیرد") in listed
            kept = s.get(Answer, "old-11")
            assert kept.not_applicable is True and kept.na_reason == "دستگاه کپی مدارک نمی‌گیرد"
        assert _scores(store) == before_scores
        assert _counts(store.engine) == counts  # every other table keeps its rows
    finally:
        store.close()


def _migration():
    path = MIGRATIONS_DIR / "versions" / "0011_service_sections.py"
    spec = importlib.util.spec_from_file_location("m0011", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.one_backend
def test_the_exchange_records_an_older_package_carries_become_section_records():
    """A base or a package of an older release holds a judgement's sections as its ``sla_*`` fields: the
    migration (for stored bases) and the merge (for packages) make the same section records of them."""
    from workbench.exchange import records

    key = records.rkey(1403, "1001", "service_judgements", ("121095100",))
    values = {"service_id": "121095100", "delivery": True, "sla_intro": True, "sla_costs": False, "url": ""}
    converted = _migration().convert_records({key: {"t": "service_judgements", "u": "j-1", "v": values}})
    merged = dict(records.legacy_sections(key, records.Rec("service_judgements", "j-1", values)))
    intro = records.rkey(1403, "1001", "service_sections", ("121095100", "intro"))
    costs = records.rkey(1403, "1001", "service_sections", ("121095100", "costs"))
    assert set(converted) == {key, intro, costs} and set(merged) == {intro, costs}
    assert converted[intro]["v"] == merged[intro].values == {"service_id": "121095100", "section": "intro", "met": True}
    assert converted[costs]["v"]["met"] is False and converted[intro]["u"] == merged[intro].uuid
    assert "sla_intro" not in converted[key]["v"] and converted[key]["v"]["delivery"] is True
    assert json.loads(intro)[2:] == ["service_sections", "121095100", "intro"]
