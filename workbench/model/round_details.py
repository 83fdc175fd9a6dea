"""An agency's details as a round saw them (see :class:`~workbench.model.schema.RoundAgency`).

Why per round: an agency is one row shared by every round, and an import into
the latest round may fill in its province or website.  An earlier round's
published summary and its ranking by province, level or parent must read the
same the day after, so when a later round is opened the earlier one keeps its
agencies' details as they stood (:func:`freeze_round`).  The latest round, the
one being assessed and imported into, reads the live rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from workbench.model.audit import bulk_insert
from workbench.model.schema import Agency, Assessment, Round, RoundAgency, Service

DETAIL_FIELDS = ("name", "parent_uuid", "level", "province", "ranking_group", "website")


@dataclass(frozen=True)
class AgencyAsOf:
    """An agency with the details a round kept of it; read like an :class:`Agency`, never written."""

    uuid: str
    code: str
    name: str
    parent_uuid: str | None
    level: str
    province: str
    ranking_group: str
    website: str


def kept_details(session: Session, round_uuid: str) -> dict[str, RoundAgency]:
    """The details a round kept, by agency UUID (empty for the latest round)."""
    rows = session.scalars(select(RoundAgency).where(RoundAgency.round_uuid == round_uuid))
    return {row.agency_uuid: row for row in rows}


def as_of(agency: Agency, kept: RoundAgency | None) -> Agency | AgencyAsOf:
    """``agency`` as the round saw it: the live row when the round kept nothing of it."""
    if kept is None:
        return agency
    return AgencyAsOf(agency.uuid, agency.code, **{f: getattr(kept, f) for f in DETAIL_FIELDS})


def kept_row(session: Session, round_uuid: str, agency_uuid: str) -> RoundAgency | None:
    """What round ``round_uuid`` keeps of one agency; ``None`` when it reads the live row."""
    return session.scalar(
        select(RoundAgency).where(RoundAgency.round_uuid == round_uuid, RoundAgency.agency_uuid == agency_uuid)
    )


def agency_in_round(session: Session, round_uuid: str, agency: Agency) -> Agency | AgencyAsOf:
    """One agency as one round saw it."""
    return agencies_in_round(session, round_uuid, [agency])[agency.uuid]


def agencies_in_round(session: Session, round_uuid: str, agencies) -> dict[str, Agency | AgencyAsOf]:
    """A few agencies (e.g. the parents on a page) as one round saw them, by UUID."""
    by_uuid = {a.uuid: a for a in agencies}
    kept = {
        row.agency_uuid: row
        for row in session.scalars(
            select(RoundAgency).where(RoundAgency.round_uuid == round_uuid, RoundAgency.agency_uuid.in_(list(by_uuid)))
        )
    }
    return {uuid: as_of(agency, kept.get(uuid)) for uuid, agency in by_uuid.items()}


def round_agency_uuids(session: Session, rnd: Round) -> list[str]:
    """The agencies a round has anything of: an assessment or a service."""
    query = union(
        select(Assessment.agency_uuid).where(Assessment.round_uuid == rnd.uuid),
        select(Service.agency_uuid).where(Service.round_uuid == rnd.uuid),
    )
    return list(session.scalars(query))


def freeze_round(session: Session, rnd: Round) -> int:
    """Keep the round's agencies' details as they are now; those kept before stay as they were.

    Returns the number of agencies newly kept.
    """
    kept = set(kept_details(session, rnd.uuid))
    wanted = [u for u in round_agency_uuids(session, rnd) if u not in kept]
    rows = []
    for start in range(0, len(wanted), 500):
        for agency in session.scalars(select(Agency).where(Agency.uuid.in_(wanted[start : start + 500]))):
            rows.append({"round_uuid": rnd.uuid, "agency_uuid": agency.uuid,
                         **{f: getattr(agency, f) for f in DETAIL_FIELDS}})
    bulk_insert(session, RoundAgency, rows)
    return len(rows)


def freeze_earlier_rounds(session: Session) -> dict[int, int]:
    """Every round but the latest keeps its agencies' details (before the live rows may change).

    Returns year → agencies newly kept.  Called when a round is opened and when an
    assignment of the latest round arrives (``exchange.receive``).
    """
    latest = session.scalar(select(func.max(Round.year)))
    out = {}
    for other in session.scalars(select(Round).where(Round.year != latest).order_by(Round.year)):
        kept = freeze_round(session, other)
        if kept:
            out[other.year] = kept
    return out


def keep_details(session: Session, rnd: Round, details: dict[str, dict]) -> None:
    """Set what ``rnd`` keeps of these agencies (agency UUID → the :data:`DETAIL_FIELDS`), replacing what it kept.

    For an earlier round's details that arrive from elsewhere (an assignment of that
    round): the live rows, the latest round's, are left as they are.
    """
    kept = {row.agency_uuid: row for row in session.scalars(
        select(RoundAgency).where(RoundAgency.round_uuid == rnd.uuid, RoundAgency.agency_uuid.in_(list(details)))
    )}
    rows = []
    for uuid, values in details.items():
        if uuid in kept:
            for f in DETAIL_FIELDS:
                setattr(kept[uuid], f, values[f])
        else:
            rows.append({"round_uuid": rnd.uuid, "agency_uuid": uuid, **{f: values[f] for f in DETAIL_FIELDS}})
    bulk_insert(session, RoundAgency, rows)
    session.flush()
