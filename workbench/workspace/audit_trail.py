"""An assessment's history as a person reads it: who changed what, when, from what to what.

:func:`assessment_trail` reads the audit trail (:class:`~workbench.model.schema.AuditEntry`)
of one assessment: the assessment's own row, its answers, service judgements,
evidence and agreements, and the agency's rows of the round that its score
counts (services, tables 4 and 5), including rows deleted since (found by
their insert entry, which names the assessment or the round).  Each entry
becomes :class:`TrailLine` values with every word in Persian: the record
(«پاسخ ۴.۲.۱»), the field («یادداشت»), the old and the new value, the
action, the time in the Jalali calendar on this computer's clock.

The lines are plain values so that a view can show them and others can add
their own beside them (the supervisor's merge provenance does).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workbench.model.jalali import format_jalali
from workbench.model.schema import (
    Answer,
    Assessment,
    AuditEntry,
    Evidence,
    NaAgreement,
    ReformAction,
    ReformRow,
    Service,
    ServiceJudgement,
    ServiceSection,
)
from workbench.model.terms import (
    AUDIT_ACTIONS,
    AUDIT_FIELDS,
    AUDIT_RECORDS,
    EVIDENCE_LABELS,
    STATUS_LABELS,
)
from workbench.model.text import clean_display, format_number, persian_digits

#: Tables whose rows name the assessment, and those of the agency in the round.
OWN = {"answers": Answer, "service_judgements": ServiceJudgement, "evidence": Evidence,
       "na_agreements": NaAgreement, "service_sections": ServiceSection}
AGENCY = {"services": Service, "reform_rows": ReformRow, "reform_actions": ReformAction}
#: Columns that say which record a row is, not what changed in it.
HIDDEN = {"assessment_uuid", "round_uuid", "agency_uuid", "uuid", "created_at", "updated_at", "updated_by",
          "blob_sha256"}
#: Columns the record's own words already name: not repeated as a change when the row is added.
NAMED = {"key", "measure_key", "service_id", "row_no", "indicator_key", "section"}
CHUNK = 500


@dataclass(frozen=True)
class TrailLine:
    """One change of one field (or one event) of the assessment, in words."""

    at: dt.datetime  # UTC, as stored
    when: str  # «۱۴۰۳/۰۷/۱۰ ۱۴:۰۵», this computer's clock
    actor: str
    action: str  # «افزودن», «تغییر», «حذف», «بازگشایی»…
    record: str  # «پاسخ ۴.۲.۱», «ارزیابی»…
    field: str  # «یادداشت»; "" for a whole record or an event
    old: str
    new: str


def when_text(value: dt.datetime) -> str:
    """A stored UTC time as this computer's clock reads it: «۱۴۰۳/۰۷/۱۰ ۱۴:۰۵»."""
    when = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value
    when = when.astimezone()
    return f"{format_jalali(when.date())} {persian_digits(when.strftime('%H:%M'))}"


def value_text(field: str, value) -> str:
    """A stored value as the window shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "بله" if value else "خیر"
    if field == "status":
        return STATUS_LABELS.get(value, value)
    if field == "kind" and value in EVIDENCE_LABELS:
        return EVIDENCE_LABELS[value]
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_jalali(dt.date.fromisoformat(value))
        except ValueError:
            pass
    return persian_digits(clean_display(str(value)))


def _section_title(key: str) -> str:
    """A section of 4.7's SLA by its head in the framework file (its key where the file has it no longer)."""
    return _section_titles().get(key, key)


@lru_cache(maxsize=1)
def _section_titles() -> dict[str, str]:
    from workbench.model.checklists import stage_sections
    from workbench.model.framework import load_default_framework

    return {x.key: x.title for x in stage_sections(load_default_framework())}


def _record_text(table: str, state: dict) -> str:
    name = AUDIT_RECORDS.get(table, table)
    if table == "answers":
        return f"{name} {persian_digits(state.get('key', ''))}"
    if table in ("service_judgements", "services"):
        return f"{name} {persian_digits(state.get('service_id', ''))}"
    if table == "service_sections":
        return f"{name} «{_section_title(state.get('section', ''))}» خدمت {persian_digits(state.get('service_id', ''))}"
    if table == "evidence":
        shown = state.get("filename") or state.get("text") or ""
        # The file's name or the URL isolated, so its direction does not reorder the words around it.
        return f"{name} نماگر {persian_digits(state.get('measure_key', ''))} «\u2068{clean_display(str(shown))[:60]}\u2069»"
    if table in ("reform_rows", "reform_actions"):
        return f"{name}، ردیف {persian_digits(state.get('row_no', ''))} خدمت {persian_digits(state.get('service_id', ''))}"
    if table == "na_agreements":
        return f"{name} شاخص {persian_digits(state.get('indicator_key', ''))}"
    return name


def _row_uuids(session: Session, a: Assessment) -> dict[str, str]:
    """uuid → table for every row of the assessment, living or deleted."""
    rows: dict[str, str] = {a.uuid: "assessments"}
    for table, model in OWN.items():
        rows.update({u: table for u in session.scalars(select(model.uuid).where(model.assessment_uuid == a.uuid))})
    for table, model in AGENCY.items():
        rows.update({u: table for u in session.scalars(
            select(model.uuid).where(model.round_uuid == a.round_uuid, model.agency_uuid == a.agency_uuid))})
    # Deleted rows: their insert entry names the assessment (or the agency, in this round).
    inserted = session.execute(
        select(AuditEntry.row_uuid, AuditEntry.table_name, AuditEntry.changes).where(
            AuditEntry.action == "insert",
            AuditEntry.table_name.in_([*OWN, *AGENCY]),
            or_(AuditEntry.changes.contains(a.uuid), AuditEntry.changes.contains(a.agency_uuid)),
        )
    ).all()
    for uuid, table, changes in inserted:
        if uuid in rows:
            continue
        values = {k: v[1] for k, v in _changes(changes).items()}
        if table in OWN and values.get("assessment_uuid") == a.uuid:
            rows[uuid] = table
        elif (table in AGENCY and values.get("agency_uuid") == a.agency_uuid
              and values.get("round_uuid") == a.round_uuid):
            rows[uuid] = table
    return rows


def _changes(text: str) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def assessment_trail(session: Session, assessment_uuid: str) -> list[TrailLine]:
    """Every audited change of the assessment, oldest first; [] for one not stored yet."""
    a = session.get(Assessment, assessment_uuid)
    if a is None:
        return []
    rows = _row_uuids(session, a)
    keys = list(rows)
    entries: list[AuditEntry] = []
    for i in range(0, len(keys), CHUNK):
        entries += session.scalars(select(AuditEntry).where(AuditEntry.row_uuid.in_(keys[i:i + CHUNK])))
    entries.sort(key=lambda e: (e.at, e.uuid))
    states: dict[str, dict] = {}
    lines: list[TrailLine] = []
    for e in entries:
        changes = _changes(e.changes)
        state = states.setdefault(e.row_uuid, {})
        if e.action in ("insert", "update"):
            state.update({k: v[1] for k, v in changes.items() if isinstance(v, list) and len(v) == 2})
        record = _record_text(rows.get(e.row_uuid, e.table_name), state)
        action = AUDIT_ACTIONS.get(e.action, e.action)
        when = when_text(e.at)
        hidden = HIDDEN | NAMED if e.action == "insert" else HIDDEN
        shown = [(k, v) for k, v in changes.items()
                 if k not in hidden and isinstance(v, list) and len(v) == 2] if e.action in ("insert", "update") else []
        if not shown:
            detail = "؛ ".join(f"{AUDIT_FIELDS.get(k, k)}: {value_text(k, v)}" for k, v in changes.items()
                              if not isinstance(v, list))  # an event's own words (a reopening's reason)
            lines.append(TrailLine(e.at, when, e.actor, action, record, "", "", detail))
            continue
        for field, (old, new) in shown:
            lines.append(TrailLine(e.at, when, e.actor, action, record, AUDIT_FIELDS.get(field, field),
                                   value_text(field, old), value_text(field, new)))
    return lines
