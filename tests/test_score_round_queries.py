"""Scoring a round reads it in a fixed number of queries, whatever its size (issue 16).

A time is the bench's to measure (bench/run.py, row «score»); what a test can count is the
statements: one per kind of row, never one per assessment.
"""
from __future__ import annotations

from sqlalchemy import event

from workbench.demo.build import build_demo
from workbench.model.assessments import find_round, score_assessment, score_round
from workbench.model.store import open_store


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
                assert {k: (n.earned, n.possible) for k, n in single.nodes.items()} == {
                    k: (n.earned, n.possible) for k, n in item.card.nodes.items()
                }
    finally:
        store.close()
    return len(scored), statements


def test_scoring_a_round_is_a_fixed_number_of_queries(tmp_path):
    small, small_statements = _statements_of_scoring(build_demo(tmp_path / "small.sqlite", agencies=12, seed=5))
    large, large_statements = _statements_of_scoring(build_demo(tmp_path / "large.sqlite", agencies=40, seed=5))
    assert large > small
    assert len(large_statements) == len(small_statements) <= 10, large_statements
