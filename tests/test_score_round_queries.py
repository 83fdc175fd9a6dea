"""Scoring a round reads it in a fixed number of queries, whatever its size (issue 16).

A time is the bench's to measure (bench/run.py, row «score»); what a test can count is the
statements: one per kind of row, never one per assessment.
"""
from __future__ import annotations

from sqlalchemy import event

from workbench.demo.build import build_demo
from workbench.model.assessments import find_round, score_assessment, score_round
from workbench.model.store import open_store


def _figures(node):
    return node.earned, node.possible, node.applicable, node.answered, node.total


def _statements_of_scoring(path):
    store = open_store(path, create=False)
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    try:
        with store.session() as session:
            rnd = find_round(session)
            event.listen(store.engine, "before_cursor_execute", listener)
            try:
                scored = score_round(session, rnd)
            finally:
                event.remove(store.engine, "before_cursor_execute", listener)
            # The bulk path gives every assessment the card the one-assessment path gives.
            for item in scored:
                single = score_assessment(session, item.assessment)
                assert single.percent == item.card.percent, item.agency.code
                assert {k: _figures(n) for k, n in single.nodes.items()} == {
                    k: _figures(n) for k, n in item.card.nodes.items()
                }, item.agency.code
                assert single.band == item.card.band
    finally:
        store.close()
    return len(scored), statements


def test_scoring_a_round_is_a_fixed_number_of_queries(tmp_path):
    small, small_statements = _statements_of_scoring(build_demo(tmp_path / "small.sqlite", agencies=12, seed=5))
    large, large_statements = _statements_of_scoring(build_demo(tmp_path / "large.sqlite", agencies=40, seed=5))
    assert large > small
    assert len(large_statements) == len(small_statements) <= 10, large_statements


def _shake(path, seed=11):
    """Stored rows the demo never makes, written straight into the file: a request stage judged on some
    capabilities only, other plan flags, table 4 rows on parent services and on services named as a parent
    but not listed, a judgement of a service no longer listed, assessments with nothing judged, answers with only a not-applicable mark."""
    import random
    import sqlite3

    rng = random.Random(seed)
    db = sqlite3.connect(path)
    choice = [None, 0, 1]
    for (rowid,) in db.execute("SELECT rowid FROM service_judgements").fetchall():
        if rng.random() < 0.5:
            db.execute(
                "UPDATE service_judgements SET request_portal=?, request_online=?, request_receipt=?,"
                " request_tracking=?, delivery=?, counter=?, gsb=? WHERE rowid=?",
                [rng.choice(choice) for _ in range(7)] + [rowid],
            )
    for (rowid,) in db.execute("SELECT rowid FROM services").fetchall():
        # the card's nature and level: a sovereign service in the counter plan leaves indicator 3's count, a
        # provincial unit's national service the unit's indicators 1-3
        db.execute("UPDATE services SET nature=?, service_level=? WHERE rowid=?",
                   (rng.choice(["", "sovereign", "enterprise"]), rng.choice(["", "national", "provincial"]), rowid))
        if rng.random() < 0.1:
            db.execute(f"UPDATE services SET in_{rng.choice(['request', 'delivery', 'counter', 'gsb'])}_plan=?"
                       " WHERE rowid=?", (rng.choice([0, 1]), rowid))
        elif rng.random() < 0.05:
            db.execute("UPDATE services SET parent_service_id='999999999' WHERE rowid=?", (rowid,))
    parents = db.execute(
        "SELECT round_uuid, agency_uuid, parent_service_id FROM services WHERE parent_service_id != ''"
    ).fetchall()
    for (rowid,) in db.execute("SELECT rowid FROM reform_rows").fetchall():
        if rng.random() < 0.3:
            _, _, parent = rng.choice(parents)
            db.execute("UPDATE reform_rows SET service_id=?, accepted=? WHERE rowid=?",
                       (parent, rng.choice(choice), rowid))
    db.execute("UPDATE answers SET value=NULL, achieved=NULL, planned=NULL, not_applicable=1 "
               "WHERE rowid % 17 = 0")
    db.execute("DELETE FROM services WHERE rowid % 23 = 0")
    # services planned but none judged yet: the ratio is not scored rather than scored zero
    db.execute("DELETE FROM service_judgements WHERE assessment_uuid IN (SELECT uuid FROM assessments LIMIT 3)")
    # A few agencies with a handful of services (under indicator 5's cap of 10), one of them a parent
    # with accepted table 4 rows on it and on its sub-services.
    for round_uuid, agency_uuid, parent in rng.sample(parents, 8):
        keep = [parent] + [sid for (sid,) in db.execute(
            "SELECT service_id FROM services WHERE round_uuid=? AND agency_uuid=? AND parent_service_id=? LIMIT 4",
            (round_uuid, agency_uuid, parent))]
        marks = ",".join("?" * len(keep))
        db.execute(f"DELETE FROM services WHERE round_uuid=? AND agency_uuid=? AND service_id NOT IN ({marks})",
                   (round_uuid, agency_uuid, *keep))
        for (rowid,) in db.execute("SELECT rowid FROM reform_rows WHERE round_uuid=? AND agency_uuid=?",
                                   (round_uuid, agency_uuid)).fetchall():
            db.execute("UPDATE reform_rows SET service_id=?, accepted=1 WHERE rowid=?", (rng.choice(keep), rowid))
    db.commit()
    db.close()
    return path


def test_the_bulk_path_scores_as_the_one_by_one_path_on_rows_the_demo_never_makes(tmp_path):
    path = _shake(build_demo(tmp_path / "shaken.sqlite", agencies=30, seed=3))
    count, _statements = _statements_of_scoring(path)
    assert count == 30


def test_the_stage_rule_in_sql_is_the_stage_rule():
    """Every combination of the seven judgement fields: the SQL twin gives what stage_verdict gives."""
    import itertools

    from sqlalchemy import create_engine, insert, select

    from workbench.model.schema import Base, ServiceJudgement, stage_verdict, stage_verdict_sql
    from workbench.model.terms import STAGES

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[ServiceJudgement.__table__, Base.metadata.tables["assessments"]])
    fields = ("request_portal", "request_online", "request_receipt", "request_tracking", "delivery", "counter", "gsb")
    combos = list(itertools.product([None, False, True], repeat=4))
    rows = [
        dict(zip(fields, (*c, *c[:3])), uuid=f"u{i}", assessment_uuid="a", service_id=f"{i:09d}")
        for i, c in enumerate(combos)
    ]
    with engine.begin() as conn:
        conn.execute(insert(ServiceJudgement), rows)
        got = conn.execute(
            select(ServiceJudgement.service_id, *[stage_verdict_sql(s) for s in STAGES]).order_by(
                ServiceJudgement.service_id
            )
        ).all()
    assert len(got) == 81
    for row, (_sid, *verdicts) in zip(rows, got):
        for stage, verdict in zip(STAGES, verdicts):
            expected = stage_verdict(row, stage)
            assert verdict == (None if expected is None else int(expected)), (row, stage)


def test_the_objects_scoring_made_are_not_walked_by_the_collector_as_it_ends(tmp_path):
    """``collector_paused``: the collector is off while a round is read and scored, and its thousands
    of new objects go to the oldest generation at the end: no collection walks them on the way out
    (one did, at the first allocation after the block: a tenth of a national round's scoring)."""
    import gc

    path = build_demo(tmp_path / "gc.sqlite", agencies=12, seed=5)
    store = open_store(path, create=False)
    collections: list[int] = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    try:
        with store.session() as session:
            rnd = find_round(session)
            gc.collect()
            assert gc.isenabled()
            gc.callbacks.append(count)
            try:
                scored = score_round(session, rnd)
            finally:
                gc.callbacks.remove(count)
            assert len(scored) == 12 and gc.isenabled()  # the collector is on again
    finally:
        store.close()
    assert collections == []


def test_the_rounds_sla_sections_are_read_from_the_covering_index_alone(tmp_path):
    """4.7's section rows (ten per service: some 940,000 in a national round) are counted from the
    index ``ix_service_sections_cover`` without reading the table (schema 0012)."""
    import sqlite3

    path = build_demo(tmp_path / "d.sqlite", agencies=12, seed=5)
    store = open_store(path, create=False)
    seen: list[tuple[str, tuple]] = []

    def listener(_conn, _cursor, statement, parameters, *_args):
        if "service_sections" in statement:
            seen.append((statement, parameters))

    try:
        with store.session() as session:
            rnd = find_round(session)
            event.listen(store.engine, "before_cursor_execute", listener)
            try:
                score_round(session, rnd)
            finally:
                event.remove(store.engine, "before_cursor_execute", listener)
    finally:
        store.close()
    assert len(seen) == 1
    statement, parameters = seen[0]
    conn = sqlite3.connect(path)
    try:
        plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
    finally:
        conn.close()
    on_sections = [step for step in plan if "service_sections" in step]
    assert on_sections and all("COVERING INDEX ix_service_sections_cover" in step for step in on_sections), plan
