"""The exchange's own tables: assignments, packages, merge batches, conflicts, provenance.

They sit on the store's declarative base (same file, same migrations:
revision 0003).  Master-only tables are empty in an evaluator's database and
the other way round; both are the same program and the same schema.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.model.schema import Base, utcnow


class Assignment(Base):
    """Agencies a supervisor handed to one evaluator for one round (both sides keep it)."""

    __tablename__ = "assignments"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    round_uuid: Mapped[str] = mapped_column(ForeignKey("rounds.uuid", ondelete="CASCADE"), index=True)
    evaluator: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(200), default="")
    #: The master's public key that signed the assignment (hex).
    supervisor_key: Mapped[str] = mapped_column(String(64), default="")
    #: Master: the evaluator's public key, pinned by the first package that answers it.
    evaluator_key: Mapped[str] = mapped_column(String(64), default="")
    pinned_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    #: Evaluator's database: when the file was received (None in the master).
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    file_sha256: Mapped[str] = mapped_column(String(64), default="")


class AssignmentAgency(Base):
    """One agency of an assignment; in the master with the base it was handed out with."""

    __tablename__ = "assignment_agencies"
    assignment_uuid: Mapped[str] = mapped_column(
        ForeignKey("assignments.uuid", ondelete="CASCADE"), primary_key=True
    )
    agency_code: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
    #: zlib-compressed JSON of the agency's records as handed out (the three-way merge's base).
    base: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class ExchangePackage(Base):
    """A package the master merged (or refused to change anything with): its manifest's facts."""

    __tablename__ = "exchange_packages"
    uuid: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the signed manifest
    file_name: Mapped[str] = mapped_column(String(500), default="")
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    evaluator: Mapped[str] = mapped_column(String(200))
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    round_uuid: Mapped[str] = mapped_column(String(36))
    assignments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of uuids
    status: Mapped[str] = mapped_column(String(20), default="merged")  # merged | unmerged
    batch_uuid: Mapped[str] = mapped_column(String(36), index=True)
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MergeBatch(Base):
    """One ``merge`` command: all its packages in one transaction, undone as one."""

    __tablename__ = "merge_batches"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    merged_by: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="merged")  # merged | unmerged
    unmerged_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    summary: Mapped[str] = mapped_column(Text, default="")


class MergeChange(Base):
    """One field group (or record) a batch changed: enough to undo it."""

    __tablename__ = "merge_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_uuid: Mapped[str] = mapped_column(String(36), index=True)
    package_uuid: Mapped[str] = mapped_column(String(64), default="")
    table_name: Mapped[str] = mapped_column(String(100))
    row_uuid: Mapped[str] = mapped_column(String(36))
    rkey: Mapped[str] = mapped_column(Text)
    grp: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(20))  # insert | update | delete
    before: Mapped[str] = mapped_column(Text, default="")  # JSON
    after: Mapped[str] = mapped_column(Text, default="")  # JSON


class Conflict(Base):
    """Two sides changed one field group differently: work for the supervisor."""

    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_uuid: Mapped[str] = mapped_column(String(36), index=True)
    agency_code: Mapped[str] = mapped_column(String(50))
    table_name: Mapped[str] = mapped_column(String(100))
    rkey: Mapped[str] = mapped_column(Text, index=True)
    grp: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20), default="value")  # value | delete | final
    base: Mapped[str] = mapped_column(Text, default="")  # JSON: what both started from
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | resolved
    batch_uuid: Mapped[str] = mapped_column(String(36), index=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    resolved_by: Mapped[str] = mapped_column(String(200), default="")
    resolution: Mapped[str] = mapped_column(Text, default="")  # JSON of the value taken
    reason: Mapped[str] = mapped_column(Text, default="")


class ConflictCandidate(Base):
    """One side's value in a conflict: from a package, or what the master held."""

    __tablename__ = "conflict_candidates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id", ondelete="CASCADE"), index=True)
    package_uuid: Mapped[str] = mapped_column(String(64), default="")  # "" = the master's own value
    evaluator: Mapped[str] = mapped_column(String(200), default="")
    device_id: Mapped[str] = mapped_column(String(36), default="")
    batch_uuid: Mapped[str] = mapped_column(String(36), default="")
    value: Mapped[str] = mapped_column(Text)  # JSON; null for «deleted»


class Provenance(Base):
    """Which package (evaluator, device, batch) brought a field group its value."""

    __tablename__ = "provenance"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rkey: Mapped[str] = mapped_column(Text, index=True)
    grp: Mapped[str] = mapped_column(String(50))
    package_uuid: Mapped[str] = mapped_column(String(64), default="")
    batch_uuid: Mapped[str] = mapped_column(String(36), index=True)
    evaluator: Mapped[str] = mapped_column(String(200), default="")
    device_id: Mapped[str] = mapped_column(String(36), default="")
    value: Mapped[str] = mapped_column(Text)  # JSON
    resolved_by: Mapped[str] = mapped_column(String(200), default="")  # set for a supervisor's resolution


class Submission(Base):
    """An evaluator's complete work for one agency as one package carried it (the agreement report reads these)."""

    __tablename__ = "submissions"
    package_uuid: Mapped[str] = mapped_column(
        ForeignKey("exchange_packages.uuid", ondelete="CASCADE"), primary_key=True
    )
    agency_code: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
    round_uuid: Mapped[str] = mapped_column(String(36))
    assignment_uuid: Mapped[str] = mapped_column(String(36), index=True)
    evaluator: Mapped[str] = mapped_column(String(200))
    device_id: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON, as AssignmentAgency.base
