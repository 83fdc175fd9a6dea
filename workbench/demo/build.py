"""A realistic demo database: one round, its agencies, services and assessments.

``build_demo(path, agencies=12, seed=1403)`` makes a new database file through
:func:`~workbench.model.store.open_store` with round 1403 (the default
framework, kept in the round by :func:`~workbench.model.assessments.create_round`),
national agencies with their provincial directorates (and, for large numbers,
county offices), each with 10–60 services, tables 4 and 5 for most of them,
and one assessment each in every state: a few drafts (one with nothing
entered yet), some complete, most final.  Complete and final assessments have
no gaps (``completeness.missing`` is empty), so they are what an evaluator
could really have finished.

Everything comes from ``random.Random(seed)``: the same seed gives the same
agencies, answers, scores and record UUIDs (only the round's own UUID and the
file's device id are fresh).  Benchmarks build 2,500 agencies, so rows go in
with bulk ``INSERT`` statements, a batch of agencies at a time.

The generator's parts: ``units.py`` (agencies, services, operational plans),
``evaluation.py`` (answers, judgements, evidence, tables 4 and 5), ``data.py``
(the invented names and texts), ``files.py`` (the evidence files' bytes).
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

from workbench.demo.data import ACTOR, FIRST_NAMES, LAST_NAMES, SUBMITTED, YEAR
from workbench.demo.evaluation import EvaluationMaker
from workbench.demo.units import MAX_AGENCIES, CatalogueEntry, Rows, Unit, UnitMaker
from workbench.model.assessments import create_round
from workbench.model.audit import record_event
from workbench.model.errors import UserError
from workbench.model.framework import Framework, load_default_framework
from workbench.model.schema import Assessment, Service
from workbench.model.store import open_store, set_meta
from workbench.model.text import persian_digits

#: Agencies generated and written per batch: bounds memory at 2,500 agencies.
BATCH = 200


def build_demo(path: str | Path, agencies: int = 12, seed: int = YEAR) -> Path:
    """Build the demo database at ``path`` (which must not exist or be empty)."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"«{path}» یک پوشه است؛ نام یک فایل تازه برای پایگاه داده نمونه بدهید")
    if path.exists() and path.stat().st_size > 0:
        raise UserError(f"فایل «{path}» از پیش وجود دارد و خالی نیست؛ پایگاه داده نمونه روی آن نوشته نمی‌شود")
    if not 1 <= agencies <= MAX_AGENCIES:
        raise UserError(
            f"تعداد دستگاه‌های نمونه باید بین ۱ و {persian_digits(MAX_AGENCIES)} باشد، نه {persian_digits(agencies)}"
        )
    framework = load_default_framework()
    store = open_store(path, actor=ACTOR)
    try:
        with store.session() as session:
            _Generator(session, framework, agencies, seed).run()
    except BaseException:
        store.close()
        _remove_database(path)  # a half-built demo is worth nothing; leave no trace
        raise
    store.close()
    return path


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            candidate.unlink()
        except OSError:
            pass


class _Generator(UnitMaker, EvaluationMaker):
    """One demo database's rows from one seed: the state; the parts are in units.py and evaluation.py."""

    def __init__(self, session, framework: Framework, agencies: int, seed: int):
        self.session = session
        self.framework = framework
        self.count = agencies
        self.seed = seed
        self.rng = random.Random(seed)
        self.catalogues: dict[int, list[CatalogueEntry]] = {}
        self.blobs: dict[tuple[int, str], str] = {}
        # How hard each item is to earn, shared by all agencies: some items are commonly missed.
        self.difficulty = {it.key: self.rng.uniform(-0.3, 0.15) for it in framework.items()}
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        self.evaluators = self.rng.sample(names, min(100, max(4, agencies // 25)))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # ------------------------------------------------------------------ run

    def run(self) -> None:
        self.round = create_round(self.session, YEAR, self.framework)
        units = self._units()
        self._write_agencies(units)
        statuses = self._statuses(len(units))
        for start in range(0, len(units), BATCH):
            rows = Rows()
            for unit, status in zip(units[start : start + BATCH], statuses[start : start + BATCH]):
                self._unit_rows(unit, status, rows)
            rows.write(self.session)
        set_meta(self.session, "demo", f"seed={self.seed} agencies={len(units)}")
        record_event(self.session, self.round, "demo", {"seed": self.seed, "agencies": len(units)})

    # ------------------------------------------------------------------ one unit

    def _unit_rows(self, unit: Unit, status: str, rows: Rows) -> None:
        rng = self.rng
        services = self._services(unit)
        for s in services:
            rows.add(Service, s)
        quality = rng.betavariate(5, 2.2)
        evaluator = rng.choice(self.evaluators)
        visit = None if status == "empty" else self._visit_date()
        stamp = SUBMITTED if visit is None else dt.datetime.combine(visit, dt.time(10, rng.randrange(60)))
        who = ACTOR if visit is None else evaluator
        assessment_uuid = self.uid()
        rows.add(
            Assessment,
            {
                **self._tracked(assessment_uuid, stamp, who),
                "round_uuid": self.round.uuid,
                "agency_uuid": unit.uuid,
                "evaluator": evaluator,
                "visit_date": visit,
                "status": "draft" if status == "empty" else status,
            },
        )
        # Drafts have part of the work done; complete and final ones all of it.
        done = 0.0 if status == "empty" else rng.uniform(0.3, 0.7) if status == "draft" else 1.0
        na = self._not_applicable(unit) if done else {}
        for key, stage in (("1", "request"), ("2", "delivery"), ("3", "counter")):
            if key in na:  # the guide's condition: no province-specific service for this stage
                for s in services:
                    s[f"in_{stage}_plan"] = False
        ctx = (assessment_uuid, stamp, who)
        self._answers(ctx, na, quality, done, rows)
        if done:
            self._agreement(ctx, services, na, rows)
        self._judgements(ctx, services, quality, done, rows)
        if done:
            self._evidence(ctx, unit, na, done, rows)
        if status == "empty" or rng.random() < 0.75:
            self._tables(unit, services, quality, done, rows)
