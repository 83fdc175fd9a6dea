"""What each page of an open assessment shows, read with no Qt.

The assessment controller (``workbench.ui.assessment.controller``) calls these
with its session; pages ask the controller and never query themselves.  Each
read is one query (or two) whatever the number of rows, and returns plain
values, so a page can compare what it shows with what is stored.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model import evidence_files
from workbench.model.assessments import STAGES
from workbench.model.editing import Edit, file_evidence_fields, section_of
from workbench.model.schema import (
    Answer,
    Assessment,
    Blob,
    Evidence,
    ReformAction,
    ReformRow,
    Service,
    ServiceJudgement,
    ServiceSection,
    new_uuid,
)

#: The columns of an answer a measure page shows.
ANSWER_COLUMNS = ("value", "achieved", "planned", "not_applicable", "na_reason", "note", "marks", "entry_notes")
#: The columns of a stored evidence row.
EVIDENCE_COLUMNS = ("uuid", "kind", "text", "number", "filename", "mime", "blob_sha256", "created_at")
#: Table 4 and table 5, by the kind of edit that changes their rows.
REFORM_TABLES = {"reform_row": ReformRow, "reform_action": ReformAction}


def answers(session: Session, assessment_uuid: str, keys: list[str]) -> dict[str, dict]:
    """{key: {column: value}} of the stored answers among ``keys``."""
    query = select(Answer.key, *(getattr(Answer, c) for c in ANSWER_COLUMNS)).where(
        Answer.assessment_uuid == assessment_uuid, Answer.key.in_(keys)
    )
    return {key: dict(zip(ANSWER_COLUMNS, values)) for key, *values in session.execute(query)}


def answer_value(session: Session, assessment_uuid: str, key: str):
    """The stored value of one answer (None when there is none)."""
    return session.scalar(select(Answer.value).where(Answer.assessment_uuid == assessment_uuid, Answer.key == key))


#: The identity card's fields (003) the services table shows beside each service.
CARD_COLUMNS = (
    "service_level", "nature", "info_channels", "request_channels", "delivery_channels",
    "other_agencies", "documents", "visit_reasons",
)


def planned_services(
    session: Session, assessment: Assessment
) -> list[tuple[str, str, str, dict[str, bool], str, dict[str, str]]]:
    """(service ID, title, kind, {stage: in the plan}, the agency's URL, {card field: value}) of the agency's
    services, by ID (the card's fields: :data:`CARD_COLUMNS`, "" where the card does not give them)."""
    query = (
        select(
            Service.service_id,
            Service.title,
            Service.kind,
            Service.in_request_plan,
            Service.in_delivery_plan,
            Service.in_counter_plan,
            Service.in_gsb_plan,
            Service.url,
            *(getattr(Service, c) for c in CARD_COLUMNS),
        )
        .where(Service.round_uuid == assessment.round_uuid, Service.agency_uuid == assessment.agency_uuid)
        .order_by(Service.service_id)
    )
    return [
        (sid, title or "", kind or "", dict(zip(STAGES, (bool(req), bool(dlv), bool(cnt), bool(gsb)))), url or "",
         {c: v or "" for c, v in zip(CARD_COLUMNS, card)})
        for sid, title, kind, req, dlv, cnt, gsb, url, *card in session.execute(query)
    ]


def judgements(session: Session, assessment_uuid: str, names: tuple[str, ...]) -> dict[str, dict]:
    """{service ID: {field: value}} of the evaluator's judgements (empty values left out).

    A section of 4.7's SLA is named ``sla_KEY`` among ``names`` and read from its row
    (``service_sections``).
    """
    sections = {section_of(n): n for n in names if section_of(n) and not hasattr(ServiceJudgement, n)}
    columns = tuple(n for n in names if n not in sections.values())
    query = select(ServiceJudgement.service_id, *(getattr(ServiceJudgement, n) for n in columns)).where(
        ServiceJudgement.assessment_uuid == assessment_uuid
    )
    out = {}
    for sid, *values in session.execute(query):
        out[sid] = {n: v for n, v in zip(columns, values) if v is not None and v != ""}
    if sections:
        for sid, section, met in session.execute(
            select(ServiceSection.service_id, ServiceSection.section, ServiceSection.met).where(
                ServiceSection.assessment_uuid == assessment_uuid, ServiceSection.section.in_(list(sections)),
                ServiceSection.met.is_not(None))):
            out.setdefault(sid, {})[sections[section]] = met
    return out


def reform_rows(session: Session, assessment: Assessment, table: str, names: tuple[str, ...]) -> list[dict]:
    """Rows of table 4 (``table="reform_row"``) or 5 (``"reform_action"``) of the assessed agency, in its
    order: {column: value}, uuid first."""
    model = REFORM_TABLES[table]
    names = ("uuid", *(n for n in names if n != "uuid"))
    query = (
        select(*(getattr(model, n) for n in names))
        .where(model.round_uuid == assessment.round_uuid, model.agency_uuid == assessment.agency_uuid)
        .order_by(model.row_no, model.service_id, model.uuid)
    )
    return [dict(zip(names, values)) for values in session.execute(query)]


def evidence_rows(session: Session, assessment_uuid: str, measure_key: str) -> list[dict]:
    """The measure's evidence in the order it was added, each with its file's size."""
    query = (
        select(*(getattr(Evidence, n) for n in EVIDENCE_COLUMNS), Blob.size)
        .outerjoin(Blob, Evidence.blob_sha256 == Blob.sha256)
        .where(Evidence.assessment_uuid == assessment_uuid, Evidence.measure_key == measure_key)
        .order_by(Evidence.created_at, Evidence.uuid)
    )
    return [dict(zip((*EVIDENCE_COLUMNS, "size"), values)) for values in session.execute(query)]


def stored_file_size(session: Session, sha256: str) -> int | None:
    """A stored evidence file's size (looked up by hash, the file not read); None when it is gone."""
    return evidence_files.blob_size(session, sha256)


def save_stored_file(session: Session, sha256: str, target: Path) -> int:
    """Write a stored evidence file to ``target`` through the evidence interface, never whole in memory."""
    return evidence_files.write_to_file(session, sha256, target)


def file_fields(session: Session, measure_key: str, path: Path) -> dict:
    """Read, hash and add one evidence file to ``session`` (not committed: the edit that adds its row does)."""
    return file_evidence_fields(session, measure_key, path)


def store_file(session: Session, assessment_uuid: str, measure_key: str, path: Path) -> tuple[Edit, Edit]:
    """Read, hash and store one evidence file together with its evidence row, one transaction
    (rolled back on any error): the edit that added the row, and the edit that undoes it.

    Stored apart, a crash or a refusal between the two left a file no row names (up to 200 MB).
    """
    try:
        edit = Edit("evidence_add", assessment_uuid, new_uuid(), file_evidence_fields(session, measure_key, path))
        inverse = edit.apply(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return edit, inverse


def sibling_session(session: Session) -> Session:
    """A new session on the same database and for the same person (for work on another thread)."""
    other = Session(session.get_bind(), expire_on_commit=False)
    other.info["actor"] = session.info.get("actor", "")
    other.info["read_only"] = session.info.get("read_only", False)
    return other
