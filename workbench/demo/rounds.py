"""Earlier rounds for the demo, so the trend across rounds can be seen.

``add_earlier_rounds(path, rounds=3)`` adds rounds 1402 and 1401 before the
demo's 1403: each agency whose 1403 assessment is complete or final was
assessed a year earlier too (one in eight was not assessed yet), with the
same services and somewhat fewer items earned — most agencies improve over the
years, some fall back.  Earlier rounds are final, with answers, per-service
judgements and table 4 verdicts but no evidence files.  In the earliest of
three rounds the supervisor had weighted indicator 7 differently (a weight
override, kept as such), so the outputs say that the totals compare by percent.
The same seed gives the same rounds.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

from sqlalchemy import insert, select

from workbench.demo.checks import section_uuid
from workbench.demo.data import ACTOR, YEAR
from workbench.model.assessments import create_round, find_round, set_weight_override
from workbench.model.audit import record_event
from workbench.model.errors import UserError
from workbench.model.framework import load_default_framework
from workbench.model.round_details import freeze_round
from workbench.model.schema import Answer, Assessment, ReformRow, Service, ServiceJudgement, ServiceSection
from workbench.model.store import open_store
from workbench.model.text import persian_digits

MAX_ROUNDS = 3
TRACKED = ("uuid", "created_at", "updated_at", "updated_by")
JUDGED = ("request_portal", "request_online", "request_receipt", "request_tracking", "delivery", "counter", "gsb")
#: The earliest round's weight for indicator 7, set by its supervisor (the framework assumes 20).
EARLY_WEIGHT = ("7", 15.0, "در دورهٔ نخست میز خدمت تازه راه افتاده بود؛ وزن آن کمتر گرفته شد (داده نمونه)")


def add_earlier_rounds(path: str | Path, rounds: int, seed: int = YEAR) -> list[int]:
    """Add ``rounds - 1`` rounds before the demo's round; returns their years, oldest first."""
    if not 1 <= rounds <= MAX_ROUNDS:
        raise UserError(f"تعداد دوره‌های نمونه باید بین ۱ و {persian_digits(MAX_ROUNDS)} باشد، نه {persian_digits(rounds)}")
    years = [YEAR - k for k in range(rounds - 1, 0, -1)]
    if not years:
        return []
    rng = random.Random(seed * 7 + rounds)
    store = open_store(path, actor=ACTOR)
    try:
        with store.session() as session:
            latest = find_round(session, YEAR)
            framework = load_default_framework()
            source = session.scalars(
                select(Assessment).where(Assessment.round_uuid == latest.uuid,
                                         Assessment.status.in_(("complete", "final"))).order_by(Assessment.agency_uuid)
            ).all()
            # How an agency fared over the years: most improved, some fell back.
            pace = {a.agency_uuid: rng.choice((-0.6, 0.4, 0.8, 1.0, 1.2, 1.6, 2.2)) for a in source}
            for year in reversed(years):  # 1402 first, then 1401: each a step further back
                back = YEAR - year
                rnd = create_round(session, year, framework, f"{framework.title} — دورهٔ {persian_digits(year)}")
                if back == MAX_ROUNDS - 1:
                    set_weight_override(session, rnd, *EARLY_WEIGHT)
                chosen = [a for a in source if back == 1 or rng.random() > 0.125]
                _Copy(session, rng, latest.uuid, rnd.uuid, back, pace).run(chosen)
                session.flush()
                freeze_round(session, rnd)
                record_event(session, rnd, "demo", {"seed": seed, "from": YEAR, "agencies": len(chosen)})
    finally:
        store.close()
    return years


class _Copy:
    def __init__(self, session, rng, source_round, target_round, back, pace):
        self.s, self.rng, self.src, self.dst, self.back, self.pace = session, rng, source_round, target_round, back, pace
        self.now = dt.datetime(2024, 1, 1) - dt.timedelta(days=365 * back)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tracked(self) -> dict:
        return {"uuid": self.uid(), "created_at": self.now, "updated_at": self.now, "updated_by": ACTOR}

    def lower(self, agency: str) -> float:
        """The chance that something earned in 1403 was not yet earned ``back`` years before."""
        return max(-0.2, min(0.8, 0.14 * self.back * self.pace[agency]))

    def run(self, assessments) -> None:
        agencies = {a.agency_uuid for a in assessments}
        services = [dict(r) for r in self.s.execute(select(Service.__table__).where(Service.round_uuid == self.src)).mappings()
                    if r["agency_uuid"] in agencies]
        self._insert(Service, [{**_plain(r), "round_uuid": self.dst} for r in services])
        reform = [dict(r) for r in self.s.execute(select(ReformRow.__table__).where(ReformRow.round_uuid == self.src)).mappings()
                  if r["agency_uuid"] in agencies]
        self._insert(ReformRow, [{**_plain(r), "round_uuid": self.dst,
                                  "accepted": self._flip(r["accepted"], r["agency_uuid"])} for r in reform])
        new_assessments, answers, judgements = [], [], []
        by_uuid = {}
        for a in assessments:
            copy = {**self.tracked(), "round_uuid": self.dst, "agency_uuid": a.agency_uuid, "status": "final",
                    "evaluator": a.evaluator,
                    "visit_date": a.visit_date - dt.timedelta(days=365 * self.back) if a.visit_date else None}
            new_assessments.append(copy)
            by_uuid[a.uuid] = copy
        for r in self.s.execute(select(Answer.__table__).where(Answer.assessment_uuid.in_(list(by_uuid)))).mappings():
            target = by_uuid[r["assessment_uuid"]]
            row = {**_plain(r), "assessment_uuid": target["uuid"]}
            row["value"] = self._flip(r["value"], target["agency_uuid"])
            if r["achieved"] is not None and r["planned"]:
                drop = max(0.0, self.lower(target["agency_uuid"])) * self.rng.random()
                row["achieved"] = float(int(r["achieved"] * (1 - drop)))
            answers.append(row)
        for r in self.s.execute(
            select(ServiceJudgement.__table__).where(ServiceJudgement.assessment_uuid.in_(list(by_uuid)))
        ).mappings():
            target = by_uuid[r["assessment_uuid"]]
            row = {**_plain(r), "assessment_uuid": target["uuid"]}
            for name in JUDGED:
                row[name] = self._flip(r[name], target["agency_uuid"])
            judgements.append(row)
        self._insert(Assessment, new_assessments)
        self._insert(Answer, answers)
        self._insert(ServiceJudgement, judgements)
        # 4.7's SLA sections, as they were; their UUIDs from the copied assessment's, never from the
        # generator (every later figure of the demo draws what it drew before sections were rows).
        sections = []
        for r in self.s.execute(select(ServiceSection.__table__).where(
                ServiceSection.assessment_uuid.in_(list(by_uuid)))).mappings():
            target = by_uuid[r["assessment_uuid"]]["uuid"]
            sections.append({**_plain(r), "assessment_uuid": target, "created_at": self.now, "updated_at": self.now,
                             "updated_by": ACTOR, "uuid": section_uuid(f"{target}/{r['service_id']}", r["section"])})
        for start in range(0, len(sections), 2000):
            self.s.execute(insert(ServiceSection), sections[start : start + 2000])

    def _flip(self, value, agency: str):
        if value is None:
            return None
        p = self.lower(agency)
        if value and p > 0 and self.rng.random() < p:
            return False
        if not value and p < 0 and self.rng.random() < -p:
            return True
        return value

    def _insert(self, model, rows: list[dict]) -> None:
        for row in rows:
            row.update({k: v for k, v in self.tracked().items() if k not in row})
        for start in range(0, len(rows), 2000):
            self.s.execute(insert(model), rows[start : start + 2000])


def _plain(row) -> dict:
    """A stored row's values without its identity and stamps (a copy gets its own)."""
    return {k: v for k, v in dict(row).items() if k not in TRACKED}
