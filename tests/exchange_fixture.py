"""A small round for the exchange tests: a demo master, its assignments, evaluators' databases.

The master is built once per session (a 4-agency demo, every assessment set
back to draft so that packages may change them) and copied for each test.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import select

from workbench.exchange.assign import assign
from workbench.exchange.export import export
from workbench.exchange.receive import receive
from workbench.model.schema import Agency, Answer, Assessment
from workbench.model.store import open_store

_CACHE: dict[str, Path] = {}


def master_copy(tmp_path: Path, cache_dir: Path) -> Path:
    """A fresh copy of the session's demo master in ``tmp_path``."""
    if "master" not in _CACHE:
        from workbench.demo.build import build_demo

        path = cache_dir / "master.sqlite"
        build_demo(path, agencies=4, seed=7)
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE assessments SET status = 'draft'")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _CACHE["master"] = path
    target = tmp_path / "master.sqlite"
    shutil.copyfile(_CACHE["master"], target)
    return target


def sql(db, statement: str, params: dict | None = None) -> None:
    """Run one statement on a database as another program would (a file, or a server's database)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from workbench.model.backends import is_server_url

    engine = create_engine(db if is_server_url(db) else f"sqlite:///{db}", poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params or {})
    finally:
        engine.dispose()


def copy_assignments(source, target) -> None:
    """The assignments of one master into another (the same hand-out in two copies)."""
    from workbench.exchange.tables import Assignment, AssignmentAgency

    src, dst = open_store(source), open_store(target)
    try:
        with src.session() as s, dst.session() as d:
            for model in (Assignment, AssignmentAgency):
                table = model.__table__
                rows = [dict(r) for r in s.execute(select(table)).mappings()]
                if rows:
                    d.execute(table.insert(), rows)
    finally:
        src.close()
        dst.close()


def codes(db: Path) -> list[str]:
    store = open_store(db)
    try:
        with store.session() as s:
            return sorted(s.scalars(select(Agency.code)))
    finally:
        store.close()


def do_assign(master: Path, evaluator: str, agency_codes: list[str], out: Path) -> Path:
    store = open_store(master, actor="سرپرست")
    try:
        with store.session() as s:
            assign(s, evaluator, agency_codes, out, issued_by="سرپرست")
    finally:
        store.close()
    return out


def do_receive(assignment: Path, db: Path):
    store = open_store(db)
    try:
        with store.session() as s:
            return receive(s, assignment)
    finally:
        store.close()


def do_export(db: Path, out: Path):
    store = open_store(db)
    try:
        with store.session() as s:
            return export(s, out)
    finally:
        store.close()


def set_answer(db: Path, agency_code: str, key: str, actor: str = "ارزیاب", **fields) -> None:
    """Change (or create) an answer in an evaluator's database as the window would (audited)."""
    store = open_store(db, actor=actor)
    try:
        with store.session() as s:
            assessment = s.scalar(select(Assessment).join(Agency).where(Agency.code == agency_code))
            row = s.scalar(select(Answer).where(Answer.assessment_uuid == assessment.uuid, Answer.key == key))
            if row is None:
                row = Answer(assessment_uuid=assessment.uuid, key=key)
                s.add(row)
            for name, value in fields.items():
                setattr(row, name, value)
    finally:
        store.close()


def evaluator_db(tmp_path: Path, master: Path, name: str, agency_codes: list[str]) -> Path:
    """An evaluator's database that received an assignment of ``agency_codes``."""
    slug = str(abs(hash(name)))
    assignment = do_assign(master, name, agency_codes, tmp_path / f"assign-{slug}.wbp")
    db = tmp_path / f"eval-{slug}.sqlite"
    do_receive(assignment, db)
    return db


def do_merge(master: Path, packages: list[Path], dry_run: bool = False):
    from workbench.exchange.merge import merge

    store = open_store(master, actor="سرپرست")
    try:
        with store.session() as s:
            return merge(s, packages, dry_run=dry_run, merged_by="سرپرست")
    finally:
        store.close()


def answer(db: Path, agency_code: str, key: str) -> dict | None:
    store = open_store(db)
    try:
        with store.session() as s:
            row = s.scalar(select(Answer).join(Assessment).join(Agency).where(Agency.code == agency_code, Answer.key == key))
            if row is None:
                return None
            return {f: getattr(row, f) for f in ("value", "achieved", "planned", "not_applicable", "na_reason", "note")}
    finally:
        store.close()


def snapshot(db: Path) -> dict:
    """Every merged record's content and every conflict with its candidates, independent of ids and times."""
    from workbench.exchange import records
    from workbench.exchange.tables import Conflict, ConflictCandidate
    from workbench.model.schema import Round

    store = open_store(db)
    try:
        with store.session() as s:
            rnd = s.scalars(select(Round)).one()
            recs = records.read_agencies(s, rnd.uuid, rnd.year, s.scalars(select(Agency.code)).all())
            flat = {k: (r.table, r.values) for by in recs.values() for k, r in by.items()}
            conflicts = set()
            for c in s.scalars(select(Conflict)):
                cands = frozenset((x.evaluator, x.value) for x in s.scalars(
                    select(ConflictCandidate).where(ConflictCandidate.conflict_id == c.id)))
                conflicts.add((c.rkey, c.grp, c.kind, c.status, c.base, cands))
            return {"records": flat, "conflicts": conflicts}
    finally:
        store.close()


def first_assessment_answer_keys(db: Path, agency_code: str) -> list[str]:
    store = open_store(db)
    try:
        with store.session() as s:
            return sorted(s.scalars(select(Answer.key).join(Assessment).join(Agency).where(Agency.code == agency_code)))
    finally:
        store.close()
