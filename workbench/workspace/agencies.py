"""The agency list's rows and the round's totals, read for the window with no Qt."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.schema import Agency, Assessment, Round
from workbench.model.text import normalize


@dataclass
class AgencyRow:
    uuid: str
    code: str
    name: str
    level: str
    province: str
    status: str = ""  # "" = no assessment yet
    percent: float | None = None
    scored: bool = False  # the score column has been computed

    @cached_property
    def search_key(self) -> str:
        """What the search box matches (made at the first search, not for every row at start)."""
        return normalize(f"{self.code} {self.name} {self.province}")


def agency_rows(session: Session, round_uuid: str) -> list[AgencyRow]:
    """Every agency with its status in the round, in code order (two queries, no scoring).

    Plain columns, not ``Agency`` objects: the list needs five values of each of 2,500 agencies.
    """
    statuses: dict[str, str] = {}
    if round_uuid:
        query = select(Assessment.agency_uuid, Assessment.status).where(Assessment.round_uuid == round_uuid)
        statuses = {agency_uuid: status for agency_uuid, status in session.execute(query)}
    query = select(Agency.uuid, Agency.code, Agency.name, Agency.level, Agency.province).order_by(Agency.code)
    return [AgencyRow(uuid, code, name, level, province or "", statuses.get(uuid, ""))
            for uuid, code, name, level, province in session.execute(query)]


def round_totals(session: Session, round_uuid: str,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, tuple[str, float | None]]:
    """{agency uuid: (status, total percent)} of every assessment of the round (scored in bulk)."""
    from workbench.model.assessments import score_round

    rnd = session.get(Round, round_uuid)
    return {sa.agency.uuid: (sa.assessment.status, sa.card.percent)
            for sa in score_round(session, rnd, progress=progress)}
