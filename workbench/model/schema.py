"""The store's tables, as SQLAlchemy 2 typed models.

Designed for merging databases made on different laptops: every record has a
UUID primary key, creation and change timestamps and the evaluator who last
changed it (:class:`Tracked`); a deletion leaves a :class:`Tombstone`; every
change is written to the :class:`AuditEntry` trail (see ``store.py``).
Evidence files live inside the database as :class:`Blob` rows addressed by
their SHA-256, so one evaluator's whole work is one file.

Changing these models needs an Alembic migration in ``migrations/versions``.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    false,
    func,
    null,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from workbench.model.checklists import section_verdict
from workbench.model.terms import SECTIONED_STAGES, STAGE_FIELDS, section_field

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The closed choices (LEVELS, SERVICE_KINDS, STATUSES, EVIDENCE_KINDS, STAGES, the criteria, steps and
# statuses of tables 4 and 5) and their Persian labels live in ``terms.py``; the columns below store
# the values named there.


def new_uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Tracked:
    """Columns every mergeable record carries."""

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class Meta(Base):
    """Key/value facts about this database file (its device id, its owner)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Round(Tracked, Base):
    """An evaluation round (دوره), assessed with one exact framework text."""

    __tablename__ = "rounds"
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    framework_id: Mapped[str] = mapped_column(String(100))
    framework_text: Mapped[str] = mapped_column(Text)
    framework_sha256: Mapped[str] = mapped_column(String(64))

    weight_overrides: Mapped[list[WeightOverride]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )


class WeightOverride(Tracked, Base):
    """A supervisor's points for one indicator in one round."""

    __tablename__ = "weight_overrides"
    __table_args__ = (UniqueConstraint("round_uuid", "indicator_key"),)
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(20))
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round] = relationship(back_populates="weight_overrides")


class Agency(Tracked, Base):
    """An executive agency (دستگاه اجرایی) or one of its provincial directorates."""

    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_uuid: Mapped[str | None] = mapped_column(
        ForeignKey("agencies.uuid", ondelete="SET NULL"), index=True, default=None
    )
    level: Mapped[str] = mapped_column(String(20), default="national")  # terms.LEVELS
    province: Mapped[str] = mapped_column(String(100), default="")
    ranking_group: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(500), default="")

    parent: Mapped[Agency | None] = relationship(remote_side="Agency.uuid")


class RoundAgency(Tracked, Base):
    """An agency's details as they stood in a round that is no longer the latest.

    Agencies are one row per code, shared by every round, and an import into
    the latest round may fill in their province or website.  When a later
    round is opened, the earlier round's agencies are kept here as they were,
    so that round's summaries and rankings (by province, level, parent) read
    the same for ever.  The latest round reads the live :class:`Agency` row.
    """

    __tablename__ = "round_agencies"
    __table_args__ = (UniqueConstraint("round_uuid", "agency_uuid"),)
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    agency_uuid: Mapped[str] = mapped_column(ForeignKey("agencies.uuid", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    level: Mapped[str] = mapped_column(String(20), default="national")
    province: Mapped[str] = mapped_column(String(100), default="")
    ranking_group: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(500), default="")


class Service(Tracked, Base):
    """A service (خدمت) an agency submitted for a round, with its operational plan flags."""

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("round_uuid", "agency_uuid", "service_id"),)
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    agency_uuid: Mapped[str] = mapped_column(ForeignKey("agencies.uuid", ondelete="CASCADE"), index=True)
    service_id: Mapped[str] = mapped_column(String(9))  # 9 digits
    title: Mapped[str] = mapped_column(String(500))
    parent_service_id: Mapped[str] = mapped_column(String(9), default="")
    kind: Mapped[str] = mapped_column(String(3), default="G2C")  # terms.SERVICE_KINDS
    in_request_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    in_delivery_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    in_counter_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    in_gsb_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str] = mapped_column(String(1000), default="")
    # The identity card's fields (شناسنامه خدمت, 003) that scoring and the evaluator need; "" = not given.
    service_level: Mapped[str] = mapped_column(String(20), default="")  # terms.SERVICE_LEVEL_LABELS
    nature: Mapped[str] = mapped_column(String(20), default="")  # terms.SERVICE_NATURE_LABELS
    info_channels: Mapped[str] = mapped_column(String(200), default="")  # terms.CHANNEL_LABELS, spaced
    request_channels: Mapped[str] = mapped_column(String(200), default="")
    delivery_channels: Mapped[str] = mapped_column(String(200), default="")
    other_agencies: Mapped[str] = mapped_column(Text, default="")  # the card's links to other agencies
    documents: Mapped[str] = mapped_column(Text, default="")  # «مدارک لازم برای انجام خدمت»
    visit_reasons: Mapped[str] = mapped_column(Text, default="")  # «ذکر ضرورت‌های مراجعه حضوری»

    def in_plan(self, stage: str) -> bool:
        return bool(getattr(self, f"in_{stage}_plan"))


class Assessment(Tracked, Base):
    """One agency's assessment in one round (ارزیابی)."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("round_uuid", "agency_uuid"),)
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    agency_uuid: Mapped[str] = mapped_column(ForeignKey("agencies.uuid", ondelete="CASCADE"), index=True)
    evaluator: Mapped[str] = mapped_column(String(200), default="")
    visit_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # terms.STATUSES

    round: Mapped[Round] = relationship()
    agency: Mapped[Agency] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    judgements: Mapped[list[ServiceJudgement]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(back_populates="assessment", cascade="all, delete-orphan")


class Answer(Tracked, Base):
    """The answer for one framework key (indicator, measure or item) of an assessment.

    Items use ``value`` (check, yes/no) or ``achieved``/``planned`` (typed
    ratios); any level may be not applicable with a reason; measures carry
    the evaluator's note.
    """

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_uuid", "key"),)
    assessment_uuid: Mapped[str] = mapped_column(ForeignKey("assessments.uuid", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    value: Mapped[bool | None] = mapped_column(Boolean, default=None)
    achieved: Mapped[float | None] = mapped_column(Float, default=None)
    planned: Mapped[float | None] = mapped_column(Float, default=None)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    na_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    #: checklist items (4.3.1, appendix A): the keys of the entries ticked, spaced; None = not checked yet
    marks: Mapped[str | None] = mapped_column(Text, default=None)
    #: checklist items: the evaluator's note on each entry, a JSON object {entry key: note} (checklists.EntryNotes)
    entry_notes: Mapped[str | None] = mapped_column(Text, default=None)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")


class ServiceJudgement(Tracked, Base):
    """The evaluator's judgement of one planned service, per stage (None = not judged).

    At the request stage a service counts only with all four capabilities of
    indicator 1 (:data:`~workbench.model.terms.REQUEST_CAPABILITIES`).  Keyed by the 9-digit
    service ID so that a re-imported service list keeps the judgements.
    """

    __tablename__ = "service_judgements"
    __table_args__ = (UniqueConstraint("assessment_uuid", "service_id"),)
    assessment_uuid: Mapped[str] = mapped_column(ForeignKey("assessments.uuid", ondelete="CASCADE"), index=True)
    service_id: Mapped[str] = mapped_column(String(9))
    request_portal: Mapped[bool | None] = mapped_column(Boolean, default=None)
    request_online: Mapped[bool | None] = mapped_column(Boolean, default=None)
    request_receipt: Mapped[bool | None] = mapped_column(Boolean, default=None)
    request_tracking: Mapped[bool | None] = mapped_column(Boolean, default=None)
    delivery: Mapped[bool | None] = mapped_column(Boolean, default=None)
    counter: Mapped[bool | None] = mapped_column(Boolean, default=None)
    gsb: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Checked for every service of the list (terms.CHECK_STAGES): a survey tool on it (9.2.3), and that it takes
    # no copy of identity documents (indicator 11).  Its SLA (4.7) is judged section by section: ServiceSection.
    survey: Mapped[bool | None] = mapped_column(Boolean, default=None)
    no_id_copy: Mapped[bool | None] = mapped_column(Boolean, default=None)
    url: Mapped[str] = mapped_column(String(1000), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="judgements")

    def stage_result(self, stage: str) -> bool | None:
        """Achieved at ``stage``: True, False, or None when not judged."""
        return stage_verdict(self, stage)


def stage_verdict(judgement, stage: str, sections: tuple[str, ...] = ()) -> bool | None:
    """The one rule of a judgement at one stage: True, False, or None when not judged.

    ``judgement`` is anything with the judgement's fields: a :class:`ServiceJudgement`, a
    row of a query, or a mapping of field names to values (a missing name is not judged).
    At the request stage a service counts only with all four capabilities (``terms.STAGE_FIELDS``).
    A sectioned check (4.7's SLA) counts only with every section of the round's framework
    (``sections``, their keys) met; ``judgement`` is then a mapping holding them as ``sla_KEY``
    (:func:`~workbench.model.terms.section_field`), as the window and the edits name them.
    """
    # A missing name is not judged: a record of an older package has no column added since.
    get = judgement.get if isinstance(judgement, Mapping) else lambda name: getattr(judgement, name, None)
    if stage in SECTIONED_STAGES:
        return section_verdict({k: get(section_field(stage, k)) for k in sections}, sections)
    fields = STAGE_FIELDS.get(stage, (stage,))
    if len(fields) > 1:  # the request stage's four capabilities
        values = [get(c) for c in fields]
        if all(v is None for v in values):
            return None
        return all(bool(v) for v in values)
    return get(fields[0])


def stage_verdict_sql(stage: str):
    """:func:`stage_verdict` as a SQL expression on :class:`ServiceJudgement`: 1, 0, or NULL when not judged.

    The same rule, for counting a whole round's services in the database instead of
    one by one in Python (``round_rows``); a test holds the two to the same answers.
    """
    fields = STAGE_FIELDS.get(stage, (stage,))
    if len(fields) > 1:  # the request stage's four capabilities
        columns = [getattr(ServiceJudgement, c) for c in fields]
        return case(
            (and_(*[c.is_(None) for c in columns]), null()),
            (and_(*[func.coalesce(c, false()) for c in columns]), 1),
            else_=0,
        )
    column = getattr(ServiceJudgement, fields[0])
    return case((column.is_(None), null()), (column, 1), else_=0)


class ServiceSection(Tracked, Base):
    """The evaluator's judgement of one section of a service's document (4.7: appendix C's sections of its SLA).

    One row per service and section, so a later round's framework may add or drop a section (``per_service.sections``)
    with no change of schema; sections it does not list are kept and not scored.  ``met`` None: not judged.
    """

    __tablename__ = "service_sections"
    # Some 940,000 rows in a national round: the unique index serves lookups, the covering one the scoring (0012).
    __table_args__ = (UniqueConstraint("assessment_uuid", "service_id", "section"),
                      Index("ix_service_sections_cover", "assessment_uuid", "service_id", "section", "met"))
    assessment_uuid: Mapped[str] = mapped_column(ForeignKey("assessments.uuid", ondelete="CASCADE"))
    service_id: Mapped[str] = mapped_column(String(9))
    section: Mapped[str] = mapped_column(String(40))
    met: Mapped[bool | None] = mapped_column(Boolean, default=None)


class Blob(Base):
    """An evidence file, addressed by SHA-256 (identical files are stored once).

    Its bytes go in and out through ``evidence_files.py`` in pieces, never
    whole, and live in :class:`BlobChunk` rows: one per file on SQLite (written
    and read with incremental blob I/O), one per MiB on PostgreSQL.  ``data``
    holds the bytes of files stored before schema 0009 (empty since); it is
    deferred, so loading a ``Blob`` never reads a file.
    """

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class BlobChunk(Base):
    """An evidence file's bytes: the whole file on SQLite (``chunk_no`` 0), a 1 MiB piece on PostgreSQL."""

    __tablename__ = "blob_chunks"
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256", ondelete="CASCADE"), primary_key=True)
    chunk_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Evidence(Tracked, Base):
    """A piece of evidence (مستند) for one measure: a URL, text, number or file."""

    __tablename__ = "evidence"
    assessment_uuid: Mapped[str] = mapped_column(ForeignKey("assessments.uuid", ondelete="CASCADE"), index=True)
    measure_key: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # terms.EVIDENCE_KINDS
    text: Mapped[str] = mapped_column(Text, default="")  # the URL, the text, or a caption
    number: Mapped[float | None] = mapped_column(Float, default=None)
    blob_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"), index=True, default=None)
    filename: Mapped[str] = mapped_column(String(500), default="")
    mime: Mapped[str] = mapped_column(String(200), default="")

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")
    blob: Mapped[Blob | None] = relationship()


class ReformRow(Tracked, Base):
    """A row of table 4 (جدول ۴): a reformed service and the criterion of its improvement."""

    __tablename__ = "reform_rows"
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    agency_uuid: Mapped[str] = mapped_column(ForeignKey("agencies.uuid", ondelete="CASCADE"), index=True)
    row_no: Mapped[int] = mapped_column(Integer, default=0)
    service_id: Mapped[str] = mapped_column(String(9))
    service_title: Mapped[str] = mapped_column(String(500), default="")
    criterion: Mapped[str] = mapped_column(String(100), default="")  # REFORM_CRITERIA
    unit: Mapped[str] = mapped_column(String(100), default="")
    value_before: Mapped[float | None] = mapped_column(Float, default=None)
    value_target: Mapped[float | None] = mapped_column(Float, default=None)
    value_after: Mapped[float | None] = mapped_column(Float, default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    accepted: Mapped[bool | None] = mapped_column(Boolean, default=None)  # the evaluator's verdict
    evaluator_note: Mapped[str] = mapped_column(Text, default="")


class ReformAction(Tracked, Base):
    """A row of table 5 (جدول ۵): a main action in a service's process reform."""

    __tablename__ = "reform_actions"
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    agency_uuid: Mapped[str] = mapped_column(ForeignKey("agencies.uuid", ondelete="CASCADE"), index=True)
    row_no: Mapped[int] = mapped_column(Integer, default=0)
    service_id: Mapped[str] = mapped_column(String(9))
    service_title: Mapped[str] = mapped_column(String(500), default="")
    step: Mapped[str] = mapped_column(String(100), default="")  # REFORM_STEPS
    action: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    end_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(50), default="")  # terms.ACTION_STATUSES
    description: Mapped[str] = mapped_column(Text, default="")
    accepted: Mapped[bool | None] = mapped_column(Boolean, default=None)
    evaluator_note: Mapped[str] = mapped_column(Text, default="")


class Tombstone(Base):
    """The trace a deleted record leaves, so a merge can carry the deletion."""

    __tablename__ = "tombstones"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(100))
    deleted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    deleted_by: Mapped[str] = mapped_column(String(200), default="")


class AuditEntry(Base):
    """One change to one record: who, when, what (the audit trail)."""

    __tablename__ = "audit_log"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(20))  # insert | update | delete | reopen | ...
    table_name: Mapped[str] = mapped_column(String(100))
    row_uuid: Mapped[str] = mapped_column(String(64), index=True)
    changes: Mapped[str] = mapped_column(Text, default="")  # JSON {column: [old, new]}


class NaAgreement(Tracked, Base):
    """An agreement with the Organization (تفاهم با سازمان) that takes services out of an indicator.

    Indicator 7 of the guide: «عدم مصداق مرتبط با خدمات در صورت تفاهم با سازمان
    میسر است».  ``service_ids`` are the 9-digit IDs the letter covers, separated
    by spaces; they leave the indicator's ratios, and the whole indicator may be
    not applicable only when they cover every service of the agency.
    """

    __tablename__ = "na_agreements"
    __table_args__ = (UniqueConstraint("assessment_uuid", "indicator_key"),)
    assessment_uuid: Mapped[str] = mapped_column(ForeignKey("assessments.uuid", ondelete="CASCADE"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(20))
    letter_no: Mapped[str] = mapped_column(String(200), default="")
    letter_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    service_ids: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    def covered(self) -> frozenset[str]:
        return frozenset(self.service_ids.split())


class BandSet(Tracked, Base):
    """A supervisor's classification bands for one round (names and lower thresholds), replacing the file's."""

    __tablename__ = "band_sets"
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), unique=True)
    bands: Mapped[str] = mapped_column(Text)  # «عالی=85، خوب=70، …» (bands.parse_band_spec)
    reason: Mapped[str] = mapped_column(Text, default="")
